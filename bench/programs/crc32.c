/* crc32: table-driven CRC-32 (reflected polynomial 0xEDB88320) over a
 * generated buffer.
 *
 * The 256-entry table is computed at start-up.  Each round computes the CRC
 * of the whole buffer, then perturbs a few bytes of the buffer with the result
 * so every round's input differs.  The first CRC is checked against a
 * bit-at-a-time reference implementation.
 *
 * argv[1]: number of passes over the 1 MiB buffer.
 */
#include "bench_common.h"

#define BUF_LEN (1u << 20)

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ UINT32_C(0xEDB88320) : c >> 1;
        table[n] = c;
    }
}

static uint32_t crc32_table(const uint8_t *p, size_t len)
{
    uint32_t c = UINT32_C(0xFFFFFFFF);
    for (size_t i = 0; i < len; i++)
        c = table[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
    return c ^ UINT32_C(0xFFFFFFFF);
}

static uint32_t crc32_bitwise(const uint8_t *p, size_t len)
{
    uint32_t c = UINT32_C(0xFFFFFFFF);
    for (size_t i = 0; i < len; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (UINT32_C(0xEDB88320) & (0u - (c & 1u)));
    }
    return c ^ UINT32_C(0xFFFFFFFF);
}

int main(int argc, char **argv)
{
    long passes = bench_size(argc, argv, 560, 1000000);
    uint8_t *buf = bench_alloc(BUF_LEN);
    uint64_t seed = 0x1234567u;

    for (uint32_t i = 0; i < BUF_LEN; i += 8) {
        uint64_t v = bench_rand(&seed);
        for (int b = 0; b < 8; b++)
            buf[i + (uint32_t)b] = (uint8_t)(v >> (8 * b));
    }

    make_table();
    /* Self-check: "123456789" must give the standard check value. */
    if (crc32_table((const uint8_t *)"123456789", 9) != UINT32_C(0xCBF43926)) {
        fprintf(stderr, "crc32: table CRC of check string is wrong\n");
        return 1;
    }
    if (crc32_bitwise(buf, 4096) != crc32_table(buf, 4096)) {
        fprintf(stderr, "crc32: table and bitwise CRCs disagree\n");
        return 1;
    }

    uint64_t checksum = 0;
    for (long r = 0; r < passes; r++) {
        uint32_t c = crc32_table(buf, BUF_LEN);
        checksum = bench_mix(checksum, c);
        buf[c % BUF_LEN] ^= (uint8_t)(c >> 24);
        buf[(uint32_t)r % BUF_LEN] += 1u;
    }

    free(buf);
    bench_report("crc32", passes, checksum);
    return 0;
}
