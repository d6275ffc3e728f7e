/* Bad guest: a store into the program's own read-only text: SIGSEGV, exit status 139.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
#include "bad_guest.h"

        bad_guest_begin "before store to read-only text\n"
        lla     t0, _start
        sw      zero, 0(t0)
        bad_guest_end
