/*
 * bridge {{NAME}}: an in-memory development L1 that keeps the rules a settlement contract keeps.
 *
 * Written by `keel new plugin --kind bridge --lang c`. It is complete, builds with `make`, and
 * passes Keel's bridge conformance suite. It records batches chained by root, queues deposits,
 * finalizes a batch once `finality_blocks` L1 blocks have passed over it, and pays a withdrawal
 * only with a Merkle proof against a final batch's withdrawals root, once. Make it yours:
 *
 *   REPLACE the storage: everything lives in this process's memory and is gone at restart, and no
 *     other process sees it. Keel's `local` bridge keeps the same rules in a shared SQLite file; a
 *     real bridge submits transactions to contracts on an L1 and reads their events.
 *   REPLACE submit_proof: this L1 finalizes by time alone (a challenge window nobody can use) and
 *     refuses proofs, since it has no verifier. Check the proof with your proof system's rules
 *     before finalizing on it.
 *   REPLACE dev_deposit and dev_advance with NULL for a real L1: deposits come from L1 users and
 *     the L1 advances by itself.
 *   KEEP the checks in submit_batch and claim_withdrawal: they are what protects users' money.
 *
 * Withdrawal proof (what claim_withdrawal takes): the leaf's index as 8 bytes big-endian, then the
 * 32-byte siblings from the leaf's level up, as KeelCore's MerkleTree makes them: a leaf enters
 * as keccak(0x00 || keccak(message)), an inner node is keccak(0x01 || left || right), and bit k of
 * the index says whether the node at level k is a right child.
 * Config: `finality_blocks` (default 10), `genesis_root` (optional, 32 bytes hex: the root batch 0
 * must chain to; without it, batch 0 may start from any root).
 * Not declared thread-safe: the kernel serialises calls to an instance.
 */
#include "keccak.h"
#include "keel_plugin.h"
#include "plugin_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEL_EXPORT __attribute__((visibility("default")))
#define SECONDS_PER_L1_BLOCK 12

typedef struct stored_batch {
    uint64_t first_block, last_block, l1_block;
    uint8_t previous_root[32], root[32], withdrawals_root[32];
    uint8_t *commitment;
    size_t commitment_len;
} stored_batch;

typedef struct claim {
    uint64_t batch, leaf;
} claim;

typedef struct dev_l1 {
    const keel_host *host;
    uint64_t finality_blocks;
    int has_genesis_root;
    uint8_t genesis_root[32];
    uint64_t head, genesis_time;
    stored_batch *batches;
    size_t batch_count, batch_capacity;
    keel_deposit *deposits;
    size_t deposit_count, deposit_capacity;
    claim *claims;
    size_t claim_count, claim_capacity;
} dev_l1;

static void release_malloc(keel_buffer *buffer) {
    free(buffer->ptr);
    buffer->ptr = NULL;
    buffer->len = 0;
}

/* Makes room for one more element in a growing array; returns 0 when out of memory. */
static int reserve(void **items, size_t *capacity, size_t count, size_t size) {
    if (count < *capacity) return 1;
    size_t grown = *capacity == 0 ? 16 : *capacity * 2;
    void *bigger = realloc(*items, grown * size);
    if (bigger == NULL) return 0;
    *items = bigger;
    *capacity = grown;
    return 1;
}

static int is_final(const dev_l1 *l1, const stored_batch *batch) {
    return l1->head >= batch->l1_block && l1->head - batch->l1_block >= l1->finality_blocks;
}

static void *bridge_create(const keel_host *host, const char *config_json, keel_error *error) {
    static const char *const keys[] = {"finality_blocks", "genesis_root", NULL};
    plugin_config config;
    char root_text[200];
    dev_l1 *l1 = calloc(1, sizeof *l1);
    if (l1 == NULL) {
        keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    l1->host = host;
    if (!plugin_config_parse(&config, config_json, error) || !plugin_config_allow(&config, keys, error)
        || !plugin_config_uint64(&config, "finality_blocks", 10, &l1->finality_blocks, error)) {
        free(l1);
        return NULL;
    }
    if (plugin_config_has(&config, "genesis_root")) {
        if (!plugin_config_string(&config, "genesis_root", NULL, root_text, sizeof root_text, error)) {
            free(l1);
            return NULL;
        }
        if (!hex_decode_exact(root_text, l1->genesis_root, 32)) {
            keel_error_set_config(error, "genesis_root", "`genesis_root` must be 32 bytes as hex (64 digits, optional 0x)");
            free(l1);
            return NULL;
        }
        l1->has_genesis_root = 1;
    }
    l1->genesis_time = host->now_unix_ms(host->context) / 1000;
    return l1;
}

static void bridge_destroy(void *instance) {
    dev_l1 *l1 = instance;
    if (l1 == NULL) return;
    for (size_t i = 0; i < l1->batch_count; i++) free(l1->batches[i].commitment);
    free(l1->batches);
    free(l1->deposits);
    free(l1->claims);
    free(l1);
}

static keel_status bridge_l1_head(void *instance, keel_l1_head *head, keel_error *error) {
    dev_l1 *l1 = instance;
    (void)error;
    static const char domain[] = "keel-dev-l1-block";
    uint8_t preimage[sizeof domain - 1 + 8];
    memcpy(preimage, domain, sizeof domain - 1);
    for (int i = 0; i < 8; i++) preimage[sizeof domain - 1 + i] = (uint8_t)(l1->head >> (56 - 8 * i));
    head->number = l1->head;
    head->timestamp = l1->genesis_time + l1->head * SECONDS_PER_L1_BLOCK;
    keccak256(l1->host, preimage, sizeof preimage, head->hash);
    return KEEL_OK;
}

static int same_record(const stored_batch *stored, const keel_batch_record *record) {
    return stored->first_block == record->first_block && stored->last_block == record->last_block
        && memcmp(stored->previous_root, record->previous_root, 32) == 0 && memcmp(stored->root, record->root, 32) == 0
        && memcmp(stored->withdrawals_root, record->withdrawals_root, 32) == 0
        && stored->commitment_len == record->da_commitment.len
        && memcmp(stored->commitment, record->da_commitment.ptr, record->da_commitment.len) == 0;
}

static keel_status bridge_submit_batch(void *instance, const keel_batch_record *record, keel_error *error) {
    dev_l1 *l1 = instance;
    char message[240];
    if (record == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "no batch record");
    if (record->da_commitment.len == 0 || record->da_commitment.ptr == NULL)
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "the batch has no DA commitment");
    if (record->first_block > record->last_block)
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "the batch's first block is after its last block");
    if (record->index < l1->batch_count) {
        if (same_record(&l1->batches[record->index], record)) return KEEL_OK; /* a retried submit */
        snprintf(message, sizeof message, "batch %llu is already recorded with other contents",
                 (unsigned long long)record->index);
        return keel_error_set(error, KEEL_ERR_REJECTED, message);
    }
    if (record->index > l1->batch_count) {
        snprintf(message, sizeof message, "batch index %llu skips ahead: the next batch is %llu",
                 (unsigned long long)record->index, (unsigned long long)l1->batch_count);
        return keel_error_set(error, KEEL_ERR_REJECTED, message);
    }
    const stored_batch *last = l1->batch_count > 0 ? &l1->batches[l1->batch_count - 1] : NULL;
    const uint8_t *expected_root = last != NULL ? last->root : (l1->has_genesis_root ? l1->genesis_root : NULL);
    if (expected_root != NULL && memcmp(record->previous_root, expected_root, 32) != 0) {
        snprintf(message, sizeof message, "batch %llu does not chain: its previous root is not the root of %s",
                 (unsigned long long)record->index, last != NULL ? "the batch before" : "genesis");
        return keel_error_set(error, KEEL_ERR_REJECTED, message);
    }
    if (last != NULL && record->first_block != last->last_block + 1) {
        snprintf(message, sizeof message, "batch %llu starts at block %llu; the batch before ended at %llu",
                 (unsigned long long)record->index, (unsigned long long)record->first_block,
                 (unsigned long long)last->last_block);
        return keel_error_set(error, KEEL_ERR_REJECTED, message);
    }
    if (!reserve((void **)&l1->batches, &l1->batch_capacity, l1->batch_count, sizeof *l1->batches))
        return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    stored_batch *stored = &l1->batches[l1->batch_count];
    stored->commitment = malloc(record->da_commitment.len);
    if (stored->commitment == NULL) return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    memcpy(stored->commitment, record->da_commitment.ptr, record->da_commitment.len);
    stored->commitment_len = record->da_commitment.len;
    stored->first_block = record->first_block;
    stored->last_block = record->last_block;
    stored->l1_block = l1->head;
    memcpy(stored->previous_root, record->previous_root, 32);
    memcpy(stored->root, record->root, 32);
    memcpy(stored->withdrawals_root, record->withdrawals_root, 32);
    l1->batch_count++;
    return KEEL_OK;
}

static keel_status bridge_batch_count(void *instance, uint64_t *count, uint64_t *final_count, keel_error *error) {
    dev_l1 *l1 = instance;
    (void)error;
    size_t final = 0;
    while (final < l1->batch_count && is_final(l1, &l1->batches[final])) final++;
    *count = l1->batch_count;
    *final_count = final;
    return KEEL_OK;
}

static keel_status bridge_get_batch(void *instance, uint64_t index, keel_batch_record *record, keel_buffer *commitment,
                                    keel_error *error) {
    dev_l1 *l1 = instance;
    char message[160];
    if (index >= l1->batch_count) {
        snprintf(message, sizeof message, "no batch %llu: %llu batches are recorded", (unsigned long long)index,
                 (unsigned long long)l1->batch_count);
        return keel_error_set(error, KEEL_ERR_NOT_FOUND, message);
    }
    const stored_batch *stored = &l1->batches[index];
    uint8_t *copy = malloc(stored->commitment_len);
    if (copy == NULL) return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    memcpy(copy, stored->commitment, stored->commitment_len);
    record->index = index;
    record->first_block = stored->first_block;
    record->last_block = stored->last_block;
    memcpy(record->previous_root, stored->previous_root, 32);
    memcpy(record->root, stored->root, 32);
    memcpy(record->withdrawals_root, stored->withdrawals_root, 32);
    record->da_commitment = (keel_bytes){NULL, 0};
    record->l1_block = stored->l1_block;
    record->final = (keel_bool)is_final(l1, stored);
    *commitment = (keel_buffer){copy, stored->commitment_len, release_malloc, NULL};
    return KEEL_OK;
}

static keel_status bridge_submit_proof(void *instance, uint64_t index, keel_bytes proof, keel_error *error) {
    (void)instance, (void)index, (void)proof;
    /* REPLACE: verify `proof` for batch `index` with your proof system, then finalize it. */
    return keel_error_set(error, KEEL_ERR_UNSUPPORTED,
                          "{{NAME}} takes no proofs: batches become final after finality_blocks L1 blocks");
}

static keel_status bridge_deposits(void *instance, uint64_t from_index, keel_deposit *deposits, size_t capacity,
                                   size_t *count, keel_error *error) {
    dev_l1 *l1 = instance;
    *count = 0;
    if (deposits == NULL && capacity > 0) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "the deposits array is NULL");
    for (uint64_t i = from_index; i < l1->deposit_count && *count < capacity; i++) {
        /* Copy only the fields the host's struct has room for (it may be an older, shorter one). */
        uint32_t room = deposits[*count].struct_size;
        keel_deposit copy = l1->deposits[i];
        copy.struct_size = room;
        memcpy(&deposits[*count], &copy, room != 0 && room < sizeof copy ? room : sizeof copy);
        (*count)++;
    }
    return KEEL_OK;
}

/* KeelCore's MerkleTree.verify: leaf keccak(0x00 || leaf), inner keccak(0x01 || left || right). */
static int merkle_verify(const keel_host *host, const uint8_t root[32], const uint8_t leaf[32], uint64_t index,
                         const uint8_t *siblings, size_t steps) {
    static const uint8_t zero[32] = {0};
    if (memcmp(root, zero, 32) == 0 || steps == 0 || steps >= 64 || (index >> steps) != 0) return 0;
    uint8_t node[32], buffer[65];
    buffer[0] = 0x00;
    memcpy(buffer + 1, leaf, 32);
    keccak256(host, buffer, 33, node);
    buffer[0] = 0x01;
    for (size_t level = 0; level < steps; level++) {
        const uint8_t *sibling = siblings + 32 * level;
        int right = (index >> level) & 1;
        memcpy(buffer + 1, right ? sibling : node, 32);
        memcpy(buffer + 33, right ? node : sibling, 32);
        keccak256(host, buffer, 65, node);
    }
    return memcmp(node, root, 32) == 0;
}

static keel_status bridge_claim_withdrawal(void *instance, uint64_t index, keel_bytes message, keel_bytes proof,
                                           keel_error *error) {
    dev_l1 *l1 = instance;
    char text[240];
    if (index >= l1->batch_count) {
        snprintf(text, sizeof text, "no batch %llu: %llu batches are recorded", (unsigned long long)index,
                 (unsigned long long)l1->batch_count);
        return keel_error_set(error, KEEL_ERR_NOT_FOUND, text);
    }
    const stored_batch *batch = &l1->batches[index];
    if (!is_final(l1, batch)) {
        snprintf(text, sizeof text, "batch %llu is not final: withdrawals against it open at L1 block %llu (now %llu)",
                 (unsigned long long)index, (unsigned long long)(batch->l1_block + l1->finality_blocks),
                 (unsigned long long)l1->head);
        return keel_error_set(error, KEEL_ERR_REJECTED, text);
    }
    if (proof.ptr == NULL || proof.len < 8 + 32 || (proof.len - 8) % 32 != 0 || (proof.len - 8) / 32 >= 64)
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT,
                              "a withdrawal proof is an 8-byte leaf index and 1 to 63 siblings of 32 bytes");
    uint64_t leaf_index = 0;
    for (int i = 0; i < 8; i++) leaf_index = leaf_index << 8 | proof.ptr[i];
    uint8_t leaf[32];
    keccak256(l1->host, message.ptr, message.ptr != NULL ? message.len : 0, leaf);
    if (!merkle_verify(l1->host, batch->withdrawals_root, leaf, leaf_index, proof.ptr + 8, (proof.len - 8) / 32))
        return keel_error_set(error, KEEL_ERR_REJECTED, "the proof does not show this message under the batch's withdrawals root");
    for (size_t i = 0; i < l1->claim_count; i++) {
        if (l1->claims[i].batch == index && l1->claims[i].leaf == leaf_index)
            return keel_error_set(error, KEEL_ERR_REJECTED, "this withdrawal was already claimed");
    }
    if (!reserve((void **)&l1->claims, &l1->claim_capacity, l1->claim_count, sizeof *l1->claims))
        return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    l1->claims[l1->claim_count++] = (claim){index, leaf_index};
    /* REPLACE: pay out. A development L1 holds no money, so it only records the claim. */
    l1->host->log(l1->host->context, KEEL_LOG_INFO, "withdrawal claimed on the development L1");
    return KEEL_OK;
}

static keel_status bridge_dev_deposit(void *instance, const uint8_t from[20], const uint8_t to[20], keel_u128 amount,
                                      uint64_t *index, keel_error *error) {
    dev_l1 *l1 = instance;
    if (from == NULL || to == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "no address");
    if (!reserve((void **)&l1->deposits, &l1->deposit_capacity, l1->deposit_count, sizeof *l1->deposits))
        return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    keel_deposit *deposit = &l1->deposits[l1->deposit_count];
    memset(deposit, 0, sizeof *deposit);
    deposit->struct_size = sizeof *deposit;
    deposit->index = l1->deposit_count;
    deposit->l1_block = l1->head;
    memcpy(deposit->from, from, 20);
    memcpy(deposit->to, to, 20);
    deposit->amount = amount;
    *index = l1->deposit_count++;
    return KEEL_OK;
}

static keel_status bridge_dev_advance(void *instance, uint64_t blocks, keel_error *error) {
    dev_l1 *l1 = instance;
    if (blocks > UINT64_MAX / SECONDS_PER_L1_BLOCK - l1->head)
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "that many blocks would overflow the L1 clock");
    l1->head += blocks;
    return KEEL_OK;
}

static const keel_bridge_table bridge_table = {
    .struct_size = sizeof(keel_bridge_table),
    .l1_head = bridge_l1_head,
    .submit_batch = bridge_submit_batch,
    .batch_count = bridge_batch_count,
    .get_batch = bridge_get_batch,
    .submit_proof = bridge_submit_proof,
    .deposits = bridge_deposits,
    .claim_withdrawal = bridge_claim_withdrawal,
    .dev_deposit = bridge_dev_deposit, /* REPLACE with NULL on a real L1 */
    .dev_advance = bridge_dev_advance, /* REPLACE with NULL on a real L1 */
};

static const keel_plugin_descriptor descriptor = {
    .magic = KEEL_PLUGIN_MAGIC,
    .abi_major = KEEL_ABI_MAJOR,
    .abi_minor = KEEL_ABI_MINOR,
    .struct_size = sizeof(keel_plugin_descriptor),
    .kind = KEEL_KIND_BRIDGE,
    .name = "{{NAME}}",
    .version = "0.1.0",
    .toolchain = "C (" __VERSION__ ")",
    .capabilities = "",
    .create = bridge_create,
    .destroy = bridge_destroy,
    .table = &bridge_table,
};

KEEL_EXPORT const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &descriptor; }
