/*
** sem-parse.c — lexer and parser for instruction bodies (the language of spec/README.md).
** Produces an untyped tree; sem-check.c resolves names and widths.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

typedef enum TokKind { T_EOF, T_NUM, T_IDENT, T_OP } TokKind;

typedef struct Tok {
    TokKind kind;
    char text[16];         /* operator spelling */
    const char *start;     /* identifier start */
    int len;
    int64_t value;
    int line;
} Tok;

typedef struct Parser {
    const char *p;
    GenLoc loc;            /* line of the current token */
    int line;
    Tok tok;
    bool failed;
} Parser;

/* Longest first, so that ">>u" wins over ">>" and "<=s" over "<s". */
static const char *const operators[] = {
    "<=s", "<=u", ">=s", ">=u", ">>u", ">>s",
    "<s", "<u", ">s", ">u", "/s", "/u", "%s", "%u",
    "==", "!=", "<<", "&&", "||",
    "+", "-", "*", "&", "|", "^", "~", "!", "@", "?", ":", ";", ",", "(", ")", "[", "]",
    "{", "}", "=", "<", ">",
};

static bool ident_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

static void parse_fail(Parser *ps, const char *fmt, const char *what)
{
    if (!ps->failed)
        gen_error((GenLoc){ ps->loc.file, ps->tok.line }, fmt, what);
    ps->failed = true;
}

static void next(Parser *ps)
{
    const char *p = ps->p;
    for (;;) {
        while (*p && isspace((unsigned char)*p)) {
            if (*p == '\n')
                ps->line++;
            p++;
        }
        if (p[0] == '/' && p[1] == '/') {            /* comment to end of line */
            while (*p && *p != '\n')
                p++;
            continue;
        }
        break;
    }
    Tok *t = &ps->tok;
    memset(t, 0, sizeof *t);
    t->line = ps->line;
    t->start = p;
    if (!*p) {
        t->kind = T_EOF;
    } else if (isdigit((unsigned char)*p)) {
        char *end;
        int base = 10;
        const char *digits = p;
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) { base = 16; digits = p + 2; }
        else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) { base = 2; digits = p + 2; }
        unsigned long long v = strtoull(digits, &end, base);
        if (end == digits || ident_char((unsigned char)*end)) {
            t->kind = T_OP;                            /* reported by the caller */
            snprintf(t->text, sizeof t->text, "%.8s", p);
            parse_fail(ps, "malformed number '%s'", t->text);
            p = end + (*end != 0);
        } else {
            t->kind = T_NUM;
            t->value = (int64_t)v;
            p = end;
        }
    } else if (isalpha((unsigned char)*p) || *p == '_') {
        t->kind = T_IDENT;
        while (ident_char((unsigned char)*p))
            p++;
        t->len = (int)(p - t->start);
    } else {
        t->kind = T_OP;
        size_t i;
        for (i = 0; i < sizeof operators / sizeof operators[0]; i++) {
            size_t n = strlen(operators[i]);
            if (strncmp(p, operators[i], n) != 0)
                continue;
            /* "<s" only when the s is not the start of a name ("a <size" is not) */
            char last = operators[i][n - 1];
            if ((last == 's' || last == 'u') && ident_char((unsigned char)p[n]))
                continue;
            break;
        }
        if (i == sizeof operators / sizeof operators[0]) {
            char bad[2] = { *p, 0 };
            parse_fail(ps, "unexpected character '%s'", bad);
            t->kind = T_EOF;
            ps->p = p + strlen(p);
            return;
        }
        strcpy(t->text, operators[i]);
        p += strlen(operators[i]);
    }
    ps->p = p;
}

static bool is_op(const Parser *ps, const char *op)
{
    return ps->tok.kind == T_OP && strcmp(ps->tok.text, op) == 0;
}

static bool is_ident(const Parser *ps, const char *name)
{
    return ps->tok.kind == T_IDENT && (int)strlen(name) == ps->tok.len &&
           strncmp(ps->tok.start, name, (size_t)ps->tok.len) == 0;
}

static const char *tok_desc(const Parser *ps)
{
    static char buf[48];
    switch (ps->tok.kind) {
    case T_EOF: return "end of body";
    case T_NUM: snprintf(buf, sizeof buf, "number %lld", (long long)ps->tok.value); return buf;
    case T_IDENT: snprintf(buf, sizeof buf, "'%.*s'", ps->tok.len > 32 ? 32 : ps->tok.len, ps->tok.start); return buf;
    case T_OP: snprintf(buf, sizeof buf, "'%s'", ps->tok.text); return buf;
    }
    return "?";
}

static void expect(Parser *ps, const char *op)
{
    if (!is_op(ps, op)) {
        char msg[64];
        snprintf(msg, sizeof msg, "expected '%s' before %%s", op);
        parse_fail(ps, msg, tok_desc(ps));
        return;
    }
    next(ps);
}

static GenLoc here(const Parser *ps) { return (GenLoc){ ps->loc.file, ps->tok.line }; }

static GenExpr *new_expr(const Parser *ps, GenExprKind kind)
{
    GenExpr *e = gen_alloc(sizeof *e);
    e->kind = kind;
    e->loc = here(ps);
    return e;
}

static char *take_ident(Parser *ps)
{
    char *s = gen_alloc((size_t)ps->tok.len + 1);
    memcpy(s, ps->tok.start, (size_t)ps->tok.len);
    next(ps);
    return s;
}

static GenExpr *parse_expr(Parser *ps);

static void parse_args(Parser *ps, GenExpr *call)
{
    expect(ps, "(");
    if (!is_op(ps, ")")) {
        for (;;) {
            if (call->nargs == GEN_MAX_ARGS) {
                parse_fail(ps, "too many arguments in call of '%s'", call->name);
                return;
            }
            call->args[call->nargs++] = parse_expr(ps);
            if (ps->failed || !is_op(ps, ","))
                break;
            next(ps);
        }
    }
    expect(ps, ")");
}

static GenExpr *parse_primary(Parser *ps)
{
    if (ps->failed)
        return new_expr(ps, GEN_E_NUM);
    if (ps->tok.kind == T_NUM) {
        GenExpr *e = new_expr(ps, GEN_E_NUM);
        e->value = ps->tok.value;
        next(ps);
        return e;
    }
    if (is_op(ps, "(")) {
        next(ps);
        GenExpr *e = parse_expr(ps);
        expect(ps, ")");
        return e;
    }
    if (is_ident(ps, "helper")) {
        GenExpr *e = new_expr(ps, GEN_E_HELPER);
        next(ps);
        if (ps->tok.kind != T_IDENT) {
            parse_fail(ps, "expected a helper name after 'helper', found %s", tok_desc(ps));
            return e;
        }
        e->name = take_ident(ps);
        parse_args(ps, e);
        return e;
    }
    if (ps->tok.kind == T_IDENT) {
        GenLoc loc = here(ps);
        char *name = take_ident(ps);
        GenExpr *e;
        if (is_op(ps, "(")) {
            e = new_expr(ps, GEN_E_CALL);
            e->name = name;
            parse_args(ps, e);
        } else {
            e = new_expr(ps, GEN_E_NAME);
            e->name = name;
        }
        e->loc = loc;
        return e;
    }
    parse_fail(ps, "expected an expression, found %s", tok_desc(ps));
    return new_expr(ps, GEN_E_NUM);
}

static GenExpr *parse_postfix(Parser *ps)
{
    GenExpr *e = parse_primary(ps);
    while (!ps->failed && is_op(ps, "[")) {
        GenExpr *s = new_expr(ps, GEN_E_SLICE);
        next(ps);
        s->args[0] = e;
        s->args[1] = parse_expr(ps);
        if (is_op(ps, ":")) {
            next(ps);
            s->args[2] = parse_expr(ps);
        }
        s->nargs = 3;
        expect(ps, "]");
        e = s;
    }
    return e;
}

static GenExpr *parse_unary(Parser *ps)
{
    if (is_op(ps, "~") || is_op(ps, "-") || is_op(ps, "!")) {
        GenExpr *e = new_expr(ps, GEN_E_UNARY);
        e->op = gen_strdup(ps->tok.text);
        next(ps);
        e->args[0] = parse_unary(ps);
        e->nargs = 1;
        return e;
    }
    return parse_postfix(ps);
}

/* Binary precedence levels, loosest first. */
static const char *const levels[][9] = {
    { "||" },
    { "&&" },
    { "|" },
    { "^" },
    { "&" },
    { "==", "!=" },
    { "<s", "<u", "<=s", "<=u", ">s", ">u", ">=s", ">=u" },
    { "@" },
    { "<<", ">>u", ">>s" },
    { "+", "-" },
    { "*", "/s", "/u", "%s", "%u" },
};
enum { NLEVELS = sizeof levels / sizeof levels[0] };

static const char *level_op(const Parser *ps, int level)
{
    if (ps->tok.kind != T_OP)
        return NULL;
    for (int i = 0; i < 9 && levels[level][i]; i++)
        if (strcmp(ps->tok.text, levels[level][i]) == 0)
            return levels[level][i];
    return NULL;
}

static GenExpr *parse_binary(Parser *ps, int level)
{
    if (level == NLEVELS)
        return parse_unary(ps);
    GenExpr *lhs = parse_binary(ps, level + 1);
    const char *op;
    while (!ps->failed && (op = level_op(ps, level)) != NULL) {
        GenExpr *e = new_expr(ps, GEN_E_BINARY);
        e->op = op;
        next(ps);
        e->args[0] = lhs;
        e->args[1] = parse_binary(ps, level + 1);
        e->nargs = 2;
        lhs = e;
    }
    return lhs;
}

static GenExpr *parse_expr(Parser *ps)
{
    GenExpr *c = parse_binary(ps, 0);
    if (ps->failed || !is_op(ps, "?"))
        return c;
    GenExpr *e = new_expr(ps, GEN_E_TERNARY);
    next(ps);
    e->args[0] = c;
    e->args[1] = parse_expr(ps);
    expect(ps, ":");
    e->args[2] = parse_expr(ps);
    e->nargs = 3;
    e->op = "?:";
    return e;
}

static GenStmt *parse_stmt(Parser *ps);

static GenStmt *new_stmt(const Parser *ps, GenStmtKind kind)
{
    GenStmt *s = gen_alloc(sizeof *s);
    s->kind = kind;
    s->loc = here(ps);
    return s;
}

static GenStmt *parse_stmt_list(Parser *ps, bool braced)
{
    GenStmt *head = NULL, **tail = &head;
    while (!ps->failed) {
        if (braced && is_op(ps, "}"))
            break;
        if (ps->tok.kind == T_EOF) {
            if (braced)
                parse_fail(ps, "expected '}' before %s", tok_desc(ps));
            break;
        }
        GenStmt *s = parse_stmt(ps);
        *tail = s;
        tail = &s->next;
    }
    return head;
}

/* "bits<W>": the width text up to the matching '>' is kept for the checker. */
static const char *parse_width_text(Parser *ps)
{
    const char *start = ps->p;
    if (!is_op(ps, "<")) {
        parse_fail(ps, "expected '<' after 'bits', found %s", tok_desc(ps));
        return NULL;
    }
    const char *end = strchr(start, '>');
    if (!end) {
        parse_fail(ps, "expected '>' to close 'bits<'%s", "");
        return NULL;
    }
    char *text = gen_alloc((size_t)(end - start) + 1);
    memcpy(text, start, (size_t)(end - start));
    for (const char *q = start; q < end; q++)
        if (*q == '\n')
            ps->line++;
    ps->p = end + 1;
    next(ps);
    return text;
}

static GenStmt *parse_stmt(Parser *ps)
{
    if (is_op(ps, "{")) {
        GenStmt *s = new_stmt(ps, GEN_S_BLOCK);
        next(ps);
        s->body = parse_stmt_list(ps, true);
        expect(ps, "}");
        return s;
    }
    if (is_ident(ps, "if")) {
        GenStmt *s = new_stmt(ps, GEN_S_IF);
        next(ps);
        expect(ps, "(");
        s->cond = parse_expr(ps);
        expect(ps, ")");
        s->then_s = parse_stmt(ps);
        if (!ps->failed && is_ident(ps, "else")) {
            next(ps);
            s->else_s = parse_stmt(ps);
        }
        return s;
    }
    GenStmt *s = new_stmt(ps, GEN_S_ASSIGN);
    if (is_ident(ps, "bits")) {
        next(ps);
        s->decl_width_text = parse_width_text(ps);
        if (ps->tok.kind != T_IDENT) {
            parse_fail(ps, "expected a name after the declared width, found %s", tok_desc(ps));
            return s;
        }
    }
    GenExpr *lhs = parse_expr(ps);
    if (ps->failed)
        return s;
    if (is_op(ps, "=")) {
        next(ps);
        s->lhs = lhs;
        s->rhs = parse_expr(ps);
    } else if (!s->decl_width_text && (lhs->kind == GEN_E_CALL || lhs->kind == GEN_E_HELPER)) {
        s->kind = GEN_S_CALL;
        s->call = lhs;
    } else {
        parse_fail(ps, "expected '=' or ';' after an expression, found %s", tok_desc(ps));
        return s;
    }
    expect(ps, ";");
    return s;
}

static void parser_init(Parser *ps, const char *text, GenLoc loc)
{
    memset(ps, 0, sizeof *ps);
    ps->p = text;
    ps->loc = loc;
    ps->line = loc.line;
    next(ps);
}

GenStmt *gen_parse_body(const char *text, GenLoc loc)
{
    Parser ps;
    parser_init(&ps, text, loc);
    GenStmt *body = parse_stmt_list(&ps, false);
    return ps.failed ? NULL : body;
}

GenExpr *gen_parse_expr(const char *text, GenLoc loc)
{
    Parser ps;
    parser_init(&ps, text, loc);
    GenExpr *e = parse_expr(&ps);
    if (!ps.failed && ps.tok.kind != T_EOF)
        parse_fail(&ps, "unexpected %s after the expression", tok_desc(&ps));
    return ps.failed ? NULL : e;
}
