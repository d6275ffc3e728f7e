/*
** interp-internal.h — what interp/'s files share: the decoded instruction, blocks,
** the block cache. Not for use outside interp/ (jit/ will plug in through hooks).
*/
#ifndef interp_internal_h
#define interp_internal_h

#include <setjmp.h>
#include <stdint.h>

#include "interp.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* One decoded instruction; gen's decoder fills the slots (see gen/gen.h GenSlot). */
typedef struct InterpInsn {
    const void *handler;   /* threaded dispatch: the handler's label */
    uint64_t pc;
    int64_t imm;           /* the first wide field, sign-extended if signed */
    int32_t imm2;          /* a second wide field (csr) */
    uint16_t op;           /* handler: the base instruction's for an expansion */
    uint16_t info;         /* index in interp_insn_info */
    uint8_t b[6];          /* small fields: registers, rm, shift amounts */
    uint8_t len;           /* 2 or 4 */
    uint8_t pad;
} InterpInsn;
_Static_assert(sizeof(InterpInsn) == 40, "InterpInsn grew: it is the interpreter's working set");

/* The generated files of the configured ISA variant; a build for another XLEN names
   its own (tests/unit compiles the decoder for riscv32 this way). */
#ifndef GEN_INSN_H
#define GEN_INSN_H "riscv64-insn.h"
#define GEN_DECODE_INC "riscv64-decode.c.inc"
#define GEN_TABLES_INC "riscv64-tables.c.inc"
#define GEN_DISASM_INC "riscv64-disasm.c.inc"
#define GEN_INTERP_INC "riscv64-interp.c.inc"
#endif
#include GEN_INSN_H

/* Pseudo-instructions the block decoder appends; never produced by gen_decode. */
enum {
    OP_BLOCK_FALLTHROUGH = OP_COUNT,   /* block cut short: continue at ip->pc */
    OP_UNDECODABLE,                    /* illegal encoding at ip->pc (bits in imm) */
    OP_FETCH_FAULT,                    /* ip->pc cannot be fetched */
    OP_INLINED_JUMP,                   /* a direct jump without link, followed at decode time */
    OP_TOTAL
};

enum {
    INTERP_MAX_BLOCK_INSNS = 128,
    INTERP_MAX_INLINE_DISTANCE = 16 << 10,   /* direct jumps followed within this reach */
};

typedef struct InterpBlock {
    uint64_t pc;                   /* first instruction */
    uint64_t lo, hi;               /* guest bytes the block was decoded from, all within [lo, hi)
                                      (more than [pc, end) when it followed a direct jump) */
    struct InterpBlock *hash_next;
    struct InterpBlock *succ[2];   /* last two successors seen (chaining) */
    uint64_t link_epoch;           /* succ[] is valid while this equals the cache's */
    uint64_t runs;                 /* times entered: the statistics, and tiering's heat */
    uint32_t ninsns;               /* guest instructions (excluding the pseudo one) */
    uint8_t valid;
    uint8_t succ_next;             /* which succ[] slot to replace next */
    InterpInsn insns[];            /* ninsns + 1: the last is the block's exit */
} InterpBlock;

enum { INTERP_HASH_BITS = 16, INTERP_JC_BITS = 12, INTERP_MAX_PENDING = 64, INTERP_MAX_WATCHED = 1 << 16 };

struct InterpBlockCache {
    uint8_t *arena;                /* blocks are bump-allocated here */
    size_t arena_size, arena_used;
    InterpBlock *hash[1 << INTERP_HASH_BITS];
    InterpBlock *jump_cache[1 << INTERP_JC_BITS];   /* direct-mapped by pc */
    uint64_t epoch;                /* bumped whenever blocks die: invalidates links */
    /* instructions and block runs of blocks no longer in the arena, plus the
       corrections for blocks left early (traps); the live blocks hold the rest */
    int64_t retired_insns, retired_runs;
    /* pages watched for writes (open addressing; 0 = empty, so page numbers + 1) */
    uint64_t *watched;
    unsigned nwatched;
    /* code writes reported from signal handlers, consumed at block boundaries */
    volatile uint64_t pending_pages[INTERP_MAX_PENDING];
    volatile unsigned npending;
    volatile int pending_flush;
    /* host fault unwinding */
    sigjmp_buf fault_jmp;
    volatile int running;
    const InterpInsn *volatile fault_ip;   /* the memory access in progress (SYNC_PC) */
};

/* cache.c */
InterpBlock *interp_find_block(InterpCpu *cpu, uint64_t pc);     /* decodes if needed; NULL: fetch fault */

static inline unsigned interp_jc_index(uint64_t pc) { return (unsigned)(pc >> 1) & ((1u << INTERP_JC_BITS) - 1); }

/* The direct-mapped probe the run loop tries before interp_find_block (indirect jumps
   whose targets outnumber a block's two links land here). */
static inline InterpBlock *interp_probe_block(InterpBlockCache *c, uint64_t pc)
{
    InterpBlock *b = c->jump_cache[interp_jc_index(pc)];
    return b && b->pc == pc && b->valid ? b : NULL;
}
void interp_process_pending(InterpCpu *cpu);                     /* code writes, flushes */
const InterpBlock *interp_block_of(const InterpBlockCache *c, const InterpInsn *ip);   /* cold paths */
int interp_decode_one(uint32_t bits, InterpInsn *d);            /* gen_decode */
uint32_t interp_fetch_bits(InterpCpu *cpu, uint64_t pc, bool *ok);

/* Instructions of a block counted by its runs but not executed (left early). */
static inline void interp_uncount(InterpBlockCache *c, uint64_t not_executed)
{
    c->retired_insns -= (int64_t)not_executed;
}

/* csr.c: false means illegal instruction */
bool interp_csr_read(InterpCpu *cpu, unsigned csr, uint64_t *value);
bool interp_csr_write(InterpCpu *cpu, unsigned csr, uint64_t value);

/* disasm.c */
void interp_log_block(InterpCpu *cpu, const InterpBlock *b);

#endif
