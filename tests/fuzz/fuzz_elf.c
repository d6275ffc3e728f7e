/*
** fuzz_elf.c — libFuzzer target for the ELF loader's checks (user_elf_check): any
** input must be refused with a one-line reason or accepted with every segment inside
** the file and the guest space; never a crash or an out-of-bounds read (ASan).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static UserElfInfo info;
    const uint64_t space = (uint64_t)1 << 38;
    memset(&info, 0, sizeof info);
    if (user_elf_check(data, size, space, &info) != 0) {
        if (!info.error[0] || strchr(info.error, '\n'))
            abort();   /* a refusal must say why, on one line */
        return 0;
    }
    for (unsigned i = 0; i < info.nseg; i++) {
        const UserElfSegment *s = &info.seg[i];
        if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset ||
            s->vaddr > space || s->memsz > space - s->vaddr)
            abort();
    }
    if (info.entry >= space)
        abort();
    return 0;
}
