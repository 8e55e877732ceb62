/*
 * proof {{NAME}}: an attestation that binds every field of a batch's state transition.
 *
 * Written by `keel new plugin --kind proof --lang c`. It is complete, builds with `make`, and
 * passes Keel's proof conformance suite. Make it yours:
 *
 *   DEVELOPMENT SCHEME, REPLACE BEFORE REAL USE: the proof is keccak256(secret || domain ||
 *     transition fields), a keyed hash. Whoever verifies needs the secret and so could also forge
 *     proofs. A real attestation is a signature (or k of n signatures) that anyone can check with
 *     public keys; a validity proof (STARK, SNARK) needs no key at all.
 *   REPLACE prove: it attests to whatever transition it is given. A real attestor re-executes
 *     `transition->batch` from `state` (the pre-state) and refuses if the roots differ; a real
 *     prover produces a proof of that execution.
 *   KEEP verify's rule: trust nothing but the arguments and the configuration.
 *
 * The proof binds: chain id, batch index, first and last block, previous root, root, withdrawals
 * root, keccak256(DA commitment) and keccak256(batch), so it holds for no other transition.
 * Config: `secret_file` (required): a file holding 16 to 64 bytes as hex that only its owner can read
 * (`openssl rand -hex 32 > dev.secret && chmod 600 dev.secret`).
 * Stateless after create, so thread-safe.
 */
#include "keccak.h"
#include "keel_plugin.h"
#include "plugin_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEL_EXPORT __attribute__((visibility("default")))
#define PROOF_SIZE 32

static const char proof_domain[] = "keel-dev-attestation-{{NAME}}-v1";

typedef struct attestor {
    const keel_host *host;
    uint8_t secret[64];
    size_t secret_length;
} attestor;

static void release_malloc(keel_buffer *buffer) {
    free(buffer->ptr);
    buffer->ptr = NULL;
    buffer->len = 0;
}

static void *proof_create(const keel_host *host, const char *config_json, keel_error *error) {
    static const char *const keys[] = {"secret_file", NULL};
    plugin_config config;
    attestor *a = calloc(1, sizeof *a);
    if (a == NULL) {
        keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    a->host = host;
    if (!plugin_config_parse(&config, config_json, error) || !plugin_config_allow(&config, keys, error)
        || !plugin_config_secret_file(&config, "secret_file", a->secret, &a->secret_length, error)) {
        free(a);
        return NULL;
    }
    host->log(host->context, KEEL_LOG_WARNING,
              "{{NAME}} attests with a shared-secret development scheme; replace it before real use");
    return a;
}

static void proof_destroy(void *instance) {
    attestor *a = instance;
    if (a != NULL) memset(a->secret, 0, sizeof a->secret);
    free(a);
}

static void absorb_u64(keccak256_state *state, uint64_t value) {
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++) bytes[i] = (uint8_t)(value >> (56 - 8 * i)); /* big-endian */
    keccak256_absorb(state, bytes, 8);
}

static void absorb_hash_of(keccak256_state *state, keel_bytes bytes) {
    uint8_t hash[32];
    keccak256(state->host, bytes.ptr, bytes.ptr != NULL ? bytes.len : 0, hash);
    keccak256_absorb(state, hash, 32);
}

/* The attestation of `t`: every field, fixed width, in a fixed order. */
static void attestation(const attestor *a, const keel_transition *t, uint8_t out[32]) {
    keccak256_state state;
    keccak256_init(&state, a->host);
    keccak256_absorb(&state, a->secret, a->secret_length);
    keccak256_absorb(&state, (const uint8_t *)proof_domain, sizeof proof_domain - 1);
    absorb_u64(&state, t->chain_id);
    absorb_u64(&state, t->batch_index);
    absorb_u64(&state, t->first_block);
    absorb_u64(&state, t->last_block);
    keccak256_absorb(&state, t->previous_root, 32);
    keccak256_absorb(&state, t->root, 32);
    keccak256_absorb(&state, t->withdrawals_root, 32);
    absorb_hash_of(&state, t->da_commitment);
    absorb_hash_of(&state, t->batch);
    keccak256_finish(&state, out);
}

static keel_status proof_prove(void *instance, const keel_state *state, const keel_transition *transition,
                               keel_buffer *proof, keel_error *error) {
    (void)state; /* REPLACE: re-execute transition->batch against `state` and compare the roots */
    attestor *a = instance;
    if (transition == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "no transition");
    uint8_t *out = malloc(PROOF_SIZE);
    if (out == NULL) return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    attestation(a, transition, out);
    proof->ptr = out;
    proof->len = PROOF_SIZE;
    proof->release = release_malloc;
    a->host->counter_add(a->host->context, "attestations_made_total", 1);
    return KEEL_OK;
}

static keel_status proof_verify(void *instance, const keel_transition *transition, keel_bytes proof, keel_error *error) {
    char message[200];
    if (transition == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "no transition");
    if (proof.len != PROOF_SIZE || proof.ptr == NULL) {
        snprintf(message, sizeof message, "a {{NAME}} proof is %d bytes, not %zu", PROOF_SIZE, proof.len);
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);
    }
    uint8_t expected[32], difference = 0;
    attestation(instance, transition, expected);
    for (int i = 0; i < 32; i++) difference |= expected[i] ^ proof.ptr[i]; /* constant time */
    if (difference != 0)
        return keel_error_set(error, KEEL_ERR_REJECTED,
                              "the attestation does not hold for this transition: a field differs (chain, batch, blocks, "
                              "roots, DA commitment or batch data), or it was made with another secret");
    return KEEL_OK;
}

static const keel_proof_table proof_table = {
    .struct_size = sizeof(keel_proof_table),
    .prove = proof_prove,
    .verify = proof_verify,
    .dispute_move = NULL, /* REPLACE for an interactive (fault) proof: the next move of a dispute */
};

static const keel_plugin_descriptor descriptor = {
    .magic = KEEL_PLUGIN_MAGIC,
    .abi_major = KEEL_ABI_MAJOR,
    .abi_minor = KEEL_ABI_MINOR,
    .struct_size = sizeof(keel_plugin_descriptor),
    .kind = KEEL_KIND_PROOF,
    .name = "{{NAME}}",
    .version = "0.1.0",
    .toolchain = "C (" __VERSION__ ")",
    /* REPLACE with what your proof gives: proof:validity, proof:fault or proof:attestation (the mode checks it). */
    .capabilities = "thread-safe proof:attestation",
    .create = proof_create,
    .destroy = proof_destroy,
    .table = &proof_table,
};

KEEL_EXPORT const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &descriptor; }
