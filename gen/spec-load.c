/*
** spec-load.c — reads the spec's XML files (libxml2), validates each against the
** RelaxNG schema, and builds the model: state, fields, formats, helpers, defs, insns.
*/
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "../interp/interp.h"   /* INTERP_INSN_* flag values only */

enum { MAX_INCLUDE_DEPTH = 8 };

typedef struct Pending {
    xmlNodePtr node;
    const char *file;
    int group;
} Pending;

typedef struct Loader {
    GenSpec *spec;
    xmlRelaxNGPtr schema;
    const char *current_file;      /* for libxml2's messages */
    Pending *nodes;
    int nnodes, cap;
    const char **files;
    int nfiles;
    xmlDocPtr *docs;               /* freed when the load ends (the model copies its strings) */
    int ndocs;
} Loader;

static Loader *active_loader;

/* libxml2 reports parse and validation problems here. */
static void on_xml_error(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    if (!err || err->level == XML_ERR_WARNING)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = 0;
    const char *file = err->file ? err->file : active_loader ? active_loader->current_file : "?";
    gen_error((GenLoc){ gen_strdup(file), err->line }, "%s", msg);
}

static char *attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = gen_strdup((const char *)v);
    xmlFree(v);
    return s;
}

static char *text_of(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *s = gen_strdup(v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

static GenLoc loc_of(const Pending *p) { return (GenLoc){ p->file, (int)xmlGetLineNo(p->node) }; }

static bool is_elem(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static void push(Loader *ld, xmlNodePtr n, const char *file, int group)
{
    if (ld->nnodes == ld->cap) {
        ld->cap = ld->cap ? ld->cap * 2 : 256;
        ld->nodes = realloc(ld->nodes, (size_t)ld->cap * sizeof *ld->nodes);
        if (!ld->nodes) { perror("gen"); exit(2); }
    }
    ld->nodes[ld->nnodes++] = (Pending){ n, file, group };
}

static void load_file(Loader *ld, const char *path, const char *as_written, GenLoc from, int depth);

static void collect(Loader *ld, xmlNodePtr root, const char *file, int depth)
{
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_elem(n, "include")) {
            char *href = attr(n, "href");
            char *dir_copy = gen_strdup(file);
            char *path = href[0] == '/' ? href : gen_strfmt("%s/%s", dirname(dir_copy), href);
            load_file(ld, path, href, (GenLoc){ file, (int)xmlGetLineNo(n) }, depth + 1);
        } else if (is_elem(n, "group")) {
            int g = ld->spec->ngroups++;
            for (xmlNodePtr m = n->children; m; m = m->next)
                if (m->type == XML_ELEMENT_NODE)
                    push(ld, m, file, g);
        } else {
            push(ld, n, file, -1);
        }
    }
}

static void load_file(Loader *ld, const char *path, const char *as_written, GenLoc from, int depth)
{
    if (depth > MAX_INCLUDE_DEPTH) {
        gen_error(from, "includes nest deeper than %d (a cycle?)", MAX_INCLUDE_DEPTH);
        return;
    }
    for (int i = 0; i < ld->nfiles; i++)
        if (!strcmp(ld->files[i], path)) {
            gen_error(from, "'%s' is included twice", path);
            return;
        }
    ld->files = realloc(ld->files, (size_t)(ld->nfiles + 1) * sizeof *ld->files);
    ld->files[ld->nfiles++] = path;

    ld->current_file = path;
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOENT);
    if (!doc) {
        if (gen_error_count() == 0)
            gen_error(from.file ? from : (GenLoc){ path, 0 }, "cannot read '%s'", as_written);
        return;
    }
    ld->docs = realloc(ld->docs, (size_t)(ld->ndocs + 1) * sizeof *ld->docs);
    if (!ld->docs) { perror("gen"); exit(2); }
    ld->docs[ld->ndocs++] = doc;
    xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(ld->schema);
    xmlRelaxNGSetValidStructuredErrors(vctx, on_xml_error, NULL);
    int before = gen_error_count();
    int rc = xmlRelaxNGValidateDoc(vctx, doc);
    xmlRelaxNGFreeValidCtxt(vctx);
    if (rc != 0) {
        if (gen_error_count() == before)
            gen_error((GenLoc){ path, 1 }, "does not match the schema");
        return;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (depth > 0 && !is_elem(root, "extension")) {
        gen_error((GenLoc){ path, (int)xmlGetLineNo(root) }, "an included file's root must be <extension>");
        return;
    }
    if (depth == 0 && !is_elem(root, "isa")) {
        gen_error((GenLoc){ path, (int)xmlGetLineNo(root) }, "the root file's root must be <isa>");
        return;
    }
    char *ext = attr(root, "name");
    (void)ext;
    collect(ld, root, path, depth);
    /* the document stays alive: its nodes are processed later */
}

/* ------------------------------------------------------------ elements */

/* A decimal number at s, 0..max (the schema admits any count of digits): its value, or
   -1. *end, if given, is where it stops; else the number must be all of s. */
static long parse_number(const char *s, long max, const char **end)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    char *stop;
    errno = 0;
    long v = strtol(s, &stop, 10);
    if (errno || v > max || (!end && *stop))
        return -1;
    if (end)
        *end = stop;
    return v;
}

static int parse_width(Loader *ld, const char *text, GenLoc loc)
{
    if (!text)
        return 0;
    if (!strcmp(text, "XLEN"))
        return ld->spec->xlen;
    long w = parse_number(text, GEN_MAX_WIDTH, NULL);
    if (w < 1) {
        gen_error(loc, "width %s is out of range 1..%d", text, GEN_MAX_WIDTH);
        return 1;
    }
    return (int)w;
}

static void *grow(void *array, int count, size_t elem)
{
    void *p = realloc(array, (size_t)(count + 1) * elem);
    if (!p) { perror("gen"); exit(2); }
    return p;
}

static void add_state(Loader *ld, const Pending *p, bool file)
{
    GenSpec *spec = ld->spec;
    GenState *st = gen_alloc(sizeof *st);
    st->loc = loc_of(p);
    st->name = attr(p->node, "name");
    st->width = parse_width(ld, attr(p->node, "width"), st->loc);
    char *cname = attr(p->node, "c-name");
    if (!cname) {
        cname = gen_strdup(st->name);
        for (char *c = cname; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    }
    st->c_name = cname;
    if (file) {
        const char *count = attr(p->node, "count");
        long n = parse_number(count, GEN_MAX_REGS, NULL);
        if (n < 1)
            gen_error(st->loc, "register file '%s': count %s is out of range 1..%d", st->name,
                      count ? count : "(none)", GEN_MAX_REGS);
        st->count = n < 1 ? 1 : (int)n;
        st->zero_reg = attr(p->node, "zero") != NULL;
    }
    for (int i = 0; i < spec->nstates; i++)
        if (!strcmp(spec->states[i]->name, st->name))
            gen_error(st->loc, "state '%s' is declared twice", st->name);
    spec->states = grow(spec->states, spec->nstates, sizeof *spec->states);
    spec->states[spec->nstates++] = st;
}

static GenField *find_field(GenSpec *spec, const char *name)
{
    for (int i = 0; i < spec->nfields; i++)
        if (!strcmp(spec->fields[i]->name, name))
            return spec->fields[i];
    return NULL;
}

static GenFormat *find_format(GenSpec *spec, const char *name)
{
    for (int i = 0; i < spec->nformats; i++)
        if (!strcmp(spec->formats[i]->name, name))
            return spec->formats[i];
    return NULL;
}

static void add_field(Loader *ld, const Pending *p)
{
    GenSpec *spec = ld->spec;
    GenField *f = gen_alloc(sizeof *f);
    f->loc = loc_of(p);
    f->name = attr(p->node, "name");
    if (find_field(spec, f->name)) {
        gen_error(f->loc, "field '%s' is declared twice", f->name);
        return;
    }
    char *bits = attr(p->node, "bits");
    for (char *tok = strtok(bits, " "); tok; tok = strtok(NULL, " ")) {
        const char *rest;
        long hi = parse_number(tok, 31, &rest), lo = hi;
        if (hi >= 0 && *rest == ':')
            lo = parse_number(rest + 1, 31, &rest);
        if (hi < 0 || lo < 0 || *rest || hi < lo) {
            gen_error(f->loc, "field '%s': bad bit range %s", f->name, tok);
            return;
        }
        if (f->nranges == GEN_MAX_RANGES) {
            gen_error(f->loc, "field '%s' has more than %d bit ranges", f->name, GEN_MAX_RANGES);
            return;
        }
        uint32_t m = (uint32_t)((((uint64_t)1 << (hi - lo + 1)) - 1) << lo);
        if (f->bits_mask & m) {
            gen_error(f->loc, "field '%s' uses bit %ld twice", f->name, lo);
            return;
        }
        f->bits_mask |= m;
        f->ranges[f->nranges].hi = (int)hi;
        f->ranges[f->nranges].lo = (int)lo;
        f->nranges++;
        f->raw_bits += (int)(hi - lo + 1);
    }
    char *s;
    long shift = (s = attr(p->node, "shift")) ? parse_number(s, 63, NULL) : 0;
    long add = (s = attr(p->node, "add")) ? parse_number(s, INT32_MAX, NULL) : 0;
    if (shift < 0 || add < 0) {
        gen_error(f->loc, "field '%s': %s %s is out of range 0..%d", f->name, shift < 0 ? "shift" : "add",
                  attr(p->node, shift < 0 ? "shift" : "add"), shift < 0 ? 63 : INT32_MAX);
        return;
    }
    f->shift = (int)shift;
    f->add = (int)add;
    f->is_signed = (s = attr(p->node, "signed")) && (!strcmp(s, "true") || !strcmp(s, "1"));
    if (f->is_signed && f->add)
        gen_error(f->loc, "field '%s': 'add' and 'signed' together are not supported", f->name);
    f->width = f->raw_bits + f->shift;
    if (f->width > 64) {
        gen_error(f->loc, "field '%s' is wider than 64 bits", f->name);
        return;
    }
    if (f->add) {
        uint64_t max = ((((uint64_t)1 << f->raw_bits) - 1) << f->shift) + (uint64_t)f->add;
        while (f->width < 63 && ((uint64_t)1 << f->width) <= max)
            f->width++;
    }
    static const char *const kinds[] = { "xreg", "freg", "imm", "uimm", "csr", "rm", "fence", "hex" };
    char *kind = attr(p->node, "kind");
    for (int i = 0; i < 8; i++)
        if (!strcmp(kind, kinds[i]))
            f->kind = (GenFieldKind)i;
    spec->fields = grow(spec->fields, spec->nfields, sizeof *spec->fields);
    spec->fields[spec->nfields++] = f;
}

static void add_format(Loader *ld, const Pending *p)
{
    GenSpec *spec = ld->spec;
    GenFormat *fm = gen_alloc(sizeof *fm);
    fm->loc = loc_of(p);
    fm->name = attr(p->node, "name");
    if (find_format(spec, fm->name)) {
        gen_error(fm->loc, "format '%s' is declared twice", fm->name);
        return;
    }
    char *list = attr(p->node, "fields");
    for (char *tok = strtok(list, " "); tok; tok = strtok(NULL, " ")) {
        char *eq = strchr(tok, '=');
        const char *local = tok, *fname = tok;
        if (eq) {
            *eq = 0;
            fname = eq + 1;
        }
        GenField *f = find_field(spec, fname);
        if (!f) {
            gen_error(fm->loc, "format '%s': unknown field '%s'", fm->name, fname);
            continue;
        }
        for (int i = 0; i < fm->nfields; i++)
            if (!strcmp(fm->fields[i].local, local))
                gen_error(fm->loc, "format '%s' names '%s' twice", fm->name, local);
        if (fm->nfields == GEN_MAX_FMT_FIELDS) {
            gen_error(fm->loc, "format '%s' has more than %d fields", fm->name, GEN_MAX_FMT_FIELDS);
            break;
        }
        fm->fields[fm->nfields].local = gen_strdup(local);
        fm->fields[fm->nfields].field = f;
        fm->nfields++;
    }
    spec->formats = grow(spec->formats, spec->nformats, sizeof *spec->formats);
    spec->formats[spec->nformats++] = fm;
}

static void add_helper(Loader *ld, const Pending *p)
{
    GenSpec *spec = ld->spec;
    GenHelper *h = gen_alloc(sizeof *h);
    h->loc = loc_of(p);
    h->name = attr(p->node, "name");
    for (int i = 0; i < spec->nhelpers; i++)
        if (!strcmp(spec->helpers[i]->name, h->name))
            gen_error(h->loc, "helper '%s' is declared twice", h->name);
    char *args = attr(p->node, "args");
    for (char *tok = strtok(args, " "); tok; tok = strtok(NULL, " ")) {
        if (h->nargs == GEN_MAX_ARGS) {
            gen_error(h->loc, "helper '%s' has more than %d arguments", h->name, GEN_MAX_ARGS);
            break;
        }
        h->arg_width[h->nargs++] = parse_width(ld, tok, h->loc);
    }
    h->ret_width = parse_width(ld, attr(p->node, "ret"), h->loc);
    spec->helpers = grow(spec->helpers, spec->nhelpers, sizeof *spec->helpers);
    spec->helpers[spec->nhelpers++] = h;
}

static void add_def(Loader *ld, const Pending *p)
{
    GenSpec *spec = ld->spec;
    GenDef *d = gen_alloc(sizeof *d);
    d->loc = loc_of(p);
    d->name = attr(p->node, "name");
    for (int i = 0; i < spec->ndefs; i++)
        if (!strcmp(spec->defs[i]->name, d->name))
            gen_error(d->loc, "def '%s' is declared twice", d->name);
    char *args = attr(p->node, "args");
    for (char *tok = strtok(args, " "); tok; tok = strtok(NULL, " ")) {
        char *colon = strchr(tok, ':');
        if (d->nargs == GEN_MAX_ARGS) {
            gen_error(d->loc, "def '%s' has more than %d arguments", d->name, GEN_MAX_ARGS);
            break;
        }
        *colon = 0;
        d->arg_name[d->nargs] = gen_strdup(tok);
        d->arg_width[d->nargs++] = parse_width(ld, colon + 1, d->loc);
    }
    d->ret_width = parse_width(ld, attr(p->node, "ret"), d->loc);
    d->text = text_of(p->node);
    d->body = gen_parse_expr(d->text, d->loc);
    spec->defs = grow(spec->defs, spec->ndefs, sizeof *spec->defs);
    spec->defs[spec->ndefs++] = d;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_elem(c, name))
            return c;
    return NULL;
}

static void add_insn(Loader *ld, const Pending *p, const char *ext_default)
{
    GenSpec *spec = ld->spec;
    GenInsn *in = gen_alloc(sizeof *in);
    in->loc = loc_of(p);
    in->name = attr(p->node, "name");
    in->group = p->group;
    char *x = attr(p->node, "xlen");
    in->only_xlen = x ? (int)parse_number(x, 64, NULL) : 0;   /* the schema: 32 or 64 */
    if (in->only_xlen && in->only_xlen != spec->xlen) {   /* belongs to the other width */
        spec->other_width = grow(spec->other_width, spec->nother_width, sizeof *spec->other_width);
        spec->other_width[spec->nother_width++] = in->name;
        return;
    }
    for (int i = 0; i < spec->ninsns; i++)
        if (!strcmp(spec->insns[i]->name, in->name)) {
            gen_error(in->loc, "instruction '%s' is declared twice (first at %s:%d)", in->name,
                      gen_basename(spec->insns[i]->loc.file), spec->insns[i]->loc.line);
            return;
        }
    in->ext = attr(p->node, "ext");
    if (!in->ext)
        in->ext = ext_default;
    char *fmt = attr(p->node, "format");
    in->format = find_format(spec, fmt);
    if (!in->format) {
        gen_error(in->loc, "instruction '%s': unknown format '%s'", in->name, fmt);
        return;
    }
    /* the match string, most significant bit first */
    char *m = attr(p->node, "match");
    int nbits = 0;
    for (char *c = m; *c; c++) {
        if (*c == ' ')
            continue;
        nbits++;
    }
    if (nbits != 16 && nbits != 32) {
        gen_error(in->loc, "instruction '%s': match has %d bits, not 16 or 32", in->name, nbits);
        return;
    }
    int bit = nbits - 1;
    for (char *c = m; *c; c++) {
        if (*c == ' ')
            continue;
        if (*c != '.') {
            in->mask |= 1u << bit;
            if (*c == '1')
                in->match |= 1u << bit;
        }
        bit--;
    }
    in->length = nbits / 8;
    /* RISC-V's length rule: 32-bit words end in 11, 16-bit ones never do */
    bool low11 = (in->mask & 3) == 3 && (in->match & 3) == 3;
    if (nbits == 32 && !low11)
        gen_error(in->loc, "instruction '%s': a 32-bit encoding must end in 11", in->name);
    if (nbits == 16 && ((in->mask & 3) != 3 || (in->match & 3) == 3))
        gen_error(in->loc, "instruction '%s': a 16-bit encoding must end in 00, 01 or 10", in->name);
    for (int i = 0; i < in->format->nfields; i++) {
        GenField *f = in->format->fields[i].field;
        if (nbits == 16 && (f->bits_mask >> 16))
            gen_error(in->loc, "instruction '%s': field '%s' lies outside its 16 bits", in->name, f->name);
    }
    xmlNodePtr a = child(p->node, "asm");
    in->asm_text = a ? text_of(a) : NULL;
    for (const char *q = in->asm_text; q && (q = strchr(q, '{')) != NULL; q++) {
        const char *close = strchr(q, '}');
        bool known = false;
        for (int i = 0; close && i < in->format->nfields; i++)
            known |= strlen(in->format->fields[i].local) == (size_t)(close - q - 1) &&
                     !strncmp(in->format->fields[i].local, q + 1, (size_t)(close - q - 1));
        if (!known) {
            if (close)
                gen_error(in->loc, "asm of '%s' names '%.*s', which is not a field of format '%s'", in->name,
                          (int)(close - q - 1), q + 1, in->format->name);
            else
                gen_error(in->loc, "asm of '%s': '{' without '}'", in->name);
            break;
        }
    }
    xmlNodePtr s = child(p->node, "sem");
    in->expands_text = attr(p->node, "expands");
    if (s) {
        in->sem_text = text_of(s);
        in->sem_loc = (GenLoc){ p->file, (int)xmlGetLineNo(s) };
        in->body = gen_parse_body(in->sem_text, in->sem_loc);
        if (in->expands_text)
            gen_error(in->loc, "instruction '%s' has both <sem> and expands", in->name);
    } else if (!in->expands_text) {
        gen_error(in->loc, "instruction '%s' has neither <sem> nor expands", in->name);
    }
    in->illegal_text = attr(p->node, "illegal-if");
    if (in->illegal_text) {
        in->illegal_loc = in->loc;
        in->illegal_if = gen_parse_expr(in->illegal_text, in->loc);
    }
    spec->insns = grow(spec->insns, spec->ninsns, sizeof *spec->insns);
    spec->insns[spec->ninsns++] = in;
}

/* Slots of the decoded instruction: small unsigned fields take bytes, others imm/imm2. */
static void assign_slots(GenInsn *in)
{
    int bytes = 0;
    bool imm_used = false, imm2_used = false;
    for (int i = 0; i < in->format->nfields; i++) {
        GenField *f = in->format->fields[i].field;
        if (!f->is_signed && f->width <= 8 && bytes < 6) {
            in->slots[i] = (GenSlot){ GEN_SLOT_BYTE, bytes++ };
        } else if (!imm_used) {
            in->slots[i] = (GenSlot){ GEN_SLOT_IMM, 0 };
            imm_used = true;
        } else if (!imm2_used && f->width <= (f->is_signed ? 32 : 31)) {
            in->slots[i] = (GenSlot){ GEN_SLOT_IMM2, 0 };
            imm2_used = true;
        } else {
            gen_error(in->format->loc, "format '%s' has more wide fields than a decoded instruction holds",
                      in->format->name);
        }
    }
}

/* The instruction a superinstruction names; NULL (and no error) if it is of the other XLEN. */
static GenInsn *superinsn_part(Loader *ld, const Pending *p, const char *role, bool *skip)
{
    const char *name = attr(p->node, role);
    GenSpec *spec = ld->spec;
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *in = spec->insns[i];
        if (strcmp(in->name, name))
            continue;
        if (in->base) {
            gen_error(loc_of(p), "superinstruction: '%s' expands to '%s'; name the instruction that has the body",
                      name, in->base->name);
            return NULL;
        }
        return in;
    }
    for (int i = 0; i < spec->nother_width; i++)
        if (!strcmp(spec->other_width[i], name)) {
            *skip = true;
            return NULL;
        }
    gen_error(loc_of(p), "superinstruction: unknown instruction '%s'", name);
    return NULL;
}

static void add_superinsn(Loader *ld, const Pending *p)
{
    GenSpec *spec = ld->spec;
    bool skip = false;
    GenInsn *first = superinsn_part(ld, p, "first", &skip), *second = superinsn_part(ld, p, "second", &skip);
    if (!first || !second)
        return;
    if (first->flags & INTERP_INSN_ENDS_BLOCK) {
        gen_error(loc_of(p), "superinstruction: '%s' ends a block, so nothing follows it; it can only be second",
                  first->name);
        return;
    }
    for (int i = 0; i < spec->nsuperinsns; i++)
        if (spec->superinsns[i]->first == first && spec->superinsns[i]->second == second) {
            gen_error(loc_of(p), "superinstruction '%s' then '%s' is declared twice (first at %s:%d)", first->name,
                      second->name, gen_basename(spec->superinsns[i]->loc.file), spec->superinsns[i]->loc.line);
            return;
        }
    GenSuperinsn *su = gen_alloc(sizeof *su);
    *su = (GenSuperinsn){ .loc = loc_of(p), .first = first, .second = second };
    spec->superinsns = grow(spec->superinsns, spec->nsuperinsns, sizeof *spec->superinsns);
    spec->superinsns[spec->nsuperinsns++] = su;
}

static GenSpec *load_spec(Loader *ld, const char *root_file, const char *schema_file);

/* Loads, validates and checks a spec: the model, or NULL with errors reported. libxml2's
   documents and the schema are freed before it returns (gen is a one-shot tool, but the
   fuzzer loads specs in one process by the hundred thousand). */
GenSpec *gen_load_spec(const char *root_file, const char *schema_file, int xlen)
{
    GenSpec *spec = gen_alloc(sizeof *spec);
    spec->root_file = root_file;
    spec->xlen = xlen;
    Loader ld = { .spec = spec };
    GenSpec *result = load_spec(&ld, root_file, schema_file);
    active_loader = NULL;
    for (int i = 0; i < ld.ndocs; i++)
        xmlFreeDoc(ld.docs[i]);
    if (ld.schema)
        xmlRelaxNGFree(ld.schema);
    free(ld.docs);
    free(ld.nodes);
    free(ld.files);
    return result;
}

static GenSpec *load_spec(Loader *ld, const char *root_file, const char *schema_file)
{
    GenSpec *spec = ld->spec;
    active_loader = ld;
    xmlLineNumbersDefault(1);
    xmlSetStructuredErrorFunc(NULL, on_xml_error);

    ld->current_file = schema_file;
    xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(schema_file);
    ld->schema = pctx ? xmlRelaxNGParse(pctx) : NULL;
    if (pctx)
        xmlRelaxNGFreeParserCtxt(pctx);
    if (!ld->schema) {
        if (gen_error_count() == 0)
            gen_error((GenLoc){ schema_file, 0 }, "cannot load the schema");
        return NULL;
    }
    load_file(ld, root_file, root_file, (GenLoc){ NULL, 0 }, 0);
    if (gen_error_count())
        return NULL;

    /* declarations first, so that order across files does not matter */
    for (int pass = 0; pass < 4; pass++)
        for (int i = 0; i < ld->nnodes; i++) {
            Pending *p = &ld->nodes[i];
            const char *n = (const char *)p->node->name;
            if (pass == 0 && !strcmp(n, "regfile")) add_state(ld, p, true);
            if (pass == 0 && !strcmp(n, "reg")) add_state(ld, p, false);
            if (pass == 1 && !strcmp(n, "field")) add_field(ld, p);
            if (pass == 2 && !strcmp(n, "format")) add_format(ld, p);
            if (pass == 2 && !strcmp(n, "helper")) add_helper(ld, p);
            if (pass == 2 && !strcmp(n, "def")) add_def(ld, p);
            if (pass == 3 && !strcmp(n, "insn")) {
                xmlNodePtr root = xmlDocGetRootElement(p->node->doc);
                char *ext = attr(root, "name");
                add_insn(ld, p, ext);
            }
        }
    if (gen_error_count())
        return NULL;

    for (int i = 0; i < spec->ndefs; i++)
        if (spec->defs[i]->body)
            gen_check_def(spec, spec->defs[i]);
    for (int i = 0; i < spec->ninsns; i++) {
        GenInsn *in = spec->insns[i];
        assign_slots(in);
        if (in->body) {
            gen_check_insn(spec, in);
            gen_find_direct_jump(in);
            gen_find_commuting_sources(in);
        }
        if (in->illegal_if)
            gen_check_illegal_if(spec, in);
    }
    for (int i = 0; i < spec->ninsns; i++)
        if (spec->insns[i]->expands_text)
            gen_check_expansion(spec, spec->insns[i]);
    for (int i = 0; i < ld->nnodes; i++)   /* after the checker: it finds which insns end blocks */
        if (!strcmp((const char *)ld->nodes[i].node->name, "superinsn"))
            add_superinsn(ld, &ld->nodes[i]);
    if (gen_error_count())
        return NULL;
    gen_check_encodings(spec);
    return gen_error_count() ? NULL : spec;
}
