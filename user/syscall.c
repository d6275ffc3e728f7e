/*
** syscall.c — the riscv64 Linux system calls, on the host's. riscv64 uses the
** asm-generic numbers and structures; most match x86-64 and pass through after every
** guest pointer is checked against the guest space (struct stat does not match and is
** translated). Errors come back as -errno: x86-64 and asm-generic share the errno
** values, so host errno needs no table. A guest pointer 0 becomes a host NULL, which
** the host kernel treats as Linux would; a pointer into an unmapped part of the guest
** space reaches the host kernel, which returns EFAULT for it.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "interp.h"
#include "user.h"

/* The riscv64 (asm-generic) numbers used here. */
enum {
    NR_getcwd = 17, NR_dup = 23, NR_dup3 = 24, NR_fcntl = 25, NR_ioctl = 29, NR_flock = 32,
    NR_mknodat = 33, NR_mkdirat = 34, NR_unlinkat = 35, NR_symlinkat = 36, NR_linkat = 37,
    NR_statfs = 43, NR_fstatfs = 44, NR_truncate = 45, NR_ftruncate = 46, NR_faccessat = 48,
    NR_chdir = 49, NR_fchdir = 50, NR_fchmod = 52, NR_fchmodat = 53, NR_fchownat = 54,
    NR_fchown = 55, NR_openat = 56, NR_close = 57, NR_pipe2 = 59, NR_getdents64 = 61,
    NR_lseek = 62, NR_read = 63, NR_write = 64, NR_readv = 65, NR_writev = 66,
    NR_pread64 = 67, NR_pwrite64 = 68, NR_preadv = 69, NR_pwritev = 70, NR_sendfile = 71,
    NR_pselect6 = 72, NR_ppoll = 73, NR_readlinkat = 78, NR_newfstatat = 79, NR_fstat = 80,
    NR_sync = 81, NR_fsync = 82, NR_fdatasync = 83, NR_utimensat = 88, NR_personality = 92,
    NR_exit = 93, NR_exit_group = 94, NR_futex = 98, NR_set_tid_address = 96,
    NR_set_robust_list = 99, NR_get_robust_list = 100, NR_nanosleep = 101,
    NR_getitimer = 102, NR_setitimer = 103, NR_clock_gettime = 113, NR_clock_getres = 114,
    NR_clock_nanosleep = 115, NR_sched_setaffinity = 122, NR_sched_getaffinity = 123,
    NR_sched_yield = 124, NR_kill = 129, NR_tkill = 130, NR_tgkill = 131,
    NR_sigaltstack = 132, NR_rt_sigaction = 134, NR_rt_sigprocmask = 135,
    NR_rt_sigpending = 136, NR_setpriority = 140, NR_getpriority = 141, NR_getresuid = 148,
    NR_getresgid = 150, NR_times = 153, NR_setpgid = 154, NR_getpgid = 155, NR_getsid = 156,
    NR_setsid = 157, NR_getgroups = 158, NR_uname = 160, NR_getrusage = 165, NR_umask = 166,
    NR_prctl = 167, NR_gettimeofday = 169, NR_getpid = 172, NR_getppid = 173,
    NR_getuid = 174, NR_geteuid = 175, NR_getgid = 176, NR_getegid = 177, NR_gettid = 178,
    NR_sysinfo = 179, NR_brk = 214, NR_munmap = 215, NR_mremap = 216, NR_mmap = 222,
    NR_mprotect = 226, NR_msync = 227, NR_mincore = 232, NR_madvise = 233,
    NR_riscv_hwprobe = 258, NR_riscv_flush_icache = 259, NR_prlimit64 = 261,
    NR_renameat2 = 276, NR_getrandom = 278, NR_memfd_create = 279,
    NR_copy_file_range = 285, NR_statx = 291, NR_rseq = 293, NR_close_range = 436,
    NR_faccessat2 = 439,
};

#define TRY(x)                       \
    do {                             \
        int64_t r_ = (x);            \
        if (r_ < 0)                  \
            return r_;               \
    } while (0)

/* A libc call's result as the guest sees it. */
static int64_t host(long r)
{
    return r == -1 ? -errno : r;
}

/* ---- guest memory ---- */

/* Host pointer for the guest buffer [a, a+len) that the host kernel will read or, with
   write, fill. Guest 0 stays NULL. */
static int64_t gbuf(UserProcess *p, uint64_t a, uint64_t len, bool write, void **out)
{
    *out = NULL;
    if (a == 0)
        return 0;
    if (!mem_user_in_range(&p->mem, a, len))
        return -EFAULT;
    if (write && len)
        user_prepare_write(p, a, len);
    *out = mem_user_host(&p->mem, a);
    return 0;
}

static bool vma_allows(UserProcess *p, uint64_t a, uint64_t len, bool write)
{
    if (!mem_user_in_range(&p->mem, a, len))
        return false;
    for (uint64_t at = a, end = a + len; at < end;) {
        const UserVma *v = user_vma_find(&p->vmas, at);
        int need = write ? MEM_PROT_WRITE : MEM_PROT_READ | MEM_PROT_EXEC;
        if (!v || !(v->prot & need))
            return false;
        at = v->end;
    }
    return true;
}

int user_copy_from(UserProcess *p, void *dst, uint64_t src, size_t len)
{
    if (!vma_allows(p, src, len, false))
        return -EFAULT;
    memcpy(dst, mem_user_host(&p->mem, src), len);
    return 0;
}

int user_copy_to(UserProcess *p, uint64_t dst, const void *src, size_t len)
{
    if (!vma_allows(p, dst, len, true))
        return -EFAULT;
    user_prepare_write(p, dst, len);
    memcpy(mem_user_host(&p->mem, dst), src, len);
    return 0;
}

/* A guest C string (a path): readable and NUL-terminated within PATH_MAX. */
static int64_t gstr(UserProcess *p, uint64_t a, const char **out)
{
    uint64_t at = a;
    while (at - a < PATH_MAX) {
        const UserVma *v = at < p->mem.size ? user_vma_find(&p->vmas, at) : NULL;
        if (!v || !(v->prot & (MEM_PROT_READ | MEM_PROT_EXEC)))
            return -EFAULT;
        uint64_t n = v->end - at;
        if (n > PATH_MAX - (at - a))
            n = PATH_MAX - (at - a);
        if (memchr(mem_user_host(&p->mem, at), 0, n)) {
            *out = mem_user_host(&p->mem, a);
            return 0;
        }
        at += n;
    }
    return -ENAMETOOLONG;
}

/* /proc/self/exe is the guest program, not tiercel. */
static bool is_self_exe(const char *path)
{
    char mine[32];
    snprintf(mine, sizeof mine, "/proc/%d/exe", (int)getpid());
    return strcmp(path, "/proc/self/exe") == 0 || strcmp(path, mine) == 0 ||
           strcmp(path, "/proc/thread-self/exe") == 0;
}

static int64_t gpath(UserProcess *p, uint64_t a, const char **out)
{
    TRY(gstr(p, a, out));
    if (p->exe_real && is_self_exe(*out))
        *out = p->exe_real;
    return 0;
}

/* ---- files ---- */

#define SYS(name) static int64_t sys_##name(UserProcess *p, const uint64_t *a)
#define UNUSED_P (void)p

SYS(read)
{
    void *b;
    TRY(gbuf(p, a[1], a[2], true, &b));
    return host(read((int)a[0], b, a[2]));
}

SYS(write)
{
    void *b;
    TRY(gbuf(p, a[1], a[2], false, &b));
    return host(write((int)a[0], b, a[2]));
}

SYS(pread64)
{
    void *b;
    TRY(gbuf(p, a[1], a[2], true, &b));
    return host(pread((int)a[0], b, a[2], (off_t)a[3]));
}

SYS(pwrite64)
{
    void *b;
    TRY(gbuf(p, a[1], a[2], false, &b));
    return host(pwrite((int)a[0], b, a[2], (off_t)a[3]));
}

/* Reads a guest iovec array into host iovecs. Returns the count or -errno. */
static int64_t get_iov(UserProcess *p, uint64_t ga, uint64_t cnt, bool write, struct iovec **out)
{
    *out = NULL;
    if (cnt > IOV_MAX)
        return -EINVAL;
    if (cnt == 0)
        return 0;
    uint64_t (*g)[2] = malloc(cnt * 16);
    struct iovec *v = malloc(cnt * sizeof *v);
    int64_t r = (int64_t)cnt;
    if (!g || !v)
        r = -ENOMEM;
    else if (user_copy_from(p, g, ga, cnt * 16) < 0)
        r = -EFAULT;
    for (uint64_t i = 0; r > 0 && i < cnt; i++) {
        if (g[i][1] > SSIZE_MAX)
            r = -EINVAL;
        else if (gbuf(p, g[i][0], g[i][1], write, &v[i].iov_base) < 0)
            r = -EFAULT;
        v[i].iov_len = g[i][1];
    }
    free(g);
    if (r < 0)
        free(v);
    else
        *out = v;
    return r;
}

static int64_t rw_vec(UserProcess *p, const uint64_t *a, bool write, bool at)
{
    struct iovec *v;
    int64_t n = get_iov(p, a[1], a[2], !write, &v);
    if (n < 0)
        return n;
    int64_t r;
    if (at)
        r = host(write ? pwritev((int)a[0], v, (int)n, (off_t)a[3])
                       : preadv((int)a[0], v, (int)n, (off_t)a[3]));
    else
        r = host(write ? writev((int)a[0], v, (int)n) : readv((int)a[0], v, (int)n));
    free(v);
    return r;
}

SYS(readv) { return rw_vec(p, a, false, false); }
SYS(writev) { return rw_vec(p, a, true, false); }
SYS(preadv) { return rw_vec(p, a, false, true); }
SYS(pwritev) { return rw_vec(p, a, true, true); }

SYS(openat)
{
    const char *path;
    TRY(gpath(p, a[1], &path));
    return host(openat((int)a[0], path, (int)a[2], (mode_t)a[3]));
}

SYS(close) { UNUSED_P; return host(close((int)a[0])); }
SYS(lseek) { UNUSED_P; return host(lseek((int)a[0], (off_t)a[1], (int)a[2])); }
SYS(dup) { UNUSED_P; return host(dup((int)a[0])); }
SYS(dup3) { UNUSED_P; return host(dup3((int)a[0], (int)a[1], (int)a[2])); }
SYS(fsync) { UNUSED_P; return host(fsync((int)a[0])); }
SYS(fdatasync) { UNUSED_P; return host(fdatasync((int)a[0])); }
SYS(sync) { UNUSED_P; (void)a; sync(); return 0; }
SYS(ftruncate) { UNUSED_P; return host(ftruncate((int)a[0], (off_t)a[1])); }
SYS(fchmod) { UNUSED_P; return host(fchmod((int)a[0], (mode_t)a[1])); }
SYS(fchown) { UNUSED_P; return host(fchown((int)a[0], (uid_t)a[1], (gid_t)a[2])); }
SYS(fchdir) { UNUSED_P; return host(fchdir((int)a[0])); }
SYS(flock) { UNUSED_P; return host(flock((int)a[0], (int)a[1])); }
SYS(umask) { UNUSED_P; return umask((mode_t)a[0]); }
SYS(close_range) { UNUSED_P; return host(syscall(SYS_close_range, a[0], a[1], a[2])); }

SYS(pipe2)
{
    int fds[2];
    if (pipe2(fds, (int)a[1]) < 0)
        return -errno;
    if (user_copy_to(p, a[0], fds, sizeof fds) < 0) {
        close(fds[0]);
        close(fds[1]);
        return -EFAULT;
    }
    return 0;
}

/* asm-generic's struct stat (riscv64): not x86-64's layout. */
typedef struct GuestStat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
    int32_t blksize, pad2;
    int64_t blocks;
    int64_t atime;
    uint64_t atime_ns;
    int64_t mtime;
    uint64_t mtime_ns;
    int64_t ctime;
    uint64_t ctime_ns;
    uint32_t unused4, unused5;
} GuestStat;
_Static_assert(sizeof(GuestStat) == 128, "asm-generic struct stat is 128 bytes");

static int64_t put_stat(UserProcess *p, uint64_t ga, const struct stat *st)
{
    GuestStat g = {
        .dev = st->st_dev, .ino = st->st_ino, .mode = st->st_mode,
        .nlink = (uint32_t)st->st_nlink, .uid = st->st_uid, .gid = st->st_gid,
        .rdev = st->st_rdev, .size = st->st_size, .blksize = (int32_t)st->st_blksize,
        .blocks = st->st_blocks,
        .atime = st->st_atim.tv_sec, .atime_ns = (uint64_t)st->st_atim.tv_nsec,
        .mtime = st->st_mtim.tv_sec, .mtime_ns = (uint64_t)st->st_mtim.tv_nsec,
        .ctime = st->st_ctim.tv_sec, .ctime_ns = (uint64_t)st->st_ctim.tv_nsec,
    };
    return user_copy_to(p, ga, &g, sizeof g);
}

SYS(fstat)
{
    struct stat st;
    if (fstat((int)a[0], &st) < 0)
        return -errno;
    return put_stat(p, a[1], &st);
}

SYS(newfstatat)
{
    const char *path;
    struct stat st;
    TRY(gpath(p, a[1], &path));
    if (fstatat((int)a[0], path, &st, (int)a[3]) < 0)
        return -errno;
    return put_stat(p, a[2], &st);
}

SYS(statx)
{
    const char *path;
    void *b;
    TRY(gpath(p, a[1], &path));
    TRY(gbuf(p, a[4], 256, true, &b));
    return host(syscall(SYS_statx, (int)a[0], path, (int)a[2], (unsigned)a[3], b));
}

SYS(statfs)
{
    const char *path;
    void *b;
    TRY(gpath(p, a[0], &path));
    TRY(gbuf(p, a[1], 120, true, &b));   /* asm-generic statfs = x86-64's on 64-bit */
    return host(syscall(SYS_statfs, path, b));
}

SYS(fstatfs)
{
    void *b;
    TRY(gbuf(p, a[1], 120, true, &b));
    return host(syscall(SYS_fstatfs, (int)a[0], b));
}

SYS(getdents64)
{
    void *b;
    TRY(gbuf(p, a[1], a[2], true, &b));
    return host(syscall(SYS_getdents64, (int)a[0], b, (unsigned)a[2]));
}

SYS(ioctl)
{
    /* Terminal requests whose structures asm-generic and x86-64 share. */
    unsigned req = (unsigned)a[1];
    uint64_t size;
    bool out;
    switch (req) {
    case 0x5401: size = 36, out = true; break;    /* TCGETS: struct termios */
    case 0x5402: case 0x5403: case 0x5404:        /* TCSETS, TCSETSW, TCSETSF */
        size = 36, out = false; break;
    case 0x5413: size = 8, out = true; break;     /* TIOCGWINSZ */
    case 0x5414: size = 8, out = false; break;    /* TIOCSWINSZ */
    case 0x540f: size = 4, out = true; break;     /* TIOCGPGRP */
    case 0x5410: size = 4, out = false; break;    /* TIOCSPGRP */
    case 0x541b: size = 4, out = true; break;     /* FIONREAD */
    case 0x5421: size = 4, out = false; break;    /* FIONBIO */
    case 0x5450: case 0x5451:                     /* FIONCLEX, FIOCLEX */
        return host(ioctl((int)a[0], req));
    case 0x540b:                                  /* TCFLSH: an integer */
        return host(ioctl((int)a[0], req, (int)a[2]));
    default:
        return -ENOTTY;
    }
    void *b;
    TRY(gbuf(p, a[2], size, out, &b));
    return host(ioctl((int)a[0], req, b));
}

SYS(fcntl)
{
    int cmd = (int)a[1];
    switch (cmd) {
    case F_DUPFD: case F_GETFD: case F_SETFD: case F_GETFL: case F_SETFL: case F_SETOWN:
    case F_GETOWN: case F_DUPFD_CLOEXEC: case F_SETPIPE_SZ: case F_GETPIPE_SZ:
    case F_ADD_SEALS: case F_GET_SEALS:
        return host(fcntl((int)a[0], cmd, (long)a[2]));
    case F_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_GETLK: case F_OFD_SETLK:
    case F_OFD_SETLKW: {
        void *b;   /* struct flock: 32 bytes, the same on both */
        TRY(gbuf(p, a[2], 32, cmd == F_GETLK || cmd == F_OFD_GETLK, &b));
        return host(fcntl((int)a[0], cmd, b));
    }
    default:
        return -EINVAL;
    }
}

SYS(faccessat)
{
    const char *path;
    TRY(gpath(p, a[1], &path));
    return host(syscall(SYS_faccessat, (int)a[0], path, (int)a[2]));
}

SYS(faccessat2)
{
    const char *path;
    TRY(gpath(p, a[1], &path));
    return host(syscall(SYS_faccessat2, (int)a[0], path, (int)a[2], (int)a[3]));
}

SYS(readlinkat)
{
    const char *path;
    void *b;
    TRY(gstr(p, a[1], &path));
    if ((int)a[3] <= 0)
        return -EINVAL;
    TRY(gbuf(p, a[2], (uint64_t)(int)a[3], true, &b));
    if (p->exe_real && is_self_exe(path)) {
        size_t n = strlen(p->exe_real);
        if (n > (size_t)(int)a[3])
            n = (size_t)(int)a[3];
        return user_copy_to(p, a[2], p->exe_real, n) < 0 ? -EFAULT : (int64_t)n;
    }
    return host(readlinkat((int)a[0], path, b, (size_t)(int)a[3]));
}

SYS(getcwd)
{
    void *b;
    TRY(gbuf(p, a[0], a[1], true, &b));
    return host(syscall(SYS_getcwd, b, a[1]));
}

SYS(chdir)
{
    const char *path;
    TRY(gstr(p, a[0], &path));
    return host(chdir(path));
}

SYS(mkdirat)
{
    const char *path;
    TRY(gstr(p, a[1], &path));
    return host(mkdirat((int)a[0], path, (mode_t)a[2]));
}

SYS(mknodat)
{
    const char *path;
    TRY(gstr(p, a[1], &path));
    return host(mknodat((int)a[0], path, (mode_t)a[2], (dev_t)a[3]));
}

SYS(unlinkat)
{
    const char *path;
    TRY(gstr(p, a[1], &path));
    return host(unlinkat((int)a[0], path, (int)a[2]));
}

SYS(renameat2)
{
    const char *from, *to;
    TRY(gstr(p, a[1], &from));
    TRY(gstr(p, a[3], &to));
    return host(syscall(SYS_renameat2, (int)a[0], from, (int)a[2], to, (unsigned)a[4]));
}

SYS(linkat)
{
    const char *from, *to;
    TRY(gstr(p, a[1], &from));
    TRY(gstr(p, a[3], &to));
    return host(linkat((int)a[0], from, (int)a[2], to, (int)a[4]));
}

SYS(symlinkat)
{
    const char *target, *path;
    TRY(gstr(p, a[0], &target));
    TRY(gstr(p, a[2], &path));
    return host(symlinkat(target, (int)a[1], path));
}

SYS(truncate)
{
    const char *path;
    TRY(gstr(p, a[0], &path));
    return host(truncate(path, (off_t)a[1]));
}

SYS(fchmodat)
{
    const char *path;
    TRY(gstr(p, a[1], &path));
    return host(syscall(SYS_fchmodat, (int)a[0], path, (mode_t)a[2]));
}

SYS(fchownat)
{
    const char *path;
    TRY(gstr(p, a[1], &path));
    return host(fchownat((int)a[0], path, (uid_t)a[2], (gid_t)a[3], (int)a[4]));
}

SYS(utimensat)
{
    const char *path = NULL;
    void *t;
    if (a[1])
        TRY(gstr(p, a[1], &path));
    TRY(gbuf(p, a[2], 32, false, &t));
    return host(syscall(SYS_utimensat, (int)a[0], path, t, (int)a[3]));
}

SYS(sendfile)
{
    void *off;
    TRY(gbuf(p, a[2], 8, true, &off));
    return host(syscall(SYS_sendfile, (int)a[0], (int)a[1], off, a[3]));
}

SYS(copy_file_range)
{
    void *in, *out;
    TRY(gbuf(p, a[1], 8, true, &in));
    TRY(gbuf(p, a[3], 8, true, &out));
    return host(syscall(SYS_copy_file_range, (int)a[0], in, (int)a[2], out, a[4], (unsigned)a[5]));
}

SYS(memfd_create)
{
    const char *name;
    TRY(gstr(p, a[0], &name));
    return host(syscall(SYS_memfd_create, name, (unsigned)a[1]));
}

SYS(ppoll)
{
    void *fds, *tmo;
    if (a[1] > (uint64_t)INT_MAX / 8)
        return -EINVAL;
    TRY(gbuf(p, a[0], a[1] * 8, true, &fds));
    TRY(gbuf(p, a[2], 16, true, &tmo));
    /* The guest's signal mask only matters once signals are delivered. */
    return host(syscall(SYS_ppoll, fds, a[1], tmo, NULL, 8));
}

SYS(pselect6)
{
    if ((int64_t)a[0] < 0 || a[0] > 65536)
        return -EINVAL;
    uint64_t bytes = (a[0] + 63) / 64 * 8;
    void *in, *out, *ex, *tmo;
    TRY(gbuf(p, a[1], bytes, true, &in));
    TRY(gbuf(p, a[2], bytes, true, &out));
    TRY(gbuf(p, a[3], bytes, true, &ex));
    TRY(gbuf(p, a[4], 16, true, &tmo));
    return host(syscall(SYS_pselect6, (int)a[0], in, out, ex, tmo, NULL));
}

/* ---- memory ---- */

SYS(brk) { return user_brk(p, a[0]); }
SYS(mmap) { return user_mmap(p, a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]); }
SYS(munmap) { return user_munmap(p, a[0], a[1]); }
SYS(mprotect) { return user_mprotect(p, a[0], a[1], (int)a[2]); }
SYS(mremap) { return user_mremap(p, a[0], a[1], a[2], (int)a[3], a[4]); }
SYS(madvise) { return user_madvise(p, a[0], a[1], (int)a[2]); }

SYS(msync)
{
    if (a[0] & (MEM_PAGE_SIZE - 1))
        return -EINVAL;
    if (!mem_user_in_range(&p->mem, a[0], a[1]))
        return -ENOMEM;
    return host(msync(mem_user_host(&p->mem, a[0]), a[1], (int)a[2]));
}

SYS(mincore)
{
    if (a[0] & (MEM_PAGE_SIZE - 1))
        return -EINVAL;
    if (!mem_user_in_range(&p->mem, a[0], a[1]))
        return -ENOMEM;
    uint64_t pages = (a[1] + MEM_PAGE_SIZE - 1) / MEM_PAGE_SIZE;
    void *v;
    TRY(gbuf(p, a[2], pages, true, &v));
    if (!user_vma_covered(&p->vmas, a[0], a[0] + pages * MEM_PAGE_SIZE, 0))
        return -ENOMEM;
    return host(mincore(mem_user_host(&p->mem, a[0]), a[1], v));
}

SYS(riscv_flush_icache)
{
    if (a[2] & ~(uint64_t)1)   /* SYS_RISCV_FLUSH_ICACHE_LOCAL is the only flag */
        return -EINVAL;
    if (p->cpu) {
        if (a[0] < a[1])
            interp_invalidate_range(p->cpu, a[0], a[1] - a[0]);
        else
            interp_flush(p->cpu);
    }
    return 0;
}

SYS(riscv_hwprobe)
{
    /* pairs of { int64 key; uint64 value }: what the base and IMA_EXT_0 keys say. */
    if (a[4] != 0)
        return -EINVAL;
    if (a[1] > 4096)
        return -EINVAL;
    for (uint64_t i = 0; i < a[1]; i++) {
        int64_t pair[2];
        TRY(user_copy_from(p, pair, a[0] + i * 16, 16));
        switch (pair[0]) {
        case 0: case 1: case 2: pair[1] = 0; break;   /* mvendorid marchid mimpid */
        case 3: pair[1] = 1; break;                   /* BASE_BEHAVIOR: IMA */
        case 4: pair[1] = 1 | 2; break;               /* IMA_EXT_0: FD, C */
        case 5: pair[1] = 0; break;                   /* CPUPERF_0: unknown */
        default: pair[0] = -1, pair[1] = 0; break;
        }
        TRY(user_copy_to(p, a[0] + i * 16, pair, 16));
    }
    return 0;
}

/* ---- time ---- */

SYS(clock_gettime)
{
    void *b;
    TRY(gbuf(p, a[1], 16, true, &b));
    return host(syscall(SYS_clock_gettime, (clockid_t)a[0], b));
}

SYS(clock_getres)
{
    void *b;
    TRY(gbuf(p, a[1], 16, true, &b));
    return host(syscall(SYS_clock_getres, (clockid_t)a[0], b));
}

SYS(gettimeofday)
{
    void *tv, *tz;
    TRY(gbuf(p, a[0], 16, true, &tv));
    TRY(gbuf(p, a[1], 8, true, &tz));
    return host(syscall(SYS_gettimeofday, tv, tz));
}

SYS(nanosleep)
{
    void *req, *rem;
    TRY(gbuf(p, a[0], 16, false, &req));
    TRY(gbuf(p, a[1], 16, true, &rem));
    return host(syscall(SYS_nanosleep, req, rem));
}

SYS(clock_nanosleep)
{
    void *req, *rem;
    TRY(gbuf(p, a[2], 16, false, &req));
    TRY(gbuf(p, a[3], 16, true, &rem));
    return host(syscall(SYS_clock_nanosleep, (clockid_t)a[0], (int)a[1], req, rem));
}

SYS(times)
{
    void *b;
    TRY(gbuf(p, a[0], 32, true, &b));
    return host(syscall(SYS_times, b));
}

SYS(getrusage)
{
    void *b;
    TRY(gbuf(p, a[1], 144, true, &b));
    return host(syscall(SYS_getrusage, (int)a[0], b));
}

SYS(sysinfo)
{
    void *b;
    TRY(gbuf(p, a[0], 112, true, &b));
    return host(syscall(SYS_sysinfo, b));
}

SYS(getitimer)
{
    void *b;
    TRY(gbuf(p, a[1], 32, true, &b));
    return host(syscall(SYS_getitimer, (int)a[0], b));
}

SYS(setitimer)
{
    void *n, *o;
    TRY(gbuf(p, a[1], 32, false, &n));
    TRY(gbuf(p, a[2], 32, true, &o));
    return host(syscall(SYS_setitimer, (int)a[0], n, o));
}

/* ---- process ---- */

SYS(getpid) { UNUSED_P; (void)a; return getpid(); }
SYS(getppid) { UNUSED_P; (void)a; return getppid(); }
SYS(gettid) { UNUSED_P; (void)a; return host(syscall(SYS_gettid)); }
SYS(getuid) { UNUSED_P; (void)a; return getuid(); }
SYS(geteuid) { UNUSED_P; (void)a; return geteuid(); }
SYS(getgid) { UNUSED_P; (void)a; return getgid(); }
SYS(getegid) { UNUSED_P; (void)a; return getegid(); }
SYS(getpgid) { UNUSED_P; return host(getpgid((pid_t)a[0])); }
SYS(setpgid) { UNUSED_P; return host(setpgid((pid_t)a[0], (pid_t)a[1])); }
SYS(getsid) { UNUSED_P; return host(getsid((pid_t)a[0])); }
SYS(setsid) { UNUSED_P; (void)a; return host(setsid()); }
SYS(sched_yield) { UNUSED_P; (void)a; return host(sched_yield()); }
SYS(getpriority) { UNUSED_P; return host(syscall(SYS_getpriority, (int)a[0], (id_t)a[1])); }
SYS(setpriority) { UNUSED_P; return host(setpriority((int)a[0], (id_t)a[1], (int)a[2])); }
SYS(personality) { UNUSED_P; (void)a; return 0; }   /* PER_LINUX, and it stays so */
SYS(rseq) { UNUSED_P; (void)a; return -ENOSYS; }    /* glibc runs without it */

static int64_t get_ids(UserProcess *p, const uint64_t *a, bool gid)
{
    uint32_t r, e, s;
    if (gid ? getresgid(&r, &e, &s) : getresuid(&r, &e, &s))
        return -errno;
    if (user_copy_to(p, a[0], &r, 4) || user_copy_to(p, a[1], &e, 4) || user_copy_to(p, a[2], &s, 4))
        return -EFAULT;
    return 0;
}

SYS(getresuid) { return get_ids(p, a, false); }
SYS(getresgid) { return get_ids(p, a, true); }

SYS(getgroups)
{
    if ((int)a[0] < 0 || (int)a[0] > 65536)   /* NGROUPS_MAX */
        return -EINVAL;
    void *b;
    TRY(gbuf(p, a[1], (uint64_t)(int)a[0] * 4, true, &b));
    return host(syscall(SYS_getgroups, (int)a[0], b));
}

SYS(prctl)
{
    enum { PR_SET_NAME_ = 15, PR_GET_NAME_ = 16 };
    if (a[0] == PR_SET_NAME_ || a[0] == PR_GET_NAME_) {
        void *b;
        TRY(gbuf(p, a[1], 16, a[0] == PR_GET_NAME_, &b));
        return host(syscall(SYS_prctl, (int)a[0], b, 0, 0, 0));
    }
    return -EINVAL;
}

SYS(set_tid_address)
{
    p->clear_child_tid = a[0];
    return host(syscall(SYS_gettid));
}

SYS(set_robust_list)
{
    if (a[1] != 24)   /* sizeof(struct robust_list_head) */
        return -EINVAL;
    p->robust_list = a[0];
    p->robust_len = a[1];
    return 0;
}

SYS(get_robust_list)
{
    if (a[0] != 0 && (pid_t)a[0] != getpid())
        return -ESRCH;
    uint64_t len = 24;
    if (user_copy_to(p, a[1], &p->robust_list, 8) || user_copy_to(p, a[2], &len, 8))
        return -EFAULT;
    return 0;
}

SYS(prlimit64)
{
    /* Address-space limits are the guest's own: the host's would count the reservation.
       The others are the host process's. */
    static struct rlimit guest[RLIMIT_NLIMITS];
    static bool guest_set[RLIMIT_NLIMITS];
    int res = (int)a[1];
    if (a[0] != 0 && (pid_t)a[0] != getpid())
        return -EPERM;
    if (res < 0 || res >= RLIMIT_NLIMITS)
        return -EINVAL;
    bool own = res == RLIMIT_AS || res == RLIMIT_DATA || res == RLIMIT_STACK;
    struct rlimit old, new;
    if (own && guest_set[res])
        old = guest[res];
    else if (getrlimit(res, &old) < 0)
        return -errno;
    if (a[2]) {
        TRY(user_copy_from(p, &new, a[2], sizeof new));
        if (new.rlim_cur > new.rlim_max)
            return -EINVAL;
    }
    if (a[3])
        TRY(user_copy_to(p, a[3], &old, sizeof old));
    if (a[2]) {
        if (own) {
            guest[res] = new;
            guest_set[res] = true;
        } else if (setrlimit(res, &new) < 0) {
            return -errno;
        }
    }
    return 0;
}

SYS(getrandom)
{
    void *b;
    TRY(gbuf(p, a[0], a[1], true, &b));
    return host(syscall(SYS_getrandom, b, a[1], (unsigned)a[2]));
}

SYS(sched_getaffinity)
{
    void *b;
    TRY(gbuf(p, a[2], a[1], true, &b));
    return host(syscall(SYS_sched_getaffinity, (pid_t)a[0], a[1], b));
}

SYS(sched_setaffinity)
{
    void *b;
    TRY(gbuf(p, a[2], a[1], false, &b));
    return host(syscall(SYS_sched_setaffinity, (pid_t)a[0], a[1], b));
}

SYS(uname)
{
    struct utsname u;   /* the same six 65-byte fields on both */
    if (uname(&u) < 0)
        return -errno;
    snprintf(u.machine, sizeof u.machine, "riscv64");
    return user_copy_to(p, a[0], &u, sizeof u) < 0 ? -EFAULT : 0;
}

SYS(futex)
{
    enum { WAIT = 0, WAKE = 1, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5, WAIT_BITSET = 9,
           WAKE_BITSET = 10 };
    int op = (int)a[1], cmd = op & 127;   /* less FUTEX_PRIVATE_FLAG and CLOCK_REALTIME */
    if (a[0] & 3)
        return -EINVAL;
    void *uaddr, *uaddr2 = NULL, *tmo = NULL;
    TRY(gbuf(p, a[0], 4, cmd == WAKE_OP, &uaddr));
    switch (cmd) {
    case WAIT: case WAIT_BITSET:
        /* One thread: the host futex returns EAGAIN when the value differs, else sleeps
           until the timeout, as Linux would. */
        TRY(gbuf(p, a[3], 16, false, &tmo));
        return host(syscall(SYS_futex, uaddr, op, (uint32_t)a[2], tmo, NULL, (uint32_t)a[5]));
    case WAKE: case WAKE_BITSET:
        return host(syscall(SYS_futex, uaddr, op, (uint32_t)a[2], NULL, NULL, (uint32_t)a[5]));
    case REQUEUE: case CMP_REQUEUE: case WAKE_OP:
        if (a[4] & 3)
            return -EINVAL;
        TRY(gbuf(p, a[4], 4, cmd == WAKE_OP, &uaddr2));
        return host(syscall(SYS_futex, uaddr, op, (uint32_t)a[2], (unsigned long)a[3], uaddr2,
                            (uint32_t)a[5]));
    default:
        return -ENOSYS;
    }
}

/* ---- signals ---- */

SYS(rt_sigaction) { return user_sys_rt_sigaction(p, (int)a[0], a[1], a[2], a[3]); }
SYS(rt_sigprocmask) { return user_sys_rt_sigprocmask(p, (int)a[0], a[1], a[2], a[3]); }
SYS(rt_sigpending) { return user_sys_rt_sigpending(p, a[0], a[1]); }
SYS(sigaltstack) { return user_sys_sigaltstack(p, a[0], a[1]); }

SYS(kill)
{
    pid_t pid = (pid_t)a[0];
    if (pid == getpid())
        return user_raise(p, (int)a[1]);
    return host(kill(pid, (int)a[1]));
}

SYS(tkill)
{
    if ((pid_t)a[0] == (pid_t)syscall(SYS_gettid))
        return user_raise(p, (int)a[1]);
    return host(syscall(SYS_tkill, (pid_t)a[0], (int)a[1]));
}

SYS(tgkill)
{
    if ((pid_t)a[0] == getpid() && (pid_t)a[1] == (pid_t)syscall(SYS_gettid))
        return user_raise(p, (int)a[2]);
    return host(syscall(SYS_tgkill, (pid_t)a[0], (pid_t)a[1], (int)a[2]));
}

SYS(exit) { user_exit(p, (int)(a[0] & 0xff)); }
SYS(exit_group) { user_exit(p, (int)(a[0] & 0xff)); }

/* ---- the table ---- */

typedef int64_t SysFn(UserProcess *p, const uint64_t *a);

typedef struct SysDef {
    SysFn *fn;
    /* -strace: one letter per argument. d int, u unsigned, x hex, o octal, p pointer,
       f dirfd, s string, b buffer of length the next argument, B buffer of length
       the result, S signal. */
    const char *args;
    char ret;   /* d decimal, x hex, n does not return */
} SysDef;

#define D(name, a, r) [NR_##name] = { sys_##name, a, r }

static const SysDef sys_table[USER_SYSCALL_COUNT] = {
    D(getcwd, "Bu", 'd'), D(dup, "d", 'd'), D(dup3, "ddx", 'd'), D(fcntl, "ddx", 'd'),
    D(ioctl, "dxp", 'd'), D(flock, "dd", 'd'), D(mknodat, "fsox", 'd'), D(mkdirat, "fso", 'd'),
    D(unlinkat, "fsx", 'd'), D(symlinkat, "sfs", 'd'), D(linkat, "fsfsx", 'd'),
    D(statfs, "sp", 'd'), D(fstatfs, "dp", 'd'), D(truncate, "sd", 'd'), D(ftruncate, "dd", 'd'),
    D(faccessat, "fso", 'd'), D(chdir, "s", 'd'), D(fchdir, "d", 'd'), D(fchmod, "do", 'd'),
    D(fchmodat, "fso", 'd'), D(fchownat, "fsddx", 'd'), D(fchown, "ddd", 'd'),
    D(openat, "fsxo", 'd'), D(close, "d", 'd'), D(pipe2, "px", 'd'), D(getdents64, "dpu", 'd'),
    D(lseek, "ddd", 'd'), D(read, "dBu", 'd'), D(write, "dbu", 'd'), D(readv, "dpu", 'd'),
    D(writev, "dpu", 'd'), D(pread64, "dBud", 'd'), D(pwrite64, "dbud", 'd'),
    D(preadv, "dpud", 'd'), D(pwritev, "dpud", 'd'), D(sendfile, "ddpu", 'd'),
    D(pselect6, "dppppp", 'd'), D(ppoll, "pupp", 'd'), D(readlinkat, "fsBu", 'd'),
    D(newfstatat, "fspx", 'd'), D(fstat, "dp", 'd'), D(sync, "", 'd'), D(fsync, "d", 'd'),
    D(fdatasync, "d", 'd'), D(utimensat, "fspx", 'd'), D(personality, "x", 'd'),
    D(exit, "d", 'n'), D(exit_group, "d", 'n'), D(futex, "pddppd", 'd'),
    D(set_tid_address, "p", 'd'), D(set_robust_list, "pu", 'd'),
    D(get_robust_list, "dpp", 'd'), D(nanosleep, "pp", 'd'), D(getitimer, "dp", 'd'),
    D(setitimer, "dpp", 'd'), D(clock_gettime, "dp", 'd'), D(clock_getres, "dp", 'd'),
    D(clock_nanosleep, "ddpp", 'd'), D(sched_setaffinity, "dup", 'd'),
    D(sched_getaffinity, "dup", 'd'), D(sched_yield, "", 'd'), D(kill, "dS", 'd'),
    D(tkill, "dS", 'd'), D(tgkill, "ddS", 'd'), D(sigaltstack, "pp", 'd'),
    D(rt_sigaction, "Sppu", 'd'), D(rt_sigprocmask, "dppu", 'd'), D(rt_sigpending, "pu", 'd'),
    D(setpriority, "ddd", 'd'), D(getpriority, "dd", 'd'), D(getresuid, "ppp", 'd'),
    D(getresgid, "ppp", 'd'), D(times, "p", 'd'), D(setpgid, "dd", 'd'), D(getpgid, "d", 'd'),
    D(getsid, "d", 'd'), D(setsid, "", 'd'), D(getgroups, "dp", 'd'), D(uname, "p", 'd'),
    D(getrusage, "dp", 'd'), D(umask, "o", 'o'), D(prctl, "dxxxx", 'd'),
    D(gettimeofday, "pp", 'd'), D(getpid, "", 'd'), D(getppid, "", 'd'), D(getuid, "", 'd'),
    D(geteuid, "", 'd'), D(getgid, "", 'd'), D(getegid, "", 'd'), D(gettid, "", 'd'),
    D(sysinfo, "p", 'd'), D(brk, "p", 'x'), D(munmap, "pu", 'd'), D(mremap, "puuxp", 'x'),
    D(mmap, "puxxdx", 'x'), D(mprotect, "pux", 'd'), D(msync, "pux", 'd'),
    D(mincore, "pup", 'd'), D(madvise, "pud", 'd'), D(riscv_hwprobe, "puupx", 'd'),
    D(riscv_flush_icache, "ppx", 'd'), D(prlimit64, "ddpp", 'd'), D(renameat2, "fsfsx", 'd'),
    D(getrandom, "pux", 'd'), D(memfd_create, "sx", 'd'), D(copy_file_range, "dpdpux", 'd'),
    D(statx, "fsxxp", 'd'), D(rseq, "puxx", 'd'), D(close_range, "ddx", 'd'),
    D(faccessat2, "fsox", 'd'),
};

/* ---- -strace ---- */

static void put_quoted(FILE *f, UserProcess *p, uint64_t addr, int64_t len)
{
    enum { SHOW = 32 };
    if (len < 0)
        len = 0;
    uint8_t buf[SHOW];
    size_t n = (size_t)(len < SHOW ? len : SHOW);
    if (user_copy_from(p, buf, addr, n) < 0) {
        fprintf(f, "0x%llx", (unsigned long long)addr);
        return;
    }
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = buf[i];
        if (c == '\n') fputs("\\n", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f) fputc(c, f);
        else fprintf(f, "\\%o", c);
    }
    fputc('"', f);
    if ((uint64_t)len > n)
        fputs("...", f);
}

static void strace_call(UserProcess *p, uint64_t nr, const uint64_t *a, const SysDef *d)
{
    FILE *f = stderr;
    const char *name = nr < USER_SYSCALL_COUNT && user_syscall_names[nr] ? user_syscall_names[nr]
                                                                         : NULL;
    fprintf(f, "%d ", (int)getpid());
    if (name)
        fprintf(f, "%s(", name);
    else
        fprintf(f, "syscall_%llu(", (unsigned long long)nr);
    const char *fmt = d && d->args ? d->args : "xxxxxx";
    for (int i = 0; fmt[i] && i < 6; i++) {
        if (i)
            fputs(", ", f);
        const char *s;
        switch (fmt[i]) {
        case 'd': fprintf(f, "%d", (int)a[i]); break;
        case 'u': fprintf(f, "%llu", (unsigned long long)a[i]); break;
        case 'o': fprintf(f, "0%llo", (unsigned long long)a[i]); break;
        case 'f':
            if ((int)a[i] == AT_FDCWD)
                fputs("AT_FDCWD", f);
            else
                fprintf(f, "%d", (int)a[i]);
            break;
        case 's':
            if (gstr(p, a[i], &s) == 0)
                fprintf(f, "\"%.*s%s\"", 200, s, strlen(s) > 200 ? "..." : "");
            else
                fprintf(f, "0x%llx", (unsigned long long)a[i]);
            break;
        case 'b': put_quoted(f, p, a[i], (int64_t)a[i + 1]); break;
        case 'S': fputs(user_signal_name((int)a[i]), f); break;
        case 'p':
            if (a[i] == 0) {
                fputs("NULL", f);
                break;
            }
            /* fall through */
        default: fprintf(f, "0x%llx", (unsigned long long)a[i]); break;
        }
    }
    fputc(')', f);
}

static void strace_result(UserProcess *p, const uint64_t *a, const SysDef *d, int64_t r)
{
    FILE *f = stderr;
    if (r < 0 && r >= -4095) {
        const char *en = strerrorname_np((int)-r);
        fprintf(f, " = -1 %s (%s)\n", en ? en : "E?", strerror((int)-r));
        return;
    }
    /* 'B' buffers are shown once the call has filled them. */
    const char *fmt = d && d->args ? d->args : "";
    for (int i = 0; fmt[i] && i < 6; i++)
        if (fmt[i] == 'B') {
            fputs(" [", f);
            put_quoted(f, p, a[i], r);
            fputc(']', f);
        }
    if (d && d->ret == 'x')
        fprintf(f, " = 0x%llx\n", (unsigned long long)r);
    else if (d && d->ret == 'o')
        fprintf(f, " = 0%llo\n", (unsigned long long)r);
    else
        fprintf(f, " = %lld\n", (long long)r);
}

/* ---- entry ---- */

static void report_unsupported(UserProcess *p, uint64_t nr)
{
    static uint8_t reported[USER_SYSCALL_COUNT / 8];
    bool first = true;
    if (nr < USER_SYSCALL_COUNT) {
        first = !(reported[nr / 8] & (1u << (nr % 8)));
        reported[nr / 8] |= (uint8_t)(1u << (nr % 8));
    }
    const char *name = nr < USER_SYSCALL_COUNT ? user_syscall_names[nr] : NULL;
    if (first) {
        if (name)
            fprintf(stderr, USER_NAME ": unsupported system call %s (%llu)\n", name,
                    (unsigned long long)nr);
        else
            fprintf(stderr, USER_NAME ": unknown system call %llu\n", (unsigned long long)nr);
    }
    if (p->cpu && (p->cpu->log_mask & INTERP_LOG_UNIMP) && p->cpu->log)
        fprintf(p->cpu->log, "unsupported system call %s (%llu)\n", name ? name : "?",
                (unsigned long long)nr);
}

int64_t user_syscall(UserProcess *p, uint64_t nr, const uint64_t a[6])
{
    const SysDef *d = nr < USER_SYSCALL_COUNT && sys_table[nr].fn ? &sys_table[nr] : NULL;
    if (!d) {
        report_unsupported(p, nr);
        if (p->strace) {
            strace_call(p, nr, a, d);
            strace_result(p, a, d, -ENOSYS);
        }
        return -ENOSYS;
    }
    if (p->strace && d->ret == 'n') {
        strace_call(p, nr, a, d);
        fputs(" = ?\n", stderr);
    }
    int64_t r = d->fn(p, a);
    if (p->strace) {
        strace_call(p, nr, a, d);
        strace_result(p, a, d, r);
    }
    return r;
}
