/*
** softfloat.h — exact IEEE-754 binary32/binary64 arithmetic with RISC-V F/D semantics.
** Values travel as raw bit patterns; every function ORs the fflags it raises into *flags.
** Pure functions of their arguments: no global state, safe from any thread.
*/
#ifndef softfloat_h
#define softfloat_h

#include <stdbool.h>
#include <stdint.h>

/* RISC-V rm encoding (frm values 0..4); callers reject 5..7 before calling in. */
enum { SF_RNE = 0, SF_RTZ = 1, SF_RDN = 2, SF_RUP = 3, SF_RMM = 4 };
/* RISC-V fflags bits. */
enum { SF_NX = 1, SF_UF = 2, SF_OF = 4, SF_DZ = 8, SF_NV = 16 };

/* The canonical NaNs: every NaN these functions produce is one of these, never a payload. */
#define SF_F32_NAN UINT32_C(0x7fc00000)
#define SF_F64_NAN UINT64_C(0x7ff8000000000000)

/* binary32 */
uint32_t sf_f32_add(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t sf_f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t sf_f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t sf_f32_div(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t sf_f32_sqrt(uint32_t a, int rm, uint32_t *flags);
uint32_t sf_f32_fma(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *flags); /* a*b+c, one rounding */
bool sf_f32_eq(uint32_t a, uint32_t b, uint32_t *flags);  /* quiet: NV only for signaling NaN */
bool sf_f32_lt(uint32_t a, uint32_t b, uint32_t *flags);  /* signaling: NV for any NaN */
bool sf_f32_le(uint32_t a, uint32_t b, uint32_t *flags);

/* Float to integer saturates: NaN and too-large positive give the maximum, too-large negative
   the minimum (0 for unsigned), raising NV alone. i32/u32 results are not sign-extended here. */
int32_t  sf_f32_to_i32(uint32_t a, int rm, uint32_t *flags);
uint32_t sf_f32_to_u32(uint32_t a, int rm, uint32_t *flags);
int64_t  sf_f32_to_i64(uint32_t a, int rm, uint32_t *flags);
uint64_t sf_f32_to_u64(uint32_t a, int rm, uint32_t *flags);
uint32_t sf_i32_to_f32(int32_t a, int rm, uint32_t *flags);
uint32_t sf_u32_to_f32(uint32_t a, int rm, uint32_t *flags);
uint32_t sf_i64_to_f32(int64_t a, int rm, uint32_t *flags);
uint32_t sf_u64_to_f32(uint64_t a, int rm, uint32_t *flags);

uint64_t sf_f32_to_f64(uint32_t a, uint32_t *flags);
uint32_t sf_f64_to_f32(uint64_t a, int rm, uint32_t *flags);

/* binary64 */
uint64_t sf_f64_add(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t sf_f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t sf_f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t sf_f64_div(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t sf_f64_sqrt(uint64_t a, int rm, uint32_t *flags);
uint64_t sf_f64_fma(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *flags); /* a*b+c, one rounding */
bool sf_f64_eq(uint64_t a, uint64_t b, uint32_t *flags);
bool sf_f64_lt(uint64_t a, uint64_t b, uint32_t *flags);
bool sf_f64_le(uint64_t a, uint64_t b, uint32_t *flags);

int32_t  sf_f64_to_i32(uint64_t a, int rm, uint32_t *flags);
uint32_t sf_f64_to_u32(uint64_t a, int rm, uint32_t *flags);
int64_t  sf_f64_to_i64(uint64_t a, int rm, uint32_t *flags);
uint64_t sf_f64_to_u64(uint64_t a, int rm, uint32_t *flags);
uint64_t sf_i32_to_f64(int32_t a, int rm, uint32_t *flags);
uint64_t sf_u32_to_f64(uint32_t a, int rm, uint32_t *flags);
uint64_t sf_i64_to_f64(int64_t a, int rm, uint32_t *flags);
uint64_t sf_u64_to_f64(uint64_t a, int rm, uint32_t *flags);

/* The four operations and fma again, on host floats that hold the same bit patterns: tier
   2's helpers call these (interp/helpers.c says why). Only moves touch the values on the
   way in and out, so every bit, NaN payloads included, reaches softfloat unchanged. */
float sf_f32_add_host(float a, float b, int rm, uint32_t *flags);
float sf_f32_sub_host(float a, float b, int rm, uint32_t *flags);
float sf_f32_mul_host(float a, float b, int rm, uint32_t *flags);
float sf_f32_div_host(float a, float b, int rm, uint32_t *flags);
float sf_f32_fma_host(float a, float b, float c, int rm, uint32_t *flags);
float sf_f32_sqrt_host(float a, int rm, uint32_t *flags);
double sf_f64_add_host(double a, double b, int rm, uint32_t *flags);
double sf_f64_sub_host(double a, double b, int rm, uint32_t *flags);
double sf_f64_mul_host(double a, double b, int rm, uint32_t *flags);
double sf_f64_div_host(double a, double b, int rm, uint32_t *flags);
double sf_f64_fma_host(double a, double b, double c, int rm, uint32_t *flags);
double sf_f64_sqrt_host(double a, int rm, uint32_t *flags);

#endif
