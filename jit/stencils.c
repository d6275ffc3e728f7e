/*
** stencils.c — the baseline tier's instruction templates (copy-and-patch).
**
** Compiled by clang at build time, never linked: jit/stencil-extract.c takes each
** stencil_* function's machine code and relocations out of the object file, and the
** baseline tier copies them one after another and patches the holes. The bodies are the
** interpreter's generated handlers (GEN_INTERP_INC) with the effect macros defined again:
**   - decoded slots become references to hole symbols (jit_hole_*), patched per copy;
**   - `vmnext` is a tail call to jit_continue, which becomes the next stencil: the
**     trailing jump is dropped and execution falls through;
**   - `vmend` tail-calls jit_exit_next, jit_exit_taken (a jump to PC + imm) or, for a
**     computed target, jit_exit_lookup; the tier points these at exit stubs, at the
**     successor's code once it is compiled, or at the lookup stencil;
**   - every trap (a bad address, an illegal CSR or rounding mode, ecall) tail-calls
**     jit_side_exit, patched to a stub that leaves to the interpreter at that instruction:
**     it executes it again and traps exactly as it always does. Built with -Os, clang
**     turns many such tests, and branches, into conditional tail calls (jcc to a hole):
**     one jump where -O2 makes two (measured: -Os is 0-20% faster per benchmark).
** All stencils share one signature, so the arguments stay in rdi, rsi, rdx across tail
** calls: cpu, the guest memory base, and its size.
*/
#include <string.h>

#include "interp.h"
#include "sem-ops.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define STENCIL_ARGS InterpCpu *cpu, uint8_t *mbase, uint64_t msize
typedef uintptr_t Stencil(STENCIL_ARGS);
#define TAIL(fn) __attribute__((musttail)) return (fn)(cpu, mbase, msize)

/* Holes. The code model is small, so a symbol's address is a 32-bit immediate or
   displacement; 64-bit values are loaded by movabs, which only inline assembly asks for. */
extern Stencil jit_continue, jit_exit_next, jit_exit_taken, jit_exit_lookup, jit_exit_pending, jit_side_exit,
    jit_exit_hot;
extern char jit_hole_reg0[], jit_hole_reg1[], jit_hole_reg2[], jit_hole_reg3[], jit_hole_reg4[],
    jit_hole_reg5[];                                  /* byte offset of the slot's register */
extern char jit_hole_b0[], jit_hole_b1[], jit_hole_b2[], jit_hole_b3[], jit_hole_b4[],
    jit_hole_b5[];                                    /* the slot's value, 0..255 */
#define HOLE64(name) ({ uint64_t h_; __asm__("movabsq $" #name ", %0" : "=r"(h_)); h_; })

#define vmcase(op) uintptr_t stencil_##op(STENCIL_ARGS)
#define vmnext TAIL(jit_continue)
#define vmend(target) do {                                                     \
        if (jumped == 0) TAIL(jit_exit_next);                                 \
        if (jumped == 1) TAIL(jit_exit_taken);                                \
        cpu->pc = (target);                                                    \
        TAIL(jit_exit_lookup);                                                 \
    } while (0)

#define HELPER_CPU cpu
#define SLOT_B(i) ((uint8_t)(uintptr_t)jit_hole_b##i)
#define SLOT_IMM() ((int64_t)HOLE64(jit_hole_imm))
#define SLOT_IMM2() ((int32_t)HOLE64(jit_hole_imm2))
/* REG_R(x, SLOT_B(1)) pastes to JIT_REG_SLOT_B(1): the register's offset is the hole */
#define JIT_REG_SLOT_B(i) ((uintptr_t)jit_hole_reg##i)
#define REG_R(file, i) (*(uint64_t *)((char *)cpu->file + JIT_REG_##i))
#define REG_W(file, i, v) (*(uint64_t *)((char *)cpu->file + JIT_REG_##i) = (v))
#define REG_W_NZ(file, i, v) do {                                              \
        uint64_t v_ = (v);                                                     \
        if (i) *(uint64_t *)((char *)cpu->file + JIT_REG_##i) = v_;            \
    } while (0)
#define STATE(name) (cpu->name)
#define INSN_PC HOLE64(jit_hole_pc)
#define INSN_NPC HOLE64(jit_hole_npc)
#define JUMP(target) (next_pc = (target), jumped = 2)
#define JUMP_REL(target) (next_pc = (target), jumped = 1)

#define TRAP() TAIL(jit_side_exit)
/* nothing: a host fault's instruction is found from the host pc (jit_baseline_insn_at) */
#define SYNC_PC() ((void)0)

/* memory and CSRs are sem-ops.h's effects; every way out of them is a trap */
#define MEM_FAULT(kind, addr) TRAP()
#define ECALL() TRAP()
#define EBREAK() TRAP()
#define ILLEGAL() TRAP()

/* The FP helpers with a host shortcut (interp/host-fp.h) run it inline; the helper itself
   is called only when it does not apply, through tier1-call.S, which keeps rdi, rsi, rdx
   and r10: so these stencils need no frame, and their hot path no call. fma, whose
   shortcut calls libm, is always such a call. */
#define HOST_FP_SLOW(W, op, cpu_, a, b, rm) call_helper2(HOLE64(helper_f##W##_##op), cpu_, a, b, rm)
#include "host-fp.h"
#define CALL_CLOBBERS "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", \
    "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
static inline __attribute__((always_inline)) uint64_t call_helper2(uint64_t fn, InterpCpu *cpu, uint64_t a,
                                                                   uint64_t b, uint8_t rm)
{
    register uint64_t r8 __asm__("r8") = a, r9 __asm__("r9") = b, r11 __asm__("r11") = fn;
    uint64_t rcx = rm, ret;
    __asm__ volatile("call tiercel_tier1_call2"
                     : "=a"(ret), "+r"(r8), "+r"(r9), "+r"(r11), "+c"(rcx)
                     : "D"(cpu)
                     : CALL_CLOBBERS);
    return ret;
}
static inline __attribute__((always_inline)) uint64_t call_helper3(uint64_t fn, InterpCpu *cpu, uint64_t a,
                                                                   uint64_t b, uint64_t c, uint8_t rm)
{
    register uint64_t r8 __asm__("r8") = a, r9 __asm__("r9") = b, r10 __asm__("r10") = c,
        r11 __asm__("r11") = fn;
    uint64_t rcx = rm, ret;
    __asm__ volatile("call tiercel_tier1_call3"
                     : "=a"(ret), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11), "+c"(rcx)
                     : "D"(cpu)
                     : CALL_CLOBBERS);
    return ret;
}
#define helper_f32_fma(cpu_, a, b, c, rm) ((uint32_t)call_helper3(HOLE64(helper_f32_fma), cpu_, a, b, c, rm))
#define helper_f64_fma(cpu_, a, b, c, rm) call_helper3(HOLE64(helper_f64_fma), cpu_, a, b, c, rm)

#include GEN_INTERP_INC

/* ---- the block decoder's pseudo-instructions (OP_INLINED_JUMP has no code) */

vmcase(OP_BLOCK_FALLTHROUGH) { TAIL(jit_exit_next); }
vmcase(OP_UNDECODABLE) { TRAP(); }   /* the interpreter reports it */
vmcase(OP_FETCH_FAULT) { TRAP(); }

/* ---- variants: the handlers again with an immediate of 0 (loads and stores at offset
   0, mv, sext.w): the tier takes one where an instruction's immediate is 0 and it is
   shorter */
#pragma push_macro("vmcase")
#pragma push_macro("SLOT_IMM")
#undef vmcase
#define vmcase(op) uintptr_t stencil_IMM0_##op(STENCIL_ARGS)
#undef SLOT_IMM
#define SLOT_IMM() ((int64_t)0)
#include GEN_INTERP_INC
#pragma pop_macro("SLOT_IMM")
#pragma pop_macro("vmcase")

/* ---- and with the immediate in a 32-bit field of the instruction that uses it (the
   code model is small, so clang folds a symbol's address into a displacement or a
   compare): the op's own stencil loads it with a 10-byte movabs. Each operand register
   passes an empty asm, so that clang loads it first (`mov slot,%rax; lea imm(%rax),%rax`,
   not `movabs; add slot,%rax`): a stencil that starts by loading a register the one
   before it has just stored lets the tier make that load a move (baseline.c,
   forwarding). The tier takes a variant only for a nonzero immediate (a symbol's
   address is never 0 to clang) that each of its 32-bit fields holds: sign-extended
   (R_X86_64_32S) or zero-extended (R_X86_64_32), as the relocation says. */
#pragma push_macro("vmcase")
#pragma push_macro("SLOT_IMM")
#pragma push_macro("REG_R")
#undef vmcase
#define vmcase(op) uintptr_t stencil_IMM32_##op(STENCIL_ARGS)
extern char jit_hole_imm[];
#undef SLOT_IMM
#define SLOT_IMM() ((int64_t)(intptr_t)jit_hole_imm)
#undef REG_R
#define REG_R(file, i) ({                                                      \
        uint64_t r_ = *(uint64_t *)((char *)cpu->file + JIT_REG_##i);          \
        __asm__("" : "+r"(r_));                                                \
        r_;                                                                    \
    })
#include GEN_INTERP_INC
#pragma pop_macro("REG_R")
#pragma pop_macro("SLOT_IMM")
#pragma pop_macro("vmcase")

/* ---- block plumbing */

/* Chained entry: leave to the loop (through a stub) if it has something to do. */
uintptr_t stencil_check_pending(STENCIL_ARGS)
{
    if (unlikely(cpu->pending))
        TAIL(jit_exit_pending);
    TAIL(jit_continue);
}

/* Counts the run; the run that reaches the tier-2 threshold leaves to the loop instead
   (once), which counts it like any other. */
extern char jit_hole_hot[];
uintptr_t stencil_count_run(STENCIL_ARGS)
{
    uint64_t *runs = (uint64_t *)HOLE64(jit_hole_runs);
    uint64_t n = *runs + 1;
    if (n != (uintptr_t)jit_hole_hot) {
        *runs = n;
        TAIL(jit_continue);
    }
    TAIL(jit_exit_hot);
}

/* An exit not linked yet: back to the loop, which may link it (the site is the cookie). */
uintptr_t stencil_exit(STENCIL_ARGS)
{
    cpu->pc = HOLE64(jit_hole_pc);
    return (uintptr_t)HOLE64(jit_hole_site);
}

/* Counts the run, where no tier 2 waits for it (--tier=baseline). */
uintptr_t stencil_count_run_only(STENCIL_ARGS)
{
    ++*(uint64_t *)HOLE64(jit_hole_runs);
    TAIL(jit_continue);
}

/* Leaves to the interpreter at an instruction that traps (see TRAP). */
uintptr_t stencil_side_exit(STENCIL_ARGS)
{
    return interp_side_exit(cpu, (const InterpBlock *)HOLE64(jit_hole_block),
                            (const InterpInsn *)HOLE64(jit_hole_insn));
}

/* A computed target (cpu->pc): compiled code found through the loop's jump cache. */
uintptr_t stencil_lookup(STENCIL_ARGS)
{
    uint64_t pc = cpu->pc;
    InterpBlock *const *jc = (InterpBlock *const *)HOLE64(jit_hole_jump_cache);
    const InterpBlock *n = jc[interp_jc_index(pc)];
    if (n && n->pc == pc && n->tier_chain) {
        Stencil *code = (Stencil *)n->tier_chain;
        TAIL(code);
    }
    return 0;
}
