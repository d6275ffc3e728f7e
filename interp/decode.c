/*
** decode.c — the generated decoder and instruction table, compiled once.
*/
#include "interp-internal.h"

#include "riscv64-decode.c.inc"
#include "riscv64-tables.c.inc"

int interp_decode_one(uint32_t bits, InterpInsn *d)
{
    return gen_decode(bits, d);
}
