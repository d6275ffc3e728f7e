/*
** exec.c — the execution loop: runs blocks with the generated handlers, chains them,
** and turns traps and host faults into InterpExit results with an exact guest pc.
**
** One set of handler bodies, two dispatch builds (Lua's vmdispatch/vmcase/vmbreak):
** threaded (computed goto, the default) and switch (-DINTERP_DISPATCH_SWITCH), which
** the test suite also runs.
*/
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "interp-internal.h"
#include "sem-ops.h"
/* The FP helpers' host shortcut runs in the handlers; the helper only when it does not
   apply (a rounding mode other than RNE, or a NaN result). */
#define HOST_FP_SLOW(W, op, cpu_, a, b, rm) helper_f##W##_##op(cpu_, a, b, rm)
#include "host-fp.h"

#ifdef INTERP_DISPATCH_SWITCH
#define vmdispatch(ip) dispatch: switch ((ip)->op)
#define vmcase(op) case op:
#define vmnext do { ip++; goto dispatch; } while (0)
const char *interp_dispatch_name(void) { return "switch"; }
#else
#define vmdispatch(ip) goto *(ip)->handler;
#define vmcase(op) L_##op:
#define vmnext do { ip++; goto *ip->handler; } while (0)
#define vmfused(first, second) L_##first##_then_##second:   /* superinstructions (gen) */
#define vmfused_fwd(first, second, j) L_##first##_then_##second##_fwd_##j:   /* (their forwarding variants) */
const char *interp_dispatch_name(void) { return "threaded"; }
#endif
#ifdef INTERP_DISPATCH_SWITCH
#define vmend(target) do { npc = (target); goto block_end; } while (0)
#else
/* Each block-ending handler follows the block's links itself, so every handler has
   its own indirect jump (one shared jump for all block ends predicts badly). An
   indirect jump (`jumped` 2) whose target is not linked tries the jump cache here too:
   a switch's jump has more targets than a block has links, and the shared way through
   block_end cost bytecode's interpreted run 2-7% (medians of 7-11 interleaved runs). */
#define vmend(target) do {                                                      \
        npc = (target);                                                        \
        /* links are always live (cache.c), until block_end sees `pending` */  \
        InterpBlock *n_ = b->succ[0];                                          \
        if (!n_ || n_->pc != npc) n_ = b->succ[1];                             \
        if (jumped == 2 && (!n_ || n_->pc != npc)) {                           \
            n_ = interp_probe_block(cache, npc);                               \
            if (n_ && !n_->insns[0].handler)   /* never run: no handlers */     \
                n_ = NULL;                                                     \
        }                                                                      \
        if (n_ && n_->pc == npc) {                                             \
            /* the tier's threshold, or 0 while something is pending */       \
            uint64_t limit_ = cpu->run_limit;                                  \
            b = n_;                                                            \
            b->runs++;                                                         \
            if (unlikely(b->runs >= limit_)) goto run_limit_reached;           \
            ip = b->insns;                                                     \
            goto *ip->handler;                                                 \
        }                                                                      \
        goto block_end;                                                        \
    } while (0)
#endif

/* ---- what the generated bodies use (gen/emit-c.c lists them) ---- */
#define HELPER_CPU cpu
#define SLOT_B(i) (ip->b[i])
#define SLOT_IMM() (ip->imm)
#define SLOT_IMM2() (ip->imm2)
#define REG_R(file, i) (cpu->file[i])
#define REG_W(file, i, v) (cpu->file[i] = (v))
#define REG_W_NZ(file, i, v) do { unsigned r_ = (i); __typeof__(cpu->file[0]) v_ = (v); if (r_) cpu->file[r_] = v_; } while (0)
#define STATE(name) (cpu->name)
#define INSN_PC (ip->pc)
#define INSN_NPC (ip->pc + ip->len)
#define SYNC_PC() (cache->fault_ip = ip)   /* a host fault finds the instruction here */
#define JUMP(target) (next_pc = (target), jumped = 2)
#define JUMP_REL(target) (next_pc = (target), jumped = 1)

/* the memory and CSR effects are sem-ops.h's; a fault leaves through these labels */
#define MEM_FAULT(kind, addr) do { fault_addr = (addr); goto kind##_fault; } while (0)
#define ECALL() goto ecall_exit
#define EBREAK() goto ebreak_exit
#define ILLEGAL() goto illegal

/* Instructions of block b not executed when leaving it at ip (ip itself included
   unless `retired`). */
static void uncount(InterpCpu *cpu, const InterpBlock *b, const InterpInsn *ip, bool retired)
{
    uint64_t done = (uint64_t)(ip - b->insns) + retired;
    interp_uncount(cpu->cache, b->ninsns - (done > b->ninsns ? b->ninsns : done));
}

/* run_limit back to the tier's threshold (`limit`) once nothing is pending. Against
   interp_set_pending in another thread or a signal handler: it sets the bit, then 0; this
   sets the threshold, then reads the bits, so one of the two leaves 0 if a bit is set. */
static inline void rearm_run_limit(InterpCpu *cpu, uint64_t limit)
{
    if (likely(cpu->run_limit == limit))   /* armed already (a setter's 0 may follow) */
        return;
    __atomic_store_n(&cpu->run_limit, limit, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&cpu->pending, __ATOMIC_SEQ_CST))
        __atomic_store_n(&cpu->run_limit, 0, __ATOMIC_SEQ_CST);
}

static void log_exec(InterpCpu *cpu, const InterpBlock *b)
{
    fprintf(cpu->log, "Trace: %016" PRIx64 " [%u insns]\n", b->pc, b->ninsns);
}

#ifndef INTERP_DISPATCH_SWITCH
typedef struct Superinsn {
    uint16_t first, second;
    const void *handler;
} Superinsn;

/* A forwarding variant (gen's GEN_SUPERINSN_FWD_LIST): for a pair whose first writes x
   through byte slot k and whose second reads x through byte slot j, when the two name
   the same register the second takes the first's value without reloading it. */
typedef struct SuperinsnFwd {
    uint16_t first, second;
    uint8_t k, j;
    const void *handler;
} SuperinsnFwd;

static const void *superinsn_of(const Superinsn *fused, unsigned n, unsigned first, unsigned second)
{
    for (unsigned k = 0; k < n; k++)
        if (fused[k].first == first && fused[k].second == second)
            return fused[k].handler;
    return NULL;
}

static const void *forwarding_of(const SuperinsnFwd *fwd, unsigned n, const InterpInsn *a, const InterpInsn *b)
{
    for (unsigned v = 0; v < n; v++)
        if (fwd[v].first == a->op && fwd[v].second == b->op && a->b[fwd[v].k] == b->b[fwd[v].j])
            return fwd[v].handler;
    return NULL;
}

/* A block's handlers, the first time it runs: one per instruction, except that pairs
   with a superinstruction get its handler on their first (whose handler then runs both;
   the second's is never reached). Returns how many pairs. In a, b, c with superinsns
   for both (a, b) and (b, c) only one can be taken: the pairing that fuses most wins,
   and among those the one with most forwarding pairs (a load fewer on a dependency). */
static unsigned set_handlers(InterpBlock *b, const void *const *disptab, const Superinsn *fused, unsigned nfused,
                             const SuperinsnFwd *fwd, unsigned nfwd, uint64_t *forwarding)
{
    enum { PAIR = INTERP_MAX_BLOCK_INSNS };   /* a pair outweighs any number of forwardings */
    unsigned n = b->ninsns;
    uint32_t best[INTERP_MAX_BLOCK_INSNS + 2];   /* score of the pairs fused in insns[i..n) */
    const void *pair[INTERP_MAX_BLOCK_INSNS + 1];
    bool forwards[INTERP_MAX_BLOCK_INSNS + 1];
    best[n] = best[n + 1] = 0;   /* (the block decoder keeps n <= INTERP_MAX_BLOCK_INSNS) */
    for (unsigned i = n; i-- > 0;) {
        pair[i] = NULL;
        best[i] = best[i + 1];
        const void *f = i + 1 < n ? superinsn_of(fused, nfused, b->insns[i].op, b->insns[i + 1].op) : NULL;
        if (!f)
            continue;
        const void *ff = forwarding_of(fwd, nfwd, &b->insns[i], &b->insns[i + 1]);
        uint32_t score = best[i + 2] + PAIR + (ff != NULL);
        if (score > best[i]) {
            best[i] = score;
            pair[i] = ff ? ff : f;
            forwards[i] = ff != NULL;
        }
    }
    for (unsigned i = 0; i <= n; i++)
        b->insns[i].handler = disptab[b->insns[i].op];
    unsigned pairs = 0;
    for (unsigned i = 0; i < n; i++)
        if (pair[i]) {
            b->insns[i].handler = pair[i];
            *forwarding += forwards[i];
            pairs++;
            i++;
        }
    return pairs;
}
#endif

static __attribute__((noinline)) InterpExit run_blocks(InterpCpu *cpu)
{
    InterpBlockCache *const cache = cpu->cache;
    uint8_t *const mbase = cpu->mem_base;
    const uint64_t msize = cpu->mem_size;
#ifndef INTERP_DISPATCH_SWITCH
#define HANDLER_ENTRY(op) [op] = &&L_##op,
    static const void *const disptab[OP_TOTAL] = {
        GEN_HANDLER_LIST(HANDLER_ENTRY)
        [OP_BLOCK_FALLTHROUGH] = &&L_OP_BLOCK_FALLTHROUGH,
        [OP_UNDECODABLE] = &&L_OP_UNDECODABLE,
        [OP_FETCH_FAULT] = &&L_OP_FETCH_FAULT,
        [OP_INLINED_JUMP] = &&L_OP_INLINED_JUMP,
    };
#define SUPERINSN_ENTRY(first, second) { first, second, &&L_##first##_then_##second },
    static const Superinsn fused[] = { GEN_SUPERINSN_LIST(SUPERINSN_ENTRY) { 0, 0, NULL } };
#define FORWARDING_ENTRY(first, second, k, j) { first, second, k, j, &&L_##first##_then_##second##_fwd_##j },
    static const SuperinsnFwd fwd[] = { GEN_SUPERINSN_FWD_LIST(FORWARDING_ENTRY) { 0, 0, 0, 0, NULL } };
#endif
    /* blocks this hot go to the tier (a register compare on every block transition) */
    const uint64_t promote_at = cpu->tier ? cpu->tier->threshold : UINT64_MAX;
    uintptr_t site = 0;            /* the exit of compiled code the tier may link */
    bool interpret_once = false;   /* compiled code left at a trap: interpret from there */
    InterpExit why;
    uint64_t npc, fault_addr = 0;
    const InterpInsn *ip;
    rearm_run_limit(cpu, promote_at);
    InterpBlock *b = interp_find_block(cpu, cpu->pc);
    if (!b) {
        cpu->trap_value = cpu->pc;
        return INTERP_EXIT_FETCH_FAULT;
    }

    for (;;) {
#ifndef INTERP_DISPATCH_SWITCH
        if (unlikely(!b->insns[0].handler))
            cpu->stats.superinsns += set_handlers(b, disptab, fused, sizeof fused / sizeof fused[0] - 1, fwd,
                                                  sizeof fwd / sizeof fwd[0] - 1, &cpu->stats.superinsns_fwd);
#endif
        b->runs++;
        if (unlikely(b->runs >= promote_at)) {
        tiered: __attribute__((unused));   /* (the switch build's vmend leaves through block_end) */
            if (unlikely(interpret_once))   /* compiled code left here at a trap */
                goto interpret;
            if (!b->tier_tried) {
                b->tier_tried = 1;
                interp_fp_fold(cpu);   /* (tiercel's own code may raise host FP flags) */
                cpu->tier->promote(cpu->tier->opaque, b);
                interp_fp_discard();
            }
            /* compiled code checks `pending` only when chaining; -d exec (LOG) still runs it */
            if (b->tier_entry && !(cpu->pending & ~(uint32_t)INTERP_PENDING_LOG)) {
                if (unlikely(cpu->log_mask & INTERP_LOG_EXEC))
                    log_exec(cpu, b);
                cache->fault_ip = NULL;       /* compiled code: see interp_run's fault path */
                uintptr_t r = b->tier_entry(cpu, mbase, msize);
                if (r == INTERP_TIER_INTERPRET)
                    interpret_once = true;
                else
                    site = r;
                npc = cpu->pc;
                b = NULL;                     /* not the block that left: nothing to link */
                goto block_end;
            }
        }
    interpret:
        interpret_once = false;   /* (set for this block only, hot or not) */
        if (unlikely(cpu->log_mask & INTERP_LOG_EXEC))
            log_exec(cpu, b);
        ip = b->insns;
        vmdispatch(ip) {
#include GEN_INTERP_INC
        vmcase(OP_BLOCK_FALLTHROUGH) {
            const unsigned jumped = 0; (void)jumped;   /* (as the generated bodies have) */
            vmend(ip->pc);
        }
        vmcase(OP_INLINED_JUMP) {
            vmnext;   /* the block continues at the jump's target */
        }
        vmcase(OP_UNDECODABLE) {
            cpu->pc = ip->pc;
            cpu->trap_value = (uint64_t)ip->imm;
            why = INTERP_EXIT_ILLEGAL;
            goto trap;
        }
        vmcase(OP_FETCH_FAULT) {
            cpu->pc = ip->pc;
            cpu->trap_value = ip->pc;
            why = INTERP_EXIT_FETCH_FAULT;
            goto trap;
        }
#ifdef INTERP_DISPATCH_SWITCH
        default:
            __builtin_unreachable();
#endif
        }

    block_end:
        cpu->pc = npc;
        if (unlikely(cpu->pending)) {
            interp_fp_fold(cpu);   /* (tiercel's own code may raise host FP flags) */
            if (cpu->pending & INTERP_PENDING_CODE) {
                interp_process_pending(cpu);
                b = NULL;        /* it may be dead, and a flush frees its memory */
            }
            if (cpu->pending & INTERP_PENDING_TIER) {
                __atomic_fetch_and(&cpu->pending, ~(uint32_t)INTERP_PENDING_TIER, __ATOMIC_SEQ_CST);
                if (cpu->tier)
                    cpu->tier->poll(cpu->tier->opaque);
            }
            interp_fp_discard();
            if (cpu->pending & INTERP_PENDING_EXIT) {
                __atomic_fetch_and(&cpu->pending, ~(uint32_t)INTERP_PENDING_EXIT, __ATOMIC_SEQ_CST);
                return INTERP_EXIT_REQUEST;
            }
        }
        rearm_run_limit(cpu, promote_at);
        {
            InterpBlock *next = NULL;
            uint64_t epoch = cache->epoch;
            if (b && b->link_epoch == epoch) {
                if (b->succ[0] && b->succ[0]->pc == npc)
                    next = b->succ[0];
                else if (b->succ[1] && b->succ[1]->pc == npc)
                    next = b->succ[1];
            }
            if (!next) {
                next = interp_probe_block(cache, npc);
                if (!next && (next = interp_find_block(cpu, npc)) == NULL) {
                    cpu->trap_value = npc;
                    return INTERP_EXIT_FETCH_FAULT;
                }
                /* link only if nothing died meanwhile (b's memory may be reused) */
                if (b && cache->epoch == epoch && b->valid) {
                    if (b->link_epoch != epoch) {
                        b->succ[0] = b->succ[1] = NULL;
                        b->link_epoch = epoch;
                    }
                    b->succ[b->succ_next] = next;
                    b->succ_next ^= 1;
                }
            }
            if (site) {
                if (next->tier_chain) {
                    interp_fp_fold(cpu);   /* (a region may compile here: --jit-threads=0) */
                    cpu->tier->link(cpu->tier->opaque, site, next);
                    interp_fp_discard();
                }
                site = 0;
            }
            b = next;
        }
    }

#ifndef INTERP_DISPATCH_SWITCH
run_limit_reached:   /* a link's block reached run_limit (vmend) */
    if (likely(b->runs >= promote_at && !cpu->pending))
        goto tiered;
    /* something is pending (or a setter's late 0 outlived it): block_end first, which
       re-arms the limit, then b (counted there) */
    b->runs--;
    npc = b->pc;
    b = NULL;
    goto block_end;
#endif

ecall_exit:
    cpu->pc = ip->pc;
    uncount(cpu, b, ip, true);
    return INTERP_EXIT_ECALL;
ebreak_exit:
    cpu->pc = ip->pc;
    why = INTERP_EXIT_EBREAK;
    goto trap;
illegal: {
        bool ok;
        cpu->pc = ip->pc;
        cpu->trap_value = interp_fetch_bits(cpu, ip->pc, &ok);
        why = INTERP_EXIT_ILLEGAL;
        goto trap;
    }
load_fault:
    why = INTERP_EXIT_LOAD_FAULT;
    goto fault;
store_fault:
    why = INTERP_EXIT_STORE_FAULT;
    goto fault;
misaligned_fault: __attribute__((unused));
    why = INTERP_EXIT_MISALIGNED;
fault:
    cpu->pc = ip->pc;
    cpu->trap_value = fault_addr;
trap:
    uncount(cpu, b, ip, false);
    return why;
}

InterpExit interp_run(InterpCpu *cpu)
{
    InterpBlockCache *cache = cpu->cache;
    int why = sigsetjmp(cache->fault_jmp, 0);
    if (why) {
        /* a host fault in guest memory, during the access SYNC_PC() recorded */
        cache->running = 0;
        const InterpInsn *ip = cache->fault_ip;
        if (!ip && cpu->tier && cpu->tier->insn_at)   /* in compiled code */
            ip = cpu->tier->insn_at(cpu->tier->opaque, cache->fault_host_pc);
        if (!ip) {   /* tier 2 checks its accesses: a host fault there is tiercel's bug */
            fprintf(stderr, "tiercel: internal error: host fault at 0x%" PRIxPTR " in compiled code that "
                            "names no guest instruction (guest address 0x%" PRIx64 ")\n",
                    cache->fault_host_pc, cpu->trap_value);
            abort();
        }
        cpu->pc = ip->pc;
        const InterpBlock *b = interp_block_of(cache, ip);
        if (b)
            uncount(cpu, b, ip, false);
        return (InterpExit)why;
    }
    /* the host FPU's flags are the guest's from here to the return (host-fp.h) */
    interp_fp_discard();
    cache->running = 1;
    /* -d exec logs every block, so blocks must not chain past the loop's log call */
    if (cpu->log_mask & INTERP_LOG_EXEC)
        interp_set_pending(cpu, INTERP_PENDING_LOG);
    InterpExit r = run_blocks(cpu);
    cache->running = 0;
    interp_fp_fold(cpu);
    return r;
}

uintptr_t interp_side_exit(InterpCpu *cpu, const InterpBlock *b, const InterpInsn *ip)
{
    cpu->pc = ip->pc;
    uncount(cpu, b, ip, false);
    return INTERP_TIER_INTERPRET;
}

uintptr_t interp_side_exit_uncounted(InterpCpu *cpu, const InterpBlock *b, const InterpInsn *ip)
{
    (void)b;
    cpu->pc = ip->pc;
    return INTERP_TIER_INTERPRET;
}

void interp_host_fault(InterpCpu *cpu, InterpExit why, uint64_t addr, uintptr_t host_pc, uint32_t host_mxcsr)
{
    interp_fp_fold_from(cpu, host_mxcsr);
    cpu->trap_value = addr;
    cpu->cache->fault_host_pc = host_pc;
    siglongjmp(cpu->cache->fault_jmp, (int)why);
}

bool interp_is_running(const InterpCpu *cpu)
{
    return cpu->cache && cpu->cache->running;
}
