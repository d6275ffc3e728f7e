/* Bad guest: a dynamic-rounding FP instruction while frm holds the reserved value 5: SIGILL, exit status 132.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
        .section .rodata
msg:    .ascii  "before dynamic rounding with frm=5\n"
bad:    .ascii  "NOT REACHED: the fault did not stop the program\n"

        .text
        .globl  _start
_start:
        li      a0, 1
        lla     a1, msg
        li      a2, 35                  /* strlen(msg) */
        li      a7, 64                  /* write */
        ecall
        csrwi   frm, 5
        fadd.s  ft0, ft0, ft0, dyn

        /* not reached */
        li      a0, 1
        lla     a1, bad
        li      a2, 48
        li      a7, 64
        ecall
        li      a0, 0
        li      a7, 93                  /* exit */
        ecall

        .section .note.GNU-stack, "", @progbits
