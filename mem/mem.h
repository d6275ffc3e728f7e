/*
** mem.h — guest address spaces.
** User mode: the guest's whole address range is one host reservation, so a guest
** address becomes a host pointer by one addition. (System mode's physical map and
** software TLB arrive with system mode and will live behind the same accessors.)
*/
#ifndef mem_h
#define mem_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    MEM_PAGE_SHIFT = 12,
    MEM_PAGE_SIZE = 1 << MEM_PAGE_SHIFT,
};
#define MEM_PAGE_MASK (~(uint64_t)(MEM_PAGE_SIZE - 1))

/* Guest page protections (the same bits as PROT_READ/WRITE/EXEC on Linux). */
enum { MEM_PROT_READ = 1, MEM_PROT_WRITE = 2, MEM_PROT_EXEC = 4 };

/* Per guest page, what a host access may do without faulting on the host: compiled code
   that checks these before each access never takes a host fault, so it need not keep
   the guest's state exact at every access (jit/README.md). READ and WRITE follow the
   host protection of anonymous pages; file-backed pages (a host access past the file's
   end raises SIGBUS) are MAYFAULT and never get READ or WRITE. The rights shifted left
   by MEM_RIGHTS_SPAN_SHIFT say that the next page has them too, so that one test
   clears an access that may run into the next page. */
enum { MEM_RIGHT_READ = 1, MEM_RIGHT_WRITE = 2, MEM_RIGHT_MAYFAULT = 4, MEM_RIGHTS_SPAN_SHIFT = 3 };

typedef struct MemUser {
    uint8_t *host_base;   /* guest address a lives at host_base + a */
    uint64_t size;        /* guest addresses [0, size) are reserved; more is a fault */
    uint64_t guard;       /* PROT_NONE bytes reserved after size, so that an access
                             that starts below size and runs past it faults on the host */
    uint8_t *rights;      /* MEM_RIGHT_* per page, (size >> MEM_PAGE_SHIFT) + 1 entries
                             (the last always 0, for accesses that cross the last page) */
} MemUser;

/* Reserves [0, size) of guest space, all inaccessible. Returns 0 or -errno. */
int mem_user_reserve(MemUser *m, uint64_t size);
void mem_user_release(MemUser *m);

/* Maps fresh zeroed pages (page-aligned range inside the reservation). 0 or -errno. */
int mem_user_map(MemUser *m, uint64_t addr, uint64_t len, int prot);
/* Returns the range to the inaccessible reserved state. 0 or -errno. */
int mem_user_unmap(MemUser *m, uint64_t addr, uint64_t len);
/* Changes host protection of a mapped range. 0 or -errno. */
int mem_user_protect(MemUser *m, uint64_t addr, uint64_t len, int prot);
/* Maps a file (host_flags: MAP_PRIVATE or MAP_SHARED and mmap's hints; MAP_FIXED is
   added) at a page-aligned range. Its pages are MAYFAULT. 0 or -errno. */
int mem_user_map_file(MemUser *m, uint64_t addr, uint64_t len, int prot, int host_flags, int fd, int64_t off);
/* Moves the pages of [old, old+old_len) to [dest, dest+new_len) (free), as mremap;
   pages past old_len are like old's last. The old range goes back to reserved. */
int mem_user_move(MemUser *m, uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t dest);
/* Grows a file mapping in place from old_len to new_len bytes (the tail is free). */
int mem_user_grow_file(MemUser *m, uint64_t addr, uint64_t old_len, uint64_t new_len);

/* Whether the rights table lets an access of `bytes` (at most a page) at a, below the
   reservation's size, do `need` (MEM_RIGHT_*) without a host fault. One test in the
   common case: the page's span bits; an access on a mapping's last page also passes if
   it stays in that page. */
static inline bool mem_rights_allow(const uint8_t *rights, uint64_t a, unsigned bytes, unsigned need)
{
    unsigned r = rights[a >> MEM_PAGE_SHIFT];
    if (bytes == 1)
        return (r & need) == need;
    if (__builtin_expect((r & need << MEM_RIGHTS_SPAN_SHIFT) == need << MEM_RIGHTS_SPAN_SHIFT, 1))
        return true;
    return (r & need) == need && (a & (MEM_PAGE_SIZE - 1)) <= MEM_PAGE_SIZE - bytes;
}

static inline bool mem_user_in_range(const MemUser *m, uint64_t addr, uint64_t len)
{
    return addr < m->size && len <= m->size - addr;
}

/* Host pointer for a guest address; the caller has checked the range. */
static inline void *mem_user_host(const MemUser *m, uint64_t addr)
{
    return m->host_base + addr;
}

/* Guest address of a host pointer inside the reservation (or its guard), or
   UINT64_MAX when the pointer is elsewhere: used by host fault handlers. */
static inline uint64_t mem_user_guest_addr(const MemUser *m, const void *host)
{
    uintptr_t h = (uintptr_t)host, b = (uintptr_t)m->host_base;
    if (h < b || h - b >= m->size + m->guard)
        return UINT64_MAX;
    return (uint64_t)(h - b);
}

#endif
