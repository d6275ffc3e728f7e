/* Self-modifying code and fence.i: code is written into an RWX mmap page and
 * into an mprotect()ed static buffer, run, rewritten (same address,
 * different instructions, different lengths), fence.i'd and run again, many
 * times, including after the old code has become hot, and code that patches
 * itself before executing the patched instruction. */
#include "guest.h"
#include <string.h>
#include <sys/mman.h>

/* ---- instruction encoders ---- */
enum { ZERO = 0, RA = 1, T0 = 5, T1 = 6, A0 = 10, A1 = 11, A2 = 12 };

static u32 enc_i(u32 op, u32 f3, u32 rd, u32 rs1, i32 imm)
{
    return ((u32)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static u32 addi(u32 rd, u32 rs1, i32 imm) { return enc_i(0x13, 0, rd, rs1, imm); }
static u32 lui(u32 rd, u32 imm20) { return (imm20 & 0xfffff) << 12 | rd << 7 | 0x37; }
static u32 add(u32 rd, u32 rs1, u32 rs2) { return rs2 << 20 | rs1 << 15 | rd << 7 | 0x33; }
static u32 ret_insn(void) { return enc_i(0x67, 0, ZERO, RA, 0); } /* jalr x0, 0(ra) */
static u32 sw(u32 rs2, u32 rs1, i32 imm)
{
    return ((u32)imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | 2 << 12 | ((u32)imm & 0x1f) << 7 | 0x23;
}
static u32 bne(u32 rs1, u32 rs2, i32 off)
{
    u32 o = (u32)off;
    return (o >> 12 & 1) << 31 | (o >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12 |
           (o >> 1 & 0xf) << 8 | (o >> 11 & 1) << 7 | 0x63;
}
static u32 xor_(u32 rd, u32 rs1, u32 rs2) { return rs2 << 20 | rs1 << 15 | 4 << 12 | rd << 7 | 0x33; }
static u32 lw(u32 rd, u32 rs1, i32 imm) { return enc_i(0x03, 2, rd, rs1, imm); }
static u32 beq(u32 rs1, u32 rs2, i32 off) { return bne(rs1, rs2, off) & ~(1u << 12); }
static const u32 FENCE_I = 0x0000100f;
/* compressed: c.li rd, imm6 ; c.addi rd, imm6 ; c.jr ra */
static uint16_t c_li(u32 rd, i32 imm)
{
    u32 i = (u32)imm & 0x3f;
    return (uint16_t)(2u << 13 | (i >> 5) << 12 | rd << 7 | (i & 0x1f) << 2 | 1);
}
static uint16_t c_addi(u32 rd, i32 imm)
{
    u32 i = (u32)imm & 0x3f;
    return (uint16_t)(0u << 13 | (i >> 5) << 12 | rd << 7 | (i & 0x1f) << 2 | 1);
}
static const uint16_t C_RET = 0x8082;

static inline void fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }

typedef u64 (*fn_t)(u64);

static void put32(unsigned char *p, u32 v) { memcpy(p, &v, 4); }
static void put16(unsigned char *p, uint16_t v) { memcpy(p, &v, 2); }

/* li a0, imm (lui + addi), ret */
static void emit_const(unsigned char *p, i32 v)
{
    i32 lo = (i32)((u32)v << 20) >> 20;
    u32 hi = (u32)(v - lo) >> 12;
    put32(p, lui(A0, hi));
    put32(p + 4, addi(A0, A0, lo));
    put32(p + 8, ret_insn());
}

static void rewrite_loop(unsigned char *page, const char *where)
{
    fn_t f = (fn_t)(void *)page;
    printf("-- %s --\n", where);
    /* 1: the same address returns a different constant each time */
    for (int k = 0; k < 6; k++) {
        emit_const(page, 1000 * k + 0x12345 * (k & 1) - 7);
        fence_i();
        u64 r = 0;
        for (int rep = 0; rep < 200; rep++) /* make it hot before the next rewrite */
            r = f(0);
        printf("const round %d: %" PRId64 "\n", k, (i64)r);
    }
    /* 2: patch one instruction in the middle of a straight-line block */
    for (int i = 0; i < 16; i++)
        put32(page + 4 * i, addi(A0, A0, 1));
    put32(page + 64, ret_insn());
    fence_i();
    u64 r1 = 0;
    for (int rep = 0; rep < 500; rep++)
        r1 = f(100);
    put32(page + 4 * 7, addi(A0, A0, 1000));
    fence_i();
    u64 r2 = f(100);
    put32(page + 4 * 15, add(A0, A0, A0));
    fence_i();
    u64 r3 = f(100);
    printf("patch middle: %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", r1, r2, r3);
    /* 3: replace 32-bit code with compressed code of a different length
     * at the same address, then back */
    put16(page, c_li(A0, -5));
    put16(page + 2, c_addi(A0, 12));
    put16(page + 4, c_addi(A0, 12));
    put16(page + 6, C_RET);
    fence_i();
    u64 c1 = f(0);
    emit_const(page, 31337);
    fence_i();
    u64 c2 = f(0);
    put16(page, c_li(A0, 9));
    put16(page + 2, C_RET);
    fence_i();
    u64 c3 = f(0);
    printf("compressed/32-bit swaps: %" PRId64 " %" PRId64 " %" PRId64 "\n", (i64)c1, (i64)c2, (i64)c3);
    /* 4: a hot loop whose body is rewritten between runs:
     *   a1 = a0; a0 = 0; loop: a0 += K; a1 -= 1; bnez a1, loop; ret */
    for (int k = 1; k <= 4; k++) {
        put32(page + 0, addi(A1, A0, 0));
        put32(page + 4, addi(A0, ZERO, 0));
        put32(page + 8, addi(A0, A0, k * 3));
        put32(page + 12, addi(A1, A1, -1));
        put32(page + 16, bne(A1, ZERO, -8));
        put32(page + 20, ret_insn());
        fence_i();
        printf("loop K=%d: %" PRIu64 "\n", k * 3, f(10000));
    }
    /* 5: code that patches its own next instruction, then fence.i:
     *   lui t0,hi(new); addi t0,t0,lo(new)   (t0 = encoding of addi a0,a0,77)
     *   auipc t1, 0 ; sw t0, 12(t1) ; fence.i ; [slot: addi a0,a0,1] ; ret */
    u32 newinsn = addi(A0, A0, 77);
    i32 lo = (i32)(newinsn << 20) >> 20;
    u32 hi = (newinsn - (u32)lo) >> 12;
    put32(page + 0, lui(T0, hi));
    put32(page + 4, addi(T0, T0, lo));
    put32(page + 8, 0x00000317); /* auipc t1, 0 */
    put32(page + 12, sw(T0, T1, 12));
    put32(page + 16, FENCE_I);
    put32(page + 20, addi(A0, A0, 1)); /* slot at auipc + 12 */
    put32(page + 24, ret_insn());
    fence_i();
    u64 s1 = f(0);
    u64 s2 = f(0);                         /* the slot now already holds +77 */
    put32(page + 20, addi(A0, A0, 1));     /* restore the slot from outside */
    fence_i();
    u64 s3 = f(1000);
    printf("self-patching: %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", s1, s2, s3);
}

static unsigned char static_code[3 * 4096] __attribute__((aligned(4096)));

int main(void)
{
    unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        printf("mmap RWX failed\n");
        return 1;
    }
    rewrite_loop(page, "mmap RWX page");
    munmap(page, 4096);

    /* a static buffer made executable with mprotect */
    unsigned char *sp = static_code + 4096;
    if (mprotect(sp, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        printf("mprotect failed\n");
        return 1;
    }
    rewrite_loop(sp, "mprotect RWX buffer");

    /* map code read+exec only after writing it (W^X style) */
    unsigned char *wx = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    emit_const(wx, -424242);
    mprotect(wx, 4096, PROT_READ | PROT_EXEC);
    fence_i();
    printf("W^X first: %" PRId64 "\n", (i64)((fn_t)(void *)wx)(0));
    mprotect(wx, 4096, PROT_READ | PROT_WRITE);
    emit_const(wx, 654321);
    mprotect(wx, 4096, PROT_READ | PROT_EXEC);
    fence_i();
    printf("W^X second: %" PRId64 "\n", (i64)((fn_t)(void *)wx)(0));
    munmap(wx, 4096);

    /* code reached through a direct jump (an emulator may decode across it): patch
       the jump's target, then the jump itself */
    unsigned char *jp = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    put32(jp + 0, 0x0100006f);            /* jal  zero, +16 */
    put32(jp + 4, 0x00700513);            /* addi a0, zero, 7 */
    put32(jp + 8, 0x00008067);            /* ret */
    put32(jp + 16, 0x00100513);           /* addi a0, zero, 1 */
    put32(jp + 20, 0x00008067);           /* ret */
    fence_i();
    i64 r1 = 0;
    for (int i = 0; i < 1000; i++)
        r1 += ((fn_t)(void *)jp)(0);
    put32(jp + 16, 0x00200513);           /* addi a0, zero, 2 */
    fence_i();
    i64 r2 = 0;
    for (int i = 0; i < 1000; i++)
        r2 += ((fn_t)(void *)jp)(0);
    put32(jp + 0, 0x00000013);            /* nop: fall into addi a0, zero, 7 */
    fence_i();
    i64 r3 = ((fn_t)(void *)jp)(0);
    printf("through a jump: %" PRId64 " %" PRId64 " %" PRId64 "\n", r1, r2, r3);
    munmap(jp, 4096);

    /* a loop whose block on one page stores into the code of the block it jumps to, on
       another page, with no fence.i (Linux and QEMU make the store visible at once):
       the storing block stays linked to the stale block, so every iteration's store must
       stop the chain. The jumps are indirect, so that no block is decoded across them.
       The slot alternates between +100 and +1. */
    unsigned char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *slot = two + 4096;
    enum { A3 = 13, A4 = 14 };
    put32(two + 0, addi(A3, ZERO, 0));        /* acc = 0 */
    put32(two + 4, lw(T0, A1, 0));            /* t0 = the slot's instruction */
    put32(two + 8, 0x00000717);               /* auipc a4, 0 */
    put32(two + 12, addi(A4, A4, 8));         /* a4 = the loop */
    put32(two + 16, xor_(T0, T0, A2));        /* loop: the other instruction */
    put32(two + 20, sw(T0, A1, 0));           /* patch the slot */
    put32(two + 24, enc_i(0x67, 0, ZERO, A1, 0));   /* jr a1: to the slot */
    put32(slot + 0, addi(A3, A3, 1));         /* the slot */
    put32(slot + 4, addi(A0, A0, -1));
    put32(slot + 8, beq(A0, ZERO, 8));
    put32(slot + 12, enc_i(0x67, 0, ZERO, A4, 0));  /* jr a4: to the loop */
    put32(slot + 16, addi(A0, A3, 0));
    put32(slot + 20, ret_insn());
    fence_i();
    u64 (*g)(u64, u64, u64) = (u64(*)(u64, u64, u64))(void *)two;
    u64 flip = addi(A3, A3, 1) ^ addi(A3, A3, 100);
    u64 q1 = g(1000, (u64)(uintptr_t)slot, flip);
    u64 q2 = g(1001, (u64)(uintptr_t)slot, flip);   /* one +100 more */
    printf("stores into a linked block: %" PRIu64 " %" PRIu64 "\n", q1, q2);
    munmap(two, 8192);
    return 0;
}
