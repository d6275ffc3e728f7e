/*
** jit.h — the compiled tiers: tier 1, a copy-and-patch baseline JIT whose stencils are the
** spec's generated handler bodies compiled by clang at build time, and the policy that
** promotes hot interpreter blocks to it. It plugs into interp/'s run loop through
** InterpTier (interp.h); nothing else changes for the embedding.
*/
#ifndef jit_h
#define jit_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "interp.h"

/* --tier: which tiers may run. */
typedef enum JitTierMode {
    JIT_TIER_INTERP,     /* the interpreter alone */
    JIT_TIER_BASELINE,   /* every block compiled by the baseline JIT when first run */
    JIT_TIER_LLVM,       /* the optimizing tier (not built yet: refused by jit_create) */
    JIT_TIER_AUTO,       /* start interpreted, promote hot blocks (the default) */
} JitTierMode;

typedef struct JitOptions {
    JitTierMode mode;
    uint64_t threshold1;      /* auto: runs before a block goes to the baseline tier */
    uint64_t threshold2;      /* auto: runs before a region goes to LLVM */
    unsigned threads;         /* LLVM compile threads; 0: on the guest's thread, synchronously */
    const char *llvm_pipeline;   /* tier 2's LLVM pass pipeline (jit_parse_llvm_pipeline) */
    size_t code_size;         /* bytes of baseline code before the code cache is flushed */
    bool profile;             /* sample where time goes, for jit_print_stats */
    bool perfmap;             /* write /tmp/perf-PID.map for perf (QEMU's -perfmap) */
} JitOptions;

/* Defaults: auto, thresholds as chosen in bench/README.md, one thread, 32 MiB. */
void jit_default_options(JitOptions *opt);

/* Command-line values; false (and *error set to a reason) when malformed. */
bool jit_parse_tier(const char *text, JitTierMode *mode, const char **error);
bool jit_parse_thresholds(const char *text, uint64_t *t1, uint64_t *t2, const char **error);
/* --llvm-pipeline: O1, O2 (the default), O3 (LLVM's own pipelines) or lean (the function
   passes that tier 2's code gains from: see jit/README.md); *pipeline is its text. */
bool jit_parse_llvm_pipeline(const char *text, const char **pipeline, const char **error);

typedef struct Jit Jit;

/* Attaches the tiers to cpu (before it runs). NULL with a one-line reason in err when
   the host cannot (no executable memory) or the mode is not available. */
Jit *jit_create(InterpCpu *cpu, const JitOptions *opt, char *err, size_t errsize);
void jit_destroy(Jit *jit);

/* Stops the background compile threads (waiting for a compile in progress) and frees
   tier 2's code: the guest must not run again. Call before exit(), whose destructors
   would pull libLLVM from under a running compile. NULL is allowed. */
void jit_stop_threads(Jit *jit);

/* Per tier: blocks compiled, guest instructions executed, share of the run time
   (sampled), compile count and latency median/p99, code bytes. */
void jit_print_stats(Jit *jit, FILE *out);

#endif
