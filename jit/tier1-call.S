/*
** tier1-call.S — how tier 1's stencils call a C helper on a slow path without a frame of
** their own. A stencil keeps cpu, the memory base and its size in rdi, rsi and rdx from
** one stencil to the next; a plain call would make clang save them (and align the
** stack) in every FP stencil's prologue, on the hot path too. Instead the stencil's slow
** path calls one of these through inline assembly that names what they change:
**
**   tiercel_tier1_call2: r11(cpu = rdi, a = r8, b = r9, rm = cl)
**   tiercel_tier1_call3: r11(cpu = rdi, a = r8, b = r9, c = r10, rm = cl)
**
** The result is in rax. They keep every general register but rax, rcx, r8, r9 and r11,
** align the stack themselves, and do not keep the vector registers (the C helper may
** change them). The inline assembly in jit/stencils.c must name at least these.
** Stencils are built with -mno-red-zone, so the call's push cannot overwrite a spill.
*/
    .text

/* saves what the C helper may change and the stencil keeps; aligns the stack */
.macro ENTER
    push %rbp
    mov %rsp, %rbp
    push %rdi
    push %rsi
    push %rdx
    push %r10
    and $-16, %rsp
.endm
.macro LEAVE_TO_STENCIL
    mov -32(%rbp), %r10
    mov -24(%rbp), %rdx
    mov -16(%rbp), %rsi
    mov -8(%rbp), %rdi
    leave
    ret
.endm

    .globl tiercel_tier1_call2
    .type tiercel_tier1_call2, @function
tiercel_tier1_call2:
    ENTER
    mov %r8, %rsi
    mov %r9, %rdx
    movzbl %cl, %ecx
    call *%r11
    LEAVE_TO_STENCIL
    .size tiercel_tier1_call2, . - tiercel_tier1_call2

    .globl tiercel_tier1_call3
    .type tiercel_tier1_call3, @function
tiercel_tier1_call3:
    ENTER
    mov %r8, %rsi
    mov %r9, %rdx
    movzbl %cl, %r8d
    mov %r10, %rcx
    call *%r11
    LEAVE_TO_STENCIL
    .size tiercel_tier1_call3, . - tiercel_tier1_call3

    .section .note.GNU-stack,"",@progbits
