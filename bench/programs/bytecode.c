/* bytecode: a tiny stack-machine interpreter.
 *
 * A small assembler (with forward-label patching) builds a bytecode program
 * that counts primes below a bound by trial division and then runs a
 * Fibonacci-mod-2^64 loop mixing the values into an accumulator.  The
 * interpreter is a classic fetch/decode/switch loop over 64-bit unsigned
 * stack values with 16 local registers.  The results are cross-checked
 * against the same computation done directly in C.
 *
 * argv[1]: number of rounds; round r uses bound 20000 + 7r.
 */
#include "bench_common.h"
#include <string.h>

enum op {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_POP, OP_DUP, OP_SWAP,
    OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_MODU, OP_AND, OP_XOR, OP_SHL, OP_SHR,
    OP_LTU, OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_INC,
};

#define MAX_CODE 256
#define MAX_LABELS 16
#define STACK_SIZE 64
#define N_REGS 16

struct prog {
    int64_t code[MAX_CODE];
    int len;
    int label_at[MAX_LABELS];           /* -1: not yet placed */
    int fixup_pos[MAX_LABELS * 4], fixup_label[MAX_LABELS * 4], n_fixups;
};

static void emit_word(struct prog *p, int64_t w)
{
    if (p->len >= MAX_CODE) { fputs("bytecode: program too long\n", stderr); exit(1); }
    p->code[p->len++] = w;
}
static void emit(struct prog *p, enum op op) { emit_word(p, op); }
static void emit1(struct prog *p, enum op op, int64_t arg)
{
    emit_word(p, op);
    emit_word(p, arg);
}
static void emit_jump(struct prog *p, enum op op, int label)
{
    emit1(p, op, -1);
    p->fixup_pos[p->n_fixups] = p->len - 1;
    p->fixup_label[p->n_fixups++] = label;
}
static void place(struct prog *p, int label) { p->label_at[label] = p->len; }
static void link_prog(struct prog *p)
{
    for (int i = 0; i < p->n_fixups; i++)
        p->code[p->fixup_pos[i]] = p->label_at[p->fixup_label[i]];
}

/* registers: r0 bound, r1 n, r2 count, r3 d, r4 a, r5 b, r6 i, r7 acc, r8 fib steps */
static void build(struct prog *p)
{
    enum { L_OUTER, L_INNER, L_PRIME, L_NEXT, L_PDONE, L_FIB, L_END };
    memset(p, 0, sizeof *p);
    for (int i = 0; i < MAX_LABELS; i++) p->label_at[i] = -1;

    emit1(p, OP_PUSH, 2);  emit1(p, OP_STORE, 1);
    emit1(p, OP_PUSH, 0);  emit1(p, OP_STORE, 2);
    place(p, L_OUTER);
    emit1(p, OP_LOAD, 1);  emit1(p, OP_LOAD, 0);  emit(p, OP_LTU);
    emit_jump(p, OP_JZ, L_PDONE);
    emit1(p, OP_PUSH, 2);  emit1(p, OP_STORE, 3);
    place(p, L_INNER);
    /* if n < d*d -> prime */
    emit1(p, OP_LOAD, 1);  emit1(p, OP_LOAD, 3);  emit(p, OP_DUP);  emit(p, OP_MUL);
    emit(p, OP_LTU);       emit_jump(p, OP_JNZ, L_PRIME);
    /* if n % d == 0 -> composite */
    emit1(p, OP_LOAD, 1);  emit1(p, OP_LOAD, 3);  emit(p, OP_MODU);
    emit_jump(p, OP_JZ, L_NEXT);
    emit1(p, OP_INC, 3);
    emit_jump(p, OP_JMP, L_INNER);
    place(p, L_PRIME);
    emit1(p, OP_INC, 2);
    place(p, L_NEXT);
    emit1(p, OP_INC, 1);
    emit_jump(p, OP_JMP, L_OUTER);
    place(p, L_PDONE);

    /* a = 0, b = 1, i = 0, acc = count */
    emit1(p, OP_PUSH, 0);  emit1(p, OP_STORE, 4);
    emit1(p, OP_PUSH, 1);  emit1(p, OP_STORE, 5);
    emit1(p, OP_PUSH, 0);  emit1(p, OP_STORE, 6);
    emit1(p, OP_LOAD, 2);  emit1(p, OP_STORE, 7);
    place(p, L_FIB);
    emit1(p, OP_LOAD, 6);  emit1(p, OP_LOAD, 8);  emit(p, OP_LTU);
    emit_jump(p, OP_JZ, L_END);
    /* t = a + b; a = b; b = t */
    emit1(p, OP_LOAD, 4);  emit1(p, OP_LOAD, 5);  emit(p, OP_DUP);
    emit1(p, OP_STORE, 4); emit(p, OP_ADD);       emit(p, OP_DUP);
    emit1(p, OP_STORE, 5);
    /* acc = ((acc << 5) ^ (acc >> 3) ^ (t * i)) */
    emit1(p, OP_LOAD, 6);  emit(p, OP_MUL);
    emit1(p, OP_LOAD, 7);  emit1(p, OP_PUSH, 5);  emit(p, OP_SHL);  emit(p, OP_XOR);
    emit1(p, OP_LOAD, 7);  emit1(p, OP_PUSH, 3);  emit(p, OP_SHR);  emit(p, OP_XOR);
    emit1(p, OP_STORE, 7);
    emit1(p, OP_INC, 6);
    emit_jump(p, OP_JMP, L_FIB);
    place(p, L_END);
    emit(p, OP_HALT);
    link_prog(p);
}

static uint64_t run(const int64_t *code, uint64_t *regs, uint64_t *executed)
{
    uint64_t stack[STACK_SIZE];
    int sp = 0;                 /* number of elements on the stack */
    int64_t pc = 0;
    uint64_t n_ops = 0, a, b;

#define NEED(k) do { if (sp < (k)) goto underflow; } while (0)
#define ROOM()  do { if (sp >= STACK_SIZE) goto overflow; } while (0)
    for (;;) {
        n_ops++;
        switch ((enum op)code[pc++]) {
        case OP_HALT:  *executed = n_ops; return sp ? stack[sp - 1] : 0;
        case OP_PUSH:  ROOM(); stack[sp++] = (uint64_t)code[pc++]; break;
        case OP_LOAD:  ROOM(); stack[sp++] = regs[code[pc++] & (N_REGS - 1)]; break;
        case OP_STORE: NEED(1); regs[code[pc++] & (N_REGS - 1)] = stack[--sp]; break;
        case OP_POP:   NEED(1); sp--; break;
        case OP_DUP:   NEED(1); ROOM(); stack[sp] = stack[sp - 1]; sp++; break;
        case OP_SWAP:  NEED(2); a = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = a; break;
        case OP_ADD:   NEED(2); b = stack[--sp]; stack[sp - 1] += b; break;
        case OP_SUB:   NEED(2); b = stack[--sp]; stack[sp - 1] -= b; break;
        case OP_MUL:   NEED(2); b = stack[--sp]; stack[sp - 1] *= b; break;
        case OP_DIVU:  NEED(2); b = stack[--sp]; stack[sp - 1] = b ? stack[sp - 1] / b : 0; break;
        case OP_MODU:  NEED(2); b = stack[--sp]; stack[sp - 1] = b ? stack[sp - 1] % b : 0; break;
        case OP_AND:   NEED(2); b = stack[--sp]; stack[sp - 1] &= b; break;
        case OP_XOR:   NEED(2); b = stack[--sp]; stack[sp - 1] ^= b; break;
        case OP_SHL:   NEED(2); b = stack[--sp]; stack[sp - 1] <<= (b & 63u); break;
        case OP_SHR:   NEED(2); b = stack[--sp]; stack[sp - 1] >>= (b & 63u); break;
        case OP_LTU:   NEED(2); b = stack[--sp]; stack[sp - 1] = stack[sp - 1] < b; break;
        case OP_EQ:    NEED(2); b = stack[--sp]; stack[sp - 1] = stack[sp - 1] == b; break;
        case OP_JMP:   pc = code[pc]; break;
        case OP_JZ:    NEED(1); pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case OP_JNZ:   NEED(1); pc = stack[--sp] ? code[pc] : pc + 1; break;
        case OP_INC:   regs[code[pc++] & (N_REGS - 1)]++; break;
        default:
            fprintf(stderr, "bytecode: bad opcode %" PRId64 " at %" PRId64 "\n",
                    code[pc - 1], pc - 1);
            exit(1);
        }
    }
underflow:
    fprintf(stderr, "bytecode: stack underflow at pc %" PRId64 "\n", pc - 1);
    exit(1);
overflow:
    fprintf(stderr, "bytecode: stack overflow at pc %" PRId64 "\n", pc - 1);
    exit(1);
#undef NEED
#undef ROOM
}

/* The same computation in plain C, used to validate the interpreter. */
static void reference(uint64_t bound, uint64_t fib_steps, uint64_t *count_out, uint64_t *acc_out)
{
    uint64_t count = 0;
    for (uint64_t n = 2; n < bound; n++) {
        uint64_t d = 2;
        for (;;) {
            if (n < d * d) { count++; break; }
            if (n % d == 0) break;
            d++;
        }
    }
    uint64_t a = 0, b = 1, acc = count;
    for (uint64_t i = 0; i < fib_steps; i++) {
        uint64_t t = a + b;
        a = b;
        b = t;
        acc = (t * i) ^ (acc << 5) ^ (acc >> 3);
    }
    *count_out = count;
    *acc_out = acc;
}

int main(int argc, char **argv)
{
    long rounds = bench_size(argc, argv, 13, 1000000);
    static struct prog prog;
    build(&prog);

    uint64_t checksum = 0, total_ops = 0;
    for (long r = 0; r < rounds; r++) {
        uint64_t regs[N_REGS] = {0};
        regs[0] = 20000u + 7u * (uint64_t)r;   /* prime bound */
        regs[8] = 300000u + (uint64_t)r;       /* fibonacci steps */
        uint64_t ops = 0;
        run(prog.code, regs, &ops);
        total_ops += ops;

        if (r == 0) {
            uint64_t rc, ra;
            reference(regs[0], regs[8], &rc, &ra);
            if (rc != regs[2] || ra != regs[7]) {
                fprintf(stderr, "bytecode: interpreter disagrees with reference\n");
                return 1;
            }
        }
        checksum = bench_mix(checksum, regs[2]);
        checksum = bench_mix(checksum, regs[7]);
    }
    checksum = bench_mix(checksum, total_ops);

    bench_report("bytecode", rounds, checksum);
    return 0;
}
