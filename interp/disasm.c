/*
** disasm.c — disassembly: the generated per-instruction printers plus how each kind
** of field is spelled (ABI register names, CSR names, rounding modes, fence sets).
*/
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "interp-internal.h"

typedef struct DisasmBuf {
    char *p;
    size_t left;
} DisasmBuf;

static void disasm_puts(DisasmBuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->left <= 1)
        return;
    if (n >= b->left)
        n = b->left - 1;
    memcpy(b->p, s, n);
    b->p += n;
    b->left -= n;
    *b->p = 0;
}

static const char *const xreg_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
static const char *const freg_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

static const char *csr_name(int64_t csr)
{
    switch (csr) {
    case 0x001: return "fflags";
    case 0x002: return "frm";
    case 0x003: return "fcsr";
    case 0xc00: return "cycle";
    case 0xc01: return "time";
    case 0xc02: return "instret";
    default: return NULL;
    }
}

static void disasm_field(DisasmBuf *b, int kind, int64_t v)
{
    static const char *const rm_names[8] = { "rne", "rtz", "rdn", "rup", "rmm", "rm5", "rm6", "dyn" };
    char tmp[32];
    const char *s = tmp;
    switch (kind) {
    case INTERP_FIELD_XREG: s = xreg_names[v & 31]; break;
    case INTERP_FIELD_FREG: s = freg_names[v & 31]; break;
    case INTERP_FIELD_IMM: snprintf(tmp, sizeof tmp, "%" PRId64, v); break;
    case INTERP_FIELD_UIMM: snprintf(tmp, sizeof tmp, "%" PRIu64, (uint64_t)v); break;
    case INTERP_FIELD_HEX: snprintf(tmp, sizeof tmp, "0x%" PRIx64, (uint64_t)v >> 12 & 0xfffff); break;
    case INTERP_FIELD_CSR:
        if (!(s = csr_name(v))) {
            snprintf(tmp, sizeof tmp, "0x%03" PRIx64, (uint64_t)v);
            s = tmp;
        }
        break;
    case INTERP_FIELD_RM: s = rm_names[v & 7]; break;
    case INTERP_FIELD_FENCE: {
        char *q = tmp;
        if (v & 8) *q++ = 'i';
        if (v & 4) *q++ = 'o';
        if (v & 2) *q++ = 'r';
        if (v & 1) *q++ = 'w';
        if (q == tmp) *q++ = '0';
        *q = 0;
        break;
    }
    default: snprintf(tmp, sizeof tmp, "%" PRId64, v);
    }
    disasm_puts(b, s);
}

#include GEN_DISASM_INC

int interp_disasm(uint64_t pc, uint32_t bits, char *buf, size_t size)
{
    DisasmBuf b = { buf, size };
    if (size)
        buf[0] = 0;
    InterpInsn d;
    int index = interp_decode_one(bits, &d);
    if (index < 0) {
        disasm_puts(&b, "(illegal)");
        return 0;
    }
    gen_disasm(index, pc, bits, &b);
    return interp_insn_info[index].length;
}

void interp_log_block(InterpCpu *cpu, const InterpBlock *b)
{
    fprintf(cpu->log, "----------------\nIN:\n");
    for (unsigned i = 0; i < b->ninsns; i++) {
        const InterpInsn *d = &b->insns[i];
        bool ok;
        uint32_t bits = interp_fetch_bits(cpu, d->pc, &ok);
        char text[96];
        interp_disasm(d->pc, bits, text, sizeof text);
        if (d->len == 2)
            fprintf(cpu->log, "0x%016" PRIx64 ":  %04x      %s\n", d->pc, bits & 0xffff, text);
        else
            fprintf(cpu->log, "0x%016" PRIx64 ":  %08x  %s\n", d->pc, bits, text);
    }
    fprintf(cpu->log, "\n");
}
