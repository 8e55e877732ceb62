#ifndef KEEL_CKECCAK_H
#define KEEL_CKECCAK_H

#include <stddef.h>
#include <stdint.h>

/// Keccak-256 (Ethereum's padding) of many short messages at once, on several SIMD lanes: eight
/// with AVX-512, four with AVX2 (docs/PERFORMANCE.md, "Keccak on several lanes"). The CPU is
/// checked once, at the first call. Where neither is there, `keel_keccak_lanes` is 1 and the
/// caller hashes one message at a time instead.

/// How many messages one permutation hashes on this CPU: 8, 4, or 1 (no batch code).
int keel_keccak_lanes(void);

/// The longest message the batch calls take: one block of the sponge, less the padding byte.
#define KEEL_KECCAK_BATCH_MAX 135

/// Both batch calls take `lanes`, the width to use: 8 or 4, at most `keel_keccak_lanes()` (tests
/// run each width the machine has). Any other value returns -1 with nothing done.

/// Hashes `count` messages of at most `KEEL_KECCAK_BATCH_MAX` bytes packed one after another in
/// `bytes`: message `i` ends at `ends[i]` and starts where message `i - 1` ends (at 0 for the
/// first); its 32-byte digest goes to `digests + 32 * i`. Returns 0, or -1 (nothing done) when a
/// message is too long.
int keel_keccak256_packed(int lanes, const uint8_t *bytes, const size_t *ends, size_t count, uint8_t *digests);

/// Hashes `count` messages of 65 bytes, `prefix` followed by the 64 bytes at `pairs + 64 * i`
/// (two digests side by side: how Keel's trees hash their nodes); digest `i` goes to
/// `digests + 32 * i`. Returns 0.
int keel_keccak256_prefixed_pairs(int lanes, uint8_t prefix, const uint8_t *pairs, size_t count, uint8_t *digests);

#endif
