/* "hello + files + libc": printf of many types, write(2) to stdout and
 * stderr, writev, argc/argv/envp, a temp file under /tmp driven through
 * open/write/lseek/read/pread/fstat/unlink, malloc/free of many sizes
 * (including > 1 MiB, glibc's mmap path) and brk growth, clock_gettime
 * monotonicity, qsort, strtod/snprintf of doubles, atexit, and finally
 * exit(3).
 *
 * The runner starts this with fixed arguments and a fixed GUEST_* set of
 * environment variables; only those are printed (sorted), and argv[0] only
 * by its basename, so the output does not depend on where it runs. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void args_env(int argc, char **argv, char **envp)
{
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    printf("argc = %d\n", argc);
    printf("argv[0] basename = %s\n", base);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = [%s] (len %zu)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "NOT NULL");

    const char *sel[64];
    int n = 0;
    for (char **e = envp; *e; e++)
        if (strncmp(*e, "GUEST_", 6) == 0 && n < 64)
            sel[n++] = *e;
    qsort(sel, (size_t)n, sizeof sel[0], cmp_str);
    printf("GUEST_* environment entries: %d\n", n);
    for (int i = 0; i < n; i++)
        printf("  %s\n", sel[i]);
    printf("envp == environ: %s\n", envp == environ ? "yes" : "no");
    const char *v = getenv("GUEST_TEST_VAR");
    printf("getenv(GUEST_TEST_VAR) = %s\n", v ? v : "(null)");
    printf("getenv(GUEST_SURELY_UNSET) = %s\n", getenv("GUEST_SURELY_UNSET") ? "set" : "(null)");
}

static void formatting(void)
{
    printf("== printf ==\n");
    printf("int %d %i %d %d\n", 0, -1, 2147483647, (int)-2147483647 - 1);
    printf("unsigned %u %x %X %o %#x %#o\n", 4294967295u, 0xdeadbeefu, 0xcafeu, 8u, 255u, 8u);
    printf("long %ld %lu %lld %llx\n", -9223372036854775807L - 1, 18446744073709551615UL,
           1234567890123LL, 0xfedcba9876543210ULL);
    printf("short/char %hd %hu %hhd %hhu %c%c%c\n", (short)-12345, (unsigned short)65535,
           (signed char)-128, (unsigned char)255, 'a', 'B', '!');
    printf("size %zu %zd ptrdiff %td intmax %jd\n", (size_t)12345, (ssize_t)-5, (ptrdiff_t)-77,
           (intmax_t)INT64_MAX);
    printf("width [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%*d]\n", 42, 42, 42, 42, 42, 7, 6, 9);
    printf("strings [%s] [%10s] [%-10s] [%.3s] [%%] [%s]\n", "hi", "right", "left", "truncate", "");
    printf("double %f %.2f %e %E %g %G %a\n", 3.14159265358979, 2.675, 123456.789, 0.000123, 1e-5,
           1e20, 1.0);
    printf("double special %f %f %f %e %g\n", 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0 * 0.0, -0.0, 1e308 * 10);
    printf("double edge %.17g %.17g %.17g %.0f %.20f\n", 0.1, 1.0 / 3.0, 4.9406564584124654e-324,
           1e22, 1.0 / 1024);
    printf("float %.9g %.9g\n", (double)1.1f, (double)16777217.0f);
    printf("pointer null %p\n", (void *)0);
    char buf[64];
    const char *volatile src = "0123456789abcdef"; /* not a literal: no truncation warning */
    int n = snprintf(buf, 8, "%s", src);
    printf("snprintf truncated: [%s] returned %d\n", buf, n);
}

static void strtod_tests(void)
{
    printf("== strtod / snprintf round trip ==\n");
    static const char *const in[] = {"3.14159", "-2.5e-3", "1e308", "1e309", "-1e309", "1e-320",
                                     "2.2250738585072014e-308", "0x1.8p3", "-0", "inf", "-Infinity",
                                     "nan", "  42xyz", "0.1", "123456789012345678901234567890"};
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *end;
        errno = 0;
        double d = strtod(in[i], &end);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        char out[64];
        snprintf(out, sizeof out, "%.17g", d);
        double back = strtod(out, NULL);
        int same = memcmp(&back, &d, 8) == 0 || d != d;
        printf("strtod(\"%s\") = %s bits=%016" PRIx64 " consumed=%d erange=%d roundtrip=%s\n", in[i],
               out, bits, (int)(end - in[i]), errno == ERANGE, same ? "ok" : "BAD");
    }
    float f = strtof("0.1", NULL);
    uint32_t fb;
    memcpy(&fb, &f, 4);
    printf("strtof(0.1) bits=%08" PRIx32 "\n", fb);
    long l = strtol("-0x7fffffff", NULL, 16);
    unsigned long ul = strtoul("18446744073709551615", NULL, 10);
    printf("strtol %ld strtoul %lu atoi %d\n", l, ul, atoi("  -123abc"));
}

static void io_tests(void)
{
    printf("== write(2) / writev ==\n");
    fflush(stdout);
    static const char m1[] = "write() to fd 1\n";
    ssize_t w = write(1, m1, sizeof m1 - 1);
    static const char m2[] = "write() to fd 2 (stderr)\n";
    ssize_t w2 = write(2, m2, sizeof m2 - 1);
    struct iovec iov[3] = {{(void *)"wr", 2}, {(void *)"it", 2}, {(void *)"ev\n", 3}};
    ssize_t w3 = writev(1, iov, 3);
    printf("write returned %zd, %zd, writev %zd\n", w, w2, w3);
    fprintf(stderr, "fprintf to stderr\n");

    printf("== temp file ==\n");
    umask(022);
    mode_t prev_mask = umask(022);
    printf("umask set to 022, reads back %03o\n", (unsigned)prev_mask);
    char path[64];
    snprintf(path, sizeof path, "/tmp/tiercel-guest-%ld.tmp", (long)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_TRUNC, 0600);
    printf("open: %s\n", fd >= 0 ? "ok" : strerror(errno));
    if (fd < 0)
        return;
    char data[10000];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (char)('a' + i % 26);
    ssize_t nw = write(fd, data, sizeof data);
    printf("write %zd\n", nw);
    struct stat st;
    int rc = fstat(fd, &st);
    printf("fstat rc=%d size=%lld regular=%d mode=%o\n", rc, (long long)st.st_size, S_ISREG(st.st_mode),
           (unsigned)(st.st_mode & 0777));
    off_t off = lseek(fd, 0, SEEK_CUR);
    printf("lseek cur = %lld\n", (long long)off);
    off = lseek(fd, 4321, SEEK_SET);
    char rb[16] = {0};
    ssize_t nr = read(fd, rb, 10);
    printf("lseek 4321 -> %lld, read %zd: %.10s\n", (long long)off, nr, rb);
    off = lseek(fd, -5, SEEK_END);
    nr = read(fd, rb, 10);
    printf("lseek end-5 -> %lld, read %zd: %.5s\n", (long long)off, nr, rb);
    nr = read(fd, rb, 10);
    printf("read at EOF -> %zd\n", nr);
    nr = pread(fd, rb, 4, 26 * 100 + 3);
    printf("pread 4 @2603 -> %zd: %.4s\n", nr, rb);
    /* sparse extension by seeking past the end */
    off = lseek(fd, 20000, SEEK_SET);
    nw = write(fd, "END", 3);
    fstat(fd, &st);
    printf("extend: lseek %lld write %zd size %lld\n", (long long)off, nw, (long long)st.st_size);
    lseek(fd, 15000, SEEK_SET);
    memset(rb, 'x', sizeof rb);
    nr = read(fd, rb, 4);
    printf("hole reads zeros: %zd %d%d%d%d\n", nr, rb[0], rb[1], rb[2], rb[3]);
    printf("close %d\n", close(fd));
    fd = open(path, O_RDONLY);
    char all[10000];
    size_t got = 0;
    while (got < sizeof all) {
        ssize_t k = read(fd, all + got, sizeof all - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    printf("reopen + read %zu bytes, match=%s\n", got, memcmp(all, data, sizeof data) == 0 ? "yes" : "no");
    close(fd);
    FILE *fp = fopen(path, "a+");
    fprintf(fp, "\nline via stdio %d\n", 123);
    fclose(fp);
    struct stat st2;
    stat(path, &st2);
    printf("stat after fopen append: size %lld\n", (long long)st2.st_size);
    printf("unlink %d\n", unlink(path));
    errno = 0;
    rc = stat(path, &st2);
    printf("stat after unlink: rc=%d errno=%s\n", rc, errno == ENOENT ? "ENOENT" : "other");
    errno = 0;
    fd = open("/nonexistent-dir-tiercel/x", O_RDONLY);
    printf("open missing: fd=%d errno=%s\n", fd, errno == ENOENT ? "ENOENT" : "other");
}

static void memory_tests(void)
{
    printf("== malloc / brk ==\n");
    void *brk0 = sbrk(0);
    uint64_t sum = 0;
    for (size_t sz = 1; sz <= (size_t)8 << 20; sz = sz * 3 + 1) {
        unsigned char *p = malloc(sz);
        if (!p) {
            printf("malloc(%zu) failed\n", sz);
            continue;
        }
        for (size_t i = 0; i < sz; i += 4096)
            p[i] = (unsigned char)(i >> 12);
        p[sz - 1] = 0x5a;
        sum += p[sz - 1] + p[0] + sz;
        unsigned char *q = realloc(p, sz + 100);
        sum += q[sz - 1];
        free(q);
    }
    printf("malloc/realloc/free sizes checksum %" PRIu64 "\n", sum);
    /* many small blocks kept alive: grows the heap through brk */
    enum { N = 20000 };
    static void *blocks[N];
    for (int i = 0; i < N; i++) {
        blocks[i] = malloc(16 + (size_t)(i % 200));
        memset(blocks[i], i & 0xff, 16);
    }
    void *brk1 = sbrk(0);
    int ok = 1;
    for (int i = 0; i < N; i++)
        if (((unsigned char *)blocks[i])[15] != (i & 0xff))
            ok = 0;
    for (int i = 0; i < N; i += 2)
        free(blocks[i]);
    for (int i = 1; i < N; i += 2)
        free(blocks[i]);
    printf("small blocks intact=%s, brk grew=%s\n", ok ? "yes" : "no", brk1 > brk0 ? "yes" : "no");
    /* sbrk directly */
    char *a = sbrk(0);
    char *b = sbrk(1 << 20);
    char *c = sbrk(0);
    b[0] = 1;
    b[(1 << 20) - 1] = 2;
    printf("sbrk(1MiB): old==prev=%s new-old=%ld writable=%s\n", a == b ? "yes" : "no", (long)(c - b),
           b[0] + b[(1 << 20) - 1] == 3 ? "yes" : "no");
    sbrk(-(1 << 20));
    printf("sbrk shrink back: %s\n", sbrk(0) == a ? "yes" : "no");
    /* big calloc (mmap path) reads zero */
    unsigned char *z = calloc(3 << 20, 1);
    size_t nz = 0;
    for (size_t i = 0; i < (size_t)3 << 20; i += 777)
        nz += z[i] != 0;
    free(z);
    printf("calloc 3MiB nonzero bytes sampled: %zu\n", nz);
}

static void time_and_sort(void)
{
    printf("== clock_gettime ==\n");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int advanced = 0;
    for (long i = 0; i < 50000000 && !advanced; i++) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        advanced = t1.tv_sec > t0.tv_sec || (t1.tv_sec == t0.tv_sec && t1.tv_nsec > t0.tv_nsec);
        if (t1.tv_sec < t0.tv_sec || (t1.tv_sec == t0.tv_sec && t1.tv_nsec < t0.tv_nsec)) {
            printf("monotonic clock went backwards\n");
            break;
        }
    }
    printf("monotonic advanced: %s, nsec in range: %s\n", advanced ? "yes" : "no",
           t1.tv_nsec >= 0 && t1.tv_nsec < 1000000000 ? "yes" : "no");
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    printf("realtime after 2020: %s\n", rt.tv_sec > 1577836800 ? "yes" : "no");

    printf("== qsort ==\n");
    enum { N = 5000 };
    static int arr[N];
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        arr[i] = (int)(x >> 8) - (1 << 23);
    }
    qsort(arr, N, sizeof arr[0], cmp_int);
    int sorted = 1;
    int64_t s = 0;
    for (int i = 0; i < N; i++) {
        if (i && arr[i - 1] > arr[i])
            sorted = 0;
        s += (int64_t)arr[i] * (i + 1);
    }
    printf("sorted=%s first=%d last=%d median=%d weighted=%" PRId64 "\n", sorted ? "yes" : "no", arr[0],
           arr[N - 1], arr[N / 2], s);
}

static void misc_syscalls(void)
{
    printf("== misc syscalls ==\n");
    struct utsname u;
    int rc = uname(&u);
    printf("uname rc=%d sysname=%s machine=%s\n", rc, u.sysname, u.machine);
    errno = 0;
    long r = syscall(999);
    printf("unknown syscall 999: ret=%ld errno=%s\n", r, errno == ENOSYS ? "ENOSYS" : "other");
    printf("getpid positive: %s, getppid positive: %s\n", getpid() > 0 ? "yes" : "no",
           getppid() > 0 ? "yes" : "no");
    char cwd[4096];
    printf("getcwd: %s\n", getcwd(cwd, sizeof cwd) && cwd[0] == '/' ? "absolute path" : "failed");
}

static void bye(void) { printf("atexit handler ran\n"); }

int main(int argc, char **argv, char **envp)
{
    atexit(bye);
    printf("hello from the guest\n");
    args_env(argc, argv, envp);
    formatting();
    strtod_tests();
    io_tests();
    memory_tests();
    time_and_sort();
    misc_syscalls();
    printf("exiting with status 3\n");
    exit(3);
}
