/* Keccak-256 with Ethereum's padding (not NIST SHA3-256), for commitments, roots and keyed hashes. */
#ifndef KEEL_TEMPLATE_KECCAK_H
#define KEEL_TEMPLATE_KECCAK_H
#include <stddef.h>
#include <stdint.h>

/** Writes the 32-byte Keccak-256 of input[0..length) to out. */
void keccak256(const uint8_t *input, size_t length, uint8_t out[32]);

/** Incremental hashing: init, absorb any number of times, finish once. */
typedef struct keccak256_state {
    uint64_t lanes[25];
    size_t used; /* bytes absorbed into the current block */
} keccak256_state;

void keccak256_init(keccak256_state *state);
void keccak256_absorb(keccak256_state *state, const uint8_t *input, size_t length);
void keccak256_finish(keccak256_state *state, uint8_t out[32]);

#endif
