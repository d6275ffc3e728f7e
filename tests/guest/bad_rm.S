/* Bad guest: an FP instruction with the reserved static rounding mode 5: SIGILL, exit status 132.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
#include "bad_guest.h"

        bad_guest_begin "before reserved static rounding mode\n"
        .insn   r OP_FP, 5, 0, ft0, ft0, ft0    /* fadd.s ft0, ft0, ft0, rm=5 */
        bad_guest_end
