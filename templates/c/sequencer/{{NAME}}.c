/*
 * sequencer {{NAME}}: one sequencer that orders by tip and signs headers with a keyed hash.
 *
 * Written by `keel new plugin --kind sequencer --lang c`. It is complete, builds with `make`, and
 * passes Keel's sequencer conformance suite. Make it yours:
 *
 *   DEVELOPMENT SCHEME, REPLACE BEFORE REAL USE: a header "signature" here is
 *     keccak256(secret || domain || header hash), a keyed hash. Every node that verifies headers
 *     needs the same secret, and so every such node could also forge them. A production sequencer
 *     signs with a private key (secp256k1, ed25519) that only it holds, and verifies with the public
 *     key. Link a signature library (libsecp256k1 is installed with Keel) and replace sign/verify.
 *   REPLACE is_leader for rotation or consensus: this one leads at every height.
 *   KEEP the rules of order(): each sender's nonces in increasing order without gaps, the total gas
 *     within the block's limit, nothing that cannot pay the base fee.
 *
 * Config: `secret_file` (required): a file holding 16 to 64 bytes as hex that only its owner can read
 * (`openssl rand -hex 32 > dev.secret && chmod 600 dev.secret`).
 * Not declared thread-safe: the kernel serialises calls to an instance.
 */
#include "keccak.h"
#include "keel_plugin.h"
#include "plugin_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEL_EXPORT __attribute__((visibility("default")))

typedef unsigned __int128 u128;

static const char signature_domain[] = "keel-dev-sequencer-{{NAME}}-v1";

typedef struct sequencer {
    const keel_host *host;
    uint8_t secret[64];
    size_t secret_length;
} sequencer;

static void release_malloc(keel_buffer *buffer) {
    free(buffer->ptr);
    buffer->ptr = NULL;
    buffer->len = 0;
}

static u128 wide(keel_u128 value) { return ((u128)value.hi << 64) | value.lo; }

static void *sequencer_create(const keel_host *host, const char *config_json, keel_error *error) {
    static const char *const keys[] = {"secret_file", NULL};
    plugin_config config;
    sequencer *s = calloc(1, sizeof *s);
    if (s == NULL) {
        keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    s->host = host;
    if (!plugin_config_parse(&config, config_json, error) || !plugin_config_allow(&config, keys, error)
        || !plugin_config_secret_file(&config, "secret_file", s->secret, &s->secret_length, error)) {
        free(s);
        return NULL;
    }
    host->log(host->context, KEEL_LOG_WARNING,
              "{{NAME}} signs headers with a shared-secret development scheme; replace it before real use");
    return s;
}

static void sequencer_destroy(void *instance) {
    sequencer *s = instance;
    if (s != NULL) memset(s->secret, 0, sizeof s->secret);
    free(s);
}

static keel_status sequencer_is_leader(void *instance, uint64_t height, keel_bool *leader, keel_error *error) {
    (void)instance;
    (void)height;
    (void)error;
    *leader = 1; /* REPLACE: a single sequencer leads at every height */
    return KEEL_OK;
}

/* Orders candidates by sender, then nonce, then arrival. */
static int by_sender_nonce(const void *a, const void *b) {
    const keel_order_candidate *x = *(const keel_order_candidate *const *)a, *y = *(const keel_order_candidate *const *)b;
    int sender = memcmp(x->sender, y->sender, 20);
    if (sender != 0) return sender;
    if (x->nonce != y->nonce) return x->nonce < y->nonce ? -1 : 1;
    return x->arrival < y->arrival ? -1 : (x->arrival > y->arrival);
}

static u128 tip(const keel_order_candidate *c, keel_u128 base_fee) {
    u128 headroom = wide(c->max_fee_per_gas) - wide(base_fee);
    return wide(c->max_priority_fee_per_gas) < headroom ? wide(c->max_priority_fee_per_gas) : headroom;
}

/*
 * Greedy by tip: each sender's transactions form a queue in nonce order (up to the first gap); the
 * queue head with the highest tip goes next (earlier arrival first on a tie); a head that does not
 * fit the gas left drops its whole queue, since the sender's later nonces need it first.
 */
static keel_status sequencer_order(void *instance, const keel_order_candidate *candidates, size_t count,
                                   keel_u128 base_fee, uint64_t gas_limit, uint32_t *order_out, size_t *chosen,
                                   keel_error *error) {
    (void)instance;
    *chosen = 0;
    if (count == 0) return KEEL_OK;
    if (candidates == NULL || order_out == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "a buffer is NULL");
    if (count > UINT32_MAX) return keel_error_set(error, KEEL_ERR_TOO_LARGE, "too many candidates");
    const keel_order_candidate **sorted = malloc(count * sizeof *sorted);
    size_t *queue_head = malloc(count * sizeof *queue_head), *queue_end = malloc(count * sizeof *queue_end);
    if (sorted == NULL || queue_head == NULL || queue_end == NULL) {
        free(sorted);
        free(queue_head);
        free(queue_end);
        return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    }
    size_t eligible = 0; /* only transactions that can pay the base fee */
    for (size_t i = 0; i < count; i++)
        if (wide(candidates[i].max_fee_per_gas) >= wide(base_fee)) sorted[eligible++] = &candidates[i];
    qsort(sorted, eligible, sizeof *sorted, by_sender_nonce);

    size_t queues = 0, kept = 0;
    for (size_t i = 0; i < eligible;) {
        const uint8_t *sender = sorted[i]->sender;
        size_t start = kept;
        int gap = 0;
        for (; i < eligible && memcmp(sorted[i]->sender, sender, 20) == 0; i++) {
            if (kept > start) {
                uint64_t last = sorted[kept - 1]->nonce;
                if (gap || sorted[i]->nonce == last) continue;               /* after a gap, or the same nonce again */
                if (sorted[i]->nonce != last + 1) { gap = 1; continue; }
            }
            sorted[kept++] = sorted[i];
        }
        queue_head[queues] = start;
        queue_end[queues++] = kept;
    }

    uint64_t gas_used = 0;
    for (;;) {
        size_t best = queues;
        for (size_t q = 0; q < queues; q++) {
            if (queue_head[q] == queue_end[q]) continue;
            const keel_order_candidate *c = sorted[queue_head[q]];
            if (best == queues) { best = q; continue; }
            const keel_order_candidate *b = sorted[queue_head[best]];
            u128 ct = tip(c, base_fee), bt = tip(b, base_fee);
            if (ct > bt || (ct == bt && c->arrival < b->arrival)) best = q;
        }
        if (best == queues) break;
        const keel_order_candidate *c = sorted[queue_head[best]];
        if (c->gas_limit > gas_limit - gas_used) {
            queue_head[best] = queue_end[best];
            continue;
        }
        gas_used += c->gas_limit;
        order_out[(*chosen)++] = (uint32_t)(c - candidates);
        queue_head[best]++;
    }
    free(sorted);
    free(queue_head);
    free(queue_end);
    return KEEL_OK;
}

static void header_mac(const sequencer *s, const uint8_t header_hash[32], uint8_t out[32]) {
    keccak256_state state;
    keccak256_init(&state, s->host);
    keccak256_absorb(&state, s->secret, s->secret_length);
    keccak256_absorb(&state, (const uint8_t *)signature_domain, sizeof signature_domain - 1);
    keccak256_absorb(&state, header_hash, 32);
    keccak256_finish(&state, out);
}

static keel_status sequencer_sign_header(void *instance, const uint8_t header_hash[32], keel_buffer *signature,
                                         keel_error *error) {
    if (header_hash == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "the header hash is NULL");
    uint8_t *out = malloc(32);
    if (out == NULL) return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    header_mac(instance, header_hash, out);
    signature->ptr = out;
    signature->len = 32;
    signature->release = release_malloc;
    return KEEL_OK;
}

static keel_status sequencer_verify_header(void *instance, uint64_t height, const uint8_t header_hash[32],
                                           keel_bytes signature, keel_error *error) {
    (void)height; /* REPLACE: with rotation, look up the sequencer of `height` */
    char message[160];
    if (header_hash == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "the header hash is NULL");
    if (signature.len != 32 || signature.ptr == NULL) {
        snprintf(message, sizeof message, "a {{NAME}} header signature is 32 bytes, not %zu", signature.len);
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);
    }
    uint8_t expected[32], difference = 0;
    header_mac(instance, header_hash, expected);
    for (int i = 0; i < 32; i++) difference |= expected[i] ^ signature.ptr[i]; /* constant time */
    if (difference != 0)
        return keel_error_set(error, KEEL_ERR_REJECTED, "the header signature is not this sequencer's for this header");
    return KEEL_OK;
}

static const keel_sequencer_table sequencer_table = {
    .struct_size = sizeof(keel_sequencer_table),
    .is_leader = sequencer_is_leader,
    .order = sequencer_order,
    .sign_header = sequencer_sign_header,
    .verify_header = sequencer_verify_header,
};

static const keel_plugin_descriptor descriptor = {
    .magic = KEEL_PLUGIN_MAGIC,
    .abi_major = KEEL_ABI_MAJOR,
    .abi_minor = KEEL_ABI_MINOR,
    .struct_size = sizeof(keel_plugin_descriptor),
    .kind = KEEL_KIND_SEQUENCER,
    .name = "{{NAME}}",
    .version = "0.1.0",
    .toolchain = "C (" __VERSION__ ")",
    .capabilities = "",
    .create = sequencer_create,
    .destroy = sequencer_destroy,
    .table = &sequencer_table,
};

KEEL_EXPORT const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &descriptor; }
