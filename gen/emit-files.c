/*
** emit-files.c — the generated header (opcode enum with each instruction's meaning,
** helper prototypes, defs), the interpreter handlers, the instruction table and the
** disassembler. Each instruction's code cites its spec file:line.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "../interp/interp.h"   /* INTERP_INSN_* flag values only */

static char *op_name(const GenInsn *in)
{
    char *s = gen_strfmt("OP_%s", in->name);
    for (char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_')
            *c = '_';
    return s;
}

/* ---- superinstructions' forwarding variants ----
   When a pair's second reads the x register that its first writes, the threaded
   interpreter runs a variant of the pair's handler that hands the second the value the
   first computed instead of reloading it from cpu->x: one store-to-load round trip fewer
   on the guest's dependency chain (bytecode's dispatch is three such pairs in a row).
   interp/exec.c takes the variant for a pair whose decoded slots match. */

static bool expr_reads_x_slot(const GenInsn *in, const GenExpr *e, int slot)
{
    if (!e)
        return false;
    if (e->kind == GEN_E_REGFILE && gen_emit_fwd_slot(&(GenEmitCtx){ .insn = (GenInsn *)in }, e, slot + 1))
        return true;
    for (int a = 0; a < e->nargs; a++)
        if (expr_reads_x_slot(in, e->args[a], slot))
            return true;
    return false;
}

static bool writes_x(const GenStmt *s)
{
    return s->kind == GEN_S_ASSIGN && s->lhs->kind == GEN_E_REGFILE && s->lhs->state->zero_reg;
}

static int count_x_writes(const GenStmt *s)
{
    int n = 0;
    for (; s; s = s->next)
        n += writes_x(s) + (s->kind == GEN_S_IF ? count_x_writes(s->then_s) + count_x_writes(s->else_s) : 0) +
             (s->kind == GEN_S_BLOCK ? count_x_writes(s->body) : 0);
    return n;
}

/* The byte slot through which `in` writes x, if it writes one x register, always (a
   statement of the body's own list), through a field the decoder points at the sink
   for x0 (so the slot never names a register that reads as zero); else -1. */
static int fwd_write_slot(const GenInsn *in)
{
    if (count_x_writes(in->body) != 1)
        return -1;
    for (const GenStmt *s = in->body; s; s = s->next)
        if (writes_x(s)) {
            const GenExpr *i = s->lhs->args[0];
            if (i->kind != GEN_E_NAME || i->name_kind != GEN_N_FIELD || in->field_use[i->ref] != GEN_USE_XWRITE ||
                in->slots[i->ref].kind != GEN_SLOT_BYTE)
                return -1;
            return in->slots[i->ref].index;
        }
    return -1;   /* the write is nested in an if or a block: not always made */
}

/* Whether some read of x through `slot` follows a write of x in `s` (then the read
   must see that write, not the pair's first's value). */
static bool read_after_write(const GenInsn *in, const GenStmt *s, int slot, bool *written)
{
    for (; s; s = s->next) {
        bool reads = expr_reads_x_slot(in, s->rhs, slot) || expr_reads_x_slot(in, s->cond, slot) ||
                     expr_reads_x_slot(in, s->call, slot) ||
                     (s->lhs && s->lhs->kind == GEN_E_REGFILE && expr_reads_x_slot(in, s->lhs->args[0], slot));
        if (reads && *written)
            return true;
        if (s->kind == GEN_S_IF) {
            bool w_then = *written, w_else = *written;
            if (read_after_write(in, s->then_s, slot, &w_then) || read_after_write(in, s->else_s, slot, &w_else))
                return true;
            *written = w_then || w_else;
        } else if (s->kind == GEN_S_BLOCK && read_after_write(in, s->body, slot, written)) {
            return true;
        }
        if (writes_x(s))
            *written = true;
    }
    return false;
}

/* The pair's variants: the first's write slot in *k, the second's read slots in js[]. */
static int fwd_variants(const GenSuperinsn *su, int *k, int js[GEN_MAX_FMT_FIELDS])
{
    const GenInsn *a = su->first, *b = su->second;
    *k = fwd_write_slot(a);
    if (*k < 0 || !b->format)
        return 0;
    int n = 0;
    for (int f = 0; f < b->format->nfields; f++) {
        if (!(b->field_use[f] & GEN_USE_XREAD) || b->slots[f].kind != GEN_SLOT_BYTE)
            continue;
        int j = b->slots[f].index;
        bool seen = false, written = false;
        for (int m = 0; m < n; m++)
            seen |= js[m] == j;
        if (!seen && !read_after_write(b, b->body, j, &written))
            js[n++] = j;
    }
    return n;
}

static void comment_line(FILE *out, const GenInsn *in)
{
    const GenInsn *ex = in->base ? in->base : in;
    if (in->base)
        fprintf(out, "expands to %s: ", in->expands_text);
    if (ex->sem_text)
        gen_emit_body_oneline(out, ex->sem_text);
}

void gen_emit_header(GenSpec *spec, FILE *out, const char *prefix)
{
    (void)prefix;
    fprintf(out, "enum {\n");
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *in = spec->insns[i];
        fprintf(out, "    %s, /* ", op_name(in));
        comment_line(out, in);
        fprintf(out, " */\n");
    }
    fprintf(out, "    OP_COUNT\n};\n\n");
    fprintf(out, "#define GEN_XLEN %d\n\n", spec->xlen);

    fprintf(out, "/* Handlers, one per instruction with a body (expansions run their base's). */\n");
    fprintf(out, "#define GEN_HANDLER_LIST(X) \\\n");
    for (int i = 0; i < spec->ninsns; i++)
        if (spec->insns[i]->body)
            fprintf(out, "    X(%s) \\\n", op_name(spec->insns[i]));
    fprintf(out, "\n\n/* Superinstructions (first, second), each run by one handler of the threaded\n"
                 "   interpreter when the two follow each other in a block. */\n");
    fprintf(out, "#define GEN_SUPERINSN_LIST(X) \\\n");
    for (int i = 0; i < spec->nsuperinsns; i++)
        fprintf(out, "    X(%s, %s) \\\n", op_name(spec->superinsns[i]->first), op_name(spec->superinsns[i]->second));
    fprintf(out, "\n\n/* Their forwarding variants (first, second, k, j): for a pair whose first writes x\n"
                 "   through byte slot k and whose second reads x through byte slot j, the same\n"
                 "   register when the two slots hold the same number. */\n");
    fprintf(out, "#define GEN_SUPERINSN_FWD_LIST(X) \\\n");
    for (int i = 0; i < spec->nsuperinsns; i++) {
        int k, js[GEN_MAX_FMT_FIELDS], n = fwd_variants(spec->superinsns[i], &k, js);
        for (int v = 0; v < n; v++)
            fprintf(out, "    X(%s, %s, %d, %d) \\\n", op_name(spec->superinsns[i]->first),
                    op_name(spec->superinsns[i]->second), k, js[v]);
    }
    fprintf(out, "\n\n/* C helpers the spec calls (interp/helpers.c) */\n");
    for (int i = 0; i < spec->nhelpers; i++) {
        GenHelper *h = spec->helpers[i];
        fprintf(out, "%s helper_%s(struct InterpCpu *cpu", h->ret_width ? gen_ctype(h->ret_width) : "void", h->name);
        for (int a = 0; a < h->nargs; a++)
            fprintf(out, ", %s", gen_ctype(h->arg_width[a]));
        fprintf(out, ");   /* %s:%d */\n", h->loc.file, h->loc.line);
    }
    fprintf(out, "\n/* defs: pure functions written in the spec */\n");
    for (int i = 0; i < spec->ndefs; i++) {
        GenDef *d = spec->defs[i];
        if (d->impure) {   /* reads state or traps: a macro, expanded in the consumer's context */
            fprintf(out, "/* %s:%d */\n#define def_%s(", d->loc.file, d->loc.line, d->name);
            for (int a = 0; a < d->nargs; a++)
                fprintf(out, "%sarg%d_", a ? ", " : "", a);
            fprintf(out, ") ({ ");
            for (int a = 0; a < d->nargs; a++)
                fprintf(out, "%s a_%s_%s = (arg%d_); ", gen_ctype(d->arg_width[a]), d->name, d->arg_name[a], a);
            GenEmitCtx cx = { .spec = spec, .def = d, .out = out };
            fprintf(out, "(%s)(", gen_ctype(d->ret_width));
            gen_emit_expr(&cx, d->body);
            fprintf(out, "); })\n\n");
            continue;
        }
        fprintf(out, "static inline %s def_%s(", gen_ctype(d->ret_width), d->name);
        for (int a = 0; a < d->nargs; a++)
            fprintf(out, "%s%s a_%s", a ? ", " : "", gen_ctype(d->arg_width[a]), d->arg_name[a]);
        if (d->nargs == 0)
            fprintf(out, "void");
        fprintf(out, ")\n{\n    /* %s:%d */\n    return ", d->loc.file, d->loc.line);
        GenEmitCtx cx = { .spec = spec, .def = d, .out = out };
        gen_emit_expr(&cx, d->body);
        fprintf(out, ";\n}\n\n");
    }
}

/* An instruction's handler body: its locals, then its statements, at `indent` levels.
   fwd_write and fwd_read: see GenEmitCtx. */
static void emit_handler_body(GenSpec *spec, GenInsn *in, FILE *out, int indent, int fwd_write, int fwd_read)
{
    int pad = indent * 4;
    for (int l = 0; l < in->nlocals; l++)   /* (void): a local may be set only for its effect */
        fprintf(out, "%*s%s l_%s = 0; (void)l_%s;\n", pad, "", gen_ctype(in->locals[l].width), in->locals[l].name,
                in->locals[l].name);
    if (in->flags & INTERP_INSN_ENDS_BLOCK) {
        fprintf(out, "%*s%s next_pc = (%s)INSN_NPC;\n", pad, "", gen_ctype(spec->xlen), gen_ctype(spec->xlen));
        fprintf(out, "%*sunsigned jumped = 0; (void)jumped;   /* JUMP_REL sets 1, JUMP 2 */\n", pad, "");
    }
    if (in->flags & (INTERP_INSN_LOAD | INTERP_INSN_STORE | INTERP_INSN_CSR))
        fprintf(out, "%*sSYNC_PC();\n", pad, "");
    GenEmitCtx cx = { .spec = spec, .insn = in, .out = out, .indent = indent, .fwd_write = fwd_write,
                      .fwd_read = fwd_read };
    gen_emit_stmts(&cx, in->body);
}

static const char *handler_end(const GenInsn *in)
{
    return in->flags & INTERP_INSN_ENDS_BLOCK ? "    vmend(next_pc);\n}\n\n" : "    vmnext;\n}\n\n";
}

void gen_emit_interp(GenSpec *spec, FILE *out)
{
    fprintf(out, "/* Interpreter handlers: vmcase/vmnext/vmend and the effect macros come from\n"
                 "   interp/ (switch and threaded builds share these bodies). */\n\n");
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *in = spec->insns[i];
        if (!in->body)
            continue;
        fprintf(out, "/* %s:%d: %s  ", in->loc.file, in->loc.line, in->name);
        comment_line(out, in);
        fprintf(out, " */\n");
        fprintf(out, "vmcase(%s) {\n", op_name(in));
        emit_handler_body(spec, in, out, 1, 0, 0);
        fputs(handler_end(in), out);
    }

    /* Superinstructions: the first body, then ip moves on (a fault in the second names
       the second), then the second body and its dispatch. Only a consumer that defines
       vmfused (the threaded interpreter) has them; GEN_SUPERINSN_LIST in the header. */
    fprintf(out, "#ifdef vmfused\n");
    for (int i = 0; i < spec->nsuperinsns; i++) {
        const GenSuperinsn *su = spec->superinsns[i];
        fprintf(out, "/* %s:%d: %s, then %s */\n", su->loc.file, su->loc.line, su->first->name, su->second->name);
        fprintf(out, "vmfused(%s, %s) {\n    {\n", op_name(su->first), op_name(su->second));
        emit_handler_body(spec, su->first, out, 2, 0, 0);
        fprintf(out, "    }\n    ip++;\n");
        emit_handler_body(spec, su->second, out, 1, 0, 0);
        fputs(handler_end(su->second), out);
        int k, js[GEN_MAX_FMT_FIELDS], n = fwd_variants(su, &k, js);
        for (int v = 0; v < n; v++) {
            fprintf(out, "/* %s, then %s reading through slot %d what the first wrote through slot %d */\n",
                    su->first->name, su->second->name, js[v], k);
            fprintf(out, "vmfused_fwd(%s, %s, %d) {\n    uint64_t fwd_;\n    {\n", op_name(su->first),
                    op_name(su->second), js[v]);
            emit_handler_body(spec, su->first, out, 2, k + 1, 0);
            fprintf(out, "    }\n    ip++;\n");
            emit_handler_body(spec, su->second, out, 1, 0, js[v] + 1);
            fputs(handler_end(su->second), out);
        }
    }
    fprintf(out, "#endif\n");
}

static const char *kind_name(GenFieldKind k)
{
    static const char *const names[] = { "INTERP_FIELD_XREG", "INTERP_FIELD_FREG", "INTERP_FIELD_IMM",
                                         "INTERP_FIELD_UIMM", "INTERP_FIELD_CSR", "INTERP_FIELD_RM",
                                         "INTERP_FIELD_FENCE", "INTERP_FIELD_HEX" };
    return names[k];
}

void gen_emit_tables(GenSpec *spec, FILE *out)
{
    for (int f = 0; f < spec->nformats; f++) {
        GenFormat *fm = spec->formats[f];
        fprintf(out, "static const InterpFieldInfo fields_%d[] = {   /* format %s */\n", f, fm->name);
        for (int i = 0; i < fm->nfields; i++) {
            const GenField *fd = fm->fields[i].field;
            fprintf(out, "    { .name = \"%s\", .kind = %s, .is_signed = %d, .bits_mask = 0x%08xu,\n"
                         "      .shift = %d, .add = %d, .width = %d, .nranges = %d, .ranges = {",
                    fm->fields[i].local, kind_name(fd->kind), fd->is_signed, fd->bits_mask, fd->shift, fd->add,
                    fd->width, fd->nranges);
            for (int r = 0; r < fd->nranges; r++)
                fprintf(out, "%s{ %d, %d }", r ? ", " : " ", fd->ranges[r].hi, fd->ranges[r].lo);
            fprintf(out, " } },\n");
        }
        if (fm->nfields == 0)
            fprintf(out, "    { .name = \"\" },\n");
        fprintf(out, "};\n");
    }
    fprintf(out, "\nconst InterpInsnInfo interp_insn_info[] = {\n");
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *in = spec->insns[i];
        int f = 0;
        while (spec->formats[f] != in->format)
            f++;
        fprintf(out, "    [%s] = { .name = \"%s\", .ext = \"%s\", .mask = 0x%08xu, .match = 0x%08xu,\n",
                op_name(in), in->name, in->ext, in->mask, in->match);
        bool commutes = in->flags & INTERP_INSN_COMMUTES;
        fprintf(out, "        .length = %d, .access_size = %d, .flags = 0x%x, .link_slot = %d,"
                     " .commute_slot = { %d, %d }, .nfields = %d, .fields = fields_%d,\n",
                in->length, in->access_size, in->flags, in->flags & INTERP_INSN_DIRECT ? in->link_slot : -1,
                commutes ? in->commute_slot[0] : -1, commutes ? in->commute_slot[1] : -1, in->format->nfields, f);
        fprintf(out, "        .meaning = \"");
        comment_line(out, in);
        fprintf(out, "\", .where = \"%s:%d\" },\n", in->loc.file, in->loc.line);
    }
    fprintf(out, "};\nconst unsigned interp_insn_count = %d;\n", spec->ninsns);
}

void gen_emit_disasm(GenSpec *spec, FILE *out)
{
    fprintf(out, "/* Disassembles instruction `index` (from gen_decode) into buf. */\n");
    fprintf(out, "static void gen_disasm(int index, uint64_t pc, uint32_t bits, DisasmBuf *b)\n{\n");
    fprintf(out, "    (void)pc;\n    switch (index) {\n");
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *in = spec->insns[i];
        fprintf(out, "    case %s: {   /* %s:%d */\n", op_name(in), in->loc.file, in->loc.line);
        const char *bits = in->length == 2 ? "(bits & 0xffffu)" : "bits";
        const char *p = in->asm_text ? in->asm_text : in->name;
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        while (*p) {
            const char *open = strchr(p, '{');
            size_t lit = open ? (size_t)(open - p) : strlen(p);
            if (lit) {
                fprintf(out, "        disasm_puts(b, \"");
                for (size_t k = 0; k < lit; k++) {
                    if (p[k] == '"' || p[k] == '\\')
                        fputc('\\', out);
                    if (p[k] != '\n')
                        fputc(p[k], out);
                }
                fprintf(out, "\");\n");
            }
            if (!open)
                break;
            const char *close = strchr(open, '}');
            if (!close) {
                gen_error(in->loc, "asm of '%s': '{' without '}'", in->name);
                break;
            }
            int fi = -1;
            for (int k = 0; k < in->format->nfields; k++)
                if (strlen(in->format->fields[k].local) == (size_t)(close - open - 1) &&
                    !strncmp(in->format->fields[k].local, open + 1, (size_t)(close - open - 1)))
                    fi = k;
            if (fi < 0) {
                gen_error(in->loc, "asm of '%s' names '%.*s', which is not a field of format '%s'", in->name,
                          (int)(close - open - 1), open + 1, in->format->name);
                break;
            }
            GenField *f = in->format->fields[fi].field;
            fprintf(out, "        disasm_field(b, %s, %s);\n", kind_name(f->kind), gen_field_extract_c(f, bits));
            p = close + 1;
        }
        fprintf(out, "        break;\n    }\n");
    }
    fprintf(out, "    default:\n        disasm_puts(b, \"(illegal)\");\n    }\n}\n");
}
