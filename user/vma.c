/*
** vma.c — the guest's mappings: a sorted list of page ranges with the protections
** the guest asked for, kept in step with the host reservation, and the memory
** system calls (brk, mmap, munmap, mprotect, mremap, madvise) with Linux's checks.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "user.h"

#define PAGE_UP(x) (((x) + MEM_PAGE_SIZE - 1) & MEM_PAGE_MASK)

/* mmap flags: the asm-generic values, which x86-64 shares. */
enum {
    G_MAP_SHARED = 0x01, G_MAP_PRIVATE = 0x02, G_MAP_SHARED_VALIDATE = 0x03, G_MAP_TYPE = 0x0f,
    G_MAP_FIXED = 0x10, G_MAP_ANONYMOUS = 0x20, G_MAP_GROWSDOWN = 0x100, G_MAP_DENYWRITE = 0x800,
    G_MAP_EXECUTABLE = 0x1000, G_MAP_LOCKED = 0x2000, G_MAP_NORESERVE = 0x4000,
    G_MAP_POPULATE = 0x8000, G_MAP_NONBLOCK = 0x10000, G_MAP_STACK = 0x20000,
    G_MAP_HUGETLB = 0x40000, G_MAP_SYNC = 0x80000, G_MAP_FIXED_NOREPLACE = 0x100000,
    G_MAP_UNINITIALIZED = 0x4000000,
    G_MAP_KNOWN = G_MAP_TYPE | G_MAP_FIXED | G_MAP_ANONYMOUS | G_MAP_GROWSDOWN |
                  G_MAP_DENYWRITE | G_MAP_EXECUTABLE | G_MAP_LOCKED | G_MAP_NORESERVE |
                  G_MAP_POPULATE | G_MAP_NONBLOCK | G_MAP_STACK | G_MAP_HUGETLB | G_MAP_SYNC |
                  G_MAP_FIXED_NOREPLACE | G_MAP_UNINITIALIZED,
    G_MREMAP_MAYMOVE = 1, G_MREMAP_FIXED = 2, G_MREMAP_DONTUNMAP = 4,
};

int user_host_prot(int prot)
{
    int h = PROT_NONE;
    if (prot & (MEM_PROT_READ | MEM_PROT_EXEC))
        h |= PROT_READ;
    if (prot & MEM_PROT_WRITE)
        h |= PROT_READ | PROT_WRITE;
    return h;
}

/* ---- the list ---- */

static void vmas_reserve(UserVmas *vs, size_t extra)
{
    if (vs->n + extra <= vs->cap)
        return;
    size_t cap = vs->cap ? vs->cap * 2 : 64;
    while (cap < vs->n + extra)
        cap *= 2;
    UserVma *v = realloc(vs->v, cap * sizeof *v);
    if (!v) {
        fputs(USER_NAME ": out of memory\n", stderr);
        abort();
    }
    vs->v = v;
    vs->cap = cap;
}

/* Index of the first vma whose end is above addr (n if none). */
static size_t vma_lower(const UserVmas *vs, uint64_t addr)
{
    size_t lo = 0, hi = vs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vs->v[mid].end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const UserVma *user_vma_find(const UserVmas *vs, uint64_t addr)
{
    size_t i = vma_lower(vs, addr);
    return i < vs->n && vs->v[i].start <= addr ? &vs->v[i] : NULL;
}

bool user_vma_covered(const UserVmas *vs, uint64_t start, uint64_t end, int need)
{
    uint64_t at = start;
    for (size_t i = vma_lower(vs, start); at < end; i++) {
        if (i >= vs->n || vs->v[i].start > at || (vs->v[i].prot & need) != need)
            return false;
        at = vs->v[i].end;
    }
    return true;
}

bool user_vma_free(const UserVmas *vs, uint64_t start, uint64_t end)
{
    size_t i = vma_lower(vs, start);
    return i >= vs->n || vs->v[i].start >= end;
}

/* Splits the vma that straddles addr, so that addr becomes a boundary. */
static void vma_split(UserVmas *vs, uint64_t addr)
{
    size_t i = vma_lower(vs, addr);
    if (i >= vs->n || vs->v[i].start >= addr)
        return;
    vmas_reserve(vs, 1);
    memmove(&vs->v[i + 1], &vs->v[i], (vs->n - i) * sizeof vs->v[0]);
    vs->n++;
    vs->v[i].end = addr;
    vs->v[i + 1].start = addr;
}

static bool vma_mergeable(const UserVma *a, const UserVma *b)
{
    return a->end == b->start && a->prot == b->prot && a->kind == b->kind &&
           a->kind != USER_VMA_FILE;
}

/* Merges neighbours around [start, end) where they are alike. */
static void vma_merge_around(UserVmas *vs, uint64_t start, uint64_t end)
{
    size_t i = vma_lower(vs, start ? start - 1 : 0);
    while (i + 1 < vs->n && vs->v[i].start <= end) {
        if (vma_mergeable(&vs->v[i], &vs->v[i + 1])) {
            vs->v[i].end = vs->v[i + 1].end;
            memmove(&vs->v[i + 1], &vs->v[i + 2], (vs->n - i - 2) * sizeof vs->v[0]);
            vs->n--;
        } else {
            i++;
        }
    }
}

void user_vma_clear(UserVmas *vs, uint64_t start, uint64_t end)
{
    if (start >= end || vs->n == 0)
        return;
    vma_split(vs, start);
    vma_split(vs, end);
    size_t i = vma_lower(vs, start), j = i;
    while (j < vs->n && vs->v[j].end <= end)
        j++;
    memmove(&vs->v[i], &vs->v[j], (vs->n - j) * sizeof vs->v[0]);
    vs->n -= j - i;
}

int user_vma_set(UserVmas *vs, uint64_t start, uint64_t end, int prot, int kind)
{
    if (start >= end)
        return 0;
    user_vma_clear(vs, start, end);
    vmas_reserve(vs, 1);
    size_t i = vma_lower(vs, start);
    memmove(&vs->v[i + 1], &vs->v[i], (vs->n - i) * sizeof vs->v[0]);
    vs->v[i] = (UserVma){ .start = start, .end = end, .prot = prot, .kind = kind };
    vs->n++;
    vma_merge_around(vs, start, end);
    return 0;
}

static void vma_set_prot(UserVmas *vs, uint64_t start, uint64_t end, int prot)
{
    vma_split(vs, start);
    vma_split(vs, end);
    for (size_t i = vma_lower(vs, start); i < vs->n && vs->v[i].start < end; i++)
        vs->v[i].prot = prot;
    vma_merge_around(vs, start, end);
}

uint64_t user_vma_find_gap(const UserVmas *vs, uint64_t len, uint64_t lo, uint64_t hi)
{
    if (len == 0 || hi < lo || hi - lo < len)
        return UINT64_MAX;
    uint64_t top = hi;
    for (size_t i = vs->n; i-- > 0;) {
        const UserVma *v = &vs->v[i];
        if (v->start >= top)
            continue;
        uint64_t bottom = v->end > lo ? v->end : lo;
        if (v->end <= top && top - bottom >= len)
            return top - len;
        top = v->start;
        if (top <= lo || top - lo < len)
            return UINT64_MAX;
    }
    return top - lo >= len ? top - len : UINT64_MAX;
}

/* ---- the process ---- */

int user_process_init(UserProcess *p, uint64_t stack_size, uint64_t space)
{
    memset(p, 0, sizeof *p);
    int r = mem_user_reserve(&p->mem, space);
    if (r < 0)
        return r;
    p->stack_top = p->mem.size;
    p->stack_size = PAGE_UP(stack_size);
    /* Like Linux's mmap_base: a gap of at least 128 MiB below the stack. */
    uint64_t gap = p->stack_size > ((uint64_t)128 << 20) ? p->stack_size : (uint64_t)128 << 20;
    p->mmap_top = (p->stack_top - gap - MEM_PAGE_SIZE) & MEM_PAGE_MASK;
    return 0;
}

void user_process_destroy(UserProcess *p)
{
    free(p->vmas.v);
    p->vmas = (UserVmas){ 0 };
    free(p->exe_real);
    p->exe_real = NULL;
    mem_user_release(&p->mem);
}

static void code_changed(UserProcess *p, uint64_t addr, uint64_t len)
{
    if (p->code_changed)
        p->code_changed(p, addr, len);
}

int user_map_anon(UserProcess *p, uint64_t addr, uint64_t len, int prot, int kind)
{
    int r = mem_user_map(&p->mem, addr, len, prot);
    if (r < 0)
        return r;
    return user_vma_set(&p->vmas, addr, addr + len, prot, kind);
}

/* Returns [addr, addr+len) to the reserved state and forgets it. */
static void unmap_range(UserProcess *p, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return;
    bool had = !user_vma_free(&p->vmas, addr, addr + len);
    mem_user_unmap(&p->mem, addr, len);
    user_vma_clear(&p->vmas, addr, addr + len);
    if (had)
        code_changed(p, addr, len);
}

/* After a failed MAP_FIXED host mmap or mremap: the host may have left a hole in
   the reservation (mincore says ENOMEM there). Reserve it again and forget it. */
static void repair_hole(UserProcess *p, uint64_t addr, uint64_t len)
{
    enum { CHUNK = 256 };
    static unsigned char vec[CHUNK];
    for (uint64_t at = addr, end = addr + len; at < end; at += CHUNK * MEM_PAGE_SIZE) {
        uint64_t n = end - at < CHUNK * MEM_PAGE_SIZE ? end - at : CHUNK * MEM_PAGE_SIZE;
        if (mincore(mem_user_host(&p->mem, at), n, vec) == 0)
            continue;
        for (uint64_t pg = at; pg < at + n; pg += MEM_PAGE_SIZE) {
            if (mincore(mem_user_host(&p->mem, pg), MEM_PAGE_SIZE, vec) == 0 || errno != ENOMEM)
                continue;
            mem_user_unmap(&p->mem, pg, MEM_PAGE_SIZE);
            if (user_vma_find(&p->vmas, pg)) {
                user_vma_clear(&p->vmas, pg, pg + MEM_PAGE_SIZE);
                code_changed(p, pg, MEM_PAGE_SIZE);
            }
        }
    }
}

int64_t user_brk(UserProcess *p, uint64_t addr)
{
    if (addr < p->brk_start || addr > p->mem.size)
        return (int64_t)p->brk_end;
    uint64_t old_top = PAGE_UP(p->brk_end), new_top = PAGE_UP(addr);
    if (new_top > old_top) {
        uint64_t stack_bottom = p->stack_top - p->stack_size;
        if (new_top > stack_bottom - MEM_PAGE_SIZE || !user_vma_free(&p->vmas, old_top, new_top))
            return (int64_t)p->brk_end;
        if (user_map_anon(p, old_top, new_top - old_top, MEM_PROT_READ | MEM_PROT_WRITE,
                          USER_VMA_BRK) < 0)
            return (int64_t)p->brk_end;
    } else if (new_top < old_top) {
        unmap_range(p, new_top, old_top - new_top);
    }
    p->brk_end = addr;
    return (int64_t)addr;
}

int64_t user_mmap(UserProcess *p, uint64_t addr, uint64_t len, int prot, int flags, int fd,
                  uint64_t off)
{
    int type = flags & G_MAP_TYPE;
    if (type != G_MAP_PRIVATE && type != G_MAP_SHARED && type != G_MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (type == G_MAP_SHARED_VALIDATE && (flags & ~G_MAP_KNOWN))
        return -EOPNOTSUPP;
    if (len == 0 || (off & (MEM_PAGE_SIZE - 1)))
        return -EINVAL;
    if (len > p->mem.size)
        return -ENOMEM;
    uint64_t plen = PAGE_UP(len);
    bool anon = flags & G_MAP_ANONYMOUS;
    if (!anon && off + plen < off)
        return -EOVERFLOW;
    prot &= MEM_PROT_READ | MEM_PROT_WRITE | MEM_PROT_EXEC;

    bool fixed = flags & (G_MAP_FIXED | G_MAP_FIXED_NOREPLACE);
    if (fixed) {
        if (addr & (MEM_PAGE_SIZE - 1))
            return -EINVAL;
        if (!mem_user_in_range(&p->mem, addr, plen))
            return -ENOMEM;
        if (addr < USER_MIN_ADDR)
            return -EPERM;
        if ((flags & G_MAP_FIXED_NOREPLACE) && !(flags & G_MAP_FIXED) &&
            !user_vma_free(&p->vmas, addr, addr + plen))
            return -EEXIST;
    } else {
        uint64_t hint = PAGE_UP(addr);
        if (!(hint >= USER_MIN_ADDR && hint >= addr && mem_user_in_range(&p->mem, hint, plen) &&
              user_vma_free(&p->vmas, hint, hint + plen))) {
            hint = user_vma_find_gap(&p->vmas, plen, USER_MIN_ADDR, p->mmap_top);
            if (hint == UINT64_MAX)
                hint = user_vma_find_gap(&p->vmas, plen, USER_MIN_ADDR,
                                         p->stack_top - p->stack_size - MEM_PAGE_SIZE);
            if (hint == UINT64_MAX)
                return -ENOMEM;
        }
        addr = hint;
    }
    bool replaced = !user_vma_free(&p->vmas, addr, addr + plen);

    if (anon) {
        int r = mem_user_map(&p->mem, addr, plen, prot);
        if (r < 0) {
            repair_hole(p, addr, plen);
            return r;
        }
        user_vma_set(&p->vmas, addr, addr + plen, prot, USER_VMA_ANON);
    } else {
        int hflags = (type == G_MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED) |
                     (flags & (G_MAP_POPULATE | G_MAP_NORESERVE | G_MAP_NONBLOCK));
        int r = mem_user_map_file(&p->mem, addr, plen, prot, hflags, fd, (int64_t)off);
        if (r < 0) {
            repair_hole(p, addr, plen);
            return r;
        }
        user_vma_set(&p->vmas, addr, addr + plen, prot, USER_VMA_FILE);
    }
    if (replaced)
        code_changed(p, addr, plen);
    return (int64_t)addr;
}

int64_t user_munmap(UserProcess *p, uint64_t addr, uint64_t len)
{
    if ((addr & (MEM_PAGE_SIZE - 1)) || len == 0 || len > p->mem.size)
        return -EINVAL;
    uint64_t plen = PAGE_UP(len);
    if (!mem_user_in_range(&p->mem, addr, plen))
        return -EINVAL;
    unmap_range(p, addr, plen);
    return 0;
}

int64_t user_mprotect(UserProcess *p, uint64_t addr, uint64_t len, int prot)
{
    enum { PROT_SEM_ = 0x8, PROT_GROWSDOWN_ = 0x01000000, PROT_GROWSUP_ = 0x02000000 };
    if (addr & (MEM_PAGE_SIZE - 1))
        return -EINVAL;
    if (prot & ~(MEM_PROT_READ | MEM_PROT_WRITE | MEM_PROT_EXEC | PROT_SEM_ | PROT_GROWSDOWN_ |
                 PROT_GROWSUP_))
        return -EINVAL;
    if (len == 0)
        return 0;
    if (len > p->mem.size)
        return -ENOMEM;
    uint64_t plen = PAGE_UP(len);
    if (!mem_user_in_range(&p->mem, addr, plen) ||
        !user_vma_covered(&p->vmas, addr, addr + plen, 0))
        return -ENOMEM;
    prot &= MEM_PROT_READ | MEM_PROT_WRITE | MEM_PROT_EXEC;
    int r = mem_user_protect(&p->mem, addr, plen, prot);
    if (r < 0)
        return r;
    vma_set_prot(&p->vmas, addr, addr + plen, prot);
    code_changed(p, addr, plen);
    return 0;
}

/* Moves [old, old+old_len) to [dest, dest+new_len): dest is free (reserved). */
static int64_t remap_move(UserProcess *p, const UserVma v, uint64_t old, uint64_t old_len,
                          uint64_t new_len, uint64_t dest)
{
    int e = mem_user_move(&p->mem, old, old_len, new_len, dest);
    if (e < 0) {
        repair_hole(p, dest, new_len);
        if (v.kind == USER_VMA_FILE)
            return e;
        /* Anonymous memory that the host split into several mappings: copy it. */
        int r = mem_user_map(&p->mem, dest, new_len, v.prot | MEM_PROT_READ | MEM_PROT_WRITE);
        if (r < 0)
            return r;
        if (!(v.prot & MEM_PROT_READ))
            mem_user_protect(&p->mem, old, old_len, MEM_PROT_READ);
        memcpy(mem_user_host(&p->mem, dest), mem_user_host(&p->mem, old),
               old_len < new_len ? old_len : new_len);
        mem_user_protect(&p->mem, dest, new_len, v.prot);
        mem_user_unmap(&p->mem, old, old_len);
    }
    user_vma_clear(&p->vmas, old, old + old_len);
    user_vma_set(&p->vmas, dest, dest + new_len, v.prot, v.kind);
    return (int64_t)dest;
}

int64_t user_mremap(UserProcess *p, uint64_t old, uint64_t old_len, uint64_t new_len,
                    int flags, uint64_t new_addr)
{
    if (old & (MEM_PAGE_SIZE - 1))
        return -EINVAL;
    if (flags & ~(G_MREMAP_MAYMOVE | G_MREMAP_FIXED | G_MREMAP_DONTUNMAP))
        return -EINVAL;
    if ((flags & G_MREMAP_FIXED) && !(flags & G_MREMAP_MAYMOVE))
        return -EINVAL;
    if (flags & G_MREMAP_DONTUNMAP)
        return -EINVAL;                  /* not supported (yet) */
    if (old_len > p->mem.size || new_len > p->mem.size)
        return -EINVAL;
    old_len = PAGE_UP(old_len);
    new_len = PAGE_UP(new_len);
    if (new_len == 0 || old_len == 0)    /* old_len 0 duplicates shared mappings: no */
        return -EINVAL;
    const UserVma *vp = user_vma_find(&p->vmas, old);
    if (!vp || old_len > vp->end - old)
        return -EFAULT;
    UserVma v = *vp;

    /* Watched code pages split the host mapping: stop watching first. */
    code_changed(p, old, old_len);

    if (flags & G_MREMAP_FIXED) {
        if ((new_addr & (MEM_PAGE_SIZE - 1)) || !mem_user_in_range(&p->mem, new_addr, new_len) ||
            new_addr < USER_MIN_ADDR)
            return -EINVAL;
        if (new_addr < old + old_len && old < new_addr + new_len)
            return -EINVAL;
        unmap_range(p, new_addr, new_len);
        return remap_move(p, v, old, old_len, new_len, new_addr);
    }
    if (new_len <= old_len) {
        unmap_range(p, old + new_len, old_len - new_len);
        return (int64_t)old;
    }
    uint64_t extra = new_len - old_len, tail = old + old_len;
    if (mem_user_in_range(&p->mem, tail, extra) && user_vma_free(&p->vmas, tail, tail + extra) &&
        tail + extra <= p->stack_top - p->stack_size) {
        if (v.kind != USER_VMA_FILE) {
            int r = user_map_anon(p, tail, extra, v.prot, v.kind);
            if (r == 0)
                return (int64_t)old;
        } else {
            if (mem_user_grow_file(&p->mem, old, old_len, new_len) == 0) {
                user_vma_set(&p->vmas, old, old + new_len, v.prot, v.kind);
                return (int64_t)old;
            }
            repair_hole(p, tail, extra);
        }
    }
    if (!(flags & G_MREMAP_MAYMOVE))
        return -ENOMEM;
    uint64_t dest = user_vma_find_gap(&p->vmas, new_len, USER_MIN_ADDR, p->mmap_top);
    if (dest == UINT64_MAX)
        return -ENOMEM;
    return remap_move(p, v, old, old_len, new_len, dest);
}

int64_t user_madvise(UserProcess *p, uint64_t addr, uint64_t len, int advice)
{
    if (addr & (MEM_PAGE_SIZE - 1))
        return -EINVAL;
    if (len > p->mem.size)
        return -EINVAL;
    uint64_t plen = PAGE_UP(len);
    if (!mem_user_in_range(&p->mem, addr, plen))
        return -ENOMEM;
    bool host = false, changes = false;
    switch (advice) {
    case 0: case 1: case 2: case 3:      /* NORMAL RANDOM SEQUENTIAL WILLNEED */
    case 14: case 15: case 16: case 17:  /* (NO)HUGEPAGE DONTDUMP DODUMP */
    case 20: case 21:                    /* COLD PAGEOUT */
        host = true;
        break;
    case 4: case 8:                      /* DONTNEED FREE: contents may change */
        host = changes = true;
        break;
    case 10: case 11: case 12: case 13:  /* fork and KSM advice: nothing to do */
    case 18: case 19:
        break;
    default:
        return -EINVAL;
    }
    if (plen == 0)
        return 0;
    if (host) {
        /* Only mapped parts go to the host; gaps make the result ENOMEM, as on Linux. */
        uint64_t at = addr, end = addr + plen;
        for (size_t i = vma_lower(&p->vmas, addr); i < p->vmas.n && p->vmas.v[i].start < end; i++) {
            uint64_t s = p->vmas.v[i].start > at ? p->vmas.v[i].start : at;
            uint64_t e = p->vmas.v[i].end < end ? p->vmas.v[i].end : end;
            if (changes)
                code_changed(p, s, e - s);
            if (madvise(mem_user_host(&p->mem, s), e - s, advice) < 0 && errno != EINVAL)
                return -errno;
            at = e;
        }
    }
    return user_vma_covered(&p->vmas, addr, addr + plen, 0) ? 0 : -ENOMEM;
}
