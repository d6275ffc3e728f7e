/*
** main.c — tiercel-gen's command line: loads and checks a spec, then writes every
** generated file, or none: outputs go to temporaries renamed only when all succeeded.
**
**   tiercel-gen --schema spec/schema.rng --xlen 64 --out-dir DIR --prefix riscv64 ROOT.xml
**   tiercel-gen --schema spec/schema.rng --test-for-error BAD.xml
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"
#include "../interp/interp.h"

typedef struct Output {
    const char *suffix;
    void (*emit)(GenSpec *, FILE *, const char *prefix);
    char *path, *tmp;
} Output;

static void emit_header(GenSpec *s, FILE *f, const char *p) { gen_emit_header(s, f, p); }
static void emit_decoder(GenSpec *s, FILE *f, const char *p) { (void)p; gen_emit_decoder(s, f); }
static void emit_interp(GenSpec *s, FILE *f, const char *p) { (void)p; gen_emit_interp(s, f); }
static void emit_tables(GenSpec *s, FILE *f, const char *p) { (void)p; gen_emit_tables(s, f); }
static void emit_disasm(GenSpec *s, FILE *f, const char *p) { (void)p; gen_emit_disasm(s, f); }

static Output outputs[] = {
    { .suffix = "-insn.h", .emit = emit_header },
    { .suffix = "-decode.c.inc", .emit = emit_decoder },
    { .suffix = "-interp.c.inc", .emit = emit_interp },
    { .suffix = "-tables.c.inc", .emit = emit_tables },
    { .suffix = "-disasm.c.inc", .emit = emit_disasm },
};
enum { NOUTPUTS = sizeof outputs / sizeof outputs[0] };

static void remove_temporaries(void)
{
    for (int i = 0; i < NOUTPUTS; i++)
        if (outputs[i].tmp)
            unlink(outputs[i].tmp);
}

static int usage(void)
{
    fprintf(stderr, "usage: tiercel-gen --schema FILE [--xlen 32|64] --out-dir DIR --prefix NAME SPEC.xml\n"
                    "       tiercel-gen --schema FILE [--xlen 32|64] --test-for-error SPEC.xml\n");
    return 2;
}

/* The expected error of a bad spec is in a comment: <!-- expect: LINE: error: MESSAGE --> */
static int test_for_error(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "tiercel-gen: cannot open %s\n", file);
        return 2;
    }
    char line[1024], expected[1024] = "";
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "expect: ");
        if (p) {
            snprintf(expected, sizeof expected, "%s", p + 8);
            char *end = strstr(expected, " -->");
            if (end)
                *end = 0;
            break;
        }
    }
    fclose(f);
    if (gen_error_count() == 0) {
        fprintf(stderr, "%s: FAIL: no error reported; expected '%s'\n", file, expected);
        return 1;
    }
    if (expected[0] && strcmp(expected, gen_first_error()) != 0) {
        fprintf(stderr, "%s: FAIL: first error is\n  '%s'\nexpected\n  '%s'\n", file, gen_first_error(), expected);
        return 1;
    }
    if (!expected[0]) {
        fprintf(stderr, "%s: FAIL: no 'expect:' comment in the file\n", file);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *schema = NULL, *out_dir = NULL, *prefix = NULL, *root = NULL;
    int xlen = 64;
    bool error_test = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--schema") && i + 1 < argc) schema = argv[++i];
        else if (!strcmp(a, "--out-dir") && i + 1 < argc) out_dir = argv[++i];
        else if (!strcmp(a, "--prefix") && i + 1 < argc) prefix = argv[++i];
        else if (!strcmp(a, "--xlen") && i + 1 < argc) xlen = atoi(argv[++i]);
        else if (!strcmp(a, "--test-for-error")) error_test = true;
        else if (a[0] == '-') return usage();
        else if (!root) root = a;
        else return usage();
    }
    if (!schema || !root || (xlen != 32 && xlen != 64) || (!error_test && (!out_dir || !prefix)))
        return usage();

    GenSpec *spec = gen_load_spec(root, schema, xlen);
    if (error_test)
        return test_for_error(root);
    if (!spec || gen_error_count())
        return 1;
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *in = spec->insns[i];
        in->index = i;
        if (in->length == 2)
            in->flags |= INTERP_INSN_COMPRESSED;
    }
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *in = spec->insns[i];
        if (in->base) {
            in->flags |= in->base->flags;
            in->access_size = in->base->access_size;
            in->link_slot = in->base->link_slot;
            /* (slots are the base's: an expansion decodes into its base's layout) */
            in->commute_slot[0] = in->base->commute_slot[0];
            in->commute_slot[1] = in->base->commute_slot[1];
        }
    }
    for (int i = 0; i < NOUTPUTS; i++) {
        Output *o = &outputs[i];
        o->path = gen_strfmt("%s/%s%s", out_dir, prefix, o->suffix);
        o->tmp = gen_strfmt("%s.tmp", o->path);
        FILE *f = fopen(o->tmp, "w");
        if (!f) {
            fprintf(stderr, "tiercel-gen: cannot write %s\n", o->tmp);
            remove_temporaries();
            return 1;
        }
        fprintf(f, "/* This file is generated by tiercel-gen from %s (XLEN=%d); do not edit. */\n\n", root, xlen);
        o->emit(spec, f, prefix);
        if (fclose(f) != 0)
            gen_error((GenLoc){ o->tmp, 0 }, "cannot write");
        if (gen_error_count())
            break;
    }
    if (gen_error_count()) {
        remove_temporaries();
        return 1;
    }
    for (int i = 0; i < NOUTPUTS; i++)
        if (rename(outputs[i].tmp, outputs[i].path) != 0) {
            perror("tiercel-gen: rename");
            remove_temporaries();
            return 1;
        }
    return 0;
}
