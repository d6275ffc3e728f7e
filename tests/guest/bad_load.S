/* Bad guest: a load from the unmapped address 0x10: SIGSEGV, exit status 139.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
#include "bad_guest.h"

        bad_guest_begin "before unmapped load\n"
        li      t0, 0x10
        ld      t1, 0(t0)
        bad_guest_end
