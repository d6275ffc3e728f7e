/* Bad guest: an all-zero instruction word (.word 0): SIGILL, exit status 132.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
#include "bad_guest.h"

        bad_guest_begin "before illegal instruction\n"
        .word   0
        bad_guest_end
