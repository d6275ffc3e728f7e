/*
** jit-internal.h — what jit/'s files share: the stencil tables' types, the baseline
** tier's compiled blocks and exit sites, and the tier state.
*/
#ifndef jit_internal_h
#define jit_internal_h

#include <stdatomic.h>

#include "jit.h"

/* ---- stencils (jit/stencils.c, extracted by jit/stencil-extract.c) */

typedef enum JitReloc { JIT_RELOC_ABS64, JIT_RELOC_ABS32, JIT_RELOC_ABS32S, JIT_RELOC_REL32 } JitReloc;

typedef enum JitHoleKind {
    JIT_HOLE_CONTINUE, JIT_HOLE_EXIT_NEXT, JIT_HOLE_EXIT_TAKEN, JIT_HOLE_EXIT_LOOKUP,
    JIT_HOLE_EXIT_PENDING, JIT_HOLE_SIDE_EXIT,
    JIT_HOLE_REG0, JIT_HOLE_REG1, JIT_HOLE_REG2, JIT_HOLE_REG3, JIT_HOLE_REG4, JIT_HOLE_REG5,
    JIT_HOLE_B0, JIT_HOLE_B1, JIT_HOLE_B2, JIT_HOLE_B3, JIT_HOLE_B4, JIT_HOLE_B5,
    JIT_HOLE_IMM, JIT_HOLE_IMM2, JIT_HOLE_PC, JIT_HOLE_NPC, JIT_HOLE_BLOCK, JIT_HOLE_INSN,
    JIT_HOLE_INSN_OFF, JIT_HOLE_RUNS, JIT_HOLE_SITE, JIT_HOLE_JUMP_CACHE,
    JIT_HOLE_EXTERN,   /* a function of the program: `target` */
} JitHoleKind;

typedef struct JitHole {
    uint16_t offset;         /* of the field to patch, in the stencil */
    uint8_t reloc;           /* JitReloc */
    uint8_t kind;            /* JitHoleKind */
    int32_t addend;
    const void *target;      /* JIT_HOLE_EXTERN */
} JitHole;

typedef struct JitStencil {
    const uint8_t *code;
    uint16_t size;
    const JitHole *holes;
    uint16_t nholes;
} JitStencil;

/* ---- the baseline tier */

enum { JIT_MAX_SITE_PATCHES = 4 };

/* One way out of a compiled block to a known pc: its jumps start at its exit stub and
   are retargeted at the successor's code once that is compiled (linked). Code is named by
   offsets into the buffer. */
typedef struct JitSite {
    uint64_t target_pc;
    uint32_t stub;
    uint32_t patch[JIT_MAX_SITE_PATCHES];   /* rel32 fields that jump to this exit */
    uint8_t npatch;
    bool linked;
} JitSite;

typedef struct JitBlock {
    InterpBlock *block;
    uint64_t runs_at_compile;   /* block->runs before its first compiled run */
    uint32_t ninsns;
    JitSite sites[2];           /* fall-through / not taken, taken */
} JitBlock;

typedef struct JitBaseline {
    uint8_t *code;              /* RWX, [code, code + code_size) */
    size_t code_size, code_used;
    uint8_t *lookup;            /* the shared lookup stencil */
    /* far calls: `jmp *0(%rip); .quad target` within reach of every stencil */
    struct { const void *target; uint8_t *veneer; } veneers[128];
    unsigned nveneers;
    /* the compiled blocks since the last flush, in a reserved array (sites are pointed
       at by code, so they never move; pages are touched only as blocks are added) */
    JitBlock *blocks;
    size_t nblocks, max_blocks;
    InterpTierView view;
} JitBaseline;

typedef struct JitLatencies {
    uint32_t *ns;               /* a sample of compile latencies */
    size_t n, cap;
    uint64_t seen;
} JitLatencies;

struct Jit {
    InterpCpu *cpu;
    JitOptions opt;
    InterpTier tier;
    JitBaseline base;
    /* statistics */
    uint64_t compiles, compile_failures, flushes, unlinks;
    uint64_t retired_insns;     /* tier-1 instructions of blocks no longer compiled */
    uint64_t code_bytes_total;
    size_t last_code_size;      /* of the block compiled last */
    JitLatencies latency;
    bool reported_failure;
    FILE *perfmap;              /* --perfmap: one line per compiled block */
    /* profile: samples taken while in tier-1 code, and in all */
    atomic_ulong samples_tier1, samples_total;
};

/* baseline.c */
bool jit_baseline_init(Jit *jit, char *err, size_t errsize);
void jit_baseline_destroy(Jit *jit);
bool jit_baseline_compile(Jit *jit, InterpBlock *b);     /* false: left to the interpreter */
void jit_baseline_link(Jit *jit, JitSite *site, InterpBlock *next);
void jit_baseline_unlink_all(Jit *jit);
void jit_baseline_flush(Jit *jit);
uint64_t jit_baseline_live_insns(const Jit *jit);        /* executed by live compiled blocks */

#endif
