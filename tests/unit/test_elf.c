/*
** test_elf.c — the user-mode ELF loader: every refusal reason on hand-made bad images,
** and one good hand-made program loaded into a guest space with its initial stack.
** Links user/elf.c, user/stack.c, user/vma.c and mem/mem_user.c (no interpreter).
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user.h"

#define BASE 0x10000ull

/* A minimal riscv64 program: ELF header, up to 4 program headers, then code
   (li a0,42; li a7,93; ecall) and 8 bytes of data. */
typedef struct Image {
    uint8_t bytes[0x1100];
    size_t size;
    Elf64_Ehdr *eh;
    Elf64_Phdr *ph;
} Image;

static const uint32_t code[] = { 0x02a00513, 0x05d00893, 0x00000073 };

static void make(Image *im, unsigned phnum)
{
    memset(im, 0, sizeof *im);
    im->eh = (Elf64_Ehdr *)im->bytes;
    im->ph = (Elf64_Phdr *)(im->bytes + sizeof(Elf64_Ehdr));
    size_t code_off = sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr);
    memcpy(im->bytes + code_off, code, sizeof code);
    im->size = code_off + sizeof code;
    Elf64_Ehdr *eh = im->eh;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_RISCV;
    eh->e_version = EV_CURRENT;
    eh->e_entry = BASE + code_off;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    eh->e_flags = 5;
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = (Elf64_Half)phnum;
    for (unsigned i = 0; i < phnum; i++)
        im->ph[i].p_type = PT_NULL;
    im->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
                              .p_vaddr = BASE, .p_paddr = BASE, .p_filesz = im->size,
                              .p_memsz = im->size, .p_align = 0x1000 };
}

static UserElfInfo info;

static const char *check_n(const Image *im, size_t size)
{
    int r = user_elf_check(im->bytes, size, USER_SPACE_SIZE, &info);
    if (r == 0)
        return "ok";
    cr_assert_neq(info.error[0], '\0', "a refusal must say why");
    return info.error;
}

static const char *check(const Image *im)
{
    return check_n(im, im->size);
}

Test(elf_check, good_minimal)
{
    Image im;
    make(&im, 1);
    cr_assert_str_eq(check(&im), "ok");
    cr_assert_eq(info.entry, BASE + 64 + 56);
    cr_assert_eq(info.bias, 0);
    cr_assert(!info.pie);
    cr_assert_eq(info.phdr, BASE + 64);
    cr_assert_eq(info.phnum, 1);
    cr_assert_eq(info.phent, 56);
    cr_assert_eq(info.nseg, 1);
    cr_assert_eq(info.seg[0].prot, MEM_PROT_READ | MEM_PROT_EXEC);
    cr_assert_eq(info.lo, BASE);
    cr_assert_eq(info.hi, BASE + 0x1000);
    cr_assert_eq(info.brk, BASE + 0x1000);
    cr_assert_eq(info.stack_prot, MEM_PROT_READ | MEM_PROT_WRITE);
}

Test(elf_check, truncated_at_every_byte)
{
    Image im;
    make(&im, 1);
    for (size_t n = 0; n < im.size; n++) {
        const char *want = n < 4 ? "not an ELF file"
                           : n < 64 ? "truncated ELF header"
                           : n < 64 + 56 ? "program headers past the end of the file"
                           : "segment 0: file data past the end of the file (truncated?)";
        cr_assert_str_eq(check_n(&im, n), want, "at %zu bytes", n);
    }
    cr_assert_str_eq(check_n(&im, im.size), "ok");
}

Test(elf_check, not_elf)
{
    Image im;
    make(&im, 1);
    im.bytes[1] = 'X';
    cr_assert_str_eq(check(&im), "not an ELF file");
    memcpy(im.bytes, "#!/bin/sh\n", 10);
    cr_assert_str_eq(check(&im), "not an ELF file");
}

Test(elf_check, wrong_class)
{
    Image im;
    make(&im, 1);
    im.bytes[EI_CLASS] = ELFCLASS32;
    cr_assert_str_eq(check(&im), "32-bit ELF (RV32), not 64-bit");
    im.bytes[EI_CLASS] = 7;
    cr_assert_str_eq(check(&im), "bad ELF class 7");
    im.bytes[EI_CLASS] = ELFCLASSNONE;
    cr_assert_str_eq(check(&im), "bad ELF class 0");
}

Test(elf_check, wrong_endianness)
{
    Image im;
    make(&im, 1);
    im.bytes[EI_DATA] = ELFDATA2MSB;
    /* e_machine is read in the file's byte order: 243 little-endian is 0xf300. */
    cr_assert_str_eq(check(&im), "ELF for machine 62208, not RISC-V");
    im.eh->e_machine = (EM_RISCV >> 8) | (EM_RISCV & 0xff) << 8;
    cr_assert_str_eq(check(&im), "big-endian ELF, not little-endian");
    im.eh->e_machine = (EM_S390 >> 8) | (EM_S390 & 0xff) << 8;
    cr_assert_str_eq(check(&im), "ELF for s390, not RISC-V");
    im.bytes[EI_DATA] = 9;
    cr_assert_str_eq(check(&im), "bad ELF data encoding 9");
}

Test(elf_check, wrong_machine)
{
    Image im;
    make(&im, 1);
    im.eh->e_machine = EM_X86_64;
    cr_assert_str_eq(check(&im), "ELF for x86-64, not RISC-V");
    im.eh->e_machine = EM_AARCH64;
    cr_assert_str_eq(check(&im), "ELF for AArch64, not RISC-V");
    im.eh->e_machine = EM_386;
    im.bytes[EI_CLASS] = ELFCLASS32;
    cr_assert_str_eq(check(&im), "ELF for i386, not RISC-V");
    im.eh->e_machine = 9999;
    cr_assert_str_eq(check(&im), "ELF for machine 9999, not RISC-V");
}

Test(elf_check, version_and_type)
{
    Image im;
    make(&im, 1);
    im.bytes[EI_VERSION] = 2;
    cr_assert_str_eq(check(&im), "bad ELF version 2");
    make(&im, 1);
    im.eh->e_version = 0;
    cr_assert_str_eq(check(&im), "bad ELF version 0");
    make(&im, 1);
    im.eh->e_type = ET_REL;
    cr_assert_str_eq(check(&im), "relocatable object file, not an executable");
    im.eh->e_type = ET_CORE;
    cr_assert_str_eq(check(&im), "core dump, not an executable");
    im.eh->e_type = 0x1234;
    cr_assert_str_eq(check(&im), "bad ELF type 4660");
}

Test(elf_check, program_header_table)
{
    Image im;
    make(&im, 1);
    im.eh->e_phnum = 0;
    cr_assert_str_eq(check(&im), "no program headers");
    make(&im, 1);
    im.eh->e_phentsize = 32;
    cr_assert_str_eq(check(&im), "bad program header size 32");
    make(&im, 1);
    im.eh->e_phnum = USER_ELF_MAX_PHNUM + 1;
    cr_assert_str_eq(check(&im), "too many program headers (74)");
    im.eh->e_phnum = 0xffff;
    cr_assert_str_eq(check(&im), "too many program headers (65535)");
    make(&im, 1);
    im.eh->e_phnum = 2;   /* the second header would run into the code and past it */
    cr_assert_str_eq(check_n(&im, 64 + 2 * 56 - 1), "program headers past the end of the file");
    make(&im, 1);
    im.eh->e_phoff = UINT64_MAX - 10;
    cr_assert_str_eq(check(&im), "program headers past the end of the file");
    im.eh->e_phoff = im.size;
    cr_assert_str_eq(check(&im), "program headers past the end of the file");
    make(&im, 1);
    im.ph[0].p_type = PT_NOTE;
    cr_assert_str_eq(check(&im), "no loadable segments");
}

Test(elf_check, segment_sizes_and_offsets)
{
    Image im;
    make(&im, 1);
    im.ph[0].p_filesz = im.ph[0].p_memsz + 1;
    cr_assert_str_eq(check(&im), "segment 0: file size 0x85 larger than memory size 0x84");
    make(&im, 1);
    im.ph[0].p_offset = (uint64_t)1 << 40;
    im.ph[0].p_vaddr = BASE;
    cr_assert_str_eq(check(&im), "segment 0: file data past the end of the file (truncated?)");
    make(&im, 1);
    im.ph[0].p_offset = UINT64_MAX - 2;   /* offset + filesz wraps */
    cr_assert_str_eq(check(&im), "segment 0: file data past the end of the file (truncated?)");
    make(&im, 1);
    im.ph[0].p_filesz = im.size + 1;
    im.ph[0].p_memsz = im.size + 1;
    cr_assert_str_eq(check(&im), "segment 0: file data past the end of the file (truncated?)");
    make(&im, 1);
    im.ph[0].p_vaddr = BASE + 1;
    cr_assert_str_eq(check(&im), "segment 0: offset and address not page-congruent");
}

Test(elf_check, overflowing_addresses)
{
    Image im;
    make(&im, 1);
    im.ph[0].p_vaddr = UINT64_MAX - 0xfff;   /* vaddr + memsz wraps */
    im.ph[0].p_memsz = 0x2000;
    cr_assert_str_eq(check(&im), "segment 0: address overflow");
    make(&im, 1);
    im.ph[0].p_vaddr = 0xfffffffffffff000ull;
    im.ph[0].p_memsz = 0xff0;               /* fits, but its page end wraps */
    cr_assert_str_eq(check(&im), "segment 0: address overflow");
    make(&im, 1);
    im.ph[0].p_vaddr = (uint64_t)1 << 40;
    im.eh->e_entry = im.ph[0].p_vaddr + 120;
    cr_assert_str_eq(check(&im), "segment at 0x10000000000-0x10000000084: outside the guest "
                                 "address space");
    make(&im, 1);
    im.ph[0].p_vaddr = USER_SPACE_SIZE - 0x1000;
    im.ph[0].p_memsz = 0x1001;
    cr_assert_str_eq(check(&im), "segment at 0x3ffffff000-0x4000000001: outside the guest "
                                 "address space");
    make(&im, 1);
    im.ph[0].p_vaddr = 0x1000;
    im.eh->e_entry = 0x1000 + 120;
    cr_assert_str_eq(check(&im), "segment at 0x1000: below the lowest mappable address 0x10000");
}

Test(elf_check, entry_point)
{
    Image im;
    make(&im, 1);
    im.eh->e_entry = BASE + 0x5000;
    cr_assert_str_eq(check(&im), "entry point 0x15000 outside the loaded segments");
    im.eh->e_entry = 0;
    cr_assert_str_eq(check(&im), "entry point 0x0 outside the loaded segments");
}

Test(elf_check, interpreter)
{
    Image im;
    make(&im, 2);
    const char *interp = "/lib/ld-linux-riscv64-lp64d.so.1";
    size_t off = im.size, len = strlen(interp) + 1;
    memcpy(im.bytes + off, interp, len);
    im.size += len;
    im.ph[0].p_filesz = im.ph[0].p_memsz = im.size;
    im.ph[1] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = off,
                             .p_vaddr = BASE + off, .p_filesz = len, .p_memsz = len };
    cr_assert_str_eq(check(&im), "dynamically linked programs are not supported yet "
                                 "(interpreter /lib/ld-linux-riscv64-lp64d.so.1)");
    im.bytes[off + len - 1] = 'x';   /* not NUL-terminated */
    cr_assert_str_eq(check(&im), "bad PT_INTERP header");
    im.bytes[off + len - 1] = '\0';
    im.ph[1].p_offset = im.size;
    cr_assert_str_eq(check(&im), "bad PT_INTERP header");
    im.ph[1].p_offset = UINT64_MAX;
    cr_assert_str_eq(check(&im), "bad PT_INTERP header");
}

Test(elf_check, static_pie)
{
    Image im;
    make(&im, 1);
    im.eh->e_type = ET_DYN;
    im.ph[0].p_vaddr = 0;
    im.eh->e_entry = 120;
    cr_assert_str_eq(check(&im), "ok");
    cr_assert(info.pie);
    cr_assert_eq(info.bias, USER_PIE_BASE);
    cr_assert_eq(info.entry, USER_PIE_BASE + 120);
    cr_assert_eq(info.phdr, USER_PIE_BASE + 64);
    /* a larger p_align moves the base up to it */
    im.ph[0].p_align = 0x200000;
    cr_assert_str_eq(check(&im), "ok");
    cr_assert_eq(info.bias, 0x2aaac00000ull);
}

/* Random corruption of a good image: every result is "ok" or a reason, never a crash
   (run under ASan/valgrind to catch reads past the image). */
Test(elf_check, random_mutations)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int iter = 0; iter < 20000; iter++) {
        Image im;
        make(&im, 3);
        im.ph[1] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };
        im.ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0,
                                 .p_vaddr = BASE + 0x1000, .p_filesz = 16, .p_memsz = 0x100 };
        size_t size = im.size;
        int flips = 1 + (int)(seed % 4);
        for (int k = 0; k < flips; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = (size_t)(seed >> 33) % size;
            uint8_t v = (uint8_t)(seed >> 17);
            im.bytes[at] = (seed & 0x100) ? v : (uint8_t)(im.bytes[at] ^ (1u << (v & 7)));
        }
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        if ((seed >> 40) % 8 == 0)
            size = (size_t)(seed >> 20) % (size + 1);   /* and sometimes truncate */
        uint8_t *copy = malloc(size ? size : 1);    /* exactly size bytes, for ASan */
        memcpy(copy, im.bytes, size);
        int r = user_elf_check(copy, size, USER_SPACE_SIZE, &info);
        if (r == 0) {
            cr_assert_leq(info.hi, USER_SPACE_SIZE);
            cr_assert_geq(info.lo, USER_MIN_ADDR);
            cr_assert_geq(info.nseg, 1);
        } else {
            cr_assert_neq(info.error[0], '\0');
        }
        free(copy);
    }
}

/* ---- loading into a guest space ---- */

static char tmpdir[64];

static char *write_file(const char *name, const void *data, size_t size, mode_t mode)
{
    if (!tmpdir[0]) {
        strcpy(tmpdir, "/tmp/tiercel-test-elf-XXXXXX");
        cr_assert_not_null(mkdtemp(tmpdir));
    }
    char *path;
    cr_assert_neq(asprintf(&path, "%s/%s", tmpdir, name), -1);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, data, size), (ssize_t)size);
    close(fd);
    chmod(path, mode);
    return path;
}

static uint64_t rd64(UserProcess *p, uint64_t a)
{
    uint64_t v;
    memcpy(&v, mem_user_host(&p->mem, a), 8);
    return v;
}

static uint64_t auxv_get(UserProcess *p, uint64_t auxv, uint64_t type, int *count)
{
    uint64_t val = 0;
    *count = 0;
    for (uint64_t a = auxv;; a += 16) {
        uint64_t t = rd64(p, a);
        if (t == type)
            val = rd64(p, a + 8), ++*count;
        if (t == AT_NULL)
            break;
    }
    return val;
}

Test(elf_load, good_program_and_stack)
{
    /* Two segments: code (R+X), and data (R+W) whose bss tail shares the last file page. */
    Image im;
    make(&im, 2);
    uint64_t data_off = 0x1000;
    memset(im.bytes + im.size, 0xee, sizeof im.bytes - im.size);   /* garbage after data */
    memcpy(im.bytes + data_off, "DATA1234", 8);
    im.ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = data_off,
                             .p_vaddr = BASE + 0x1000 + data_off, .p_filesz = 8,
                             .p_memsz = 0x3000, .p_align = 0x1000 };
    char *path = write_file("good", im.bytes, sizeof im.bytes, 0755);

    UserProcess p;
    cr_assert_eq(user_process_init(&p, USER_STACK_DEFAULT, USER_SPACE_SIZE), 0);
    UserElfInfo *elf = calloc(1, sizeof *elf);
    cr_assert_eq(user_elf_load(&p, path, elf), 0, "%s", elf->error);
    cr_assert_eq(elf->entry, BASE + 64 + 2 * 56);
    cr_assert_eq(memcmp(mem_user_host(&p.mem, elf->entry), code, sizeof code), 0);
    cr_assert_eq(memcmp(mem_user_host(&p.mem, BASE + 0x2000), "DATA1234", 8), 0);
    /* the rest of the last file page and the bss are zero, not file garbage */
    const uint8_t *bss = mem_user_host(&p.mem, BASE + 0x2008);
    for (size_t i = 0; i < 0x3000 - 8; i++)
        cr_assert_eq(bss[i], 0, "bss byte %zu", i);
    const UserVma *v = user_vma_find(&p.vmas, BASE);
    cr_assert_not_null(v);
    cr_assert_eq(v->prot, MEM_PROT_READ | MEM_PROT_EXEC);
    v = user_vma_find(&p.vmas, BASE + 0x4fff);
    cr_assert_not_null(v);
    cr_assert_eq(v->prot, MEM_PROT_READ | MEM_PROT_WRITE);
    cr_assert_null(user_vma_find(&p.vmas, BASE + 0x5000));
    cr_assert_eq(p.brk_start, BASE + 0x5000);
    cr_assert_str_eq(p.exe_real, path);

    char *argv[] = { "prog", "first arg", NULL };
    char *envp[] = { "A=1", "LONGER=some value", NULL };
    uint8_t rnd[16];
    for (int i = 0; i < 16; i++)
        rnd[i] = (uint8_t)(i * 7 + 1);
    UserStackArgs sa = { .argc = 2, .argv = argv, .envp = envp, .execfn = "/path/to/prog",
                         .random = rnd };
    char err[128] = "";
    uint64_t sp = user_stack_setup(&p, elf, &sa, err, sizeof err);
    cr_assert_neq(sp, 0, "%s", err);
    cr_assert_eq(sp % 16, 0);
    cr_assert_lt(sp, USER_SPACE_SIZE);
    cr_assert_geq(sp, USER_SPACE_SIZE - USER_STACK_DEFAULT);

    cr_assert_eq(rd64(&p, sp), 2);
    cr_assert_str_eq((char *)mem_user_host(&p.mem, rd64(&p, sp + 8)), "prog");
    cr_assert_str_eq((char *)mem_user_host(&p.mem, rd64(&p, sp + 16)), "first arg");
    cr_assert_eq(rd64(&p, sp + 24), 0);
    cr_assert_str_eq((char *)mem_user_host(&p.mem, rd64(&p, sp + 32)), "A=1");
    cr_assert_str_eq((char *)mem_user_host(&p.mem, rd64(&p, sp + 40)), "LONGER=some value");
    cr_assert_eq(rd64(&p, sp + 48), 0);
    /* strings in Linux's order: argv, then envp, then the exec name at the very top */
    cr_assert_lt(rd64(&p, sp + 8), rd64(&p, sp + 16));
    cr_assert_lt(rd64(&p, sp + 16), rd64(&p, sp + 32));
    cr_assert_lt(rd64(&p, sp + 40), USER_SPACE_SIZE);

    uint64_t auxv = sp + 56;
    int n;
    cr_assert_eq(auxv_get(&p, auxv, AT_PHDR, &n), BASE + 64); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_PHENT, &n), 56); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_PHNUM, &n), 2); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_PAGESZ, &n), 4096); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_BASE, &n), 0); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_FLAGS, &n), 0); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_ENTRY, &n), elf->entry); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_UID, &n), getuid()); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_EUID, &n), geteuid()); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_GID, &n), getgid()); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_EGID, &n), getegid()); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_SECURE, &n), 0); cr_assert_eq(n, 1);
    cr_assert_eq(auxv_get(&p, auxv, AT_CLKTCK, &n), (uint64_t)sysconf(_SC_CLK_TCK));
    uint64_t hwcap = auxv_get(&p, auxv, AT_HWCAP, &n);
    cr_assert_eq(hwcap, (1u << ('I' - 'A')) | (1u << ('M' - 'A')) | (1u << ('A' - 'A')) |
                        (1u << ('F' - 'A')) | (1u << ('D' - 'A')) | (1u << ('C' - 'A')));
    uint64_t random = auxv_get(&p, auxv, AT_RANDOM, &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(memcmp(mem_user_host(&p.mem, random), rnd, 16), 0);
    uint64_t execfn = auxv_get(&p, auxv, AT_EXECFN, &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq((char *)mem_user_host(&p.mem, execfn), "/path/to/prog");
    cr_assert_eq(execfn + strlen("/path/to/prog") + 1 + 8, USER_SPACE_SIZE);
    auxv_get(&p, auxv, AT_PLATFORM, &n);
    cr_assert_eq(n, 0, "riscv has no AT_PLATFORM");

    v = user_vma_find(&p.vmas, sp);
    cr_assert_not_null(v);
    cr_assert_eq(v->kind, USER_VMA_STACK);
    cr_assert_eq(v->start, USER_SPACE_SIZE - USER_STACK_DEFAULT);
    free(elf);
    user_process_destroy(&p);
}

Test(elf_load, static_pie_is_placed_at_the_bias)
{
    Image im;
    make(&im, 1);
    im.eh->e_type = ET_DYN;
    im.ph[0].p_vaddr = 0;
    im.eh->e_entry = 120;
    char *path = write_file("pie", im.bytes, im.size, 0755);
    UserProcess p;
    cr_assert_eq(user_process_init(&p, USER_STACK_DEFAULT, USER_SPACE_SIZE), 0);
    UserElfInfo *elf = calloc(1, sizeof *elf);
    cr_assert_eq(user_elf_load(&p, path, elf), 0, "%s", elf->error);
    cr_assert_eq(elf->entry, USER_PIE_BASE + 120);
    cr_assert_eq(memcmp(mem_user_host(&p.mem, elf->entry), code, sizeof code), 0);
    cr_assert_eq(p.brk_start, USER_PIE_BASE + 0x1000);
    free(elf);
    user_process_destroy(&p);
}

Test(elf_load, file_errors)
{
    Image im;
    make(&im, 1);
    UserProcess p;
    cr_assert_eq(user_process_init(&p, USER_STACK_DEFAULT, USER_SPACE_SIZE), 0);
    UserElfInfo *elf = calloc(1, sizeof *elf);
    cr_assert_eq(user_elf_load(&p, "/nonexistent/tiercel/prog", elf), -1);
    cr_assert_str_eq(elf->error, "No such file or directory");
    cr_assert_eq(user_elf_load(&p, "/", elf), -1);
    cr_assert_str_eq(elf->error, "Is a directory");
    cr_assert_eq(user_elf_load(&p, "/dev/null", elf), -1);
    cr_assert_str_eq(elf->error, "not a regular file");
    cr_assert_eq(user_elf_load(&p, write_file("noexec", im.bytes, im.size, 0644), elf), -1);
    cr_assert_str_eq(elf->error, "Permission denied");
    cr_assert_eq(user_elf_load(&p, write_file("empty", "", 0, 0755), elf), -1);
    cr_assert_str_eq(elf->error, "not an ELF file");
    cr_assert_eq(user_elf_load(&p, write_file("short", im.bytes, 100, 0755), elf), -1);
    cr_assert_str_eq(elf->error, "program headers past the end of the file");
    cr_assert_eq(p.vmas.n, 0, "nothing mapped for a refused file");
    free(elf);
    user_process_destroy(&p);
}

Test(elf_load, arguments_too_long)
{
    Image im;
    make(&im, 1);
    UserProcess p;
    cr_assert_eq(user_process_init(&p, 64 << 10, USER_SPACE_SIZE), 0);
    UserElfInfo *elf = calloc(1, sizeof *elf);
    cr_assert_eq(user_elf_load(&p, write_file("args", im.bytes, im.size, 0755), elf), 0);
    char *big = malloc(20000);
    memset(big, 'x', 19999);
    big[19999] = 0;
    char *argv[] = { "prog", big, NULL };
    char *envp[] = { NULL };
    UserStackArgs sa = { .argc = 2, .argv = argv, .envp = envp, .execfn = "prog" };
    char err[128];
    cr_assert_eq(user_stack_setup(&p, elf, &sa, err, sizeof err), 0);
    cr_assert_str_eq(err, "argument list too long for a 64 KiB stack");
    free(big);
    free(elf);
    user_process_destroy(&p);
}

/* ---- the guest mappings behind brk and mmap ---- */

Test(vma, mmap_munmap_mprotect_brk)
{
    UserProcess p;
    cr_assert_eq(user_process_init(&p, USER_STACK_DEFAULT, USER_SPACE_SIZE), 0);
    p.brk_start = p.brk_end = 0x100000;
    enum { RW = MEM_PROT_READ | MEM_PROT_WRITE, PRIV_ANON = 0x22 };

    int64_t a = user_mmap(&p, 0, 0x3000, RW, PRIV_ANON, -1, 0);
    cr_assert_gt(a, 0);
    cr_assert_eq(a % 4096, 0);
    cr_assert_leq((uint64_t)a + 0x3000, p.mmap_top);
    memset(mem_user_host(&p.mem, (uint64_t)a), 1, 0x3000);
    cr_assert_eq(user_mmap(&p, 0, 0, RW, PRIV_ANON, -1, 0), -EINVAL);
    cr_assert_eq(user_mmap(&p, 0, 4096, RW, 0x20, -1, 0), -EINVAL);   /* no type */
    cr_assert_eq(user_mmap(&p, 0x1001, 4096, RW, PRIV_ANON | 0x10, -1, 0), -EINVAL);
    cr_assert_eq(user_mmap(&p, USER_SPACE_SIZE, 4096, RW, PRIV_ANON | 0x10, -1, 0), -ENOMEM);
    cr_assert_eq(user_mmap(&p, 0x1000, 4096, RW, PRIV_ANON | 0x10, -1, 0), -EPERM);
    cr_assert_eq(user_mmap(&p, (uint64_t)a, 4096, RW, PRIV_ANON | 0x100000, -1, 0), -EEXIST);

    /* punch a hole: three pieces become two */
    cr_assert_eq(user_munmap(&p, (uint64_t)a + 0x1000, 0x1000), 0);
    cr_assert_not_null(user_vma_find(&p.vmas, (uint64_t)a));
    cr_assert_null(user_vma_find(&p.vmas, (uint64_t)a + 0x1000));
    cr_assert_eq(user_mprotect(&p, (uint64_t)a, 0x3000, MEM_PROT_READ), -ENOMEM);
    cr_assert_eq(user_mprotect(&p, (uint64_t)a, 0x1000, MEM_PROT_READ), 0);
    cr_assert_eq(user_vma_find(&p.vmas, (uint64_t)a)->prot, MEM_PROT_READ);
    cr_assert_eq(user_mprotect(&p, (uint64_t)a + 1, 0x1000, MEM_PROT_READ), -EINVAL);
    cr_assert_eq(user_munmap(&p, (uint64_t)a + 1, 0x1000), -EINVAL);

    /* MAP_FIXED over existing memory replaces it with zeroes */
    int64_t b = user_mmap(&p, (uint64_t)a, 0x1000, RW, PRIV_ANON | 0x10, -1, 0);
    cr_assert_eq(b, a);
    cr_assert_eq(*(uint8_t *)mem_user_host(&p.mem, (uint64_t)a), 0);

    /* brk grows in pages, refuses to shrink below its start */
    cr_assert_eq(user_brk(&p, 0), 0x100000);
    cr_assert_eq(user_brk(&p, 0x100010), 0x100010);
    *(uint8_t *)mem_user_host(&p.mem, 0x10000f) = 7;
    cr_assert_eq(user_brk(&p, 0x123456), 0x123456);
    cr_assert_not_null(user_vma_find(&p.vmas, 0x123000));
    cr_assert_eq(user_brk(&p, 0x100010), 0x100010);
    cr_assert_null(user_vma_find(&p.vmas, 0x101000));
    cr_assert_eq(user_brk(&p, 0x1000), 0x100010);

    /* mremap: grow in place when free, else move */
    int64_t c = user_mmap(&p, 0, 0x2000, RW, PRIV_ANON, -1, 0);
    memset(mem_user_host(&p.mem, (uint64_t)c), 5, 0x2000);
    int64_t d = user_mremap(&p, (uint64_t)c, 0x2000, 0x10000, 1, 0);
    cr_assert_gt(d, 0);
    cr_assert_eq(*(uint8_t *)mem_user_host(&p.mem, (uint64_t)d + 0x1fff), 5);
    cr_assert_eq(*(uint8_t *)mem_user_host(&p.mem, (uint64_t)d + 0x2000), 0);
    cr_assert_eq(user_mremap(&p, (uint64_t)d, 0x10000, 0x1000, 0, 0), d);
    cr_assert_null(user_vma_find(&p.vmas, (uint64_t)d + 0x1000));
    cr_assert_eq(user_mremap(&p, 0x7000000, 0x1000, 0x2000, 1, 0), -EFAULT);
    user_process_destroy(&p);
}

Test(vma, gap_search)
{
    UserVmas vs = { 0 };
    user_vma_set(&vs, 0x10000, 0x20000, MEM_PROT_READ, USER_VMA_ANON);
    user_vma_set(&vs, 0x30000, 0x40000, MEM_PROT_READ, USER_VMA_ANON);
    cr_assert_eq(user_vma_find_gap(&vs, 0x1000, 0x10000, 0x50000), 0x4f000);
    cr_assert_eq(user_vma_find_gap(&vs, 0x10000, 0x10000, 0x40000), 0x20000);
    cr_assert_eq(user_vma_find_gap(&vs, 0x10001, 0x10000, 0x40000), UINT64_MAX);
    cr_assert_eq(vs.n, 2);
    user_vma_set(&vs, 0x20000, 0x30000, MEM_PROT_READ, USER_VMA_ANON);
    cr_assert_eq(vs.n, 1, "alike neighbours merge");
    user_vma_clear(&vs, 0x18000, 0x19000);
    cr_assert_eq(vs.n, 2);
    cr_assert(user_vma_free(&vs, 0x18000, 0x19000));
    cr_assert(!user_vma_covered(&vs, 0x10000, 0x40000, 0));
    cr_assert(user_vma_covered(&vs, 0x19000, 0x40000, MEM_PROT_READ));
    free(vs.v);
}
