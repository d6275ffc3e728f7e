/*
** sem-ops.h — the semantics language's operators that C leaves undefined, made total
** (spec/README.md): division by zero gives 0, remainder by zero the dividend, and the
** most negative value divided by -1 itself. Generated code calls these.
*/
#ifndef sem_ops_h
#define sem_ops_h

#include <stdint.h>
#include <string.h>

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

/* ---- the effects every tier defines alike (interp/exec.c, jit/stencils.c,
   jit/lift-bodies.c). The includer provides `cpu`, and for user-mode memory `mbase`
   and `msize` (guest address a is at mbase + a for a < msize; the reservation ends in a
   guard region, so an access starting below msize cannot escape it, and holes inside
   fault on the host), plus how to leave: MEM_FAULT(kind, addr) with kind load, store
   or misaligned, and ILLEGAL(). */
/* MEM_ACCESS_OK(a, bytes, need): whether the access goes to the host; otherwise it is
   the guest's fault (MEM_FAULT). By default any address below msize goes, and a host
   fault reports what the page forbids; tier 2 defines its own (jit/lift-bodies.c). */
#ifndef MEM_ACCESS_OK
#define MEM_ACCESS_OK(a, bytes, need) ((a) < msize)
#endif
#define MEM_LOAD(N, addr) ({                                                   \
        uint64_t a_ = (addr);                                                  \
        if (__builtin_expect(!MEM_ACCESS_OK(a_, N / 8, MEM_RIGHT_READ), 0))    \
            MEM_FAULT(load, a_);                                               \
        uint##N##_t v_; memcpy(&v_, mbase + a_, N / 8); v_; })
#define MEM_STORE(N, addr, value) do {                                         \
        uint64_t a_ = (addr); uint##N##_t v_ = (value);                        \
        if (__builtin_expect(!MEM_ACCESS_OK(a_, N / 8, MEM_RIGHT_WRITE), 0))   \
            MEM_FAULT(store, a_);                                              \
        memcpy(mbase + a_, &v_, N / 8); } while (0)
#define MEM_AMO_PTR(N, addr) ({                                                \
        uint64_t a_ = (addr);                                                  \
        if (__builtin_expect(a_ & (N / 8 - 1), 0)) MEM_FAULT(misaligned, a_);  \
        if (__builtin_expect(!MEM_ACCESS_OK(a_, N / 8, MEM_RIGHT_READ | MEM_RIGHT_WRITE), 0)) \
            MEM_FAULT(store, a_);                                              \
        (uint##N##_t *)(mbase + a_); })
#define AMO_LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define AMO_CAS(p, expected, desired) ({                                        \
        __typeof__(*(p)) e_ = (expected);                                      \
        __atomic_compare_exchange_n((p), &e_, (desired), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); })
#define MEM_AMO_LOAD(N, addr) AMO_LOAD(MEM_AMO_PTR(N, addr))
#define MEM_CAS(N, addr, expected, value) AMO_CAS(MEM_AMO_PTR(N, addr), expected, value)

/* CSR access (false from interp/csr.c: an illegal instruction) and the fences */
#define CSR_READ(csr) ({ uint64_t c_; if (__builtin_expect(!interp_csr_read(cpu, (csr), &c_), 0)) ILLEGAL(); c_; })
#define CSR_WRITE(csr, v) do { if (__builtin_expect(!interp_csr_write(cpu, (csr), (v)), 0)) ILLEGAL(); } while (0)
#define FENCE() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define FENCE_I() interp_fence_i(cpu)

#endif
