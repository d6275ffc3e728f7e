/*
** mem_user.c — user-mode guest address spaces: one host reservation, guest address
** a at host_base + a. Unmapped guest pages stay reserved (PROT_NONE, no memory
** committed), so no host allocation can ever land inside the guest's range.
*/
#include <errno.h>
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
    m->host_base = r;
    m->size = size;
    m->guard = MEM_USER_GUARD;
    return 0;
}

void mem_user_release(MemUser *m)
{
    if (m->host_base)
        munmap(m->host_base, m->size + m->guard);
    m->host_base = NULL;
    m->size = m->guard = 0;
}

int mem_user_map(MemUser *m, uint64_t addr, uint64_t len, int prot)
{
    if (!range_ok(m, addr, len))
        return -EINVAL;
    void *r = mmap(m->host_base + addr, len, host_prot(prot),
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    return r == MAP_FAILED ? -errno : 0;
}

int mem_user_unmap(MemUser *m, uint64_t addr, uint64_t len)
{
    if (!range_ok(m, addr, len))
        return -EINVAL;
    return reserve_at(m->host_base + addr, len);
}

int mem_user_protect(MemUser *m, uint64_t addr, uint64_t len, int prot)
{
    if (!range_ok(m, addr, len))
        return -EINVAL;
    return mprotect(m->host_base + addr, len, host_prot(prot)) ? -errno : 0;
}
