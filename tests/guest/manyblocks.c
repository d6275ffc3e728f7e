/* Code-cache pressure: writes 600,000 distinct small functions into an RWX mapping
 * (more blocks than an emulator's translation cache may hold), calls each of them,
 * then every seventh one again in reverse order, and checks the results against
 * their definition. An emulator must flush and re-translate while guest code runs. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "code_writer.h"

enum { NFUNCS = 600000, FUNC_BYTES = 24 };
typedef int64_t (*fn_t)(int64_t);

/* f_k(x) = 3x + k */
static void emit(uint8_t *p, int32_t k)
{
    put_li_a1(p, k);                                              /* li   a1, k */
    put32(p + 8, 0x00151613u);                                    /* slli a2, a0, 1 */
    put32(p + 12, 0x00c50533u);                                   /* add  a0, a0, a2 */
    put32(p + 16, 0x00b50533u);                                   /* add  a0, a0, a1 */
    put32(p + 20, 0x00008067u);                                   /* ret */
}

int main(void)
{
    size_t size = (size_t)NFUNCS * FUNC_BYTES;
    uint8_t *code = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        printf("mmap failed\n");
        return 1;
    }
    for (int k = 0; k < NFUNCS; k++)
        emit(code + (size_t)k * FUNC_BYTES, k);
    __asm__ volatile("fence.i" ::: "memory");

    uint64_t sum1 = 0, sum2 = 0, want1 = 0, want2 = 0;
    for (int k = 0; k < NFUNCS; k++) {
        sum1 = sum1 * 31 + (uint64_t)((fn_t)(void *)(code + (size_t)k * FUNC_BYTES))(k);
        want1 = want1 * 31 + (uint64_t)(4 * (int64_t)k);
    }
    for (int k = NFUNCS - 1; k >= 0; k -= 7) {
        sum2 = sum2 * 31 + (uint64_t)((fn_t)(void *)(code + (size_t)k * FUNC_BYTES))(-k);
        want2 = want2 * 31 + (uint64_t)(-2 * (int64_t)k);
    }
    printf("functions: %d\n", NFUNCS);
    printf("pass 1: %s (%016" PRIx64 ")\n", sum1 == want1 ? "ok" : "WRONG", sum1);
    printf("pass 2: %s (%016" PRIx64 ")\n", sum2 == want2 ? "ok" : "WRONG", sum2);
    return sum1 == want1 && sum2 == want2 ? 0 : 1;
}
