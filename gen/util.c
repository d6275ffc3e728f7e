/*
** util.c — gen's error reporting and allocation. Errors read "file:line: error: msg";
** gen writes nothing when any was reported. Allocations are never freed: gen is a
** short-lived build tool.
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

void *gen_alloc(size_t size)
{
    void *p = calloc(1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "tiercel-gen: out of memory\n");
        exit(2);
    }
    return p;
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

