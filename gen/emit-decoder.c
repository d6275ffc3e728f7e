/*
** emit-decoder.c — the decoder: a decision tree of switches on the bits that every
** candidate fixes (decodetree's approach), with each case citing spec file:line and
** its bit pattern. Leaves extract fields into the decoded instruction's slots.
*/
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void indent(FILE *out, int n) { fprintf(out, "%*s", n * 4, ""); }

static void pattern(FILE *out, const GenInsn *in)
{
    int nbits = in->length * 8;
    for (int b = nbits - 1; b >= 0; b--) {
        fputc(!(in->mask >> b & 1) ? '.' : (in->match >> b & 1) ? '1' : '0', out);
        if (nbits == 32 && (b == 25 || b == 20 || b == 15 || b == 12 || b == 7))
            fputc(' ', out);
        if (nbits == 16 && (b == 13 || b == 12 || b == 7 || b == 2))
            fputc(' ', out);
    }
}

static void store_slot(FILE *out, int ind, GenSlot s, const char *value)
{
    indent(out, ind);
    if (s.kind == GEN_SLOT_BYTE)
        fprintf(out, "d->b[%d] = (uint8_t)(%s);\n", s.index, value);
    else if (s.kind == GEN_SLOT_IMM)
        fprintf(out, "d->imm = (int64_t)(%s);\n", value);
    else
        fprintf(out, "d->imm2 = (int32_t)(%s);\n", value);
}

static void leaf(GenSpec *spec, FILE *out, int ind, const GenInsn *in, uint32_t tested)
{
    indent(out, ind);
    fprintf(out, "/* %s:%d: %s  ", in->loc.file, in->loc.line, in->name);
    pattern(out, in);
    fprintf(out, " */\n");
    uint32_t rest = in->mask & ~tested;
    if (rest) {
        indent(out, ind);
        fprintf(out, "if ((bits & 0x%08xu) == 0x%08xu) {\n", rest, in->match & rest);
    } else {
        indent(out, ind);
        fprintf(out, "{\n");
    }
    ind++;
    const char *bits = in->length == 2 ? "(bits & 0xffffu)" : "bits";
    for (int i = 0; i < in->format->nfields; i++) {
        indent(out, ind);
        fprintf(out, "int64_t f_%s = %s;\n", in->format->fields[i].local,
                gen_field_extract_c(in->format->fields[i].field, bits));
    }
    GenEmitCtx cx = { .spec = spec, .insn = (GenInsn *)in, .out = out, .decode_fields = true };
    if (in->illegal_if) {
        indent(out, ind);
        fprintf(out, "if (%s)\n", gen_expr_c(&cx, in->illegal_if));
        indent(out, ind + 1);
        fprintf(out, "return -1;   /* reserved: %s */\n", in->illegal_text);
    }
    const GenInsn *ex = in->base ? in->base : in;
    indent(out, ind);
    fprintf(out, "d->op = %d;   /* %s */\n", ex->index, ex->name);
    indent(out, ind);
    fprintf(out, "d->info = %d;\n", in->index);
    indent(out, ind);
    fprintf(out, "d->len = %d;\n", in->length);
    for (int i = 0; i < ex->format->nfields; i++) {
        if (!in->base) {
            store_slot(out, ind, in->slots[i], gen_strfmt("f_%s", in->format->fields[i].local));
            continue;
        }
        const GenExpr *arg = in->expand_args[i];
        const GenField *bf = ex->format->fields[i].field;
        if (!arg)
            continue;
        char *v;
        if (arg->kind == GEN_E_NAME && arg->name_kind == GEN_N_FIELD)
            v = gen_strfmt("f_%s", in->format->fields[arg->ref].local);   /* already extended */
        else if (bf->is_signed)
            v = gen_strfmt("((int64_t)((uint64_t)(%s) << %d) >> %d)", gen_expr_c(&cx, arg), 64 - bf->width, 64 - bf->width);
        else
            v = gen_expr_c(&cx, arg);
        store_slot(out, ind, ex->slots[i], v);
    }
    /* destination registers used for nothing else: x0 becomes the sink x32 */
    for (int i = 0; i < ex->format->nfields; i++)
        if (ex->field_use[i] == GEN_USE_XWRITE && ex->slots[i].kind == GEN_SLOT_BYTE) {
            indent(out, ind);
            fprintf(out, "if (d->b[%d] == 0) d->b[%d] = 32;\n", ex->slots[i].index, ex->slots[i].index);
        }
    indent(out, ind);
    fprintf(out, "return %d;\n", in->index);
    ind--;
    indent(out, ind);
    fprintf(out, "}\n");
}

static void tree(GenSpec *spec, FILE *out, int ind, GenInsn **set, int n, uint32_t tested)
{
    uint32_t common = ~0u;
    for (int i = 0; i < n; i++)
        common &= set[i]->mask;
    common &= ~tested;
    if (n <= 1 || common == 0) {
        for (int i = 0; i < n; i++)
            leaf(spec, out, ind, set[i], tested);
        indent(out, ind);
        fprintf(out, "return -1;\n");
        return;
    }
    indent(out, ind);
    fprintf(out, "switch (bits & 0x%08xu) {\n", common);
    bool *done = calloc((size_t)n, sizeof *done);   /* (scratch: not gen's arena) */
    GenInsn **sub = calloc((size_t)n, sizeof *sub);
    if (!done || !sub) {
        fprintf(stderr, "tiercel-gen: out of memory\n");
        exit(2);
    }
    for (int i = 0; i < n; i++) {
        if (done[i])
            continue;
        uint32_t key = set[i]->match & common;
        int m = 0;
        for (int j = i; j < n; j++)
            if (!done[j] && (set[j]->match & common) == key) {
                sub[m++] = set[j];
                done[j] = true;
            }
        indent(out, ind);
        fprintf(out, "case 0x%08xu:\n", key);
        tree(spec, out, ind + 1, sub, m, tested | common);
    }
    indent(out, ind);
    fprintf(out, "default:\n");
    indent(out, ind + 1);
    fprintf(out, "return -1;\n");
    indent(out, ind);
    fprintf(out, "}\n");
    free(done);
    free(sub);
}

void gen_emit_decoder(GenSpec *spec, FILE *out)
{
    fprintf(out, "/* Decodes one instruction word: fills *d and returns its index in the\n"
                 "   instruction table, or -1 if it is illegal. Upper bits of a 16-bit\n"
                 "   instruction's word are ignored. */\n");
    fprintf(out, "static int gen_decode(uint32_t bits, InterpInsn *d)\n{\n");
    GenInsn **all = gen_alloc((size_t)spec->ninsns * sizeof *all);
    for (int i = 0; i < spec->ninsns; i++)
        all[i] = spec->insns[i];
    tree(spec, out, 1, all, spec->ninsns, 0);
    fprintf(out, "}\n");
}
