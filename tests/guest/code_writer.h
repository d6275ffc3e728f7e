/* code_writer.h — for guest programs that write RISC-V code at run time (the code-cache
 * pressure tests): a little-endian instruction store, and the two instructions that put a
 * 32-bit constant in a1. */
#ifndef code_writer_h
#define code_writer_h

#include <stdint.h>
#include <string.h>

static inline void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* lui a1, hi; addi a1, a1, lo: a1 = k (8 bytes at p) */
static inline void put_li_a1(uint8_t *p, int32_t k)
{
    int32_t hi = (k + 0x800) >> 12, lo = k - (hi << 12);
    put32(p + 0, 0x000005b7u | ((uint32_t)hi << 12));
    put32(p + 4, 0x00058593u | ((uint32_t)(lo & 0xfff) << 20));
}

#endif
