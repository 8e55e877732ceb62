/*
 * Keccak-256 for the C templates built against the ABI 1.0 header, which has no host Keccak: the
 * templates' own `keccak.h` API (docs/ABI.md, 1.1) computed here, the host argument unused.
 * `NewPluginCTests` puts this file and keccak.c over a generated project's before `make
 * KEEL_INCLUDE=Tests/Fixtures/abi-1.0`.
 */
#ifndef KEEL_TEMPLATE_KECCAK_H
#define KEEL_TEMPLATE_KECCAK_H
#include "keel_plugin.h"
#include <stddef.h>
#include <stdint.h>

void keccak256(const keel_host *host, const uint8_t *input, size_t length, uint8_t out[32]);

typedef struct keccak256_state {
    uint64_t lanes[25];
    size_t used; /* bytes absorbed into the current block */
    const keel_host *host;
} keccak256_state;

void keccak256_init(keccak256_state *state, const keel_host *host);
void keccak256_absorb(keccak256_state *state, const uint8_t *input, size_t length);
void keccak256_finish(keccak256_state *state, uint8_t out[32]);

#endif
