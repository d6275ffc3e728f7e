/* Loads and stores of every width and signedness (lb lbu lh lhu lw lwu ld,
 * sb sh sw sd, flw fld fsw fsd) with positive and negative offsets, sign bits
 * set, every misalignment, and misaligned accesses that cross a page
 * boundary (Linux user mode allows misaligned accesses). */
#include "guest.h"
#include <string.h>
#include <sys/mman.h>

static unsigned char buf[64] __attribute__((aligned(64)));

static void fill(void)
{
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(0x80 + i * 7); /* mixes sign bits set and clear */
}

static void dump(const char *what)
{
    printf("%s:", what);
    for (unsigned i = 0; i < 32; i++)
        printf(" %02x", buf[i]);
    printf("\n");
}

/* load through base+offset; the offset is an assembler immediate */
#define LD(op, base, off)                                                 \
    ({                                                                    \
        u64 r_;                                                           \
        __asm__ volatile(op " %0, " #off "(%1)" : "=r"(r_) : "r"(base) : "memory"); \
        r_;                                                               \
    })
#define ST(op, base, off, v)                                              \
    __asm__ volatile(op " %1, " #off "(%0)" : : "r"(base), "r"((u64)(v)) : "memory")

#define SHOW_LD(op, off) printf("%-4s mid%+4d -> %016" PRIx64 "\n", op, off, LD(op, mid, off))

static void loads(void)
{
    unsigned char *mid = buf + 32;
    printf("== loads (mid = buf+32) ==\n");
#define ALL_OFFS(op)                                                         \
    SHOW_LD(op, -32); SHOW_LD(op, -17); SHOW_LD(op, -9); SHOW_LD(op, -8);    \
    SHOW_LD(op, -7); SHOW_LD(op, -6); SHOW_LD(op, -5); SHOW_LD(op, -4);      \
    SHOW_LD(op, -3); SHOW_LD(op, -2); SHOW_LD(op, -1); SHOW_LD(op, 0);       \
    SHOW_LD(op, 1); SHOW_LD(op, 2); SHOW_LD(op, 3); SHOW_LD(op, 4);          \
    SHOW_LD(op, 5); SHOW_LD(op, 6); SHOW_LD(op, 7); SHOW_LD(op, 9);          \
    SHOW_LD(op, 17); SHOW_LD(op, 24);
    ALL_OFFS("lb") ALL_OFFS("lbu") ALL_OFFS("lh") ALL_OFFS("lhu")
    ALL_OFFS("lw") ALL_OFFS("lwu") ALL_OFFS("ld")
#undef ALL_OFFS
}

static void stores(void)
{
    unsigned char *mid = buf + 16;
    const u64 v = 0xf1e2d3c4b5a69788ull;
    printf("== stores (mid = buf+16, value %016" PRIx64 ") ==\n", v);
#define ONE_ST(op, off)                                   \
    fill(); memset(buf, 0, 32); ST(op, mid, off, v);      \
    dump(op " " #off);
    ONE_ST("sb", -16) ONE_ST("sb", -1) ONE_ST("sb", 0) ONE_ST("sb", 15)
    ONE_ST("sh", -16) ONE_ST("sh", -15) ONE_ST("sh", -1) ONE_ST("sh", 0) ONE_ST("sh", 1) ONE_ST("sh", 14)
    ONE_ST("sw", -16) ONE_ST("sw", -13) ONE_ST("sw", -2) ONE_ST("sw", -1) ONE_ST("sw", 0)
    ONE_ST("sw", 1) ONE_ST("sw", 2) ONE_ST("sw", 3) ONE_ST("sw", 12)
    ONE_ST("sd", -16) ONE_ST("sd", -9) ONE_ST("sd", -7) ONE_ST("sd", -3) ONE_ST("sd", 0)
    ONE_ST("sd", 1) ONE_ST("sd", 2) ONE_ST("sd", 3) ONE_ST("sd", 4) ONE_ST("sd", 5)
    ONE_ST("sd", 6) ONE_ST("sd", 7) ONE_ST("sd", 8)
#undef ONE_ST

    /* store then load back through a different width */
    fill();
    ST("sd", mid, 3, 0x8070605040302010ull);
    printf("sd@3 then lw@3=%016" PRIx64 " lwu@7=%016" PRIx64 " lh@9=%016" PRIx64
           " lbu@10=%016" PRIx64 " lb@10=%016" PRIx64 "\n",
           LD("lw", mid, 3), LD("lwu", mid, 7), LD("lh", mid, 9), LD("lbu", mid, 10),
           LD("lb", mid, 10));
}

static void fp_mem(void)
{
    unsigned char *mid = buf + 16;
    u64 r;
    printf("== fp loads/stores ==\n");
    fill();
    /* flw must NaN-box: the upper 32 bits of the f register become ones */
#define FLW(off)                                                                  \
    __asm__ volatile("flw ft0, " #off "(%1)\n fmv.x.d %0, ft0" : "=r"(r) : "r"(mid) : "ft0", "memory"); \
    printf("flw %+3d -> %016" PRIx64 "\n", off, r);
#define FLD(off)                                                                  \
    __asm__ volatile("fld ft0, " #off "(%1)\n fmv.x.d %0, ft0" : "=r"(r) : "r"(mid) : "ft0", "memory"); \
    printf("fld %+3d -> %016" PRIx64 "\n", off, r);
    FLW(-16) FLW(-5) FLW(0) FLW(1) FLW(2) FLW(3) FLW(13)
    FLD(-16) FLD(-5) FLD(0) FLD(1) FLD(4) FLD(7) FLD(8)
#undef FLW
#undef FLD
    /* fsw stores the low 32 bits whatever the upper bits hold (here a
     * non-NaN-boxed pattern); fsd stores all 64 */
#define FSW(off, bits)                                                            \
    fill(); memset(buf, 0, 32);                                                   \
    __asm__ volatile("fmv.d.x ft0, %1\n fsw ft0, " #off "(%0)" : : "r"(mid), "r"((u64)(bits)) : "ft0", "memory"); \
    dump("fsw " #off);
#define FSD(off, bits)                                                            \
    fill(); memset(buf, 0, 32);                                                   \
    __asm__ volatile("fmv.d.x ft0, %1\n fsd ft0, " #off "(%0)" : : "r"(mid), "r"((u64)(bits)) : "ft0", "memory"); \
    dump("fsd " #off);
    FSW(-16, 0x11223344aabbccddull) FSW(-1, 0xffffffff80000001ull) FSW(0, 0x00000000deadbeefull) FSW(3, 0x7ff8000012345678ull)
    FSD(-16, 0x8877665544332211ull) FSD(-3, 0xfff0000000000001ull) FSD(0, 0x0123456789abcdefull) FSD(5, 0x7ff8000000000000ull)
#undef FSW
#undef FSD
}

static void page_cross(void)
{
    long pg = 4096;
    unsigned char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("mmap failed\n");
        return;
    }
    for (int i = 0; i < 2 * pg; i++)
        p[i] = (unsigned char)(i * 13 + 5);
    unsigned char *edge = p + pg; /* first byte of the second page */
    printf("== page-crossing misaligned accesses ==\n");
    for (int k = 1; k < 8; k++) {
        unsigned char *q = edge - k;
        printf("k=%d lh=%016" PRIx64 " lhu=%016" PRIx64 " lw=%016" PRIx64 " lwu=%016" PRIx64
               " ld=%016" PRIx64 "\n",
               k, LD("lh", q, 0), LD("lhu", q, 0), LD("lw", q, 0), LD("lwu", q, 0), LD("ld", q, 0));
    }
    ST("sd", edge, -3, 0xa1a2a3a4a5a6a7a8ull);
    ST("sw", edge, -1, 0xb1b2b3b4ull);
    ST("sh", edge, -9, 0xc1c2ull);
    printf("after stores:");
    for (int i = -10; i < 6; i++)
        printf(" %02x", edge[i]);
    printf("\n");
    u64 r;
    __asm__ volatile("fld ft0, -5(%1)\n fmv.x.d %0, ft0" : "=r"(r) : "r"(edge) : "ft0", "memory");
    printf("fld across -> %016" PRIx64 "\n", r);
    __asm__ volatile("fmv.d.x ft0, %1\n fsd ft0, -6(%0)" : : "r"(edge), "r"(0x0102030405060708ull) : "ft0", "memory");
    __asm__ volatile("flw ft0, -2(%1)\n fmv.x.d %0, ft0" : "=r"(r) : "r"(edge) : "ft0", "memory");
    printf("fsd then flw across -> %016" PRIx64 "\n", r);
    munmap(p, 2 * pg);
}

int main(void)
{
    fill();
    dump("initial");
    loads();
    stores();
    fp_mem();
    page_cross();
    return 0;
}
