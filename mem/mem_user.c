/*
** mem_user.c — user-mode guest address spaces: one host reservation, guest address
** a at host_base + a. Unmapped guest pages stay reserved (PROT_NONE, no memory
** committed), so no host allocation can ever land inside the guest's range. Every
** change to the host mappings goes through here, so the rights table (mem.h) always
** says what a host access can do.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* mremap */
#endif
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "mem.h"

enum { MEM_USER_GUARD = 64 << 10 };   /* wider than any single guest access */

static int host_prot(int prot)
{
    int h = PROT_NONE;
    if (prot & (MEM_PROT_READ | MEM_PROT_EXEC))   /* fetches read the page */
        h |= PROT_READ;
    if (prot & MEM_PROT_WRITE)
        h |= PROT_READ | PROT_WRITE;
    return h;
}

static bool range_ok(const MemUser *m, uint64_t addr, uint64_t len)
{
    return m->host_base && len && ((addr | len) & (MEM_PAGE_SIZE - 1)) == 0 &&
           mem_user_in_range(m, addr, len);
}

static uint8_t rights_of(int prot)
{
    int h = host_prot(prot);
    return (uint8_t)(((h & PROT_READ) ? MEM_RIGHT_READ : 0) | ((h & PROT_WRITE) ? MEM_RIGHT_WRITE : 0));
}

static uint64_t rights_bytes(uint64_t size)
{
    return ((size >> MEM_PAGE_SHIFT) + 1 + MEM_PAGE_SIZE - 1) & MEM_PAGE_MASK;
}

/* Page i's span bits from its own rights and the next page's (the table has one entry
   past the last page, always 0). */
static void rights_link(MemUser *m, uint64_t i)
{
    uint8_t own = m->rights[i] & (MEM_RIGHT_READ | MEM_RIGHT_WRITE | MEM_RIGHT_MAYFAULT);
    uint8_t both = own & m->rights[i + 1] & (MEM_RIGHT_READ | MEM_RIGHT_WRITE);
    m->rights[i] = (uint8_t)(own | both << MEM_RIGHTS_SPAN_SHIFT);
}

/* Relinks pages [first, end) and the one before them. */
static void rights_link_range(MemUser *m, uint64_t first, uint64_t end)
{
    for (uint64_t i = first ? first - 1 : 0; i < end; i++)
        rights_link(m, i);
}

/* Sets the rights of the pages of [addr, addr+len) to r. Clearing a wide range gives
   the table's own pages back (they read as zeros), so a big munmap commits nothing. */
static void rights_fill(MemUser *m, uint64_t addr, uint64_t len, uint8_t r)
{
    uint64_t first = addr >> MEM_PAGE_SHIFT, n = len >> MEM_PAGE_SHIFT;
    if (n == 0)
        return;
    if (r == 0 && n >= 2 * MEM_PAGE_SIZE) {
        uint64_t lo = (first + MEM_PAGE_SIZE - 1) & MEM_PAGE_MASK, hi = (first + n) & MEM_PAGE_MASK;
        memset(m->rights + first, 0, lo - first);
        madvise(m->rights + lo, hi - lo, MADV_DONTNEED);
        memset(m->rights + hi, 0, first + n - hi);
    } else {
        /* inside the range each page's next has the same rights */
        memset(m->rights + first, r | (r & (MEM_RIGHT_READ | MEM_RIGHT_WRITE)) << MEM_RIGHTS_SPAN_SHIFT, n);
    }
    if (first)
        rights_link(m, first - 1);
    rights_link(m, first + n - 1);
}

/* Puts [addr, addr+len) back to the reserved state. */
static int reserve_at(uint8_t *host, uint64_t len)
{
    void *r = mmap(host, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
                   -1, 0);
    return r == MAP_FAILED ? -errno : 0;
}

int mem_user_reserve(MemUser *m, uint64_t size)
{
    m->host_base = NULL;
    m->size = m->guard = 0;
    if (size == 0 || (size & (MEM_PAGE_SIZE - 1)) || size > ((uint64_t)1 << 46))
        return -EINVAL;
    void *r = mmap(NULL, size + MEM_USER_GUARD, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED)
        return -errno;
    /* the table is reserved whole and committed only where pages get rights */
    void *t = mmap(NULL, rights_bytes(size), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (t == MAP_FAILED) {
        int e = errno;
        munmap(r, size + MEM_USER_GUARD);
        return -e;
    }
    m->host_base = r;
    m->size = size;
    m->guard = MEM_USER_GUARD;
    m->rights = t;
    return 0;
}

void mem_user_release(MemUser *m)
{
    if (m->host_base)
        munmap(m->host_base, m->size + m->guard);
    if (m->rights)
        munmap(m->rights, rights_bytes(m->size));
    m->host_base = NULL;
    m->rights = NULL;
    m->size = m->guard = 0;
}

int mem_user_map(MemUser *m, uint64_t addr, uint64_t len, int prot)
{
    if (!range_ok(m, addr, len))
        return -EINVAL;
    /* (a failed MAP_FIXED may leave a hole: no rights until the caller repairs it) */
    rights_fill(m, addr, len, 0);
    void *r = mmap(m->host_base + addr, len, host_prot(prot),
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (r == MAP_FAILED)
        return -errno;
    rights_fill(m, addr, len, rights_of(prot));
    return 0;
}

int mem_user_map_file(MemUser *m, uint64_t addr, uint64_t len, int prot, int host_flags, int fd, int64_t off)
{
    if (!range_ok(m, addr, len))
        return -EINVAL;
    rights_fill(m, addr, len, 0);
    void *r = mmap(m->host_base + addr, len, host_prot(prot), host_flags | MAP_FIXED, fd, (off_t)off);
    if (r == MAP_FAILED)
        return -errno;
    rights_fill(m, addr, len, MEM_RIGHT_MAYFAULT);
    return 0;
}

int mem_user_unmap(MemUser *m, uint64_t addr, uint64_t len)
{
    if (!range_ok(m, addr, len))
        return -EINVAL;
    rights_fill(m, addr, len, 0);
    return reserve_at(m->host_base + addr, len);
}

int mem_user_protect(MemUser *m, uint64_t addr, uint64_t len, int prot)
{
    if (!range_ok(m, addr, len))
        return -EINVAL;
    /* rights drop before the host's protection does, and rise after it */
    uint8_t r = rights_of(prot);
    uint64_t first = addr >> MEM_PAGE_SHIFT, end = (addr + len) >> MEM_PAGE_SHIFT;
    for (uint64_t i = first; i < end; i++)
        if (!(m->rights[i] & MEM_RIGHT_MAYFAULT))
            m->rights[i] &= r;
    rights_link_range(m, first, end);
    if (mprotect(m->host_base + addr, len, host_prot(prot)))
        return -errno;
    for (uint64_t i = first; i < end; i++)
        if (!(m->rights[i] & MEM_RIGHT_MAYFAULT))
            m->rights[i] = r;
    rights_link_range(m, first, end);
    return 0;
}

int mem_user_move(MemUser *m, uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t dest)
{
    if (!range_ok(m, old, old_len) || !range_ok(m, dest, new_len))
        return -EINVAL;
    void *h = mremap(m->host_base + old, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, m->host_base + dest);
    if (h == MAP_FAILED)
        return -errno;
    uint64_t keep = (old_len < new_len ? old_len : new_len) >> MEM_PAGE_SHIFT;
    uint8_t last = m->rights[((old + old_len) >> MEM_PAGE_SHIFT) - 1];
    memmove(m->rights + (dest >> MEM_PAGE_SHIFT), m->rights + (old >> MEM_PAGE_SHIFT), keep);
    if (new_len > old_len)
        memset(m->rights + ((dest + old_len) >> MEM_PAGE_SHIFT), last, (new_len - old_len) >> MEM_PAGE_SHIFT);
    rights_link_range(m, dest >> MEM_PAGE_SHIFT, (dest + new_len) >> MEM_PAGE_SHIFT);
    /* the move left a hole where the old pages were: reserve it again */
    rights_fill(m, old, old_len, 0);
    reserve_at(m->host_base + old, old_len);
    return 0;
}

int mem_user_grow_file(MemUser *m, uint64_t addr, uint64_t old_len, uint64_t new_len)
{
    if (!range_ok(m, addr, new_len) || old_len >= new_len || (old_len & (MEM_PAGE_SIZE - 1)))
        return -EINVAL;
    /* give the host the room first (a failure leaves a hole the caller repairs) */
    munmap(m->host_base + addr + old_len, new_len - old_len);
    if (mremap(m->host_base + addr, old_len, new_len, 0) == MAP_FAILED)
        return -errno;
    rights_fill(m, addr + old_len, new_len - old_len, MEM_RIGHT_MAYFAULT);
    return 0;
}
