// Keccak-256 of many short messages at once, one message per SIMD lane (CKeccak.h).
#include "CKeccak.h"
#include "keccak_lanes.h"

#include <string.h>

#define KEEL_RATE_WORDS 17

#if defined(__x86_64__)
#include <cpuid.h>

/// Lane-sliced batch code for one width: `words` holds the 17 rate words of up to W padded
/// messages (word i of lane j at `words[i * W + j]`); the first `count` digests are written.
#define KEEL_DEFINE_WIDTH(W, TARGET)                                                               \
    typedef uint64_t keel_lanes##W __attribute__((ext_vector_type(W)));                           \
    __attribute__((target(TARGET))) static void keel_permute_lanes##W(const uint64_t *words,       \
                                                                      size_t count,                \
                                                                      uint8_t *digests) {          \
        keel_lanes##W a[25];                                                                       \
        memset(a, 0, sizeof(a));                                                                   \
        for (int i = 0; i < KEEL_RATE_WORDS; i++) memcpy(&a[i], words + i * W, sizeof(a[i]));     \
        KEEL_KECCAK_PERMUTE(keel_lanes##W, a);                                                     \
        uint64_t out[4][W];                                                                        \
        for (int k = 0; k < 4; k++) memcpy(out[k], &a[k], sizeof(a[k]));                           \
        for (size_t j = 0; j < count; j++)                                                         \
            for (int k = 0; k < 4; k++) memcpy(digests + 32 * j + 8 * k, &out[k][j], 8);           \
    }

KEEL_DEFINE_WIDTH(8, "avx512f")
KEEL_DEFINE_WIDTH(4, "avx2")

/// The widest lane count the CPU and the operating system support.
static int keel_detect_lanes(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 1;
    int osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!osxsave || !avx) return 1;
    unsigned int xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 1;
    int ymm = (xcr0_low & 0x06) == 0x06, zmm = (xcr0_low & 0xE6) == 0xE6;
    if (zmm && ((ebx >> 16) & 1)) return 8; // AVX512F
    if (ymm && ((ebx >> 5) & 1)) return 4;  // AVX2
    return 1;
}
#else
static int keel_detect_lanes(void) { return 1; }
#endif

static int keel_detected = 0; // 0: not yet

int keel_keccak_lanes(void) {
    int lanes = __atomic_load_n(&keel_detected, __ATOMIC_RELAXED);
    if (lanes) return lanes;
    lanes = keel_detect_lanes();
    __atomic_store_n(&keel_detected, lanes, __ATOMIC_RELAXED);
    return lanes;
}

/// Whether `lanes` is a batch width this CPU runs.
static int keel_lanes_usable(int lanes) { return (lanes == 8 || lanes == 4) && lanes <= keel_keccak_lanes(); }

/// Hashes one group of up to `lanes` messages already laid out in `words`.
static void keel_permute_group(int lanes, const uint64_t *words, size_t count, uint8_t *digests) {
#if defined(__x86_64__)
    if (lanes == 8) keel_permute_lanes8(words, count, digests);
    else keel_permute_lanes4(words, count, digests);
#else
    (void)lanes; (void)words; (void)count; (void)digests;
#endif
}

static inline uint64_t keel_load_le64(const uint8_t *bytes) {
    uint64_t value;
    memcpy(&value, bytes, 8);
    return value; // x86-64 is little-endian, as Keccak's lanes are
}

int keel_keccak256_packed(int lanes, const uint8_t *bytes, const size_t *ends, size_t count, uint8_t *digests) {
    if (!keel_lanes_usable(lanes)) return -1;
    for (size_t i = 0, start = 0; i < count; start = ends[i], i++)
        if (ends[i] < start || ends[i] - start > KEEL_KECCAK_BATCH_MAX) return -1;
    // Lanes past the last message of a group hash what the previous group left: their digests
    // are not written out.
    uint64_t words[KEEL_RATE_WORDS * 8];
    memset(words, 0, sizeof(words));
    uint8_t block[8 * KEEL_RATE_WORDS];
    for (size_t first = 0; first < count; first += (size_t)lanes) {
        size_t group = count - first < (size_t)lanes ? count - first : (size_t)lanes;
        for (size_t j = 0; j < group; j++) {
            size_t start = first + j == 0 ? 0 : ends[first + j - 1];
            size_t length = ends[first + j] - start;
            memset(block, 0, sizeof(block));
            if (length) memcpy(block, bytes + start, length);
            block[length] ^= 0x01;
            block[sizeof(block) - 1] ^= 0x80;
            for (int i = 0; i < KEEL_RATE_WORDS; i++) words[i * lanes + j] = keel_load_le64(block + 8 * i);
        }
        keel_permute_group(lanes, words, group, digests + 32 * first);
    }
    return 0;
}

int keel_keccak256_prefixed_pairs(int lanes, uint8_t prefix, const uint8_t *pairs, size_t count, uint8_t *digests) {
    if (!keel_lanes_usable(lanes)) return -1;
    uint64_t words[KEEL_RATE_WORDS * 8];
    memset(words, 0, sizeof(words));
    for (size_t first = 0; first < count; first += (size_t)lanes) {
        size_t group = count - first < (size_t)lanes ? count - first : (size_t)lanes;
        for (size_t j = 0; j < (size_t)lanes; j++) {
            // The 65-byte message prefix ‖ pair, as words: each word takes the last byte of the
            // pair's previous word and the first seven of its own; the padding byte 0x01 follows at
            // byte 65, and 0x80 ends the block. Unused lanes hash zeros.
            const uint8_t *pair = pairs + 64 * (first + (j < group ? j : 0));
            uint64_t previous = (uint64_t)prefix << 56;
            for (int i = 0; i < 8; i++) {
                uint64_t word = keel_load_le64(pair + 8 * i);
                words[i * lanes + j] = (previous >> 56) | (word << 8);
                previous = word;
            }
            words[8 * lanes + j] = (previous >> 56) | (0x01ULL << 8);
            words[16 * lanes + j] = 0x80ULL << 56;
        }
        keel_permute_group(lanes, words, group, digests + 32 * first);
    }
    return 0;
}
