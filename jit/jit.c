/*
** jit.c — the tiering policy and its glue to the run loop: options, promotion, the
** statistics --stats prints per tier, and the sampling profile behind their time shares.
*/
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "jit-internal.h"

/* Promotion to the baseline tier after this many runs: see bench/README.md for the
   measurements behind it. */
enum { DEFAULT_THRESHOLD1 = 64, DEFAULT_THRESHOLD2 = 20000 };

void jit_default_options(JitOptions *opt)
{
    *opt = (JitOptions){
        .mode = JIT_TIER_AUTO,
        .threshold1 = DEFAULT_THRESHOLD1,
        .threshold2 = DEFAULT_THRESHOLD2,
        .threads = 1,
        .llvm_pipeline = "default<O2>",
        .code_size = (size_t)32 << 20,
    };
}

bool jit_parse_tier(const char *text, JitTierMode *mode, const char **error)
{
    static const char *const names[] = { "interp", "baseline", "llvm", "auto" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(text, names[i])) {
            *mode = (JitTierMode)i;
            return true;
        }
    *error = "must be one of interp, baseline, llvm, auto";
    return false;
}

bool jit_parse_llvm_pipeline(const char *text, const char **pipeline, const char **error)
{
    /* lean: what default<O2> does for regions, in 35-55% less compile time on big ones.
       Inlining of the bodies; SSA and folding; loops rotated so that LICM keeps guest
       registers in values (and unswitches on invariant tests); redundant loads and stores
       gone; branches threaded on known values (intkernel's loops need jump-threading and
       correlated-propagation). */
    static const struct { const char *name, *text; } pipelines[] = {
        { "O1", "default<O1>" },
        { "O2", "default<O2>" },
        { "O3", "default<O3>" },
        { "lean", "always-inline,function(lower-expect,sroa,early-cse<memssa>,instcombine,simplifycfg,"
                  "loop(loop-rotate),loop-mssa(licm,simple-loop-unswitch),gvn,sccp,jump-threading,"
                  "correlated-propagation,adce,dse,instcombine,simplifycfg)" },
    };
    for (size_t i = 0; i < sizeof pipelines / sizeof pipelines[0]; i++)
        if (!strcmp(text, pipelines[i].name)) {
            *pipeline = pipelines[i].text;
            return true;
        }
    *error = "must be one of O1, O2, O3, lean";
    return false;
}

static bool parse_count(const char *s, const char **end, uint64_t *v)
{
    if (*s < '0' || *s > '9')
        return false;
    uint64_t n = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (n > (UINT64_MAX - 9) / 10)
            return false;
        n = n * 10 + (uint64_t)(*s - '0');
    }
    *end = s;
    *v = n;
    return true;
}

bool jit_parse_thresholds(const char *text, uint64_t *t1, uint64_t *t2, const char **error)
{
    const char *p;
    uint64_t a, b;
    *error = "must be T1,T2: two run counts, 1 <= T1 <= T2 <= 1000000000";
    if (!parse_count(text, &p, &a) || *p != ',' || !parse_count(p + 1, &p, &b) || *p)
        return false;
    if (a < 1 || a > b || b > 1000000000)
        return false;
    *t1 = a;
    *t2 = b;
    return true;
}

/* ---------------------------------------------------------------- the loop's hooks */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Lines are written on the loop's thread only (tier 2 logs a compile when it polls the
   result), so they never interleave. */
void jit_log(Jit *jit, const char *fmt, ...)
{
    if (!JIT_LOGGING(jit))
        return;
    FILE *f = jit->cpu->log;
    fprintf(f, "[%10.3f ms] ", (double)(now_ns() - jit->start_ns) / 1e6);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

void record_compile_latency(JitLatencies *l, uint32_t ns)
{
    /* keep every sample up to a million, then a uniform sample of them (reservoir) */
    enum { MAX_SAMPLES = 1 << 20 };
    l->seen++;
    if (l->n < MAX_SAMPLES) {
        if (l->n == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 4096;
            uint32_t *p = realloc(l->ns, cap * sizeof *p);
            if (!p)
                return;
            l->ns = p;
            l->cap = cap;
        }
        l->ns[l->n++] = ns;
        return;
    }
    uint64_t r = ((uint64_t)rand() << 31 | (uint64_t)rand()) % l->seen;
    if (r < MAX_SAMPLES)
        l->ns[r] = ns;
}

static void promote(void *opaque, InterpBlock *b)
{
    Jit *jit = opaque;
    if (jit->opt.mode == JIT_TIER_LLVM) {   /* the only compiled tier: interpreted until ready */
        jit_tier2_request(jit, b);
        return;
    }
    uint64_t t0 = now_ns();
    bool ok = jit_baseline_compile(jit, b);
    uint64_t dt = now_ns() - t0;
    if (!ok) {
        jit->compile_failures++;
        if (!jit->reported_failure) {
            jit->reported_failure = true;
            fprintf(stderr, "tiercel: baseline JIT: cannot compile the block at 0x%llx; it stays interpreted "
                    "(reported once)\n", (unsigned long long)b->pc);
        }
        jit_log(jit, "tier 1: 0x%llx: not compiled, stays interpreted", (unsigned long long)b->pc);
        return;
    }
    jit_log(jit, "tier 1: 0x%llx: %u instruction%s compiled in %.1f us, %zu bytes", (unsigned long long)b->pc,
            b->ninsns, b->ninsns == 1 ? "" : "s", (double)dt / 1e3, jit->last_code_size);
    jit->compiles++;
    record_compile_latency(&jit->latency, dt > UINT32_MAX ? UINT32_MAX : (uint32_t)dt);
    /* T2 == T1: the baseline code, counting from here, would never see the T2th run */
    if (jit->opt.mode == JIT_TIER_AUTO && b->runs >= jit->opt.threshold2)
        jit_tier2_request(jit, b);
    if (jit->perfmap)   /* START SIZE NAME, hex, as perf reads /tmp/perf-PID.map */
        fprintf(jit->perfmap, "%lx %lx tiercel-bb-0x%llx-%u\n", (unsigned long)(uintptr_t)b->tier_chain,
                (unsigned long)jit->last_code_size, (unsigned long long)b->pc, b->ninsns);
}

static void link_site(void *opaque, uintptr_t cookie, InterpBlock *next)
{
    JitSite *site = (JitSite *)cookie;
    if (site->hot) {   /* next (the block itself) reached tier 2's threshold */
        jit_tier2_request(opaque, next);
        return;
    }
    jit_baseline_link(opaque, site, next);
}

static void blocks_died(void *opaque)
{
    jit_tier2_blocks_died(opaque);
    jit_baseline_unlink_all(opaque);
}

static void flushed(void *opaque)
{
    jit_tier2_flushed(opaque, false);
    jit_baseline_flush(opaque);
}

static void poll(void *opaque)
{
    jit_tier2_poll(opaque);
}

static uint64_t insns_counted(void *opaque)
{
    return jit_tier2_insns(opaque);
}

static const InterpInsn *insn_at(void *opaque, uintptr_t host_pc)
{
    return jit_baseline_insn_at(opaque, host_pc);
}

/* ---------------------------------------------------------------- profile */

static Jit *profiled;

static void on_sigprof(int sig, siginfo_t *si, void *uc_)
{
    (void)sig, (void)si;
    Jit *jit = profiled;
    if (!jit)
        return;
    const ucontext_t *uc = uc_;
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t lo = (uintptr_t)jit->base.code;
    extern char __executable_start[], __etext[];   /* the program's text (GNU ld) */
    if (rip >= lo && rip < lo + jit->base.code_size)
        atomic_fetch_add(&jit->samples_tier1, 1);
    else if (rip >= (uintptr_t)__executable_start && rip < (uintptr_t)__etext)
        atomic_fetch_add(&jit->samples_program, 1);
    atomic_fetch_add(&jit->samples_total, 1);
}

static void start_profile(Jit *jit)
{
    profiled = jit;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigprof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);
    struct itimerval it = { .it_interval = { 0, 1000 }, .it_value = { 0, 1000 } };   /* 1 kHz of CPU time */
    setitimer(ITIMER_PROF, &it, NULL);
}

/* ---------------------------------------------------------------- create, stats */

Jit *jit_create(InterpCpu *cpu, const JitOptions *opt, char *err, size_t errsize)
{
    Jit *jit = calloc(1, sizeof *jit);
    if (!jit) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    jit->cpu = cpu;
    jit->opt = *opt;
    jit->start_ns = now_ns();
    if (opt->mode != JIT_TIER_INTERP) {
        if (!jit_baseline_init(jit, err, errsize)) {
            free(jit);
            return NULL;
        }
        jit->base.hot_threshold = opt->mode == JIT_TIER_AUTO ? opt->threshold2 : 0;
        jit_tier2_setup(jit);
        jit->tier = (InterpTier){
            .opaque = jit,
            /* forced baseline compiles every block; forced llvm queues blocks once warm (T1),
               so that cold code does not fill the queue */
            .threshold = opt->mode == JIT_TIER_BASELINE ? 1 : opt->threshold1,
            .promote = promote,
            .link = link_site,
            .blocks_died = blocks_died,
            .flushed = flushed,
            .poll = poll,
            .insn_at = insn_at,
            .insns_counted = insns_counted,
        };
        interp_set_tier(cpu, &jit->tier);
    }
    if (opt->profile)
        start_profile(jit);
    if (opt->perfmap && opt->mode != JIT_TIER_INTERP) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
        jit->perfmap = fopen(path, "w");
        if (!jit->perfmap) {
            snprintf(err, errsize, "--perfmap: cannot write %s: %s", path, strerror(errno));
            jit_destroy(jit);
            return NULL;
        }
        setvbuf(jit->perfmap, NULL, _IOFBF, 1 << 16);
    }
    return jit;
}

void jit_stop_threads(Jit *jit)
{
    if (jit)
        jit_tier2_stop(jit);
}

void jit_destroy(Jit *jit)
{
    if (!jit)
        return;
    if (profiled == jit) {
        struct itimerval off = { { 0, 0 }, { 0, 0 } };
        setitimer(ITIMER_PROF, &off, NULL);
        profiled = NULL;
    }
    if (jit->perfmap)
        fclose(jit->perfmap);
    if (jit->cpu->tier == &jit->tier)
        interp_set_tier(jit->cpu, NULL);
    jit_tier2_destroy(jit);
    jit_baseline_destroy(jit);
    free(jit->latency.ns);
    free(jit->t2.latency.ns);
    free(jit);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void print_latency(FILE *out, JitLatencies *l)
{
    uint32_t median = 0, p99 = 0;
    if (l->n) {
        qsort(l->ns, l->n, sizeof *l->ns, cmp_u32);
        median = l->ns[l->n / 2];
        p99 = l->ns[(l->n * 99) / 100];
    }
    fprintf(out, "    compile latency   median %.1f us, p99 %.1f us\n", median / 1e3, p99 / 1e3);
}

static void share(char *buf, size_t size, unsigned long part, unsigned long all)
{
    if (all)
        snprintf(buf, size, "%.1f%%", 100.0 * (double)part / (double)all);
    else
        snprintf(buf, size, "-");
}

void jit_print_stats(Jit *jit, FILE *out)
{
    InterpCpu *cpu = jit->cpu;
    interp_sync_stats(cpu);
    uint64_t total = cpu->stats.insns;
    /* tier 2 counts the instructions its code runs (in the total too: insns_counted);
       tier 1 the runs of compiled blocks since compiled (tier 2 counts no runs) */
    uint64_t tier2 = jit_tier2_insns(jit);
    uint64_t tier12 = jit->retired_insns + jit_baseline_live_insns(jit);
    if (tier2 > total) {   /* tier 2 counts what its own code ran: never more than all */
        fprintf(out, "  warning: tier 2 counted %llu instructions, more than the %llu of all tiers\n",
                (unsigned long long)tier2, (unsigned long long)total);
        tier2 = total;
    }
    uint64_t tier1 = tier12;
    if (tier1 + tier2 > total)   /* traps in compiled code are uncounted from the total only */
        tier1 = total - tier2;
    uint64_t tier0 = total - tier1 - tier2;
    unsigned long all = atomic_load(&jit->samples_total), in1 = atomic_load(&jit->samples_tier1);
    unsigned long in0 = atomic_load(&jit->samples_program);
    char s0[32], s1[32], s2[32];
    share(s0, sizeof s0, in0, all);
    share(s1, sizeof s1, in1, all);
    share(s2, sizeof s2, all - in0 - in1, all);
    double pct = total ? 100.0 / (double)total : 0;
    fprintf(out, "  tier 0 interpreter  %llu instructions (%.1f%%), time %s (with the runtime)\n",
            (unsigned long long)tier0, (double)tier0 * pct, s0);
    if (jit->opt.mode == JIT_TIER_INTERP)
        return;
    fprintf(out, "  tier 1 baseline     %llu instructions (%.1f%%), time %s\n", (unsigned long long)tier1,
            (double)tier1 * pct, s1);
    fprintf(out, "    blocks compiled   %llu (%llu failed), threshold %llu runs\n", (unsigned long long)jit->compiles,
            (unsigned long long)jit->compile_failures, (unsigned long long)jit->tier.threshold);
    print_latency(out, &jit->latency);
    fprintf(out, "    code bytes        %zu in the cache, %llu emitted, %llu cache flushes\n", jit->base.code_used,
            (unsigned long long)jit->code_bytes_total, (unsigned long long)jit->flushes);
    fprintf(out, "    unlinks           %llu\n", (unsigned long long)jit->unlinks);
    fprintf(out, "    loads forwarded   %llu (an operand's load after its store: a move), %llu after exchanging two "
                 "sources\n", (unsigned long long)jit->loads_forwarded, (unsigned long long)jit->loads_exchanged);
    JitTier2 *t = &jit->t2;
    fprintf(out, "  tier 2 llvm         %llu instructions (%.1f%%), time %s (outside the program's text)\n",
            (unsigned long long)tier2, (double)tier2 * pct, s2);
    fprintf(out, "    regions compiled  %llu of %llu requested (%llu failed, %llu stale, %llu dropped, %llu covered), %llu blocks, "
            "%u installed, %u thread%s, threshold %llu runs\n",
            (unsigned long long)t->compiles, (unsigned long long)t->requested, (unsigned long long)t->failures,
            (unsigned long long)t->discarded, (unsigned long long)t->dropped, (unsigned long long)t->covered,
            (unsigned long long)t->region_blocks, t->nregions, t->nthreads,
            t->nthreads == 1 ? "" : "s",
            (unsigned long long)(jit->opt.mode == JIT_TIER_LLVM ? jit->tier.threshold : jit->base.hot_threshold));
    print_latency(out, &t->latency);
    fprintf(out, "    code bytes        %llu in the installed regions\n", (unsigned long long)t->code_bytes);
}
