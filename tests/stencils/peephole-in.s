# A fixture for jit/stencil-peephole: each function is one case.
	.text
	.section	.text.stencil_load,"ax",@progbits
	.globl	stencil_load
	.type	stencil_load,@function
stencil_load:                           # rule 1 and 2: the fault test jumps straight out
# %bb.0:
	#APP
	movabsq	$jit_hole_imm, %rax
	#NO_APP
	addq	jit_hole_reg1(%rdi), %rax
	cmpq	%rdx, %rax
	jae	.LBB0_1
# %bb.2:
	movslq	(%rsi,%rax), %rax
	movq	%rax, jit_hole_reg0(%rdi)
	jmp	jit_continue                    # TAILCALL
.LBB0_1:
	jmp	jit_side_exit                   # TAILCALL
.Lfunc_end0:
	.size	stencil_load, .Lfunc_end0-stencil_load
	.section	.text.stencil_pending,"ax",@progbits
	.globl	stencil_pending
	.type	stencil_pending,@function
stencil_pending:                        # rule 3: the hot path falls through
# %bb.0:
	cmpl	$0, 592(%rdi)
	je	jit_continue                    # TAILCALL
# %bb.1:
	jmp	jit_exit_pending                # TAILCALL
.Lfunc_end1:
	.size	stencil_pending, .Lfunc_end1-stencil_pending
	.section	.text.stencil_kept,"ax",@progbits
	.globl	stencil_kept
	.type	stencil_kept,@function
stencil_kept:                           # nothing to do: blocks with work, fall-through, indirect
# %bb.0:
	testq	%rax, %rax
	je	.LBB2_1
	jne	.LBB2_3
	movq	%rax, jit_hole_reg0(%rdi)
.LBB2_2:
	jmp	jit_exit_next
.LBB2_3:
	jmp	*%rax
.LBB2_1:
	addq	$1, %rax
	jmp	jit_continue
.Lfunc_end2:
	.size	stencil_kept, .Lfunc_end2-stencil_kept
	.section	.text.stencil_chain,"ax",@progbits
	.globl	stencil_chain
	.type	stencil_chain,@function
stencil_chain:                          # rule 1 through two jump-only blocks; one is also reached by falling through
# %bb.0:
	jl	.LBB3_1
	js	.LBB3_4
	jmp	jit_continue
.LBB3_1:
	jmp	.LBB3_2
.LBB3_4:
	addq	$1, %rax
.LBB3_2:
	jmp	jit_exit_taken
.LBB3_3:
	ret
.Lfunc_end3:
	.size	stencil_chain, .Lfunc_end3-stencil_chain
	.section	.text.stencil_notlast,"ax",@progbits
	.globl	stencil_notlast
	.type	stencil_notlast,@function
stencil_notlast:                        # rule 3 needs the jump to be the function's last
# %bb.0:
	jb	.LBB4_1
	je	jit_continue
	jmp	jit_exit_pending
.LBB4_1:
	addq	$1, %rax
	jmp	jit_exit_next
.Lfunc_end4:
	.size	stencil_notlast, .Lfunc_end4-stencil_notlast
	.section	.text.stencil_cold,"ax",@progbits
	.globl	stencil_cold
	.type	stencil_cold,@function
stencil_cold:                           # rule 4: the helper call moves up; the hot path ends the function
# %bb.0:
	cmpb	$7, %al
	jne	.LBB5_2
# %bb.1:
	movzbl	532(%rdi), %eax
	jmp	.LBB5_3
.LBB5_2:
	movl	$1, %eax
.LBB5_3:
	testb	%al, %al
	jne	.LBB5_8
# %bb.4:
	movq	%xmm0, %rax
.LBB5_9:
	movq	%rax, jit_hole_reg0(%rdi)
	jmp	jit_continue                    # TAILCALL
.LBB5_8:
	#APP
	callq	tiercel_tier1_call2
	#NO_APP
	jmp	.LBB5_9
.Lfunc_end5:
	.size	stencil_cold, .Lfunc_end5-stencil_cold
	.section	.text.stencil_nowhere,"ax",@progbits
	.globl	stencil_nowhere
	.type	stencil_nowhere,@function
stencil_nowhere:                        # rule 4 needs an unconditional jump before the hot path's end
# %bb.0:
	testb	%al, %al
	jne	.LBB6_8
	movq	%xmm0, %rax
.LBB6_9:
	movq	%rax, jit_hole_reg0(%rdi)
	jmp	jit_continue
.LBB6_8:
	callq	tiercel_tier1_call2
	jmp	.LBB6_9
.Lfunc_end6:
	.size	stencil_nowhere, .Lfunc_end6-stencil_nowhere
