/*
** lift-bodies.c — the LLVM tier's instruction semantics: the interpreter's generated
** handlers (GEN_INTERP_INC) compiled by clang to LLVM bitcode at build time, one
** function per instruction, with the decoded slots as arguments. jit/llvm-tier.c builds
** a region by calling these with constant slots and lets LLVM's O2 inline them: the
** constants fold, and guest registers (cpu is noalias) live in SSA values across the
** region and its loops. No instruction's meaning is written here.
**
** Each lift_OP returns 0 to continue, 1 when the instruction traps (the region leaves
** to the interpreter there), and for block-ending instructions the next pc (always even).
*/
#include <string.h>

#include "interp.h"
#include "mem.h"

#define LIFT_ARGS InterpCpu *restrict cpu, uint8_t *restrict mbase, uint64_t msize,                   \
    uint8_t s_b0, uint8_t s_b1, uint8_t s_b2, uint8_t s_b3, uint8_t s_b4, uint8_t s_b5,                \
    int64_t s_imm, int32_t s_imm2, uint64_t s_pc, uint64_t s_npc

#define vmcase(op) uint64_t lift_##op(LIFT_ARGS)
#define vmnext return 0
#define vmend(target) return (target)

#define HELPER_CPU cpu
#define SLOT_B(i) (s_b##i)
#define SLOT_IMM() (s_imm)
#define SLOT_IMM2() (s_imm2)
#define REG_R(file, i) (cpu->file[i])
/* Writes aimed at x0 go to x[32] (the decoder's sink), which nothing reads: here, where
   the slot is a constant, the store folds away (the value is still computed, for its
   effects). LLVM could not drop it later: cpu is read after a region returns, and a jump
   that links to x0 stored its return address there on every dispatch of bytecode's loop. */
#define X_SINK (&cpu->x[sizeof cpu->x / sizeof cpu->x[0] - 1])
#define REG_W(file, i, v) do {                                                 \
        uint64_t v_ = (v);                                                     \
        if ((void *)&cpu->file[i] != (void *)X_SINK)                           \
            cpu->file[i] = v_;                                                 \
    } while (0)
#define REG_W_NZ(file, i, v) do { unsigned r_ = (i); uint64_t v_ = (v); if (r_) cpu->file[r_] = v_; } while (0)
#define STATE(name) (cpu->name)
#define INSN_PC (s_pc)
#define INSN_NPC (s_npc)
#define JUMP(target) (next_pc = (target), jumped = 2)
#define JUMP_REL(target) (next_pc = (target), jumped = 1)
/* No host faults here: every access first checks the page's rights (mem.h), one byte
   per page in a table bound to the symbol tiercel_rights (llvm-tier.c), and a refused
   access leaves to the interpreter, which repeats it and takes the fault, or the watched
   store, itself. So nothing marks the accesses (SYNC_PC), and LLVM may keep guest
   registers in values and store them on the ways out only. */
extern const uint8_t tiercel_rights[];
#define MEM_ACCESS_OK(a, bytes, need) ((a) < msize && mem_rights_allow(tiercel_rights, (a), (bytes), (need)))
#define SYNC_PC() ((void)0)
#include "sem-ops.h"
#define TRAP() return 1

/* memory and CSRs are sem-ops.h's effects; every way out of them is a trap */
#define MEM_FAULT(kind, addr) TRAP()
#define ECALL() TRAP()
#define EBREAK() TRAP()
#define ILLEGAL() TRAP()

#include GEN_INTERP_INC
