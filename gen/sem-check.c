/*
** sem-check.c — name resolution and width checking of bodies, defs, illegal-if
** conditions and compressed expansions. Records on each instruction what the
** consumers need to know: flags, access size, locals, how each field is used.
*/
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "../interp/interp.h"   /* INTERP_INSN_* flag values only */

typedef enum CheckMode { MODE_BODY, MODE_DEF, MODE_DECODE } CheckMode;

typedef struct Checker {
    GenSpec *spec;
    GenInsn *insn;         /* MODE_BODY, MODE_DECODE */
    GenDef *def;           /* MODE_DEF */
    CheckMode mode;
    int nlocals, cap;
    GenLocal *locals;
    int if_depth;
    int amo_width;         /* width of the open amo_load, 0 if none */
    bool in_reg_index;     /* resolving X[i]'s i: the use is noted by the caller */
} Checker;

static int check(Checker *ck, GenExpr *e, int expected);

static int ilog2(int64_t v)
{
    int r = 0;
    while (v > 1) { v >>= 1; r++; }
    return r;
}

/* Constant integer expressions: widths and slice bounds. */
static int64_t eval_const(Checker *ck, GenExpr *e, bool *ok)
{
    switch (e->kind) {
    case GEN_E_NUM:
        return e->value;
    case GEN_E_NAME:
        if (strcmp(e->name, "XLEN") == 0)
            return ck->spec->xlen;
        break;
    case GEN_E_CALL:
        if (strcmp(e->name, "log2") == 0 && e->nargs == 1) {
            int64_t v = eval_const(ck, e->args[0], ok);
            return ilog2(v);
        }
        break;
    case GEN_E_UNARY:
        if (strcmp(e->op, "-") == 0)
            return -eval_const(ck, e->args[0], ok);
        break;
    case GEN_E_BINARY: {
        int64_t a = eval_const(ck, e->args[0], ok), b = eval_const(ck, e->args[1], ok);
        if (strcmp(e->op, "+") == 0) return a + b;
        if (strcmp(e->op, "-") == 0) return a - b;
        if (strcmp(e->op, "*") == 0) return a * b;
        break;
    }
    default:
        break;
    }
    if (*ok)
        gen_error(e->loc, "expected a constant (numbers, XLEN, + - *, log2)");
    *ok = false;
    return 0;
}

int gen_eval_const(const char *text, GenLoc loc, int xlen, bool *ok)
{
    GenSpec spec = { .xlen = xlen };
    Checker ck = { .spec = &spec };
    GenExpr *e = gen_parse_expr(text, loc);
    if (!e) {
        *ok = false;
        return 0;
    }
    return (int)eval_const(&ck, e, ok);
}

static int const_width(Checker *ck, const char *text, GenLoc loc)
{
    bool ok = true;
    int w = gen_eval_const(text, loc, ck->spec->xlen, &ok);
    if (ok && (w < 1 || w > GEN_MAX_WIDTH)) {
        gen_error(loc, "width %d is out of range 1..%d", w, GEN_MAX_WIDTH);
        return 0;
    }
    return ok ? w : 0;
}

/* ------------------------------------------------------------ names */

static GenState *find_state(GenSpec *spec, const char *name)
{
    for (int i = 0; i < spec->nstates; i++)
        if (strcmp(spec->states[i]->name, name) == 0)
            return spec->states[i];
    return NULL;
}

static int find_local(Checker *ck, const char *name)
{
    for (int i = 0; i < ck->nlocals; i++)
        if (strcmp(ck->locals[i].name, name) == 0)
            return i;
    return -1;
}

static int find_field(Checker *ck, const char *name)
{
    if (!ck->insn)
        return -1;
    GenFormat *f = ck->insn->format;
    for (int i = 0; i < f->nfields; i++)
        if (strcmp(f->fields[i].local, name) == 0)
            return i;
    return -1;
}

static int add_local(Checker *ck, const char *name, int width)
{
    if (ck->nlocals == ck->cap) {
        ck->cap = ck->cap ? ck->cap * 2 : 8;
        ck->locals = realloc(ck->locals, (size_t)ck->cap * sizeof *ck->locals);
        if (!ck->locals) { perror("gen"); exit(2); }
    }
    ck->locals[ck->nlocals] = (GenLocal){ .name = name, .width = width };
    return ck->nlocals++;
}

static void note_field_use(Checker *ck, GenExpr *e, unsigned use)
{
    if (ck->mode == MODE_BODY && e->kind == GEN_E_NAME && e->name_kind == GEN_N_FIELD)
        ck->insn->field_use[e->ref] |= use;
}

static bool literal_fits(int64_t v, int width)
{
    if (width >= 64)
        return true;
    return v >= -(INT64_C(1) << (width - 1)) && v < (INT64_C(1) << width);
}

/* Gives an untyped literal a width, or reports that it cannot have one. */
static int settle(Checker *ck, GenExpr *e, int width, int expected)
{
    if (width != 0 || e->kind != GEN_E_NUM)
        return width;   /* 0 from anything but a literal: an error was reported */
    if (expected == 0) {
        gen_error(e->loc, "cannot tell the width of this literal; write it where a width is known, or use zext(..., W)");
        return 0;
    }
    return check(ck, e, expected);
}

static int resolve_name(Checker *ck, GenExpr *e, int expected)
{
    const char *n = e->name;
    if (strcmp(n, "XLEN") == 0) {
        e->kind = GEN_E_NUM;
        e->value = ck->spec->xlen;
        return check(ck, e, expected);
    }
    if (ck->mode == MODE_DEF) {
        for (int i = 0; i < ck->def->nargs; i++)
            if (strcmp(ck->def->arg_name[i], n) == 0) {
                e->name_kind = GEN_N_DEFARG;
                e->ref = i;
                return e->width = ck->def->arg_width[i];
            }
        GenState *st = find_state(ck->spec, n);
        if (st && st->count == 0) {   /* reading state makes the def impure */
            e->name_kind = GEN_N_STATE;
            e->state = st;
            ck->def->impure = true;
            if (strcmp(st->name, "FFLAGS") == 0 || strcmp(st->name, "FRM") == 0)
                ck->def->flags |= INTERP_INSN_FP;
            return e->width = st->width;
        }
        gen_error(e->loc, "undefined name '%s' in def '%s'", n, ck->def->name);
        return 0;
    }
    int i = find_field(ck, n);
    if (i >= 0) {
        e->name_kind = GEN_N_FIELD;
        e->ref = i;
        if (!ck->in_reg_index)
            note_field_use(ck, e, GEN_USE_OTHER);
        return e->width = ck->insn->format->fields[i].field->width;
    }
    if (ck->mode == MODE_DECODE) {
        gen_error(e->loc, "'%s' is not a field of format '%s'", n, ck->insn->format->name);
        return 0;
    }
    if ((i = find_local(ck, n)) >= 0) {
        e->name_kind = GEN_N_LOCAL;
        e->ref = i;
        return e->width = ck->locals[i].width;
    }
    if (strcmp(n, "PC") == 0 || strcmp(n, "NPC") == 0) {
        e->name_kind = n[0] == 'P' ? GEN_N_PC : GEN_N_NPC;
        return e->width = ck->spec->xlen;
    }
    GenState *st = find_state(ck->spec, n);
    if (st && st->count == 0) {
        e->name_kind = GEN_N_STATE;
        e->state = st;
        if (strcmp(st->name, "FFLAGS") == 0 || strcmp(st->name, "FRM") == 0)
            ck->insn->flags |= INTERP_INSN_FP;
        return e->width = st->width;
    }
    if (st) {
        gen_error(e->loc, "register file '%s' needs an index: %s[i]", n, n);
        return 0;
    }
    gen_error(e->loc, "undefined name '%s'", n);
    return 0;
}

/* ------------------------------------------------------------ expressions */

static bool is_arith(const char *op)
{
    static const char *const ops[] = { "+", "-", "*", "&", "|", "^", "/s", "/u", "%s", "%u" };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(op, ops[i]) == 0)
            return true;
    return false;
}

static bool is_compare(const char *op)
{
    static const char *const ops[] = { "==", "!=", "<s", "<u", "<=s", "<=u", ">s", ">u", ">=s", ">=u" };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(op, ops[i]) == 0)
            return true;
    return false;
}

/* Both operands of a same-width operator: literals take the other side's width. */
static int unify(Checker *ck, GenExpr *e, int expected, const char *what)
{
    int wa = check(ck, e->args[0], expected);
    int wb = check(ck, e->args[1], expected);
    if (wa == 0 && wb > 0)
        wa = check(ck, e->args[0], wb);
    if (wb == 0 && wa > 0)
        wb = check(ck, e->args[1], wa);
    if (wa > 0 && wb > 0 && wa != wb) {
        gen_error(e->loc, "operands of %s have different widths: bits<%d> and bits<%d>", what, wa, wb);
        return wa;
    }
    return wa;
}

static int64_t fold(const char *op, int64_t a, int64_t b)
{
    if (!strcmp(op, "+")) return a + b;
    if (!strcmp(op, "-")) return a - b;
    if (!strcmp(op, "*")) return a * b;
    if (!strcmp(op, "&")) return a & b;
    if (!strcmp(op, "|")) return a | b;
    if (!strcmp(op, "^")) return a ^ b;
    return 0;
}

static int check_binary(Checker *ck, GenExpr *e, int expected)
{
    const char *op = e->op;
    if (is_arith(op)) {
        char what[16];
        snprintf(what, sizeof what, "'%s'", op);
        int w = unify(ck, e, expected, what);
        if (w == 0) {   /* both literal: fold now so they stay untyped */
            if (op[0] == '/' || op[0] == '%') {
                gen_error(e->loc, "'%s' of two literals: give one of them a width", op);
                return 0;
            }
            e->value = fold(op, e->args[0]->value, e->args[1]->value);
            e->kind = GEN_E_NUM;
            return check(ck, e, expected);
        }
        return e->width = w < 0 ? 0 : w;
    }
    if (is_compare(op)) {
        char what[16];
        snprintf(what, sizeof what, "'%s'", op);
        int w = unify(ck, e, 0, what);
        if (w == 0)
            gen_error(e->loc, "comparison of two literals");
        return e->width = 1;
    }
    if (!strcmp(op, "&&") || !strcmp(op, "||")) {
        for (int i = 0; i < 2; i++) {
            int w = check(ck, e->args[i], 1);
            if (w != 1 && w != 0)
                gen_error(e->args[i]->loc, "operand of '%s' must be bits<1>, not bits<%d>", op, w);
        }
        return e->width = 1;
    }
    if (!strcmp(op, "<<") || !strcmp(op, ">>u") || !strcmp(op, ">>s")) {
        int wa = settle(ck, e->args[0], check(ck, e->args[0], expected), expected);
        int wb = check(ck, e->args[1], 0);
        if (wb == 0) {
            int64_t n = e->args[1]->value;
            if (n < 0 || (wa > 0 && n >= wa))
                gen_error(e->args[1]->loc, "shift by %lld of a bits<%d> value", (long long)n, wa);
            e->args[1]->width = 7;   /* any width that holds the amount */
            if (n >= 0 && n < 128) e->args[1]->width = n < 64 ? 7 : 8;
        }
        return e->width = wa;
    }
    if (!strcmp(op, "@")) {
        int wa = check(ck, e->args[0], 0), wb = check(ck, e->args[1], 0);
        if (wa == 0 || wb == 0)
            gen_error(e->loc, "operands of '@' need widths; wrap literals in zext(..., W)");
        if (wa + wb > GEN_MAX_WIDTH)
            gen_error(e->loc, "'@' gives bits<%d>, more than %d", wa + wb, GEN_MAX_WIDTH);
        return e->width = wa + wb;
    }
    gen_error(e->loc, "unknown operator '%s'", op);
    return 0;
}

static void expect_width(GenExpr *e, int got, int want, const char *what)
{
    if (got != 0 && got != want)
        gen_error(e->loc, "%s must be bits<%d>, not bits<%d>", what, want, got);
}

static int const_arg(Checker *ck, GenExpr *e)
{
    bool ok = true;
    int64_t v = eval_const(ck, e, &ok);
    return ok ? (int)v : -1;
}

static int check_size_arg(Checker *ck, GenExpr *call, GenExpr *arg)
{
    int n = const_arg(ck, arg);
    if (n != 1 && n != 2 && n != 4 && n != 8) {
        if (n >= 0)
            gen_error(arg->loc, "%s size must be 1, 2, 4 or 8 bytes, not %d", call->name, n);
        return 0;
    }
    arg->width = 4;
    return n;
}

static void want_args(GenExpr *e, int lo, int hi)
{
    if (e->nargs < lo || e->nargs > hi) {
        if (lo == hi)
            gen_error(e->loc, "'%s' takes %d argument%s, not %d", e->name, lo, lo == 1 ? "" : "s", e->nargs);
        else
            gen_error(e->loc, "'%s' takes %d to %d arguments, not %d", e->name, lo, hi, e->nargs);
    }
}

static void note_access(Checker *ck, unsigned flag, int size)
{
    if (ck->mode == MODE_DEF)
        ck->def->flags |= flag;
    if (ck->mode != MODE_BODY)
        return;
    ck->insn->flags |= flag;
    if (size > ck->insn->access_size)
        ck->insn->access_size = size;
}

static GenDef *find_def(GenSpec *spec, const char *name)
{
    for (int i = 0; i < spec->ndefs; i++)
        if (strcmp(spec->defs[i]->name, name) == 0)
            return spec->defs[i];
    return NULL;
}

static GenHelper *find_helper(GenSpec *spec, const char *name)
{
    for (int i = 0; i < spec->nhelpers; i++)
        if (strcmp(spec->helpers[i]->name, name) == 0)
            return spec->helpers[i];
    return NULL;
}

static bool effects_allowed(Checker *ck, GenExpr *e)
{
    if (ck->mode == MODE_BODY)
        return true;
    if (ck->mode == MODE_DEF) {   /* allowed: the def is then expanded where it is called */
        ck->def->impure = true;
        return true;
    }
    gen_error(e->loc, "'%s' reads state or has effects, so it cannot be used in %s", e->name,
              ck->mode == MODE_DEF ? "a def" : "a decode-time condition");
    return false;
}

/* Arguments against declared widths (defs and helpers). */
static void check_call_args(Checker *ck, GenExpr *e, int nargs, const int *widths)
{
    if (e->nargs != nargs) {
        want_args(e, nargs, nargs);
        return;
    }
    for (int i = 0; i < nargs; i++) {
        int w = settle(ck, e->args[i], check(ck, e->args[i], widths[i]), widths[i]);
        if (w && w != widths[i])
            gen_error(e->args[i]->loc, "argument %d of '%s' must be bits<%d>, not bits<%d>",
                      i + 1, e->name, widths[i], w);
    }
}

static int check_call(Checker *ck, GenExpr *e, int expected)
{
    const char *n = e->name;
    int xlen = ck->spec->xlen;
    if (!strcmp(n, "sext") || !strcmp(n, "zext")) {
        e->builtin = n[0] == 's' ? GEN_B_SEXT : GEN_B_ZEXT;
        want_args(e, 1, 2);
        if (e->nargs < 1)
            return 0;
        int w = check(ck, e->args[0], 0);
        int to = xlen;
        if (e->nargs == 2) {
            to = const_arg(ck, e->args[1]);
            e->args[1]->width = 8;
        }
        if (w == 0) {
            gen_error(e->loc, "%s of a literal: write the literal at the width you want", n);
            return to;
        }
        if (to < w || to > GEN_MAX_WIDTH) {
            gen_error(e->loc, "%s from bits<%d> to bits<%d>", n, w, to);
            return 0;
        }
        if (e->args[0]->kind == GEN_E_NAME)
            note_field_use(ck, e->args[0], GEN_USE_OTHER);
        return e->width = to;
    }
    if (!strcmp(n, "load") || !strcmp(n, "amo_load")) {
        e->builtin = n[0] == 'l' ? GEN_B_LOAD : GEN_B_AMO_LOAD;
        want_args(e, 2, 2);
        if (e->nargs != 2 || !effects_allowed(ck, e))
            return 0;
        expect_width(e->args[0], settle(ck, e->args[0], check(ck, e->args[0], xlen), xlen), xlen, "an address");
        int size = check_size_arg(ck, e, e->args[1]);
        note_access(ck, e->builtin == GEN_B_LOAD ? INTERP_INSN_LOAD : INTERP_INSN_LOAD | INTERP_INSN_ATOMIC, size);
        return e->width = size * 8;
    }
    if (!strcmp(n, "cas")) {
        e->builtin = GEN_B_CAS;
        want_args(e, 3, 3);
        if (e->nargs != 3 || !effects_allowed(ck, e))
            return 0;
        expect_width(e->args[0], settle(ck, e->args[0], check(ck, e->args[0], xlen), xlen), xlen, "an address");
        int w = check(ck, e->args[2], 0);
        w = settle(ck, e->args[1], check(ck, e->args[1], w), w);
        expect_width(e->args[2], check(ck, e->args[2], w), w, "the new value");
        if (w != 8 && w != 16 && w != 32 && w != 64)
            gen_error(e->loc, "cas of bits<%d>: must be 8, 16, 32 or 64 bits", w);
        note_access(ck, INTERP_INSN_ATOMIC | INTERP_INSN_STORE, w / 8);
        return e->width = 1;
    }
    if (!strcmp(n, "csr_read")) {
        e->builtin = GEN_B_CSR_READ;
        want_args(e, 1, 1);
        if (e->nargs != 1 || !effects_allowed(ck, e))
            return 0;
        expect_width(e->args[0], settle(ck, e->args[0], check(ck, e->args[0], 12), 12), 12, "a CSR number");
        note_access(ck, INTERP_INSN_CSR, 0);
        return e->width = xlen;
    }
    if (!strcmp(n, "require")) {
        e->builtin = GEN_B_REQUIRE;
        want_args(e, 2, 2);
        if (e->nargs != 2 || !effects_allowed(ck, e))
            return 0;
        expect_width(e->args[0], check(ck, e->args[0], 1), 1, "the condition of require");
        return e->width = settle(ck, e->args[1], check(ck, e->args[1], expected), expected);
    }
    GenDef *d = find_def(ck->spec, n);
    if (d) {
        e->builtin = GEN_B_DEF;
        e->def = d;
        gen_check_def(ck->spec, d);
        if (d->impure && !effects_allowed(ck, e))
            return 0;
        if (ck->mode == MODE_DEF)
            ck->def->flags |= d->flags;
        else if (ck->mode == MODE_BODY)
            ck->insn->flags |= d->flags;
        check_call_args(ck, e, d->nargs, d->arg_width);
        return e->width = d->ret_width;
    }
    static const char *const statements[] = { "store", "jump", "ecall", "ebreak", "fence",
                                              "fence_i", "illegal", "csr_write", "amo_store" };
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++)
        if (!strcmp(n, statements[i])) {
            gen_error(e->loc, "'%s' is a statement and gives no value", n);
            return 0;
        }
    if (find_helper(ck->spec, n))
        gen_error(e->loc, "'%s' is a C helper: call it as 'helper %s(...)'", n, n);
    else
        gen_error(e->loc, "unknown function '%s'", n);
    (void)expected;
    return 0;
}

static int check_helper(Checker *ck, GenExpr *e, bool as_statement)
{
    GenHelper *h = find_helper(ck->spec, e->name);
    if (!h) {
        gen_error(e->loc, "unknown helper '%s'", e->name);
        return 0;
    }
    if (!effects_allowed(ck, e))
        return 0;
    e->helper = h;
    check_call_args(ck, e, h->nargs, h->arg_width);
    if (!as_statement && h->ret_width == 0)
        gen_error(e->loc, "helper '%s' gives no value", h->name);
    return e->width = h->ret_width;
}

static int check_slice(Checker *ck, GenExpr *e, int expected)
{
    GenExpr *base = e->args[0];
    /* X[i] is a register, not a bit slice */
    if (base->kind == GEN_E_NAME && !e->args[2]) {
        GenState *st = ck->mode == MODE_BODY && find_local(ck, base->name) < 0 &&
                       find_field(ck, base->name) < 0 ? find_state(ck->spec, base->name) : NULL;
        if (st && st->count > 0) {
            e->kind = GEN_E_REGFILE;
            e->state = st;
            e->name = st->name;
            e->args[0] = e->args[1];
            e->args[1] = e->args[2] = NULL;
            e->nargs = 1;
            ck->in_reg_index = e->args[0]->kind == GEN_E_NAME;
            int w = check(ck, e->args[0], 0);
            ck->in_reg_index = false;
            if (w == 0 && (e->args[0]->value < 0 || e->args[0]->value >= st->count))
                gen_error(e->loc, "%s[%lld] is out of range", st->name, (long long)e->args[0]->value);
            if (w == 0)
                e->args[0]->width = 8;
            if (strcmp(st->name, "X") == 0)
                note_field_use(ck, e->args[0], GEN_USE_XREAD);
            else
                ck->insn->flags |= INTERP_INSN_FP;
            return e->width = st->width;
        }
    }
    int w = check(ck, base, 0);
    if (w == 0) {
        gen_error(e->loc, "slice of a literal");
        return 0;
    }
    if (base->kind == GEN_E_NAME)
        note_field_use(ck, base, GEN_USE_OTHER);
    bool ok = true;
    int64_t hi = eval_const(ck, e->args[1], &ok);
    int64_t lo = e->args[2] ? eval_const(ck, e->args[2], &ok) : hi;
    if (!ok)
        return 0;
    if (lo < 0 || hi < lo || hi >= w) {
        gen_error(e->loc, "slice [%lld:%lld] of a bits<%d> value", (long long)hi, (long long)lo, w);
        return 0;
    }
    e->hi = (int)hi;
    e->lo = (int)lo;
    (void)expected;
    return e->width = (int)(hi - lo + 1);
}

/* Returns the width (0 for a literal still without one). */
static int check(Checker *ck, GenExpr *e, int expected)
{
    switch (e->kind) {
    case GEN_E_NUM:
        if (expected > 0 && !literal_fits(e->value, expected))
            gen_error(e->loc, "literal %lld does not fit in bits<%d>", (long long)e->value, expected);
        return e->width = expected;
    case GEN_E_NAME:
        if (e->name_kind != GEN_N_UNRESOLVED)
            return e->width;
        return resolve_name(ck, e, expected);
    case GEN_E_REGFILE:
        return e->width;
    case GEN_E_SLICE:
        return check_slice(ck, e, expected);
    case GEN_E_UNARY: {
        if (!strcmp(e->op, "!")) {
            expect_width(e->args[0], check(ck, e->args[0], 1), 1, "the operand of '!'");
            return e->width = 1;
        }
        int w = check(ck, e->args[0], expected);
        if (w == 0) {                       /* literal: fold */
            e->value = e->op[0] == '-' ? -e->args[0]->value : ~e->args[0]->value;
            if (e->op[0] == '~' && expected > 0 && expected < 64)
                e->value &= (INT64_C(1) << expected) - 1;
            e->kind = GEN_E_NUM;
            return check(ck, e, expected);
        }
        return e->width = w;
    }
    case GEN_E_BINARY:
        return check_binary(ck, e, expected);
    case GEN_E_TERNARY: {
        expect_width(e->args[0], check(ck, e->args[0], 1), 1, "a condition");
        GenExpr pair = { .loc = e->loc, .args = { e->args[1], e->args[2] } };
        int w = unify(ck, &pair, expected, "'?:'");
        if (w == 0 && expected == 0)
            gen_error(e->loc, "both arms of '?:' are literals and the width is unknown");
        return e->width = w < 0 ? 0 : (w ? w : expected);
    }
    case GEN_E_CALL:
        return check_call(ck, e, expected);
    case GEN_E_HELPER:
        return check_helper(ck, e, false);
    }
    return 0;
}

/* ------------------------------------------------------------ statements */

static void check_stmts(Checker *ck, GenStmt *s, bool top);

static void check_assign(Checker *ck, GenStmt *s)
{
    GenExpr *lhs = s->lhs;
    int decl = s->decl_width_text ? const_width(ck, s->decl_width_text, s->loc) : 0;
    if (lhs->kind == GEN_E_SLICE && lhs->args[0]->kind == GEN_E_NAME && !lhs->args[2]) {
        int w = check(ck, lhs, 0);          /* resolves X[i] into GEN_E_REGFILE */
        (void)w;
        if (lhs->kind != GEN_E_REGFILE) {
            gen_error(lhs->loc, "only registers and names can be assigned; slices cannot");
            return;
        }
        /* the index read was noted as XREAD: it is a write */
        if (!strcmp(lhs->state->name, "X") && lhs->args[0]->kind == GEN_E_NAME &&
            lhs->args[0]->name_kind == GEN_N_FIELD) {
            ck->insn->field_use[lhs->args[0]->ref] &= ~(unsigned)GEN_USE_XREAD;
            ck->insn->field_use[lhs->args[0]->ref] |= GEN_USE_XWRITE;
        }
        int w2 = settle(ck, s->rhs, check(ck, s->rhs, lhs->width), lhs->width);
        expect_width(s->rhs, w2, lhs->width, "the value assigned");
        return;
    }
    if (lhs->kind != GEN_E_NAME) {
        gen_error(lhs->loc, "cannot assign to this expression");
        return;
    }
    if (find_field(ck, lhs->name) >= 0) {
        gen_error(lhs->loc, "cannot assign to field '%s'", lhs->name);
        return;
    }
    GenState *st = find_state(ck->spec, lhs->name);
    int idx = find_local(ck, lhs->name);
    if (st && idx < 0) {
        if (st->count > 0) {
            gen_error(lhs->loc, "register file '%s' needs an index: %s[i] = ...", st->name, st->name);
            return;
        }
        if (decl)
            gen_error(lhs->loc, "'%s' is state; it cannot be declared", st->name);
        lhs->name_kind = GEN_N_STATE;
        lhs->state = st;
        lhs->width = st->width;
        if (!strcmp(st->name, "FFLAGS") || !strcmp(st->name, "FRM"))
            ck->insn->flags |= INTERP_INSN_FP;
        int w = settle(ck, s->rhs, check(ck, s->rhs, st->width), st->width);
        expect_width(s->rhs, w, st->width, "the value assigned");
        return;
    }
    if (!strcmp(lhs->name, "PC") || !strcmp(lhs->name, "NPC") || !strcmp(lhs->name, "XLEN")) {
        gen_error(lhs->loc, "cannot assign to '%s'%s", lhs->name,
                  lhs->name[0] == 'X' ? "" : "; use jump(target)");
        return;
    }
    if (idx >= 0) {
        if (decl)
            gen_error(s->loc, "local '%s' is declared twice", lhs->name);
        int lw = ck->locals[idx].width;
        int w = settle(ck, s->rhs, check(ck, s->rhs, lw), lw);
        expect_width(s->rhs, w, lw, "the value assigned");
    } else {
        int w = check(ck, s->rhs, decl);
        if (decl && w && w != decl)
            gen_error(s->rhs->loc, "the value assigned must be bits<%d>, not bits<%d>", decl, w);
        if (!decl && !w) {
            gen_error(s->loc, "cannot tell the width of '%s'; declare it: bits<N> %s = ...", lhs->name, lhs->name);
            w = 1;
        }
        idx = add_local(ck, lhs->name, decl ? decl : w);
    }
    lhs->name_kind = GEN_N_LOCAL;
    lhs->ref = idx;
    lhs->width = ck->locals[idx].width;
}

static void check_call_stmt(Checker *ck, GenStmt *s, bool top)
{
    GenExpr *e = s->call;
    int xlen = ck->spec->xlen;
    if (e->kind == GEN_E_HELPER) {
        check_helper(ck, e, true);
        return;
    }
    const char *n = e->name;
    if (!strcmp(n, "store")) {
        e->builtin = GEN_B_STORE;
        want_args(e, 2, 2);
        if (e->nargs != 2) return;
        expect_width(e->args[0], settle(ck, e->args[0], check(ck, e->args[0], xlen), xlen), xlen, "an address");
        int w = check(ck, e->args[1], 0);
        if (w != 8 && w != 16 && w != 32 && w != 64)
            gen_error(e->args[1]->loc, "store of bits<%d>: the value must be 8, 16, 32 or 64 bits", w);
        note_access(ck, INTERP_INSN_STORE, w / 8);
    } else if (!strcmp(n, "jump")) {
        e->builtin = GEN_B_JUMP;
        want_args(e, 1, 1);
        if (e->nargs != 1) return;
        expect_width(e->args[0], settle(ck, e->args[0], check(ck, e->args[0], xlen), xlen), xlen, "a jump target");
        ck->insn->flags |= INTERP_INSN_ENDS_BLOCK | (ck->if_depth ? INTERP_INSN_BRANCH : INTERP_INSN_JUMP);
    } else if (!strcmp(n, "ecall") || !strcmp(n, "ebreak") || !strcmp(n, "fence_i") ||
               !strcmp(n, "illegal") || !strcmp(n, "fence")) {
        e->builtin = !strcmp(n, "ecall") ? GEN_B_ECALL : !strcmp(n, "ebreak") ? GEN_B_EBREAK
                   : !strcmp(n, "fence_i") ? GEN_B_FENCE_I : !strcmp(n, "fence") ? GEN_B_FENCE
                   : GEN_B_ILLEGAL;
        want_args(e, 0, 0);
        if (e->builtin != GEN_B_FENCE)
            ck->insn->flags |= INTERP_INSN_SYSTEM | INTERP_INSN_ENDS_BLOCK;
    } else if (!strcmp(n, "csr_write")) {
        e->builtin = GEN_B_CSR_WRITE;
        want_args(e, 2, 2);
        if (e->nargs != 2) return;
        expect_width(e->args[0], settle(ck, e->args[0], check(ck, e->args[0], 12), 12), 12, "a CSR number");
        expect_width(e->args[1], settle(ck, e->args[1], check(ck, e->args[1], xlen), xlen), xlen, "a CSR value");
        ck->insn->flags |= INTERP_INSN_CSR | INTERP_INSN_ENDS_BLOCK;
    } else if (!strcmp(n, "amo_store")) {
        e->builtin = GEN_B_AMO_STORE;
        want_args(e, 1, 1);
        if (e->nargs != 1) return;
        if (!top || ck->amo_width == 0) {
            gen_error(e->loc, "amo_store must follow 't = amo_load(...)' in the same statement list");
            return;
        }
        int w = ck->amo_width;
        expect_width(e->args[0], settle(ck, e->args[0], check(ck, e->args[0], w), w), w, "the value of amo_store");
        ck->insn->flags |= INTERP_INSN_STORE;
        ck->amo_width = 0;
    } else {
        int w = check(ck, e, 0);
        (void)w;
        if (e->builtin != GEN_B_NONE || e->def)
            gen_error(e->loc, "the value of '%s' is not used", n);
    }
}

static bool is_amo_load_assign(const GenStmt *s)
{
    return s->kind == GEN_S_ASSIGN && s->rhs && s->rhs->kind == GEN_E_CALL &&
           !strcmp(s->rhs->name, "amo_load");
}

static bool has_amo_store(const GenStmt *s)
{
    for (; s; s = s->next)
        if (s->kind == GEN_S_CALL && s->call->kind == GEN_E_CALL && !strcmp(s->call->name, "amo_store"))
            return true;
    return false;
}

static void check_stmts(Checker *ck, GenStmt *s, bool top)
{
    for (; s; s = s->next) {
        if (ck->amo_width && top && !(s->kind == GEN_S_ASSIGN && s->lhs->kind == GEN_E_NAME) &&
            !(s->kind == GEN_S_CALL && s->call->kind == GEN_E_CALL && !strcmp(s->call->name, "amo_store")))
            gen_error(s->loc, "between amo_load and amo_store only locals may be assigned");
        switch (s->kind) {
        case GEN_S_ASSIGN:
            check_assign(ck, s);
            if (is_amo_load_assign(s) && has_amo_store(s->next)) {
                if (!top)
                    gen_error(s->loc, "amo_load must be at the top level of the body");
                s->amo_loop_start = true;
                ck->amo_width = s->rhs->width;
            } else if (ck->amo_width && s->lhs->kind == GEN_E_NAME && s->lhs->name_kind != GEN_N_LOCAL) {
                gen_error(s->loc, "between amo_load and amo_store only locals may be assigned");
            }
            break;
        case GEN_S_IF:
            expect_width(s->cond, check(ck, s->cond, 1), 1, "an if condition");
            ck->if_depth++;
            check_stmts(ck, s->then_s, false);
            if (s->else_s)
                check_stmts(ck, s->else_s, false);
            ck->if_depth--;
            break;
        case GEN_S_BLOCK:
            check_stmts(ck, s->body, false);
            break;
        case GEN_S_CALL:
            check_call_stmt(ck, s, top);
            break;
        }
    }
}

void gen_check_insn(GenSpec *spec, GenInsn *insn)
{
    Checker ck = { .spec = spec, .insn = insn, .mode = MODE_BODY };
    check_stmts(&ck, insn->body, true);   /* amo_load without amo_store is LR's aligned load */
    insn->nlocals = ck.nlocals;
    insn->locals = ck.locals;
}

void gen_check_def(GenSpec *spec, GenDef *def)
{
    if (def->checked)
        return;
    if (def->checking) {
        gen_error(def->loc, "def '%s' calls itself", def->name);
        return;
    }
    def->checking = true;
    Checker ck = { .spec = spec, .def = def, .mode = MODE_DEF };
    if (def->body) {
        int w = settle(&ck, def->body, check(&ck, def->body, def->ret_width), def->ret_width);
        expect_width(def->body, w, def->ret_width, "the result of the def");
    }
    def->checking = false;
    def->checked = true;
}

void gen_check_illegal_if(GenSpec *spec, GenInsn *insn)
{
    Checker ck = { .spec = spec, .insn = insn, .mode = MODE_DECODE };
    expect_width(insn->illegal_if, check(&ck, insn->illegal_if, 1), 1, "illegal-if");
}

/* "addi rd, rd, imm": one argument per {operand} of the base's asm, in order. */
void gen_check_expansion(GenSpec *spec, GenInsn *insn)
{
    Checker ck = { .spec = spec, .insn = insn, .mode = MODE_DECODE };
    const char *text = insn->expands_text;
    const char *sp = strpbrk(text, " \t");
    size_t nlen = sp ? (size_t)(sp - text) : strlen(text);
    GenInsn *base = NULL;
    for (int i = 0; i < spec->ninsns; i++)
        if (strlen(spec->insns[i]->name) == nlen && !strncmp(spec->insns[i]->name, text, nlen) &&
            !spec->insns[i]->expands_text)
            base = spec->insns[i];
    if (!base) {
        gen_error(insn->loc, "expands to unknown instruction '%.*s'", (int)nlen, text);
        return;
    }
    insn->base = base;
    /* the base's operands, in asm order */
    int order[GEN_MAX_FMT_FIELDS], norder = 0;
    for (const char *p = base->asm_text; p && (p = strchr(p, '{')) != NULL; p++) {
        const char *end = strchr(p, '}');
        if (!end) break;
        for (int i = 0; i < base->format->nfields; i++)
            if (strlen(base->format->fields[i].local) == (size_t)(end - p - 1) &&
                !strncmp(base->format->fields[i].local, p + 1, (size_t)(end - p - 1)) && norder < GEN_MAX_FMT_FIELDS)
                order[norder++] = i;
    }
    /* split the arguments at top-level commas */
    const char *p = sp ? sp : text + nlen;
    int nargs = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        const char *start = p;
        int depth = 0;
        while (*p && !(depth == 0 && *p == ',')) {
            if (*p == '(') depth++;
            if (*p == ')') depth--;
            p++;
        }
        char *arg = gen_alloc((size_t)(p - start) + 1);
        memcpy(arg, start, (size_t)(p - start));
        if (*p == ',') p++;
        if (nargs >= norder) {
            gen_error(insn->loc, "expansion gives more operands than '%s' has (%d)", base->name, norder);
            return;
        }
        GenExpr *e = gen_parse_expr(arg, insn->loc);
        if (!e)
            return;
        int fi = order[nargs++];
        GenField *bf = base->format->fields[fi].field;
        int w = check(&ck, e, bf->width);
        if (e->kind == GEN_E_NAME && e->name_kind == GEN_N_FIELD) {
            GenField *own = insn->format->fields[e->ref].field;
            if (w > bf->width)
                gen_error(insn->loc, "operand '%s' (bits<%d>) is wider than %s's '%s' (bits<%d>)",
                          e->name, w, base->name, base->format->fields[fi].local, bf->width);
            else if (own->is_signed && !bf->is_signed)
                gen_error(insn->loc, "operand '%s' is signed but %s's '%s' is not", e->name, base->name,
                          base->format->fields[fi].local);
            else if (!own->is_signed && bf->is_signed && w == bf->width)
                gen_error(insn->loc, "operand '%s' (unsigned bits<%d>) would change sign in %s's signed '%s'",
                          e->name, w, base->name, base->format->fields[fi].local);
        } else if (w && w != bf->width) {
            gen_error(insn->loc, "operand %d of the expansion must be bits<%d>, not bits<%d>", nargs, bf->width, w);
        }
        insn->expand_args[fi] = e;
    }
    if (nargs != norder)
        gen_error(insn->loc, "expansion gives %d operands; '%s' has %d", nargs, base->name, norder);
}

/* Is jump target t `PC + sext(imm)` with imm a signed immediate field? Then the target is
   known when the instruction is decoded (tiers chain such jumps directly). */
bool gen_is_pc_relative(const GenInsn *insn, const GenExpr *t)
{
    if (t->kind != GEN_E_BINARY || strcmp(t->op, "+") || t->args[0]->kind != GEN_E_NAME ||
        t->args[0]->name_kind != GEN_N_PC || t->args[1]->kind != GEN_E_CALL || t->args[1]->builtin != GEN_B_SEXT)
        return false;
    const GenExpr *f = t->args[1]->args[0];
    return f->kind == GEN_E_NAME && f->name_kind == GEN_N_FIELD && insn->slots[f->ref].kind == GEN_SLOT_IMM &&
           insn->format->fields[f->ref].field->is_signed;
}

/* An unconditional jump whose only other effect is an optional link write can be
   followed at decode time (the run loop inlines its target when the link is x0). */
void gen_find_direct_jump(GenInsn *insn)
{
    const GenStmt *s = insn->body;
    insn->link_slot = -1;
    int link = -1;
    if (s && s->kind == GEN_S_ASSIGN && s->lhs->kind == GEN_E_REGFILE && !strcmp(s->lhs->state->name, "X") &&
        s->lhs->args[0]->kind == GEN_E_NAME && s->lhs->args[0]->name_kind == GEN_N_FIELD &&
        s->rhs->kind == GEN_E_NAME && s->rhs->name_kind == GEN_N_NPC) {
        link = s->lhs->args[0]->ref;
        s = s->next;
    }
    if (!s || s->next || s->kind != GEN_S_CALL || s->call->builtin != GEN_B_JUMP)
        return;
    if (!gen_is_pc_relative(insn, s->call->args[0]))
        return;
    if (link >= 0 && (insn->slots[link].kind != GEN_SLOT_BYTE || insn->field_use[link] != GEN_USE_XWRITE))
        return;
    insn->flags |= INTERP_INSN_DIRECT;
    insn->link_slot = link >= 0 ? insn->slots[link].index : -1;
}

/* ---------------------------------------------------------------- commuting sources */

/* Whether expression a is b with fields i and j exchanged, taking the operands of the
   commutative operators in either order. */
static bool same_swapped(const GenExpr *a, const GenExpr *b, int i, int j);

static bool is_commutative_op(const char *op)
{
    static const char *const ops[] = { "+", "*", "&", "|", "^", "==", "!=" };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
        if (!strcmp(op, ops[k]))
            return true;
    return false;
}

static bool same_swapped(const GenExpr *a, const GenExpr *b, int i, int j)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->width != b->width || a->nargs != b->nargs)
        return false;
    switch (a->kind) {
    case GEN_E_NUM:
        return a->value == b->value;
    case GEN_E_NAME:
        if (a->name_kind != b->name_kind || a->state != b->state)
            return false;
        if (a->name_kind == GEN_N_FIELD)
            return a->ref == (b->ref == i ? j : b->ref == j ? i : b->ref);
        return a->ref == b->ref && (a->name_kind != GEN_N_UNRESOLVED || !strcmp(a->name, b->name));
    case GEN_E_SLICE:
        if (a->hi != b->hi || a->lo != b->lo)
            return false;
        break;
    case GEN_E_REGFILE:
        if (a->state != b->state)
            return false;
        break;
    case GEN_E_CALL:
    case GEN_E_HELPER:
        if (a->builtin != b->builtin || a->def != b->def || a->helper != b->helper ||
            (a->builtin == GEN_B_NONE && a->def == NULL && a->helper == NULL && strcmp(a->name, b->name)))
            return false;
        break;
    case GEN_E_UNARY:
    case GEN_E_BINARY:
    case GEN_E_TERNARY:
        if (strcmp(a->op, b->op))
            return false;
        if (a->kind == GEN_E_BINARY && is_commutative_op(a->op) &&
            same_swapped(a->args[0], b->args[1], i, j) && same_swapped(a->args[1], b->args[0], i, j))
            return true;
        break;
    }
    for (int k = 0; k < a->nargs; k++)
        if (!same_swapped(a->args[k], b->args[k], i, j))
            return false;
    return true;
}

static bool same_stmts_swapped(const GenStmt *a, const GenStmt *b, int i, int j)
{
    for (; a || b; a = a->next, b = b->next) {
        if (!a || !b || a->kind != b->kind || a->decl_width != b->decl_width ||
            a->amo_loop_start != b->amo_loop_start)
            return false;
        if (!same_swapped(a->lhs, b->lhs, i, j) || !same_swapped(a->rhs, b->rhs, i, j) ||
            !same_swapped(a->cond, b->cond, i, j) || !same_swapped(a->call, b->call, i, j) ||
            !same_stmts_swapped(a->then_s, b->then_s, i, j) || !same_stmts_swapped(a->else_s, b->else_s, i, j) ||
            !same_stmts_swapped(a->body, b->body, i, j))
            return false;
    }
    return true;
}

/* Two X registers the body only reads, and reads alike: exchanging them gives the same
   body (add, and, mul, xnor... but not sub or mulhsu). Tier 1 exchanges them where that
   lets an operand's load become a move from the register the code before just stored. */
void gen_find_commuting_sources(GenInsn *insn)
{
    insn->commute_slot[0] = insn->commute_slot[1] = -1;
    const GenFormat *fmt = insn->format;
    for (int i = 0; i < fmt->nfields; i++)
        for (int j = i + 1; j < fmt->nfields; j++) {
            if (insn->slots[i].kind != GEN_SLOT_BYTE || insn->slots[j].kind != GEN_SLOT_BYTE ||
                insn->field_use[i] != GEN_USE_XREAD || insn->field_use[j] != GEN_USE_XREAD ||
                !same_stmts_swapped(insn->body, insn->body, i, j))
                continue;
            insn->flags |= INTERP_INSN_COMMUTES;
            insn->commute_slot[0] = insn->slots[i].index;
            insn->commute_slot[1] = insn->slots[j].index;
            return;
        }
}
