/* strsearch: substring counting over generated text.
 *
 * A 2 MiB text is generated from a word list with pseudo-random spacing and
 * some runs of repeated letters (bad cases for naive search).  Each round
 * picks a handful of patterns (some copied out of the text, some random,
 * some with long repeated prefixes) and counts every (possibly overlapping)
 * occurrence with three algorithms: naive, Knuth-Morris-Pratt and
 * Boyer-Moore-Horspool.  All three must agree; counts and the sum of match
 * positions are hashed.
 *
 * argv[1]: number of rounds (each searches 4 patterns x 3 algorithms).
 */
#include "bench_common.h"
#include <string.h>

#define TEXT_LEN (2u << 20)
#define MAX_PAT 64

static const char *const words[] = {
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
    "emulator", "risc", "five", "register", "branch", "load", "store",
    "translate", "block", "cache", "tier", "hot", "cold", "aaaa", "aab",
    "abracadabra", "banana", "mississippi", "compiler", "vector",
};
#define N_WORDS (sizeof words / sizeof words[0])

struct result {
    uint64_t count;
    uint64_t possum;
};

static struct result search_naive(const uint8_t *t, size_t n,
                                  const uint8_t *p, size_t m)
{
    struct result r = {0, 0};
    if (m == 0 || m > n)
        return r;
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && t[i + k] == p[k])
            k++;
        if (k == m) {
            r.count++;
            r.possum += i;
        }
    }
    return r;
}

static struct result search_kmp(const uint8_t *t, size_t n,
                                const uint8_t *p, size_t m)
{
    struct result r = {0, 0};
    size_t fail[MAX_PAT + 1];
    if (m == 0 || m > n)
        return r;
    /* fail[i] = length of the longest proper border of p[0..i). */
    fail[0] = 0;
    if (m > 0)
        fail[1] = 0;
    size_t k = 0;
    for (size_t i = 1; i < m; i++) {
        while (k > 0 && p[i] != p[k])
            k = fail[k];
        if (p[i] == p[k])
            k++;
        fail[i + 1] = k;
    }
    k = 0;
    for (size_t i = 0; i < n; i++) {
        while (k > 0 && t[i] != p[k])
            k = fail[k];
        if (t[i] == p[k])
            k++;
        if (k == m) {
            r.count++;
            r.possum += i + 1 - m;
            k = fail[k];
        }
    }
    return r;
}

static struct result search_horspool(const uint8_t *t, size_t n,
                                     const uint8_t *p, size_t m)
{
    struct result r = {0, 0};
    size_t shift[256];
    if (m == 0 || m > n)
        return r;
    for (int c = 0; c < 256; c++)
        shift[c] = m;
    for (size_t i = 0; i + 1 < m; i++)
        shift[p[i]] = m - 1 - i;
    size_t i = 0;
    uint8_t last = p[m - 1];
    while (i + m <= n) {
        uint8_t c = t[i + m - 1];
        if (c == last) {
            size_t k = 0;
            while (k + 1 < m && t[i + k] == p[k])
                k++;
            if (k + 1 == m) {
                r.count++;
                r.possum += i;
            }
        }
        i += shift[c];
    }
    return r;
}

static size_t make_text(uint8_t *t, size_t n, uint64_t *seed)
{
    size_t pos = 0;
    while (pos < n) {
        uint64_t v = bench_rand(seed);
        if ((v & 63u) == 0) {
            /* a run of one letter, length 8..71 */
            size_t len = 8 + ((v >> 8) & 63u);
            uint8_t ch = (uint8_t)('a' + ((v >> 16) % 3u));
            for (size_t k = 0; k < len && pos < n; k++)
                t[pos++] = ch;
        } else {
            const char *w = words[(v >> 8) % N_WORDS];
            for (size_t k = 0; w[k] && pos < n; k++)
                t[pos++] = (uint8_t)w[k];
        }
        if (pos < n)
            t[pos++] = ((v >> 32) & 7u) ? ' ' : '\n';
    }
    return pos;
}

int main(int argc, char **argv)
{
    long rounds = bench_size(argc, argv, 32, 1000000);
    uint8_t *text = bench_alloc(TEXT_LEN);
    uint64_t seed = 99;
    size_t n = make_text(text, TEXT_LEN, &seed);
    uint64_t checksum = 0;

    for (long r = 0; r < rounds; r++) {
        for (int pk = 0; pk < 4; pk++) {
            uint8_t pat[MAX_PAT];
            uint64_t v = bench_rand(&seed);
            size_t m = 3 + (size_t)(v % 29u);
            switch (pk) {
            case 0: case 1: /* a slice of the text: at least one match */
                memcpy(pat, text + (v >> 16) % (n - m), m);
                break;
            case 2: /* long run + tail: stresses naive search */
                memset(pat, 'a' + (int)((v >> 8) % 3u), m);
                pat[m - 1] = 'b';
                break;
            default: /* random letters: mostly misses */
                for (size_t k = 0; k < m; k++)
                    pat[k] = (uint8_t)('a' + (bench_rand(&seed) % 26u));
                break;
            }
            struct result a = search_naive(text, n, pat, m);
            struct result b = search_kmp(text, n, pat, m);
            struct result c = search_horspool(text, n, pat, m);
            if (a.count != b.count || a.count != c.count ||
                a.possum != b.possum || a.possum != c.possum) {
                fprintf(stderr, "strsearch: algorithms disagree (round %ld)\n", r);
                return 1;
            }
            checksum = bench_mix(checksum, a.count);
            checksum = bench_mix(checksum, a.possum);
        }
    }

    free(text);
    bench_report("strsearch", rounds, checksum);
    return 0;
}
