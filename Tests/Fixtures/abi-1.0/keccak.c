/*
 * Keccak-256 (Ethereum's padding), small and portable; the same function as KeelCore's Keccak256.
 * What the C templates carried before ABI 1.1 gave them the host's; kept for building them against
 * the 1.0 header (keccak.h). Lanes are read little-endian, as on every machine Keel supports.
 */
#include "keccak.h"
#include <string.h>

#define KECCAK_RATE 136

static const uint64_t round_constants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
static const unsigned rotations[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43,
                                       25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};

static uint64_t rotl(uint64_t x, unsigned n) { return n == 0 ? x : (x << n) | (x >> (64 - n)); }

static void keccak_f(uint64_t a[25]) {
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], d[5], b[25];
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++) a[i] ^= d[i % 5];
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], rotations[x + 5 * y]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++) a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
        a[0] ^= round_constants[round];
    }
}

void keccak256_init(keccak256_state *state, const keel_host *host) {
    memset(state, 0, sizeof *state);
    state->host = host;
}

void keccak256_absorb(keccak256_state *state, const uint8_t *input, size_t length) {
    uint8_t *bytes = (uint8_t *)state->lanes;
    while (length > 0) {
        size_t take = KECCAK_RATE - state->used;
        if (take > length) take = length;
        for (size_t i = 0; i < take; i++) bytes[state->used + i] ^= input[i];
        state->used += take;
        input += take;
        length -= take;
        if (state->used == KECCAK_RATE) {
            keccak_f(state->lanes);
            state->used = 0;
        }
    }
}

void keccak256_finish(keccak256_state *state, uint8_t out[32]) {
    uint8_t *bytes = (uint8_t *)state->lanes;
    bytes[state->used] ^= 0x01;
    bytes[KECCAK_RATE - 1] ^= 0x80;
    keccak_f(state->lanes);
    memcpy(out, bytes, 32);
}

void keccak256(const keel_host *host, const uint8_t *input, size_t length, uint8_t out[32]) {
    keccak256_state state;
    keccak256_init(&state, host);
    keccak256_absorb(&state, input, length);
    keccak256_finish(&state, out);
}
