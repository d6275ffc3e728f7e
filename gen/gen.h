/*
** gen.h — the spec generator: XML spec -> checked model -> generated C.
** Build-time only; nothing that runs a guest includes this header.
*/
#ifndef gen_h
#define gen_h

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- errors */

typedef struct GenLoc {
    const char *file;
    int line;
} GenLoc;

/* Prints "file:line: error: msg" and counts it; gen writes nothing if any was printed. */
void gen_error(GenLoc loc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int gen_error_count(void);
void gen_reset_errors(void);            /* for programs that load several specs */
void gen_quiet_errors(bool on);         /* count errors without printing them (fuzzing) */
/* The first error message, without its "file:" prefix (for --test-for-error). */
const char *gen_first_error(void);

void *gen_alloc(size_t size);           /* zeroed; exits on exhaustion; never freed alone */
void gen_free_all(void);                /* everything gen_alloc gave (the fuzzer, per input) */
char *gen_strdup(const char *s);
const char *gen_basename(const char *path);   /* for messages that name another place */
char *gen_strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---------------------------------------------------------------- the model */

enum { GEN_MAX_WIDTH = 128, GEN_MAX_REGS = 256, GEN_MAX_RANGES = 8, GEN_MAX_FMT_FIELDS = 8, GEN_MAX_ARGS = 8 };

typedef enum GenFieldKind {
    GEN_FIELD_XREG, GEN_FIELD_FREG, GEN_FIELD_IMM, GEN_FIELD_UIMM,
    GEN_FIELD_CSR, GEN_FIELD_RM, GEN_FIELD_FENCE, GEN_FIELD_HEX,
} GenFieldKind;

typedef struct GenField {
    const char *name;
    GenLoc loc;
    int nranges;
    struct { int hi, lo; } ranges[GEN_MAX_RANGES];
    int raw_bits;          /* bits taken from the instruction */
    int shift;
    int add;
    bool is_signed;
    GenFieldKind kind;
    int width;             /* width of the value in bodies */
    uint32_t bits_mask;
} GenField;

typedef struct GenFormatField {
    const char *local;     /* the name bodies use */
    GenField *field;
} GenFormatField;

typedef struct GenFormat {
    const char *name;
    GenLoc loc;
    int nfields;
    GenFormatField fields[GEN_MAX_FMT_FIELDS];
} GenFormat;

/* Decoded-instruction slots (see interp/interp-internal.h InterpInsn). */
typedef enum GenSlotKind { GEN_SLOT_BYTE, GEN_SLOT_IMM, GEN_SLOT_IMM2 } GenSlotKind;
typedef struct GenSlot { GenSlotKind kind; int index; } GenSlot;

typedef struct GenExpr GenExpr;
typedef struct GenStmt GenStmt;

typedef struct GenLocal {
    const char *name;
    int width;
    bool is_field;         /* a format field, read from a slot */
    int field_index;       /* index into the format's fields */
} GenLocal;

enum { GEN_USE_XREAD = 1, GEN_USE_XWRITE = 2, GEN_USE_OTHER = 4 };

typedef struct GenInsn {
    const char *name;
    const char *ext;
    GenLoc loc;
    GenFormat *format;
    uint32_t mask, match;
    int length;            /* bytes: 2 or 4 */
    int only_xlen;         /* 0 = any */
    int group;             /* -1 = none */
    const char *asm_text;
    const char *sem_text;
    GenLoc sem_loc;
    GenStmt *body;
    const char *illegal_text;
    GenLoc illegal_loc;
    GenExpr *illegal_if;
    const char *expands_text;
    struct GenInsn *base;  /* for expansions */
    GenExpr *expand_args[GEN_MAX_FMT_FIELDS];  /* per base format field */
    GenSlot slots[GEN_MAX_FMT_FIELDS];          /* per own format field */
    unsigned field_use[GEN_MAX_FMT_FIELDS];     /* GEN_USE_* per format field */
    /* locals found by the checker */
    int nlocals;
    GenLocal *locals;
    /* facts found by the checker */
    unsigned flags;        /* INTERP_INSN_* values */
    int access_size;
    int link_slot;         /* direct jumps: byte slot of the link register, -1 if none */
    int commute_slot[2];   /* COMMUTES: the byte slots of two source registers the body
                              treats alike, which a tier may exchange; -1 if none */
    int index;             /* in the emitted table */
    int exec_index;        /* handler used: own index, or the base's */
} GenInsn;

typedef struct GenHelper {
    const char *name;
    GenLoc loc;
    int nargs;
    int arg_width[GEN_MAX_ARGS];
    int ret_width;         /* 0 = no result */
} GenHelper;

typedef struct GenDef {
    const char *name;
    GenLoc loc;
    int nargs;
    const char *arg_name[GEN_MAX_ARGS];
    int arg_width[GEN_MAX_ARGS];
    int ret_width;
    const char *text;
    GenExpr *body;
    bool checked, checking;
    bool impure;           /* reads state or has effects: expanded where it is called */
    unsigned flags;        /* INTERP_INSN_* facts its body adds to a calling instruction */
} GenDef;

typedef struct GenState {
    const char *name;      /* X, F, FFLAGS ... */
    const char *c_name;    /* member of InterpCpu */
    GenLoc loc;
    int count;             /* 0 = a single register, else a register file */
    int width;
    bool zero_reg;         /* register 0 reads as zero */
} GenState;

/* A superinstruction: two instructions that the threaded interpreter runs with one
   dispatch when they follow each other in a block. A hint for speed, never meaning. */
typedef struct GenSuperinsn {
    GenLoc loc;
    GenInsn *first, *second;
} GenSuperinsn;

typedef struct GenSpec {
    const char *root_file;
    int xlen;
    int nfields, nformats, ninsns, nhelpers, ndefs, nstates, ngroups, nsuperinsns, nother_width;
    GenField **fields;
    GenFormat **formats;
    GenInsn **insns;
    GenHelper **helpers;
    GenDef **defs;
    GenState **states;
    GenSuperinsn **superinsns;
    const char **other_width;   /* instructions of the other XLEN (left out of this one) */
} GenSpec;

/* spec-load.c: reads, validates and builds the model (errors via gen_error). */
GenSpec *gen_load_spec(const char *root_file, const char *schema_file, int xlen);
/* spec-encoding.c: encoding checks (overlaps, fields inside the word). */
void gen_check_encodings(GenSpec *spec);
/* values computed from a field's instruction bits, as a C expression over `bits` */
char *gen_field_extract_c(const GenField *f, const char *bits_var);
int gen_eval_const(const char *text, GenLoc loc, int xlen, bool *ok);

/* ---------------------------------------------------------------- bodies */

typedef enum GenExprKind {
    GEN_E_NUM, GEN_E_NAME, GEN_E_REGFILE, GEN_E_SLICE, GEN_E_UNARY, GEN_E_BINARY,
    GEN_E_TERNARY, GEN_E_CALL, GEN_E_HELPER,
} GenExprKind;

typedef enum GenNameKind {
    GEN_N_UNRESOLVED, GEN_N_LOCAL, GEN_N_FIELD, GEN_N_STATE, GEN_N_PC, GEN_N_NPC,
    GEN_N_XLEN, GEN_N_DEFARG,
} GenNameKind;

typedef enum GenBuiltin {
    GEN_B_NONE, GEN_B_SEXT, GEN_B_ZEXT, GEN_B_LOAD, GEN_B_AMO_LOAD, GEN_B_CAS,
    GEN_B_CSR_READ, GEN_B_REQUIRE, GEN_B_LOG2,
    /* statements */
    GEN_B_STORE, GEN_B_JUMP, GEN_B_ECALL, GEN_B_EBREAK, GEN_B_FENCE, GEN_B_FENCE_I,
    GEN_B_ILLEGAL, GEN_B_CSR_WRITE, GEN_B_AMO_STORE,
    GEN_B_DEF,             /* a call of a spec def */
} GenBuiltin;

struct GenExpr {
    GenExprKind kind;
    GenLoc loc;
    int width;             /* 0 = untyped literal (after checking) */
    /* GEN_E_NUM */
    int64_t value;
    /* GEN_E_NAME, GEN_E_REGFILE, GEN_E_CALL, GEN_E_HELPER */
    const char *name;
    GenNameKind name_kind;
    int ref;               /* local/field/defarg index */
    GenState *state;
    GenDef *def;
    GenHelper *helper;
    GenBuiltin builtin;
    /* operators: "+", "<s", "@", "?:", "[]" ... */
    const char *op;
    int nargs;
    GenExpr *args[GEN_MAX_ARGS];  /* operands, call arguments, regfile index */
    /* GEN_E_SLICE: constant bounds */
    int hi, lo;
    const char *hi_text, *lo_text;
};

typedef enum GenStmtKind { GEN_S_ASSIGN, GEN_S_IF, GEN_S_BLOCK, GEN_S_CALL } GenStmtKind;

struct GenStmt {
    GenStmtKind kind;
    GenLoc loc;
    GenStmt *next;
    /* assign: lhs = rhs, with an optional declared width */
    GenExpr *lhs, *rhs;
    const char *decl_width_text;
    int decl_width;
    /* if */
    GenExpr *cond;
    GenStmt *then_s, *else_s;
    /* block */
    GenStmt *body;
    /* call */
    GenExpr *call;
    bool amo_loop_start;   /* set by the checker on the amo_load assignment */
};

/* sem-parse.c */
GenStmt *gen_parse_body(const char *text, GenLoc loc);
GenExpr *gen_parse_expr(const char *text, GenLoc loc);

/* sem-check.c: resolves names and widths; records facts on the insn. */
void gen_check_insn(GenSpec *spec, GenInsn *insn);
void gen_check_def(GenSpec *spec, GenDef *def);
void gen_check_illegal_if(GenSpec *spec, GenInsn *insn);
void gen_check_expansion(GenSpec *spec, GenInsn *insn);
/* Marks bodies that are exactly [X[f] = NPC;] jump(PC + sext(g)) with g in the imm slot. */
void gen_find_direct_jump(GenInsn *insn);
void gen_find_commuting_sources(GenInsn *insn);
bool gen_is_pc_relative(const GenInsn *insn, const GenExpr *target);

/* emit-c.c: C for expressions and statements, shared by every consumer. */
typedef struct GenEmitCtx {
    GenSpec *spec;
    GenInsn *insn;         /* NULL inside defs */
    GenDef *def;
    FILE *out;
    int indent;
    int tmp_counter;
    bool decode_fields;    /* fields are decode-time locals f_NAME, not slots */
    /* a superinstruction's forwarding variant (emit-files.c): the write of x through
       byte slot fwd_write - 1 also sets fwd_, and reads of x through byte slot
       fwd_read - 1 read fwd_ (0: none, so that a context left zero forwards nothing) */
    int fwd_write, fwd_read;
} GenEmitCtx;
bool gen_emit_fwd_slot(const GenEmitCtx *cx, const GenExpr *regfile, int slot_plus_1);
void gen_emit_expr(GenEmitCtx *cx, const GenExpr *e);
char *gen_expr_c(GenEmitCtx *cx, const GenExpr *e);
void gen_emit_stmts(GenEmitCtx *cx, const GenStmt *s);
const char *gen_ctype(int width);      /* uint8_t ... unsigned __int128 */
void gen_emit_body_oneline(FILE *out, const char *text);

/* emit-*.c: the generated files */
void gen_emit_header(GenSpec *spec, FILE *out, const char *prefix);
void gen_emit_interp(GenSpec *spec, FILE *out);
void gen_emit_decoder(GenSpec *spec, FILE *out);
void gen_emit_tables(GenSpec *spec, FILE *out);
void gen_emit_disasm(GenSpec *spec, FILE *out);

#endif
