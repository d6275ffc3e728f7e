/* Bad guest: a jump to the unmapped address 0x10: SIGSEGV (instruction fetch), exit status 139.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
#include "bad_guest.h"

        bad_guest_begin "before jump to unmapped address\n"
        li      t0, 0x10
        jalr    ra, 0(t0)
        bad_guest_end
