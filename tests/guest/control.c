/* Control flow: every conditional branch both ways (forward and backward) on
 * signed edge values, jal/jalr with link registers (including an odd jalr
 * target whose low bit is cleared and rd == rs1), a computed-goto table, a
 * dense switch (jump table), indirect calls, recursion, setjmp/longjmp. */
#include "guest.h"
#include <setjmp.h>

static const u64 vals[] = {
    0, 1, 0xffffffffffffffffull, 0x7fffffffffffffffull, 0x8000000000000000ull,
    0x0000000080000000ull, 0xffffffff80000000ull, 0x0000000100000000ull,
};

/* 1 if the branch is taken (forward target) */
#define BR_FWD(op, a, b)                                                    \
    ({                                                                      \
        u64 t_;                                                             \
        __asm__ volatile(op " %1, %2, 1f\n"                                 \
                         "li %0, 0\n"                                       \
                         "j 2f\n"                                           \
                         "1: li %0, 1\n"                                    \
                         "2:\n"                                             \
                         : "=&r"(t_) : "r"((u64)(a)), "r"((u64)(b)));       \
        t_;                                                                 \
    })
/* same with a backward target */
#define BR_BACK(op, a, b)                                                   \
    ({                                                                      \
        u64 t_;                                                             \
        __asm__ volatile("j 2f\n"                                           \
                         "1: li %0, 1\n"                                    \
                         "j 3f\n"                                           \
                         "2: " op " %1, %2, 1b\n"                           \
                         "li %0, 0\n"                                       \
                         "3:\n"                                             \
                         : "=&r"(t_) : "r"((u64)(a)), "r"((u64)(b)));       \
        t_;                                                                 \
    })

static void branches(void)
{
    printf("== branches (T = taken) fwd/back ==\n");
#define ONE(op)                                                                  \
    for (unsigned i = 0; i < ARRAY_LEN(vals); i++) {                             \
        printf("%-5s %016" PRIx64 ":", op, vals[i]);                             \
        for (unsigned j = 0; j < ARRAY_LEN(vals); j++) {                         \
            u64 f = BR_FWD(op, vals[i], vals[j]), b = BR_BACK(op, vals[i], vals[j]); \
            printf(" %c%c", f ? 'T' : '.', b ? 'T' : '.');                      \
        }                                                                        \
        printf("\n");                                                            \
    }
    ONE("beq") ONE("bne") ONE("blt") ONE("bge") ONE("bltu") ONE("bgeu")
#undef ONE
    /* pseudo branches with x0 */
    u64 r;
    __asm__ volatile("li %0, 0\n beqz zero, 1f\n li %0, 9\n1: bnez zero, 2f\n addi %0, %0, 1\n2:" : "=&r"(r));
    printf("beqz/bnez x0: %" PRIu64 "\n", r);
    __asm__ volatile("li %0, 0\n blt zero, zero, 1f\n addi %0, %0, 1\n1: bge zero, zero, 2f\n addi %0, %0, 2\n2:" : "=&r"(r));
    printf("blt/bge x0,x0: %" PRIu64 "\n", r);
}

static void jumps(void)
{
    u64 a, b;
    printf("== jal / jalr ==\n");
    /* jal: link = address of the next instruction */
    __asm__ volatile(".option push\n .option norvc\n"
                     "jal t0, 1f\n"
                     "2: nop\n"
                     "1: lla t1, 2b\n"
                     "sub %0, t0, t1\n"
                     ".option pop\n"
                     : "=r"(a) : : "t0", "t1");
    printf("jal link - next: %" PRId64 "\n", (i64)a);
    /* jal backward */
    __asm__ volatile(".option push\n .option norvc\n"
                     "li %0, 0\n"
                     "j 2f\n"
                     "1: addi %0, %0, 5\n"
                     "j 3f\n"
                     "2: jal t0, 1b\n"
                     "3: lla t1, 2b\n"
                     "sub %1, t0, t1\n"
                     ".option pop\n"
                     : "=&r"(a), "=r"(b) : : "t0", "t1");
    printf("jal backward: %" PRIu64 ", link - self: %" PRId64 "\n", a, (i64)b);
    /* jalr with offset and an odd target: the low bit is cleared */
    __asm__ volatile(".option push\n .option norvc\n"
                     "li %0, 0\n"
                     "lla t0, 1f\n"
                     "addi t0, t0, -3\n"
                     "jalr t1, 4(t0)\n"   /* target = (1f + 1) & ~1 = 1f */
                     "2: li %0, 99\n"
                     "1: addi %0, %0, 1\n"
                     "lla t2, 2b\n"
                     "sub %1, t1, t2\n"
                     ".option pop\n"
                     : "=&r"(a), "=r"(b) : : "t0", "t1", "t2");
    printf("jalr odd target: a=%" PRIu64 " link - next: %" PRId64 "\n", a, (i64)b);
    /* jalr with rd == rs1: the target uses the old value */
    __asm__ volatile(".option push\n .option norvc\n"
                     "lla t0, 1f\n"
                     "jalr t0, 0(t0)\n"
                     "2: j 3f\n"
                     "1: lla t1, 2b\n"
                     "sub %0, t0, t1\n"
                     "3:\n"
                     ".option pop\n"
                     : "=r"(a) : : "t0", "t1");
    printf("jalr rd==rs1: link - next: %" PRId64 "\n", (i64)a);
    /* jalr negative offset, link to x0 */
    __asm__ volatile(".option push\n .option norvc\n"
                     "li %0, 0\n"
                     "lla t0, 1f\n"
                     "addi t0, t0, 2040\n"
                     "jalr x0, -2040(t0)\n"
                     "li %0, 77\n"
                     "1: addi %0, %0, 3\n"
                     ".option pop\n"
                     : "=&r"(a) : : "t0");
    printf("jalr x0 negative offset: %" PRIu64 "\n", a);
}

/* computed goto: a tiny bytecode interpreter */
static i64 run_bytecode(const unsigned char *code, i64 acc)
{
    static void *const table[] = {&&op_halt, &&op_inc, &&op_dbl, &&op_neg, &&op_jnz2};
    unsigned pc = 0;
    i64 cnt = 3;
#define NEXT goto *table[code[pc++]]
    NEXT;
op_inc:
    acc += 1;
    NEXT;
op_dbl:
    acc *= 2;
    NEXT;
op_neg:
    acc = -acc;
    NEXT;
op_jnz2: /* loop back two ops while cnt-- > 0 */
    if (--cnt > 0)
        pc -= 3;
    NEXT;
op_halt:
    return acc;
#undef NEXT
}

static volatile u64 sink;
static __attribute__((noinline)) u64 classify(int x, u64 y)
{
    switch (x) { /* dense, irregular bodies: compiled to a jump table */
    case 0: return y * 7 + 3;
    case 1: return y ^ 0x5555;
    case 2: return y << 9;
    case 3: sink = y; return y / 3;
    case 4: return ~y;
    case 5: return y * y;
    case 6: return (y >> 3) | 1;
    case 7: return y - 1000;
    case 8: return y % 10;
    case 9: sink = ~y; return y & 0xf0f0;
    case 10: return y + (y << 32);
    case 11: return (u64)(i64)(int)y;
    default: return 0xdeadull;
    }
}

static __attribute__((noinline)) u64 fib(u64 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static __attribute__((noinline)) u64 ack(u64 m, u64 n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}
static int is_odd(unsigned n);
static __attribute__((noinline)) int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static __attribute__((noinline)) int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static __attribute__((noinline)) u64 deep(u64 n)
{
    volatile u64 pad[4] = {n, n, n, n}; /* real stack frames */
    return n == 0 ? 0 : pad[2] + deep(n - 1);
}

static u64 f_add(u64 a, u64 b) { return a + b; }
static u64 f_sub(u64 a, u64 b) { return a - b; }
static u64 f_mul(u64 a, u64 b) { return a * b; }
static u64 f_xor(u64 a, u64 b) { return a ^ b; }

static jmp_buf jb;
static volatile int throw_depth;
static __attribute__((noinline)) void thrower(int depth)
{
    throw_depth = depth;
    if (depth < 0)
        return;
    if (depth == 0)
        longjmp(jb, 42);
    thrower(depth - 1);
    throw_depth++;
}

/* rdinstret in a hot loop: every iteration retires the same instructions, so the
   counter steps by the same amount each time, in every tier (tier 2 once read it stale:
   it adds up its instructions in a register until it leaves the region). The loop has
   one path; the last steps are compared after it. */
static u64 instret_step[1024];
static void instret_steps(void)
{
    u64 prev, now;
    __asm__ volatile("rdinstret %0" : "=r"(prev));
    for (int i = 0; i < 2000000; i++) {
        __asm__ volatile("rdinstret %0" : "=r"(now));
        instret_step[i & 1023] = now - prev;
        prev = now;
    }
    unsigned varied = 0;
    for (int i = 1; i < 1024; i++)
        varied += instret_step[i] != instret_step[0];
    /* an iteration is at least the read, the store and the branch */
    printf("instret: %s\n", varied ? "steps varied" : instret_step[0] < 3 ? "too small a step"
                                                    : "the same step every iteration");
}

int main(void)
{
    branches();
    jumps();

    printf("== computed goto ==\n");
    static const unsigned char prog1[] = {1, 2, 2, 3, 0};           /* ((x+1)*2*2)*-1 */
    static const unsigned char prog2[] = {1, 2, 4, 3, 0};           /* loop (x+1)*2 three times */
    printf("prog1(5) = %" PRId64 "\n", run_bytecode(prog1, 5));
    printf("prog2(1) = %" PRId64 "\n", run_bytecode(prog2, 1));

    printf("== switch table ==\n");
    for (int i = -2; i < 14; i++)
        printf("classify(%d) = %016" PRIx64 "\n", i, classify(i, 0x123456789ull + (u64)i));

    printf("== indirect calls ==\n");
    u64 (*volatile fns[4])(u64, u64) = {f_add, f_sub, f_mul, f_xor};
    u64 acc = 7;
    for (int i = 0; i < 40; i++)
        acc = fns[i & 3](acc, (u64)i * 0x9e3779b97f4a7c15ull);
    printf("acc = %016" PRIx64 "\n", acc);

    printf("== recursion ==\n");
    printf("fib(24) = %" PRIu64 "\n", fib(24));
    printf("ack(2,3) = %" PRIu64 " ack(3,3) = %" PRIu64 "\n", ack(2, 3), ack(3, 3));
    printf("is_even(1001) = %d is_odd(777) = %d\n", is_even(1001), is_odd(777));
    printf("deep(20000) = %" PRIu64 "\n", deep(20000));

    printf("== setjmp/longjmp ==\n");
    volatile int passes = 0;
    int v = setjmp(jb);
    passes++;
    if (v == 0)
        thrower(50);
    printf("setjmp returned %d after %d passes\n", v, passes);
    instret_steps();
    return 0;
}
