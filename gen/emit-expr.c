/*
** emit-expr.c — C for checked expressions. A bits<N> value is held zero-extended in
** an unsigned C type of at least N bits (bits<1> may also be a C comparison's int).
** Each C expression built here carries its C type, its precedence and how many low
** bits can be nonzero, so a cast or mask is written only where it changes the value:
** the generated bodies stay close to what one would write by hand.
*/
#include <stdlib.h>
#include <string.h>

#include "gen.h"

typedef struct CExpr {
    char *s;
    int bits;          /* C type width: 8, 16, 32, 64, 128 */
    bool sgn;          /* signed C type (int for comparisons) */
    int zbits;         /* the value is below 2^zbits (and >= 0) */
    int level;         /* 0 primary, 1 unary or cast, 2 anything looser */
} CExpr;

const char *gen_ctype(int w)
{
    return w <= 8 ? "uint8_t" : w <= 16 ? "uint16_t" : w <= 32 ? "uint32_t" : w <= 64 ? "uint64_t"
                                                                                : "unsigned __int128";
}

static const char *c_type(int bits, bool sgn)
{
    switch (bits) {
    case 8: return sgn ? "int8_t" : "uint8_t";
    case 16: return sgn ? "int16_t" : "uint16_t";
    case 32: return sgn ? "int32_t" : "uint32_t";
    case 64: return sgn ? "int64_t" : "uint64_t";
    default: return sgn ? "__int128" : "unsigned __int128";
    }
}

static int type_bits(int w) { return w <= 8 ? 8 : w <= 16 ? 16 : w <= 32 ? 32 : w <= 64 ? 64 : 128; }
static int compute_bits(int w) { return w <= 32 ? 32 : w <= 64 ? 64 : 128; }   /* never int */
static bool native(int w) { return w == 8 || w == 16 || w == 32 || w == 64 || w == 128; }
static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }

static CExpr mk(char *s, int bits, bool sgn, int zbits, int level)
{
    return (CExpr){ .s = s, .bits = bits, .sgn = sgn, .zbits = zbits, .level = level };
}

/* as the operand of a cast or a unary operator */
static char *unary_operand(CExpr e) { return e.level <= 1 ? e.s : gen_strfmt("(%s)", e.s); }
/* as an operand of a binary operator (always parenthesized when loose: reads better) */
static char *operand(CExpr e) { return e.level <= 1 ? e.s : gen_strfmt("(%s)", e.s); }

static CExpr cast(CExpr e, int bits, bool sgn)
{
    if (e.bits == bits && e.sgn == sgn)
        return e;
    int z = sgn ? imin(e.zbits, bits - 1) : imin(e.zbits, bits);
    if (e.sgn && !sgn && e.zbits >= e.bits)
        z = bits;   /* a negative value becomes large */
    return mk(gen_strfmt("(%s)%s", c_type(bits, sgn), unary_operand(e)), bits, sgn, z, 1);
}

static bool canonical(CExpr e, int w)
{
    return e.zbits <= w && (!e.sgn || e.zbits < e.bits);
}

static char *mask_literal(int w)
{
    if (w > 64)
        return gen_strfmt("(((unsigned __int128)1 << %d) - 1)", w);
    if (w > 32)
        return gen_strfmt("UINT64_C(0x%llx)", (unsigned long long)((1ull << w) - 1));
    return gen_strfmt("0x%llxu", (unsigned long long)((1ull << w) - 1));
}

/* any integer value cut to a canonical bits<w> */
static CExpr canon(CExpr e, int w)
{
    if (canonical(e, w))
        return e;
    if (native(w))
        return cast(e, w, false);
    if (e.sgn)
        e = cast(e, e.bits, false);
    return mk(gen_strfmt("%s & %s", operand(e), mask_literal(w)), e.bits, false, w, 2);
}

/* a canonical bits<w> as a signed value of the signed compute type */
static CExpr as_signed(CExpr e, int w)
{
    int cb = compute_bits(w);
    if (native(w))
        return cast(cast(e, w, true), cb, true);
    CExpr u = cast(e, cb, false);
    return mk(gen_strfmt("(%s)(%s << %d) >> %d", c_type(cb, true), operand(u), cb - w, cb - w), cb, true, cb, 2);
}

static CExpr sext_to(CExpr e, int w, int to)
{
    CExpr s = as_signed(e, w);
    s = cast(s, compute_bits(to), true);
    return canon(cast(s, compute_bits(to), false), to);
}

static int bit_length(unsigned long long v)
{
    int n = 0;
    while (v) { v >>= 1; n++; }
    return n;
}

static CExpr literal(int64_t v, int w)
{
    if (w > 64)
        return mk(gen_strfmt("((unsigned __int128)(__int128)INT64_C(%lld))", (long long)v), 128, false, v < 0 ? w : 64, 0);
    unsigned long long u = (unsigned long long)v;
    if (w < 64)
        u &= (1ull << w) - 1;
    if (w > 32)
        return mk(gen_strfmt("UINT64_C(0x%llx)", u), 64, false, bit_length(u), 0);
    return mk(gen_strfmt(u < 10 ? "%lluu" : "0x%llxu", u), 32, false, bit_length(u), 0);
}

static CExpr expr(GenEmitCtx *cx, const GenExpr *e);

static const GenField *field_of(GenEmitCtx *cx, int ref) { return cx->insn->format->fields[ref].field; }

/* A field's slot (or its decode-time local); signed fields are stored sign-extended. */
static CExpr slot(GenEmitCtx *cx, int ref)
{
    if (cx->decode_fields)
        return mk(gen_strfmt("f_%s", cx->insn->format->fields[ref].local), 64, true, 64, 0);
    GenSlot s = cx->insn->slots[ref];
    const GenField *f = field_of(cx, ref);
    if (s.kind == GEN_SLOT_BYTE)
        return mk(gen_strfmt("SLOT_B(%d)", s.index), 8, false, f->width, 0);
    return mk(gen_strdup(s.kind == GEN_SLOT_IMM ? "SLOT_IMM()" : "SLOT_IMM2()"), s.kind == GEN_SLOT_IMM ? 64 : 32,
              true, f->is_signed ? 64 : f->width, 0);
}

static CExpr name(GenEmitCtx *cx, const GenExpr *e)
{
    int w = e->width;
    switch (e->name_kind) {
    case GEN_N_LOCAL:
        return mk(gen_strfmt("l_%s", e->name), type_bits(w), false, w, 0);
    case GEN_N_DEFARG:   /* a macro def's arguments carry its name: one may call another */
        if (cx->def && cx->def->impure)
            return mk(gen_strfmt("a_%s_%s", cx->def->name, e->name), type_bits(w), false, w, 0);
        return mk(gen_strfmt("a_%s", e->name), type_bits(w), false, w, 0);
    case GEN_N_FIELD: {
        CExpr s = slot(cx, e->ref);
        if (field_of(cx, e->ref)->is_signed || cx->decode_fields)
            return canon(cast(s, s.bits, false), w);
        return s;
    }
    case GEN_N_STATE:   /* the member's C type is InterpCpu's: say the width */
        return mk(gen_strfmt("(%s)STATE(%s)", gen_ctype(w), e->state->c_name), type_bits(w), false, w, 1);
    case GEN_N_PC:
        return canon(mk(gen_strdup("INSN_PC"), 64, false, 64, 0), w);
    case GEN_N_NPC:
        return canon(mk(gen_strdup("INSN_NPC"), 64, false, 64, 0), w);
    default:
        return mk(gen_strdup("0 /* unresolved */"), 32, false, 0, 2);
    }
}

static bool is_compare(const char *op) { return strchr("<>=!", op[0]) && strcmp(op, "<<") && strncmp(op, ">>", 2); }

/* Operands of an arithmetic operator in compute type ct: one cast suffices when the
   other side already has that type (C's usual conversions do the rest). */
static void to_compute(CExpr *a, CExpr *b, int ct)
{
    if (!(a->bits == ct && !a->sgn) && !(b->bits == ct && !b->sgn && a->bits < ct))
        *a = cast(*a, ct, false);
    if (!(b->bits == ct && !b->sgn) && !(a->bits == ct && !a->sgn && b->bits < ct))
        *b = cast(*b, ct, false);
}

static CExpr binary(GenEmitCtx *cx, const GenExpr *e)
{
    const char *op = e->op;
    const GenExpr *l = e->args[0], *r = e->args[1];
    CExpr a = expr(cx, l), b = expr(cx, r);
    int w = e->width, wl = l->width, wr = r->width;
    int ct = compute_bits(w);

    if (!strcmp(op, "&&") || !strcmp(op, "||"))
        return mk(gen_strfmt("%s %s %s", operand(a), op, operand(b)), 32, true, 1, 2);
    if (is_compare(op)) {
        bool sgn = op[strlen(op) - 1] == 's';
        char cop[3] = { op[0], op[1] == '=' ? '=' : 0, 0 };
        if (!strcmp(op, "==") || !strcmp(op, "!="))
            return mk(gen_strfmt("%s %s %s", operand(a), op, operand(b)), 32, true, 1, 2);
        if (sgn)
            return mk(gen_strfmt("%s %s %s", operand(as_signed(a, wl)), cop, operand(as_signed(b, wl))), 32, true, 1, 2);
        return mk(gen_strfmt("%s %s %s", operand(a), cop, operand(b)), 32, true, 1, 2);
    }
    if (!strcmp(op, "@")) {
        CExpr hi = cast(a, ct, false);
        return mk(gen_strfmt("%s << %d | %s", operand(hi), wr, operand(b)), ct, false, w, 2);
    }
    if (!strcmp(op, "<<") || !strcmp(op, ">>u") || !strcmp(op, ">>s")) {
        bool safe = r->kind == GEN_E_NUM || (wr < 31 && (1ll << wr) - 1 < wl);
        char *amount = safe ? operand(b) : gen_strdup("sh_");
        CExpr shifted;
        if (!strcmp(op, "<<")) {
            CExpr x = cast(a, ct, false);
            shifted = canon(mk(gen_strfmt("%s << %s", operand(x), amount), ct, false, ct, 2), w);
        } else if (!strcmp(op, ">>u")) {
            CExpr x = a.bits >= 32 && !a.sgn ? a : cast(a, ct, false);
            shifted = mk(gen_strfmt("%s >> %s", operand(x), amount), x.bits, false, a.zbits, 2);
        } else {
            CExpr x = as_signed(a, w);
            shifted = canon(mk(gen_strfmt("%s >> %s", operand(x), amount), x.bits, true, x.bits, 2), w);
        }
        if (safe)
            return shifted;
        /* amounts of the width or more: 0, or all sign bits for >>s */
        if (!strcmp(op, ">>s"))
            return mk(gen_strfmt("({ uint64_t sh_ = %s; if (sh_ > %d) sh_ = %d; %s; })", b.s, w - 1, w - 1, shifted.s),
                      shifted.bits, shifted.sgn, shifted.zbits, 0);
        return mk(gen_strfmt("({ uint64_t sh_ = %s; sh_ >= %d ? 0 : %s; })", b.s, w, shifted.s),
                  imax(shifted.bits, 32), shifted.sgn, shifted.zbits, 0);
    }
    if (op[0] == '/' || op[0] == '%') {
        const char *fn = op[0] == '/' ? "div" : "rem";
        if (op[1] == 'u')
            return mk(gen_strfmt("sem_%su%d(%s, %s)", fn, ct, a.s, b.s), ct, false, imax(a.zbits, b.zbits), 0);
        CExpr q = mk(gen_strfmt("sem_%ss%d(%s, %s)", fn, ct, as_signed(a, w).s, as_signed(b, w).s), ct, true, ct, 0);
        return canon(cast(q, ct, false), w);
    }
    to_compute(&a, &b, ct);
    int z = ct;
    if (!strcmp(op, "&")) z = imin(a.zbits, b.zbits);
    else if (!strcmp(op, "|") || !strcmp(op, "^")) z = imax(a.zbits, b.zbits);
    else if (!strcmp(op, "+")) z = imin(ct, imax(a.zbits, b.zbits) + 1);
    else if (!strcmp(op, "*")) z = imin(ct, a.zbits + b.zbits);
    return canon(mk(gen_strfmt("%s %s %s", operand(a), op, operand(b)), ct, false, z, 2), w);
}

static char *call_args(GenEmitCtx *cx, const GenExpr *e, bool with_cpu)
{
    char *s = gen_strdup(with_cpu ? "HELPER_CPU" : "");
    for (int i = 0; i < e->nargs; i++)
        s = gen_strfmt("%s%s%s", s, (i || with_cpu) ? ", " : "", expr(cx, e->args[i]).s);
    return s;
}

static CExpr call(GenEmitCtx *cx, const GenExpr *e)
{
    int w = e->width;
    switch (e->builtin) {
    case GEN_B_SEXT: {
        const GenExpr *a = e->args[0];
        /* a signed field is already sign-extended in its slot */
        if (a->kind == GEN_E_NAME && a->name_kind == GEN_N_FIELD && field_of(cx, a->ref)->is_signed && w <= 64)
            return canon(cast(slot(cx, a->ref), 64, false), w);
        if (a->width == w)
            return expr(cx, a);
        return sext_to(expr(cx, a), a->width, w);
    }
    case GEN_B_ZEXT: {
        CExpr v = expr(cx, e->args[0]);
        return v.bits >= w && !v.sgn ? v : cast(v, type_bits(w), false);
    }
    case GEN_B_LOAD:
        return mk(gen_strfmt("MEM_LOAD(%d, %s)", w, expr(cx, e->args[0]).s), w, false, w, 0);
    case GEN_B_AMO_LOAD:
        return mk(gen_strfmt("MEM_AMO_LOAD(%d, %s)", w, expr(cx, e->args[0]).s), w, false, w, 0);
    case GEN_B_CAS:
        return mk(gen_strfmt("MEM_CAS(%d, %s, %s, %s)", e->args[1]->width, expr(cx, e->args[0]).s,
                             expr(cx, e->args[1]).s, expr(cx, e->args[2]).s), 32, true, 1, 0);
    case GEN_B_CSR_READ:
        return canon(mk(gen_strfmt("CSR_READ(%s)", expr(cx, e->args[0]).s), 64, false, 64, 0), w);
    case GEN_B_REQUIRE: {
        CExpr v = expr(cx, e->args[1]);
        return mk(gen_strfmt("({ if (!(%s)) ILLEGAL(); %s; })", expr(cx, e->args[0]).s, v.s), v.bits, v.sgn,
                  v.zbits, 0);
    }
    case GEN_B_DEF:
        return mk(gen_strfmt("def_%s(%s)", e->def->name, call_args(cx, e, false)), type_bits(w), false, w, 0);
    default:
        return mk(gen_strdup("0 /* bad call */"), 32, false, 0, 2);
    }
}

/* Whether `regfile` (an access of a register file) is x's register named by the field
   decoded into byte slot slot_plus_1 - 1 of the instruction being emitted. */
bool gen_emit_fwd_slot(const GenEmitCtx *cx, const GenExpr *regfile, int slot_plus_1)
{
    if (!slot_plus_1 || !cx->insn || cx->decode_fields || !regfile->state->zero_reg)
        return false;
    const GenExpr *i = regfile->args[0];
    if (i->kind != GEN_E_NAME || i->name_kind != GEN_N_FIELD)
        return false;
    GenSlot s = cx->insn->slots[i->ref];
    return s.kind == GEN_SLOT_BYTE && s.index == slot_plus_1 - 1;
}

static CExpr expr(GenEmitCtx *cx, const GenExpr *e)
{
    switch (e->kind) {
    case GEN_E_NUM:
        return literal(e->value, e->width ? e->width : 64);
    case GEN_E_NAME:
        return name(cx, e);
    case GEN_E_REGFILE:
        if (gen_emit_fwd_slot(cx, e, cx->fwd_read))   /* the value the pair's first just wrote */
            return canon(mk(gen_strdup("fwd_"), 64, false, 64, 0), e->width);
        return canon(mk(gen_strfmt("REG_R(%s, %s)", e->state->c_name, expr(cx, e->args[0]).s), 64, false, 64, 0),
                     e->width);
    case GEN_E_SLICE: {
        CExpr x = expr(cx, e->args[0]);
        if (e->lo == 0)
            return canon(x, e->width);
        if (x.sgn || x.bits < 32)
            x = cast(x, compute_bits(e->args[0]->width), false);
        return canon(mk(gen_strfmt("%s >> %d", operand(x), e->lo), x.bits, false, imax(0, x.zbits - e->lo), 2),
                     e->width);
    }
    case GEN_E_UNARY: {
        CExpr a = expr(cx, e->args[0]);
        if (!strcmp(e->op, "!"))
            return mk(gen_strfmt("!%s", unary_operand(a)), 32, true, 1, 1);
        CExpr x = cast(a, compute_bits(e->width), false);
        return canon(mk(gen_strfmt("%s%s", e->op, unary_operand(x)), x.bits, false, x.bits, 1), e->width);
    }
    case GEN_E_BINARY:
        return binary(cx, e);
    case GEN_E_TERNARY: {
        CExpr c = expr(cx, e->args[0]), a = expr(cx, e->args[1]), b = expr(cx, e->args[2]);
        if (a.bits != b.bits || a.sgn != b.sgn) {
            a = cast(a, type_bits(e->width), false);
            b = cast(b, type_bits(e->width), false);
        }
        return mk(gen_strfmt("%s ? %s : %s", operand(c), operand(a), operand(b)), a.bits, a.sgn,
                  imax(a.zbits, b.zbits), 2);
    }
    case GEN_E_CALL:
        return call(cx, e);
    case GEN_E_HELPER:
        return mk(gen_strfmt("helper_%s(%s)", e->helper->name, call_args(cx, e, true)), type_bits(e->width), false,
                  e->width, 0);
    }
    return mk(gen_strdup("0"), 32, false, 0, 0);
}

char *gen_expr_c(GenEmitCtx *cx, const GenExpr *e)
{
    return expr(cx, e).s;
}

void gen_emit_expr(GenEmitCtx *cx, const GenExpr *e)
{
    fputs(expr(cx, e).s, cx->out);
}
