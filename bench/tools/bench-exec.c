/* bench-exec: run a program and report its exit status and peak RSS.
 *
 *   bench-exec RESULTFILE TIMEOUT_S PROGRAM [ARGS...]
 *
 * Used by bench/run-bench.  Peak RSS (ru_maxrss) of a child on Linux starts
 * at the resident size of the process that forked it (exec records the old
 * mm's high-water mark), so measuring from the Python harness would put a
 * ~16 MiB floor under every number.  This helper is small, so the floor is
 * about 1 MiB.  stdin/stdout/stderr are inherited by PROGRAM.
 *
 * RESULTFILE receives one line:
 *   status=<raw wait status> maxrss_kib=<n> utime_us=<n> stime_us=<n> timeout=<0|1>
 * TIMEOUT_S (integer seconds, 0 = none): PROGRAM runs in its own process
 * group, and that group is killed with SIGKILL when the time is up.
 * Exit status: 0 if the result file was written, 125 on helper errors;
 * if PROGRAM cannot be executed its child exits 127 (reported in the file).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static volatile pid_t child_pid;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
    if (child_pid > 0) {
        kill(-child_pid, SIGKILL);   /* the child's own process group */
        kill(child_pid, SIGKILL);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench-exec RESULTFILE TIMEOUT_S PROGRAM [ARGS...]\n");
        return 125;
    }
    const char *result_path = argv[1];
    char *end = NULL;
    long timeout = strtol(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || timeout < 0) {
        fprintf(stderr, "bench-exec: bad timeout '%s'\n", argv[2]);
        return 125;
    }
    FILE *out = fopen(result_path, "w");
    if (!out) {
        fprintf(stderr, "bench-exec: %s: %s\n", result_path, strerror(errno));
        return 125;
    }
    fflush(NULL);

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "bench-exec: fork: %s\n", strerror(errno));
        return 125;
    }
    if (pid == 0) {
        /* Die with the helper if it is killed (e.g. harness timeout). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(125);
        setpgid(0, 0);   /* so a timeout can kill anything it spawned */
        execvp(argv[3], argv + 3);
        fprintf(stderr, "bench-exec: cannot execute %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    child_pid = pid;

    if (timeout > 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigaction(SIGALRM, &sa, NULL);
        alarm((unsigned)timeout);
    }

    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        pid_t r = wait4(pid, &status, 0, &ru);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            fprintf(stderr, "bench-exec: wait4: %s\n", strerror(errno));
            return 125;
        }
    }
    alarm(0);

    fprintf(out, "status=%d maxrss_kib=%ld utime_us=%lld stime_us=%lld timeout=%d\n",
            status, ru.ru_maxrss,
            (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
            (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec,
            timed_out ? 1 : 0);
    if (fclose(out) != 0)
        return 125;
    return 0;
}
