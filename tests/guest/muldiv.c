/* RV64M: mul/mulh/mulhsu/mulhu/mulw on extreme values; div/divu/rem/remu and
 * the W forms, including division by zero (quotient all ones, remainder =
 * dividend) and signed overflow INT_MIN / -1 (quotient INT_MIN, remainder 0).
 * The W forms must ignore the upper 32 bits of their operands. */
#include "guest.h"

static const u64 vals[] = {
    0x0000000000000000ull, 0x0000000000000001ull, 0x0000000000000002ull,
    0x0000000000000003ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
    0xfffffffffffffffdull, 0x7fffffffffffffffull, 0x8000000000000000ull,
    0x000000007fffffffull, 0x0000000080000000ull, 0x00000000ffffffffull,
    0xffffffff80000000ull, 0x0000000100000000ull, 0x123456789abcdef0ull,
    /* low halves interesting for W forms, garbage in the upper halves */
    0xdeadbeef00000000ull, 0xdeadbeefffffffffull, 0x1234567880000000ull,
    0x0000000500000007ull, 0xfffffff9fffffff9ull,
};

#define DO_RR(op)                                                  \
    for (unsigned i = 0; i < ARRAY_LEN(vals); i++)                 \
        for (unsigned j = 0; j < ARRAY_LEN(vals); j++)             \
            print_rr(op, vals[i], vals[j], RR(op, vals[i], vals[j]));

int main(void)
{
    DO_RR("mul") DO_RR("mulh") DO_RR("mulhsu") DO_RR("mulhu") DO_RR("mulw")
    DO_RR("div") DO_RR("divu") DO_RR("rem") DO_RR("remu")
    DO_RR("divw") DO_RR("divuw") DO_RR("remw") DO_RR("remuw")

    /* a dependent chain: the usual mulh+mul 128-bit product idiom */
    u64 a = 0xfedcba9876543210ull, b = 0x0123456789abcdefull, hi, lo;
    __asm__ volatile("mulhu %0, %2, %3\n mul %1, %2, %3" : "=&r"(hi), "=&r"(lo) : "r"(a), "r"(b));
    printf("128-bit product %016" PRIx64 "%016" PRIx64 "\n", hi, lo);
    /* divide and remainder into the same register as a source */
    u64 q = 100;
    __asm__ volatile("div %0, %0, %1" : "+r"(q) : "r"((u64)-7));
    printf("div in place 100/-7 -> %016" PRIx64 "\n", q);
    q = 100;
    __asm__ volatile("rem %0, %0, %1" : "+r"(q) : "r"((u64)-7));
    printf("rem in place 100%%-7 -> %016" PRIx64 "\n", q);
    return 0;
}
