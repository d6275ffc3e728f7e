/*
** interp.h — the execution core: guest CPU state, the block cache and the run loop.
** Blocks are decoded once by the generated decoder and run by the generated handlers,
** dispatched by computed goto (or by a switch in the checking build).
*/
#ifndef interp_h
#define interp_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mem.h"

/* Why interp_run returned. cpu->pc is the address of the instruction concerned. */
typedef enum InterpExit {
    INTERP_EXIT_ECALL = 1,     /* ecall at cpu->pc; the caller advances pc */
    INTERP_EXIT_EBREAK,        /* ebreak at cpu->pc */
    INTERP_EXIT_ILLEGAL,       /* illegal instruction; trap_value holds its bits */
    INTERP_EXIT_FETCH_FAULT,   /* pc not mapped executable; trap_value = address */
    INTERP_EXIT_LOAD_FAULT,    /* trap_value = faulting guest address */
    INTERP_EXIT_STORE_FAULT,   /* trap_value = faulting guest address */
    INTERP_EXIT_MISALIGNED,    /* misaligned atomic; trap_value = address */
    INTERP_EXIT_REQUEST,       /* interp_request_exit() was called */
} InterpExit;

/* -d items, as QEMU names them. */
enum {
    INTERP_LOG_IN_ASM = 1 << 0,   /* disassemble each block when it is decoded */
    INTERP_LOG_EXEC = 1 << 1,     /* one line per block as it runs */
    INTERP_LOG_UNIMP = 1 << 2,    /* unimplemented system calls and features */
    INTERP_LOG_TIER = 1 << 3,     /* each compile, install and removal of compiled code */
};

enum { INTERP_PENDING_EXIT = 1, INTERP_PENDING_CODE = 2, INTERP_PENDING_LOG = 4 /* -d exec: no chaining */,
       INTERP_PENDING_TIER = 8 /* a tier has code to install: tier->poll() */ };

/* Up to date after interp_sync_stats() (blocks count their own runs while running). */
typedef struct InterpStats {
    uint64_t insns;            /* guest instructions executed */
    uint64_t blocks_run;       /* block executions, but for tier 2's (it counts instructions only) */
    uint64_t blocks_decoded;   /* block translations (including re-decodes) */
    uint64_t invalidations;    /* blocks thrown away because their code changed */
    uint64_t flushes;          /* whole-cache flushes (fence.i, cache full) */
    uint64_t superinsns;       /* threaded dispatch: pairs given a superinstruction's handler */
    uint64_t superinsns_fwd;   /* of those, pairs given a forwarding variant */
} InterpStats;

typedef struct InterpBlockCache InterpBlockCache;
/* Hooks by which the embedding mode (user/ now, machines/ later) answers for memory. */
typedef struct InterpHooks {
    void *opaque;
    /* Is the page holding guest address `page` mapped executable? */
    bool (*page_executable)(void *opaque, uint64_t page);
    /* The first block was decoded from `page`: watch it for writes (user mode
       write-protects it) and call interp_code_written() when one happens. */
    void (*watch_code_page)(void *opaque, uint64_t page);
    /* The block cache forgot every block on `page`: stop watching it. */
    void (*unwatch_code_page)(void *opaque, uint64_t page);
} InterpHooks;

typedef struct InterpCpu {
    uint64_t x[33];            /* x[0] reads 0; x[32] takes the writes aimed at x0 */
    uint64_t f[32];            /* NaN-boxed */
    uint64_t pc;
    uint32_t fflags;           /* accrued exceptions, fcsr[4:0] */
    uint32_t frm;              /* dynamic rounding mode, fcsr[7:5] */
    uint64_t res_addr;         /* LR/SC reservation */
    uint64_t res_val;
    uint8_t res_valid;

    /* user-mode memory: guest address a is at mem_base + a when a < mem_size */
    uint8_t *mem_base;
    uint64_t mem_size;
    MemUser *mem;

    uint64_t trap_value;       /* see InterpExit */
    /* INTERP_PENDING_* bits, set asynchronously (signal handlers, other threads) and
       seen at the next block boundary: the one word block chaining tests */
    volatile uint32_t pending;
    /* What the interpreter's block links compare a block's run count with: the tier's
       threshold, or 0 while `pending` has bits (interp_set_pending), so that one compare
       on the fast path tests both (exec.c). */
    volatile uint64_t run_limit;

    InterpHooks hooks;
    unsigned log_mask;         /* INTERP_LOG_* */
    FILE *log;                 /* where -d output goes (stderr by default) */
    InterpStats stats;
    InterpBlockCache *cache;
    const struct InterpTier *tier;   /* compiled tiers (NULL: interpreter only) */
} InterpCpu;

/* Sets up a CPU over a user-mode address space; registers zero, pc 0. */
int interp_cpu_init(InterpCpu *cpu, MemUser *mem, const InterpHooks *hooks);
void interp_cpu_destroy(InterpCpu *cpu);

/* Runs guest code from cpu->pc until something needs the caller (see InterpExit). */
InterpExit interp_run(InterpCpu *cpu);

/* Async-signal-safe: ask the loop to return INTERP_EXIT_REQUEST at the next block. */
void interp_request_exit(InterpCpu *cpu);

/* Async-signal-safe, from any thread: sets INTERP_PENDING_* bits and makes the loop see
   them at its next block boundary. */
static inline void interp_set_pending(InterpCpu *cpu, uint32_t bits)
{
    __atomic_fetch_or(&cpu->pending, bits, __ATOMIC_SEQ_CST);
    __atomic_store_n(&cpu->run_limit, 0, __ATOMIC_SEQ_CST);
}

/* Async-signal-safe: a store hit watched code page `page`; its blocks are dropped
   before the next block runs. */
void interp_code_written(InterpCpu *cpu, uint64_t page);

/* Drops every block overlapping [addr, addr+len) (munmap, mprotect, fence.i). */
void interp_invalidate_range(InterpCpu *cpu, uint64_t addr, uint64_t len);
void interp_flush(InterpCpu *cpu);

/* Brings cpu->stats up to date (costs a walk over the live blocks). */
void interp_sync_stats(InterpCpu *cpu);

/* A host fault inside guest memory, reported by the embedding's signal handler while
   interp_run is active: records the fault and unwinds interp_run, which returns
   `why` with trap_value = addr. host_pc is the faulting host instruction (compiled
   tiers find the guest instruction from it); host_mxcsr the SSE control and status the
   signal interrupted, whose exception flags are the guest's (host-fp.h): a handler starts
   with fresh ones, and unwinding from it does not restore them. Never returns. */
void interp_host_fault(InterpCpu *cpu, InterpExit why, uint64_t addr, uintptr_t host_pc, uint32_t host_mxcsr)
    __attribute__((noreturn));
/* True while interp_run is running guest code on this thread. */
bool interp_is_running(const InterpCpu *cpu);

/* Which dispatch this build uses: "threaded" or "switch". */
const char *interp_dispatch_name(void);

/* --- the generated instruction set, for tools and tests --- */

enum {
    INTERP_INSN_ENDS_BLOCK = 1 << 0,   /* jumps, branches, traps, fence.i */
    INTERP_INSN_BRANCH = 1 << 1,       /* conditional jump */
    INTERP_INSN_JUMP = 1 << 2,         /* unconditional jump */
    INTERP_INSN_LOAD = 1 << 3,
    INTERP_INSN_STORE = 1 << 4,
    INTERP_INSN_ATOMIC = 1 << 5,       /* amo_load / cas: needs an aligned address */
    INTERP_INSN_CSR = 1 << 6,
    INTERP_INSN_SYSTEM = 1 << 7,       /* ecall, ebreak, fence.i, illegal() */
    INTERP_INSN_FP = 1 << 8,           /* touches F registers or FP state */
    INTERP_INSN_COMPRESSED = 1 << 9,   /* a 16-bit expansion */
    INTERP_INSN_DIRECT = 1 << 10,      /* only [X[link] = NPC;] jump(PC + imm): see link_slot */
    INTERP_INSN_COMMUTES = 1 << 11,    /* two source registers may be exchanged: commute_slot */
};

/* Field kinds, as the spec declares them. */
enum { INTERP_FIELD_XREG, INTERP_FIELD_FREG, INTERP_FIELD_IMM, INTERP_FIELD_UIMM,
       INTERP_FIELD_CSR, INTERP_FIELD_RM, INTERP_FIELD_FENCE, INTERP_FIELD_HEX };

typedef struct InterpFieldInfo {
    const char *name;      /* the name instruction bodies use (rd, rs1, imm, ...) */
    uint8_t kind;          /* INTERP_FIELD_* */
    uint8_t is_signed;
    uint32_t bits_mask;    /* which instruction bits feed the field */
    /* value = (concatenation of ranges, most significant first) << shift, sign-extended
       if is_signed, + add */
    uint8_t nranges;
    struct { uint8_t hi, lo; } ranges[8];
    uint8_t shift;
    uint8_t add;
    uint8_t width;         /* of the value */
} InterpFieldInfo;

typedef struct InterpInsnInfo {
    const char *name;      /* "add", "c.addi" */
    const char *ext;       /* "I", "M", "C", "Zba", ... */
    uint32_t mask, match;  /* (bits & mask) == match */
    uint8_t length;        /* 2 or 4 bytes */
    uint8_t access_size;   /* bytes moved by a load/store/atomic, else 0 */
    uint16_t flags;        /* INTERP_INSN_* */
    int8_t link_slot;      /* DIRECT: decoded byte slot of the link register, -1 if none */
    int8_t commute_slot[2];   /* COMMUTES: the byte slots of two X registers the body reads
                                 alike (exchanged, it computes the same), else -1 */
    uint8_t nfields;
    const InterpFieldInfo *fields;
    const char *meaning;   /* the semantic body on one line */
    const char *where;     /* spec file:line */
} InterpInsnInfo;

extern const InterpInsnInfo interp_insn_info[];
extern const unsigned interp_insn_count;

/* Decodes one instruction (16- or 32-bit, low bits first). Returns the index into
   interp_insn_info, or -1 for an illegal instruction. */
int interp_decode_index(uint32_t bits);

/* Disassembles one instruction at pc into buf ("addi a0, a0, 1"); returns its length
   in bytes (2 or 4), or 0 if illegal (buf then says so). */
int interp_disasm(uint64_t pc, uint32_t bits, char *buf, size_t size);

/* ---- the tier interface: what compiled tiers (jit/) see of blocks and the loop ----
   It needs the generated instruction set; gen itself (INTERP_NO_GENERATED) uses only the
   flag and field enums above. The generated files of the configured ISA variant come by
   default; a build for another XLEN names its own (tests/unit does for riscv32). */
#ifndef GEN_INSN_H
#define GEN_INSN_H "riscv64-insn.h"
#define GEN_DECODE_INC "riscv64-decode.c.inc"
#define GEN_TABLES_INC "riscv64-tables.c.inc"
#define GEN_DISASM_INC "riscv64-disasm.c.inc"
#define GEN_INTERP_INC "riscv64-interp.c.inc"
#endif
struct InterpCpu;
#ifndef INTERP_NO_GENERATED
#include GEN_INSN_H

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
#ifndef __cplusplus
_Static_assert(sizeof(InterpInsn) == 40, "InterpInsn grew: it is the interpreter's working set");
#endif

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

struct InterpBlock;
/* Compiled code for a block is entered as code(cpu, cpu->mem_base, cpu->mem_size) and
   returns one of:
   - INTERP_TIER_INTERPRET: run the block at cpu->pc in the interpreter (interp_side_exit);
   - 0: leave to the loop, which continues at cpu->pc;
   - a tier's exit-site cookie (>= INTERP_TIER_COOKIE_MIN): the same, and the loop calls
     tier->link(site, next block) so the tier can chain that exit directly. */
typedef uintptr_t InterpTierCode(struct InterpCpu *cpu, uint8_t *mem_base, uint64_t mem_size);
enum { INTERP_TIER_INTERPRET = 4095, INTERP_TIER_COOKIE_MIN = 4096 };

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
    uint8_t tier_tried;            /* promote() was called for this block */
    uint8_t tier_held;             /* the tier's: its installed regions holding the block */
    /* compiled code (NULL: none). tier_entry is entered by the loop, which has counted the
       run; tier_chain is the tier's own entry for chained jumps (checks pending, counts) */
    InterpTierCode *tier_entry;
    void *tier_chain;
    InterpInsn insns[];            /* ninsns + 1: the last is the block's exit */
} InterpBlock;

enum { INTERP_JC_BITS = 16 };
static inline unsigned interp_jc_index(uint64_t pc) { return (unsigned)(pc >> 1) & ((1u << INTERP_JC_BITS) - 1); }

/* A compiled tier plugs into the run loop with these. All are called on the thread
   running the loop, never while compiled code runs. */
typedef struct InterpTier {
    void *opaque;
    /* b has run this often (counting every entry) in the interpreter: compile it if it
       can, setting b->tier_entry and b->tier_chain. Called once per block. */
    uint64_t threshold;
    void (*promote)(void *opaque, InterpBlock *b);
    /* compiled code left through exit-site `site` for `next`, which has compiled code */
    void (*link)(void *opaque, uintptr_t site, InterpBlock *next);
    /* some blocks died (their tier_entry is already cleared): undo every link to them */
    void (*blocks_died)(void *opaque);
    /* every block was freed */
    void (*flushed)(void *opaque);
    /* INTERP_PENDING_TIER was set (by a compile thread): install what is ready */
    void (*poll)(void *opaque);
    /* The instruction whose compiled code holds host_pc, for host faults (NULL: none;
       tier 2 checks every access and never faults on the host). May be NULL. */
    const InterpInsn *(*insn_at)(void *opaque, uintptr_t host_pc);
    /* Guest instructions compiled code ran and counted itself, in no block's run count
       (tier 2 counts instructions, not runs). May be NULL. */
    uint64_t (*insns_counted)(void *opaque);
} InterpTier;

/* The live block at pc, if one is cached (never decodes). */
InterpBlock *interp_cached_block(struct InterpCpu *cpu, uint64_t pc);
/* Up to max live blocks starting in [lo, hi) that have run at least min_runs times, the
   most run first (a walk over every block: for tiers choosing what to compile). */
size_t interp_hot_blocks(struct InterpCpu *cpu, uint64_t lo, uint64_t hi, uint64_t min_runs, InterpBlock **out,
                         size_t max);

void interp_set_tier(struct InterpCpu *cpu, const InterpTier *tier);

/* What compiled code needs of the loop's state. */
typedef struct InterpTierView {
    InterpBlock **jump_cache;                  /* [1 << INTERP_JC_BITS], by interp_jc_index */
    const uint8_t *arena;   /* the blocks' memory: run counters, instructions */
} InterpTierView;
InterpTierView interp_tier_view(struct InterpCpu *cpu);

/* What the generated bodies call in every tier: CSR access (false: illegal instruction)
   and fence.i (drops every block before the next one runs). */
bool interp_csr_read(struct InterpCpu *cpu, unsigned csr, uint64_t *value);
bool interp_csr_write(struct InterpCpu *cpu, unsigned csr, uint64_t value);
void interp_fence_i(struct InterpCpu *cpu);

/* The guest's FP exception flags accrue in cpu->fflags and, from the helpers' host
   shortcut (host-fp.h), in the host thread's MXCSR while the guest runs on it. */
void interp_fp_fold(struct InterpCpu *cpu);   /* MXCSR's into fflags, and cleared */
void interp_fp_discard(void);                 /* MXCSR's cleared: they are not the guest's */

/* Compiled code leaving at instruction ip of block b, which it cannot finish (it traps):
   sets cpu->pc to it, uncounts the rest of the block, and returns INTERP_TIER_INTERPRET,
   which makes the loop run the next block in the interpreter. */
uintptr_t interp_side_exit(struct InterpCpu *cpu, const InterpBlock *b, const InterpInsn *ip);
/* The same for code that did not count b's run (it counts the instructions it ran). */
uintptr_t interp_side_exit_uncounted(struct InterpCpu *cpu, const InterpBlock *b, const InterpInsn *ip);

#endif /* INTERP_NO_GENERATED */

#endif
