/*
 * Keccak-256 with Ethereum's padding (not NIST SHA3-256), for commitments, roots and keyed hashes,
 * computed by the kernel (`keel_host.keccak256`, ABI 1.1): a plugin brings no hash code of its own.
 */
#ifndef KEEL_TEMPLATE_KECCAK_H
#define KEEL_TEMPLATE_KECCAK_H
#include "keel_plugin.h"
#include <stddef.h>
#include <stdint.h>

/** Writes the 32-byte Keccak-256 of input[0..length) to out. */
void keccak256(const keel_host *host, const uint8_t *input, size_t length, uint8_t out[32]);

/** Hashing in pieces: init, absorb any number of times, finish once (which frees the state). */
typedef struct keccak256_state {
    const keel_host *host;
    uint8_t *bytes;
    size_t length;
    size_t capacity;
    int failed; /* an allocation failed: finish writes a digest that matches nothing */
} keccak256_state;

void keccak256_init(keccak256_state *state, const keel_host *host);
void keccak256_absorb(keccak256_state *state, const uint8_t *input, size_t length);
void keccak256_finish(keccak256_state *state, uint8_t out[32]);

#endif
