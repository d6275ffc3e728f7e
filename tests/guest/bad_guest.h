/* bad_guest.h — what every bad_*.S guest shares: print one line with a raw write,
 * then run the faulting code given between bad_guest_begin and bad_guest_end; if that
 * code does not stop the program, say so and exit 0 (the test expects a signal). */
        .macro  bad_guest_begin msg
        .section .rodata
.Lmsg\@: .ascii "\msg"
        .set    .Llen\@, . - .Lmsg\@
        .text
        .globl  _start
_start:
        li      a0, 1
        lla     a1, .Lmsg\@
        li      a2, .Llen\@
        li      a7, 64                  /* write */
        ecall
        .endm

        .macro  bad_guest_end
        .section .rodata
.Lbad\@: .ascii "NOT REACHED: the fault did not stop the program\n"
        .set    .Lbadlen\@, . - .Lbad\@
        .text
        li      a0, 1
        lla     a1, .Lbad\@
        li      a2, .Lbadlen\@
        li      a7, 64
        ecall
        li      a0, 0
        li      a7, 93                  /* exit */
        ecall
        .section .note.GNU-stack, "", @progbits
        .endm
