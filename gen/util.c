/*
** util.c — gen's error reporting and allocation. Errors read "file:line: error: msg";
** gen writes nothing when any was reported. Allocations come from an arena and are
** never freed one by one: gen is a short-lived build tool (the spec fuzzer frees the
** whole arena after each input).
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static int error_count;
static bool quiet;
static char first_error[1024];

void gen_error(GenLoc loc, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (error_count == 0)
        snprintf(first_error, sizeof first_error, "%d: error: %s", loc.line, msg);
    error_count++;
    if (error_count <= 50 && !quiet)
        fprintf(stderr, "%s:%d: error: %s\n", loc.file ? loc.file : "?", loc.line, msg);
}

int gen_error_count(void) { return error_count; }

void gen_quiet_errors(bool on) { quiet = on; }

void gen_reset_errors(void)
{
    error_count = 0;
    first_error[0] = 0;
}
const char *gen_first_error(void) { return first_error; }

/* The arena: chunks of CHUNK bytes handed out in order, and a chunk of its own for
   anything bigger than a quarter of one. */
enum { CHUNK = 64 << 10, ALIGN = 16 };
typedef struct Chunk { struct Chunk *next; size_t used, size; _Alignas(ALIGN) unsigned char data[]; } Chunk;
static Chunk *chunks;

void *gen_alloc(size_t size)
{
    size = (size ? size + ALIGN - 1 : ALIGN) & ~(size_t)(ALIGN - 1);
    Chunk *c = chunks;
    if (!c || c->size - c->used < size) {
        size_t cap = size > CHUNK / 4 ? size : CHUNK;
        c = calloc(1, sizeof *c + cap);
        if (!c) {
            fprintf(stderr, "tiercel-gen: out of memory\n");
            exit(2);
        }
        c->size = cap;
        if (cap == CHUNK || !chunks) {   /* a big one goes behind the current chunk */
            c->next = chunks;
            chunks = c;
        } else {
            c->next = chunks->next;
            chunks->next = c;
        }
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

void gen_free_all(void)
{
    while (chunks) {
        Chunk *next = chunks->next;
        free(chunks);
        chunks = next;
    }
}

const char *gen_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *gen_strdup(const char *s)
{
    char *d = gen_alloc(strlen(s) + 1);
    strcpy(d, s);
    return d;
}

char *gen_strfmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = gen_alloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

