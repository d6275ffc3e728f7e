/*
** elf.c — the ELF loader: checks an untrusted riscv64 executable (ET_EXEC, or ET_DYN
** without an interpreter: static-pie) and maps its PT_LOAD segments into the guest
** space the way Linux's load_elf_binary does.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user.h"

#define PAGE_UP(x) (((x) + MEM_PAGE_SIZE - 1) & MEM_PAGE_MASK)
#define PAGE_DOWN(x) ((x) & MEM_PAGE_MASK)

__attribute__((format(printf, 2, 3)))
static int fail(UserElfInfo *info, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(info->error, sizeof info->error, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_NONE: return "no machine";
    case EM_SPARC: return "SPARC";
    case EM_386: return "i386";
    case EM_68K: return "m68k";
    case EM_MIPS: return "MIPS";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    case EM_ARM: return "ARM";
    case EM_SH: return "SuperH";
    case EM_SPARCV9: return "SPARC64";
    case EM_IA_64: return "IA-64";
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    case 258: return "LoongArch";
    default: return NULL;
    }
}

static uint16_t rd16(const uint8_t *p, bool be)
{
    return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

int user_elf_check(const uint8_t *img, uint64_t size, uint64_t space, UserElfInfo *info)
{
    memset(info, 0, sizeof *info);
    if (size < SELFMAG || memcmp(img, ELFMAG, SELFMAG) != 0)
        return fail(info, "not an ELF file");
    if (size < sizeof(Elf64_Ehdr))
        return fail(info, "truncated ELF header");
    unsigned data = img[EI_DATA], cls = img[EI_CLASS];
    if (data != ELFDATA2LSB && data != ELFDATA2MSB)
        return fail(info, "bad ELF data encoding %u", data);
    /* e_machine sits at the same offset in both classes. */
    unsigned machine = rd16(img + offsetof(Elf64_Ehdr, e_machine), data == ELFDATA2MSB);
    if (machine != EM_RISCV) {
        const char *name = machine_name(machine);
        if (name)
            return fail(info, "ELF for %s, not RISC-V", name);
        return fail(info, "ELF for machine %u, not RISC-V", machine);
    }
    if (data != ELFDATA2LSB)
        return fail(info, "big-endian ELF, not little-endian");
    if (cls == ELFCLASS32)
        return fail(info, "32-bit ELF (RV32), not 64-bit");
    if (cls != ELFCLASS64)
        return fail(info, "bad ELF class %u", cls);

    Elf64_Ehdr eh;
    memcpy(&eh, img, sizeof eh);
    if (img[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
        return fail(info, "bad ELF version %u", img[EI_VERSION] != EV_CURRENT ?
                    (unsigned)img[EI_VERSION] : (unsigned)eh.e_version);
    if (eh.e_type == ET_REL)
        return fail(info, "relocatable object file, not an executable");
    if (eh.e_type == ET_CORE)
        return fail(info, "core dump, not an executable");
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
        return fail(info, "bad ELF type %u", eh.e_type);
    if (eh.e_phnum == 0)
        return fail(info, "no program headers");
    if (eh.e_phentsize != sizeof(Elf64_Phdr))
        return fail(info, "bad program header size %u", eh.e_phentsize);
    if (eh.e_phnum > USER_ELF_MAX_PHNUM)
        return fail(info, "too many program headers (%u)", eh.e_phnum);
    uint64_t phsize = (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
    if (eh.e_phoff > size || phsize > size - eh.e_phoff)
        return fail(info, "program headers past the end of the file");

    Elf64_Phdr ph[USER_ELF_MAX_PHNUM];
    memcpy(ph, img + eh.e_phoff, phsize);

    /* An interpreter means a dynamically linked program: say so before anything else. */
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type != PT_INTERP)
            continue;
        uint64_t off = ph[i].p_offset, len = ph[i].p_filesz;
        if (off > size || len > size - off || len < 2 || len > PATH_MAX ||
            img[off + len - 1] != '\0' || memchr(img + off, '\0', len - 1))
            return fail(info, "bad PT_INTERP header");
        char interp[80];
        size_t n = 0;
        for (uint64_t k = 0; k + 1 < len && n + 4 < sizeof interp; k++) {
            char c = (char)img[off + k];
            interp[n++] = c >= 0x20 && c < 0x7f ? c : '?';
        }
        if (len - 1 > n)
            interp[n++] = '.', interp[n++] = '.', interp[n++] = '.';
        interp[n] = '\0';
        return fail(info, "dynamically linked programs are not supported yet (interpreter %s)",
                    interp);
    }

    uint64_t max_align = MEM_PAGE_SIZE, lo_raw = UINT64_MAX;
    int stack_prot = MEM_PROT_READ | MEM_PROT_WRITE;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        const Elf64_Phdr *q = &ph[i];
        if (q->p_type == PT_GNU_STACK && (q->p_flags & PF_X))
            stack_prot |= MEM_PROT_EXEC;
        if (q->p_type != PT_LOAD)
            continue;
        if (q->p_filesz > q->p_memsz)
            return fail(info, "segment %u: file size 0x%llx larger than memory size 0x%llx", i,
                        (unsigned long long)q->p_filesz, (unsigned long long)q->p_memsz);
        if (q->p_offset > size || q->p_filesz > size - q->p_offset)
            return fail(info, "segment %u: file data past the end of the file (truncated?)", i);
        if (q->p_vaddr + q->p_memsz < q->p_vaddr ||
            PAGE_UP(q->p_vaddr + q->p_memsz) < q->p_vaddr + q->p_memsz)
            return fail(info, "segment %u: address overflow", i);
        if ((q->p_vaddr - q->p_offset) & (MEM_PAGE_SIZE - 1))
            return fail(info, "segment %u: offset and address not page-congruent", i);
        if (q->p_memsz == 0)
            continue;
        if (q->p_align > max_align && !(q->p_align & (q->p_align - 1)) &&
            q->p_align <= ((uint64_t)1 << 30))
            max_align = q->p_align;
        if (PAGE_DOWN(q->p_vaddr) < lo_raw)
            lo_raw = PAGE_DOWN(q->p_vaddr);
        UserElfSegment *s = &info->seg[info->nseg++];
        s->vaddr = q->p_vaddr;
        s->memsz = q->p_memsz;
        s->offset = q->p_offset;
        s->filesz = q->p_filesz;
        s->prot = (q->p_flags & PF_R ? MEM_PROT_READ : 0) |
                  (q->p_flags & PF_W ? MEM_PROT_WRITE : 0) |
                  (q->p_flags & PF_X ? MEM_PROT_EXEC : 0);
    }
    if (info->nseg == 0)
        return fail(info, "no loadable segments");

    info->pie = eh.e_type == ET_DYN;
    if (info->pie) {
        /* Linux's ELF_ET_DYN_BASE (2/3 of Sv39's user half), or 2/3 of a smaller space (-R) */
        uint64_t want = USER_PIE_BASE < space ? USER_PIE_BASE : (space / 3 * 2) & MEM_PAGE_MASK;
        uint64_t base = (want + max_align - 1) & ~(max_align - 1);
        uint64_t lo_al = lo_raw & ~(max_align - 1);
        info->bias = lo_al <= base ? base - lo_al : 0;
    }
    info->lo = UINT64_MAX;
    for (unsigned i = 0; i < info->nseg; i++) {
        UserElfSegment *s = &info->seg[i];
        uint64_t end = s->vaddr + s->memsz;
        if (s->vaddr + info->bias < s->vaddr || PAGE_UP(end + info->bias) < end)
            return fail(info, "segment %u: address overflow", i);
        s->vaddr += info->bias;
        end += info->bias;
        if (PAGE_UP(end) > space)
            return fail(info, "segment at 0x%llx-0x%llx: outside the guest address space",
                        (unsigned long long)s->vaddr, (unsigned long long)end);
        if (PAGE_DOWN(s->vaddr) < USER_MIN_ADDR)
            return fail(info, "segment at 0x%llx: below the lowest mappable address 0x%llx",
                        (unsigned long long)s->vaddr, (unsigned long long)USER_MIN_ADDR);
        if (PAGE_DOWN(s->vaddr) < info->lo)
            info->lo = PAGE_DOWN(s->vaddr);
        if (PAGE_UP(end) > info->hi)
            info->hi = PAGE_UP(end);
    }
    info->brk = info->hi;

    info->entry = eh.e_entry + info->bias;
    bool entry_ok = false;
    for (unsigned i = 0; i < info->nseg; i++)
        if (info->entry >= info->seg[i].vaddr && info->entry - info->seg[i].vaddr < info->seg[i].memsz)
            entry_ok = true;
    if (!entry_ok || info->entry < eh.e_entry)
        return fail(info, "entry point 0x%llx outside the loaded segments",
                    (unsigned long long)eh.e_entry);

    /* AT_PHDR as Linux computes it: the segment whose file data holds the headers. */
    info->phdr = info->seg[0].vaddr - info->seg[0].offset + eh.e_phoff;
    for (unsigned i = 0; i < info->nseg; i++) {
        const UserElfSegment *s = &info->seg[i];
        if (s->offset <= eh.e_phoff && eh.e_phoff - s->offset < s->filesz) {
            info->phdr = s->vaddr + (eh.e_phoff - s->offset);
            break;
        }
    }
    info->phent = eh.e_phentsize;
    info->phnum = eh.e_phnum;
    info->stack_prot = stack_prot;
    return 0;
}

/* The program's pages are anonymous memory with its segments copied in, not a mapping
   of its file: a host access to a file mapping can fault (SIGBUS once the file
   shrinks), and compiled code runs at full speed only on pages that cannot (mem.h's
   rights). All spans are mapped first, so that a page two segments share keeps both. */
static int map_segments(UserProcess *p, const uint8_t *img, const UserElfInfo *info)
{
    for (unsigned i = 0; i < info->nseg; i++) {
        const UserElfSegment *s = &info->seg[i];
        uint64_t start = PAGE_DOWN(s->vaddr), end = PAGE_UP(s->vaddr + s->memsz);
        int r = mem_user_map(&p->mem, start, end - start, MEM_PROT_READ | MEM_PROT_WRITE);
        if (r < 0)
            return r;
    }
    for (unsigned i = 0; i < info->nseg; i++) {
        const UserElfSegment *s = &info->seg[i];
        memcpy(mem_user_host(&p->mem, s->vaddr), img + s->offset, s->filesz);
    }
    for (unsigned i = 0; i < info->nseg; i++) {
        const UserElfSegment *s = &info->seg[i];
        uint64_t start = PAGE_DOWN(s->vaddr), end = PAGE_UP(s->vaddr + s->memsz);
        int r = mem_user_protect(&p->mem, start, end - start, s->prot);
        if (r == 0)
            r = user_vma_set(&p->vmas, start, end, s->prot, USER_VMA_IMAGE);
        if (r < 0)
            return r;
    }
    return 0;
}

int user_elf_load(UserProcess *p, const char *path, UserElfInfo *info)
{
    memset(info->error, 0, sizeof info->error);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(info, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return fail(info, "%s", strerror(e));
    }
    int r = -1;
    void *img = MAP_FAILED;
    if (S_ISDIR(st.st_mode)) {
        fail(info, "%s", strerror(EISDIR));
    } else if (!S_ISREG(st.st_mode)) {
        fail(info, "not a regular file");
    } else if (!(st.st_mode & 0111)) {
        fail(info, "%s", strerror(EACCES));   /* as execve and qemu: needs an x bit */
    } else if (st.st_size < (off_t)SELFMAG) {
        fail(info, "not an ELF file");
    } else if ((img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
        fail(info, "%s", strerror(errno));
    } else if (user_elf_check(img, (uint64_t)st.st_size,
                              p->stack_top - p->stack_size - MEM_PAGE_SIZE, info) == 0) {
        int e = map_segments(p, img, info);
        r = e < 0 ? fail(info, "cannot map its segments: %s", strerror(-e)) : 0;
    }
    if (img != MAP_FAILED)
        munmap(img, (size_t)st.st_size);
    close(fd);
    if (r == 0) {
        p->brk_start = p->brk_end = info->brk;
        free(p->exe_real);
        p->exe_real = realpath(path, NULL);
        if (!p->exe_real)
            p->exe_real = strdup(path);
    }
    return r;
}
