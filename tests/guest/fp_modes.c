/* Hot loops of dynamic-rounding FP arithmetic, run in each rounding mode in turn, three
 * times over: code compiled while one mode was set (tier 2 compiles a region for the mode
 * it was asked for in) must round in whichever mode is set when it runs. A second loop
 * changes the mode itself on every iteration. Each result is printed as bits with the
 * accrued flags, so a wrong mode anywhere changes the output. */
#include "guest.h"

static const char *const mode_names[] = { "rne", "rtz", "rdn", "rup", "rmm" };

static void set_frm(u64 mode) { __asm__ volatile("fsrm %0" : : "r"(mode)); }

static u64 read_fflags(void)
{
    u64 f;
    __asm__ volatile("frflags %0" : "=r"(f));
    return f;
}

static void clear_fflags(void) { __asm__ volatile("fsflags zero"); }

static u64 dbits(double d)
{
    union { double d; u64 u; } v = { .d = d };
    return v.u;
}

static u32 fbits(float f)
{
    union { float f; u32 u; } v = { .f = f };
    return v.u;
}

/* products and sums that round in every mode: x and y are not dyadic */
static __attribute__((noinline)) double dot(double x, double y, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        s += x * y;
        x += y;
        y = y / 3.0 + 0.1;
    }
    return s;
}

static __attribute__((noinline)) float dotf(float x, float y, int n)
{
    float s = 0.0f;
    for (int i = 0; i < n; i++) {
        s += x * y;
        x -= y;
    }
    return s;
}

/* the mode changes inside the loop: up on even iterations, toward zero on odd ones */
static __attribute__((noinline)) double alternating(double x, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        set_frm((i & 1) ? 1 : 3);
        s += x / 7.0;
        x += 0.3;
    }
    set_frm(0);
    return s;
}

int main(void)
{
    volatile double x0 = 1.0 / 3.0, y0 = 0.7;
    volatile float fx0 = 0.1f, fy0 = 1e-3f;
    for (int pass = 0; pass < 3; pass++) {
        for (u64 mode = 0; mode < ARRAY_LEN(mode_names); mode++) {
            set_frm(mode);
            clear_fflags();
            double d = dot(x0, y0, 200000);
            float f = dotf(fx0, fy0, 200000);
            u64 flags = read_fflags();
            set_frm(0);
            printf("pass %d %s: dot %016" PRIx64 " dotf %08" PRIx32 " fflags %02" PRIx64 "\n", pass,
                   mode_names[mode], dbits(d), fbits(f), flags);
        }
        clear_fflags();
        double a = alternating(x0, 100000);
        printf("pass %d alternating: %016" PRIx64 " fflags %02" PRIx64 "\n", pass, dbits(a), read_fflags());
    }
    return 0;
}
