/* Bad guest: a load faults inside a superinstruction (two instructions the threaded
 * interpreter runs with one handler; spec/riscv/superinsns.xml). Built twice:
 * -DFAULT_FIRST faults in the pair's first instruction (ld, then addi), otherwise in
 * its second (add, then ld). Either way the guest gets SIGSEGV (139) at the load's pc,
 * with the instructions before it retired and none after: tests/meson.build compares
 * the threaded build with the switch build, which has no superinstructions. */
#include "bad_guest.h"

        bad_guest_begin "before a load that faults inside a superinstruction\n"
#ifdef FAULT_FIRST
        li      t0, 0x10
        ld      a5, 0(t0)               /* the fault: first of (ld, addi) */
        addi    a5, a5, 1
#else
        li      t1, 8
        li      t2, 8                   /* (addi, addi) */
        add     t0, t1, t2
        ld      a3, 0(t0)               /* the fault: second of (add, ld) */
#endif
        addi    a3, a3, 1
        bad_guest_end
