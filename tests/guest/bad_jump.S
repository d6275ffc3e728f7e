/* Bad guest: a jump to the unmapped address 0x10: SIGSEGV (instruction fetch), exit status 139.
 * It first writes one line to stdout with a raw write syscall; the line after
 * the fault must never appear. Built with -nostdlib. */
        .section .rodata
msg:    .ascii  "before jump to unmapped address\n"
bad:    .ascii  "NOT REACHED: the fault did not stop the program\n"

        .text
        .globl  _start
_start:
        li      a0, 1
        lla     a1, msg
        li      a2, 32                  /* strlen(msg) */
        li      a7, 64                  /* write */
        ecall
        li      t0, 0x10
        jalr    ra, 0(t0)

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
