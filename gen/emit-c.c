/*
** emit-c.c — C for checked statements (emit-expr.c does expressions). Effects become
** macros that each consumer defines (interp/ now, the JIT's stencils later):
** REG_R/REG_W, STATE, MEM_*, JUMP, ...
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static char *expr(GenEmitCtx *cx, const GenExpr *e) { return gen_expr_c(cx, e); }

static char *call_args(GenEmitCtx *cx, const GenExpr *e)
{
    char *s = gen_strdup("HELPER_CPU");
    for (int i = 0; i < e->nargs; i++)
        s = gen_strfmt("%s, %s", s, expr(cx, e->args[i]));
    return s;
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
    if (lhs->kind == GEN_E_REGFILE && gen_emit_fwd_slot(cx, lhs, cx->fwd_write)) {
        line(cx, "fwd_ = %s;", v);   /* for the pair's second (emit-files.c) */
        v = "fwd_";
    }
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
            line(cx, "helper_%s(%s);", e->helper->name, call_args(cx, e));
            break;
        }
        switch (e->builtin) {
        case GEN_B_STORE:
            line(cx, "MEM_STORE(%d, %s, %s);", e->args[1]->width, expr(cx, e->args[0]), expr(cx, e->args[1]));
            break;
        case GEN_B_JUMP:   /* JUMP_REL: the target is PC + an immediate, known at decode time */
            line(cx, "%s(%s);", cx->insn && gen_is_pc_relative(cx->insn, e->args[0]) ? "JUMP_REL" : "JUMP",
                 expr(cx, e->args[0]));
            break;
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
