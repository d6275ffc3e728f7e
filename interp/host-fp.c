/*
** host-fp.c — the guest's FP exception flags that the helpers' host shortcut (host-fp.h)
** leaves in the host thread's MXCSR: folded into cpu->fflags where fflags is read and
** where the loop hands the thread to tiercel's own code, and discarded where the flags
** there are not the guest's.
*/
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "interp-internal.h"
#include "softfloat.h"

/* MXCSR's flags (IE, DE, ZE, OE, UE, PE) as fflags; DE (a subnormal operand) has no
   counterpart */
enum { MXCSR_FLAGS = 0x3f };
static uint32_t fflags_of_mxcsr(uint32_t m)
{
    return (m & 0x01 ? SF_NV : 0) | (m & 0x04 ? SF_DZ : 0) | (m & 0x08 ? SF_OF : 0) | (m & 0x10 ? SF_UF : 0) |
           (m & 0x20 ? SF_NX : 0);
}

void interp_fp_fold_from(InterpCpu *cpu, uint32_t mxcsr)
{
    cpu->fflags |= fflags_of_mxcsr(mxcsr);
}

void interp_fp_fold(InterpCpu *cpu)
{
#if defined(__x86_64__)
    uint32_t m = _mm_getcsr();
    if (m & MXCSR_FLAGS) {
        cpu->fflags |= fflags_of_mxcsr(m);
        _mm_setcsr(m & ~(uint32_t)MXCSR_FLAGS);
    }
#else
    (void)cpu;
#endif
}

void interp_fp_discard(void)
{
#if defined(__x86_64__)
    uint32_t m = _mm_getcsr();
    if (m & MXCSR_FLAGS)
        _mm_setcsr(m & ~(uint32_t)MXCSR_FLAGS);
#endif
}
