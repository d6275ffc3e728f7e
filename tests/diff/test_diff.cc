// test_diff.cc — the differential test: random instruction sequences built from the spec's
// own encodings (interp_insn_info[]), run by harness.S under tiercel (both dispatch builds)
// and qemu-riscv64; every integer and floating-point register, fcsr and the scratch
// buffer must agree after every sequence. Plus property tests of the instruction table
// and of the generator that need no reference emulator.
//
// Environment (meson sets the first three):
//   TIERCEL_DIFF_HARNESS    the riscv64 harness program (empty: the tests skip)
//   TIERCEL_RISCV64         tiercel, threaded dispatch
//   TIERCEL_RISCV64_SWITCH  tiercel, switch dispatch
//   TIERCEL_DIFF_SEED       generator seed (decimal or 0x hex); the default is fixed
//   TIERCEL_DIFF_CASES      number of sequences (default 50000)
//   TIERCEL_DIFF_KEEP       set: keep the case files (their directory is printed)
//   TIERCEL_DIFF_ONLY       comma-separated instruction names and extensions (I, M, A, F,
//                           D, C, Zba ...): generate only those (to chase a bug)
// qemu-riscv64 is looked up on PATH; without it the qemu comparison skips.
//
// Generator rules (see harness.h for the reserved registers and the memory layout):
// - an instruction is a random table entry with every bit its mask leaves free random,
//   then constrained through its field layout: destinations never name x2 (sp) or x8
//   (the base registers); loads, stores and atomics use x8 or sp as their base (or a
//   temporary set by a preceding `addi rT, x8|sp, k` in the same group), and their
//   immediate keeps the whole access inside the 1 KiB scratch buffer (atomics aligned);
//   rounding-mode fields are 0..4 or 7 (never the reserved 5, 6), and never 7 after a
//   CSR instruction (which may have written a reserved frm); CSR fields are fflags, frm
//   or fcsr only; every word must decode back to the entry it was made from;
// - branches and jal/c.j jump forward to the start of a later group or to the end of the
//   sequence; jalr, c.jr and c.jalr appear only as `auipc rT, 0; [addi rT, rT, k;] jalr`
//   groups aimed the same way (sometimes with bit 0 of the target set);
// - all LR/SC of one sequence have the same width: an SC whose size differs from the
//   preceding LR's may succeed or fail at the implementation's choice (ISA manual, A,
//   "Load-Reserved/Store-Conditional": "this LR might have had a different effective
//   address and data size"), so such a pair has no single right answer;
// - excluded: ecall, ebreak, c.ebreak (they leave the sequence), c.addi16sp (writes sp),
//   ctzw (reference bug, below).
//
// qemu-riscv64 7.2 (Debian 12) disagrees with the ISA manual on:
// - ctzw: qemu counts trailing zeros over all 64 bits; the manual (Zbb, ctzw) counts the
//   low word only, giving 32 when it is zero. Excluded from the generator.

#include <gtest/gtest.h>

#include "harness.h"
#include "tiercel.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

using namespace tiercel;

namespace {

constexpr uint64_t kDefaultSeed = 0x7469657263656c31ull;   // "tiercel1"
constexpr unsigned kDefaultCases = 50000;
constexpr unsigned kBatches = 4;
constexpr unsigned kMaxInsns = 12;
constexpr unsigned kMaxReports = 10;
constexpr int kRunTimeoutSeconds = 100;

constexpr uint64_t kCodeStart = DIFF_CODE_START;
constexpr uint64_t kEpilogue = DIFF_EPILOGUE;
constexpr uint64_t kScratchLo = DIFF_DATA + DIFF_SCRATCH;
constexpr uint64_t kScratchHi = DIFF_DATA + DIFF_SCRATCH + DIFF_SCRATCH_SIZE;
constexpr uint64_t kBaseValue = DIFF_DATA + DIFF_BASE_OFF;
constexpr uint64_t kSpValue = DIFF_DATA + DIFF_SP_OFF;
constexpr int kBase = DIFF_BASE_REG, kSp = DIFF_SP_REG;

const char *const kXNames[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
const char *const kFNames[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

// ---------------------------------------------------------------- environment

std::string env(const char *name)
{
    const char *v = std::getenv(name);
    return v ? v : "";
}

uint64_t env_u64(const char *name, uint64_t dflt)
{
    std::string s = env(name);
    if (s.empty())
        return dflt;
    char *end;
    errno = 0;
    unsigned long long v = std::strtoull(s.c_str(), &end, 0);
    if (errno || *end) {
        ADD_FAILURE() << name << "='" << s << "' is not a number";
        return dflt;
    }
    return v;
}

uint64_t seed() { return env_u64("TIERCEL_DIFF_SEED", kDefaultSeed); }
unsigned case_count() { return (unsigned)env_u64("TIERCEL_DIFF_CASES", kDefaultCases); }

std::string find_on_path(const std::string &prog)
{
    std::string path = env("PATH");
    size_t i = 0;
    while (i <= path.size()) {
        size_t j = path.find(':', i);
        if (j == std::string::npos)
            j = path.size();
        std::string dir = path.substr(i, j - i);
        std::string cand = (dir.empty() ? "." : dir) + "/" + prog;
        if (access(cand.c_str(), X_OK) == 0)
            return cand;
        i = j + 1;
    }
    return "";
}

std::string hex(uint64_t v)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%016" PRIx64, v);
    return b;
}

// ---------------------------------------------------------------- random numbers

struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed) {}
    uint64_t next()   // splitmix64: the same sequence on every host
    {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
    bool chance(unsigned percent) { return below(100) < percent; }
    template <class T, size_t N> T pick(const T (&a)[N]) { return a[below(N)]; }
    template <class T> T pick(const std::vector<T> &v) { return v[below(v.size())]; }
};

// ---------------------------------------------------------------- cases

struct Case {
    uint64_t x[32];
    uint64_t f[32];
    uint64_t fcsr;
    uint64_t seed;                  // of the scratch buffer
    std::vector<uint8_t> code;      // ends with the jump to the epilogue
    std::vector<int> indices;       // table entry of each instruction, in order
};

struct Result {
    bool ok = false;
    std::string error;              // when !ok
    uint64_t x[32];
    uint64_t f[32];
    uint64_t fcsr;
    uint8_t scratch[DIFF_SCRATCH_SIZE];
};

std::vector<uint8_t> record_bytes(const Case &c)
{
    std::vector<uint8_t> r(DIFF_REC_SIZE, 0);
    std::memcpy(&r[DIFF_REC_X], c.x, sizeof c.x);
    std::memcpy(&r[DIFF_REC_F], c.f, sizeof c.f);
    std::memcpy(&r[DIFF_REC_FCSR], &c.fcsr, 8);
    std::memcpy(&r[DIFF_REC_SEED], &c.seed, 8);
    uint64_t len = c.code.size();
    std::memcpy(&r[DIFF_REC_LEN], &len, 8);
    std::memcpy(&r[DIFF_REC_CODE], c.code.data(), c.code.size());
    return r;
}

Result parse_result(const uint8_t *p)
{
    Result r;
    r.ok = true;
    std::memcpy(r.x, p + (DIFF_OUT_X - DIFF_OUT), sizeof r.x);
    std::memcpy(r.f, p + (DIFF_OUT_F - DIFF_OUT), sizeof r.f);
    std::memcpy(&r.fcsr, p + (DIFF_OUT_FCSR - DIFF_OUT), 8);
    std::memcpy(r.scratch, p + (DIFF_SCRATCH - DIFF_OUT), sizeof r.scratch);
    return r;
}

// The scratch buffer as the harness fills it.
void scratch_init(uint64_t seed, uint8_t *out)
{
    uint64_t x = seed;
    for (unsigned i = 0; i < DIFF_SCRATCH_SIZE; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        std::memcpy(out + i, &x, 8);
    }
}

// (pc, word, length) of each instruction in a case's code.
struct Decoded { uint64_t pc; uint32_t word; unsigned len; };
std::vector<Decoded> split_code(const std::vector<uint8_t> &code)
{
    std::vector<Decoded> v;
    for (size_t off = 0; off + 2 <= code.size();) {
        uint32_t w = code[off] | (uint32_t)code[off + 1] << 8;
        unsigned len = insn_length(w);
        if (len == 4 && off + 4 <= code.size())
            w |= (uint32_t)code[off + 2] << 16 | (uint32_t)code[off + 3] << 24;
        v.push_back({kCodeStart + off, w, len});
        off += len;
    }
    return v;
}

// ---------------------------------------------------------------- initial values

uint64_t random_x(Rng &r)
{
    static const uint64_t edges[] = {
        0, 1, 2, 3, ~0ull, ~1ull, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000001ull,
        0x80000000ull, 0x7fffffffull, 0xffffffffull, 0x100000000ull, 0xffffffff80000000ull,
        0xffffffff7fffffffull, 0x00000000fffffffeull, 0xffffffff00000000ull, 0x00000000ffff8000ull,
        0xffffffffffff8000ull, 0x7fffull, 0x8000ull, 0xffffull, 0x80ull, 0xffull, 31, 32, 33, 63, 64, 65,
        0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull, 0x0123456789abcdefull, 0x4f000000ull, 0x3f800000ull,
        kScratchLo, kBaseValue, kCodeStart};
    switch (r.below(6)) {
    case 0: return (uint64_t)((int64_t)r.below(33) - 16);
    case 1: return r.pick(edges);
    case 2: return (uint64_t)(int64_t)(int32_t)r.next();
    case 3: return r.next() & r.next() & r.next();   // sparse
    case 4: return r.pick(edges) + (uint64_t)((int64_t)r.below(5) - 2);
    default: return r.next();
    }
}

uint32_t random_single(Rng &r)
{
    static const uint32_t special[] = {
        0x00000000, 0x3f800000 /* 1 */, 0x3f000000 /* .5 */, 0x3fc00000 /* 1.5 */, 0x40200000 /* 2.5 */,
        0x4f000000 /* 2^31 */, 0x4f800000 /* 2^32 */, 0x5f000000 /* 2^63 */, 0x5f800000 /* 2^64 */,
        0x4effffff, 0x4f7fffff, 0x5effffff, 0x5f7fffff, 0x4b000000 /* 2^23 */, 0x4b800000,
        0x7f7fffff /* max */, 0x00800000 /* min normal */, 0x007fffff, 0x00000001, 0x7f800000 /* inf */,
        0x7fc00000 /* canonical NaN */, 0x7f800001 /* sNaN */, 0x7fbfffff, 0x7fc00001, 0x7fffffff,
        0x3effffff, 0x3f7fffff, 0x33800000 /* 2^-24 */, 0x34000000};
    uint32_t sign = (uint32_t)r.below(2) << 31;
    switch (r.below(7)) {
    case 0: return r.pick(special) | sign;
    case 1: return sign | (uint32_t)(1 + r.below(254)) << 23 | (uint32_t)(r.next() & 0x7fffff);   // normal
    case 2: return sign | (uint32_t)(126 + r.below(40)) << 23 | (uint32_t)(r.next() & 0x7fffff); // near 1..2^40
    case 3: return sign | (uint32_t)(1 + r.below(0x7fffff));                                      // subnormal
    case 4: return sign | 0x7f800000 | (uint32_t)(1 + r.below(0x7fffff));                         // NaN
    case 5: {   // a small integer, as a float
        float v = (float)((int)r.below(200) - 100) / (float)(1 + r.below(4));
        uint32_t b;
        std::memcpy(&b, &v, 4);
        return b;
    }
    default: return (uint32_t)r.next();
    }
}

uint64_t random_double(Rng &r)
{
    static const uint64_t special[] = {
        0, 0x3ff0000000000000ull, 0x3fe0000000000000ull, 0x3ff8000000000000ull, 0x4004000000000000ull,
        0x41e0000000000000ull /* 2^31 */, 0x41f0000000000000ull /* 2^32 */, 0x43e0000000000000ull /* 2^63 */,
        0x43f0000000000000ull /* 2^64 */, 0x41dfffffffc00000ull /* 2^31-1 */, 0x41efffffffe00000ull,
        0x41e0000000100000ull, 0x43dfffffffffffffull, 0x43efffffffffffffull, 0x4330000000000000ull,
        0x7fefffffffffffffull, 0x0010000000000000ull, 0x000fffffffffffffull, 0x0000000000000001ull,
        0x7ff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull, 0x7ff7ffffffffffffull,
        0x7ff8000000000001ull, 0x47efffffe0000000ull /* single max */, 0x47efffff00000000ull,
        0x3810000000000000ull /* single min normal */, 0x380fffffffffffffull, 0x36a0000000000000ull,
        0x3e70000000000000ull};
    uint64_t sign = r.below(2) << 63;
    switch (r.below(7)) {
    case 0: return r.pick(special) | sign;
    case 1: return sign | (1 + r.below(2046)) << 52 | (r.next() & 0xfffffffffffffull);
    case 2: return sign | (1000 + r.below(100)) << 52 | (r.next() & 0xfffffffffffffull);
    case 3: return sign | (1 + r.below(0xfffffffffffffull));
    case 4: return sign | 0x7ff0000000000000ull | (1 + r.below(0xfffffffffffffull));
    case 5: {
        double v = (double)((int)r.below(200) - 100) / (double)(1 + r.below(4));
        uint64_t b;
        std::memcpy(&b, &v, 8);
        return b;
    }
    default: return r.next();
    }
}

uint64_t random_f(Rng &r)
{
    switch (r.below(10)) {
    case 0: case 1: case 2: case 3: return 0xffffffff00000000ull | random_single(r);   // NaN-boxed single
    case 4: case 5: case 6: case 7: return random_double(r);
    case 8: {   // a single, badly boxed
        static const uint64_t tops[] = {0, 0xfffffffe00000000ull, 0x7fffffff00000000ull, 0xffff0000ffff0000ull};
        return r.pick(tops) | random_single(r);
    }
    default: return r.next();
    }
}

// ---------------------------------------------------------------- the generator

struct Insn { int index; uint32_t word; };

struct Group {
    enum Kind { PLAIN, BRANCH, JALR, CJR } kind = PLAIN;
    std::vector<Insn> insns;
    unsigned low_bit = 0;   // JALR/CJR: set bit 0 of the computed target
};

struct SeqState {
    bool csr_seen = false;   // a CSR instruction may have written frm: no dynamic rm after it
    unsigned lrsc_size = 0;  // width of this sequence's LR/SC
};

bool name_is(const InterpInsnInfo &in, const char *n) { return !std::strcmp(in.name, n); }

// Values a (small) field can hold.
std::vector<int64_t> field_values(const InterpFieldInfo &f)
{
    std::vector<int64_t> v;
    unsigned n = field_raw_bits(f);
    for (uint32_t raw = 0; raw < (1u << n); raw++)
        v.push_back(field_value(f, raw));
    return v;
}

bool is_reserved(int64_t reg) { return reg == kBase || reg == kSp; }

class Generator {
  public:
    explicit Generator(uint64_t seed) : rng_(seed)
    {
        std::string only = "," + env("TIERCEL_DIFF_ONLY") + ",";
        for (unsigned i = 0; i < interp_insn_count; i++) {
            const InterpInsnInfo &in = interp_insn_info[i];
            if (excluded(in))
                continue;
            if (only != ",," && only.find("," + std::string(in.name) + ",") == std::string::npos &&
                only.find("," + std::string(in.ext) + ",") == std::string::npos)
                continue;
            eligible_.push_back((int)i);
        }
        if (eligible_.empty())
            eligible_.push_back(insn_index("add"));
        auipc_ = insn_index("auipc");
        addi_ = insn_index("addi");
        jal_ = insn_index("jal");
    }

    // ecall/ebreak leave the sequence; c.addi16sp writes sp (reserved); ctzw: qemu 7.2
    // counts over 64 bits (see the top of this file).
    static bool excluded(const InterpInsnInfo &in)
    {
        static const char *const names[] = {"ecall", "ebreak", "c.ebreak", "c.addi16sp", "ctzw"};
        for (const char *n : names)
            if (name_is(in, n))
                return true;
        return false;
    }

    const std::vector<int> &eligible() const { return eligible_; }

    Case make()
    {
        for (;;) {
            Case c;
            if (make_code(c)) {
                make_state(c);
                return c;
            }
        }
    }

  private:
    Rng rng_;
    std::vector<int> eligible_;
    int auipc_, addi_, jal_;

    uint32_t random_word(const InterpInsnInfo &in)
    {
        uint32_t all = in.length == 2 ? 0xffffu : 0xffffffffu;
        return in.match | ((uint32_t)rng_.next() & all & ~in.mask);
    }

    int64_t pick_field(const InterpFieldInfo &f, bool (*ok)(int64_t))
    {
        std::vector<int64_t> v;
        for (int64_t x : field_values(f))
            if (ok(x))
                v.push_back(x);
        return v.empty() ? -1 : rng_.pick(v);
    }

    // Random free bits, then the field rules that hold for every instruction.
    bool fill(int index, uint32_t &w, const SeqState &st)
    {
        const InterpInsnInfo &in = interp_insn_info[index];
        w = random_word(in);
        for (unsigned i = 0; i < in.nfields; i++) {
            const InterpFieldInfo &f = in.fields[i];
            if (f.kind == INTERP_FIELD_XREG && !std::strcmp(f.name, "rd")) {
                int64_t r = pick_field(f, [](int64_t x) { return !is_reserved(x); });
                if (r < 0 || !field_put(f, w, r))
                    return false;
            } else if (f.kind == INTERP_FIELD_RM) {
                static const int modes[] = {0, 1, 2, 3, 4, 7};
                int m = rng_.pick(modes);
                if (st.csr_seen && m == 7)
                    m = (int)rng_.below(5);
                if (!field_put(f, w, m))
                    return false;
            } else if (f.kind == INTERP_FIELD_CSR) {
                if (!field_put(f, w, 1 + (int64_t)rng_.below(3)))
                    return false;
            }
        }
        return true;
    }

    bool encode(int index, uint32_t w, Group &g)
    {
        if (interp_decode_index(w) != index)
            return false;
        g.insns.push_back({index, w});
        return true;
    }

    bool put(int index, uint32_t &w, const char *field, int64_t v)
    {
        const InterpFieldInfo *f = insn_field(interp_insn_info[index], field);
        return f && field_put(*f, w, v);
    }

    int64_t temp_reg()
    {
        int64_t r;
        do
            r = 1 + (int64_t)rng_.below(31);
        while (is_reserved(r));
        return r;
    }

    // `addi rd, base, k`
    bool make_addi(Group &g, int64_t rd, int64_t base, int64_t k, const SeqState &st)
    {
        uint32_t w;
        return fill(addi_, w, st) && put(addi_, w, "rd", rd) && put(addi_, w, "rs1", base) &&
               put(addi_, w, "imm", k) && encode(addi_, w, g);
    }

    bool make_memory(int index, Group &g, SeqState &st)
    {
        const InterpInsnInfo &in = interp_insn_info[index];
        unsigned size = in.access_size;
        bool atomic = in.flags & INTERP_INSN_ATOMIC;
        const InterpFieldInfo *rs1 = insn_field(in, "rs1");
        const InterpFieldInfo *imm = insn_field(in, "imm");
        uint32_t w;
        if (!fill(index, w, st))
            return false;
        uint64_t base;
        if (!rs1) {
            base = kSpValue;   // c.lwsp, c.sdsp ...: sp is implied
        } else {
            std::vector<int64_t> regs = field_values(*rs1);
            bool temp = rng_.chance(35);
            if (temp) {
                // a temporary base inside the buffer, set by `addi rT, x8|sp, k`
                std::vector<int64_t> t;
                for (int64_t r : regs)
                    if (r != 0 && !is_reserved(r))
                        t.push_back(r);
                int64_t rt = rng_.pick(t);
                base = kScratchLo + rng_.below(DIFF_SCRATCH_SIZE - size + 1);
                if (atomic)
                    base &= ~(uint64_t)(size - 1);
                int64_t from = rng_.chance(50) ? kBase : kSp;
                int64_t k = (int64_t)(base - (from == kBase ? kBaseValue : kSpValue));
                if (!make_addi(g, rt, from, k, st) || !field_put(*rs1, w, rt))
                    return false;
            } else {
                std::vector<int64_t> b;
                for (int64_t r : regs)
                    if (is_reserved(r))
                        b.push_back(r);
                int64_t r = rng_.pick(b);
                base = r == kBase ? kBaseValue : kSpValue;
                if (!field_put(*rs1, w, r))
                    return false;
            }
        }
        auto fits = [&](uint64_t a) {
            return a >= kScratchLo && a + size <= kScratchHi && (!atomic || a % size == 0);
        };
        if (imm) {
            bool found = false;
            for (int tries = 0; tries < 64 && !found; tries++) {
                uint32_t raw = (uint32_t)rng_.below(1ull << field_raw_bits(*imm));
                int64_t v = field_value(*imm, raw);
                if (fits(base + (uint64_t)v)) {
                    w = field_raw_put(*imm, w, raw);
                    found = true;
                }
            }
            if (!found)
                return false;
        } else if (!fits(base)) {
            return false;
        }
        return encode(index, w, g);
    }

    bool make_group(int index, Group &g, SeqState &st)
    {
        const InterpInsnInfo &in = interp_insn_info[index];
        uint32_t w;
        if (name_is(in, "jalr") || name_is(in, "c.jr") || name_is(in, "c.jalr")) {
            // auipc rT, 0; [addi rT, rT, k;] jalr rd, k(rT) / c.jr rT / c.jalr rT
            int64_t rt = temp_reg();
            g.low_bit = (unsigned)rng_.below(2);
            if (!fill(auipc_, w, st) || !put(auipc_, w, "rd", rt) || !put(auipc_, w, "imm", 0) ||
                !encode(auipc_, w, g))
                return false;
            if (name_is(in, "jalr")) {
                g.kind = Group::JALR;
                return fill(index, w, st) && put(index, w, "rs1", rt) && encode(index, w, g);
            }
            g.kind = Group::CJR;
            return make_addi(g, rt, rt, 0, st) && fill(index, w, st) && put(index, w, "rs1", rt) &&
                   encode(index, w, g);
        }
        if (in.flags & (INTERP_INSN_LOAD | INTERP_INSN_STORE | INTERP_INSN_ATOMIC)) {
            if (!std::strncmp(in.name, "lr.", 3) || !std::strncmp(in.name, "sc.", 3)) {
                if (st.lrsc_size && st.lrsc_size != in.access_size) {
                    std::string other = std::string(in.name, 3) + (st.lrsc_size == 8 ? "d" : "w");
                    index = insn_index(other.c_str());
                }
                st.lrsc_size = interp_insn_info[index].access_size;
            }
            return make_memory(index, g, st);
        }
        if (!fill(index, w, st))
            return false;
        if (in.flags & (INTERP_INSN_BRANCH | INTERP_INSN_JUMP))
            g.kind = Group::BRANCH;   // its immediate is set once the layout is known
        if (in.flags & INTERP_INSN_CSR)
            st.csr_seen = true;
        return encode(index, w, g);
    }

    static unsigned length(const Group &g)
    {
        unsigned n = 0;
        for (const Insn &i : g.insns)
            n += interp_insn_info[i.index].length;
        return n;
    }

    bool make_code(Case &c)
    {
        unsigned budget = 1 + (unsigned)rng_.below(kMaxInsns), count = 0;
        std::vector<Group> groups;
        SeqState st;
        for (int tries = 0; count < budget && tries < 200; tries++) {
            Group g;
            SeqState next = st;
            if (!make_group(rng_.pick(eligible_), g, next) || count + g.insns.size() > budget)
                continue;
            count += (unsigned)g.insns.size();
            st = next;
            groups.push_back(std::move(g));
        }
        if (groups.empty())
            return false;
        // layout, then the targets: forward, to a later group or to the end
        std::vector<uint64_t> start;
        uint64_t pc = kCodeStart;
        for (const Group &g : groups) {
            start.push_back(pc);
            pc += length(g);
        }
        uint64_t end = pc;
        for (size_t i = 0; i < groups.size(); i++) {
            Group &g = groups[i];
            if (g.kind == Group::PLAIN)
                continue;
            size_t t = i + 1 + rng_.below(groups.size() - i);
            uint64_t target = t < groups.size() ? start[t] : end;
            Insn &last = g.insns.back();
            uint64_t last_pc = start[i] + length(g) - interp_insn_info[last.index].length;
            bool ok;
            if (g.kind == Group::BRANCH)
                ok = put(last.index, last.word, "imm", (int64_t)(target - last_pc));
            else if (g.kind == Group::JALR)
                ok = put(last.index, last.word, "imm", (int64_t)(target - start[i]) + g.low_bit);
            else   // CJR: the addi
                ok = put(g.insns[1].index, g.insns[1].word, "imm", (int64_t)(target - start[i]) + g.low_bit);
            if (!ok)
                return false;
            for (const Insn &in : g.insns)
                if (interp_decode_index(in.word) != in.index)
                    return false;
        }
        // emit, then the jump to the epilogue
        Group term;
        uint32_t w;
        SeqState none;
        if (!fill(jal_, w, none) || !put(jal_, w, "rd", 0) || !put(jal_, w, "imm", (int64_t)(kEpilogue - end)) ||
            !encode(jal_, w, term))
            return false;
        groups.push_back(term);
        for (const Group &g : groups)
            for (const Insn &in : g.insns) {
                unsigned len = interp_insn_info[in.index].length;
                for (unsigned b = 0; b < len; b++)
                    c.code.push_back((uint8_t)(in.word >> (8 * b)));
                c.indices.push_back(in.index);
            }
        return c.code.size() <= DIFF_MAX_CODE;
    }

    void make_state(Case &c)
    {
        for (int i = 0; i < 32; i++) {
            c.x[i] = random_x(rng_);
            c.f[i] = random_f(rng_);
        }
        c.x[0] = 0;
        c.x[kSp] = kSpValue;
        c.x[kBase] = kBaseValue;
        // frm valid (0..4); fflags mostly clear, so that every flag an instruction raises shows
        c.fcsr = (rng_.chance(75) ? 0 : rng_.below(32)) | rng_.below(5) << 5;
        do
            c.seed = rng_.next();
        while (!c.seed);
    }
};

// ---------------------------------------------------------------- running the harness

class TempDir {
  public:
    TempDir()
    {
        std::string base = env("TMPDIR");
        if (base.empty())
            base = "/tmp";
        std::string tmpl = base + "/tiercel-diff-XXXXXX";
        std::vector<char> b(tmpl.begin(), tmpl.end());
        b.push_back(0);
        if (mkdtemp(b.data()))
            path_ = b.data();
    }
    ~TempDir()
    {
        if (path_.empty())
            return;
        if (!env("TIERCEL_DIFF_KEEP").empty() || keep_) {
            std::printf("case files kept in %s\n", path_.c_str());
            return;
        }
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
        if (ec)
            std::fprintf(stderr, "could not remove %s: %s\n", path_.c_str(), ec.message().c_str());
    }
    const std::string &path() const { return path_; }
    void keep() { keep_ = true; }

  private:
    std::string path_;
    bool keep_ = false;
};

std::string read_file(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

std::string describe_status(int status)
{
    char b[64];
    if (WIFEXITED(status))
        std::snprintf(b, sizeof b, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        std::snprintf(b, sizeof b, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        std::snprintf(b, sizeof b, "status 0x%x", status);
    return b;
}

// Runs `argv` with stdout and stderr to files; returns the wait status, or -1.
int run(const std::vector<std::string> &argv, const std::string &out, const std::string &err, std::string &why)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char *> av;
    for (const std::string &a : argv)
        av.push_back(const_cast<char *>(a.c_str()));
    av.push_back(nullptr);
    pid_t pid;
    int rc = posix_spawn(&pid, av[0], &fa, nullptr, av.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) {
        why = std::string("cannot run ") + argv[0] + ": " + std::strerror(rc);
        return -1;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kRunTimeoutSeconds);
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0) {
            why = std::string("waitpid: ") + std::strerror(errno);
            return -1;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            why = "timed out after " + std::to_string(kRunTimeoutSeconds) + " s";
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

// Runs every case of one case file under `emulator`. A case that kills the harness gets
// an error result, and the run restarts at the case after it.
std::vector<std::string> split_words(const std::string &s)
{
    std::vector<std::string> words;
    std::istringstream in(s);
    for (std::string w; in >> w;)
        words.push_back(w);
    return words;
}

std::vector<Result> run_cases(const std::string &emulator, const std::string &harness, const std::string &file,
                              size_t ncases, const std::string &dir)
{
    std::vector<Result> results(ncases);
    std::string out = dir + "/out", err = dir + "/err";
    size_t first = 0;
    int restarts = 0, stuck = 0;
    while (first < ncases) {
        std::string why;
        std::vector<std::string> argv = split_words(emulator);   // "PATH [OPTIONS]"
        argv.insert(argv.end(), {harness, file, std::to_string(first)});
        int status = run(argv, out, err, why);
        std::string bytes = read_file(out);
        size_t n = std::min(bytes.size() / DIFF_OUT_SIZE, ncases - first);
        for (size_t i = 0; i < n; i++)
            results[first + i] = parse_result(reinterpret_cast<const uint8_t *>(bytes.data()) + i * DIFF_OUT_SIZE);
        first += n;
        bool clean = status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (first >= ncases && clean)
            break;
        if (why.empty())
            why = describe_status(status);
        std::string e = read_file(err);
        while (!e.empty() && std::isspace((unsigned char)e.back()))
            e.pop_back();
        if (e.size() > 400)
            e = e.substr(0, 400) + "...";
        size_t at = std::min(first, ncases - 1);
        results[at].ok = false;
        results[at].error = emulator + ": " + why + (e.empty() ? "" : "; stderr: " + e);
        first = at + 1;
        stuck = n ? 0 : stuck + 1;   // runs that fail before finishing a single case
        if (++restarts > 50 || stuck >= 3) {
            for (size_t i = first; i < ncases; i++) {
                results[i].ok = false;
                results[i].error = emulator + ": not run (" +
                                   (stuck >= 3 ? "three runs in a row failed at their first case)"
                                               : "too many failed runs)");
            }
            break;
        }
    }
    return results;
}

// ---------------------------------------------------------------- comparing

std::string format_case(const Case &c, uint64_t seed, size_t index)
{
    std::string s;
    char b[256];
    std::snprintf(b, sizeof b, "  seed 0x%" PRIx64 " (TIERCEL_DIFF_SEED), case %zu\n  code:\n", seed, index);
    s += b;
    std::vector<Decoded> insns = split_code(c.code);
    for (size_t i = 0; i < insns.size(); i++) {
        const Decoded &d = insns[i];
        std::snprintf(b, sizeof b, "    %08" PRIx64 ":  %0*x  %s%s\n", d.pc, d.len == 2 ? 4 : 8, d.word,
                      disasm(d.pc, d.word).c_str(), i + 1 == insns.size() ? "   (to the epilogue)" : "");
        s += b;
    }
    s += "  initial state:\n";
    for (int i = 1; i < 32; i++) {
        std::snprintf(b, sizeof b, "%s    x%-2d %-4s %s", i % 4 == 1 ? "" : " ", i, kXNames[i], hex(c.x[i]).c_str());
        s += b;
        if (i % 4 == 0 || i == 31)
            s += "\n";
    }
    for (int i = 0; i < 32; i++) {
        std::snprintf(b, sizeof b, "%s    f%-2d %-4s %s", i % 4 == 0 ? "" : " ", i, kFNames[i], hex(c.f[i]).c_str());
        s += b;
        if (i % 4 == 3)
            s += "\n";
    }
    std::snprintf(b, sizeof b, "    fcsr 0x%02" PRIx64 " (frm %" PRIu64 ", fflags 0x%02" PRIx64 "), scratch seed 0x%" PRIx64
                  " at 0x%" PRIx64 "..0x%" PRIx64 "\n",
                  c.fcsr, c.fcsr >> 5, c.fcsr & 31, c.seed, kScratchLo, kScratchHi);
    s += b;
    return s;
}

// The differences between two results, one line each; empty when they agree.
std::string compare(const Result &a, const Result &b, const char *an, const char *bn, const Case &c)
{
    std::string s;
    char l[256];
    if (!a.ok || !b.ok) {
        if (!a.ok)
            s += std::string("    ") + an + " failed: " + a.error + "\n";
        if (!b.ok)
            s += std::string("    ") + bn + " failed: " + b.error + "\n";
        return s;
    }
    for (int i = 0; i < 32; i++)
        if (a.x[i] != b.x[i]) {
            std::snprintf(l, sizeof l, "    x%-2d %-4s %s %s   %s %s\n", i, kXNames[i], an, hex(a.x[i]).c_str(), bn,
                          hex(b.x[i]).c_str());
            s += l;
        }
    for (int i = 0; i < 32; i++)
        if (a.f[i] != b.f[i]) {
            std::snprintf(l, sizeof l, "    f%-2d %-4s %s %s   %s %s\n", i, kFNames[i], an, hex(a.f[i]).c_str(), bn,
                          hex(b.f[i]).c_str());
            s += l;
        }
    if (a.fcsr != b.fcsr) {
        std::snprintf(l, sizeof l, "    fcsr     %s 0x%02" PRIx64 "   %s 0x%02" PRIx64 "\n", an, a.fcsr, bn, b.fcsr);
        s += l;
    }
    uint8_t init[DIFF_SCRATCH_SIZE];
    scratch_init(c.seed, init);
    for (unsigned off = 0; off < DIFF_SCRATCH_SIZE; off += 8) {
        uint64_t va, vb, vi;
        std::memcpy(&va, a.scratch + off, 8);
        std::memcpy(&vb, b.scratch + off, 8);
        std::memcpy(&vi, init + off, 8);
        if (va != vb) {
            std::snprintf(l, sizeof l, "    mem 0x%" PRIx64 "  %s %s   %s %s   (initially %s)\n", kScratchLo + off, an,
                          hex(va).c_str(), bn, hex(vb).c_str(), hex(vi).c_str());
            s += l;
        }
    }
    return s;
}

// Generates the cases, runs them under both emulators and reports every disagreement.
void differential(const std::string &a_path, const char *a_name, const std::string &b_path, const char *b_name,
                  unsigned max_cases = ~0u)
{
    std::string harness = env("TIERCEL_DIFF_HARNESS");
    uint64_t s = seed();
    unsigned n = std::min(case_count(), max_cases);
    std::printf("seed 0x%" PRIx64 " (set TIERCEL_DIFF_SEED to change), %u sequences: %s against %s\n", s, n, a_name,
                b_name);
    TempDir dir;
    ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed";
    Generator gen(s);
    std::vector<Case> cases;
    for (unsigned i = 0; i < n; i++)
        cases.push_back(gen.make());

    unsigned reported = 0, mismatches = 0;
    unsigned per_batch = (n + kBatches - 1) / kBatches;
    for (unsigned first = 0; first < n; first += per_batch) {
        unsigned count = std::min(per_batch, n - first);
        std::string file = dir.path() + "/cases-" + std::to_string(first / per_batch) + ".bin";
        {
            std::ofstream f(file, std::ios::binary);
            for (unsigned i = 0; i < count; i++) {
                std::vector<uint8_t> r = record_bytes(cases[first + i]);
                f.write(reinterpret_cast<const char *>(r.data()), (std::streamsize)r.size());
            }
            ASSERT_TRUE(f.good()) << "cannot write " << file;
        }
        std::vector<Result> ra = run_cases(a_path, harness, file, count, dir.path());
        std::vector<Result> rb = run_cases(b_path, harness, file, count, dir.path());
        for (unsigned i = 0; i < count; i++) {
            std::string d = compare(ra[i], rb[i], a_name, b_name, cases[first + i]);
            if (d.empty())
                continue;
            mismatches++;
            if (reported < kMaxReports) {
                reported++;
                ADD_FAILURE() << a_name << " and " << b_name << " disagree:\n"
                              << format_case(cases[first + i], s, first + i) << "  differences:\n"
                              << d << "  (case file " << file << ", record " << i << ")";
            }
        }
    }
    if (mismatches) {
        dir.keep();
        ADD_FAILURE() << mismatches << " of " << n << " sequences disagree (" << reported << " shown)";
    }
    std::printf("%u of %u sequences agree\n", n - mismatches, n);
}

std::string need_harness()
{
    std::string h = env("TIERCEL_DIFF_HARNESS");
    if (h.empty() || access(h.c_str(), R_OK) != 0)
        return "no riscv64 harness (riscv64-linux-gnu-gcc was not found at configure time)";
    return "";
}

std::string need_emulator(const char *var)
{
    std::string p = env(var);
    if (p.empty() || access(p.c_str(), X_OK) != 0)
        return std::string(var) + " does not name an executable tiercel";
    return "";
}

}  // namespace

// ---------------------------------------------------------------- the table (no emulator)

// Each word that decodes to an entry matches that entry's pattern, and the disassembler
// agrees with the decoder on legality and length: all 16-bit words, and random 32-bit ones.
TEST(Table, DecodeMatchesPatternAndDisasm)
{
    Rng r(seed());
    char buf[128];
    unsigned failures = 0;
    auto fail = [&](uint32_t w, const std::string &what) {
        if (++failures <= kMaxReports)
            ADD_FAILURE() << "word " << hex(w) << ": " << what;
    };
    auto check = [&](uint32_t w, unsigned len) {
        int d = interp_decode_index(w);
        int dl = interp_disasm(kCodeStart, w, buf, sizeof buf);
        if (d < 0) {
            if (dl != 0)
                fail(w, std::string("illegal to the decoder, not to the disassembler: ") + buf);
            return;
        }
        const InterpInsnInfo &in = interp_insn_info[d];
        if ((w & in.mask) != in.match)
            fail(w, std::string("decodes to ") + in.name + " but does not match its pattern");
        if (in.length != len)
            fail(w, std::string("decodes to ") + in.name + " of the wrong length");
        if (dl != (int)len || std::strncmp(buf, in.name, std::strlen(in.name)))
            fail(w, std::string("decodes to ") + in.name + " but disassembles as " + buf);
    };
    for (uint32_t w = 0; w < 0x10000; w++)
        if ((w & 3) != 3)
            check(w, 2);
    for (int i = 0; i < 1000000; i++)
        check((uint32_t)r.next() | 3, 4);
    EXPECT_EQ(failures, 0u);
}

// Every entry is reachable: some filling of its free bits decodes to it. The match
// pattern itself decodes to the entry, or to an earlier member of its group, or is a
// reserved encoding (illegal-if).
TEST(Table, EveryEntryDecodesToItself)
{
    Rng r(seed());
    for (unsigned i = 0; i < interp_insn_count; i++) {
        const InterpInsnInfo &in = interp_insn_info[i];
        ASSERT_TRUE(in.length == 2 || in.length == 4) << in.name;
        uint32_t all = in.length == 2 ? 0xffffu : 0xffffffffu;
        EXPECT_EQ(in.match & ~in.mask, 0u) << in.name;
        EXPECT_EQ(in.mask & ~all, 0u) << in.name;
        int d = interp_decode_index(in.match);
        EXPECT_TRUE(d == (int)i || d == -1 || (in.match & interp_insn_info[d].mask) == interp_insn_info[d].match)
            << in.name << ": its match decodes to " << (d < 0 ? "illegal" : interp_insn_info[d].name);
        bool reached = d == (int)i;
        for (int t = 0; t < 4000 && !reached; t++)
            reached = interp_decode_index(in.match | ((uint32_t)r.next() & all & ~in.mask)) == (int)i;
        EXPECT_TRUE(reached) << in.name << " (" << in.where << "): no encoding decodes to it";
        for (unsigned k = 0; k < in.nfields; k++) {
            const InterpFieldInfo &f = in.fields[k];
            uint32_t bits = 0;
            for (unsigned q = 0; q < f.nranges; q++)
                bits |= (uint32_t)(((1ull << (f.ranges[q].hi - f.ranges[q].lo + 1)) - 1) << f.ranges[q].lo);
            EXPECT_EQ(bits, f.bits_mask) << in.name << "." << f.name << ": ranges and bits_mask differ";
            EXPECT_EQ(f.bits_mask & in.mask, 0u) << in.name << "." << f.name << " overlaps the fixed bits";
        }
    }
}

// The test's field encoder inverts the table's field layout: every value a field can
// hold survives field_put then field_get, and no other bit changes.
TEST(Table, FieldEncoderRoundTrips)
{
    Rng r(seed());
    for (unsigned i = 0; i < interp_insn_count; i++) {
        const InterpInsnInfo &in = interp_insn_info[i];
        for (unsigned k = 0; k < in.nfields; k++) {
            const InterpFieldInfo &f = in.fields[k];
            unsigned n = field_raw_bits(f);
            // bits<width> holds every value (README: bit count + shift, + 1 if add needs it)
            EXPECT_GE(f.width, n + f.shift) << in.name << "." << f.name;
            EXPECT_LE(f.width, n + f.shift + 1u) << in.name << "." << f.name;
            if (!f.is_signed && f.width < 64) {
                EXPECT_LT((uint64_t)field_value(f, (1u << n) - 1), 1ull << f.width) << in.name << "." << f.name;
            }
            for (int t = 0; t < 200; t++) {
                uint32_t raw = (uint32_t)r.below(1ull << n);
                int64_t v = field_value(f, raw);
                uint32_t w0 = (uint32_t)r.next(), w = w0;
                ASSERT_TRUE(field_put(f, w, v)) << in.name << "." << f.name << " = " << v;
                EXPECT_EQ(field_get(f, w), v) << in.name << "." << f.name;
                EXPECT_EQ(w & ~f.bits_mask, w0 & ~f.bits_mask) << in.name << "." << f.name;
            }
            if (f.shift) {
                uint32_t w = 0;
                EXPECT_FALSE(field_put(f, w, (int64_t)f.add + 1)) << in.name << "." << f.name << ": odd value taken";
            }
        }
    }
}

// The generator keeps its own rules and reaches every eligible instruction.
TEST(Generator, RulesAndCoverage)
{
    uint64_t s = seed();
    unsigned n = case_count();
    Generator gen(s);
    std::map<int, unsigned> seen;
    for (unsigned c = 0; c < n; c++) {
        Case k = gen.make();
        ASSERT_LE(k.code.size(), (size_t)DIFF_MAX_CODE);
        std::vector<Decoded> insns = split_code(k.code);
        ASSERT_EQ(insns.size(), k.indices.size());
        ASSERT_LE(insns.size(), kMaxInsns + 1u);
        for (size_t i = 0; i < insns.size(); i++) {
            const Decoded &d = insns[i];
            ASSERT_EQ(interp_decode_index(d.word), k.indices[i]) << "case " << c << ": " << disasm(d.pc, d.word);
            const InterpInsnInfo &in = interp_insn_info[k.indices[i]];
            ASSERT_FALSE(Generator::excluded(in)) << in.name;
            seen[k.indices[i]]++;
            for (unsigned q = 0; q < in.nfields; q++) {
                const InterpFieldInfo &f = in.fields[q];
                int64_t v = field_get(f, d.word);
                std::string what = "case " + std::to_string(c) + ": " + disasm(d.pc, d.word);
                if (f.kind == INTERP_FIELD_XREG && !std::strcmp(f.name, "rd")) {
                    EXPECT_FALSE(is_reserved(v)) << what;
                } else if (f.kind == INTERP_FIELD_RM) {
                    EXPECT_TRUE(v <= 4 || v == 7) << what;
                } else if (f.kind == INTERP_FIELD_CSR) {
                    EXPECT_TRUE(v >= 1 && v <= 3) << what;
                } else if ((in.flags & (INTERP_INSN_BRANCH | INTERP_INSN_JUMP)) && !std::strcmp(f.name, "imm")) {
                    EXPECT_GT(v, 0) << what << ": a backward or self jump";
                }
            }
        }
        EXPECT_EQ(k.x[kSp], kSpValue);
        EXPECT_EQ(k.x[kBase], kBaseValue);
        EXPECT_LE((k.fcsr >> 5) & 7, 4u);
    }
    std::string missing;
    for (int i : gen.eligible())
        if (!seen.count(i))
            missing += std::string(" ") + interp_insn_info[i].name;
    if (n >= kDefaultCases && env("TIERCEL_DIFF_ONLY").empty()) {
        EXPECT_TRUE(missing.empty()) << "never generated:" << missing;
    }
    std::printf("%zu of %u table entries eligible, %zu generated\n", gen.eligible().size(), interp_insn_count,
                seen.size());
}

// ---------------------------------------------------------------- the differential tests

TEST(Diff, QemuVsThreaded)
{
    std::string why = need_harness();
    if (why.empty())
        why = need_emulator("TIERCEL_RISCV64");
    if (!why.empty())
        GTEST_SKIP() << why;
    std::string qemu = find_on_path("qemu-riscv64");
    if (qemu.empty())
        GTEST_SKIP() << "qemu-riscv64 is not on PATH";
    differential(qemu, "qemu", env("TIERCEL_RISCV64"), "tiercel");
}

TEST(Diff, ThreadedVsSwitch)
{
    std::string why = need_harness();
    if (why.empty())
        why = need_emulator("TIERCEL_RISCV64");
    if (why.empty())
        why = need_emulator("TIERCEL_RISCV64_SWITCH");
    if (!why.empty())
        GTEST_SKIP() << why;
    differential(env("TIERCEL_RISCV64") + " --tier=interp", "threaded",
                 env("TIERCEL_RISCV64_SWITCH") + " --tier=interp", "switch");
}

// The tier differential: the interpreter against a compiled tier, same binary.
static void tier_differential(const std::string &options, const char *name, unsigned max_cases = ~0u)
{
    std::string why = need_harness();
    if (why.empty())
        why = need_emulator("TIERCEL_RISCV64");
    if (!why.empty())
        GTEST_SKIP() << why;
    differential(env("TIERCEL_RISCV64") + " --tier=interp", "interp", env("TIERCEL_RISCV64") + " " + options, name,
                 max_cases);
}

// The baseline JIT compiles every block on its first run; each sequence is new code in
// the same place, so every case also exercises invalidation.
TEST(Diff, InterpVsBaseline)
{
    tier_differential("--tier=baseline", "baseline");
}

// LLVM compiles each sequence's blocks before they run, synchronously (about 10 ms a
// region), so this one runs fewer sequences.
TEST(Diff, InterpVsLlvm)
{
    tier_differential("--tier=llvm --tier-thresholds=1,1 --jit-threads=0", "llvm", 300);
}

// Promotion from the interpreter, with both thresholds low.
TEST(Diff, InterpVsAuto)
{
    tier_differential("--tier=auto --tier-thresholds=2,2", "auto");
}

// Exit status 77 (meson's "skipped") when every test that ran was skipped.
int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    int rc = RUN_ALL_TESTS();
    const ::testing::UnitTest *u = ::testing::UnitTest::GetInstance();
    if (rc == 0 && u->test_to_run_count() > 0 && u->skipped_test_count() == u->test_to_run_count())
        return 77;
    return rc;
}
