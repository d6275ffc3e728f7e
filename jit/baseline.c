/*
** baseline.c — tier 1: copy-and-patch. A block's code is its instructions' stencils laid
** end to end (each falls through into the next), behind two plumbing stencils: the
** chained entry (leave if the loop has work pending) and the run counter. Its exits jump
** to per-exit stubs that return to the loop, and are retargeted straight at the
** successor's code once that is compiled (QEMU's TB chaining). Computed jumps go through
** the shared lookup stencil and the loop's jump cache.
**
** Code lives in one RWX buffer, bump-allocated, flushed whole when full; links are undone
** whenever a block dies, since a link may point at it.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "jit-internal.h"

#include "riscv64-stencils.c.inc"

static const JitStencil op_stencils[OP_TOTAL] = { JIT_OP_STENCILS };
static const JitStencil op_stencils_imm0[OP_TOTAL] = { JIT_OP_STENCILS_IMM0 };
static const JitStencil op_stencils_imm32[OP_TOTAL] = { JIT_OP_STENCILS_IMM32 };

/* Whether each of the stencil's immediate fields holds imm, as its relocation reads it. */
static bool imm_fits(const JitStencil *st, int64_t imm)
{
    for (unsigned i = 0; i < st->nholes; i++) {
        const JitHole *h = &st->holes[i];
        if (h->kind != JIT_HOLE_IMM)
            continue;
        int64_t v = imm + h->addend;
        bool fits = h->reloc == JIT_RELOC_ABS32S ? v == (int32_t)v
                                                 : h->reloc == JIT_RELOC_ABS32 && v >= 0 && v <= UINT32_MAX;
        if (!fits)
            return false;
    }
    return true;
}

/* The instruction's stencil: the variant for an immediate of 0, or for one in 32-bit
   fields, where there is one (the build keeps those shorter than the op's own). */
static const JitStencil *stencil_for(const InterpInsn *ip)
{
    const JitStencil *z = &op_stencils_imm0[ip->op], *w = &op_stencils_imm32[ip->op];
    if (ip->imm == 0)
        return z->code ? z : &op_stencils[ip->op];
    return w->code && imm_fits(w, ip->imm) ? w : &op_stencils[ip->op];
}

static const JitStencil check_pending_stencil = STENCIL_check_pending;
static const JitStencil count_run_stencil = STENCIL_count_run;
static const JitStencil count_run_only_stencil = STENCIL_count_run_only;
static const JitStencil exit_stencil = STENCIL_exit;
static const JitStencil lookup_stencil = STENCIL_lookup;
static const JitStencil side_exit_stencil = STENCIL_side_exit;
static const struct { const uint8_t *data; size_t size, align; } rodata_sections[] = {
    JIT_RODATA_SECTIONS { NULL, 0, 1 }
};
_Static_assert(JIT_RODATA_COUNT <= JIT_MAX_RODATA, "raise JIT_MAX_RODATA");

/* ---------------------------------------------------------------- patching */

static bool put32(uint8_t *field, int64_t value, bool is_signed)
{
    if (is_signed ? value != (int32_t)value : (uint64_t)value > UINT32_MAX)
        return false;
    uint32_t v = (uint32_t)value;
    memcpy(field, &v, 4);
    return true;
}

/* Points the rel32 field at `target` (the field is followed by nothing: addend -4). */
static bool put_rel32(uint8_t *field, int64_t addend, const void *target)
{
    return put32(field, (int64_t)((uintptr_t)target - (uintptr_t)field) + addend, true);
}

static uint8_t *alloc_code(JitBaseline *bs, size_t size)
{
    if (size > bs->code_size - bs->code_used)
        return NULL;
    uint8_t *p = bs->code + bs->code_used;
    bs->code_used += size;
    return p;
}

/* A call or jump to a function of the program that rel32 cannot reach from the buffer. */
static uint8_t *veneer_for(JitBaseline *bs, const void *target)
{
    for (unsigned i = 0; i < bs->nveneers; i++)
        if (bs->veneers[i].target == target)
            return bs->veneers[i].veneer;
    if (bs->nveneers == sizeof bs->veneers / sizeof bs->veneers[0])
        return NULL;
    uint8_t *v = alloc_code(bs, 16);
    if (!v)
        return NULL;
    static const uint8_t jmp_indirect[6] = { 0xff, 0x25, 0, 0, 0, 0 };   /* jmp *0(%rip) */
    memcpy(v, jmp_indirect, 6);
    uintptr_t t = (uintptr_t)target;
    memcpy(v + 6, &t, 8);
    bs->veneers[bs->nveneers].target = target;
    bs->veneers[bs->nveneers].veneer = v;
    bs->nveneers++;
    return v;
}

/* What a copy's holes are filled with (besides the jumps). */
typedef struct HoleValues {
    const InterpBlock *block;
    const InterpInsn *insn;      /* NULL for plumbing stencils */
    uint64_t pc;                 /* JIT_HOLE_PC */
    uintptr_t site;
    const uint8_t *pending_stub; /* JIT_HOLE_EXIT_PENDING */
    const uint8_t *hot_stub;     /* JIT_HOLE_EXIT_HOT */
    /* JIT_HOLE_SIDE_EXIT fields, patched once the instruction's side-exit stub exists */
    uint8_t **side_fields;
    unsigned nside, max_side;
} HoleValues;

static bool hole_value(JitBaseline *bs, const HoleValues *hv, JitHoleKind kind, uint64_t *value)
{
    const InterpInsn *ip = hv->insn;
    switch (kind) {
    case JIT_HOLE_REG0: case JIT_HOLE_REG1: case JIT_HOLE_REG2:
    case JIT_HOLE_REG3: case JIT_HOLE_REG4: case JIT_HOLE_REG5:
        *value = 8u * ip->b[kind - JIT_HOLE_REG0];
        return true;
    case JIT_HOLE_B0: case JIT_HOLE_B1: case JIT_HOLE_B2:
    case JIT_HOLE_B3: case JIT_HOLE_B4: case JIT_HOLE_B5:
        *value = ip->b[kind - JIT_HOLE_B0];
        return true;
    case JIT_HOLE_IMM: *value = (uint64_t)ip->imm; return true;
    case JIT_HOLE_IMM2: *value = (uint64_t)(int64_t)ip->imm2; return true;
    case JIT_HOLE_PC: *value = ip ? ip->pc : hv->pc; return true;
    case JIT_HOLE_NPC: *value = ip->pc + ip->len; return true;
    case JIT_HOLE_BLOCK: *value = (uintptr_t)hv->block; return true;
    case JIT_HOLE_INSN: *value = (uintptr_t)ip; return true;
    case JIT_HOLE_RUNS: *value = (uintptr_t)&hv->block->runs; return true;
    case JIT_HOLE_SITE: *value = hv->site; return true;
    case JIT_HOLE_JUMP_CACHE: *value = (uintptr_t)bs->view.jump_cache; return true;
    case JIT_HOLE_HOT: *value = bs->hot_threshold; return true;
    default: return false;
    }
}

/* What replaces a stencil's first instruction (`head` bytes) when it loads the register
   the code before it has just stored from a host register: a move, or nothing. */
typedef struct Forward {
    uint8_t head;
    uint8_t len;
    uint8_t code[3];
} Forward;

static bool copy_stencil_fw(JitBaseline *bs, uint8_t *dst, const JitStencil *st, HoleValues *hv,
                            JitSite *sites, const Forward *fw)
{
    unsigned skip = fw ? fw->head : 0, put = fw ? fw->len : 0;
    if (put)
        memcpy(dst, fw->code, put);
    memcpy(dst + put, st->code + skip, st->size - skip);
    uint8_t *end = dst + put + st->size - skip;
    dst = dst + put - skip;   /* where the stencil's offsets count from */
    for (unsigned i = 0; i < st->nholes; i++) {
        const JitHole *h = &st->holes[i];
        if (h->offset < skip)
            continue;   /* the replaced instruction's field */
        uint8_t *field = dst + h->offset;
        const void *target;
        switch (h->kind) {
        case JIT_HOLE_CONTINUE:
            target = end;
            break;
        case JIT_HOLE_EXIT_LOOKUP:
            target = bs->lookup;
            break;
        case JIT_HOLE_EXIT_PENDING:
            if (!hv->pending_stub)
                return false;
            target = hv->pending_stub;
            break;
        case JIT_HOLE_EXIT_HOT:
            if (!hv->hot_stub)
                return false;
            target = hv->hot_stub;
            break;
        case JIT_HOLE_SIDE_EXIT:
            if (h->reloc != JIT_RELOC_REL32 || h->addend != -4 || hv->nside == hv->max_side)
                return false;
            hv->side_fields[hv->nside++] = field;
            continue;
        case JIT_HOLE_EXIT_NEXT:
        case JIT_HOLE_EXIT_TAKEN: {
            if (!sites)
                return false;
            JitSite *s = &sites[h->kind == JIT_HOLE_EXIT_TAKEN];
            if (s->npatch == JIT_MAX_SITE_PATCHES)
                return false;
            s->patch[s->npatch++] = (uint32_t)(field - bs->code);
            continue;   /* patched when the stubs exist */
        }
        case JIT_HOLE_RODATA: {
            unsigned r = 0;   /* the table ends with a NULL entry */
            while (rodata_sections[r].data && rodata_sections[r].data != h->target)
                r++;
            if (!rodata_sections[r].data || !put_rel32(field, h->addend, bs->rodata[r]))
                return false;
            continue;
        }
        case JIT_HOLE_EXTERN:
            target = h->target;
            if (h->reloc == JIT_RELOC_REL32 && !put_rel32(field, h->addend, target)) {
                uint8_t *v = veneer_for(bs, target);
                if (!v || !put_rel32(field, h->addend, v))
                    return false;
            }
            if (h->reloc == JIT_RELOC_REL32)
                continue;
            break;
        default: {
            uint64_t value;
            if (!hole_value(bs, hv, (JitHoleKind)h->kind, &value))
                return false;
            value += (uint64_t)(int64_t)h->addend;
            if (h->reloc == JIT_RELOC_ABS64)
                memcpy(field, &value, 8);
            else if (!put32(field, (int64_t)value, h->reloc == JIT_RELOC_ABS32S))
                return false;
            continue;
        }
        }
        /* a code address */
        if (h->reloc == JIT_RELOC_REL32) {
            if (!put_rel32(field, h->addend, target))
                return false;
        } else if (h->reloc == JIT_RELOC_ABS64) {
            uint64_t v = (uintptr_t)target + (uint64_t)(int64_t)h->addend;
            memcpy(field, &v, 8);
        } else {
            return false;
        }
    }
    return true;
}

static bool copy_stencil(JitBaseline *bs, uint8_t *dst, const JitStencil *st, HoleValues *hv,
                         JitSite *sites)
{
    return copy_stencil_fw(bs, dst, st, hv, sites, NULL);
}

/* ---------------------------------------------------------------- forwarding

   Most stencils end by storing their result (`mov %reg,disp(%rdi)`) and start by loading
   an operand (`mov disp(%rdi),%reg`). Where the one stores the register the next loads,
   the load becomes a move between host registers, or goes (3 of the 43 host
   instructions of crc32's loop, 2 of intkernel's 20). It holds only if every way into
   the next stencil passes the store: the store is the stencil's last instruction and it
   has no other way on (jit_continue) than falling through (tests/stencils checks that no
   jump inside lands after the store). */

/* A register-to-register or memory instruction's REX prefix and ModRM fields. */
static bool parse_rm(const uint8_t *c, unsigned *rex, unsigned *op, unsigned *reg, unsigned *at_disp)
{
    *rex = (c[0] & 0xf0) == 0x40 ? c[0] : 0;
    unsigned at = *rex ? 1 : 0;
    unsigned modrm = c[at + 1];
    if ((modrm & 0xc7) != 0x87 || (*rex & 0x03))   /* disp32(%rdi); no REX.X, REX.B */
        return false;
    *op = c[at];
    *reg = ((modrm >> 3) & 7) | (*rex & 4 ? 8 : 0);
    *at_disp = at + 2;
    return true;
}

/* The value the 32-bit field at `offset` of st gets (a register's offset, or the bytes as
   they are). False for any other hole. */
static bool disp_at(const JitStencil *st, const InterpInsn *ip, unsigned offset, int64_t *disp)
{
    for (unsigned i = 0; i < st->nholes; i++) {
        const JitHole *h = &st->holes[i];
        if (h->offset != offset)
            continue;
        if (h->kind < JIT_HOLE_REG0 || h->kind > JIT_HOLE_REG5 || h->reloc == JIT_RELOC_ABS64 ||
            h->reloc == JIT_RELOC_REL32)
            return false;
        *disp = 8 * (int64_t)ip->b[h->kind - JIT_HOLE_REG0] + h->addend;
        return true;
    }
    int32_t v;
    memcpy(&v, st->code + offset, 4);
    *disp = v;
    return true;
}

/* What st's copy for ip (its first `from` bytes replaced) ends storing, 64 bits from a
   host register: false if it does not. */
typedef struct Stored {
    int64_t disp;
    unsigned reg;
} Stored;
static bool tail_store(const JitStencil *st, const InterpInsn *ip, unsigned from, Stored *out)
{
    unsigned rex, op, reg, at;
    for (unsigned i = 0; i < st->nholes; i++)
        if (st->holes[i].kind == JIT_HOLE_CONTINUE)
            return false;
    if (st->size < from + 7 || !(st->code[st->size - 7] & 8))   /* REX.W: a 7-byte store */
        return false;
    const uint8_t *c = st->code + st->size - 7;
    if (!parse_rm(c, &rex, &op, &reg, &at) || op != 0x89 || at != 3)
        return false;
    out->reg = reg;
    return disp_at(st, ip, st->size - 4, &out->disp);
}

/* Whether st's copy for ip starts by loading what `stored` says, and what replaces it. */
static bool forward_head(const JitStencil *st, const InterpInsn *ip, const Stored *stored, Forward *fw)
{
    unsigned rex, op, reg, at;
    int64_t from;
    if (!stored || st->size < 8 || !parse_rm(st->code, &rex, &op, &reg, &at) ||
        !disp_at(st, ip, at, &from) || from != stored->disp)
        return false;
    unsigned src = stored->reg, n = 0;
    bool wide = rex & 8;
    *fw = (Forward){ .head = (uint8_t)(at + 4) };
    if (op == 0x8b && wide) {                   /* mov disp(%rdi),%r64 -> mov %src,%r64 */
        if (reg == src)
            return true;
        fw->code[n++] = (uint8_t)(0x48 | (src & 8 ? 4 : 0) | (reg & 8 ? 1 : 0));
        fw->code[n++] = 0x89;
        fw->code[n++] = (uint8_t)(0xc0 | (src & 7) << 3 | (reg & 7));
    } else if (op == 0x8b) {                    /* mov disp(%rdi),%r32 -> mov %src32,%r32 */
        if (src & 8 || reg & 8)
            fw->code[n++] = (uint8_t)(0x40 | (src & 8 ? 4 : 0) | (reg & 8 ? 1 : 0));
        fw->code[n++] = 0x89;
        fw->code[n++] = (uint8_t)(0xc0 | (src & 7) << 3 | (reg & 7));
    } else if (op == 0x63 && wide) {            /* movslq disp(%rdi),%r64 -> movslq %src32,%r64 */
        fw->code[n++] = (uint8_t)(0x48 | (reg & 8 ? 4 : 0) | (src & 8 ? 1 : 0));
        fw->code[n++] = 0x63;
        fw->code[n++] = (uint8_t)(0xc0 | (reg & 7) << 3 | (src & 7));
    } else {
        return false;
    }
    fw->len = (uint8_t)n;
    return true;
}

/* ip with the two source registers its body reads alike (gen: INTERP_INSN_COMMUTES)
   exchanged, in *out: false if it has none. Where the code before stored the second
   source, `add a4,a6,a4` after a write of a4, the exchanged copy's first load is the one
   forwarding turns into a move. */
static bool commuted(const InterpInsn *ip, InterpInsn *out)
{
    if (ip->op >= OP_COUNT || !(interp_insn_info[ip->op].flags & INTERP_INSN_COMMUTES))
        return false;
    const int8_t *slot = interp_insn_info[ip->op].commute_slot;
    *out = *ip;
    out->b[slot[0]] = ip->b[slot[1]];
    out->b[slot[1]] = ip->b[slot[0]];
    return true;
}

/* ---------------------------------------------------------------- the buffer */

static void emit_shared(JitBaseline *bs)
{
    bs->code_used = 0;
    bs->nveneers = 0;
    bs->lookup = alloc_code(bs, lookup_stencil.size);
    HoleValues hv = { 0 };
    if (!copy_stencil(bs, bs->lookup, &lookup_stencil, &hv, NULL))
        abort();   /* only addresses of this process: cannot fail */
    for (unsigned r = 0; rodata_sections[r].data; r++) {
        size_t align = rodata_sections[r].align;
        bs->code_used = (bs->code_used + align - 1) & ~(align - 1);
        bs->rodata[r] = alloc_code(bs, rodata_sections[r].size);
        if (!bs->rodata[r])
            abort();   /* a few hundred bytes at the start of the cache */
        memcpy(bs->rodata[r], rodata_sections[r].data, rodata_sections[r].size);
    }
}

bool jit_baseline_init(Jit *jit, char *err, size_t errsize)
{
    JitBaseline *bs = &jit->base;
    bs->code_size = jit->opt.code_size;
    /* near the program's text, so calls into it fit a rel32 (veneers cover the rest) */
    uintptr_t near = ((uintptr_t)&interp_side_exit & ~(uintptr_t)0xffff) - ((uintptr_t)1 << 30);
    void *p = mmap((void *)near, bs->code_size, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        snprintf(err, errsize, "cannot map %zu bytes of executable memory for the JIT: %s", bs->code_size,
                 strerror(errno));
        return false;
    }
    bs->code = p;
    bs->max_blocks = bs->code_size / 64;   /* no block's code is smaller */
    p = mmap(NULL, bs->max_blocks * sizeof(JitBlock), PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        snprintf(err, errsize, "cannot reserve the JIT's block table: %s", strerror(errno));
        munmap(bs->code, bs->code_size);
        bs->code = NULL;
        return false;
    }
    bs->blocks = p;
    bs->view = interp_tier_view(jit->cpu);
    emit_shared(bs);
    return true;
}

void jit_baseline_destroy(Jit *jit)
{
    JitBaseline *bs = &jit->base;
    if (bs->blocks)
        munmap(bs->blocks, bs->max_blocks * sizeof(JitBlock));
    if (bs->code)
        munmap(bs->code, bs->code_size);
}

static uint64_t block_insns(const JitBlock *jb)
{
    return (jb->block->runs - jb->runs_at_compile) * jb->ninsns;
}

uint64_t jit_baseline_live_insns(const Jit *jit)
{
    uint64_t n = 0;
    for (size_t i = 0; i < jit->base.nblocks; i++)
        n += block_insns(&jit->base.blocks[i]);
    return n;
}

/* Forgets every compiled block. `blocks_alive`: their InterpBlocks live on (the code
   cache is full) and may be compiled again; otherwise the interpreter freed them. */
static void forget_blocks(Jit *jit, bool blocks_alive)
{
    JitBaseline *bs = &jit->base;
    if (bs->nblocks)
        jit_log(jit, "tier 1: %zu blocks dropped (%s)", bs->nblocks,
                blocks_alive ? "the code cache is full" : "the interpreter flushed its blocks");
    for (size_t i = 0; i < bs->nblocks; i++) {
        JitBlock *jb = &bs->blocks[i];
        jit->retired_insns += block_insns(jb);
        bool ours = (uint8_t *)jb->block->tier_chain >= bs->code &&
                    (uint8_t *)jb->block->tier_chain < bs->code + bs->code_size;
        if (blocks_alive && ours) {   /* (a block tier 2 took over keeps its new code) */
            jb->block->tier_entry = NULL;
            jb->block->tier_chain = NULL;
            jb->block->tier_tried = 0;
        }
    }
    bs->nblocks = 0;
    emit_shared(bs);
    jit_tier2_baseline_gone(jit);
}

void jit_baseline_flush(Jit *jit)
{
    forget_blocks(jit, false);
}

/* ---------------------------------------------------------------- compiling */

/* Bytes block b's code needs at most (veneers included). */
static size_t code_bound(const InterpBlock *b)
{
    size_t n = check_pending_stencil.size + count_run_stencil.size + 4 * exit_stencil.size + 16 * 16;
    for (unsigned i = 0; i <= b->ninsns; i++)
        n += stencil_for(&b->insns[i])->size + side_exit_stencil.size + 4;
    return n;
}

static bool emit_block(Jit *jit, InterpBlock *b, JitBlock *jb)
{
    struct { const InterpInsn *insn; uint8_t *fields[8]; unsigned nfields; } side[INTERP_MAX_BLOCK_INSNS + 1];
    unsigned nside_insns = 0;
    JitBaseline *bs = &jit->base;
    uint8_t *side_fields[8];
    HoleValues hv = { .block = b, .pc = b->pc, .side_fields = side_fields,
                      .max_side = sizeof side_fields / sizeof side_fields[0] };
    /* the way out when the loop has work pending: before the entry, out of the way */
    uint8_t *pending = alloc_code(bs, exit_stencil.size);
    if (!pending || !copy_stencil(bs, pending, &exit_stencil, &hv, NULL))
        return false;
    hv.pending_stub = pending;
    jb->hot_site = (JitSite){ .target_pc = b->pc, .hot = true };
    HoleValues hotv = { .block = b, .pc = b->pc, .site = (uintptr_t)&jb->hot_site };
    uint8_t *hot = alloc_code(bs, exit_stencil.size);
    if (!hot || !copy_stencil(bs, hot, &exit_stencil, &hotv, NULL))
        return false;
    hv.hot_stub = hot;
    uint8_t *entry = alloc_code(bs, check_pending_stencil.size);
    if (!entry || !copy_stencil(bs, entry, &check_pending_stencil, &hv, NULL))
        return false;
    const JitStencil *count = bs->hot_threshold ? &count_run_stencil : &count_run_only_stencil;
    uint8_t *body = alloc_code(bs, count->size);
    if (!body || !copy_stencil(bs, body, count, &hv, NULL))
        return false;
    uint16_t map[2 * (INTERP_MAX_BLOCK_INSNS + 1)];
    unsigned nmap = 0;
    jb->code_start = (uint32_t)bs->code_used;
    Stored stored = { 0, 0 };   /* what the code so far ends storing (forwarding) */
    bool has_stored = false;
    for (unsigned i = 0; i <= b->ninsns; i++) {
        const InterpInsn *ip = &b->insns[i];
        if (ip->op == OP_INLINED_JUMP)
            continue;
        map[2 * nmap] = (uint16_t)(bs->code_used - jb->code_start);
        map[2 * nmap + 1] = (uint16_t)i;
        nmap++;
        const JitStencil *st = stencil_for(ip);
        if (!st->code)
            return false;
        hv.nside = 0;
        uint8_t npatch[2] = { jb->sites[0].npatch, jb->sites[1].npatch };
        Forward fw;
        bool fwd = forward_head(st, ip, has_stored ? &stored : NULL, &fw);
        const InterpInsn *copied = ip;   /* what the copy's holes read */
        InterpInsn exchanged;
        if (!fwd && has_stored && commuted(ip, &exchanged) && forward_head(st, &exchanged, &stored, &fw)) {
            fwd = true;
            copied = &exchanged;
            jit->loads_exchanged++;
        }
        hv.insn = copied;
        uint8_t *dst = alloc_code(bs, st->size - (fwd ? fw.head - fw.len : 0));
        if (!dst || !copy_stencil_fw(bs, dst, st, &hv, jb->sites, fwd ? &fw : NULL))
            return false;
        has_stored = tail_store(st, copied, fwd ? fw.head : 0, &stored);
        jit->loads_forwarded += fwd;
        if (hv.nside) {   /* this instruction can trap: its side exit goes after the block */
            side[nside_insns].insn = ip;
            side[nside_insns].nfields = hv.nside;
            memcpy(side[nside_insns].fields, side_fields, hv.nside * sizeof *side_fields);
            nside_insns++;
        }
        /* where this instruction's exits go */
        uint64_t next = ip->op == OP_BLOCK_FALLTHROUGH ? ip->pc : ip->pc + ip->len;
        uint64_t targets[2] = { next, ip->pc + (uint64_t)ip->imm };
        for (int s = 0; s < 2; s++) {
            JitSite *site = &jb->sites[s];
            if (site->npatch == npatch[s])
                continue;
            if (npatch[s] && site->target_pc != targets[s])
                return false;   /* two exits of one kind to different places: not a block */
            site->target_pc = targets[s];
        }
    }
    jb->code_end = (uint32_t)bs->code_used;
    if (jb->code_end - jb->code_start > UINT16_MAX)
        return false;
    uint8_t *map_at = alloc_code(bs, nmap * 2 * sizeof *map);
    if (!map_at)
        return false;
    memcpy(map_at, map, nmap * 2 * sizeof *map);
    jb->map = (uint32_t)(map_at - bs->code);
    jb->nmap = (uint16_t)nmap;
    /* side exits */
    for (unsigned i = 0; i < nside_insns; i++) {
        HoleValues sv = { .block = b, .insn = side[i].insn };
        uint8_t *stub = alloc_code(bs, side_exit_stencil.size);
        if (!stub || !copy_stencil(bs, stub, &side_exit_stencil, &sv, NULL))
            return false;
        for (unsigned k = 0; k < side[i].nfields; k++)
            if (!put_rel32(side[i].fields[k], -4, stub))
                return false;
    }
    /* exit stubs, and the exits pointed at them */
    for (int s = 0; s < 2; s++) {
        JitSite *site = &jb->sites[s];
        site->from_pc = b->pc;
        if (!site->npatch)
            continue;
        HoleValues sv = { .block = b, .pc = site->target_pc, .site = (uintptr_t)site };
        uint8_t *stub = alloc_code(bs, exit_stencil.size);
        if (!stub || !copy_stencil(bs, stub, &exit_stencil, &sv, NULL))
            return false;
        site->stub = (uint32_t)(stub - bs->code);
        for (unsigned k = 0; k < site->npatch; k++)
            if (!put_rel32(bs->code + site->patch[k], -4, stub))
                return false;
    }
    b->tier_chain = entry;
    b->tier_entry = (InterpTierCode *)(void *)(body + count->size);   /* the loop counts */
    return true;
}

bool jit_baseline_compile(Jit *jit, InterpBlock *b)
{
    JitBaseline *bs = &jit->base;
    size_t need = code_bound(b);
    if (need > bs->code_size / 4)
        return false;
    if (need > bs->code_size - bs->code_used || bs->nblocks == bs->max_blocks) {
        forget_blocks(jit, true);   /* the code cache is full: evict everything */
        jit->flushes++;
    }
    JitBlock *jb = &bs->blocks[bs->nblocks];
    memset(jb, 0, sizeof *jb);
    jb->block = b;
    jb->ninsns = b->ninsns;
    jb->runs_at_compile = b->runs ? b->runs - 1 : 0;   /* the run in progress goes compiled */
    size_t start = bs->code_used;
    if (!emit_block(jit, b, jb)) {
        /* nothing refers to the partial code: give it back */
        bs->code_used = start;
        b->tier_chain = NULL;
        b->tier_entry = NULL;
        return false;
    }
    bs->nblocks++;
    jit->code_bytes_total += bs->code_used - start;
    jit->last_code_size = bs->code_used - start;
    return true;
}

/* The instruction whose copy holds host_pc: blocks are in code order since the last
   flush, so a binary search, then the block's map. */
const InterpInsn *jit_baseline_insn_at(const Jit *jit, uintptr_t host_pc)
{
    const JitBaseline *bs = &jit->base;
    if (host_pc < (uintptr_t)bs->code || host_pc >= (uintptr_t)bs->code + bs->code_used)
        return NULL;
    uint32_t off = (uint32_t)(host_pc - (uintptr_t)bs->code);
    size_t lo = 0, hi = bs->nblocks;
    while (lo < hi) {   /* the first block starting after off */
        size_t mid = lo + (hi - lo) / 2;
        if (bs->blocks[mid].code_start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return NULL;
    const JitBlock *jb = &bs->blocks[lo - 1];
    if (off >= jb->code_end)
        return NULL;
    uint16_t map[2 * (INTERP_MAX_BLOCK_INSNS + 1)];
    memcpy(map, bs->code + jb->map, jb->nmap * 2 * sizeof *map);
    const InterpInsn *ip = NULL;
    for (unsigned k = 0; k < jb->nmap && map[2 * k] <= off - jb->code_start; k++)
        ip = &jb->block->insns[map[2 * k + 1]];
    return ip;
}

/* ---------------------------------------------------------------- links */

void jit_baseline_link(Jit *jit, JitSite *site, InterpBlock *next)
{
    JitBaseline *bs = &jit->base;
    if (site->linked || next->pc != site->target_pc || !next->tier_chain)
        return;
    const uint8_t *target = next->tier_chain;
    /* a forward jump into baseline code skips the pending check: every loop has a
       backward jump, which checks (tier-2 code has its own entry). Not with -d exec,
       which logs every block from the loop. */
    if (site->target_pc > site->from_pc && target >= bs->code && target < bs->code + bs->code_size &&
        !(jit->cpu->log_mask & INTERP_LOG_EXEC))
        target += check_pending_stencil.size;
    if (!put_rel32(bs->code + site->patch[0], -4, target)) {   /* tier-2 code is far away */
        uint8_t *v = alloc_code(bs, 16);
        if (!v)
            return;
        static const uint8_t jmp_indirect[6] = { 0xff, 0x25, 0, 0, 0, 0 };   /* jmp *0(%rip) */
        memcpy(v, jmp_indirect, 6);
        uintptr_t t = (uintptr_t)target;
        memcpy(v + 6, &t, 8);
        target = v;
    }
    for (unsigned k = 0; k < site->npatch; k++)
        put_rel32(bs->code + site->patch[k], -4, target);
    site->linked = true;
}

void jit_baseline_unlink_all(Jit *jit)
{
    JitBaseline *bs = &jit->base;
    for (size_t i = 0; i < bs->nblocks; i++) {
        JitBlock *jb = &bs->blocks[i];
        for (int s = 0; s < 2; s++) {
            JitSite *site = &jb->sites[s];
            if (!site->linked)
                continue;
            for (unsigned k = 0; k < site->npatch; k++)
                put_rel32(bs->code + site->patch[k], -4, bs->code + site->stub);
            site->linked = false;
            jit->unlinks++;
        }
    }
}
