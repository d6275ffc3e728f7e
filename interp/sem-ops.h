/*
** sem-ops.h — the semantics language's operators that C leaves undefined, made total
** (spec/README.md): division by zero gives 0, remainder by zero the dividend, and the
** most negative value divided by -1 itself. Generated code calls these.
*/
#ifndef sem_ops_h
#define sem_ops_h

#include <stdint.h>

#define SEM_DIVISION(bits, UT, ST, SMIN)                                                       \
    static inline UT sem_divu##bits(UT a, UT b) { return b ? a / b : 0; }                      \
    static inline UT sem_remu##bits(UT a, UT b) { return b ? a % b : a; }                      \
    static inline ST sem_divs##bits(ST a, ST b)                                                \
    {                                                                                          \
        return b == 0 ? 0 : (a == SMIN && b == -1) ? a : a / b;                               \
    }                                                                                          \
    static inline ST sem_rems##bits(ST a, ST b)                                                \
    {                                                                                          \
        return b == 0 ? a : (a == SMIN && b == -1) ? 0 : a % b;                               \
    }

SEM_DIVISION(32, uint32_t, int32_t, INT32_MIN)
SEM_DIVISION(64, uint64_t, int64_t, INT64_MIN)
SEM_DIVISION(128, unsigned __int128, __int128, (__int128)((unsigned __int128)1 << 127))

#endif
