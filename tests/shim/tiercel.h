/*
** tiercel.h — the C shim for the C++ (googletest) suites: the emulator's C API, unchanged,
** plus a few C++ conveniences over the generated instruction table. Nothing here
** re-implements the emulator; the field helpers only read and write instruction bits as
** interp_insn_info[] describes them (InterpFieldInfo), which is what a test generator
** needs to build encodings from the spec.
*/
#ifndef tiercel_shim_h
#define tiercel_shim_h

extern "C" {
#include "interp.h"
}

#include <cstdint>
#include <cstring>
#include <string>

namespace tiercel {

inline const InterpInsnInfo &insn_info(int index) { return interp_insn_info[index]; }

/* Index of the first table entry called `name`, or -1. */
inline int insn_index(const char *name)
{
    for (unsigned i = 0; i < interp_insn_count; i++)
        if (!std::strcmp(interp_insn_info[i].name, name))
            return (int)i;
    return -1;
}

/* The field called `name` of an entry, or nullptr. */
inline const InterpFieldInfo *insn_field(const InterpInsnInfo &in, const char *name)
{
    for (unsigned i = 0; i < in.nfields; i++)
        if (!std::strcmp(in.fields[i].name, name))
            return &in.fields[i];
    return nullptr;
}

/* Number of instruction bits that feed a field. */
inline unsigned field_raw_bits(const InterpFieldInfo &f)
{
    unsigned n = 0;
    for (unsigned r = 0; r < f.nranges; r++)
        n += f.ranges[r].hi - f.ranges[r].lo + 1u;
    return n;
}

/* The concatenation of a field's ranges, most significant first (no shift, sign or add). */
inline uint32_t field_raw_get(const InterpFieldInfo &f, uint32_t word)
{
    uint32_t raw = 0;
    for (unsigned r = 0; r < f.nranges; r++) {
        unsigned w = f.ranges[r].hi - f.ranges[r].lo + 1u;
        raw = (raw << w) | ((word >> f.ranges[r].lo) & ((1u << w) - 1u));
    }
    return raw;
}

/* Writes `raw` (the concatenation, most significant range first) into the field's bits. */
inline uint32_t field_raw_put(const InterpFieldInfo &f, uint32_t word, uint32_t raw)
{
    for (int r = (int)f.nranges - 1; r >= 0; r--) {
        unsigned w = f.ranges[r].hi - f.ranges[r].lo + 1u;
        uint32_t m = ((1u << w) - 1u) << f.ranges[r].lo;
        word = (word & ~m) | ((raw << f.ranges[r].lo) & m);
        raw >>= w;
    }
    return word;
}

/* A field's value as instruction bodies see it: raw << shift, sign-extended if signed, + add. */
inline int64_t field_value(const InterpFieldInfo &f, uint32_t raw)
{
    unsigned n = field_raw_bits(f) + f.shift;
    uint64_t v = (uint64_t)raw << f.shift;
    if (f.is_signed && n < 64 && (v >> (n - 1)) & 1)
        v |= ~(uint64_t)0 << n;
    return (int64_t)(v + f.add);
}

inline int64_t field_get(const InterpFieldInfo &f, uint32_t word)
{
    return field_value(f, field_raw_get(f, word));
}

/* Encodes `value` into the field; false (word untouched) when the field cannot hold it
   (out of range, or low bits set below the shift). */
inline bool field_put(const InterpFieldInfo &f, uint32_t &word, int64_t value)
{
    unsigned n = field_raw_bits(f);
    uint64_t v = (uint64_t)value - f.add;
    if (f.shift && (v & ((1ull << f.shift) - 1)))
        return false;
    int64_t s = (int64_t)v >> f.shift;   /* arithmetic: the value's sign survives */
    uint32_t raw = (uint32_t)((uint64_t)s & ((1ull << n) - 1));
    if (field_value(f, raw) != value)
        return false;
    word = field_raw_put(f, word, raw);
    return true;
}

/* "addi a0, a0, 1", or the disassembler's illegal-instruction text. */
inline std::string disasm(uint64_t pc, uint32_t bits)
{
    char buf[128];
    interp_disasm(pc, bits, buf, sizeof buf);
    return buf;
}

/* Length of the instruction whose first halfword is `lo16`: 4 when bits 1:0 are 11. */
inline unsigned insn_length(uint32_t lo16) { return (lo16 & 3) == 3 ? 4 : 2; }

}  // namespace tiercel

#endif
