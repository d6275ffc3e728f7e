/* Bad guest: a hot loop (hot enough for tier 2) that walks off the memory it may use,
 * so that the fault comes from inside compiled code. argv[1] picks the way:
 *   segv   8-byte loads run from mapped pages into a PROT_NONE one: SIGSEGV (139)
 *   ro     8-byte stores run into a read-only page: SIGSEGV (139)
 *   bus    byte loads run through a file mapping past the file's end: SIGBUS (135)
 * It writes one line first (a raw write: stdio's buffer would die with it); nothing
 * after the fault may appear. tests/check-tier-state compares the fault's pc and the
 * instructions retired before it across tiers. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { PAGE = 4096, PAGES = 3 };

static void say(const char *s) { write(1, s, strlen(s)); }

static uint8_t *anon_pages(int last_prot)
{
    uint8_t *p = mmap(NULL, (PAGES + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || mprotect(p + PAGES * PAGE, PAGE, last_prot))
        exit(2);
    for (unsigned i = 0; i < PAGES * PAGE; i++)
        p[i] = (uint8_t)(i * 7);
    return p;
}

/* a file of one page and a bit, mapped over PAGES + 1 pages: past the second, SIGBUS.
 * memfd, not mkstemp: mkstemp's random name costs a varying number of instructions,
 * and check-tier-state compares exact instruction counts across runs. */
static const uint8_t *file_pages(void)
{
    int fd = memfd_create("tiercel-bad-hot-fault", 0);
    if (fd < 0)
        exit(2);
    static uint8_t data[PAGE + 100];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 13);
    if (write(fd, data, sizeof data) != (ssize_t)sizeof data)
        exit(2);
    const uint8_t *p = mmap(NULL, (PAGES + 1) * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        exit(2);
    return p;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    uint64_t sum = 0;
    if (!strcmp(mode, "segv")) {
        say("before loads into a PROT_NONE page\n");
        const volatile uint64_t *p = (const uint64_t *)anon_pages(PROT_NONE);
        for (unsigned i = 0;; i++)
            sum = sum * 31 + p[i];
    } else if (!strcmp(mode, "ro")) {
        say("before stores into a read-only page\n");
        volatile uint64_t *p = (uint64_t *)anon_pages(PROT_READ);
        for (unsigned i = 0;; i++)
            p[i] = sum += i;
    } else if (!strcmp(mode, "bus")) {
        say("before loads past a mapped file's end\n");
        const volatile uint8_t *p = file_pages();
        for (unsigned i = 0;; i++)
            sum = sum * 31 + p[i];
    }
    say("no such mode\n");
    return (int)sum;
}
