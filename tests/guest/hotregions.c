/* Many distinct hot regions: writes NFUNCS small functions once, then calls each of
 * them HOT_CALLS times, a window at a time, for several passes. Every function gets hot
 * enough to be compiled, and together they need more code than the compiled tiers'
 * caches hold, so the emulator must evict and recompile while its resident memory
 * stays flat (tests/check-rss measures that; the output checks the results). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "code_writer.h"

enum { NFUNCS = 200000, FUNC_BYTES = 32, WINDOW = 2000, HOT_CALLS = 80 };
typedef int64_t (*fn_t)(int64_t);

/* f_k(x) = 5x + k, through a short loop so each function is two blocks */
static void emit(uint8_t *p, int32_t k)
{
    put_li_a1(p, k);                                              /* li   a1, k */
    put32(p + 8, 0x00500613u);                                    /* li   a2, 5 */
    put32(p + 12, 0x00000693u);                                   /* li   a3, 0 */
    put32(p + 16, 0x00a686b3u);                                   /* 1: add a3, a3, a0 */
    put32(p + 20, 0xfff60613u);                                   /* addi a2, a2, -1 */
    put32(p + 24, 0xfe061ce3u);                                   /* bnez a2, 1b */
    put32(p + 28, 0x00b68533u);                                   /* add  a0, a3, a1 */
}

int main(int argc, char **argv)
{
    int passes = argc > 1 ? atoi(argv[1]) : 2;
    size_t size = (size_t)NFUNCS * (FUNC_BYTES + 4);
    uint8_t *code = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        printf("mmap failed\n");
        return 1;
    }
    for (int k = 0; k < NFUNCS; k++) {
        uint8_t *f = code + (size_t)k * (FUNC_BYTES + 4);
        emit(f, k);
        put32(f + FUNC_BYTES, 0x00008067u);                       /* ret */
    }
    __asm__ volatile("fence.i" ::: "memory");

    int bad = 0;
    for (int pass = 0; pass < passes; pass++) {
        uint64_t sum = 0, want = 0;
        for (int w = 0; w < NFUNCS; w += WINDOW)
            for (int r = 0; r < HOT_CALLS; r++)
                for (int k = w; k < w + WINDOW; k++) {
                    fn_t f = (fn_t)(void *)(code + (size_t)k * (FUNC_BYTES + 4));
                    sum = sum * 31 + (uint64_t)f(r);
                    want = want * 31 + (uint64_t)(5 * (int64_t)r + k);
                }
        printf("pass %d: %s (%016" PRIx64 ")\n", pass + 1, sum == want ? "ok" : "WRONG", sum);
        bad |= sum != want;
    }
    return bad;
}
