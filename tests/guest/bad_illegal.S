/* Bad guest: an all-zero instruction word (.word 0): SIGILL, exit status 132.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
        .section .rodata
msg:    .ascii  "before illegal instruction\n"
bad:    .ascii  "NOT REACHED: the fault did not stop the program\n"

        .text
        .globl  _start
_start:
        li      a0, 1
        lla     a1, msg
        li      a2, 27                  /* strlen(msg) */
        li      a7, 64                  /* write */
        ecall
        .word   0

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
