/*
** csr.c — the CSRs a user-mode hart can reach: the FP control and status registers
** and the read-only counters. Anything else is an illegal instruction, as Linux
** leaves it to user programs.
*/
#include <time.h>

#include "interp-internal.h"

enum {
    CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
    CSR_CYCLE = 0xC00, CSR_TIME = 0xC01, CSR_INSTRET = 0xC02,
};

static uint64_t time_ticks(void)
{
    /* 10 MHz, the timebase of QEMU's and tiercel's virt boards */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}

bool interp_csr_read(InterpCpu *cpu, unsigned csr, uint64_t *value)
{
    switch (csr) {
    case CSR_FFLAGS: interp_fp_fold(cpu); *value = cpu->fflags & 0x1f; return true;
    case CSR_FRM: *value = cpu->frm & 0x7; return true;
    case CSR_FCSR: interp_fp_fold(cpu); *value = (cpu->frm & 0x7) << 5 | (cpu->fflags & 0x1f); return true;
    case CSR_CYCLE:
    case CSR_INSTRET:
        interp_sync_stats(cpu);   /* exact up to the block before this one */
        *value = cpu->stats.insns;
        return true;
    case CSR_TIME: *value = time_ticks(); return true;
    default: return false;
    }
}

bool interp_csr_write(InterpCpu *cpu, unsigned csr, uint64_t value)
{
    switch (csr) {
    case CSR_FFLAGS: interp_fp_discard(); cpu->fflags = value & 0x1f; return true;
    case CSR_FRM: cpu->frm = value & 0x7; return true;
    case CSR_FCSR:
        interp_fp_discard();
        cpu->fflags = value & 0x1f;
        cpu->frm = (value >> 5) & 0x7;
        return true;
    default: return false;   /* the counters are read-only: writing one is illegal */
    }
}
