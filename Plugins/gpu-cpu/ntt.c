/* Number-theoretic transforms over Goldilocks and BabyBear, radix-2, natural order in and out. */
#include "ntt.h"

typedef unsigned __int128 u128;

static uint64_t mul_mod(uint64_t a, uint64_t b, uint64_t p) { return (uint64_t)(((u128)a * b) % p); }
static uint64_t add_mod(uint64_t a, uint64_t b, uint64_t p) { u128 s = (u128)a + b; return (uint64_t)(s >= p ? s - p : s); }
static uint64_t sub_mod(uint64_t a, uint64_t b, uint64_t p) { return a >= b ? a - b : p - (b - a); }

static uint64_t pow_mod(uint64_t base, uint64_t exponent, uint64_t p) {
    uint64_t result = 1;
    while (exponent) {
        if (exponent & 1) result = mul_mod(result, base, p);
        base = mul_mod(base, base, p);
        exponent >>= 1;
    }
    return result;
}

int ntt_field_parameters(uint32_t field, uint64_t *modulus, uint64_t *generator, uint32_t *two_adicity) {
    switch (field) {
    case KEEL_FIELD_GOLDILOCKS: *modulus = 0xFFFFFFFF00000001ULL; *generator = 7; *two_adicity = 32; return 1;
    case KEEL_FIELD_BABYBEAR: *modulus = 0x78000001ULL; *generator = 31; *two_adicity = 27; return 1;
    default: return 0;
    }
}

static void bit_reverse(uint64_t *v, size_t n) {
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) { uint64_t t = v[i]; v[i] = v[j]; v[j] = t; }
    }
}

void ntt_in_place(uint64_t *v, uint32_t log_n, uint64_t p, uint64_t generator, int inverse) {
    size_t n = (size_t)1 << log_n;
    if (n == 1) return;
    uint64_t root = pow_mod(generator, (p - 1) >> log_n, p);
    if (inverse) root = pow_mod(root, p - 2, p);
    bit_reverse(v, n);
    for (size_t length = 2; length <= n; length <<= 1) {
        uint64_t step = pow_mod(root, n / length, p);
        for (size_t start = 0; start < n; start += length) {
            uint64_t w = 1;
            for (size_t k = 0; k < length / 2; k++) {
                uint64_t even = v[start + k];
                uint64_t odd = mul_mod(v[start + k + length / 2], w, p);
                v[start + k] = add_mod(even, odd, p);
                v[start + k + length / 2] = sub_mod(even, odd, p);
                w = mul_mod(w, step, p);
            }
        }
    }
    if (inverse) {
        uint64_t n_inverse = pow_mod(n % p, p - 2, p);
        for (size_t i = 0; i < n; i++) v[i] = mul_mod(v[i], n_inverse, p);
    }
}
