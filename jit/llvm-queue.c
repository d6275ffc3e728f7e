/*
** llvm-queue.c — tier 2's side in the main program: loads libtiercel-llvm.so on first
** use, picks regions, hands snapshots of them to compile threads, and installs the
** results at a block boundary (the loop's poll) if nothing they cover died meanwhile.
** The compile threads never touch the interpreter's memory; the main thread never
** touches LLVM.
*/
#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jit-internal.h"

/* jit/lift-bitcode.S: the bodies, as bitcode */
extern const unsigned char tiercel_lift_bitcode[], tiercel_lift_bitcode_end[];

typedef struct Request {
    struct Request *next;
    uint64_t generation;       /* jit->t2.generation when taken */
    InterpBlock *head;
    uint64_t head_runs;        /* head->runs when taken */
    uint64_t priority;         /* head's runs since (refreshed by the main thread) */
    JitLlvmRegion region;
    JitLlvmInsn *insns;        /* all blocks' instructions */
    /* result */
    bool ok;
    JitLlvmCode code;
    uint32_t latency_ns;
    char error[160];
} Request;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void free_request(Request *r)
{
    free(r->region.insns);   /* (NULL once an installed region owns it) */
    free(r->insns);
    free(r);
}

/* ---------------------------------------------------------------- compile threads */

/* The request whose head ran most since it was queued, the oldest of equals: a loop that
   runs now goes before one that ran once (a program's set-up) and a request whose blocks
   a region compiled meanwhile took over. In the order asked, sort's hot merge loop
   waited 0.7 s behind regions of code that no longer ran. */
static Request *take_hottest(Request **queue)
{
    Request **best = queue;
    for (Request **at = queue; *at; at = &(*at)->next)
        if ((*at)->priority > (*best)->priority)
            best = at;
    Request *r = *best;
    if (r)
        *best = r->next;
    return r;
}

static void *worker(void *arg)
{
    Jit *jit = arg;
    JitTier2 *t = &jit->t2;
    sigset_t all;   /* the profile's SIGPROF samples the guest's thread, not this one */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    char err[160];
    void *compiler = t->api->create(&t->host, err, sizeof err);
    pthread_mutex_lock(&t->lock);
    if (!compiler) {
        snprintf(t->thread_error, sizeof t->thread_error, "%s", err);
        t->broken = true;
    }
    for (;;) {
        while (!t->stop && !t->queue && !t->nreleases)
            pthread_cond_wait(&t->wake, &t->lock);
        if (t->stop)
            break;
        while (t->nreleases) {
            void *h = t->releases[--t->nreleases];
            pthread_mutex_unlock(&t->lock);
            if (compiler)
                t->api->release(compiler, h);
            pthread_mutex_lock(&t->lock);
        }
        Request *r = take_hottest(&t->queue);
        if (!r)
            continue;
        pthread_mutex_unlock(&t->lock);
        uint64_t t0 = now_ns();
        r->ok = compiler && t->api->compile(compiler, &r->region, &r->code, r->error, sizeof r->error);
        if (!compiler)
            snprintf(r->error, sizeof r->error, "%s", t->thread_error);
        uint64_t dt = now_ns() - t0;
        r->latency_ns = dt > UINT32_MAX ? UINT32_MAX : (uint32_t)dt;
        pthread_mutex_lock(&t->lock);
        r->next = t->done;
        t->done = r;
        interp_set_pending(jit->cpu, INTERP_PENDING_TIER);
    }
    pthread_mutex_unlock(&t->lock);
    if (compiler) {
        /* the code of installed regions goes with the compiler */
        t->api->destroy(compiler);
    }
    return NULL;
}

/* ---------------------------------------------------------------- loading */

static bool load(Jit *jit)
{
    JitTier2 *t = &jit->t2;
    if (t->api)
        return true;
    if (t->load_failed)
        return false;
    char path[PATH_MAX];
    const char *env = getenv("TIERCEL_LLVM_LIBRARY");
    if (env) {
        snprintf(path, sizeof path, "%s", env);
    } else {   /* beside the executable */
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 32);
        if (n <= 0)
            n = 0;
        path[n] = 0;
        char *slash = strrchr(path, '/');
        snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0),
                 "libtiercel-llvm.so");
    }
    t->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!t->dl && !env)   /* installed: in the library path */
        t->dl = dlopen("libtiercel-llvm.so", RTLD_NOW | RTLD_LOCAL);
    const JitLlvmApi *api = t->dl ? dlsym(t->dl, JIT_LLVM_API_SYMBOL) : NULL;
    if (!api) {
        fprintf(stderr, "tiercel: the LLVM tier is unavailable (%s); code stays in the lower tiers\n",
                t->dl ? "no API in the library" : dlerror());
        t->load_failed = true;
        return false;
    }
    t->api = api;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    if (jit->opt.threads == 0) {   /* compile on the guest's thread, before the code runs on */
        char err[160];
        t->sync_compiler = api->create(&t->host, err, sizeof err);
        if (!t->sync_compiler) {
            fprintf(stderr, "tiercel: the LLVM tier is unavailable (%s); code stays in the lower tiers\n", err);
            t->load_failed = true;
            t->api = NULL;
            return false;
        }
        return true;
    }
    unsigned n = jit->opt.threads;
    for (unsigned i = 0; i < n && i < JIT_MAX_THREADS; i++)
        if (pthread_create(&t->threads[t->nthreads], NULL, worker, jit) == 0)
            t->nthreads++;
    if (!t->nthreads) {
        fprintf(stderr, "tiercel: cannot start an LLVM compile thread; code stays in the lower tiers\n");
        t->load_failed = true;
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- regions */

static bool in_region(const Request *r, uint64_t pc)
{
    for (unsigned k = 0; k < r->region.nblocks; k++)
        if (r->region.blocks[k].pc == pc)
            return true;
    return false;
}

/* The block after b in the code's layout: where b falls through, or what follows its
   last instruction (a jump's or a branch's); 0 if none (b ends in a fault). A region
   grows along the layout from its head; what else it holds comes from the hot blocks
   near it (below). Growing along branch and jump targets instead, as this once meant
   to, was measured (min of 5 interleaved, auto): sort 12% slower (callees far away,
   memcpy, joined its regions); limited to the same 2 KiB reach, within noise. */
static uint64_t next_in_layout(const InterpBlock *b)
{
    const InterpInsn *last = &b->insns[b->ninsns];
    return last->op == OP_BLOCK_FALLTHROUGH ? last->pc : 0;
}

/* Is b one of the blocks of a region installed (InterpBlock.tier_held) or on its way? A
   hot block inside a region gets no region of its own: in a loop with many hot blocks (an
   interpreter's dispatch, a sort's compare and swap) each would ask for one, and each
   would compile nearly the same blocks again (and keep the compile thread from the rest
   for tens of ms). Entered from outside its region, such a block runs in tier 1 until a
   branch leads to a head. */
static bool covered(const JitTier2 *t, const InterpBlock *b)
{
    if (b->tier_held)
        return true;
    for (unsigned i = 0; i < t->ninflight; i++)
        for (unsigned k = 0; k < t->inflight[i]->region.nblocks; k++)
            if (t->inflight[i]->region.blocks[k].block == b && t->inflight[i]->generation == t->generation)
                return true;
    return false;
}

/* tier_held saturates: a block held by 255 regions stays covered */
static void hold_blocks(JitRegion *g, int by)
{
    for (unsigned k = 0; k < g->nblocks; k++)
        if (g->blocks[k]->tier_held != UINT8_MAX && (by > 0 || g->blocks[k]->tier_held))
            g->blocks[k]->tier_held = (uint8_t)(g->blocks[k]->tier_held + by);
}

/* -d tier: the region asked for, and its blocks (the head first) */
static void log_request(Jit *jit, const InterpBlock *const *blocks, unsigned n, unsigned ninsns)
{
    char list[JIT_MAX_REGION_BLOCKS * 20] = "";   /* " 0x" and up to 16 digits each */
    size_t used = 0;
    for (unsigned k = 0; k < n && used < sizeof list; k++)
        used += (size_t)snprintf(list + used, sizeof list - used, " 0x%llx", (unsigned long long)blocks[k]->pc);
    jit_log(jit, "tier 2: 0x%llx: queued, %u block%s, %u instruction%s:%s", (unsigned long long)blocks[0]->pc, n,
            n == 1 ? "" : "s", ninsns, ninsns == 1 ? "" : "s", list);
}

/* The main thread owns the run counts: it copies each queued head's into its request
   for the compile threads to choose by (with t->lock held). A request from before a
   flush may point at freed blocks, so only the current generation's are read. (A count
   can step back by one: a region's entry takes back the run its loop counted.) */
static void refresh_priorities_locked(JitTier2 *t)
{
    for (Request *r = t->queue; r; r = r->next) {
        bool live = r->generation == t->generation && r->head->valid;
        r->priority = live && r->head->runs > r->head_runs ? r->head->runs - r->head_runs : 0;
    }
}

void jit_tier2_request(Jit *jit, InterpBlock *head)
{
    JitTier2 *t = &jit->t2;
    if (!load(jit))
        return;
    if (covered(t, head)) {
        t->covered++;
        return;
    }
    if (t->queued >= JIT_MAX_QUEUED) {   /* the threads are behind: wait, or drop it */
        bool waits = t->nwaiting < JIT_MAX_WAITING;
        if (waits)
            t->waiting[t->nwaiting++] = head;
        else
            t->dropped++;
        jit_log(jit, "tier 2: 0x%llx: %s, %u regions queued", (unsigned long long)head->pc,
                waits ? "waits for room" : "dropped", t->queued);
        return;
    }
    Request *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->head = head;
    r->head_runs = head->runs;
    r->generation = t->generation;
    r->region.insns = calloc(1, sizeof *r->region.insns);
    if (!r->region.insns) {
        free(r);
        return;
    }
    /* the head, and the blocks after it in the layout that run at least 1/32 as often */
    const InterpBlock *blocks[JIT_MAX_REGION_BLOCKS];
    unsigned n = 0, ninsns = 0;
    blocks[n++] = head;
    r->region.blocks[0].pc = head->pc;
    r->region.nblocks = 1;
    for (unsigned k = 0; k < n && n < JIT_MAX_REGION_BLOCKS; k++) {
        uint64_t next = next_in_layout(blocks[k]);
        if (!next || in_region(r, next))
            continue;
        InterpBlock *nb = interp_cached_block(jit->cpu, next);
        if (!nb || nb->runs < head->runs / 32)
            continue;
        blocks[n++] = nb;
        r->region.blocks[r->region.nblocks++].pc = nb->pc;
    }
    /* then hot blocks nearby, which computed jumps (switch tables, returns) may reach:
       the region dispatches every block end on the next pc, so they stay inside. From
       1/64 of the head's runs: each case of a switch runs a small share of its dispatch */
    if (n < JIT_MAX_REGION_BLOCKS) {
        InterpBlock *near[JIT_MAX_REGION_BLOCKS];
        uint64_t lo = head->pc > JIT_REGION_REACH ? head->pc - JIT_REGION_REACH : 0;
        size_t nn = interp_hot_blocks(jit->cpu, lo, head->pc + JIT_REGION_REACH, head->runs / 64 + 1, near,
                                      JIT_MAX_REGION_BLOCKS);
        for (size_t i = 0; i < nn && n < JIT_MAX_REGION_BLOCKS; i++)
            if (!in_region(r, near[i]->pc)) {
                blocks[n++] = near[i];
                r->region.blocks[r->region.nblocks++].pc = near[i]->pc;
            }
    }
    for (unsigned k = 0; k < n; k++)
        ninsns += blocks[k]->ninsns + 1;
    if (JIT_LOGGING(jit))
        log_request(jit, blocks, n, ninsns - n);
    r->insns = calloc(ninsns, sizeof *r->insns);
    if (!r->insns) {
        free_request(r);
        return;
    }
    JitLlvmInsn *at = r->insns;
    for (unsigned k = 0; k < n; k++) {
        const InterpBlock *b = blocks[k];
        JitLlvmBlock *rb = &r->region.blocks[k];
        rb->block = b;
        rb->runs = (uint64_t *)&b->runs;
        rb->ninsns = b->ninsns + 1;
        rb->insns = at;
        for (unsigned i = 0; i <= b->ninsns; i++, at++) {
            const InterpInsn *ip = &b->insns[i];
            *at = (JitLlvmInsn){ .insn = ip, .imm = ip->imm, .pc = ip->pc, .imm2 = ip->imm2, .op = ip->op,
                                 .len = ip->len,
                                 .ends = i < b->ninsns &&
                                         (interp_insn_info[ip->info].flags & INTERP_INSN_ENDS_BLOCK),
                                 .csr = i < b->ninsns && (interp_insn_info[ip->info].flags & INTERP_INSN_CSR) };
            memcpy(at->b, ip->b, sizeof at->b);
            if (i < b->ninsns && (interp_insn_info[ip->info].flags & INTERP_INSN_FP))
                r->region.fp = true;
        }
    }
    r->region.frm = jit->cpu->frm;
    if (t->sync_compiler) {
        uint64_t t0 = now_ns();
        r->ok = t->api->compile(t->sync_compiler, &r->region, &r->code, r->error, sizeof r->error);
        uint64_t dt = now_ns() - t0;
        r->latency_ns = dt > UINT32_MAX ? UINT32_MAX : (uint32_t)dt;
        t->requested++;
        r->next = t->done;
        t->done = r;
        jit_tier2_poll(jit);
        return;
    }
    pthread_mutex_lock(&t->lock);
    Request **tail = &t->queue;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    refresh_priorities_locked(t);
    t->requested++;
    t->queued++;
    t->inflight[t->ninflight++] = r;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

static void release_locked(JitTier2 *t, void *handle)
{
    if (t->sync_compiler) {
        t->api->release(t->sync_compiler, handle);
        return;
    }
    if (t->nreleases < JIT_MAX_RELEASES) {
        t->releases[t->nreleases++] = handle;
        pthread_cond_signal(&t->wake);
    }   /* else: kept until exit (more than JIT_MAX_RELEASES at once cannot happen in practice) */
}

/* Drops installed region i (its code is freed by its compile thread). */
static void uninstall(Jit *jit, unsigned i, bool blocks_alive)
{
    JitTier2 *t = &jit->t2;
    JitRegion *g = &t->regions[i];
    jit_log(jit, "tier 2: 0x%llx: removed (%s)", (unsigned long long)g->head_pc,
            blocks_alive ? "code it covers changed" : "the interpreter flushed its blocks");
    t->retired_insns += *g->insns;
    free(g->insns);   /* (the code that counts there never runs again) */
    if (blocks_alive)   /* (dead ones stay in the arena until a flush, which frees all) */
        hold_blocks(g, -1);
    if (blocks_alive && g->head->valid && g->head->tier_chain == g->chain) {
        g->head->tier_entry = g->prev_entry;   /* back to the baseline code, if any */
        g->head->tier_chain = g->prev_chain;
    }
    pthread_mutex_lock(&t->lock);
    release_locked(t, g->handle);
    pthread_mutex_unlock(&t->lock);
    t->code_bytes -= g->code_bytes;
    t->regions[i] = t->regions[--t->nregions];
}

void jit_tier2_poll(Jit *jit)
{
    JitTier2 *t = &jit->t2;
    if (!t->api)
        return;
    pthread_mutex_lock(&t->lock);
    Request *done = t->done;
    t->done = NULL;
    refresh_priorities_locked(t);
    pthread_mutex_unlock(&t->lock);
    bool installed = false;
    while (done) {
        Request *r = done;
        done = r->next;
        if (!t->sync_compiler) {
            t->queued--;
            for (unsigned i = 0; i < t->ninflight; i++)
                if (t->inflight[i] == r) {
                    t->inflight[i] = t->inflight[--t->ninflight];
                    break;
                }
        }
        record_compile_latency(&t->latency, r->latency_ns);
        unsigned long long head_pc = (unsigned long long)r->region.blocks[0].pc;
        if (!r->ok) {
            jit_log(jit, "tier 2: 0x%llx: not compiled: %s", head_pc, r->error);
            t->failures++;
            if (!t->reported_failure) {
                t->reported_failure = true;
                fprintf(stderr, "tiercel: LLVM tier: cannot compile the region at 0x%llx: %s; it stays in the "
                        "lower tiers (reported once)\n", (unsigned long long)r->region.blocks[0].pc, r->error);
            }
        } else if (r->generation != t->generation || !r->head->valid || t->nregions == JIT_MAX_REGIONS) {
            pthread_mutex_lock(&t->lock);   /* stale: something it covers died */
            release_locked(t, r->code.handle);
            pthread_mutex_unlock(&t->lock);
            t->discarded++;
            jit_log(jit, "tier 2: 0x%llx: compiled in %.1f ms, discarded (%s)", head_pc, r->latency_ns / 1e6,
                    t->nregions == JIT_MAX_REGIONS ? "no room" : "code it covers changed meanwhile");
        } else {
            JitRegion *g = &t->regions[t->nregions++];
            g->head = r->head;
            g->head_pc = r->region.blocks[0].pc;
            g->nblocks = r->region.nblocks;
            for (unsigned k = 0; k < g->nblocks; k++)
                g->blocks[k] = (InterpBlock *)r->region.blocks[k].block;
            hold_blocks(g, 1);
            g->insns = r->region.insns;
            r->region.insns = NULL;
            g->handle = r->code.handle;
            g->entry = r->code.entry;
            g->chain = r->code.chain;
            g->code_bytes = r->code.code_bytes;
            t->code_bytes += g->code_bytes;
            g->prev_entry = r->head->tier_entry;
            g->prev_chain = r->head->tier_chain;
            r->head->tier_entry = (InterpTierCode *)r->code.entry;
            r->head->tier_chain = r->code.chain;
            if (jit->perfmap && r->code.body_size)   /* as tier 1's lines: START SIZE NAME */
                fprintf(jit->perfmap, "%lx %lx tiercel-region-0x%llx-%u\n", (unsigned long)(uintptr_t)r->code.body,
                        (unsigned long)r->code.body_size, (unsigned long long)r->head->pc, g->nblocks);
            r->head->tier_tried = 1;
            jit_log(jit, "tier 2: 0x%llx: compiled in %.1f ms, installed, %zu bytes", head_pc, r->latency_ns / 1e6,
                    g->code_bytes);
            t->compiles++;
            t->region_blocks += g->nblocks;
            installed = true;
        }
        free_request(r);
    }
    if (installed)   /* baseline exits linked to the old code find the new through the loop */
        jit_baseline_unlink_all(jit);
    /* the queue has room again: the blocks that waited for it, most recent first */
    while (t->nwaiting && t->queued < JIT_MAX_QUEUED) {
        InterpBlock *b = t->waiting[--t->nwaiting];
        if (b->valid)
            jit_tier2_request(jit, b);
    }
}

void jit_tier2_blocks_died(Jit *jit)
{
    JitTier2 *t = &jit->t2;
    t->generation++;
    t->nwaiting = 0;   /* (they may be dead) */
    for (unsigned i = 0; i < t->nregions;) {
        bool dead = false;
        for (unsigned k = 0; k < t->regions[i].nblocks; k++)
            dead |= !t->regions[i].blocks[k]->valid;
        if (dead)
            uninstall(jit, i, true);
        else
            i++;
    }
}

void jit_tier2_flushed(Jit *jit, bool blocks_alive)
{
    JitTier2 *t = &jit->t2;
    t->generation++;
    t->nwaiting = 0;
    while (t->nregions)
        uninstall(jit, t->nregions - 1, blocks_alive);
}

/* The baseline code went (its cache was flushed): regions must not fall back to it. */
void jit_tier2_baseline_gone(Jit *jit)
{
    for (unsigned i = 0; i < jit->t2.nregions; i++)
        jit->t2.regions[i].prev_entry = NULL, jit->t2.regions[i].prev_chain = NULL;
}

uint64_t jit_tier2_insns(const Jit *jit)
{
    uint64_t n = jit->t2.retired_insns;
    for (unsigned i = 0; i < jit->t2.nregions; i++)
        n += *jit->t2.regions[i].insns;
    return n;
}

bool jit_tier2_setup(Jit *jit)
{
    JitTier2 *t = &jit->t2;
    static const char *const names[OP_TOTAL] = {
#define LIFT_NAME(op) [op] = "lift_" #op,
        GEN_HANDLER_LIST(LIFT_NAME)
#undef LIFT_NAME
    };
    t->host = (JitLlvmHost){
        .bitcode = tiercel_lift_bitcode,
        .bitcode_size = (size_t)(tiercel_lift_bitcode_end - tiercel_lift_bitcode),
        .lift_names = names,
        .nops = OP_TOTAL,
        .externs = jit_lift_externs,
        .nexterns = jit_lift_nexterns,
        .lookup = jit->base.lookup,
        .side_exit = (const void *)&interp_side_exit_uncounted,
        .arena = interp_tier_view(jit->cpu).arena,
        .rights = jit->cpu->mem->rights,
        .pending = &jit->cpu->pending,
        .off_pc = (uint32_t)offsetof(InterpCpu, pc),
        .off_frm = (uint32_t)offsetof(InterpCpu, frm),
        .pipeline = jit->opt.llvm_pipeline,
        .cpu_size = (uint32_t)sizeof(InterpCpu),
        .op_fallthrough = OP_BLOCK_FALLTHROUGH,
        .op_inlined_jump = OP_INLINED_JUMP,
    };
    return true;
}

/* The threads leave when told; each destroys its compiler on the way out, so the code
   they compiled goes too: the guest must not run again after this. */
void jit_tier2_stop(Jit *jit)
{
    JitTier2 *t = &jit->t2;
    if (!t->api || t->stopped)
        return;
    t->stopped = true;
    if (t->sync_compiler)
        t->api->destroy(t->sync_compiler);
    t->sync_compiler = NULL;
    pthread_mutex_lock(&t->lock);
    t->stop = true;
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
    for (unsigned i = 0; i < t->nthreads; i++)
        pthread_join(t->threads[i], NULL);
    t->nthreads = 0;
}

void jit_tier2_destroy(Jit *jit)
{
    JitTier2 *t = &jit->t2;
    if (!t->api)
        return;
    jit_tier2_stop(jit);
    while (t->queue) {
        Request *r = t->queue;
        t->queue = r->next;
        free_request(r);
    }
    while (t->done) {
        Request *r = t->done;
        t->done = r->next;
        free_request(r);
    }
}
