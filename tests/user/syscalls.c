/*
** syscalls.c — a static riscv64 program that exercises the system calls tiercel-riscv64
** serves. Exits 0 when every check holds; otherwise prints the first failure on stdout
** and exits 1. Also passes under qemu-riscv64 (run it there to check the checks).
** With an argument: "abort" calls abort(), "segv" loads from address 0, "unsupported"
** calls acct() twice (tiercel reports it once), "args" prints argv and one variable.
*/
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/auxv.h>
#include <sys/cachectl.h>
#include <sys/select.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            printf("FAIL %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #cond, errno); \
            failures++;                                                               \
        }                                                                             \
    } while (0)

static void files(void)
{
    char dir[] = "/tmp/tiercel-syscalls-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64], path2[64];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    snprintf(path2, sizeof path2, "%s/b.txt", dir);

    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0640);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello, world\n", 13) == 13);
    struct iovec iov[2] = { { "abc", 3 }, { "defg", 4 } };
    CHECK(writev(fd, iov, 2) == 7);
    CHECK(pwrite(fd, "XY", 2, 0) == 2);
    CHECK(fsync(fd) == 0);
    CHECK(close(fd) == 0);

    struct stat st;
    CHECK(stat(path, &st) == 0);
    CHECK(st.st_size == 20);
    CHECK(S_ISREG(st.st_mode));
    CHECK((st.st_mode & 0777) == (0640 & ~(mode_t)022) || (st.st_mode & 0777) == 0640);
    CHECK(st.st_nlink == 1);
    CHECK(st.st_blksize > 0);
    CHECK(st.st_mtim.tv_sec > 1600000000);

    fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    struct stat st2;
    CHECK(fstat(fd, &st2) == 0);
    CHECK(st2.st_ino == st.st_ino && st2.st_dev == st.st_dev && st2.st_size == 20);
    char buf[64] = { 0 };
    CHECK(read(fd, buf, sizeof buf) == 20);
    CHECK(memcmp(buf, "XYllo, world\nabcdefg", 20) == 0);
    CHECK(lseek(fd, 7, SEEK_SET) == 7);
    char a[3] = { 0 }, b[3] = { 0 };
    struct iovec riov[2] = { { a, 2 }, { b, 3 } };
    CHECK(readv(fd, riov, 2) == 5);
    CHECK(memcmp(a, "wo", 2) == 0 && memcmp(b, "rld", 3) == 0);
    CHECK(pread(fd, buf, 3, 13) == 3 && memcmp(buf, "abc", 3) == 0);
    int fd2 = dup(fd);
    CHECK(fd2 > fd);
    CHECK(fcntl(fd2, F_GETFD) == 0);
    CHECK(fcntl(fd2, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd2, F_GETFD) == FD_CLOEXEC);
    CHECK(dup3(fd, 50, O_CLOEXEC) == 50);
    CHECK(close(50) == 0 && close(fd2) == 0);
    struct winsize ws;
    errno = 0;
    CHECK(ioctl(fd, TIOCGWINSZ, &ws) == -1 && errno == ENOTTY);
    CHECK(close(fd) == 0);
    errno = 0;
    CHECK(close(fd) == -1 && errno == EBADF);

    CHECK(truncate(path, 5) == 0 && stat(path, &st) == 0 && st.st_size == 5);
    CHECK(access(path, R_OK) == 0);
    CHECK(faccessat(AT_FDCWD, path, W_OK, 0) == 0);
    CHECK(rename(path, path2) == 0);
    errno = 0;
    CHECK(stat(path, &st) == -1 && errno == ENOENT);
    CHECK(lstat(path2, &st) == 0);

    char sub[80];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    CHECK(mkdir(sub, 0755) == 0);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    int seen = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        seen |= (strcmp(e->d_name, "b.txt") == 0) | (strcmp(e->d_name, "sub") == 0) << 1;
    CHECK(seen == 3);
    if (d)
        closedir(d);

    char cwd[256];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(chdir(sub) == 0);
    char here[256];
    CHECK(getcwd(here, sizeof here) != NULL && strcmp(here, sub) == 0);
    CHECK(chdir(cwd) == 0);

    CHECK(rmdir(sub) == 0);
    CHECK(unlink(path2) == 0);
    CHECK(rmdir(dir) == 0);

    int p[2];
    CHECK(pipe2(p, O_CLOEXEC) == 0);
    CHECK(write(p[1], "pipe", 4) == 4);
    CHECK(read(p[0], buf, 4) == 4 && memcmp(buf, "pipe", 4) == 0);
    close(p[0]);
    close(p[1]);

    /* /proc/self/exe is the guest program */
    char exe[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    CHECK(n > 0);
    exe[n > 0 ? n : 0] = 0;
    CHECK(strstr(exe, "syscalls") != NULL);
    CHECK(exe[0] == '/');

    errno = 0;
    CHECK(open("/nonexistent/x", O_RDONLY) == -1 && errno == ENOENT);
    errno = 0;
    CHECK(syscall(SYS_openat, AT_FDCWD, (char *)1, O_RDONLY) == -1 && errno == EFAULT);
    /* into a pipe, which reads the buffer (/dev/null would not: Linux returns 4) */
    int q[2];
    CHECK(pipe(q) == 0);
    errno = 0;
    char *volatile bad = (char *)8;
    CHECK(write(q[1], bad, 4) == -1 && errno == EFAULT);
    close(q[0]);
    close(q[1]);
}

static void memory(void)
{
    long page = sysconf(_SC_PAGESIZE);
    CHECK(page == 4096);
    CHECK(getauxval(AT_PAGESZ) == 4096);
    CHECK(getauxval(AT_HWCAP) & (1 << ('I' - 'A')));
    CHECK(getauxval(AT_RANDOM) != 0);

    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    CHECK(m[0] == 0 && m[3 * 4096 - 1] == 0);
    memset(m, 'm', 3 * 4096);
    CHECK(mprotect(m + 4096, 4096, PROT_READ) == 0);
    CHECK(m[4096] == 'm');
    CHECK(munmap(m + 2 * 4096, 4096) == 0);
    errno = 0;   /* one mremap may not span two protections */
    CHECK(mremap(m, 2 * 4096, 64 * 4096, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT);
    char *r = mremap(m, 4096, 64 * 4096, MREMAP_MAYMOVE);
    CHECK(r != MAP_FAILED);
    if (r != MAP_FAILED) {
        CHECK(r[0] == 'm' && r[4095] == 'm');
        CHECK(munmap(r, 64 * 4096) == 0);
    }
    CHECK(munmap(m + 4096, 4096) == 0);
    errno = 0;
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
          errno == EINVAL);
    errno = 0;
    CHECK(munmap((void *)4097, 4096) == -1 && errno == EINVAL);
    CHECK(madvise(m, 4096, MADV_DONTNEED) == 0 || errno == ENOMEM);

    /* a file mapping */
    char path[] = "/tmp/tiercel-map-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, "mapped file", 11) == 11);
    char *f = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(f != MAP_FAILED && memcmp(f, "mapped file", 11) == 0);
    char *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(s != MAP_FAILED);
    if (s != MAP_FAILED) {
        s[0] = 'M';
        CHECK(msync(s, 4096, MS_SYNC) == 0);
        char c;
        CHECK(pread(fd, &c, 1, 0) == 1 && c == 'M');
        munmap(s, 4096);
    }
    munmap(f, 4096);
    close(fd);
    unlink(path);

    /* malloc: brk and mmap */
    char *small = malloc(100), *big = malloc(8 << 20);
    CHECK(small && big);
    if (big) {
        memset(big, 1, 8 << 20);
        big = realloc(big, 32 << 20);
        CHECK(big && big[(8 << 20) - 1] == 1);
    }
    free(small);
    free(big);
    void *cur = sbrk(0);
    CHECK(cur != (void *)-1);
    CHECK(sbrk(4096) == cur && sbrk(0) == (char *)cur + 4096);
    ((char *)cur)[4095] = 1;
    CHECK(sbrk(-4096) == (char *)cur + 4096);
}

/* The kernel (read) writes a code page that has already run: the new code must run. */
static void code_rewritten_by_read(void)
{
    static const uint32_t one[] = { 0x00100513, 0x00008067 };   /* li a0,1 ; ret */
    static const uint32_t two[] = { 0x00200513, 0x00008067 };   /* li a0,2 ; ret */
    unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);
    if (page == MAP_FAILED)
        return;
    memcpy(page, one, sizeof one);
    __asm__ volatile("fence.i" ::: "memory");
    int (*fn)(void) = (int (*)(void))(void *)page;
    CHECK(fn() == 1);
    char path[] = "/tmp/tiercel-code-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, two, sizeof two) == sizeof two && lseek(fd, 0, SEEK_SET) == 0);
    CHECK(read(fd, page, sizeof two) == sizeof two);
    close(fd);
    unlink(path);
    __asm__ volatile("fence.i" ::: "memory");
    CHECK(fn() == 2);
    munmap(page, 4096);
}

static void process(void)
{
    struct timespec t0, t1, res;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
    CHECK(clock_getres(CLOCK_REALTIME, &res) == 0);
    struct timespec nap = { 0, 2000000 };
    CHECK(nanosleep(&nap, NULL) == 0);
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0);
    long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000ll + (t1.tv_nsec - t0.tv_nsec);
    CHECK(ns >= 4000000);
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 1600000000);
    CHECK(time(NULL) > 1600000000);
    struct tms tms;
    CHECK(times(&tms) != (clock_t)-1);
    struct rusage ru;
    CHECK(getrusage(RUSAGE_SELF, &ru) == 0);

    struct utsname u;
    CHECK(uname(&u) == 0 && strcmp(u.machine, "riscv64") == 0);
    CHECK(getpid() > 0 && getppid() > 0 && gettid() == getpid());
    CHECK(getuid() == geteuid() && getgid() == getegid());
    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_STACK, &rl) == 0);
    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 2);
    unsigned char rnd[16] = { 0 }, zero[16] = { 0 };
    CHECK(getrandom(rnd, sizeof rnd, 0) == 16 && memcmp(rnd, zero, 16) != 0);
    cpu_set_t set;
    CHECK(sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) >= 1);
    CHECK(sched_yield() == 0);
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
    mode_t old = umask(077);
    CHECK(umask(old) == 077);

    /* signals: recorded, and raising an ignored one does nothing */
    struct sigaction sa = { .sa_handler = SIG_IGN }, osa;
    CHECK(sigaction(SIGUSR1, &sa, &osa) == 0 && osa.sa_handler == SIG_DFL);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(sigaction(SIGUSR1, NULL, &osa) == 0 && osa.sa_handler == SIG_IGN);
    sigset_t mask, omask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    CHECK(sigprocmask(SIG_BLOCK, &mask, &omask) == 0);
    CHECK(sigprocmask(SIG_SETMASK, NULL, &mask) == 0 && sigismember(&mask, SIGUSR2));
    CHECK(sigprocmask(SIG_SETMASK, &omask, NULL) == 0);
    CHECK(kill(getpid(), 0) == 0);
    CHECK(raise(SIGCHLD) == 0);   /* default action: ignore */

    /* ignoring SIGPIPE makes a write to a closed pipe return EPIPE */
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    CHECK(pipe(p) == 0);
    close(p[0]);
    errno = 0;
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);
    close(p[1]);

    /* futex, single-threaded: a different value is EAGAIN, a wait times out */
    uint32_t word = 5;
    errno = 0;
    CHECK(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0) == -1 && errno == EAGAIN);
    struct timespec tmo = { 0, 1000000 };
    errno = 0;
    CHECK(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &tmo, NULL, 0) == -1 &&
          errno == ETIMEDOUT);
    CHECK(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0);

    /* poll and select on a pipe */
    int q[2];
    CHECK(pipe(q) == 0);
    struct pollfd pf = { .fd = q[0], .events = POLLIN };
    CHECK(poll(&pf, 1, 0) == 0);
    CHECK(write(q[1], "z", 1) == 1);
    CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLIN));
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(q[0], &rs);
    struct timeval tv0 = { 0, 0 };
    CHECK(select(q[0] + 1, &rs, NULL, NULL, &tv0) == 1 && FD_ISSET(q[0], &rs));
    close(q[0]);
    close(q[1]);

    /* statx, the alternate stack, pending signals, limits, the icache */
    struct statx sx;
    CHECK(statx(AT_FDCWD, "/", 0, STATX_BASIC_STATS, &sx) == 0 && S_ISDIR(sx.stx_mode));
    static char altstack[16384];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack }, oss;
    CHECK(sigaltstack(&ss, &oss) == 0 && (oss.ss_flags & SS_DISABLE));
    CHECK(sigaltstack(NULL, &oss) == 0 && oss.ss_sp == altstack && oss.ss_size == sizeof altstack);
    ss.ss_size = 100;
    errno = 0;
    CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM);
    sigset_t pend;
    CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2));
    sigprocmask(SIG_BLOCK, &mask, &omask);
    CHECK(raise(SIGUSR2) == 0);   /* blocked: stays pending */
    CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2));
    signal(SIGUSR2, SIG_IGN);     /* ignoring it discards it */
    CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2));
    sigprocmask(SIG_SETMASK, &omask, NULL);
    struct rlimit data;   /* set a limit to what it is: the call goes through, nothing changes */
    CHECK(getrlimit(RLIMIT_DATA, &data) == 0 && setrlimit(RLIMIT_DATA, &data) == 0);
    CHECK(getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur == data.rlim_cur);
    CHECK(__riscv_flush_icache(NULL, NULL, 0) == 0);

    char *e = getenv("TIERCEL_SYSCALLS_TEST");
    CHECK(e == NULL || strcmp(e, "yes") == 0);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "abort") == 0)
        abort();
    if (argc > 1 && strcmp(argv[1], "segv") == 0)
        return *(volatile int *)(uintptr_t)(argc - 2);
    if (argc > 1 && strcmp(argv[1], "unsupported") == 0) {
        errno = 0;
        int r = (int)syscall(89 /* acct */, "/nonexistent/acct");
        int r2 = (int)syscall(89, "/nonexistent/acct");
        return r == -1 && r2 == -1 ? 0 : 1;
    }
    if (argc > 1 && strcmp(argv[1], "args") == 0) {
        for (int i = 0; i < argc; i++)
            printf("argv[%d]=%s\n", i, argv[i]);
        const char *v = getenv("TIERCEL_VAR");
        printf("TIERCEL_VAR=%s\n", v ? v : "(unset)");
        return 0;
    }
    files();
    memory();
    code_rewritten_by_read();
    process();
    if (failures)
        printf("%d checks failed\n", failures);
    return failures != 0;
}
