/* bad_guest.h — what every bad_*.S guest shares: print one line with a raw write,
 * then run the faulting code given between bad_guest_begin and bad_guest_end; if that
 * code does not stop the program, say so and exit 0 (the test expects a signal). */
        .macro  bad_guest_begin msg
        .section .rodata
1:      .ascii  \msg
2:
        .text
        .globl  _start
_start:
        li      a0, 1
        lla     a1, 1b
        li      a2, 2b - 1b
        li      a7, 64                  /* write */
        ecall
        .endm

        .macro  bad_guest_end
        .section .rodata
3:      .ascii  "NOT REACHED: the fault did not stop the program\n"
4:
        .text
        li      a0, 1
        lla     a1, 3b
        li      a2, 4b - 3b
        li      a7, 64
        ecall
        li      a0, 0
        li      a7, 93                  /* exit */
        ecall
        .section .note.GNU-stack, "", @progbits
        .endm
