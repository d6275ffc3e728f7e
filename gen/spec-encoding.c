/*
** spec-encoding.c — encoding checks: no two instructions outside a group may match
** the same word (Spike's check: a.mask & b.mask & (a.match ^ b.match) == 0 means
** overlap), and field extraction as C.
*/
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static bool overlap(const GenInsn *a, const GenInsn *b)
{
    if (a->length != b->length)
        return false;
    return (a->mask & b->mask & (a->match ^ b->match)) == 0;
}

void gen_check_encodings(GenSpec *spec)
{
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *b = spec->insns[i];
        for (int j = 0; j < i; j++) {
            GenInsn *a = spec->insns[j];
            if (a->group >= 0 && a->group == b->group)
                continue;
            if (overlap(a, b))
                gen_error(b->loc, "encoding of '%s' overlaps '%s' (%s:%d); put both in a <group> if that is meant",
                          b->name, a->name, gen_basename(a->loc.file), a->loc.line);
        }
    }
    /* inside a group, a later member that can never match is a mistake too */
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *b = spec->insns[i];
        if (b->group < 0)
            continue;
        for (int j = 0; j < i; j++) {
            GenInsn *a = spec->insns[j];
            if (a->group != b->group || a->illegal_if)
                continue;
            /* a covers b entirely when a fixes no bit b leaves free and they agree */
            if ((a->mask & ~b->mask) == 0 && ((a->match ^ b->match) & a->mask) == 0)
                gen_error(b->loc, "'%s' can never match: '%s' before it in the group matches all its words",
                          b->name, a->name);
        }
    }
}

char *gen_field_extract_c(const GenField *f, const char *bits)
{
    char *expr = gen_strdup("0");
    int pos = f->raw_bits;
    for (int i = 0; i < f->nranges; i++) {
        int w = f->ranges[i].hi - f->ranges[i].lo + 1;
        pos -= w;
        char *part = gen_strfmt("((((uint64_t)(%s) >> %d) & 0x%llxu) << %d)", bits, f->ranges[i].lo,
                                (unsigned long long)((1ull << w) - 1), pos);
        expr = i == 0 ? part : gen_strfmt("%s | %s", expr, part);
    }
    if (f->shift)
        expr = gen_strfmt("((%s) << %d)", expr, f->shift);
    if (f->is_signed)
        expr = gen_strfmt("((int64_t)((uint64_t)(%s) << %d) >> %d)", expr, 64 - f->width, 64 - f->width);
    else
        expr = gen_strfmt("(int64_t)(%s)", expr);
    if (f->add)
        expr = gen_strfmt("(%s + %d)", expr, f->add);
    return expr;
}
