/*
 * gpu {{NAME}}: a GPU backend skeleton that computes on the CPU, in plain C.
 *
 * Written by `keel new plugin --kind gpu --lang c`. It is complete, builds with `make`, and passes
 * Keel's GPU conformance suite, whose answers must be bit-identical to Keel's `cpu` backend. It
 * does the arithmetic on the calling thread, plainly, so that you can see what each call owes:
 *
 *   REPLACE ntt_vector with your device's NTT (copy `values` to the device, transform all `batch`
 *     vectors at once, copy back). The reference below is radix-2 Cooley-Tukey, natural order in
 *     and out, as docs/ABI.md specifies.
 *   REPLACE gpu_merkle_tree's loops with device hashing; keep the node layout.
 *   REPLACE gpu_device_info with what your device reports.
 *   KEEP the argument checks: elements must be canonical, leaf counts a power of two.
 *
 * Config: none; a key in the config is refused. Stateless, so thread-safe.
 */
#include "keccak.h"
#include "keel_plugin.h"
#include "plugin_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEL_EXPORT __attribute__((visibility("default")))

typedef unsigned __int128 u128;

typedef struct backend {
    const keel_host *host;
} backend;

static uint64_t mul_mod(uint64_t a, uint64_t b, uint64_t p) { return (uint64_t)(((u128)a * b) % p); }
static uint64_t add_mod(uint64_t a, uint64_t b, uint64_t p) { u128 s = (u128)a + b; return (uint64_t)(s >= p ? s - p : s); }
static uint64_t sub_mod(uint64_t a, uint64_t b, uint64_t p) { return a >= b ? a - b : p - (b - a); }

static uint64_t pow_mod(uint64_t base, uint64_t exponent, uint64_t p) {
    uint64_t result = 1;
    for (base %= p; exponent > 0; exponent >>= 1) {
        if (exponent & 1) result = mul_mod(result, base, p);
        base = mul_mod(base, base, p);
    }
    return result;
}

/* The fields of docs/ABI.md: modulus, multiplicative generator, and the largest log_n they allow. */
static int field_parameters(uint32_t field, uint64_t *modulus, uint64_t *generator, uint32_t *two_adicity) {
    switch (field) {
    case KEEL_FIELD_GOLDILOCKS: *modulus = 0xFFFFFFFF00000001ULL; *generator = 7; *two_adicity = 32; return 1;
    case KEEL_FIELD_BABYBEAR: *modulus = 0x78000001ULL; *generator = 31; *two_adicity = 27; return 1;
    default: return 0;
    }
}

/* One NTT of n = 2^log_n elements in place (REPLACE with your device's). */
static void ntt_vector(uint64_t *v, uint32_t log_n, uint64_t p, uint64_t generator, int inverse) {
    size_t n = (size_t)1 << log_n;
    if (n == 1) return;
    uint64_t root = pow_mod(generator, (p - 1) >> log_n, p); /* a primitive n-th root of unity */
    if (inverse) root = pow_mod(root, p - 2, p);
    for (size_t i = 1, j = 0; i < n; i++) { /* bit-reversal permutation */
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) { uint64_t t = v[i]; v[i] = v[j]; v[j] = t; }
    }
    for (size_t length = 2; length <= n; length <<= 1) {
        uint64_t step = pow_mod(root, n / length, p);
        for (size_t start = 0; start < n; start += length) {
            uint64_t w = 1;
            for (size_t k = 0; k < length / 2; k++) {
                uint64_t even = v[start + k], odd = mul_mod(v[start + k + length / 2], w, p);
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

static void *gpu_create(const keel_host *host, const char *config_json, keel_error *error) {
    static const char *const keys[] = {NULL}; /* REPLACE: your settings, e.g. "device" */
    plugin_config config;
    if (!plugin_config_parse(&config, config_json, error) || !plugin_config_allow(&config, keys, error)) return NULL;
    backend *b = calloc(1, sizeof *b);
    if (b == NULL) {
        keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    b->host = host;
    return b;
}

static void gpu_destroy(void *instance) { free(instance); }

static keel_status gpu_device_info(void *instance, keel_device_info *info, keel_error *error) {
    (void)instance;
    (void)error;
    snprintf(info->name, sizeof info->name, "{{NAME}} (reference code on the CPU)");
    info->memory_bytes = 0;
    info->compute_units = 1;
    return KEEL_OK;
}

static keel_status gpu_ntt(void *instance, uint32_t field, uint64_t *values, uint32_t log_n, uint32_t batch,
                           keel_bool inverse, keel_error *error) {
    backend *b = instance;
    uint64_t modulus, generator;
    uint32_t two_adicity;
    char message[160];
    if (!field_parameters(field, &modulus, &generator, &two_adicity))
        return keel_error_set(error, KEEL_ERR_UNSUPPORTED, "unknown field: use KEEL_FIELD_GOLDILOCKS or KEEL_FIELD_BABYBEAR");
    if (log_n > two_adicity) {
        snprintf(message, sizeof message, "log_n %u exceeds the field's two-adicity %u", log_n, two_adicity);
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);
    }
    if (values == NULL && batch > 0) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "values is NULL");
    size_t n = (size_t)1 << log_n;
    for (size_t i = 0; i < n * batch; i++) {
        if (values[i] >= modulus) {
            snprintf(message, sizeof message, "element %zu is not below the field's modulus", i);
            return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);
        }
    }
    for (uint32_t vector = 0; vector < batch; vector++) ntt_vector(values + vector * n, log_n, modulus, generator, inverse != 0);
    b->host->counter_add(b->host->context, "ntt_elements_total", (uint64_t)n * batch);
    return KEEL_OK;
}

static keel_status gpu_merkle_tree(void *instance, uint32_t hash, const uint8_t *leaves, size_t leaf_size,
                                   size_t leaf_count, uint8_t *nodes, keel_error *error) {
    backend *b = instance;
    if (hash != KEEL_HASH_KECCAK256) return keel_error_set(error, KEEL_ERR_UNSUPPORTED, "unknown hash: use KEEL_HASH_KECCAK256");
    if (leaf_count == 0 || (leaf_count & (leaf_count - 1)) != 0)
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "leaf_count must be a power of two");
    if (nodes == NULL || (leaves == NULL && leaf_size > 0)) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "a buffer is NULL");
    memset(nodes, 0, 32);                                   /* node 0 is unused */
    for (size_t j = 0; j < leaf_count; j++)                 /* node leaf_count + j = hash(leaf j) */
        keccak256(b->host, leaves + j * leaf_size, leaf_size, nodes + 32 * (leaf_count + j));
    for (size_t i = leaf_count - 1; i >= 1; i--)            /* node i = hash(node 2i || node 2i+1) */
        keccak256(b->host, nodes + 32 * (2 * i), 64, nodes + 32 * i);
    b->host->counter_add(b->host->context, "merkle_leaves_total", leaf_count);
    return KEEL_OK;
}

static const keel_gpu_table gpu_table = {
    .struct_size = sizeof(keel_gpu_table),
    .device_info = gpu_device_info,
    .ntt = gpu_ntt,
    .merkle_tree = gpu_merkle_tree,
};

static const keel_plugin_descriptor descriptor = {
    .magic = KEEL_PLUGIN_MAGIC,
    .abi_major = KEEL_ABI_MAJOR,
    .abi_minor = KEEL_ABI_MINOR,
    .struct_size = sizeof(keel_plugin_descriptor),
    .kind = KEEL_KIND_GPU,
    .name = "{{NAME}}",
    .version = "0.1.0",
    .toolchain = "C (" __VERSION__ ")",
    /* Say what you support: the conformance suite checks every field you list. */
    .capabilities = "thread-safe gpu:ntt:goldilocks gpu:ntt:babybear gpu:merkle:keccak256",
    .create = gpu_create,
    .destroy = gpu_destroy,
    .table = &gpu_table,
};

KEEL_EXPORT const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &descriptor; }
