/* Driver for rvc.S: runs the compressed-instruction test and prints each
 * result with its name. */
#include "guest.h"
#include <string.h>

extern u64 rvc_test(u64 *out);
extern const char rvc_names[];

int main(void)
{
    static u64 out[512];
    u64 n = rvc_test(out);
    if (n > ARRAY_LEN(out)) {
        printf("bad count %" PRIu64 "\n", n);
        return 1;
    }
    const char *name = rvc_names;
    for (u64 i = 0; i < n; i++) {
        printf("%-24s %016" PRIx64 "\n", name, out[i]);
        name += strlen(name) + 1;
    }
    printf("%" PRIu64 " results\n", n);
    return 0;
}
