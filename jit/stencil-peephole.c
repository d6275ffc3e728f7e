/*
** stencil-peephole.c — build tool: threads the jumps clang leaves in the stencils'
** assembly, before it is assembled. clang folds a tail call into a conditional jump only
** when the tail-call block comes after the test in source order; a memory access's fault
** test comes first, so every load and store came out as
**     jae .L1 ; <access> ; jmp jit_continue ; .L1: jmp jit_side_exit
** and ran a taken jump to the next stencil over its side exit. Four rewrites, each an
** exact equivalence:
**   1. `jCC .L` where .L's first instruction is `jmp SYM` becomes `jCC SYM`;
**   2. a local block nothing jumps to any more, after an unconditional jump, goes;
**   3. a function ending `jCC jit_continue ; jmp SYM` ends `jNCC SYM`: jit_continue is
**      the code right after the stencil, so the hot path falls through;
**   4. cold blocks after the hot path's `jmp jit_continue` (an FP stencil's helper call,
**      which jumps back) move up after an earlier unconditional jump, so the stencil
**      ends in that jump and stencil-extract drops it.
** Anything else passes through untouched; stencil-extract still checks the result.
**
**   stencil-peephole IN.s OUT.s
*/
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *text;     /* the line as read, without its newline; NULL once deleted */
} Line;

static Line *lines;
static size_t nlines;
static const char *input_name;
enum { NAME_LEN = 512 };   /* labels, symbols and operands */

static void die(const char *what, const char *name)
{
    fprintf(stderr, "stencil-peephole: %s: %s\n", name, what);
    exit(1);
}

/* ---- classifying lines */

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* a label definition at column 0 ("name:"), its name copied to out */
static bool is_label(const char *s, char *out, size_t outsz)
{
    size_t n = 0;
    while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '.' || s[n] == '$'))
        n++;
    if (n == 0 || s[n] != ':')
        return false;
    if (n >= outsz)
        die("a label is too long", input_name);
    memcpy(out, s, n);
    out[n] = 0;
    return true;
}

typedef struct {
    char mnemonic[32];
    char operand[NAME_LEN];
} Insn;

/* an instruction line: a mnemonic and its whole operand text, comment stripped. One
   too long to hold stops the build: skipping it could thread a jump past it. */
static bool parse_insn(const char *s, Insn *in)
{
    if (*s != ' ' && *s != '\t')
        return false;
    s = skip_space(s);
    if (!isalpha((unsigned char)*s))
        return false;   /* a comment, a directive or nothing */
    size_t n = 0;
    while (s[n] && !isspace((unsigned char)s[n]))
        n++;
    if (n >= sizeof in->mnemonic)
        die("an instruction's mnemonic is too long", input_name);
    memcpy(in->mnemonic, s, n);
    in->mnemonic[n] = 0;
    s = skip_space(s + n);
    n = 0;
    while (s[n] && s[n] != '#')
        n++;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= sizeof in->operand)
        die("an instruction's operands are too long", input_name);
    memcpy(in->operand, s, n);
    in->operand[n] = 0;
    return true;
}

static bool is_local(const char *name) { return !strncmp(name, ".L", 2); }

/* a direct jump to a symbol: no register, no memory operand */
static bool is_direct(const char *operand)
{
    return operand[0] && !strpbrk(operand, "*%(), ");
}

static bool is_uncond_jump(const Insn *in) { return !strcmp(in->mnemonic, "jmp"); }
static const char *inverse(const char *jcc);
/* jmp, or a conditional jump that has a rel32 form (not jrcxz, loop) */
static bool is_jump(const Insn *in) { return is_uncond_jump(in) || inverse(in->mnemonic); }
/* an instruction after which nothing falls through */
static bool ends_flow(const Insn *in) { return is_uncond_jump(in) || !strncmp(in->mnemonic, "ret", 3); }
/* a deleted, empty or comment line */
static bool is_nothing(size_t i)
{
    return !lines[i].text || !lines[i].text[0] || skip_space(lines[i].text)[0] == '#';
}

/* the instruction line at or after i, skipping comments, directives and labels (which
   do not move the address); nlines if none before the next function's end label */
static size_t next_insn(size_t i, Insn *in)
{
    for (; i < nlines; i++) {
        char name[NAME_LEN];
        if (!lines[i].text)
            continue;
        if (is_label(lines[i].text, name, sizeof name) && !strncmp(name, ".Lfunc_end", 10))
            return nlines;
        if (parse_insn(lines[i].text, in))
            return i;
    }
    return nlines;
}

static void set_jump(size_t i, const char *mnemonic, const char *target)
{
    size_t len = strlen(mnemonic) + strlen(target) + 3;
    char *s = malloc(len);
    if (!s)
        die("out of memory", input_name);
    snprintf(s, len, "\t%s\t%s", mnemonic, target);
    free(lines[i].text);
    lines[i].text = s;
}

/* ---- 1. jumps to a block that only jumps on */

static size_t find_label(const char *name)
{
    for (size_t i = 0; i < nlines; i++) {
        char l[NAME_LEN];
        if (lines[i].text && is_label(lines[i].text, l, sizeof l) && !strcmp(l, name))
            return i;
    }
    return nlines;
}

/* where a jump to `label` ends up: the symbol of the `jmp` it starts with (false if none) */
static bool final_target(const char *label, char *out, size_t outsz)
{
    char name[NAME_LEN];
    snprintf(name, sizeof name, "%s", label);
    for (int depth = 0; depth < 8 && is_local(name); depth++) {
        Insn in;
        size_t at = find_label(name);
        if (at == nlines || next_insn(at + 1, &in) == nlines || !is_uncond_jump(&in) ||
            !is_direct(in.operand))
            return false;
        snprintf(name, sizeof name, "%s", in.operand);
    }
    if (is_local(name) || strlen(name) >= outsz)
        return false;
    strcpy(out, name);
    return true;
}

static void thread_jumps(void)
{
    for (size_t i = 0; i < nlines; i++) {
        Insn in;
        char target[NAME_LEN];
        if (lines[i].text && parse_insn(lines[i].text, &in) && is_jump(&in) && is_local(in.operand) &&
            final_target(in.operand, target, sizeof target))
            set_jump(i, in.mnemonic, target);
    }
}

/* ---- 2. blocks no one reaches */

static bool referenced(const char *label)
{
    size_t n = strlen(label);
    for (size_t i = 0; i < nlines; i++) {
        Insn in;
        if (!lines[i].text)
            continue;
        if (parse_insn(lines[i].text, &in)) {
            for (const char *p = strstr(in.operand, label); p; p = strstr(p + 1, label))
                if ((p == in.operand || !isalnum((unsigned char)p[-1])) &&
                    !isalnum((unsigned char)p[n]) && p[n] != '_')
                    return true;
        } else if (!strstr(lines[i].text, ":") && strstr(lines[i].text, label)) {
            return true;   /* a directive naming it (.size, a table) */
        }
    }
    return false;
}

static bool drop_dead_blocks(void)
{
    bool changed = false;
    for (size_t i = 0; i < nlines; i++) {
        char label[NAME_LEN];
        if (!lines[i].text || !is_label(lines[i].text, label, sizeof label) || strncmp(label, ".LBB", 4))
            continue;
        /* the instruction before it must not fall through */
        size_t p = i;
        Insn prev;
        bool found = false;
        while (p-- > 0) {
            char other[NAME_LEN];
            if (!lines[p].text)
                continue;
            if (is_label(lines[p].text, other, sizeof other))
                break;
            if (parse_insn(lines[p].text, &prev)) {
                found = true;
                break;
            }
        }
        if (!found || !ends_flow(&prev) || referenced(label))
            continue;
        /* delete the label and the instructions up to the next label */
        free(lines[i].text);
        lines[i].text = NULL;
        for (size_t j = i + 1; j < nlines; j++) {
            Insn in;
            char other[NAME_LEN];
            if (!lines[j].text)
                continue;
            if (is_label(lines[j].text, other, sizeof other))
                break;
            if (parse_insn(lines[j].text, &in)) {
                free(lines[j].text);
                lines[j].text = NULL;
            }
        }
        changed = true;
    }
    return changed;
}

/* ---- 3. a conditional continue before the last jump */

static const char *const conditions[][2] = {
    {"je", "jne"}, {"jz", "jnz"}, {"ja", "jbe"}, {"jae", "jb"}, {"jg", "jle"}, {"jge", "jl"},
    {"js", "jns"}, {"jo", "jno"}, {"jp", "jnp"}, {"jc", "jnc"}, {"jnae", "jnb"}, {"jna", "jnbe"},
    {"jpe", "jpo"}, {"jnge", "jnl"}, {"jng", "jnle"},
};

static const char *inverse(const char *jcc)
{
    for (size_t i = 0; i < sizeof conditions / sizeof conditions[0]; i++) {
        if (!strcmp(jcc, conditions[i][0]))
            return conditions[i][1];
        if (!strcmp(jcc, conditions[i][1]))
            return conditions[i][0];
    }
    return NULL;
}

static void fall_into_continue(void)
{
    for (size_t i = 0; i < nlines; i++) {
        Insn cond, last, after;
        const char *inv;
        if (!lines[i].text || !parse_insn(lines[i].text, &cond) || strcmp(cond.operand, "jit_continue") ||
            !(inv = inverse(cond.mnemonic)))
            continue;
        /* the next line that is not a comment must be the jump, with no label between */
        size_t j = i + 1;
        while (j < nlines && is_nothing(j))
            j++;
        if (j == nlines || !parse_insn(lines[j].text, &last) || !is_uncond_jump(&last) ||
            !is_direct(last.operand) || is_local(last.operand) || next_insn(j + 1, &after) != nlines)
            continue;
        set_jump(i, inv, last.operand);
        free(lines[j].text);
        lines[j].text = NULL;
    }
}

/* ---- 4. the hot path last */

static bool is_function_label(size_t i)
{
    char name[NAME_LEN];
    return lines[i].text && is_label(lines[i].text, name, sizeof name) && !is_local(name);
}

/* In a function whose hot path ends `jmp jit_continue` before cold blocks (a helper call
   that jumps back), the cold blocks move up to after an earlier unconditional jump: they
   are reached only by jumps and end in one, so nothing else changes, and the function
   ends in the `jmp jit_continue` that stencil-extract drops. */
static bool move_cold_tails(void)
{
    for (size_t end = 0; end < nlines; end++) {
        char name[NAME_LEN];
        if (!lines[end].text || !is_label(lines[end].text, name, sizeof name) || strncmp(name, ".Lfunc_end", 10))
            continue;
        size_t start = end;
        while (start > 0 && !is_function_label(start))
            start--;
        /* the last instruction, and the last jmp jit_continue */
        size_t last = nlines, cont = nlines;
        Insn in;
        for (size_t i = start; i < end; i++) {
            if (!lines[i].text || !parse_insn(lines[i].text, &in))
                continue;
            last = i;
            if (is_uncond_jump(&in) && !strcmp(in.operand, "jit_continue"))
                cont = i;
        }
        if (cont == nlines || cont == last || !parse_insn(lines[last].text, &in) ||
            !ends_flow(&in))
            continue;
        /* the tail must start with a label */
        size_t first = cont + 1;
        while (first < end && is_nothing(first))
            first++;
        char label[NAME_LEN];
        if (first == end || !is_label(lines[first].text, label, sizeof label))
            continue;
        /* an unconditional jump before it, to put the tail after */
        size_t after = nlines;
        for (size_t i = start; i < cont; i++)
            if (lines[i].text && parse_insn(lines[i].text, &in) && ends_flow(&in)) {
                after = i;
                break;
            }
        if (after == nlines)
            continue;
        /* rotate [after + 1, end) so that [cont + 1, end) comes first */
        size_t n = end - (after + 1), k = end - (cont + 1);
        Line *tmp = malloc(n * sizeof *tmp);
        if (!tmp)
            die("out of memory", input_name);
        memcpy(tmp, &lines[cont + 1], k * sizeof *tmp);
        memcpy(tmp + k, &lines[after + 1], (n - k) * sizeof *tmp);
        memcpy(&lines[after + 1], tmp, n * sizeof *tmp);
        free(tmp);
        return true;
    }
    return false;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: stencil-peephole IN.s OUT.s\n");
        return 2;
    }
    input_name = argv[1];
    FILE *in = fopen(argv[1], "r");
    if (!in)
        die(strerror(errno), argv[1]);
    size_t cap = 0;
    char *buf = NULL;
    size_t bufsz = 0;
    ssize_t len;
    while ((len = getline(&buf, &bufsz, in)) >= 0) {
        if (len && buf[len - 1] == '\n')
            buf[--len] = 0;
        if (nlines == cap) {
            cap = cap ? 2 * cap : 4096;
            lines = realloc(lines, cap * sizeof *lines);
            if (!lines)
                die("out of memory", argv[1]);
        }
        lines[nlines].text = strdup(buf);
        if (!lines[nlines++].text)
            die("out of memory", argv[1]);
    }
    if (ferror(in))
        die("cannot read", argv[1]);
    fclose(in);
    free(buf);

    thread_jumps();
    while (drop_dead_blocks())
        ;
    fall_into_continue();
    for (int moved = 0; moved < 100000 && move_cold_tails(); moved++)
        ;

    FILE *out = fopen(argv[2], "w");
    if (!out)
        die(strerror(errno), argv[2]);
    for (size_t i = 0; i < nlines; i++)
        if (lines[i].text)
            fprintf(out, "%s\n", lines[i].text);
    if (fclose(out) != 0)
        die("cannot write", argv[2]);
    return 0;
}
