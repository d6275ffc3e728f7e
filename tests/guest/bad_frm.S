/* Bad guest: a dynamic-rounding FP instruction while frm holds the reserved value 5: SIGILL, exit status 132.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
#include "bad_guest.h"

        bad_guest_begin "before dynamic rounding with frm=5\n"
        csrwi   frm, 5
        fadd.s  ft0, ft0, ft0, dyn
        bad_guest_end
