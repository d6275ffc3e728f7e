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
.LBB2_1:
	addq	$1, %rax
	jmp	jit_continue
.LBB2_3:
	jmp	*%rax
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
