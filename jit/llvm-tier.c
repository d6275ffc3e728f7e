/*
** llvm-tier.c — tier 2, in libtiercel-llvm.so: the only code that includes LLVM headers,
** loaded by jit/llvm-queue.c when the first region gets hot, so that a short run never
** pays for libLLVM.
**
** A region (a hot block and the hot blocks it branches to, loops included) becomes one
** function: each instruction is a call to its lift_OP body (jit/lift-bodies.c, the
** spec's generated handlers as bitcode) with its decoded slots as constants; block ends
** switch on the next pc to the region's blocks, or leave through the baseline tier's
** lookup stencil. O2 inlines the bodies, folds the constants and keeps guest registers
** in SSA values (cpu is noalias), stored on the ways out of loops (it never faults on the
** host: lift-bodies.c), then ORC LLJIT compiles it. One compiler (context +
** LLJIT) per compile thread.
*/
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/ErrorHandling.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Object.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "jit-internal.h"

typedef struct Compiler {
    const JitLlvmHost *host;
    LLVMOrcThreadSafeContextRef tsc;
    LLVMContextRef ctx;
    LLVMModuleRef bodies;          /* the parsed bitcode: each region starts from a clone */
    LLVMOrcLLJITRef jit;
    LLVMTargetMachineRef tm;       /* for the O2 pipeline */
    char *triple;
    unsigned serial;
    unsigned since_fresh;          /* regions built in this context */
    bool abandoned;                /* a fatal LLVM error left it in an unknown state */
    char fatal[128];               /* that error */
    /* the region being compiled: its function's name, and the sizes measure_object saw */
    char body_name[32];
    size_t body_size, code_bytes;
} Compiler;

static bool take_error(LLVMErrorRef e, const char *what, char *err, size_t errsize)
{
    if (!e)
        return false;
    char *msg = LLVMGetErrorMessage(e);
    snprintf(err, errsize, "%s: %s", what, msg);
    LLVMDisposeErrorMessage(msg);
    return true;
}

/* ORC hands each object file here before linking it: the sizes of the region's
   functions (the body and its two entries) are in its symbol table. */
static LLVMErrorRef measure_object(void *ctx, LLVMMemoryBufferRef *obj)
{
    Compiler *c = ctx;
    char *msg = NULL;
    LLVMBinaryRef bin = LLVMCreateBinary(*obj, NULL, &msg);
    if (!bin) {   /* only --perfmap and --stats lose a number */
        LLVMDisposeMessage(msg);
        return NULL;
    }
    size_t len = strlen(c->body_name);
    LLVMSymbolIteratorRef it = LLVMObjectFileCopySymbolIterator(bin);
    for (; it && !LLVMObjectFileIsSymbolIteratorAtEnd(bin, it); LLVMMoveToNextSymbol(it)) {
        const char *name = LLVMGetSymbolName(it);
        if (!name || strncmp(name, c->body_name, len) || (name[len] && name[len] != '_'))
            continue;
        uint64_t size = LLVMGetSymbolSize(it);
        c->code_bytes += size;
        if (!name[len])
            c->body_size = size;
    }
    if (it)
        LLVMDisposeSymbolIterator(it);
    LLVMDisposeBinary(bin);
    return NULL;
}

/* A fatal error inside LLVM (report_fatal_error: an instruction it cannot select, a broken
   invariant) would end the process. During a compile it ends that compile instead: the
   handler jumps back to compile(), which abandons its compiler (LLVM's state in it is
   unknown: it is never touched again, and leaks) so that the thread refuses the rest of
   its work, and the regions stay in the lower tiers. Elsewhere LLVM reports and exits. */
static __thread sigjmp_buf *fatal_exit;
static __thread char fatal_reason[128];
static void on_fatal_error(const char *reason)
{
    if (!fatal_exit)
        return;
    snprintf(fatal_reason, sizeof fatal_reason, "%s", reason);
    siglongjmp(*fatal_exit, 1);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_llvm(void)
{
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    LLVMInstallFatalErrorHandler(on_fatal_error);
    /* Two compile-time caps that kept LICM from keeping a loop's guest registers in
       values (it stored them on every iteration): a loop may have at most 250 memory
       accesses (a region's loop through a switch, bytecode's dispatch with every handler
       inside, has several hundred), and a store off a path of every iteration needs cpu
       shown not captured, which capture tracking gives up on past 100 uses of cpu (a
       region of a few blocks has more). LLVM 19 has both options; an unknown one
       would exit. */
    const char *args[] = { "tiercel", "-licm-mssa-max-acc-promotion=1000",
                           "-capture-tracking-max-uses-to-explore=500" };
    LLVMParseCommandLineOptions(3, args, NULL);
}

static void destroy(void *p)
{
    Compiler *c = p;
    if (!c || c->abandoned)
        return;
    if (c->jit)
        LLVMOrcDisposeLLJIT(c->jit);
    if (c->bodies)
        LLVMDisposeModule(c->bodies);
    if (c->tsc)
        LLVMOrcDisposeThreadSafeContext(c->tsc);
    if (c->tm)
        LLVMDisposeTargetMachine(c->tm);
    if (c->triple)
        LLVMDisposeMessage(c->triple);
    free(c);
}

/* A new LLVM context with the bodies parsed in it. A context keeps every constant and
   type it ever made, so a long run replaces it now and then to stay flat (ORC holds its
   own reference to the old one while it needs it). */
enum { REGIONS_PER_CONTEXT = 256 };
static bool fresh_context(Compiler *c, char *err, size_t errsize)
{
    if (c->bodies)
        LLVMDisposeModule(c->bodies);
    c->bodies = NULL;
    if (c->tsc)
        LLVMOrcDisposeThreadSafeContext(c->tsc);
    c->tsc = LLVMOrcCreateNewThreadSafeContext();
    c->ctx = LLVMOrcThreadSafeContextGetContext(c->tsc);
    c->since_fresh = 0;
    const JitLlvmHost *host = c->host;
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRange(host->bitcode, host->bitcode_size, "lift-bodies", 0);
    bool bad = LLVMParseBitcodeInContext2(c->ctx, buf, &c->bodies);
    LLVMDisposeMemoryBuffer(buf);
    if (bad) {
        c->bodies = NULL;
        snprintf(err, errsize, "the embedded lift bitcode does not parse");
        return false;
    }
    LLVMSetTarget(c->bodies, c->triple);
    return true;
}

static void *create(const JitLlvmHost *host, char *err, size_t errsize)
{
    pthread_once(&init_once, init_llvm);
    Compiler *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    c->host = host;
    if (take_error(LLVMOrcCreateLLJIT(&c->jit, NULL), "creating an LLJIT", err, errsize)) {
        c->jit = NULL;
        destroy(c);
        return NULL;
    }
    LLVMOrcObjectTransformLayerSetTransform(LLVMOrcLLJITGetObjTransformLayer(c->jit), measure_object, c);
    LLVMOrcJITDylibRef jd = LLVMOrcLLJITGetMainJITDylib(c->jit);
    /* Objects of their own, so that LLVM knows they do not alias the guest's registers
       (cpu) or memory: the block arena (run counters addressed from it), the pages'
       rights (mem.h) and cpu's pending word (accessed volatile, and a volatile access
       through the cpu argument would count as letting cpu escape: see cpu_not_captured). */
    const struct { const char *name; const volatile void *addr; } objects[] = {
        { "tiercel_arena", host->arena },
        { "tiercel_rights", host->rights },
        { "tiercel_pending", host->pending },
    };
    enum { NOBJECTS = sizeof objects / sizeof objects[0] };
    /* what the bodies call lives in the tiercel executable, which exports nothing */
    size_t npairs = host->nexterns + NOBJECTS;
    LLVMOrcCSymbolMapPair *pairs = calloc(npairs, sizeof *pairs);
    if (!pairs) {
        destroy(c);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < npairs; i++) {
        bool fn = i < host->nexterns;
        pairs[i].Name = LLVMOrcLLJITMangleAndIntern(c->jit, fn ? host->externs[i].name
                                                               : objects[i - host->nexterns].name);
        pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)(fn ? host->externs[i].addr
                                                                      : objects[i - host->nexterns].addr);
        pairs[i].Sym.Flags.GenericFlags = LLVMJITSymbolGenericFlagsExported |
                                          (fn ? LLVMJITSymbolGenericFlagsCallable : 0);
    }
    LLVMErrorRef e = LLVMOrcJITDylibDefine(jd, LLVMOrcAbsoluteSymbols(pairs, npairs));
    free(pairs);
    if (take_error(e, "defining the helpers", err, errsize)) {
        destroy(c);
        return NULL;
    }
    /* and libc's (memcpy, memset that LLVM may call) */
    LLVMOrcDefinitionGeneratorRef gen;
    if (take_error(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&gen, LLVMOrcLLJITGetGlobalPrefix(c->jit),
                                                                        NULL, NULL),
                   "searching the process", err, errsize)) {
        destroy(c);
        return NULL;
    }
    LLVMOrcJITDylibAddGenerator(jd, gen);

    char *triple = LLVMGetDefaultTargetTriple(), *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
        snprintf(err, errsize, "no target for %s: %s", triple, msg ? msg : "?");
        LLVMDisposeMessage(msg);
        LLVMDisposeMessage(triple), LLVMDisposeMessage(cpu), LLVMDisposeMessage(features);
        destroy(c);
        return NULL;
    }
    c->tm = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelDefault, LLVMRelocDefault,
                                    LLVMCodeModelJITDefault);
    c->triple = triple;
    LLVMDisposeMessage(cpu), LLVMDisposeMessage(features);
    if (!fresh_context(c, err, errsize)) {
        destroy(c);
        return NULL;
    }
    return c;
}

/* ---------------------------------------------------------------- the region's bodies */

static bool is_body(LLVMValueRef f, const char *prefix)
{
    size_t len;
    const char *n = LLVMGetValueName2(f, &len);
    return !LLVMIsDeclaration(f) && !strncmp(n, prefix, strlen(prefix));
}

/* A module with the bodies of the region's ops and the helpers they call: a clone of all
   the bodies, less the others. (Cutting each op's bodies into bitcode of its own and
   linking those cost a clone per op on its first use, 2.6 ms each: 50 ms before
   bytecode's first region, where this is 4 ms a region.) */
static LLVMModuleRef region_module(Compiler *c, const JitLlvmRegion *r, char *err, size_t errsize)
{
    const JitLlvmHost *h = c->host;
    uint8_t *used = calloc(h->nops, 1);
    if (!used) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    for (unsigned k = 0; k < r->nblocks; k++)
        for (unsigned i = 0; i < r->blocks[k].ninsns; i++)
            if (r->blocks[k].insns[i].op < h->nops)
                used[r->blocks[k].insns[i].op] = 1;
    LLVMModuleRef m = LLVMCloneModule(c->bodies);
    for (unsigned op = 0; op < h->nops; op++) {
        LLVMValueRef f = used[op] || !h->lift_names[op] ? NULL : LLVMGetNamedFunction(m, h->lift_names[op]);
        if (f)
            LLVMDeleteFunction(f);
    }
    free(used);
    /* helpers nothing calls any more (a helper may have been called by another only) */
    for (bool again = true; again;) {
        again = false;
        for (LLVMValueRef f = LLVMGetFirstFunction(m), next; f; f = next) {
            next = LLVMGetNextFunction(f);
            if (is_body(f, "helper_") && !LLVMGetFirstUse(f)) {
                LLVMDeleteFunction(f);
                again = true;
            }
        }
    }
    return m;
}

/* ---------------------------------------------------------------- building a region */

typedef struct Builder {
    Compiler *c;
    LLVMValueRef arena;            /* @tiercel_arena */
    LLVMValueRef pending;          /* @tiercel_pending: cpu->pending */
    const JitLlvmRegion *r;
    LLVMModuleRef m;
    LLVMBuilderRef b;
    LLVMTypeRef i8, i32, i64, ptr, fn_ty, side_ty;
    LLVMValueRef fn, cpu, mb, ms;
    LLVMValueRef executed;         /* guest instructions run in this call, added to r->insns on leaving */
    LLVMBasicBlockRef heads[JIT_MAX_REGION_BLOCKS];    /* pending check, then counts */
    LLVMBasicBlockRef counts[JIT_MAX_REGION_BLOCKS];   /* counts the run */
    /* per instruction of the region (block k's start at first[k]): where an inlined jump
       goes on (NULL: straight on, in its own block), where one lands (NULL: none does) */
    unsigned first[JIT_MAX_REGION_BLOCKS + 1];
    LLVMBasicBlockRef *jump_to, *landing;
    bool *landed;                  /* built: the builder went past it */
} Builder;

static LLVMValueRef const_ptr(Builder *B, const void *p)
{
    return LLVMConstIntToPtr(LLVMConstInt(B->i64, (uintptr_t)p, 0), B->ptr);
}

/* A run counter, addressed from the arena object (not inttoptr: see create) */
static LLVMValueRef runs_ptr(Builder *B, const uint64_t *runs)
{
    LLVMValueRef off = LLVMConstInt(B->i64, (uint64_t)((const uint8_t *)runs - B->c->host->arena), 0);
    return LLVMBuildGEP2(B->b, B->i8, B->arena, &off, 1, "runs.p");
}

static LLVMValueRef cpu_field(Builder *B, uint32_t offset)
{
    LLVMValueRef idx = LLVMConstInt(B->i64, offset, 0);
    return LLVMBuildGEP2(B->b, B->i8, B->cpu, &idx, 1, "");
}

/* Adds this call's instructions, less `unrun` (a trap's rest of its block), to the
   region's count: once per way out (and before a CSR access, which may read the
   counters), so a loop pays an add in a register per block. */
static void build_count_out(Builder *B, uint64_t unrun)
{
    LLVMValueRef n = LLVMBuildLoad2(B->b, B->i64, B->executed, "");
    LLVMValueRef total = const_ptr(B, B->r->insns);
    LLVMValueRef sum = LLVMBuildAdd(B->b, LLVMBuildLoad2(B->b, B->i64, total, ""), n, "");
    LLVMBuildStore(B->b, LLVMBuildSub(B->b, sum, LLVMConstInt(B->i64, unrun, 0), ""), total);
}

static void build_count_block(Builder *B, const JitLlvmBlock *blk)
{
    LLVMValueRef n = LLVMBuildLoad2(B->b, B->i64, B->executed, "");
    LLVMBuildStore(B->b, LLVMBuildAdd(B->b, n, LLVMConstInt(B->i64, blk->ninsns - 1, 0), ""), B->executed);
}

/* The ways out (lookup, side exit) keep no copy of cpu. Said so, and with no volatile
   access through it (the fault marker and pending are separate symbols), cpu (a noalias
   argument) stays uncaptured, and LLVM knows that out-of-line calls not given cpu, such
   as softfloat's, leave the guest registers alone: it keeps them in values across the
   call instead of reloading them all after it. */
static void cpu_not_captured(Builder *B, LLVMValueRef call)
{
    unsigned nocapture = LLVMGetEnumAttributeKindForName("nocapture", 9);
    LLVMAddCallSiteAttribute(call, 1, LLVMCreateEnumAttribute(B->c->ctx, nocapture, 0));
}

/* cpu->pending, read anew every time (another thread sets it) */
static LLVMValueRef build_load_pending(LLVMBuilderRef b, LLVMValueRef global, LLVMTypeRef i32)
{
    LLVMValueRef pending = LLVMBuildLoad2(b, i32, global, "pending");
    LLVMSetVolatile(pending, 1);
    return pending;
}

/* leave the region for `next` (in a register): through the lookup stencil */
static void build_exit(Builder *B, LLVMValueRef next)
{
    LLVMBuildStore(B->b, next, cpu_field(B, B->c->host->off_pc));
    build_count_out(B, 0);
    LLVMValueRef args[3] = { B->cpu, B->mb, B->ms };
    LLVMValueRef call = LLVMBuildCall2(B->b, B->fn_ty, const_ptr(B, B->c->host->lookup), args, 3, "");
    LLVMSetTailCallKind(call, LLVMTailCallKindMustTail);
    cpu_not_captured(B, call);
    LLVMBuildRet(B->b, call);
}

/* at the end of the block at `from`: to a block of the region, or out. Only backward
   jumps check for pending work: every loop has one, and forward paths end. */
static void build_dispatch(Builder *B, LLVMValueRef next, uint64_t from)
{
    LLVMBasicBlockRef out = LLVMAppendBasicBlockInContext(B->c->ctx, B->fn, "out");
    LLVMValueRef sw = LLVMBuildSwitch(B->b, next, out, B->r->nblocks);
    for (unsigned k = 0; k < B->r->nblocks; k++)
        LLVMAddCase(sw, LLVMConstInt(B->i64, B->r->blocks[k].pc, 0),
                    B->r->blocks[k].pc > from ? B->counts[k] : B->heads[k]);
    LLVMPositionBuilderAtEnd(B->b, out);
    build_exit(B, next);
}

/* Goes on to `go` unless the loop has work pending; then leaves for it at `pc`, with this
   call's count less `unrun` (counted here, not run yet). */
static void build_pending_check(Builder *B, uint64_t pc, uint64_t unrun, LLVMBasicBlockRef go)
{
    LLVMValueRef pending = build_load_pending(B->b, B->pending, B->i32);
    LLVMBasicBlockRef leave = LLVMAppendBasicBlockInContext(B->c->ctx, B->fn, "pending");
    LLVMBuildCondBr(B->b, LLVMBuildICmp(B->b, LLVMIntNE, pending, LLVMConstInt(B->i32, 0, 0), ""), leave, go);
    LLVMPositionBuilderAtEnd(B->b, leave);
    LLVMBuildStore(B->b, LLVMConstInt(B->i64, pc, 0), cpu_field(B, B->c->host->off_pc));
    build_count_out(B, unrun);
    LLVMBuildRet(B->b, LLVMConstInt(B->i64, 0, 0));
}

static void build_side_exit(Builder *B, const JitLlvmBlock *blk, const JitLlvmInsn *in)
{
    build_count_out(B, (uint64_t)(blk->insns + blk->ninsns - 1 - in));   /* from `in` on: the interpreter's */
    LLVMValueRef args[3] = { B->cpu, const_ptr(B, blk->block), const_ptr(B, in->insn) };
    LLVMValueRef r = LLVMBuildCall2(B->b, B->side_ty, const_ptr(B, B->c->host->side_exit), args, 3, "");
    cpu_not_captured(B, r);
    LLVMBuildRet(B->b, r);
}

/* A region with FP instructions runs only in the rounding mode it was asked for in, and
   leaves for the interpreter at its head in any other (which runs the head, and goes on).
   Past this test LLVM knows frm, wherever the region's own code cannot have changed it:
   the dynamic mode's tests fold away, in loops too (the test of frm <= 4, and of round to
   nearest for the host's shortcut). A test of the entry, not of every iteration. */
static void build_frm_guard(Builder *B, const JitLlvmBlock *head, LLVMBasicBlockRef go)
{
    LLVMValueRef frm = LLVMBuildLoad2(B->b, B->i32, cpu_field(B, B->c->host->off_frm), "frm");
    LLVMBasicBlockRef other = LLVMAppendBasicBlockInContext(B->c->ctx, B->fn, "other_frm");
    LLVMBuildCondBr(B->b, LLVMBuildICmp(B->b, LLVMIntEQ, frm, LLVMConstInt(B->i32, B->r->frm, 0), ""), go,
                    other);
    LLVMPositionBuilderAtEnd(B->b, other);
    build_side_exit(B, head, &head->insns[0]);
}

/* An inlined jump whose target is in the middle of another block of the region goes
   there: the rest of its block is that block's rest, the same instructions. A loop that
   gcc enters by a jump to its condition (`j cond`), where the condition is the end of a
   block that starts earlier, then has one entry, not one per way out of the copy of the
   condition that decoding put in the block before it: LLVM sees a loop, not an
   irreducible cycle (sort's merge loop), and compiles the condition once (bytecode's
   median compile 106 -> 84 ms; the code itself measured no faster). A target
   that starts a block keeps its copy: there the loop's entry is that block already, and
   the copy is a peeled first test with branches of its own (strsearch: 10% slower
   without). The count needs nothing: both blocks counted the same rest. A loop may now
   close through this edge alone, so it checks for pending work like a backward jump. */
static void build_inlined_jump(Builder *B, const JitLlvmBlock *blk, const JitLlvmInsn *in, LLVMBasicBlockRef to)
{
    build_pending_check(B, in->pc + (uint64_t)in->imm, (uint64_t)(blk->insns + blk->ninsns - 1 - (in + 1)), to);
}

/* Where each inlined jump of the region can land (see build_inlined_jump): an instruction
   at its target whose block goes on exactly as the jump's block does. */
static bool find_landings(Builder *B, char *err, size_t errsize)
{
    const JitLlvmRegion *r = B->r;
    B->first[0] = 0;
    for (unsigned k = 0; k < r->nblocks; k++)
        B->first[k + 1] = B->first[k] + r->blocks[k].ninsns;
    B->jump_to = calloc(B->first[r->nblocks], sizeof *B->jump_to);
    B->landing = calloc(B->first[r->nblocks], sizeof *B->landing);
    B->landed = calloc(B->first[r->nblocks], sizeof *B->landed);
    if (!B->jump_to || !B->landing || !B->landed) {
        snprintf(err, errsize, "out of memory");
        return false;
    }
    for (unsigned k = 0; k < r->nblocks; k++)
        for (unsigned i = 0; i < r->blocks[k].ninsns; i++) {
            const JitLlvmInsn *in = &r->blocks[k].insns[i];
            if (in->op != B->c->host->op_inlined_jump)
                continue;
            uint64_t target = in->pc + (uint64_t)in->imm;
            unsigned rest = r->blocks[k].ninsns - (i + 1);
            for (unsigned k2 = 0; k2 < r->nblocks && !B->jump_to[B->first[k] + i]; k2++) {
                const JitLlvmBlock *b2 = &r->blocks[k2];
                if (k2 == k || b2->ninsns < rest)   /* (in its own block: the next one) */
                    continue;
                unsigned i2 = b2->ninsns - rest;   /* the same rest: same pcs, same ops */
                if (i2 == 0)   /* a block's start: the copy stays (see build_inlined_jump) */
                    continue;
                bool same = b2->insns[i2].pc == target;
                for (unsigned j = 0; same && j < rest; j++)
                    same = b2->insns[i2 + j].pc == in[1 + j].pc && b2->insns[i2 + j].op == in[1 + j].op;
                if (!same)
                    continue;
                LLVMBasicBlockRef *l = &B->landing[B->first[k2] + i2];
                if (!*l)
                    *l = LLVMAppendBasicBlockInContext(B->c->ctx, B->fn, "landing");
                B->jump_to[B->first[k] + i] = *l;
            }
        }
    return true;
}

static bool build_insns(Builder *B, unsigned k, unsigned from, char *err, size_t errsize);

static bool build_block(Builder *B, unsigned k, char *err, size_t errsize)
{
    const JitLlvmBlock *blk = &B->r->blocks[k];
    LLVMContextRef ctx = B->c->ctx;
    /* head: leave if the loop has work pending (this may be a loop), then count the run */
    LLVMPositionBuilderAtEnd(B->b, B->heads[k]);
    build_pending_check(B, blk->pc, 0, B->counts[k]);
    LLVMPositionBuilderAtEnd(B->b, B->counts[k]);
    build_count_block(B, blk);
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(ctx, B->fn, "body");
    LLVMBuildBr(B->b, body);
    LLVMPositionBuilderAtEnd(B->b, body);
    if (k == 0) {   /* entered at the head's body: executed starts with its instructions */
        LLVMBasicBlockRef first = LLVMGetEntryBasicBlock(B->fn);
        LLVMPositionBuilderAtEnd(B->b, first);
        if (B->r->fp)
            build_frm_guard(B, blk, body);
        else
            LLVMBuildBr(B->b, body);
        LLVMPositionBuilderAtEnd(B->b, body);
    }
    return build_insns(B, k, 0, err, errsize);
}

/* Block k's instructions from the ith on, where the builder is. */
static bool build_insns(Builder *B, unsigned k, unsigned from, char *err, size_t errsize)
{
    const JitLlvmHost *h = B->c->host;
    const JitLlvmBlock *blk = &B->r->blocks[k];
    LLVMContextRef ctx = B->c->ctx;
    for (unsigned i = from; i < blk->ninsns; i++) {
        const JitLlvmInsn *in = &blk->insns[i];
        LLVMBasicBlockRef landing = B->landing[B->first[k] + i];
        if (landing && LLVMGetInsertBlock(B->b) != landing) {
            LLVMBuildBr(B->b, landing);
            LLVMPositionBuilderAtEnd(B->b, landing);
        }
        B->landed[B->first[k] + i] = true;
        if (in->op == h->op_inlined_jump) {
            LLVMBasicBlockRef to = B->jump_to[B->first[k] + i];
            if (to) {
                build_inlined_jump(B, blk, in, to);
                return true;
            }
            continue;
        }
        if (in->op == h->op_fallthrough) {
            build_dispatch(B, LLVMConstInt(B->i64, in->pc, 0), blk->pc);
            return true;
        }
        const char *name = in->op < h->nops ? h->lift_names[in->op] : NULL;
        LLVMValueRef body_fn = name ? LLVMGetNamedFunction(B->m, name) : NULL;
        if (!body_fn) {   /* undecodable, fetch fault: the interpreter reports it */
            build_side_exit(B, blk, in);
            return true;
        }
        LLVMValueRef args[13] = {
            B->cpu, B->mb, B->ms,
            LLVMConstInt(B->i8, in->b[0], 0), LLVMConstInt(B->i8, in->b[1], 0), LLVMConstInt(B->i8, in->b[2], 0),
            LLVMConstInt(B->i8, in->b[3], 0), LLVMConstInt(B->i8, in->b[4], 0), LLVMConstInt(B->i8, in->b[5], 0),
            LLVMConstInt(B->i64, (uint64_t)in->imm, 1), LLVMConstInt(B->i32, (uint32_t)in->imm2, 1),
            LLVMConstInt(B->i64, in->pc, 0), LLVMConstInt(B->i64, in->pc + in->len, 0),
        };
        if (LLVMCountParams(body_fn) != 13) {
            snprintf(err, errsize, "%s takes %u arguments, not 13", name, LLVMCountParams(body_fn));
            return false;
        }
        if (in->csr) {   /* the counters it may read hold this call's instructions so far */
            build_count_out(B, 0);
            LLVMBuildStore(B->b, LLVMConstInt(B->i64, 0, 0), B->executed);
        }
        LLVMValueRef r = LLVMBuildCall2(B->b, LLVMGlobalGetValueType(body_fn), body_fn, args, 13, "");
        LLVMBasicBlockRef trap = LLVMAppendBasicBlockInContext(ctx, B->fn, "trap");
        LLVMBasicBlockRef on = LLVMAppendBasicBlockInContext(ctx, B->fn, "on");
        if (!in->ends) {
            /* not the block's end: 0 continues, 1 traps */
            LLVMBuildCondBr(B->b, LLVMBuildICmp(B->b, LLVMIntNE, r, LLVMConstInt(B->i64, 0, 0), ""), trap, on);
            LLVMPositionBuilderAtEnd(B->b, trap);
            build_side_exit(B, blk, in);
            LLVMPositionBuilderAtEnd(B->b, on);
        } else {
            /* the block's last: the next pc, or 1 for a trap */
            LLVMBuildCondBr(B->b, LLVMBuildICmp(B->b, LLVMIntEQ, r, LLVMConstInt(B->i64, 1, 0), ""), trap, on);
            LLVMPositionBuilderAtEnd(B->b, trap);
            build_side_exit(B, blk, in);
            LLVMPositionBuilderAtEnd(B->b, on);
            build_dispatch(B, r, blk->pc);
            return true;
        }
    }
    snprintf(err, errsize, "block at 0x%llx has no end", (unsigned long long)blk->pc);
    return false;
}

static bool compile_region(Compiler *c, const JitLlvmRegion *r, JitLlvmCode *code, char *err, size_t errsize)
{
    const JitLlvmHost *h = c->host;
    if (c->since_fresh++ >= REGIONS_PER_CONTEXT && !fresh_context(c, err, errsize))
        return false;
    Builder B = { .c = c, .r = r };
    B.m = region_module(c, r, err, errsize);
    if (!B.m)
        return false;
    B.i8 = LLVMInt8TypeInContext(c->ctx);
    B.i32 = LLVMInt32TypeInContext(c->ctx);
    B.i64 = LLVMInt64TypeInContext(c->ctx);
    B.ptr = LLVMPointerTypeInContext(c->ctx, 0);
    LLVMTypeRef params[3] = { B.ptr, B.ptr, B.i64 };
    B.fn_ty = LLVMFunctionType(B.i64, params, 3, 0);
    LLVMTypeRef side_params[3] = { B.ptr, B.ptr, B.ptr };
    B.side_ty = LLVMFunctionType(B.i64, side_params, 3, 0);
    /* every body is inlined where it is used, and the unused ones go */
    unsigned noinline = LLVMGetEnumAttributeKindForName("noinline", 8);
    unsigned alwaysinline = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
    for (LLVMValueRef f = LLVMGetFirstFunction(B.m); f; f = LLVMGetNextFunction(f)) {
        size_t len;
        const char *n = LLVMGetValueName2(f, &len);
        if (LLVMIsDeclaration(f) || (strncmp(n, "lift_", 5) && strncmp(n, "helper_", 7)))
            continue;
        LLVMSetLinkage(f, LLVMInternalLinkage);
        LLVMRemoveEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, noinline);
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(c->ctx, alwaysinline, 0));
    }
    char *body_name = c->body_name, entry_name[32], chain_name[32];
    snprintf(body_name, sizeof c->body_name, "region%u", c->serial);
    snprintf(entry_name, sizeof entry_name, "region%u_entry", c->serial);
    snprintf(chain_name, sizeof chain_name, "region%u_chain", c->serial);
    c->serial++;
    B.arena = LLVMGetNamedGlobal(B.m, "tiercel_arena");
    if (!B.arena)
        B.arena = LLVMAddGlobal(B.m, B.i8, "tiercel_arena");
    B.pending = LLVMGetNamedGlobal(B.m, "tiercel_pending");
    if (!B.pending)
        B.pending = LLVMAddGlobal(B.m, B.i32, "tiercel_pending");
    B.fn = LLVMAddFunction(B.m, body_name, B.fn_ty);
    unsigned noalias = LLVMGetEnumAttributeKindForName("noalias", 7);
    LLVMAddAttributeAtIndex(B.fn, 1, LLVMCreateEnumAttribute(c->ctx, noalias, 0));
    LLVMAddAttributeAtIndex(B.fn, 2, LLVMCreateEnumAttribute(c->ctx, noalias, 0));
    /* loads of guest registers that do not run on every iteration may leave loops */
    unsigned deref = LLVMGetEnumAttributeKindForName("dereferenceable", 15);
    unsigned align = LLVMGetEnumAttributeKindForName("align", 5);
    LLVMAddAttributeAtIndex(B.fn, 1, LLVMCreateEnumAttribute(c->ctx, deref, h->cpu_size));
    LLVMAddAttributeAtIndex(B.fn, 1, LLVMCreateEnumAttribute(c->ctx, align, 8));
    /* and stores to them may leave loops: LICM keeps a loop's registers in values and
       stores them on its ways out, since no host fault can see them stale (every access
       checks its page's rights first: lift-bodies.c). Nothing unwinds through a region;
       without dead_on_unwind, LICM keeps the stores in loops that call softfloat. */
    unsigned writable = LLVMGetEnumAttributeKindForName("writable", 8);
    unsigned dead_on_unwind = LLVMGetEnumAttributeKindForName("dead_on_unwind", 14);
    LLVMAddAttributeAtIndex(B.fn, 1, LLVMCreateEnumAttribute(c->ctx, writable, 0));
    LLVMAddAttributeAtIndex(B.fn, 1, LLVMCreateEnumAttribute(c->ctx, dead_on_unwind, 0));
    B.cpu = LLVMGetParam(B.fn, 0);
    B.mb = LLVMGetParam(B.fn, 1);
    B.ms = LLVMGetParam(B.fn, 2);
    B.b = LLVMCreateBuilderInContext(c->ctx);
    LLVMPositionBuilderAtEnd(B.b, LLVMAppendBasicBlockInContext(c->ctx, B.fn, "entry"));
    B.executed = LLVMBuildAlloca(B.b, B.i64, "executed");   /* the head's run: see the entries below */
    LLVMBuildStore(B.b, LLVMConstInt(B.i64, r->blocks[0].ninsns - 1, 0), B.executed);
    for (unsigned k = 0; k < r->nblocks; k++) {
        B.heads[k] = LLVMAppendBasicBlockInContext(c->ctx, B.fn, "head");
        B.counts[k] = LLVMAppendBasicBlockInContext(c->ctx, B.fn, "count");
    }
    bool ok = find_landings(&B, err, errsize);
    for (unsigned k = 0; k < r->nblocks && ok; k++)
        ok = build_block(&B, k, err, errsize);
    /* landings in what a block's own inlined jump left behind: built from there */
    for (unsigned k = 0; k < r->nblocks && ok; k++)
        for (unsigned i = 0; i < r->blocks[k].ninsns && ok; i++)
            if (B.landing[B.first[k] + i] && !B.landed[B.first[k] + i]) {
                LLVMPositionBuilderAtEnd(B.b, B.landing[B.first[k] + i]);
                ok = build_insns(&B, k, i, err, errsize);
            }
    free(B.jump_to);
    free(B.landing);
    free(B.landed);

    /* Tier 2 counts the instructions it runs, not its blocks' runs. The loop's entry: the
       loop counted the head's run, which the region counts, so it takes that back */
    LLVMValueRef entry_fn = LLVMAddFunction(B.m, entry_name, B.fn_ty);
    if (ok) {
        LLVMPositionBuilderAtEnd(B.b, LLVMAppendBasicBlockInContext(c->ctx, entry_fn, "entry"));
        LLVMValueRef runs_p = runs_ptr(&B, r->blocks[0].runs);
        LLVMValueRef runs = LLVMBuildLoad2(B.b, B.i64, runs_p, "");
        LLVMBuildStore(B.b, LLVMBuildSub(B.b, runs, LLVMConstInt(B.i64, 1, 0), ""), runs_p);
        LLVMValueRef args[3] = { LLVMGetParam(entry_fn, 0), LLVMGetParam(entry_fn, 1), LLVMGetParam(entry_fn, 2) };
        LLVMValueRef call = LLVMBuildCall2(B.b, B.fn_ty, B.fn, args, 3, "");
        LLVMSetTailCallKind(call, LLVMTailCallKindMustTail);
        LLVMBuildRet(B.b, call);
    }
    /* the chained entry (links, the lookup stencil): the pending check, then the region */
    LLVMValueRef chain_fn = LLVMAddFunction(B.m, chain_name, B.fn_ty);
    if (ok) {
        LLVMPositionBuilderAtEnd(B.b, LLVMAppendBasicBlockInContext(c->ctx, chain_fn, "entry"));
        LLVMValueRef ccpu = LLVMGetParam(chain_fn, 0);
        LLVMValueRef pending = build_load_pending(B.b, B.pending, B.i32);
        LLVMBasicBlockRef leave = LLVMAppendBasicBlockInContext(c->ctx, chain_fn, "pending");
        LLVMBasicBlockRef go = LLVMAppendBasicBlockInContext(c->ctx, chain_fn, "go");
        LLVMBuildCondBr(B.b, LLVMBuildICmp(B.b, LLVMIntNE, pending, LLVMConstInt(B.i32, 0, 0), ""), leave, go);
        LLVMPositionBuilderAtEnd(B.b, leave);
        LLVMValueRef idx = LLVMConstInt(B.i64, h->off_pc, 0);
        LLVMBuildStore(B.b, LLVMConstInt(B.i64, r->blocks[0].pc, 0), LLVMBuildGEP2(B.b, B.i8, ccpu, &idx, 1, ""));
        LLVMBuildRet(B.b, LLVMConstInt(B.i64, 0, 0));
        LLVMPositionBuilderAtEnd(B.b, go);
        LLVMValueRef args[3] = { ccpu, LLVMGetParam(chain_fn, 1), LLVMGetParam(chain_fn, 2) };
        LLVMValueRef call = LLVMBuildCall2(B.b, B.fn_ty, B.fn, args, 3, "");
        LLVMSetTailCallKind(call, LLVMTailCallKindMustTail);
        LLVMBuildRet(B.b, call);
    }
    LLVMDisposeBuilder(B.b);
    if (!ok) {
        LLVMDisposeModule(B.m);
        return false;
    }
    /* TIERCEL_LLVM_TEST_FATAL=N (tests only): the Nth region calls an intrinsic of another
       target, which x86-64's instruction selection cannot select: a fatal LLVM error */
    const char *test_fatal = getenv("TIERCEL_LLVM_TEST_FATAL");
    if (ok && test_fatal && c->serial == strtoul(test_fatal, NULL, 10)) {
        LLVMTypeRef isb_ty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), &B.i32, 1, 0);
        LLVMValueRef isb = LLVMAddFunction(B.m, "llvm.aarch64.isb", isb_ty);
        LLVMValueRef arg = LLVMConstInt(B.i32, 15, 0);
        LLVMBasicBlockRef first = LLVMGetEntryBasicBlock(B.fn);
        LLVMBuilderRef fb = LLVMCreateBuilderInContext(c->ctx);
        LLVMPositionBuilderBefore(fb, LLVMGetFirstInstruction(first));
        LLVMBuildCall2(fb, isb_ty, isb, &arg, 1, "");
        LLVMDisposeBuilder(fb);
    }
    /* the bodies the region does not call go before the pipeline spends time on them */
    for (LLVMValueRef f = LLVMGetFirstFunction(B.m), next; f; f = next) {
        next = LLVMGetNextFunction(f);
        if (!LLVMIsDeclaration(f) && LLVMGetLinkage(f) == LLVMInternalLinkage && !LLVMGetFirstUse(f))
            LLVMDeleteFunction(f);
    }
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(B.m, h->pipeline, c->tm, po);
    LLVMDisposePassBuilderOptions(po);
    if (take_error(e, "optimizing", err, errsize)) {
        LLVMDisposeModule(B.m);
        return false;
    }
    const char *dump = getenv("TIERCEL_LLVM_DUMP");   /* a directory: each region's optimized IR */
    if (dump) {
        char path[4096], *msg = NULL;
        snprintf(path, sizeof path, "%s/%s-0x%llx.ll", dump, body_name, (unsigned long long)r->blocks[0].pc);
        if (LLVMPrintModuleToFile(B.m, path, &msg))
            LLVMDisposeMessage(msg);
    }
    LLVMOrcJITDylibRef jd = LLVMOrcLLJITGetMainJITDylib(c->jit);
    LLVMOrcResourceTrackerRef rt = LLVMOrcJITDylibCreateResourceTracker(jd);
    LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(B.m, c->tsc);
    if (take_error(LLVMOrcLLJITAddLLVMIRModuleWithRT(c->jit, rt, tsm), "adding the module", err, errsize)) {
        LLVMOrcReleaseResourceTracker(rt);
        return false;
    }
    LLVMOrcExecutorAddress a_entry = 0, a_chain = 0, a_body = 0;
    c->body_size = c->code_bytes = 0;
    if (take_error(LLVMOrcLLJITLookup(c->jit, &a_entry, entry_name), "compiling", err, errsize) ||
        take_error(LLVMOrcLLJITLookup(c->jit, &a_chain, chain_name), "compiling", err, errsize) ||
        take_error(LLVMOrcLLJITLookup(c->jit, &a_body, body_name), "compiling", err, errsize)) {
        LLVMErrorRef ignored = LLVMOrcResourceTrackerRemove(rt);
        LLVMConsumeError(ignored);
        LLVMOrcReleaseResourceTracker(rt);
        return false;
    }
    *code = (JitLlvmCode){ .entry = (void *)(uintptr_t)a_entry, .chain = (void *)(uintptr_t)a_chain, .handle = rt,
                           .body = (const void *)(uintptr_t)a_body, .body_size = c->body_size,
                           .code_bytes = c->code_bytes };
    return true;
}

static bool compile(void *p, const JitLlvmRegion *r, JitLlvmCode *code, char *err, size_t errsize)
{
    Compiler *c = p;
    if (c->abandoned) {
        snprintf(err, errsize, "fatal LLVM error in an earlier region: %s", c->fatal);
        return false;
    }
    sigjmp_buf jb;
    if (sigsetjmp(jb, 0)) {
        fatal_exit = NULL;
        c->abandoned = true;
        snprintf(c->fatal, sizeof c->fatal, "%s", fatal_reason);
        snprintf(err, errsize, "fatal LLVM error: %s", c->fatal);
        return false;
    }
    fatal_exit = &jb;
    bool ok = compile_region(c, r, code, err, errsize);
    fatal_exit = NULL;
    return ok;
}

static void release(void *p, void *handle)
{
    Compiler *c = p;
    if (c->abandoned)   /* (its code stays: harmless) */
        return;
    LLVMOrcResourceTrackerRef rt = handle;
    LLVMErrorRef e = LLVMOrcResourceTrackerRemove(rt);
    if (e)
        LLVMConsumeError(e);
    LLVMOrcReleaseResourceTracker(rt);
}

const JitLlvmApi tiercel_llvm_api = { create, compile, release, destroy };
