/*
** jit-internal.h — what jit/'s files share: the stencil tables' types, the baseline
** tier's compiled blocks and exit sites, and the tier state.
*/
#ifndef jit_internal_h
#define jit_internal_h

#include <pthread.h>
#include <stdatomic.h>

#include "jit.h"

/* ---- stencils (jit/stencils.c, extracted by jit/stencil-extract.c) */

typedef enum JitReloc { JIT_RELOC_ABS64, JIT_RELOC_ABS32, JIT_RELOC_ABS32S, JIT_RELOC_REL32 } JitReloc;

typedef enum JitHoleKind {
    JIT_HOLE_CONTINUE, JIT_HOLE_EXIT_NEXT, JIT_HOLE_EXIT_TAKEN, JIT_HOLE_EXIT_LOOKUP,
    JIT_HOLE_EXIT_PENDING, JIT_HOLE_SIDE_EXIT, JIT_HOLE_EXIT_HOT, JIT_HOLE_HOT,
    JIT_HOLE_REG0, JIT_HOLE_REG1, JIT_HOLE_REG2, JIT_HOLE_REG3, JIT_HOLE_REG4, JIT_HOLE_REG5,
    JIT_HOLE_B0, JIT_HOLE_B1, JIT_HOLE_B2, JIT_HOLE_B3, JIT_HOLE_B4, JIT_HOLE_B5,
    JIT_HOLE_IMM, JIT_HOLE_IMM2, JIT_HOLE_PC, JIT_HOLE_NPC, JIT_HOLE_BLOCK, JIT_HOLE_INSN,
    JIT_HOLE_RUNS, JIT_HOLE_SITE, JIT_HOLE_JUMP_CACHE,
    JIT_HOLE_EXTERN,   /* a function of the program: `target` */
    JIT_HOLE_RODATA,   /* a stencil's constant (rel32): `target` is in JIT_RODATA_SECTIONS,
                          and the copy in the code cache is what the code reads */
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

enum { JIT_MAX_RODATA = 16 };

/* jit/tier1-call.S: a stencil's call to a C helper that keeps the stencil's registers */
void tiercel_tier1_call2(void);
void tiercel_tier1_call3(void);

enum { JIT_MAX_SITE_PATCHES = 4 };

/* One way out of a compiled block to a known pc: its jumps start at its exit stub and
   are retargeted at the successor's code once that is compiled (linked). Code is named by
   offsets into the buffer. */
typedef struct JitSite {
    uint64_t target_pc;
    uint64_t from_pc;           /* the block it leaves */
    uint32_t stub;
    uint32_t patch[JIT_MAX_SITE_PATCHES];   /* rel32 fields that jump to this exit */
    uint8_t npatch;
    bool linked;
    bool hot;                   /* not an exit: the block reached tier 2's threshold */
} JitSite;

typedef struct JitBlock {
    InterpBlock *block;
    /* its instructions' code is [code_start, code_end) of the buffer; map (in the buffer
       too) lists where each copied instruction starts: nmap pairs (offset from
       code_start, index in block->insns) */
    uint32_t code_start, code_end, map;
    uint16_t nmap;
    uint64_t runs_at_compile;   /* block->runs before its first compiled run */
    uint32_t ninsns;
    JitSite sites[2];           /* fall-through / not taken, taken */
    JitSite hot_site;
} JitBlock;

typedef struct JitBaseline {
    uint8_t *code;              /* RWX, [code, code + code_size) */
    size_t code_size, code_used;
    uint8_t *lookup;            /* the shared lookup stencil */
    uint8_t *rodata[JIT_MAX_RODATA];   /* the stencils' constants, copied after it */
    /* far calls: `jmp *0(%rip); .quad target` within reach of every stencil */
    struct { const void *target; uint8_t *veneer; } veneers[128];
    unsigned nveneers;
    /* the compiled blocks since the last flush, in a reserved array (sites are pointed
       at by code, so they never move; pages are touched only as blocks are added) */
    JitBlock *blocks;
    size_t nblocks, max_blocks;
    uint64_t hot_threshold;     /* runs at which a block asks for tier 2 (0: never) */
    InterpTierView view;
} JitBaseline;

typedef struct JitLatencies {
    uint32_t *ns;               /* a sample of compile latencies */
    size_t n, cap;
    uint64_t seen;
} JitLatencies;
void record_compile_latency(JitLatencies *l, uint32_t ns);


/* ---- the LLVM tier: jit/llvm-tier.c, in libtiercel-llvm.so, loaded on first use. The
   region is a snapshot: the compile threads never read the interpreter's memory. */

enum { JIT_MAX_REGION_BLOCKS = 32, JIT_REGION_REACH = 2048 };

typedef struct JitLlvmInsn {
    const InterpInsn *insn;     /* for side exits (an address, not read by the compiler) */
    int64_t imm;
    uint64_t pc;
    int32_t imm2;
    uint16_t op;
    uint8_t b[6];
    uint8_t len;
    bool ends;                  /* ends the block: returns the next pc */
    bool csr;                   /* may read the instruction counters */
} JitLlvmInsn;

typedef struct JitLlvmBlock {
    uint64_t pc;
    const InterpBlock *block;   /* for side exits */
    uint64_t *runs;             /* counted at each entry inside the region */
    unsigned ninsns;            /* including the closing pseudo-instruction */
    JitLlvmInsn *insns;
} JitLlvmBlock;

typedef struct JitLlvmRegion {
    uint64_t *insns;            /* the guest instructions the region's code executed */
    bool fp;                    /* has an FP instruction: compiled for one rounding mode */
    uint32_t frm;               /* that mode: frm when the region was asked for */
    unsigned nblocks;           /* blocks[0] is the entry */
    JitLlvmBlock blocks[JIT_MAX_REGION_BLOCKS];
} JitLlvmRegion;

typedef struct JitLlvmExtern { const char *name; const void *addr; } JitLlvmExtern;

typedef struct JitLlvmHost {
    const void *bitcode;        /* jit/lift-bodies.c, compiled by clang */
    size_t bitcode_size;
    const char *const *lift_names;   /* per op: "lift_OP_addi", NULL if none */
    unsigned nops;
    const JitLlvmExtern *externs;    /* what the bodies call */
    size_t nexterns;
    const void *lookup;         /* the baseline tier's lookup stencil: exits go there */
    const void *side_exit;      /* interp_side_exit_uncounted */
    const uint8_t *arena;       /* the interpreter's block arena (run counters live there) */
    const uint8_t *rights;      /* the guest pages' rights (mem.h): the bodies' access checks */
    const volatile uint32_t *pending;   /* &cpu->pending */
    uint32_t off_pc, off_frm;   /* in InterpCpu */
    const char *pipeline;       /* LLVM's passes over each region (--llvm-pipeline) */
    uint32_t cpu_size;          /* sizeof(InterpCpu): regions may read its fields speculatively */
    unsigned op_fallthrough, op_inlined_jump;   /* pseudo-ops with meaning to regions */
} JitLlvmHost;

/* What compiling a region made. */
typedef struct JitLlvmCode {
    void *entry, *chain;        /* the loop's entry (it counted the head's run), links' entry */
    void *handle;               /* frees it: release() */
    const void *body;           /* the region's function, which the entries jump to */
    size_t body_size;           /* its bytes (for --perfmap; 0: not known) */
    size_t code_bytes;          /* the bytes of all three */
} JitLlvmCode;

typedef struct JitLlvmApi {
    /* one compiler (LLVM context and LLJIT) per compile thread */
    void *(*create)(const JitLlvmHost *host, char *err, size_t errsize);
    bool (*compile)(void *compiler, const JitLlvmRegion *r, JitLlvmCode *code, char *err, size_t errsize);
    void (*release)(void *compiler, void *handle);   /* frees a region's code */
    void (*destroy)(void *compiler);
} JitLlvmApi;

#define JIT_LLVM_API_SYMBOL "tiercel_llvm_api"

/* ---- tier 2's state in the main program (llvm-queue.c) */

enum { JIT_MAX_THREADS = 16, JIT_MAX_RELEASES = 4096, JIT_MAX_REGIONS = 4096, JIT_MAX_QUEUED = 64,
       JIT_MAX_WAITING = 256 };

typedef struct JitRegion {      /* an installed region */
    InterpBlock *head;
    uint64_t head_pc;           /* (head may be gone: a flush frees the blocks first) */
    InterpBlock *blocks[JIT_MAX_REGION_BLOCKS];
    uint64_t *insns;            /* its code's own count (its blocks may also run elsewhere) */
    unsigned nblocks;
    void *handle, *entry, *chain;
    size_t code_bytes;
    InterpTierCode *prev_entry; /* the head's baseline code, restored if the region dies */
    void *prev_chain;
} JitRegion;

struct Request;
typedef struct JitTier2 {
    const JitLlvmApi *api;      /* NULL until the first region is hot */
    void *sync_compiler;        /* --jit-threads=0: compiles on the guest's thread */
    void *dl;
    bool load_failed, broken, reported_failure, stop, stopped;
    JitLlvmHost host;
    pthread_t threads[JIT_MAX_THREADS];
    unsigned nthreads;
    pthread_mutex_t lock;       /* guards the queues below */
    pthread_cond_t wake;
    struct Request *queue, *done;
    void *releases[JIT_MAX_RELEASES];
    unsigned nreleases;
    char thread_error[160];
    /* main thread only */
    uint64_t generation;        /* bumped when blocks die: older requests are stale */
    JitRegion regions[JIT_MAX_REGIONS];
    unsigned nregions;
    uint64_t requested, compiles, failures, discarded, dropped, region_blocks, retired_insns;
    uint64_t code_bytes;        /* of the installed regions */
    unsigned queued;            /* requests not yet polled back */
    struct Request *inflight[JIT_MAX_QUEUED];   /* those requests (their blocks: see covered) */
    unsigned ninflight;
    uint64_t covered;           /* hot blocks not requested: already inside a region */
    InterpBlock *waiting[JIT_MAX_WAITING];   /* promoted while the queue was full */
    unsigned nwaiting;
    JitLatencies latency;
} JitTier2;

struct Jit {
    InterpCpu *cpu;
    JitOptions opt;
    InterpTier tier;
    JitBaseline base;
    JitTier2 t2;
    /* statistics */
    uint64_t compiles, compile_failures, flushes, unlinks;
    uint64_t loads_forwarded;   /* operand loads tier 1 made moves (baseline.c) */
    uint64_t loads_exchanged;   /* of those, after exchanging two sources (INTERP_INSN_COMMUTES) */
    uint64_t retired_insns;     /* tier-1 instructions of blocks no longer compiled */
    uint64_t code_bytes_total;
    size_t last_code_size;      /* of the block compiled last */
    JitLatencies latency;
    bool reported_failure;
    FILE *perfmap;              /* --perfmap: one line per compiled block */
    uint64_t start_ns;          /* when the tiers were attached: -d tier's clock */
    /* profile: samples taken in tier-1 code, in the program (tier 0 and runtime), in all */
    atomic_ulong samples_tier1, samples_program, samples_total;
};

/* jit.c: -d tier, one line (fmt without its newline) with the time since the start */
#define JIT_LOGGING(jit) (((jit)->cpu->log_mask & INTERP_LOG_TIER) && (jit)->cpu->log)
void jit_log(Jit *jit, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* llvm-queue.c */
bool jit_tier2_setup(Jit *jit);
void jit_tier2_destroy(Jit *jit);
void jit_tier2_stop(Jit *jit);
void jit_tier2_request(Jit *jit, InterpBlock *head);
void jit_tier2_poll(Jit *jit);
void jit_tier2_blocks_died(Jit *jit);
void jit_tier2_flushed(Jit *jit, bool blocks_alive);
void jit_tier2_baseline_gone(Jit *jit);
uint64_t jit_tier2_insns(const Jit *jit);

/* what the LLVM tier's bitcode calls, by name (generated by jit/list-externs) */
extern const JitLlvmExtern jit_lift_externs[];
extern const size_t jit_lift_nexterns;

/* baseline.c */
bool jit_baseline_init(Jit *jit, char *err, size_t errsize);
void jit_baseline_destroy(Jit *jit);
bool jit_baseline_compile(Jit *jit, InterpBlock *b);     /* false: left to the interpreter */
void jit_baseline_link(Jit *jit, JitSite *site, InterpBlock *next);
void jit_baseline_unlink_all(Jit *jit);
const InterpInsn *jit_baseline_insn_at(const Jit *jit, uintptr_t host_pc);
void jit_baseline_flush(Jit *jit);
uint64_t jit_baseline_live_insns(const Jit *jit);        /* executed by live compiled blocks */

#endif
