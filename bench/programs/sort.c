/* sort: quicksort and mergesort of pseudo-random 32-bit signed ints.
 *
 * Each round fills an array with fresh pseudo-random values, sorts one copy
 * with a hand-written quicksort (median-of-three, insertion sort for short
 * ranges, recursion on the smaller side) and another copy with a top-down
 * mergesort, checks that both are sorted and identical, and hashes the result.
 *
 * argv[1]: number of rounds (each sorts N_ELEMS elements twice).
 */
#include "bench_common.h"
#include <string.h>

#define N_ELEMS 100000u

static void insertion_sort(int32_t *a, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        int32_t v = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap32(int32_t *a, long i, long j)
{
    int32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void quicksort(int32_t *a, long lo, long hi)
{
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap32(a, mid, lo);
        if (a[hi] < a[lo]) swap32(a, hi, lo);
        if (a[hi] < a[mid]) swap32(a, hi, mid);
        int32_t pivot = a[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                swap32(a, i, j);
                i++;
                j--;
            }
        }
        /* Recurse into the smaller part, loop on the larger. */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

static void merge_sort_rec(int32_t *a, int32_t *tmp, size_t lo, size_t hi)
{
    /* sorts a[lo, hi) */
    if (hi - lo < 2)
        return;
    size_t mid = lo + (hi - lo) / 2;
    merge_sort_rec(a, tmp, lo, mid);
    merge_sort_rec(a, tmp, mid, hi);
    if (a[mid - 1] <= a[mid])
        return;
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        tmp[k++] = (a[j] < a[i]) ? a[j++] : a[i++];
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < hi)
        tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, (hi - lo) * sizeof *a);
}

int main(int argc, char **argv)
{
    long rounds = bench_size(argc, argv, 64, 1000000);
    int32_t *q = bench_alloc(N_ELEMS * sizeof *q);
    int32_t *m = bench_alloc(N_ELEMS * sizeof *m);
    int32_t *tmp = bench_alloc(N_ELEMS * sizeof *tmp);
    uint64_t seed = 42;
    uint64_t checksum = 0;

    for (long r = 0; r < rounds; r++) {
        /* Alternate full-range values and a narrow range with many dups. */
        uint32_t mask = (r & 1) ? 0xFFFFFFFFu : 0x3FFu;
        for (uint32_t i = 0; i < N_ELEMS; i++) {
            uint32_t u = (uint32_t)bench_rand(&seed) & mask;
            /* Map to a signed value without implementation-defined casts. */
            int64_t bias = (mask == 0xFFFFFFFFu) ? INT64_C(2147483648) : 512;
            q[i] = (int32_t)((int64_t)u - bias);
        }
        memcpy(m, q, N_ELEMS * sizeof *q);

        quicksort(q, 0, (long)N_ELEMS - 1);
        merge_sort_rec(m, tmp, 0, N_ELEMS);

        uint64_t h = 0;
        for (uint32_t i = 0; i < N_ELEMS; i++) {
            if (q[i] != m[i] || (i > 0 && q[i - 1] > q[i])) {
                fprintf(stderr, "sort: mismatch/unsorted at %u\n", i);
                return 1;
            }
            h = h * UINT64_C(0x100000001b3) + (uint32_t)q[i] + i;
        }
        checksum = bench_mix(checksum, h);
    }

    free(q);
    free(m);
    free(tmp);
    bench_report("sort", rounds, checksum);
    return 0;
}
