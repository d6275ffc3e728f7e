/*
** main.c — tiercel-riscv64: runs a statically linked riscv64 Linux program, with
** qemu-riscv64's command line. Loads it, builds its stack, then runs the interpreter
** and serves its system calls until it exits.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "interp.h"
#include "jit.h"
#include "user.h"

#ifndef TIERCEL_VERSION
#define TIERCEL_VERSION "0.1.0"
#endif

extern char **environ;

static FILE *g_log;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --stats: what the run cost. One function, so that the tiers can each add a line. */
static void print_stats(UserProcess *p)
{
    if (!p->cpu)
        return;
    interp_sync_stats(p->cpu);
    const InterpStats *s = &p->cpu->stats;
    double wall = now() - p->start_time;
    fprintf(stderr, USER_NAME ": stats (%s interpreter)\n", interp_dispatch_name());
    fprintf(stderr, "  guest instructions  %llu\n", (unsigned long long)s->insns);
    fprintf(stderr, "  blocks run          %llu%s\n", (unsigned long long)s->blocks_run,
            p->jit ? " (outside tier 2, which counts instructions only)" : "");
    fprintf(stderr, "  blocks decoded      %llu\n", (unsigned long long)s->blocks_decoded);
    fprintf(stderr, "  invalidations       %llu\n", (unsigned long long)s->invalidations);
    fprintf(stderr, "  cache flushes       %llu\n", (unsigned long long)s->flushes);
    fprintf(stderr, "  superinstructions   %llu pairs in the blocks interpreted (%llu forwarding)\n",
            (unsigned long long)s->superinsns, (unsigned long long)s->superinsns_fwd);
    fprintf(stderr, "  wall time           %.3f s\n", wall);
    fprintf(stderr, "  MIPS                %.1f\n", wall > 0 ? (double)s->insns / wall / 1e6 : 0.0);
    if (p->jit)
        jit_print_stats(p->jit, stderr);
}

_Noreturn void user_exit(UserProcess *p, int status)
{
    if (p->stats)
        print_stats(p);
    /* compile threads must be stopped before exit() runs libLLVM's destructors */
    jit_stop_threads(p->jit);
    fflush(stdout);
    if (g_log && g_log != stderr)
        fclose(g_log);
    fflush(stderr);
    exit(status);
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: " USER_NAME " [options] PROGRAM [ARGS...]\n"
        "Runs a statically linked riscv64 Linux program.\n"
        "\n"
        "Options:\n"
        "  -h, -help            print this help and exit\n"
        "  -version             print the version and exit\n"
        "  -d ITEM[,ITEM...]    log items (-d help lists them)\n"
        "  -D FILE              write the log to FILE instead of stderr\n"
        "  -E VAR=VALUE         set VAR in the guest's environment\n"
        "  -U VAR               remove VAR from the guest's environment\n"
        "  -0 ARGV0             use ARGV0 as the guest's argv[0]\n"
        "  -s SIZE              guest stack size (default 8M; suffixes k, M, G)\n"
        "  -R SIZE              guest address space to reserve (default and maximum 256G, the\n"
        "                       Sv39 user half; at least 256M)\n"
        "  -strace              print each system call and its result on stderr\n"
        "  --stats              print execution statistics when the guest exits\n"
        "  --tier=TIER          interp, baseline, llvm or auto (the default): which tiers run\n"
        "  --tier-thresholds=T1,T2  auto: runs before a block is compiled by the baseline\n"
        "                       tier (T1) and by LLVM (T2)\n"
        "  --jit-threads=N      LLVM compile threads (default 1); 0 compiles on the guest's\n"
        "                       thread, before the code runs on (deterministic, for tests)\n"
        "  --llvm-pipeline=P    tier 2's LLVM passes: O2 (the default), O1, O3, or lean (code as\n"
        "                       fast here, big regions compiled in 35-55%% less time)\n"
        "  --perfmap            write /tmp/perf-PID.map naming compiled code for perf\n"
        "  --                   end of options\n"
        "\n"
        "Options may be written with one dash or two.\n");
}

static const struct { const char *name; unsigned mask; const char *help; } log_items[] = {
    { "in_asm", INTERP_LOG_IN_ASM, "show the guest code of each block when it is decoded" },
    { "exec", INTERP_LOG_EXEC, "show each block as it runs" },
    { "unimp", INTERP_LOG_UNIMP, "log unimplemented system calls and features" },
    { "tier", INTERP_LOG_TIER, "show each tier-1 block and tier-2 region as it is compiled, installed or dropped" },
};

_Noreturn __attribute__((format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(USER_NAME ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static unsigned parse_log(const char *spec)
{
    if (strcmp(spec, "help") == 0) {
        printf("Log items (comma separated):\n");
        for (size_t i = 0; i < sizeof log_items / sizeof log_items[0]; i++)
            printf("%-10s %s\n", log_items[i].name, log_items[i].help);
        exit(0);
    }
    unsigned mask = 0;
    char *copy = strdup(spec), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < sizeof log_items / sizeof log_items[0] && strcmp(tok, log_items[i].name))
            i++;
        if (i == sizeof log_items / sizeof log_items[0])
            die("unknown log item '%s' (-d help lists them)", tok);
        mask |= log_items[i].mask;
    }
    free(copy);
    return mask;
}

/* A size with an optional k/M/G suffix, within [min, max]; `what` names it in errors. */
static uint64_t parse_size_in(const char *s, const char *what, uint64_t min, uint64_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10, end++; break;
    case 'm': case 'M': shift = 20, end++; break;
    case 'g': case 'G': shift = 30, end++; break;
    }
    if (errno || *end || end == s || s[0] == '-' || v == 0 || v > max >> shift)
        die("bad %s '%s'", what, s);
    v <<= shift;
    if (v < min) {
        bool mib = (min & ((1u << 20) - 1)) == 0;
        die("%s '%s' is below %llu%c", what, s, (unsigned long long)(min >> (mib ? 20 : 10)), mib ? 'M' : 'k');
    }
    return v;
}

static uint64_t parse_size(const char *s)
{
    return parse_size_in(s, "stack size", 64 << 10, USER_SPACE_SIZE / 4);
}

/* The guest's environment: the host's, edited by -E and -U in order. */
typedef struct Env { char **v; size_t n, cap; } Env;

static void env_unset(Env *e, const char *name, size_t len)
{
    for (size_t i = 0; i < e->n;) {
        if (strncmp(e->v[i], name, len) == 0 && e->v[i][len] == '=') {
            memmove(&e->v[i], &e->v[i + 1], (e->n - i) * sizeof e->v[0]);
            e->n--;
        } else {
            i++;
        }
    }
}

static void env_append(Env *e, char *entry)
{
    if (e->n + 2 > e->cap) {
        e->cap = e->cap * 2 + 16;
        e->v = realloc(e->v, e->cap * sizeof e->v[0]);
        if (!e->v)
            die("out of memory");
    }
    e->v[e->n++] = entry;
    e->v[e->n] = NULL;
}

static void env_set(Env *e, char *assignment)
{
    char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        die("-E needs VAR=VALUE, not '%s'", assignment);
    env_unset(e, assignment, (size_t)(eq - assignment));
    env_append(e, assignment);
}

int main(int argc, char **argv)
{
    static UserProcess proc;
    UserProcess *p = &proc;
    Env env = { 0 };
    for (char **e = environ; *e; e++)
        env_append(&env, *e);
    if (!env.v) {
        env.v = calloc(1, sizeof env.v[0]);
        if (!env.v)
            die("out of memory");
    }

    unsigned log_mask = 0;
    const char *log_file = NULL, *argv0 = NULL;
    uint64_t stack_size = USER_STACK_DEFAULT;
    uint64_t space = USER_SPACE_SIZE;
    bool strace = false, stats = false;
    JitOptions jit_opt;
    jit_default_options(&jit_opt);

    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *arg = argv[i++];
        if (strcmp(arg, "--") == 0)
            break;
        const char *opt = arg + 1 + (arg[1] == '-');
        /* --name=value options (the tier's) */
        const char *eq = arg[1] == '-' ? strchr(opt, '=') : NULL;
        if (eq) {
            const char *why = NULL;
            size_t n = (size_t)(eq - opt);
            if (n == 4 && !strncmp(opt, "tier", 4)) {
                if (!jit_parse_tier(eq + 1, &jit_opt.mode, &why))
                    die("--tier=%s: %s", eq + 1, why);
            } else if (n == 15 && !strncmp(opt, "tier-thresholds", 15)) {
                if (!jit_parse_thresholds(eq + 1, &jit_opt.threshold1, &jit_opt.threshold2, &why))
                    die("--tier-thresholds=%s: %s", eq + 1, why);
            } else if (n == 13 && !strncmp(opt, "llvm-pipeline", 13)) {
                if (!jit_parse_llvm_pipeline(eq + 1, &jit_opt.llvm_pipeline, &why))
                    die("--llvm-pipeline=%s: %s", eq + 1, why);
            } else if (n == 11 && !strncmp(opt, "jit-threads", 11)) {
                char *end;
                errno = 0;
                unsigned long t = strtoul(eq + 1, &end, 10);
                if (errno || *end || end == eq + 1 || eq[1] == '-' || t > 16)
                    die("--jit-threads=%s: must be a count from 0 to 16", eq + 1);
                jit_opt.threads = (unsigned)t;
            } else {
                die("unknown option '%s' (-h lists them)", arg);
            }
            continue;
        }
        bool takes = !strcmp(opt, "d") || !strcmp(opt, "D") || !strcmp(opt, "E") ||
                     !strcmp(opt, "U") || !strcmp(opt, "0") || !strcmp(opt, "s") || !strcmp(opt, "R");
        const char *val = NULL;
        if (takes) {
            if (i >= argc)
                die("option '%s' needs an argument", arg);
            val = argv[i++];
        }
        if (!strcmp(opt, "h") || !strcmp(opt, "help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(opt, "version")) {
            printf(USER_NAME " version " TIERCEL_VERSION " (%s interpreter)\n",
                   interp_dispatch_name());
            return 0;
        } else if (!strcmp(opt, "d")) {
            log_mask |= parse_log(val);
        } else if (!strcmp(opt, "D")) {
            log_file = val;
        } else if (!strcmp(opt, "E")) {
            env_set(&env, (char *)val);
        } else if (!strcmp(opt, "U")) {
            env_unset(&env, val, strlen(val));
        } else if (!strcmp(opt, "0")) {
            argv0 = val;
        } else if (!strcmp(opt, "s")) {
            stack_size = parse_size(val);
        } else if (!strcmp(opt, "R")) {
            /* QEMU's -R: how much guest address space to reserve (less lets valgrind run it) */
            space = parse_size_in(val, "reserved size", (uint64_t)256 << 20, USER_SPACE_SIZE) & MEM_PAGE_MASK;
        } else if (!strcmp(opt, "strace")) {
            strace = true;
        } else if (!strcmp(opt, "stats")) {
            stats = true;
        } else if (!strcmp(opt, "perfmap")) {
            jit_opt.perfmap = true;
        } else {
            die("unknown option '%s' (-h lists them)", arg);
        }
    }
    if (i >= argc)
        die("no program to run (usage: " USER_NAME " [options] PROGRAM [ARGS...]; -h for help)");
    const char *path = argv[i];

    if (stack_size > space / 4)
        die("stack size %llu does not fit a guest space of %llu bytes", (unsigned long long)stack_size,
            (unsigned long long)space);
    int r = user_process_init(p, stack_size, space);
    if (r < 0)
        die("cannot reserve the guest address space: %s", strerror(-r));
    p->exe_path = path;
    p->strace = strace;
    p->stats = stats;

    static UserElfInfo elf;
    if (user_elf_load(p, path, &elf) < 0)
        die("%s: %s", path, elf.error);

    char **gargv = argv + i;
    int gargc = argc - i;
    if (argv0) {
        gargv = malloc(((size_t)gargc + 1) * sizeof *gargv);
        if (!gargv)
            die("out of memory");
        memcpy(gargv, argv + i, ((size_t)gargc + 1) * sizeof *gargv);
        gargv[0] = (char *)argv0;
    }
    UserStackArgs sargs = { .argc = gargc, .argv = gargv, .envp = env.v, .execfn = path };
    char err[160];
    uint64_t sp = user_stack_setup(p, &elf, &sargs, err, sizeof err);
    if (!sp)
        die("%s: %s", path, err);

    if (log_file) {
        g_log = fopen(log_file, "w");
        if (!g_log)
            die("cannot open log file %s: %s", log_file, strerror(errno));
        setvbuf(g_log, NULL, _IOLBF, 0);
    }

    static InterpCpu cpu;
    InterpHooks hooks;
    user_signal_hooks(p, &hooks);
    r = interp_cpu_init(&cpu, &p->mem, &hooks);
    if (r < 0)
        die("cannot set up the CPU: %s", strerror(-r));
    cpu.log_mask = log_mask;
    cpu.log = g_log ? g_log : stderr;
    cpu.pc = elf.entry;
    cpu.x[2] = sp;
    p->cpu = &cpu;
    p->code_changed = user_code_changed;
    r = user_signal_init(p);
    if (r < 0)
        die("cannot install the fault handlers: %s", strerror(-r));
    jit_opt.profile = stats;
    p->jit = jit_create(&cpu, &jit_opt, err, sizeof err);
    if (!p->jit)
        die("%s", err);

    p->start_time = now();
    for (;;) {
        InterpExit why = interp_run(&cpu);
        char what[128];
        unsigned long long pc = cpu.pc, tv = cpu.trap_value;
        switch (why) {
        case INTERP_EXIT_ECALL: {
            uint64_t a[6] = { cpu.x[10], cpu.x[11], cpu.x[12], cpu.x[13], cpu.x[14], cpu.x[15] };
            int64_t ret = user_syscall(p, cpu.x[17], a);
            cpu.x[10] = (uint64_t)ret;
            cpu.pc += 4;
            break;
        }
        case INTERP_EXIT_REQUEST:
            break;
        case INTERP_EXIT_EBREAK:
            snprintf(what, sizeof what, "at pc 0x%llx (ebreak)", pc);
            user_guest_killed(p, 5 /* SIGTRAP */, what);
        case INTERP_EXIT_ILLEGAL:
            snprintf(what, sizeof what, "at pc 0x%llx (illegal instruction 0x%llx)", pc, tv);
            user_guest_killed(p, 4 /* SIGILL */, what);
        case INTERP_EXIT_FETCH_FAULT:
            snprintf(what, sizeof what, "at pc 0x%llx (fetch from 0x%llx)", pc, tv);
            user_guest_killed(p, 11 /* SIGSEGV */, what);
        case INTERP_EXIT_LOAD_FAULT:
            snprintf(what, sizeof what, "at pc 0x%llx (load from 0x%llx)", pc, tv);
            user_guest_killed(p, user_fault_signal(tv), what);
        case INTERP_EXIT_STORE_FAULT:
            snprintf(what, sizeof what, "at pc 0x%llx (store to 0x%llx)", pc, tv);
            user_guest_killed(p, user_fault_signal(tv), what);
        case INTERP_EXIT_MISALIGNED:
            snprintf(what, sizeof what, "at pc 0x%llx (misaligned atomic at 0x%llx)", pc, tv);
            user_guest_killed(p, 7 /* SIGBUS */, what);
        default:
            fprintf(stderr, USER_NAME ": internal error: interp_run returned %d\n", (int)why);
            abort();
        }
    }
}
