/*
** stack.c — the initial stack, laid out as Linux's create_elf_tables does for riscv64
** (no AT_PLATFORM: riscv's ELF_PLATFORM is NULL). From the top of the guest space down:
** a zero word, the AT_EXECFN string, the environment strings, the argument strings,
** 16-byte alignment, 16 random bytes (AT_RANDOM), then at sp (16-byte aligned) argc,
** argv[], NULL, envp[], NULL and the auxiliary vector.
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "user.h"

static void put64(UserProcess *p, uint64_t addr, uint64_t v)
{
    memcpy(mem_user_host(&p->mem, addr), &v, 8);
}

static uint64_t put_string(UserProcess *p, uint64_t *sp, const char *s)
{
    size_t len = strlen(s) + 1;
    *sp -= len;
    memcpy(mem_user_host(&p->mem, *sp), s, len);
    return *sp;
}

uint64_t user_stack_setup(UserProcess *p, const UserElfInfo *elf, const UserStackArgs *a,
                          char *err, size_t errsize)
{
    uint64_t top = p->stack_top, bottom = top - p->stack_size;
    size_t envc = 0, bytes = strlen(a->execfn) + 1;
    while (a->envp && a->envp[envc])
        bytes += strlen(a->envp[envc++]) + 1 + 8;
    for (int i = 0; i < a->argc; i++)
        bytes += strlen(a->argv[i]) + 1 + 8;
    /* Linux refuses more than a quarter of the stack for arguments (E2BIG). */
    if (bytes > p->stack_size / 4) {
        snprintf(err, errsize, "argument list too long for a %llu KiB stack",
                 (unsigned long long)(p->stack_size >> 10));
        return 0;
    }
    int r = user_map_anon(p, bottom, p->stack_size, elf->stack_prot, USER_VMA_STACK);
    if (r < 0) {
        snprintf(err, errsize, "cannot map the stack: %s", strerror(-r));
        return 0;
    }

    uint64_t sp = top - 8;                      /* bprm->p starts one word below the top */
    put64(p, sp, 0);
    uint64_t execfn = put_string(p, &sp, a->execfn);
    uint64_t *envp = calloc(envc + 1, 8), *argv = calloc((size_t)a->argc + 1, 8);
    if (!envp || !argv) {
        free(envp);
        free(argv);
        snprintf(err, errsize, "out of memory");
        return 0;
    }
    for (size_t i = envc; i-- > 0;)
        envp[i] = put_string(p, &sp, a->envp[i]);
    for (int i = a->argc; i-- > 0;)
        argv[i] = put_string(p, &sp, a->argv[i]);
    sp &= ~(uint64_t)15;

    uint8_t rnd[16];
    if (a->random)
        memcpy(rnd, a->random, 16);
    else if (getrandom(rnd, 16, 0) != 16)
        memset(rnd, 0x5a, 16);
    sp -= 16;
    memcpy(mem_user_host(&p->mem, sp), rnd, 16);
    uint64_t random = sp;

    uint64_t auxv[][2] = {
        { AT_HWCAP, USER_HWCAP },
        { AT_PAGESZ, MEM_PAGE_SIZE },
        { AT_CLKTCK, (uint64_t)sysconf(_SC_CLK_TCK) },
        { AT_PHDR, elf->phdr },
        { AT_PHENT, elf->phent },
        { AT_PHNUM, elf->phnum },
        { AT_BASE, 0 },
        { AT_FLAGS, 0 },
        { AT_ENTRY, elf->entry },
        { AT_UID, getuid() },
        { AT_EUID, geteuid() },
        { AT_GID, getgid() },
        { AT_EGID, getegid() },
        { AT_SECURE, 0 },
        { AT_RANDOM, random },
        { AT_EXECFN, execfn },
        { AT_NULL, 0 },
    };
    size_t words = 1 + (size_t)a->argc + 1 + envc + 1 + sizeof auxv / 8;
    sp = (sp - words * 8) & ~(uint64_t)15;

    uint64_t at = sp;
    put64(p, at, (uint64_t)a->argc), at += 8;
    for (int i = 0; i < a->argc; i++)
        put64(p, at, argv[i]), at += 8;
    put64(p, at, 0), at += 8;
    for (size_t i = 0; i < envc; i++)
        put64(p, at, envp[i]), at += 8;
    put64(p, at, 0), at += 8;
    for (size_t i = 0; i < sizeof auxv / sizeof auxv[0]; i++)
        put64(p, at, auxv[i][0]), put64(p, at + 8, auxv[i][1]), at += 16;
    free(envp);
    free(argv);
    return sp;
}
