/*
** harness.h — the memory layout and file formats shared by harness.S (the riscv64
** guest program) and test_diff.cc (the generator and checker). Plain #defines only:
** the assembler includes this file too.
**
** The guest maps two regions at fixed addresses (MAP_FIXED), so that every address a
** case can observe (auipc, jal links, the base registers) is the same under every
** emulator:
**
**   CODE   (4 KiB, RWX)
**     +0x000  prologue: ld x5, SLOT_X5-BASE(x8)       (copied once from the harness)
**     +0x004  the case's instructions, ending in `jal x0, EPILOGUE`
**     +0x800  epilogue: stores x0..x31, f0..f31, fcsr, then jumps back to the harness
**
**   DATA   (8 KiB, RW)
**     +0x100  slots: x5's initial value, resume address, SC dummy word, file descriptor
**     +0x1f8  the output record: x[32], f[32], fcsr, then (contiguous) the scratch buffer
**     +0x400  scratch buffer, 1 KiB: every load, store and atomic of a case lands here
**     +0x1000 the input record being run
**
** Reserved registers: x8 (s0) = DATA+0x600 and x2 (sp) = DATA+0x500, the two base
** registers. Random code may read them (as any source, and as the base of loads, stores
** and atomics: sp for the c.*sp forms, x8 for the compressed c.lw/c.sd ... forms) but
** never writes them.
**
** Input file: records of REC_SIZE bytes, little-endian, read until end of file:
**   0x000 u64 x[32]    (x0 is ignored; x2 and x8 are forced to their fixed values)
**   0x100 u64 f[32]
**   0x200 u64 fcsr
**   0x208 u64 scratch seed (nonzero): the scratch buffer is filled with xorshift64
**             (x ^= x << 13; x ^= x >> 7; x ^= x << 17; store x), 128 doublewords
**   0x210 u64 code length in bytes (at most MAX_CODE)
**   0x218 u64 unused
**   0x220 u8  code[MAX_CODE]
** Output (stdout): one OUT_SIZE record per case, copied from DATA+OUT.
** Usage: harness CASEFILE [FIRST]   (FIRST: index of the first record to run)
*/
#ifndef diff_harness_h
#define diff_harness_h

#define DIFF_CODE          0x40000000
#define DIFF_CODE_START    (DIFF_CODE + 4)
#define DIFF_EPILOGUE_OFF  0x800
#define DIFF_EPILOGUE      (DIFF_CODE + DIFF_EPILOGUE_OFF)

#define DIFF_DATA          0x40010000
#define DIFF_DATA_SIZE     0x2000
#define DIFF_SLOT_X5       0x100
#define DIFF_SLOT_RESUME   0x108
#define DIFF_SLOT_SC       0x110
#define DIFF_SLOT_FD       0x118
#define DIFF_OUT           0x1f8
#define DIFF_OUT_X         0x1f8
#define DIFF_OUT_F         0x2f8
#define DIFF_OUT_FCSR      0x3f8
#define DIFF_SCRATCH       0x400
#define DIFF_SCRATCH_SIZE  0x400
#define DIFF_OUT_SIZE      (DIFF_SCRATCH + DIFF_SCRATCH_SIZE - DIFF_OUT)   /* 1544 */
#define DIFF_BASE_OFF      0x600          /* x8 = DIFF_DATA + DIFF_BASE_OFF */
#define DIFF_SP_OFF        0x500          /* x2 = DIFF_DATA + DIFF_SP_OFF */
#define DIFF_BASE_REG      8
#define DIFF_SP_REG        2

#define DIFF_REC           0x1000
#define DIFF_REC_SIZE      640
#define DIFF_REC_X         0x000
#define DIFF_REC_F         0x100
#define DIFF_REC_FCSR      0x200
#define DIFF_REC_SEED      0x208
#define DIFF_REC_LEN       0x210
#define DIFF_REC_CODE      0x220
#define DIFF_MAX_CODE      96

#endif
