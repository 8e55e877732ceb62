/*
 * Keccak-256 through the kernel's host service (ABI 1.1). The pieces of an incremental hash are
 * gathered in memory and hashed once by the host at `keccak256_finish`.
 */
#include "keccak.h"
#include <stdlib.h>
#include <string.h>

void keccak256(const keel_host *host, const uint8_t *input, size_t length, uint8_t out[32]) {
    host->keccak256(host->context, (keel_bytes){input, length}, out);
}

void keccak256_init(keccak256_state *state, const keel_host *host) {
    memset(state, 0, sizeof *state);
    state->host = host;
}

void keccak256_absorb(keccak256_state *state, const uint8_t *input, size_t length) {
    if (state->failed || length == 0) return;
    if (state->length + length > state->capacity) {
        size_t capacity = state->capacity == 0 ? 256 : state->capacity;
        while (capacity < state->length + length) capacity *= 2;
        uint8_t *grown = realloc(state->bytes, capacity);
        if (grown == NULL) {
            state->failed = 1;
            return;
        }
        state->bytes = grown;
        state->capacity = capacity;
    }
    memcpy(state->bytes + state->length, input, length);
    state->length += length;
}

void keccak256_finish(keccak256_state *state, uint8_t out[32]) {
    if (state->failed) {
        memset(out, 0xFF, 32);
    } else {
        keccak256(state->host, state->bytes, state->length, out);
    }
    free(state->bytes);
    memset(state, 0, sizeof *state);
}
