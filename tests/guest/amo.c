/* RV64A: LR/SC (success, failure after an SC to a different address, failure
 * of an SC following another SC, the SC result register, lr.w sign
 * extension, sc.w storing only 32 bits) and every AMO (.w and .d, with and
 * without aq/rl), checking both the returned old value and memory after.
 * The SC failure code is only required to be nonzero, so failures print as
 * "fail" rather than the raw value. */
#include "guest.h"

static u64 cell[4] __attribute__((aligned(64)));
static u64 far_cell[8] __attribute__((aligned(4096)));

static const u64 mem_vals[] = {
    0x0000000000000000ull, 0x0000000000000001ull, 0xffffffffffffffffull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x000000007fffffffull,
    0x0000000080000000ull, 0xfedcba9876543210ull,
};
static const u64 src_vals[] = {
    0x0000000000000000ull, 0xffffffffffffffffull, 0x8000000000000000ull,
    0x0000000080000000ull, 0x00000000ffffffffull, 0x123456787fffffffull,
};

#define AMO(op, addr, src)                                                          \
    ({                                                                              \
        u64 r_;                                                                     \
        __asm__ volatile(op " %0, %2, (%1)" : "=&r"(r_) : "r"(addr), "r"((u64)(src)) : "memory"); \
        r_;                                                                         \
    })

static void one_amo_d(const char *name, u64 (*fn)(u64 *, u64))
{
    for (unsigned i = 0; i < ARRAY_LEN(mem_vals); i++)
        for (unsigned j = 0; j < ARRAY_LEN(src_vals); j++) {
            cell[0] = mem_vals[i];
            cell[1] = 0x5555555555555555ull; /* must not be touched */
            u64 old = fn(&cell[0], src_vals[j]);
            printf("%-12s mem=%016" PRIx64 " src=%016" PRIx64 " -> rd=%016" PRIx64
                   " mem=%016" PRIx64 " next=%016" PRIx64 "\n",
                   name, mem_vals[i], src_vals[j], old, cell[0], cell[1]);
        }
}

/* .w AMOs work on the low word (little endian) at cell+0; the neighbouring
 * word at cell+4 must not change */
static void one_amo_w(const char *name, u64 (*fn)(u64 *, u64))
{
    for (unsigned i = 0; i < ARRAY_LEN(mem_vals); i++)
        for (unsigned j = 0; j < ARRAY_LEN(src_vals); j++) {
            cell[0] = (mem_vals[i] & 0xffffffffull) | 0xa5a5a5a500000000ull;
            u64 old = fn(&cell[0], src_vals[j]);
            printf("%-12s mem=%08" PRIx32 " src=%016" PRIx64 " -> rd=%016" PRIx64 " mem=%016" PRIx64 "\n",
                   name, (u32)mem_vals[i], src_vals[j], old, cell[0]);
        }
}

#define DEF(fn, op) static u64 fn(u64 *p, u64 s) { return AMO(op, p, s); }
DEF(swap_d, "amoswap.d") DEF(add_d, "amoadd.d") DEF(xor_d, "amoxor.d") DEF(and_d, "amoand.d")
DEF(or_d, "amoor.d") DEF(min_d, "amomin.d") DEF(max_d, "amomax.d") DEF(minu_d, "amominu.d")
DEF(maxu_d, "amomaxu.d")
DEF(swap_w, "amoswap.w") DEF(add_w, "amoadd.w") DEF(xor_w, "amoxor.w") DEF(and_w, "amoand.w")
DEF(or_w, "amoor.w") DEF(min_w, "amomin.w") DEF(max_w, "amomax.w") DEF(minu_w, "amominu.w")
DEF(maxu_w, "amomaxu.w")
DEF(add_d_aq, "amoadd.d.aq") DEF(add_w_rl, "amoadd.w.rl") DEF(swap_d_aqrl, "amoswap.d.aqrl")
DEF(maxu_w_aqrl, "amomaxu.w.aqrl")
#undef DEF

static const char *sc_str(u64 rc) { return rc == 0 ? "ok" : "fail"; }

static void lrsc(void)
{
    u64 v, rc;
    printf("== lr/sc ==\n");

    /* 1: plain success, .d */
    cell[0] = 0x1111111111111111ull;
    __asm__ volatile("lr.d %0, (%2)\n sc.d %1, %3, (%2)"
                     : "=&r"(v), "=&r"(rc) : "r"(&cell[0]), "r"(0x2222222222222222ull) : "memory");
    printf("lr.d/sc.d: lr=%016" PRIx64 " sc=%s mem=%016" PRIx64 "\n", v, sc_str(rc), cell[0]);

    /* 2: .w success, lr.w sign-extends, sc.w writes only the low word */
    cell[0] = 0x33333333c0000001ull;
    __asm__ volatile("lr.w %0, (%2)\n sc.w %1, %3, (%2)"
                     : "=&r"(v), "=&r"(rc) : "r"(&cell[0]), "r"(0xdeadbeef87654321ull) : "memory");
    printf("lr.w/sc.w: lr=%016" PRIx64 " sc=%s mem=%016" PRIx64 "\n", v, sc_str(rc), cell[0]);

    /* 3: lr.w on the high word of a doubleword */
    cell[0] = 0x7ffffffe00000000ull;
    __asm__ volatile("lr.w %0, (%2)\n sc.w %1, %3, (%2)"
                     : "=&r"(v), "=&r"(rc) : "r"((char *)&cell[0] + 4), "r"(0x80000000ull) : "memory");
    printf("lr.w/sc.w hi: lr=%016" PRIx64 " sc=%s mem=%016" PRIx64 "\n", v, sc_str(rc), cell[0]);

    /* 4: SC to an address outside the reservation (another page) fails and
     * leaves memory alone; a later SC to the reserved address also fails,
     * because an SC (even a failing one) ends the reservation */
    u64 rc2;
    cell[0] = 0x4444444444444444ull;
    far_cell[0] = 0x5555555555555555ull;
    __asm__ volatile("lr.d %0, (%3)\n"
                     "sc.d %1, %5, (%4)\n"
                     "sc.d %2, %5, (%3)\n"
                     : "=&r"(v), "=&r"(rc), "=&r"(rc2)
                     : "r"(&cell[0]), "r"(&far_cell[0]), "r"(0x6666666666666666ull)
                     : "memory");
    printf("sc other addr: lr=%016" PRIx64 " sc(other)=%s sc(same)=%s mem=%016" PRIx64
           " other=%016" PRIx64 "\n",
           v, sc_str(rc), sc_str(rc2), cell[0], far_cell[0]);

    /* 5: SC after a successful SC (no new LR) fails */
    cell[0] = 1;
    __asm__ volatile("lr.d %0, (%3)\n"
                     "sc.d %1, %4, (%3)\n"
                     "sc.d %2, %5, (%3)\n"
                     : "=&r"(v), "=&r"(rc), "=&r"(rc2)
                     : "r"(&cell[0]), "r"(2ull), "r"(3ull)
                     : "memory");
    printf("sc twice: lr=%016" PRIx64 " sc1=%s sc2=%s mem=%016" PRIx64 "\n",
           v, sc_str(rc), sc_str(rc2), cell[0]);

    /* 6: the SC result register is written even when it is also the data
     * source (rd == rs2), and aq/rl variants */
    cell[0] = 0x77;
    u64 d = 0x99;
    __asm__ volatile("lr.d.aq %0, (%2)\n sc.d.rl %1, %1, (%2)"
                     : "=&r"(v), "+&r"(d) : "r"(&cell[0]) : "memory");
    printf("sc rd==rs2: lr=%016" PRIx64 " rd=%s mem=%016" PRIx64 "\n", v, sc_str(d), cell[0]);
    cell[0] = 0x88;
    __asm__ volatile("lr.w.aqrl %0, (%2)\n sc.w.aqrl %1, %3, (%2)"
                     : "=&r"(v), "=&r"(rc) : "r"(&cell[0]), "r"(0xffffffffull) : "memory");
    printf("lr.w.aqrl/sc.w.aqrl: lr=%016" PRIx64 " sc=%s mem=%016" PRIx64 "\n", v, sc_str(rc), cell[0]);

    /* 7: an lr/sc retry loop (atomic fetch-and-add), run many times */
    cell[0] = 0;
    unsigned long failures = 0;
    for (int i = 0; i < 10000; i++) {
        u64 t, f;
        __asm__ volatile("1: lr.d %0, (%2)\n"
                         "   addi %0, %0, 3\n"
                         "   sc.d %1, %0, (%2)\n"
                         "   beqz %1, 2f\n"
                         "   j 1b\n"
                         "2:\n"
                         : "=&r"(t), "=&r"(f) : "r"(&cell[0]) : "memory");
        (void)f;
    }
    printf("lr/sc loop: mem=%016" PRIx64 "\n", cell[0]);
    (void)failures;

    /* 8: a CAS built from lr/sc that fails on compare mismatch */
    cell[0] = 10;
    u64 expect = 11, got;
    __asm__ volatile("1: lr.w %0, (%1)\n"
                     "   bne %0, %2, 2f\n"
                     "   sc.w t0, %3, (%1)\n"
                     "   bnez t0, 1b\n"
                     "2:\n"
                     : "=&r"(got) : "r"(&cell[0]), "r"(expect), "r"(99ull) : "t0", "memory");
    printf("cas mismatch: got=%016" PRIx64 " mem=%016" PRIx64 "\n", got, cell[0]);
    expect = 10;
    __asm__ volatile("1: lr.w %0, (%1)\n"
                     "   bne %0, %2, 2f\n"
                     "   sc.w t0, %3, (%1)\n"
                     "   bnez t0, 1b\n"
                     "2:\n"
                     : "=&r"(got) : "r"(&cell[0]), "r"(expect), "r"(99ull) : "t0", "memory");
    printf("cas match: got=%016" PRIx64 " mem=%016" PRIx64 "\n", got, cell[0]);
}

static void misc(void)
{
    printf("== amo misc ==\n");
    /* rd = x0: memory still updated */
    cell[0] = 5;
    __asm__ volatile("amoadd.d x0, %1, (%0)" : : "r"(&cell[0]), "r"(7ull) : "memory");
    printf("amoadd.d rd=x0: mem=%016" PRIx64 "\n", cell[0]);
    /* rd == rs2 */
    cell[0] = 0x100;
    u64 x = 0x23;
    __asm__ volatile("amoswap.d %0, %0, (%1)" : "+r"(x) : "r"(&cell[0]) : "memory");
    printf("amoswap.d rd==rs2: rd=%016" PRIx64 " mem=%016" PRIx64 "\n", x, cell[0]);
    /* amo.w on the high word of a doubleword */
    cell[0] = 0xfffffffe00000005ull;
    u64 r = AMO("amoadd.w", (char *)&cell[0] + 4, 1);
    printf("amoadd.w hi: rd=%016" PRIx64 " mem=%016" PRIx64 "\n", r, cell[0]);
    r = AMO("amoadd.w", (char *)&cell[0] + 4, 1);
    printf("amoadd.w hi again: rd=%016" PRIx64 " mem=%016" PRIx64 "\n", r, cell[0]);
    /* fences, which must simply execute */
    __asm__ volatile("fence\n fence rw, rw\n fence r, r\n fence w, w\n fence iorw, iorw\n fence.tso\n fence i, o" ::: "memory");
    printf("fences ok\n");
}

int main(void)
{
    one_amo_d("amoswap.d", swap_d); one_amo_d("amoadd.d", add_d); one_amo_d("amoxor.d", xor_d);
    one_amo_d("amoand.d", and_d); one_amo_d("amoor.d", or_d); one_amo_d("amomin.d", min_d);
    one_amo_d("amomax.d", max_d); one_amo_d("amominu.d", minu_d); one_amo_d("amomaxu.d", maxu_d);
    one_amo_w("amoswap.w", swap_w); one_amo_w("amoadd.w", add_w); one_amo_w("amoxor.w", xor_w);
    one_amo_w("amoand.w", and_w); one_amo_w("amoor.w", or_w); one_amo_w("amomin.w", min_w);
    one_amo_w("amomax.w", max_w); one_amo_w("amominu.w", minu_w); one_amo_w("amomaxu.w", maxu_w);
    one_amo_d("amoadd.d.aq", add_d_aq); one_amo_w("amoadd.w.rl", add_w_rl);
    one_amo_d("amoswap.d.aqrl", swap_d_aqrl); one_amo_w("amomaxu.w.aqrl", maxu_w_aqrl);
    lrsc();
    misc();
    return 0;
}
