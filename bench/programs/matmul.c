/* matmul: naive double-precision matrix multiply, C = A * B, N x N.
 *
 * The i-j-k triple loop (dot product per element, B walked by column) is kept
 * deliberately naive.  Inputs are dyadic rationals in [-1, 1) so they are
 * exact; the products and sums are rounded, but identically on any IEEE-754
 * machine that evaluates in double precision without contraction (build with
 * -ffp-contract=off).  Between repetitions one element of A and of B is
 * changed so no repetition can be skipped.  The checksum hashes the exact bit
 * patterns of a few result elements and of a row-major sum of C.
 *
 * argv[1]: number of repetitions of the 200x200 multiply.
 */
#include "bench_common.h"
#include <string.h>

#define N 200

static double A[N][N], B[N][N], C[N][N];

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static void multiply(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double sum = 0.0;
            for (int k = 0; k < N; k++)
                sum += A[i][k] * B[k][j];
            C[i][j] = sum;
        }
    }
}

int main(int argc, char **argv)
{
    long reps = bench_size(argc, argv, 24, 1000000);
    uint64_t seed = 7;

    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            /* 20 random bits -> exact value in [-1, 1). */
            A[i][j] = (double)(int32_t)((bench_rand(&seed) >> 44) & 0xFFFFFu)
                      / 524288.0 - 1.0;
            B[i][j] = (double)(int32_t)((bench_rand(&seed) >> 44) & 0xFFFFFu)
                      / 524288.0 - 1.0;
        }
    }

    uint64_t checksum = 0;
    for (long r = 0; r < reps; r++) {
        multiply();

        double total = 0.0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                total += C[i][j];
        checksum = bench_mix(checksum, dbits(total));
        checksum = bench_mix(checksum, dbits(C[(int)(r % N)][N - 1 - (int)(r % N)]));
        checksum = bench_mix(checksum, dbits(C[N / 2][N / 3]));

        /* Perturb the inputs using the output, keeping magnitudes bounded. */
        int pi = (int)(r * 7 % N), pj = (int)(r * 13 % N);
        A[pi][pj] = C[pj][pi] / (double)N;
        B[pj][pi] = -C[pi][pj] / (double)N;
    }

    bench_report("matmul", reps, checksum);
    return 0;
}
