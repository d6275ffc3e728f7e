/* Bad guest: ebreak: SIGTRAP, exit status 133.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
#include "bad_guest.h"

        bad_guest_begin "before ebreak\n"
        .option push
        .option norvc
        ebreak
        .option pop
        bad_guest_end
