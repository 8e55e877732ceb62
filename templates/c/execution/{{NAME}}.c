/*
 * execution {{NAME}}: a counter VM. Each transaction adds a number to a named, public counter.
 *
 * Written by `keel new plugin --kind execution --lang c`. It is complete, builds with `make`, and
 * passes Keel's execution conformance suite. It shows the shape every VM has: decode strictly,
 * refuse with a reason, keep state only through `keel_state`, change nothing when refusing.
 * Make it yours:
 *
 *   REPLACE the transaction format. This toy format carries NO SIGNATURE: anyone can send a
 *     transaction in anyone's name. That is harmless here only because counters belong to no one;
 *     a VM with balances must recover the sender from a signature (Keel's Swift SDK decodes
 *     Ethereum transactions; in C, link libsecp256k1, which is installed with Keel).
 *   REPLACE the fees: this VM charges none (gas is counted, the price is zero), so the mempool
 *     cannot price out spam. Charge gas_used * effective gas price from a balance.
 *   REPLACE deposits: a deposit (type 0x7E) is accepted and credits nothing, since counters hold
 *     no money. A VM with balances credits `amount` to `to` (docs/TRANSACTIONS.md).
 *   KEEP determinism: no clocks, no randomness, no files; the same inputs give the same writes.
 *
 * Transaction: 0x70 || sender (20) || nonce (8, big-endian) || counter id (32) || delta (8, big-endian).
 * State keys: "n" || sender -> the sender's next nonce; "c" || counter id -> the counter; 8 bytes each.
 * Config: none. Stateless between calls, so thread-safe.
 */
#include "keccak.h"
#include "keel_plugin.h"
#include "plugin_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEL_EXPORT __attribute__((visibility("default")))

#define COUNTER_TX_TYPE 0x70
#define COUNTER_TX_SIZE 69
#define COUNTER_TX_GAS 25000

typedef struct counter_tx {
    uint8_t sender[20];
    uint64_t nonce;
    uint8_t counter[32];
    uint64_t delta;
} counter_tx;

typedef struct vm {
    const keel_host *host;
} vm;

static uint64_t read_u64(const uint8_t *bytes) {
    uint64_t value = 0;
    for (int i = 0; i < 8; i++) value = value << 8 | bytes[i];
    return value;
}

static void write_u64(uint8_t *bytes, uint64_t value) {
    for (int i = 0; i < 8; i++) bytes[i] = (uint8_t)(value >> (56 - 8 * i));
}

static void release_malloc(keel_buffer *buffer) {
    free(buffer->ptr);
    buffer->ptr = NULL;
    buffer->len = 0;
}

/* Reads an 8-byte number under `prefix || id`; an absent key is 0. */
static keel_status read_number(const keel_state *state, char prefix, const uint8_t *id, size_t id_length,
                               uint64_t *value, keel_error *error) {
    uint8_t key[33], bytes[8];
    size_t length = 0;
    key[0] = (uint8_t)prefix;
    memcpy(key + 1, id, id_length);
    keel_status status = state->get(state->context, (keel_bytes){key, 1 + id_length}, bytes, sizeof bytes, &length);
    if (status == KEEL_ERR_NOT_FOUND) {
        *value = 0;
        return KEEL_OK;
    }
    if (status != KEEL_OK || length != 8)
        return keel_error_set(error, KEEL_ERR_CORRUPT, "a stored number is not 8 bytes, or the state refused the read");
    *value = read_u64(bytes);
    return KEEL_OK;
}

static keel_status write_number(const keel_state *state, char prefix, const uint8_t *id, size_t id_length,
                                uint64_t value, keel_error *error) {
    uint8_t key[33], bytes[8];
    key[0] = (uint8_t)prefix;
    memcpy(key + 1, id, id_length);
    write_u64(bytes, value);
    if (state->set(state->context, (keel_bytes){key, 1 + id_length}, (keel_bytes){bytes, 8}) != KEEL_OK)
        return keel_error_set(error, KEEL_ERR_INTERNAL, "the state refused a write");
    return KEEL_OK;
}

/* Decodes a counter transaction, refusing anything else with the reason. */
static keel_status decode(keel_bytes raw, counter_tx *tx, keel_error *error) {
    char message[200];
    if (raw.len == 0 || raw.ptr == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "no transaction bytes were given");
    if (raw.ptr[0] == KEEL_TX_DEPOSIT)
        return keel_error_set(error, KEEL_ERR_REJECTED, "deposit transactions (type 0x7e) come from the bridge; users cannot send them");
    if (raw.ptr[0] != COUNTER_TX_TYPE) {
        snprintf(message, sizeof message, "unknown transaction type 0x%02x: {{NAME}} takes counter transactions (type 0x70)", raw.ptr[0]);
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);
    }
    if (raw.len != COUNTER_TX_SIZE) {
        snprintf(message, sizeof message, "a counter transaction is %d bytes, not %zu", COUNTER_TX_SIZE, raw.len);
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);
    }
    memcpy(tx->sender, raw.ptr + 1, 20);
    tx->nonce = read_u64(raw.ptr + 21);
    memcpy(tx->counter, raw.ptr + 29, 32);
    tx->delta = read_u64(raw.ptr + 61);
    return KEEL_OK;
}

/* A deposit's envelope: 0x7E then exactly one RLP list (docs/TRANSACTIONS.md has its five fields). */
static int is_deposit_envelope(keel_bytes raw) {
    if (raw.len < 2 || raw.ptr[0] != KEEL_TX_DEPOSIT || raw.ptr[1] < 0xC0) return 0;
    size_t header = 1, payload = 0;
    if (raw.ptr[1] <= 0xF7) {
        payload = raw.ptr[1] - 0xC0;
    } else {
        size_t length_bytes = raw.ptr[1] - 0xF7;
        if (length_bytes > 4 || raw.len < 2 + length_bytes || raw.ptr[2] == 0) return 0;
        for (size_t i = 0; i < length_bytes; i++) payload = payload << 8 | raw.ptr[2 + i];
        header += length_bytes;
        if (payload < 56) return 0; /* not canonical */
    }
    return 1 + header + payload == raw.len;
}

static void *vm_create(const keel_host *host, const char *config_json, keel_error *error) {
    static const char *const keys[] = {NULL}; /* REPLACE: your settings */
    plugin_config config;
    if (!plugin_config_parse(&config, config_json, error) || !plugin_config_allow(&config, keys, error)) return NULL;
    vm *v = calloc(1, sizeof *v);
    if (v == NULL) {
        keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    v->host = host;
    return v;
}

static void vm_destroy(void *instance) { free(instance); }

static keel_status vm_validate_tx(void *instance, const keel_state *state, keel_bytes raw, keel_tx_summary *summary,
                                  keel_error *error) {
    const vm *v = instance;
    counter_tx tx;
    uint64_t next_nonce;
    keel_status status = decode(raw, &tx, error);
    if (status == KEEL_OK) status = read_number(state, 'n', tx.sender, 20, &next_nonce, error);
    if (status != KEEL_OK) return status;
    if (tx.nonce < next_nonce) {
        char message[160];
        snprintf(message, sizeof message, "nonce too low: the sender's next nonce is %llu, this transaction has %llu",
                 (unsigned long long)next_nonce, (unsigned long long)tx.nonce);
        return keel_error_set(error, KEEL_ERR_REJECTED, message);
    }
    summary->tx_type = COUNTER_TX_TYPE;
    keccak256(v->host, raw.ptr, raw.len, summary->hash);
    memcpy(summary->sender, tx.sender, 20);
    summary->has_recipient = 0;
    summary->nonce = tx.nonce;
    summary->gas_limit = COUNTER_TX_GAS;
    summary->intrinsic_gas = COUNTER_TX_GAS;
    summary->max_fee_per_gas = (keel_u128){0, 0};
    summary->max_priority_fee_per_gas = (keel_u128){0, 0};
    summary->value = (keel_u128){0, 0};
    summary->max_cost = (keel_u128){0, 0};
    summary->encoded_size = raw.len;
    return KEEL_OK;
}

static keel_status vm_get_account(void *instance, const keel_state *state, const uint8_t address[20],
                                  keel_account *account, keel_error *error) {
    (void)instance;
    if (address == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "no address");
    uint64_t nonce;
    keel_status status = read_number(state, 'n', address, 20, &nonce, error);
    if (status != KEEL_OK) return status;
    account->nonce = nonce;
    account->balance = (keel_u128){0, 0}; /* REPLACE: this VM has no balances */
    return KEEL_OK;
}

static keel_status vm_begin_block(void *instance, const keel_state *state, const keel_block_context *block,
                                  keel_error *error) {
    (void)instance, (void)state, (void)block, (void)error;
    return KEEL_OK;
}

/*
 * Says which rule refused a transaction (ABI 1.1), so the mempool keeps it for a later block (nonce
 * too high, block full) or drops it, by code and not by message. Built against an older header,
 * which has no codes, it does nothing.
 */
#ifdef KEEL_HAS_FIELD
#define refuse(outcome, code) \
    do { if (KEEL_HAS_FIELD(outcome, keel_tx_outcome, refusal)) (outcome)->refusal = (code); } while (0)
#else
#define refuse(outcome, code) ((void)(outcome))
#define KEEL_REFUSAL_NONCE_TOO_LOW 1
#define KEEL_REFUSAL_NONCE_TOO_HIGH 2
#define KEEL_REFUSAL_BLOCK_GAS_EXHAUSTED 8
#endif

static keel_status vm_execute_tx(void *instance, const keel_state *state, const keel_block_context *block,
                                 keel_bytes raw, uint64_t block_gas_used, keel_tx_outcome *outcome, keel_error *error) {
    vm *v = instance;
    char message[200];
    if (raw.len > 0 && raw.ptr != NULL && raw.ptr[0] == KEEL_TX_DEPOSIT) {
        if (!is_deposit_envelope(raw))
            return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "a deposit must be 0x7e followed by one RLP list");
        outcome->status = KEEL_TX_SUCCEEDED; /* REPLACE: credit the deposit in a VM with balances */
        outcome->gas_used = 0;
        outcome->fee_paid = (keel_u128){0, 0};
        return KEEL_OK;
    }
    counter_tx tx;
    uint64_t next_nonce, counter;
    keel_status status = decode(raw, &tx, error);
    if (status == KEEL_OK) status = read_number(state, 'n', tx.sender, 20, &next_nonce, error);
    if (status == KEEL_OK) status = read_number(state, 'c', tx.counter, 32, &counter, error);
    if (status != KEEL_OK) return status;
    /* Every check before the first write: a refused transaction changes nothing. */
    if (tx.nonce != next_nonce) {
        snprintf(message, sizeof message, "wrong nonce: the sender's next nonce is %llu, this transaction has %llu",
                 (unsigned long long)next_nonce, (unsigned long long)tx.nonce);
        refuse(outcome, tx.nonce < next_nonce ? KEEL_REFUSAL_NONCE_TOO_LOW : KEEL_REFUSAL_NONCE_TOO_HIGH);
        return keel_error_set(error, KEEL_ERR_REJECTED, message);
    }
    if (block_gas_used > block->gas_limit || COUNTER_TX_GAS > block->gas_limit - block_gas_used) {
        refuse(outcome, KEEL_REFUSAL_BLOCK_GAS_EXHAUSTED);
        return keel_error_set(error, KEEL_ERR_REJECTED, "the block has no gas left for this transaction");
    }
    if (counter > UINT64_MAX - tx.delta) return keel_error_set(error, KEEL_ERR_REJECTED, "the counter would overflow");
    status = write_number(state, 'n', tx.sender, 20, next_nonce + 1, error);
    if (status != KEEL_OK) return status;
    status = write_number(state, 'c', tx.counter, 32, counter + tx.delta, error);
    if (status != KEEL_OK) {
        keel_error undo;
        write_number(state, 'n', tx.sender, 20, next_nonce, &undo); /* put the nonce back */
        return status;
    }
    outcome->status = KEEL_TX_SUCCEEDED;
    outcome->gas_used = COUNTER_TX_GAS;
    outcome->fee_paid = (keel_u128){0, 0};
    v->host->counter_add(v->host->context, "counter_transactions_total", 1);
    return KEEL_OK;
}

static keel_status vm_end_block(void *instance, const keel_state *state, const keel_block_context *block,
                                uint64_t block_gas_used, keel_block_outcome *outcome, keel_error *error) {
    (void)instance, (void)state, (void)block_gas_used, (void)error;
    outcome->next_base_fee_per_gas = block->base_fee_per_gas; /* REPLACE: e.g. EIP-1559's adjustment */
    return KEEL_OK;
}

/* A call with a 32-byte counter id as data returns the counter (8 bytes); with no data, nothing. */
static keel_status vm_call(void *instance, const keel_state *state, const keel_block_context *block,
                           const keel_call *call, keel_call_result *result, keel_error *error) {
    (void)instance, (void)block;
    if (call == NULL) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "no call");
    result->status = KEEL_TX_SUCCEEDED;
    result->gas_used = 0;
    if (call->data.len == 0) return KEEL_OK;
    if (call->data.len != 32 || call->data.ptr == NULL)
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "a call's data is a 32-byte counter id, or nothing");
    uint64_t counter;
    keel_status status = read_number(state, 'c', call->data.ptr, 32, &counter, error);
    if (status != KEEL_OK) return status;
    uint8_t *out = malloc(8);
    if (out == NULL) return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    write_u64(out, counter);
    result->return_data = (keel_buffer){out, 8, release_malloc, NULL};
    return KEEL_OK;
}

static const keel_execution_table execution_table = {
    .struct_size = sizeof(keel_execution_table),
    .validate_tx = vm_validate_tx,
    .get_account = vm_get_account,
    .begin_block = vm_begin_block,
    .execute_tx = vm_execute_tx,
    .end_block = vm_end_block,
    .call = vm_call,
};

static const keel_plugin_descriptor descriptor = {
    .magic = KEEL_PLUGIN_MAGIC,
    .abi_major = KEEL_ABI_MAJOR,
    .abi_minor = KEEL_ABI_MINOR,
    .struct_size = sizeof(keel_plugin_descriptor),
    .kind = KEEL_KIND_EXECUTION,
    .name = "{{NAME}}",
    .version = "0.1.0",
    .toolchain = "C (" __VERSION__ ")",
    .capabilities = "thread-safe",
    .create = vm_create,
    .destroy = vm_destroy,
    .table = &execution_table,
};

KEEL_EXPORT const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &descriptor; }
