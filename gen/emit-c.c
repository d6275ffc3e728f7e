/*
** emit-c.c — C for checked bodies. A value of type bits<N> is held in the smallest
** unsigned C type that fits (uint8_t .. unsigned __int128), zero-extended; every
** operator re-establishes that. Effects become macros that each consumer defines
** (interp/ now, the JIT's stencils later): REG_R/REG_W, STATE, MEM_*, JUMP, ...
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

const char *gen_ctype(int w)
{
    return w <= 8 ? "uint8_t" : w <= 16 ? "uint16_t" : w <= 32 ? "uint32_t" : w <= 64 ? "uint64_t"
                                                                                : "unsigned __int128";
}

/* The type arithmetic is done in (never int, so no signed overflow by promotion). */
static const char *compute_type(int w) { return w <= 32 ? "uint32_t" : w <= 64 ? "uint64_t" : "unsigned __int128"; }
static const char *signed_compute_type(int w) { return w <= 32 ? "int32_t" : w <= 64 ? "int64_t" : "__int128"; }
static int compute_bits(int w) { return w <= 32 ? 32 : w <= 64 ? 64 : 128; }
static bool native(int w) { return w == 8 || w == 16 || w == 32 || w == 64 || w == 128; }

static char *mask_literal(int w)
{
    if (w >= 128)
        return gen_strdup("(~(unsigned __int128)0)");
    if (w > 64)
        return gen_strfmt("((((unsigned __int128)1) << %d) - 1)", w);
    if (w == 64)
        return gen_strdup("UINT64_C(0xffffffffffffffff)");
    return gen_strfmt("UINT64_C(0x%llx)", (unsigned long long)((1ull << w) - 1));
}

/* A compute-type value cut back to bits<w>. */
static char *canon(const char *x, int w)
{
    if (native(w))
        return gen_strfmt("((%s)(%s))", gen_ctype(w), x);
    return gen_strfmt("((%s)((%s) & %s))", gen_ctype(w), x, mask_literal(w));
}

/* bits<w> as a signed value of the signed compute type of w. */
static char *as_signed(const char *x, int w)
{
    int cb = compute_bits(w);
    if (w == 128)
        return gen_strfmt("((__int128)(%s))", x);
    if (native(w))
        return gen_strfmt("((%s)(int%d_t)(%s))", signed_compute_type(w), w, x);
    return gen_strfmt("((%s)((%s)(%s) << %d) >> %d)", signed_compute_type(w), compute_type(w), x, cb - w, cb - w);
}

/* sign extension of bits<w> to bits<to> */
static char *sext_to(const char *x, int w, int to)
{
    char *s = as_signed(x, w);
    if (to > compute_bits(w))
        s = gen_strfmt("((%s)%s)", signed_compute_type(to), s);
    return canon(gen_strfmt("(%s)%s", compute_type(to), s), to);
}

static char *literal(int64_t v, int w)
{
    if (w > 64)
        return gen_strfmt("((unsigned __int128)(__int128)INT64_C(%lld))", (long long)v);
    uint64_t u = (uint64_t)v;
    if (w < 64)
        u &= (1ull << w) - 1;
    return gen_strfmt("((%s)UINT64_C(0x%llx))", gen_ctype(w), (unsigned long long)u);
}

static char *expr(GenEmitCtx *cx, const GenExpr *e);

static const GenField *field_of(GenEmitCtx *cx, int ref) { return cx->insn->format->fields[ref].field; }

static char *slot_read(GenEmitCtx *cx, int ref)
{
    if (cx->decode_fields)   /* decode time: the extracted field's local */
        return gen_strfmt("f_%s", cx->insn->format->fields[ref].local);
    GenSlot s = cx->insn->slots[ref];
    return s.kind == GEN_SLOT_BYTE ? gen_strfmt("SLOT_B(%d)", s.index)
         : s.kind == GEN_SLOT_IMM ? gen_strdup("SLOT_IMM()") : gen_strdup("SLOT_IMM2()");
}

static char *name(GenEmitCtx *cx, const GenExpr *e)
{
    int w = e->width;
    switch (e->name_kind) {
    case GEN_N_LOCAL:
        return gen_strfmt("l_%s", e->name);
    case GEN_N_DEFARG:
        return gen_strfmt("a_%s", e->name);
    case GEN_N_FIELD: {
        const GenField *f = field_of(cx, e->ref);
        char *s = slot_read(cx, e->ref);
        if (f->is_signed)   /* slots hold signed fields sign-extended: cut back */
            return canon(gen_strfmt("(uint64_t)%s", s), w);
        return gen_strfmt("((%s)%s)", gen_ctype(w), s);
    }
    case GEN_N_STATE:
        return canon(gen_strfmt("STATE(%s)", e->state->c_name), w);
    case GEN_N_PC:
        return gen_strfmt("((%s)INSN_PC)", gen_ctype(w));
    case GEN_N_NPC:
        return gen_strfmt("((%s)INSN_NPC)", gen_ctype(w));
    default:
        return gen_strdup("/* unresolved */ 0");
    }
}

static bool is_compare(const char *op) { return strchr("<>=!", op[0]) && strcmp(op, "<<") && strncmp(op, ">>", 2); }

static char *binary(GenEmitCtx *cx, const GenExpr *e)
{
    const char *op = e->op;
    const GenExpr *l = e->args[0], *r = e->args[1];
    char *a = expr(cx, l), *b = expr(cx, r);
    int w = e->width, wl = l->width, wr = r->width;
    const char *ct = compute_type(w);

    if (!strcmp(op, "&&") || !strcmp(op, "||"))
        return gen_strfmt("((uint8_t)((%s) %s (%s)))", a, op, b);
    if (is_compare(op)) {
        bool sgn = op[strlen(op) - 1] == 's';
        char cop[3] = { op[0], op[1] == '=' ? '=' : 0, 0 };
        if (!strcmp(op, "==") || !strcmp(op, "!="))
            return gen_strfmt("((uint8_t)((%s) %s (%s)))", a, op, b);
        if (sgn)
            return gen_strfmt("((uint8_t)(%s %s %s))", as_signed(a, wl), cop, as_signed(b, wl));
        return gen_strfmt("((uint8_t)((%s) %s (%s)))", a, cop, b);
    }
    if (!strcmp(op, "@"))
        return canon(gen_strfmt("((%s)(%s) << %d) | (%s)(%s)", ct, a, wr, ct, b), w);
    if (!strcmp(op, "<<") || !strcmp(op, ">>u") || !strcmp(op, ">>s")) {
        bool safe = r->kind == GEN_E_NUM || (wr < 31 && (1ll << wr) - 1 < wl);
        char *amount = safe ? b : gen_strdup("sh_");
        char *shifted;
        if (!strcmp(op, "<<"))
            shifted = canon(gen_strfmt("(%s)(%s) << %s", ct, a, amount), w);
        else if (!strcmp(op, ">>u"))
            shifted = canon(gen_strfmt("(%s)(%s) >> %s", ct, a, amount), w);
        else
            shifted = canon(gen_strfmt("(%s)(%s >> %s)", ct, as_signed(a, w), amount), w);
        if (safe)
            return shifted;
        /* amounts of the width or more: 0, or all sign bits for >>s */
        if (!strcmp(op, ">>s"))
            return gen_strfmt("({ uint64_t sh_ = (uint64_t)(%s); if (sh_ > %d) sh_ = %d; %s; })", b, w - 1, w - 1, shifted);
        return gen_strfmt("({ uint64_t sh_ = (uint64_t)(%s); sh_ >= %d ? (%s)0 : %s; })", b, w, gen_ctype(w), shifted);
    }
    if (op[0] == '/' || op[0] == '%') {
        int cb = compute_bits(w);
        const char *fn = op[0] == '/' ? "div" : "rem";
        if (op[1] == 'u')
            return canon(gen_strfmt("sem_%su%d(%s, %s)", fn, cb, a, b), w);
        return canon(gen_strfmt("(%s)sem_%ss%d(%s, %s)", ct, fn, cb, as_signed(a, w), as_signed(b, w)), w);
    }
    return canon(gen_strfmt("(%s)(%s) %s (%s)(%s)", ct, a, op, ct, b), w);
}

static char *call_args(GenEmitCtx *cx, const GenExpr *e, bool with_cpu)
{
    char *s = gen_strdup(with_cpu ? "HELPER_CPU" : "");
    for (int i = 0; i < e->nargs; i++)
        s = gen_strfmt("%s%s%s", s, (i || with_cpu) ? ", " : "", expr(cx, e->args[i]));
    return s;
}

static char *call(GenEmitCtx *cx, const GenExpr *e)
{
    int w = e->width;
    switch (e->builtin) {
    case GEN_B_SEXT: {
        const GenExpr *a = e->args[0];
        /* a signed field is already sign-extended in its slot */
        if (a->kind == GEN_E_NAME && a->name_kind == GEN_N_FIELD && field_of(cx, a->ref)->is_signed && w <= 64)
            return canon(gen_strfmt("(uint64_t)(int64_t)%s", slot_read(cx, a->ref)), w);
        if (a->width == w)
            return expr(cx, a);
        return sext_to(expr(cx, a), a->width, w);
    }
    case GEN_B_ZEXT:
        return gen_strfmt("((%s)%s)", gen_ctype(w), expr(cx, e->args[0]));
    case GEN_B_LOAD:
        return gen_strfmt("MEM_LOAD(%d, %s)", w, expr(cx, e->args[0]));
    case GEN_B_AMO_LOAD:
        return gen_strfmt("MEM_AMO_LOAD(%d, %s)", w, expr(cx, e->args[0]));
    case GEN_B_CAS:
        return gen_strfmt("((uint8_t)MEM_CAS(%d, %s, %s, %s))", e->args[1]->width, expr(cx, e->args[0]),
                          expr(cx, e->args[1]), expr(cx, e->args[2]));
    case GEN_B_CSR_READ:
        return gen_strfmt("((%s)CSR_READ(%s))", gen_ctype(w), expr(cx, e->args[0]));
    case GEN_B_FRM:
        return gen_strfmt("((uint8_t)FRM_RESOLVE(%s))", expr(cx, e->args[0]));
    case GEN_B_DEF:
        return gen_strfmt("def_%s(%s)", e->def->name, call_args(cx, e, false));
    default:
        return gen_strdup("/* bad call */ 0");
    }
}

static char *expr(GenEmitCtx *cx, const GenExpr *e)
{
    switch (e->kind) {
    case GEN_E_NUM:
        return literal(e->value, e->width ? e->width : 64);
    case GEN_E_NAME:
        return name(cx, e);
    case GEN_E_REGFILE:
        return gen_strfmt("((%s)REG_R(%s, %s))", gen_ctype(e->width), e->state->c_name, expr(cx, e->args[0]));
    case GEN_E_SLICE: {
        const GenExpr *b = e->args[0];
        char *x = expr(cx, b);
        if (e->lo == 0)
            return canon(gen_strfmt("(%s)(%s)", compute_type(b->width), x), e->width);
        return canon(gen_strfmt("(%s)(%s) >> %d", compute_type(b->width), x, e->lo), e->width);
    }
    case GEN_E_UNARY: {
        char *a = expr(cx, e->args[0]);
        if (!strcmp(e->op, "!"))
            return gen_strfmt("((uint8_t)!(%s))", a);
        return canon(gen_strfmt("%s(%s)(%s)", e->op, compute_type(e->width), a), e->width);
    }
    case GEN_E_BINARY:
        return binary(cx, e);
    case GEN_E_TERNARY:
        return gen_strfmt("((%s) ? (%s)(%s) : (%s)(%s))", expr(cx, e->args[0]), gen_ctype(e->width),
                          expr(cx, e->args[1]), gen_ctype(e->width), expr(cx, e->args[2]));
    case GEN_E_CALL:
        return call(cx, e);
    case GEN_E_HELPER:
        return gen_strfmt("helper_%s(%s)", e->helper->name, call_args(cx, e, true));
    }
    return gen_strdup("0");
}

char *gen_expr_c(GenEmitCtx *cx, const GenExpr *e)
{
    return expr(cx, e);
}

void gen_emit_expr(GenEmitCtx *cx, const GenExpr *e)
{
    fputs(expr(cx, e), cx->out);
}

static void line(GenEmitCtx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(GenEmitCtx *cx, const char *fmt, ...)
{
    fprintf(cx->out, "%*s", cx->indent * 4, "");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(cx->out, fmt, ap);
    va_end(ap);
    fputc('\n', cx->out);
}

/* Writes to x0 were redirected to a sink register by the decoder when the field is
   used for nothing else; otherwise the write is checked here. */
static bool needs_zero_check(GenEmitCtx *cx, const GenExpr *lhs)
{
    if (!lhs->state->zero_reg)
        return false;
    const GenExpr *i = lhs->args[0];
    return !(i->kind == GEN_E_NAME && i->name_kind == GEN_N_FIELD && cx->insn->field_use[i->ref] == GEN_USE_XWRITE);
}

static void assign(GenEmitCtx *cx, const GenStmt *s)
{
    const GenExpr *lhs = s->lhs;
    char *v = expr(cx, s->rhs);
    if (lhs->kind == GEN_E_REGFILE)
        line(cx, "%s(%s, %s, %s);", needs_zero_check(cx, lhs) ? "REG_W_NZ" : "REG_W", lhs->state->c_name,
             expr(cx, lhs->args[0]), v);
    else if (lhs->name_kind == GEN_N_STATE)
        line(cx, "STATE(%s) = %s;", lhs->state->c_name, v);
    else
        line(cx, "l_%s = %s;", lhs->name, v);
}

static const GenStmt *find_amo_store(const GenStmt *s)
{
    for (; s; s = s->next)
        if (s->kind == GEN_S_CALL && s->call->builtin == GEN_B_AMO_STORE)
            return s;
    return NULL;
}

static void stmt(GenEmitCtx *cx, const GenStmt *s);

static void stmt_list(GenEmitCtx *cx, const GenStmt *s)
{
    for (; s; s = s->next) {
        const GenStmt *st = s->amo_loop_start ? find_amo_store(s->next) : NULL;
        if (!st) {
            stmt(cx, s);
            continue;
        }
        /* t = amo_load(a, n); ...; amo_store(v);  =>  compare-and-swap loop */
        const GenExpr *load = s->rhs;
        int w = load->width;
        const char *t = s->lhs->name;
        line(cx, "uint%d_t *amo_p = MEM_AMO_PTR(%d, %s);", w, w, expr(cx, load->args[0]));
        line(cx, "for (;;) {");
        cx->indent++;
        line(cx, "l_%s = AMO_LOAD(amo_p);", t);
        for (s = s->next; s != st; s = s->next)
            stmt(cx, s);
        line(cx, "if (AMO_CAS(amo_p, l_%s, %s))", t, expr(cx, st->call->args[0]));
        line(cx, "    break;");
        cx->indent--;
        line(cx, "}");
    }
}

static void stmt(GenEmitCtx *cx, const GenStmt *s)
{
    switch (s->kind) {
    case GEN_S_ASSIGN:
        assign(cx, s);
        break;
    case GEN_S_IF:
        line(cx, "if (%s) {", expr(cx, s->cond));
        cx->indent++;
        stmt(cx, s->then_s);
        cx->indent--;
        if (s->else_s) {
            line(cx, "} else {");
            cx->indent++;
            stmt(cx, s->else_s);
            cx->indent--;
        }
        line(cx, "}");
        break;
    case GEN_S_BLOCK:
        stmt_list(cx, s->body);
        break;
    case GEN_S_CALL: {
        const GenExpr *e = s->call;
        if (e->kind == GEN_E_HELPER) {
            line(cx, "helper_%s(%s);", e->helper->name, call_args(cx, e, true));
            break;
        }
        switch (e->builtin) {
        case GEN_B_STORE:
            line(cx, "MEM_STORE(%d, %s, %s);", e->args[1]->width, expr(cx, e->args[0]), expr(cx, e->args[1]));
            break;
        case GEN_B_JUMP: line(cx, "JUMP(%s);", expr(cx, e->args[0])); break;
        case GEN_B_ECALL: line(cx, "ECALL();"); break;
        case GEN_B_EBREAK: line(cx, "EBREAK();"); break;
        case GEN_B_FENCE: line(cx, "FENCE();"); break;
        case GEN_B_FENCE_I: line(cx, "FENCE_I();"); break;
        case GEN_B_ILLEGAL: line(cx, "ILLEGAL();"); break;
        case GEN_B_CSR_WRITE:
            line(cx, "CSR_WRITE(%s, %s);", expr(cx, e->args[0]), expr(cx, e->args[1]));
            break;
        default:
            line(cx, "/* unsupported statement */");
        }
        break;
    }
    }
}

void gen_emit_stmts(GenEmitCtx *cx, const GenStmt *s)
{
    stmt_list(cx, s);
}

/* A body collapsed to one line, for comments and the instruction table. */
void gen_emit_body_oneline(FILE *out, const char *text)
{
    bool space = false, started = false;
    for (const char *p = text; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = started;
            continue;
        }
        if (*p == '*' && p[1] == '/') {   /* never close the surrounding comment */
            fputs(space ? " * /" : "* /", out);
            p++;
            space = false;
            continue;
        }
        if (space)
            fputc(' ', out);
        if (*p == '"' || *p == '\\')
            fputc('\\', out);
        fputc(*p, out);
        space = false;
        started = true;
    }
}
