/*
** signal.c — host faults and guest signals. The host SIGSEGV/SIGBUS handler sorts a
** fault into: a store to a watched code page (unprotect, tell the interpreter, retry),
** a guest fault while guest code runs (unwind interp_run), or a tiercel bug (crash).
** The guest's own signal state is recorded; signals it raises take their default
** action, since delivery to guest handlers comes later.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "interp.h"
#include "user.h"

static UserProcess *g_proc;

/* ---- the set of watched code pages ----
   Open addressing over page addresses; 0 is an empty slot, 1 a deleted one (page 0 is
   never mapped). The signal handler looks pages up and deletes them without locks or
   allocation: it only interrupts guest code, never an update of the set. */

typedef struct WatchSet {
    size_t mask, used, live;   /* used counts deleted slots too */
    uint64_t slot[];
} WatchSet;

enum { WATCH_EMPTY = 0, WATCH_DELETED = 1 };

static WatchSet *volatile g_watch;

static size_t watch_hash(uint64_t page)
{
    return (size_t)((page >> MEM_PAGE_SHIFT) * 0x9e3779b97f4a7c15ull >> 20);
}

static uint64_t *watch_lookup(WatchSet *w, uint64_t page)
{
    if (!w)
        return NULL;
    for (size_t i = watch_hash(page) & w->mask, n = 0; n <= w->mask; i = (i + 1) & w->mask, n++) {
        if (w->slot[i] == page)
            return &w->slot[i];
        if (w->slot[i] == WATCH_EMPTY)
            return NULL;
    }
    return NULL;
}

static WatchSet *watch_new(size_t cap)
{
    WatchSet *w = calloc(1, sizeof *w + cap * sizeof w->slot[0]);
    if (!w) {
        fputs(USER_NAME ": out of memory\n", stderr);
        abort();
    }
    w->mask = cap - 1;
    return w;
}

static void watch_insert(uint64_t page)
{
    WatchSet *w = g_watch;
    if (watch_lookup(w, page))
        return;
    if (!w || (w->used + 1) * 2 > w->mask + 1) {
        size_t cap = w ? w->mask + 1 : 1024;
        while ((w ? w->live + 1 : 1) * 4 > cap)
            cap *= 2;
        WatchSet *nw = watch_new(cap);
        for (size_t i = 0; w && i <= w->mask; i++) {
            uint64_t pg = w->slot[i];
            if (pg == WATCH_EMPTY || pg == WATCH_DELETED)
                continue;
            size_t j = watch_hash(pg) & nw->mask;
            while (nw->slot[j] != WATCH_EMPTY)
                j = (j + 1) & nw->mask;
            nw->slot[j] = pg;
            nw->used++, nw->live++;
        }
        g_watch = nw;
        free(w);
        w = nw;
    }
    size_t j = watch_hash(page) & w->mask;
    while (w->slot[j] != WATCH_EMPTY && w->slot[j] != WATCH_DELETED)
        j = (j + 1) & w->mask;
    if (w->slot[j] == WATCH_EMPTY)
        w->used++;
    w->slot[j] = page;
    w->live++;
}

/* Removes page from the set and gives it back the protection its VMA asks for. */
static void unwatch(UserProcess *p, uint64_t page)
{
    uint64_t *s = watch_lookup(g_watch, page);
    if (!s)
        return;
    *s = WATCH_DELETED;
    g_watch->live--;
    const UserVma *v = user_vma_find(&p->vmas, page);
    mem_user_protect(&p->mem, page, MEM_PAGE_SIZE, v ? v->prot : 0);
}

/* Unwatches every watched page in [addr, addr+len); with invalidate, drops their blocks. */
static void unwatch_range(UserProcess *p, uint64_t addr, uint64_t len, bool invalidate)
{
    WatchSet *w = g_watch;
    if (!w || w->live == 0 || len == 0)
        return;
    uint64_t first = addr & MEM_PAGE_MASK, end = addr + len;
    if (end < addr)
        end = UINT64_MAX;
    uint64_t pages = (end - first + MEM_PAGE_SIZE - 1) >> MEM_PAGE_SHIFT;
    if (pages <= w->mask + 1) {
        for (uint64_t pg = first; pg < end && pg >= first; pg += MEM_PAGE_SIZE) {
            if (watch_lookup(g_watch, pg)) {
                if (invalidate && p->cpu)
                    interp_invalidate_range(p->cpu, pg, MEM_PAGE_SIZE);
                unwatch(p, pg);
            }
        }
        return;
    }
    /* A big range: scan the set instead (invalidation only ever deletes from it). */
    for (size_t i = 0; i <= g_watch->mask; i++) {
        uint64_t pg = g_watch->slot[i];
        if (pg == WATCH_EMPTY || pg == WATCH_DELETED || pg < first || pg >= end)
            continue;
        if (invalidate && p->cpu)
            interp_invalidate_range(p->cpu, pg, MEM_PAGE_SIZE);
        unwatch(p, pg);
    }
}

void user_code_changed(UserProcess *p, uint64_t addr, uint64_t len)
{
    if (p->cpu)
        interp_invalidate_range(p->cpu, addr, len);
    unwatch_range(p, addr, len, false);
}

void user_prepare_write(UserProcess *p, uint64_t addr, uint64_t len)
{
    unwatch_range(p, addr, len, true);
}

/* ---- interpreter hooks ---- */

static bool hook_page_executable(void *opaque, uint64_t page)
{
    const UserVma *v = user_vma_find(&((UserProcess *)opaque)->vmas, page);
    return v && (v->prot & MEM_PROT_EXEC);
}

static void hook_watch(void *opaque, uint64_t page)
{
    UserProcess *p = opaque;
    page &= MEM_PAGE_MASK;
    const UserVma *v = user_vma_find(&p->vmas, page);
    if (!v || !(v->prot & MEM_PROT_WRITE) || watch_lookup(g_watch, page))
        return;
    watch_insert(page);
    mem_user_protect(&p->mem, page, MEM_PAGE_SIZE, v->prot & ~MEM_PROT_WRITE);
}

static void hook_unwatch(void *opaque, uint64_t page)
{
    unwatch(opaque, page & MEM_PAGE_MASK);
}

void user_signal_hooks(UserProcess *p, InterpHooks *hooks)
{
    *hooks = (InterpHooks){
        .opaque = p,
        .page_executable = hook_page_executable,
        .watch_code_page = hook_watch,
        .unwatch_code_page = hook_unwatch,
    };
}

/* ---- the host fault handler ---- */

static bool fault_was_write(const void *ucontext)
{
#if defined(__x86_64__)
    const ucontext_t *uc = ucontext;
    return (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;   /* page-fault error code: W */
#else
    (void)ucontext;
    return false;
#endif
}

static uintptr_t fault_host_pc(const void *ucontext)
{
#if defined(__x86_64__)
    const ucontext_t *uc = ucontext;
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
    (void)ucontext;
    return 0;
#endif
}

static uint32_t fault_host_mxcsr(const void *ucontext)
{
#if defined(__x86_64__)
    const ucontext_t *uc = ucontext;
    return uc->uc_mcontext.fpregs ? uc->uc_mcontext.fpregs->mxcsr : 0;
#else
    (void)ucontext;
    return 0;
#endif
}

static volatile uint64_t g_bus_addr = UINT64_MAX;

int user_fault_signal(uint64_t addr)
{
    return g_bus_addr == addr ? SIGBUS : SIGSEGV;
}

static void host_fault(int sig, siginfo_t *si, void *ucontext)
{
    UserProcess *p = g_proc;
    uint64_t g = p ? mem_user_guest_addr(&p->mem, si->si_addr) : UINT64_MAX;
    if (g != UINT64_MAX) {
        uint64_t page = g & MEM_PAGE_MASK;
        uint64_t *s = watch_lookup(g_watch, page);
        /* A watched page is readable, so a fault on it is a store. */
        if (s && sig == SIGSEGV) {
            *s = WATCH_DELETED;
            g_watch->live--;
            mem_user_protect(&p->mem, page, MEM_PAGE_SIZE, MEM_PROT_READ | MEM_PROT_WRITE);
            if (p->cpu)
                interp_code_written(p->cpu, page);
            return;
        }
        if (p->cpu && interp_is_running(p->cpu)) {
            g_bus_addr = sig == SIGBUS ? g : UINT64_MAX;   /* a file mapping past EOF */
            interp_host_fault(p->cpu, fault_was_write(ucontext) ? INTERP_EXIT_STORE_FAULT
                                                                : INTERP_EXIT_LOAD_FAULT, g,
                              fault_host_pc(ucontext), fault_host_mxcsr(ucontext));
        }
    }
    /* Not the guest's: a tiercel bug. Fault again with the default action (core). */
    signal(sig, SIG_DFL);
}

int user_signal_init(UserProcess *p)
{
    g_proc = p;
    size_t size = 64 << 10;
    stack_t ss = { .ss_sp = malloc(size), .ss_size = size, .ss_flags = 0 };
    if (!ss.ss_sp || sigaltstack(&ss, NULL) < 0)
        return -errno;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = host_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) < 0 || sigaction(SIGBUS, &sa, NULL) < 0)
        return -errno;
    return 0;
}

/* ---- guest signals ---- */

static const char *const sig_names[32] = {
    [1] = "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

const char *user_signal_name(int sig)
{
    static char buf[16];
    if (sig > 0 && sig < 32)
        return sig_names[sig];
    snprintf(buf, sizeof buf, sig >= 32 && sig <= 64 ? "SIGRT%d" : "signal %d",
             sig >= 32 && sig <= 64 ? sig - 32 : sig);
    return buf;
}

_Noreturn void user_guest_killed(UserProcess *p, int sig, const char *what)
{
    fflush(stdout);
    fprintf(stderr, USER_NAME ": guest killed by %s%s%s\n", user_signal_name(sig),
            what && *what ? " " : "", what ? what : "");
    user_exit(p, 128 + sig);
}

#define SIGBIT(s) ((uint64_t)1 << ((s) - 1))
enum { G_SIG_DFL = 0, G_SIG_IGN = 1, G_MINSIGSTKSZ = 2048, G_SS_ONSTACK = 1, G_SS_DISABLE = 2,
       G_SS_AUTODISARM = 1u << 31 };

static bool default_ignores(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* What a signal does to the guest now: its default action, or nothing. */
static void take_signal(UserProcess *p, int sig)
{
    uint64_t h = p->sigact[sig].handler;
    if (sig != SIGKILL && sig != SIGSTOP) {
        if (h == G_SIG_IGN || (h == G_SIG_DFL && default_ignores(sig)))
            return;
        if (h != G_SIG_DFL) {
            static uint64_t warned;
            if (!(warned & SIGBIT(sig)))
                fprintf(stderr, USER_NAME ": cannot run the guest's %s handler yet: "
                        "taking the default action\n", user_signal_name(sig));
            warned |= SIGBIT(sig);
            if (default_ignores(sig))
                return;
        }
    }
    if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
        kill(getpid(), SIGSTOP);   /* stop the whole emulator; SIGCONT resumes it */
        return;
    }
    user_guest_killed(p, sig, NULL);
}

static void deliver_pending(UserProcess *p)
{
    uint64_t ready = p->sigpending & ~p->sigmask;
    for (int sig = 1; sig <= 64 && ready; sig++) {
        if (ready & SIGBIT(sig)) {
            p->sigpending &= ~SIGBIT(sig);
            ready &= ~SIGBIT(sig);
            take_signal(p, sig);
        }
    }
}

int64_t user_raise(UserProcess *p, int sig)
{
    if (sig == 0)
        return 0;
    if (sig < 0 || sig > 64)
        return -EINVAL;
    if ((p->sigmask & SIGBIT(sig)) && sig != SIGKILL && sig != SIGSTOP) {
        p->sigpending |= SIGBIT(sig);
        return 0;
    }
    take_signal(p, sig);
    return 0;
}

int64_t user_sys_rt_sigaction(UserProcess *p, int sig, uint64_t act, uint64_t oact, uint64_t size)
{
    if (size != 8 || sig < 1 || sig > 64)
        return -EINVAL;
    if (act && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    UserSigAction old = p->sigact[sig], new;
    if (act) {
        uint64_t raw[3];
        if (user_copy_from(p, raw, act, sizeof raw) < 0)
            return -EFAULT;
        new = (UserSigAction){ .handler = raw[0], .flags = raw[1],
                               .mask = raw[2] & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP)) };
    }
    if (oact) {
        uint64_t raw[3] = { old.handler, old.flags, old.mask };
        if (user_copy_to(p, oact, raw, sizeof raw) < 0)
            return -EFAULT;
    }
    if (act) {
        p->sigact[sig] = new;
        /* Ignoring SIGPIPE and the like must reach the host, so that write returns EPIPE. */
        if (sig != SIGSEGV && sig != SIGBUS && sig < 32) {
            if (new.handler == G_SIG_IGN)
                signal(sig, SIG_IGN);
            else if (new.handler == G_SIG_DFL)
                signal(sig, SIG_DFL);
        }
        if (new.handler == G_SIG_IGN || (new.handler == G_SIG_DFL && default_ignores(sig)))
            p->sigpending &= ~SIGBIT(sig);
    }
    return 0;
}

int64_t user_sys_rt_sigprocmask(UserProcess *p, int how, uint64_t set, uint64_t oset, uint64_t size)
{
    if (size != 8)
        return -EINVAL;
    uint64_t old = p->sigmask, new = old;
    if (set) {
        uint64_t s;
        if (user_copy_from(p, &s, set, 8) < 0)
            return -EFAULT;
        switch (how) {
        case 0: new = old | s; break;      /* SIG_BLOCK */
        case 1: new = old & ~s; break;     /* SIG_UNBLOCK */
        case 2: new = s; break;            /* SIG_SETMASK */
        default: return -EINVAL;
        }
        new &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
    }
    if (oset && user_copy_to(p, oset, &old, 8) < 0)
        return -EFAULT;
    p->sigmask = new;
    deliver_pending(p);
    return 0;
}

int64_t user_sys_rt_sigpending(UserProcess *p, uint64_t set, uint64_t size)
{
    if (size > 8)
        return -EINVAL;
    uint64_t s = p->sigpending & p->sigmask;
    return user_copy_to(p, set, &s, size) < 0 ? -EFAULT : 0;
}

int64_t user_sys_sigaltstack(UserProcess *p, uint64_t ss, uint64_t oss)
{
    if (oss) {
        struct { uint64_t sp; int32_t flags, pad; uint64_t size; } o = {
            .sp = p->altstack_sp, .size = p->altstack_size,
            .flags = p->altstack_size ? p->altstack_flags : G_SS_DISABLE,
        };
        if (user_copy_to(p, oss, &o, sizeof o) < 0)
            return -EFAULT;
    }
    if (ss) {
        struct { uint64_t sp; int32_t flags, pad; uint64_t size; } n;
        if (user_copy_from(p, &n, ss, sizeof n) < 0)
            return -EFAULT;
        uint32_t mode = (uint32_t)n.flags & ~G_SS_AUTODISARM;
        if (mode != 0 && mode != G_SS_DISABLE && mode != G_SS_ONSTACK)
            return -EINVAL;
        if (mode == G_SS_DISABLE) {
            p->altstack_sp = p->altstack_size = 0;
            p->altstack_flags = 0;
        } else {
            if (n.size < G_MINSIGSTKSZ)
                return -ENOMEM;
            p->altstack_sp = n.sp;
            p->altstack_size = n.size;
            p->altstack_flags = n.flags & (int32_t)G_SS_AUTODISARM;
        }
    }
    return 0;
}
