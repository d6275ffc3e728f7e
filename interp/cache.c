/*
** cache.c — the block cache: decoding guest code into blocks once, finding them by
** pc, and forgetting them when the code under them changes.
**
** Blocks live in one arena and are never freed one by one: a block whose code changed
** is marked invalid and unlinked lazily; when the arena fills up, everything goes
** (QEMU's tb_flush). Links between blocks carry the cache's epoch, so killing any
** block makes every cached link stale at once.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "interp-internal.h"

enum { ARENA_SIZE = 64 << 20 };

static unsigned hash_pc(uint64_t pc) { return (unsigned)((pc >> 1) * 0x9E3779B97F4A7C15ull >> (64 - INTERP_HASH_BITS)); }

int interp_cpu_init(InterpCpu *cpu, MemUser *mem, const InterpHooks *hooks)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->mem = mem;
    cpu->mem_base = mem->host_base;
    cpu->mem_size = mem->size;
    if (hooks)
        cpu->hooks = *hooks;
    cpu->log = stderr;
    InterpBlockCache *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    c->arena_size = ARENA_SIZE;
    c->arena = mmap(NULL, c->arena_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    c->watched = calloc(INTERP_MAX_WATCHED, sizeof *c->watched);
    if (c->arena == MAP_FAILED || !c->watched) {
        free(c->watched);
        free(c);
        return -ENOMEM;
    }
    c->epoch = 1;
    cpu->cache = c;
    return 0;
}

void interp_cpu_destroy(InterpCpu *cpu)
{
    InterpBlockCache *c = cpu->cache;
    if (!c)
        return;
    munmap(c->arena, c->arena_size);
    free(c->watched);
    free(c);
    cpu->cache = NULL;
}

/* ---------------------------------------------------------------- watched pages */

static unsigned watch_slot(const InterpBlockCache *c, uint64_t page)
{
    unsigned i = (unsigned)((page >> 12) * 0x9E3779B97F4A7C15ull >> 40) & (INTERP_MAX_WATCHED - 1);
    while (c->watched[i] && c->watched[i] != page + 1)
        i = (i + 1) & (INTERP_MAX_WATCHED - 1);
    return i;
}

static void watch_page(InterpCpu *cpu, uint64_t page)
{
    InterpBlockCache *c = cpu->cache;
    unsigned i = watch_slot(c, page);
    if (c->watched[i])
        return;
    if (c->nwatched >= INTERP_MAX_WATCHED / 2)
        return;   /* table full: such pages are simply not write-protected; fence.i still works */
    c->watched[i] = page + 1;
    c->nwatched++;
    if (cpu->hooks.watch_code_page)
        cpu->hooks.watch_code_page(cpu->hooks.opaque, page);
}

static void unwatch_page(InterpCpu *cpu, uint64_t page)
{
    InterpBlockCache *c = cpu->cache;
    unsigned i = watch_slot(c, page);
    if (!c->watched[i])
        return;
    /* backward-shift deletion keeps probe chains intact */
    unsigned j = i;
    for (;;) {
        c->watched[i] = 0;
        for (;;) {
            j = (j + 1) & (INTERP_MAX_WATCHED - 1);
            if (!c->watched[j])
                goto done;
            unsigned home = (unsigned)(((c->watched[j] - 1) >> 12) * 0x9E3779B97F4A7C15ull >> 40) & (INTERP_MAX_WATCHED - 1);
            if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
                break;
        }
        c->watched[i] = c->watched[j];
        i = j;
    }
done:
    c->nwatched--;
    if (cpu->hooks.unwatch_code_page)
        cpu->hooks.unwatch_code_page(cpu->hooks.opaque, page);
}

/* ---------------------------------------------------------------- invalidation */

static void retire_counts(InterpBlockCache *c, const InterpBlock *b)
{
    c->retired_insns += (int64_t)(b->runs * b->ninsns);
    c->retired_runs += (int64_t)b->runs;
}

/* The block whose instructions include ip (a walk: for fault paths only). */
const InterpBlock *interp_block_of(const InterpBlockCache *c, const InterpInsn *ip)
{
    for (size_t off = 0; off < c->arena_used;) {
        const InterpBlock *b = (const InterpBlock *)(c->arena + off);
        off += sizeof *b + (b->ninsns + 1) * sizeof(InterpInsn);
        if (ip >= b->insns && ip < b->insns + b->ninsns)
            return b;
    }
    return NULL;
}

void interp_sync_stats(InterpCpu *cpu)
{
    InterpBlockCache *c = cpu->cache;
    int64_t insns = c->retired_insns, runs = c->retired_runs;
    for (size_t off = 0; off < c->arena_used;) {
        const InterpBlock *b = (const InterpBlock *)(c->arena + off);
        off += sizeof *b + (b->ninsns + 1) * sizeof(InterpInsn);
        if (b->valid) {
            insns += (int64_t)(b->runs * b->ninsns);
            runs += (int64_t)b->runs;
        }
    }
    if (cpu->tier && cpu->tier->insns_counted)
        insns += (int64_t)cpu->tier->insns_counted(cpu->tier->opaque);
    cpu->stats.insns = (uint64_t)insns;
    cpu->stats.blocks_run = (uint64_t)runs;
}

void interp_flush(InterpCpu *cpu)
{
    InterpBlockCache *c = cpu->cache;
    for (size_t off = 0; off < c->arena_used;) {
        InterpBlock *b = (InterpBlock *)(c->arena + off);
        off += sizeof *b + (b->ninsns + 1) * sizeof(InterpInsn);
        if (b->valid)
            retire_counts(c, b);
    }
    c->arena_used = 0;
    if (cpu->tier)
        cpu->tier->flushed(cpu->tier->opaque);
    memset(c->hash, 0, sizeof c->hash);
    memset(c->jump_cache, 0, sizeof c->jump_cache);
    c->epoch++;
    cpu->stats.flushes++;
    /* watched pages stay protected; their next write finds nothing to drop */
}

void interp_invalidate_range(InterpCpu *cpu, uint64_t addr, uint64_t len)
{
    InterpBlockCache *c = cpu->cache;
    uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;
    bool any = false;
    for (size_t off = 0; off < c->arena_used;) {
        InterpBlock *b = (InterpBlock *)(c->arena + off);
        off += sizeof *b + (b->ninsns + 1) * sizeof(InterpInsn);
        if (b->valid && b->lo < end && b->hi > addr) {
            retire_counts(c, b);
            b->valid = 0;
            b->tier_entry = NULL;
            b->tier_chain = NULL;
            cpu->stats.invalidations++;
            any = true;
        }
    }
    if (any) {
        /* links are followed without checks on the fast path: drop them all (rare) */
        for (size_t off = 0; off < c->arena_used;) {
            InterpBlock *b = (InterpBlock *)(c->arena + off);
            off += sizeof *b + (b->ninsns + 1) * sizeof(InterpInsn);
            b->succ[0] = b->succ[1] = NULL;
        }
        c->epoch++;
        if (cpu->tier)
            cpu->tier->blocks_died(cpu->tier->opaque);
    }
    for (uint64_t page = addr & MEM_PAGE_MASK; page < end && page >= (addr & MEM_PAGE_MASK); page += MEM_PAGE_SIZE) {
        unwatch_page(cpu, page);
        if (page + MEM_PAGE_SIZE < page)
            break;
    }
}

void interp_code_written(InterpCpu *cpu, uint64_t page)
{
    InterpBlockCache *c = cpu->cache;
    unsigned n = c->npending;
    if (n < INTERP_MAX_PENDING) {
        c->pending_pages[n] = page & MEM_PAGE_MASK;
        c->npending = n + 1;
    } else {
        c->pending_flush = 1;
    }
    interp_set_pending(cpu, INTERP_PENDING_CODE);
}

void interp_fence_i(InterpCpu *cpu)
{
    cpu->cache->pending_flush = 1;
    interp_set_pending(cpu, INTERP_PENDING_CODE);
}

void interp_request_exit(InterpCpu *cpu)
{
    interp_set_pending(cpu, INTERP_PENDING_EXIT);
}

void interp_process_pending(InterpCpu *cpu)
{
    InterpBlockCache *c = cpu->cache;
    __atomic_fetch_and(&cpu->pending, ~(uint32_t)INTERP_PENDING_CODE, __ATOMIC_SEQ_CST);
    unsigned n = c->npending;
    for (unsigned i = 0; i < n; i++)
        interp_invalidate_range(cpu, c->pending_pages[i], MEM_PAGE_SIZE);
    c->npending = 0;
    if (c->pending_flush) {
        c->pending_flush = 0;
        interp_flush(cpu);
    }
}

/* ---------------------------------------------------------------- tiers */

void interp_set_tier(InterpCpu *cpu, const InterpTier *tier)
{
    if (cpu->cache->arena_used)
        interp_flush(cpu);   /* no block may carry another tier's code */
    cpu->tier = tier;
}

InterpTierView interp_tier_view(InterpCpu *cpu)
{
    return (InterpTierView){ .jump_cache = cpu->cache->jump_cache, .arena = cpu->cache->arena };
}

/* ---------------------------------------------------------------- decoding */

int interp_decode_index(uint32_t bits)
{
    InterpInsn d;
    return interp_decode_one(bits, &d);
}

static bool executable(InterpCpu *cpu, uint64_t page)
{
    if (page >= cpu->mem_size)
        return false;
    return !cpu->hooks.page_executable || cpu->hooks.page_executable(cpu->hooks.opaque, page);
}

/* The instruction bits at pc (2 or 4 bytes as the low bits say); ok=false if any
   byte needed is not executable. */
uint32_t interp_fetch_bits(InterpCpu *cpu, uint64_t pc, bool *ok)
{
    *ok = false;
    if (!executable(cpu, pc & MEM_PAGE_MASK))
        return 0;
    uint16_t lo, hi;
    memcpy(&lo, cpu->mem_base + pc, 2);
    if ((lo & 3) != 3) {
        *ok = true;
        return lo;
    }
    uint64_t next = pc + 2;
    if ((next & MEM_PAGE_MASK) != (pc & MEM_PAGE_MASK) && !executable(cpu, next & MEM_PAGE_MASK))
        return 0;      /* a 32-bit instruction straddling into an unfetchable page */
    memcpy(&hi, cpu->mem_base + next, 2);
    *ok = true;
    return lo | (uint32_t)hi << 16;
}

static InterpBlock *decode_block(InterpCpu *cpu, uint64_t pc)
{
    InterpBlockCache *c = cpu->cache;
    size_t need = sizeof(InterpBlock) + (INTERP_MAX_BLOCK_INSNS + 1) * sizeof(InterpInsn);
    if (c->arena_used + need > c->arena_size)
        interp_flush(cpu);
    InterpBlock *b = (InterpBlock *)(c->arena + c->arena_used);
    memset(b, 0, sizeof *b);
    b->pc = pc;
    uint64_t at = pc, lo = pc, hi = pc;
    unsigned n = 0;
    for (;;) {
        InterpInsn *d = &b->insns[n];
        memset(d, 0, sizeof *d);
        d->pc = at;
        bool ok;
        uint32_t bits = interp_fetch_bits(cpu, at, &ok);
        if (!ok) {
            d->op = OP_FETCH_FAULT;
            break;
        }
        if (interp_decode_one(bits, d) < 0) {
            memset(d, 0, sizeof *d);
            d->pc = at;
            d->op = OP_UNDECODABLE;
            d->imm = (bits & 3) == 3 ? bits : (bits & 0xffff);
            break;
        }
        d->pc = at;
        watch_page(cpu, at & MEM_PAGE_MASK);
        if (((at + d->len - 1) & MEM_PAGE_MASK) != (at & MEM_PAGE_MASK))
            watch_page(cpu, (at + d->len - 1) & MEM_PAGE_MASK);
        if (at < lo)
            lo = at;
        if (at + d->len > hi)
            hi = at + d->len;
        n++;
        /* a direct jump that links nothing: keep decoding at its target */
        const InterpInsnInfo *ex = &interp_insn_info[d->op];
        if ((ex->flags & INTERP_INSN_DIRECT) && (ex->link_slot < 0 || d->b[ex->link_slot] == 32) &&
            n < INTERP_MAX_BLOCK_INSNS) {
            uint64_t target = at + (uint64_t)d->imm;
            uint64_t distance = target > pc ? target - pc : pc - target;
            if (distance < INTERP_MAX_INLINE_DISTANCE && !(target & 1)) {
                d->op = OP_INLINED_JUMP;
                at = target;
                continue;
            }
        }
        at += d->len;
        /* a jump ends the block; so do page ends (code there may be unmapped or change
           separately) and the length limit. The slot after the last instruction always
           holds a pseudo-instruction, reached or not, so that no stale bytes remain. */
        bool ends = interp_insn_info[d->info].flags & INTERP_INSN_ENDS_BLOCK;
        if (ends || n == INTERP_MAX_BLOCK_INSNS || (at & ~MEM_PAGE_MASK) == 0) {
            InterpInsn *f = &b->insns[n];
            memset(f, 0, sizeof *f);
            f->pc = at;
            f->op = OP_BLOCK_FALLTHROUGH;
            break;
        }
    }
    if (n == 0 && b->insns[0].op == OP_FETCH_FAULT)
        return NULL;
    b->ninsns = n;
    b->lo = lo;
    b->hi = hi > at ? hi : at;
    b->valid = 1;
    c->arena_used += sizeof *b + (n + 1) * sizeof(InterpInsn);
    unsigned h = hash_pc(pc);
    b->hash_next = c->hash[h];
    c->hash[h] = b;
    cpu->stats.blocks_decoded++;
    if (cpu->log_mask & INTERP_LOG_IN_ASM)
        interp_log_block(cpu, b);
    return b;
}

InterpBlock *interp_cached_block(InterpCpu *cpu, uint64_t pc)
{
    for (InterpBlock *b = cpu->cache->hash[hash_pc(pc)]; b; b = b->hash_next)
        if (b->valid && b->pc == pc)
            return b;
    return NULL;
}

size_t interp_hot_blocks(InterpCpu *cpu, uint64_t lo, uint64_t hi, uint64_t min_runs, InterpBlock **out, size_t max)
{
    InterpBlockCache *c = cpu->cache;
    size_t n = 0;
    for (size_t off = 0; off < c->arena_used && max;) {
        InterpBlock *b = (InterpBlock *)(c->arena + off);
        off += sizeof *b + (b->ninsns + 1) * sizeof(InterpInsn);
        if (!b->valid || b->pc < lo || b->pc >= hi || b->runs < min_runs)
            continue;
        /* keep out[] sorted by runs, most first; drop the least when full */
        size_t at = n < max ? n++ : max;
        if (at == max) {
            if (out[max - 1]->runs >= b->runs)
                continue;
            at = max - 1;
        }
        while (at > 0 && out[at - 1]->runs < b->runs) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = b;
    }
    return n;
}

InterpBlock *interp_find_block(InterpCpu *cpu, uint64_t pc)
{
    InterpBlockCache *c = cpu->cache;
    InterpBlock *b = c->jump_cache[interp_jc_index(pc)];
    if (b && b->pc == pc && b->valid)
        return b;
    InterpBlock **link = &c->hash[hash_pc(pc)];
    while ((b = *link) != NULL) {
        if (!b->valid) {          /* unlink the dead as we pass */
            *link = b->hash_next;
            continue;
        }
        if (b->pc == pc)
            break;
        link = &b->hash_next;
    }
    if (!b)
        b = decode_block(cpu, pc);
    if (b)
        c->jump_cache[interp_jc_index(pc)] = b;
    return b;
}
