/*
** decode.c — the generated decoder and instruction table, compiled once.
*/
#include "interp-internal.h"

#include GEN_DECODE_INC
#include GEN_TABLES_INC

int interp_decode_one(uint32_t bits, InterpInsn *d)
{
    return gen_decode(bits, d);
}
