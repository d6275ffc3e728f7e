/*
** interp-internal.h — what interp/'s files share: the decoded instruction, blocks,
** the block cache. Not for use outside interp/: tiers use the tier interface of interp.h.
*/
#ifndef interp_internal_h
#define interp_internal_h

#include <setjmp.h>
#include <stdint.h>

#include "interp.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

enum { INTERP_HASH_BITS = 16, INTERP_MAX_PENDING = 64, INTERP_MAX_WATCHED = 1 << 16 };

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
    volatile uintptr_t fault_host_pc;      /* where the host fault was */
};

/* cache.c */
InterpBlock *interp_find_block(InterpCpu *cpu, uint64_t pc);     /* decodes if needed; NULL: fetch fault */

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

/* host-fp.c: the flags of an MXCSR saved by a signal (interp_host_fault) into fflags */
void interp_fp_fold_from(InterpCpu *cpu, uint32_t mxcsr);

/* disasm.c */
void interp_log_block(InterpCpu *cpu, const InterpBlock *b);

#endif
