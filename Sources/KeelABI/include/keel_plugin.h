/*
 * keel_plugin.h — the Keel plugin ABI, version 1.1 (docs/ABI.md lists what each minor version added).
 *
 * A Keel plugin is a shared library that exports one symbol, `keel_plugin_entry_v1`, returning a
 * descriptor. The descriptor names the plugin, its kind and version, and points at the function
 * table of its kind. Only C structs, integers and (pointer, length) spans cross this boundary.
 *
 * docs/ABI.md is the reference; this header is its machine-readable half. Rules, in short:
 *
 *  - Versioning. Every struct that may grow starts with `uint32_t struct_size`. Tables and structs
 *    only grow at the end. The side that allocates a struct sets `struct_size` to the size it
 *    knows; the other side reads or writes only fields that lie entirely inside it.
 *    A minor version adds fields at the end; a major version changes the entry symbol's suffix.
 *  - Ownership. Input spans (`keel_bytes`) are borrowed for the duration of the call. A buffer that
 *    the plugin returns (`keel_buffer`) carries its own `release`, which the host calls exactly once.
 *    Caller-owned output arrays (NTT values, Merkle nodes, transaction summaries) are written in place.
 *  - Errors. Every fallible function returns a `keel_status` (0 = KEEL_OK) and, when it fails, fills
 *    the `keel_error` the host passed (code, message, and for configuration errors the config path).
 *  - Threading. A plugin that lists `thread-safe` in its capabilities may be called from several
 *    threads at once with the same instance; otherwise the kernel serialises all calls to an
 *    instance. Calls may block; the kernel makes them off its event loops.
 *  - Never unloaded. The kernel opens libraries with RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE and never
 *    calls dlclose: a plugin may keep threads and static state for the life of the process.
 */
#ifndef KEEL_PLUGIN_H
#define KEEL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------- */
/* Versions and identity                                                                           */
/* ---------------------------------------------------------------------------------------------- */

/** "KEEL" in ASCII, the first field of every descriptor. */
#define KEEL_PLUGIN_MAGIC 0x4B45454Cu
/** A host refuses a plugin built for another major version. */
#define KEEL_ABI_MAJOR 1
/** A host refuses a plugin built for a newer minor version than its own. */
#define KEEL_ABI_MINOR 2

/**
 * Whether the struct at `pointer` (which starts with `uint32_t struct_size`) is large enough to hold
 * `field` of `type`: a struct allocated by a side built for an older minor version lacks the newer
 * fields, which must then be treated as absent (neither read nor written).
 */
#define KEEL_HAS_FIELD(pointer, type, field) \
    ((pointer) != NULL && (size_t)(pointer)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/** The name of the one symbol every plugin library exports. */
#define KEEL_PLUGIN_ENTRY_SYMBOL "keel_plugin_entry_v1"

/** The six kinds of plugin, one per slot of a rollup. */
typedef enum keel_kind {
    KEEL_KIND_EXECUTION = 1, /**< what a transaction means: decoding, sender, state changes */
    KEEL_KIND_DA = 2,        /**< where batch data lives and how a commitment to it is checked */
    KEEL_KIND_PROOF = 3,     /**< how a state transition is shown to be right */
    KEEL_KIND_GPU = 4,       /**< where heavy proving arithmetic runs */
    KEEL_KIND_SEQUENCER = 5, /**< who may produce the next block and in what order */
    KEEL_KIND_BRIDGE = 6     /**< the settlement layer: batches, deposits, withdrawals */
} keel_kind;

/* ---------------------------------------------------------------------------------------------- */
/* Bytes, buffers, numbers, errors                                                                 */
/* ---------------------------------------------------------------------------------------------- */

/** A borrowed, read-only span of bytes. Valid only during the call it is passed to. */
typedef struct keel_bytes {
    const uint8_t *ptr;
    size_t len;
} keel_bytes;

/**
 * Bytes that the callee allocated and hands to the caller. The caller reads `ptr[0..len)` and then
 * calls `release(buffer)` exactly once (if `release` is not NULL). `context` is the callee's own.
 * A callee that returns nothing leaves the buffer zeroed.
 */
typedef struct keel_buffer {
    uint8_t *ptr;
    size_t len;
    void (*release)(struct keel_buffer *buffer);
    void *context;
} keel_buffer;

/** An unsigned 128-bit integer (balances, fees, values), as two 64-bit halves. */
typedef struct keel_u128 {
    uint64_t lo;
    uint64_t hi;
} keel_u128;

/** 0 for false, 1 for true. */
typedef uint32_t keel_bool;

/** The result of every fallible call. */
typedef int32_t keel_status;

/** Error codes. A plugin may return codes >= 1000 of its own; the kernel treats them as KEEL_ERR_INTERNAL. */
enum {
    KEEL_OK = 0,
    KEEL_ERR_INVALID_ARGUMENT = 1, /**< the input is malformed: do not retry it */
    KEEL_ERR_NOT_FOUND = 2,        /**< no such commitment, key, batch, … */
    KEEL_ERR_UNAVAILABLE = 3,      /**< a dependency is down: retrying later may succeed */
    KEEL_ERR_TIMEOUT = 4,          /**< a deadline passed: retrying later may succeed */
    KEEL_ERR_CORRUPT = 5,          /**< data failed its own check (hash, proof, signature) */
    KEEL_ERR_TOO_LARGE = 6,        /**< the input exceeds a limit the plugin declares */
    KEEL_ERR_UNSUPPORTED = 7,      /**< the operation or parameter is not implemented */
    KEEL_ERR_CONFIG = 8,           /**< the configuration is wrong; `config_path` says where */
    KEEL_ERR_REJECTED = 9,         /**< valid input refused by a rule (nonce, balance, signature, window) */
    KEEL_ERR_BUFFER_TOO_SMALL = 10,/**< a caller-owned output was too small; the needed size is reported */
    KEEL_ERR_INTERNAL = 11         /**< a bug or an unexpected failure inside the plugin */
};

/**
 * Filled by a plugin when a call fails. The host zeroes it before every call.
 * `message` is a NUL-terminated sentence for an operator: what happened and what to do.
 * `config_path` is set for KEEL_ERR_CONFIG: a dotted path into the plugin's config object,
 * with [n] for list items (for example "members[1].url"); the kernel maps it to a manifest line.
 */
typedef struct keel_error {
    int32_t code;
    char config_path[128];
    char message[512];
} keel_error;

/** Writes `code` and `message` (truncated to fit) into `error`, if not NULL; returns `code`. */
static inline keel_status keel_error_set(keel_error *error, int32_t code, const char *message) {
    if (error != NULL) {
        error->code = code;
        strncpy(error->message, message != NULL ? message : "", sizeof(error->message) - 1);
        error->message[sizeof(error->message) - 1] = '\0';
    }
    return code;
}

/** As keel_error_set, with code KEEL_ERR_CONFIG and the config path that is wrong. */
static inline keel_status keel_error_set_config(keel_error *error, const char *path, const char *message) {
    if (error != NULL) {
        strncpy(error->config_path, path != NULL ? path : "", sizeof(error->config_path) - 1);
        error->config_path[sizeof(error->config_path) - 1] = '\0';
    }
    return keel_error_set(error, KEEL_ERR_CONFIG, message);
}

/* ---------------------------------------------------------------------------------------------- */
/* Host services, passed to create                                                                 */
/* ---------------------------------------------------------------------------------------------- */

/** Log levels, as swift-log names them. */
typedef enum keel_log_level {
    KEEL_LOG_TRACE = 0,
    KEEL_LOG_DEBUG = 1,
    KEEL_LOG_INFO = 2,
    KEEL_LOG_NOTICE = 3,
    KEEL_LOG_WARNING = 4,
    KEEL_LOG_ERROR = 5,
    KEEL_LOG_CRITICAL = 6
} keel_log_level;

/**
 * What the kernel offers every plugin instance. Valid from `create` until `destroy` returns;
 * every function is thread-safe. `context` is the kernel's and is passed back on each call.
 */
typedef struct keel_host {
    uint32_t struct_size;
    void *context;
    /** Writes one line to the node's log, tagged with the plugin's name. */
    void (*log)(void *context, keel_log_level level, const char *message);
    /** Adds `delta` to the counter `name` (Prometheus naming: lowercase, underscores). */
    void (*counter_add)(void *context, const char *name, uint64_t delta);
    /** Sets the gauge `name` to `value`. */
    void (*gauge_set)(void *context, const char *name, double value);
    /** Records one observation of `seconds` in the histogram `name`. */
    void (*timer_record)(void *context, const char *name, double seconds);
    /** Wall-clock time in milliseconds since the Unix epoch. */
    uint64_t (*now_unix_ms)(void *context);
    /** A monotonic clock in nanoseconds, for measuring durations. */
    uint64_t (*monotonic_ns)(void *context);
    /** The node's data directory (NUL-terminated); a plugin keeps its files under it unless configured otherwise. */
    const char *data_dir;
    /** The rollup's chain id. */
    uint64_t chain_id;

    /* ABI 1.1 ------------------------------------------------------------------------------- */

    /**
     * Whether the consensus flag `name` (manifest `features:`, `activate_at_height`) is active for the
     * block at `height`. The same answer on every node: safe inside execution. Unknown flags are off.
     */
    keel_bool (*flag_active)(void *context, const char *name, uint64_t height);
    /**
     * Whether the rollout flag `name` (`rollout_percent`) is on for `subject`: an address's 20 bytes or
     * the UTF-8 bytes of a text (an API key, a client address). Never use it for what blocks mean:
     * rollout flags differ between nodes and change at runtime. Unknown flags are off.
     */
    keel_bool (*flag_enabled)(void *context, const char *name, keel_bytes subject);
    /** Keccak-256 (Ethereum's, not SHA3-256) of `data`, written to `out`. */
    void (*keccak256)(void *context, keel_bytes data, uint8_t out[32]);

    /* ABI 1.2 ------------------------------------------------------------------------------- */

    /**
     * For a bridge that judges fault proofs: runs one step of a batch's trace from a witness, as
     * docs/FAULT_PROOFS.md §3 defines it, with the rollup's own execution plugin and DA layer. The
     * request and the response are the JSON objects of docs/FAULT_PROOFS.md, "The host's step";
     * `response` is a buffer the host owns (release it). KEEL_ERR_REJECTED: the witness does not
     * prove what the step needs (an invalid proof, not a verdict); KEEL_ERR_UNSUPPORTED: this host
     * cannot run steps (a tool, or a node without an execution plugin). NULL in hosts before 1.2.
     */
    keel_status (*execute_step)(void *context, keel_bytes request, keel_buffer *response, keel_error *error);
} keel_host;

/**
 * Access to the rollup's state, passed into each execution call that needs it. The kernel backs it
 * with its authenticated tree (for the block being built, the head state, a scratch overlay for
 * eth_call, or a witness checked against a root when a dispute is re-executed). Keys and values
 * are bytes; the layout of keys is the execution plugin's choice. Valid only during that call.
 */
typedef struct keel_state {
    uint32_t struct_size;
    void *context;
    /**
     * Copies the value of `key` into `value[0..capacity)` and sets `*value_len`.
     * Returns KEEL_ERR_NOT_FOUND if the key has no value, KEEL_ERR_BUFFER_TOO_SMALL (with
     * `*value_len` set to the size needed) if it does not fit.
     */
    keel_status (*get)(void *context, keel_bytes key, uint8_t *value, size_t capacity, size_t *value_len);
    /** Sets `key` to `value` (an empty value deletes the key). */
    keel_status (*set)(void *context, keel_bytes key, keel_bytes value);
} keel_state;

/* ---------------------------------------------------------------------------------------------- */
/* Execution VM                                                                                    */
/* ---------------------------------------------------------------------------------------------- */

/** Transaction type bytes (EIP-2718); 0x7E marks a deposit, which only the kernel may submit. */
enum {
    KEEL_TX_LEGACY = 0x00,
    KEEL_TX_ACCESS_LIST = 0x01,
    KEEL_TX_DYNAMIC_FEE = 0x02,
    KEEL_TX_DEPOSIT = 0x7E
};

/** What the mempool needs to know of a transaction, filled by `validate_tx`. */
typedef struct keel_tx_summary {
    uint32_t struct_size;
    uint32_t tx_type;
    uint8_t hash[32];
    uint8_t sender[20];
    keel_bool has_recipient;      /**< 0 for contract creation */
    uint8_t recipient[20];
    uint64_t nonce;
    uint64_t gas_limit;
    uint64_t intrinsic_gas;
    keel_u128 max_fee_per_gas;    /**< gas price for legacy and EIP-2930 transactions */
    keel_u128 max_priority_fee_per_gas; /**< gas price for legacy and EIP-2930 transactions */
    keel_u128 value;
    keel_u128 max_cost;           /**< gas_limit * max_fee_per_gas + value: what the sender must hold */
    uint64_t encoded_size;
    /* ABI 1.1 */
    /** When `validate_tx` refuses the transaction: which rule (a KEEL_REFUSAL_* code), else 0. */
    uint32_t refusal;
} keel_tx_summary;

/** An account as RPC shows it (eth_getBalance, eth_getTransactionCount). */
typedef struct keel_account {
    uint32_t struct_size;
    uint64_t nonce;
    keel_u128 balance;
} keel_account;

/** The block being built or replayed. */
typedef struct keel_block_context {
    uint32_t struct_size;
    uint64_t chain_id;
    uint64_t number;
    uint64_t timestamp;           /**< seconds since the Unix epoch */
    uint64_t gas_limit;
    keel_u128 base_fee_per_gas;
    uint8_t fee_recipient[20];    /**< receives priority fees */
    uint8_t parent_hash[32];
} keel_block_context;

/**
 * Why `validate_tx` or `execute_tx` refused a transaction (ABI 1.1): written to the `refusal` field of
 * the summary or outcome, beside an error status (usually KEEL_ERR_REJECTED) and a message. The
 * mempool acts on the code, never on the message: a transaction refused with NONCE_TOO_HIGH,
 * BLOCK_GAS_EXHAUSTED or FEE_BELOW_BASE_FEE stays pending for a later block; any other refusal
 * (0 included, which is what a plugin built for ABI 1.0 reports) drops it.
 */
enum {
    KEEL_REFUSAL_UNSPECIFIED = 0,        /**< no code given */
    KEEL_REFUSAL_NONCE_TOO_LOW = 1,      /**< the sender already used this nonce */
    KEEL_REFUSAL_NONCE_TOO_HIGH = 2,     /**< an earlier nonce of the sender is missing */
    KEEL_REFUSAL_NONCE_MAX = 3,          /**< the sender's nonce cannot grow further */
    KEEL_REFUSAL_FEE_BELOW_BASE_FEE = 4, /**< the max fee per gas is under the block's base fee */
    KEEL_REFUSAL_TIP_ABOVE_FEE_CAP = 5,  /**< max priority fee per gas above max fee per gas */
    KEEL_REFUSAL_INSUFFICIENT_FUNDS = 6, /**< the sender cannot pay gas limit x max fee + value */
    KEEL_REFUSAL_INTRINSIC_GAS = 7,      /**< the gas limit is under the transaction's intrinsic gas */
    KEEL_REFUSAL_BLOCK_GAS_EXHAUSTED = 8,/**< the gas limit does not fit in what is left of this block */
    KEEL_REFUSAL_GAS_LIMIT_TOO_HIGH = 9, /**< the gas limit is above any block's gas limit */
    KEEL_REFUSAL_CHAIN_ID = 10,          /**< signed for another chain, or without a chain id */
    KEEL_REFUSAL_SIGNATURE = 11,         /**< the signature does not recover a sender */
    KEEL_REFUSAL_UNSUPPORTED_TYPE = 12,  /**< a transaction type or form (e.g. contract creation) the VM lacks */
    KEEL_REFUSAL_MALFORMED = 13,         /**< the bytes do not decode */
    KEEL_REFUSAL_DEPOSIT_ORDER = 14,     /**< a deposit out of the bridge's order */
    KEEL_REFUSAL_FEATURE_RULE = 15,      /**< a rule that a consensus flag switched on */
    KEEL_REFUSAL_OTHER = 255             /**< a rule of the plugin's own; the message says which */
};

/** Transaction outcome statuses. */
enum {
    KEEL_TX_FAILED = 0,   /**< included, charged, no effect beyond the fee (e.g. reverted) */
    KEEL_TX_SUCCEEDED = 1
};

/**
 * What one transaction did, filled by `execute_tx`. If `execute_tx` returns an error instead, the
 * transaction is not included and the plugin must not have changed state.
 */
typedef struct keel_tx_outcome {
    uint32_t struct_size;
    uint32_t status;              /**< KEEL_TX_SUCCEEDED or KEEL_TX_FAILED */
    uint64_t gas_used;
    keel_u128 fee_paid;           /**< by the sender: gas_used * effective gas price */
    /** RLP list of logs, [[address, [topics...], data], ...]; empty if none. Plugin-owned. */
    keel_buffer logs;
    /** An L2-to-L1 message (e.g. a withdrawal) that this transaction sends, or empty. Plugin-owned.
     *  The kernel hashes it into the batch's withdrawals root; the bridge interprets it. */
    keel_buffer l2_to_l1_message;
    /* ABI 1.1 */
    /** When `execute_tx` refuses the transaction: which rule (a KEEL_REFUSAL_* code), else 0. */
    uint32_t refusal;
} keel_tx_outcome;

/** What a block leaves for the next one, filled by `end_block`. */
typedef struct keel_block_outcome {
    uint32_t struct_size;
    keel_u128 next_base_fee_per_gas;
} keel_block_outcome;

/** An unsigned call for eth_call and eth_estimateGas. */
typedef struct keel_call {
    uint32_t struct_size;
    uint8_t sender[20];
    keel_bool has_recipient;
    uint8_t recipient[20];
    keel_u128 value;
    uint64_t gas_limit;           /**< 0: the block gas limit */
    keel_bytes data;
} keel_call;

typedef struct keel_call_result {
    uint32_t struct_size;
    uint32_t status;              /**< KEEL_TX_SUCCEEDED or KEEL_TX_FAILED */
    uint64_t gas_used;
    keel_buffer return_data;      /**< plugin-owned */
} keel_call_result;

typedef struct keel_execution_table {
    uint32_t struct_size;
    /**
     * Decodes a raw transaction (the bytes of eth_sendRawTransaction), checks its signature, chain
     * id and intrinsic gas, recovers the sender, and fills `summary`. Reads `state` (the head) only
     * for checks that need it. Deposits (type 0x7E) must be refused here: they come from the bridge.
     */
    keel_status (*validate_tx)(void *instance, const keel_state *state, keel_bytes raw,
                               keel_tx_summary *summary, keel_error *error);
    /** Reads an account through `state`. A missing account is nonce 0, balance 0 (KEEL_OK). */
    keel_status (*get_account)(void *instance, const keel_state *state, const uint8_t address[20],
                               keel_account *account, keel_error *error);
    /** Starts a block. Called before the block's first `execute_tx`. */
    keel_status (*begin_block)(void *instance, const keel_state *state, const keel_block_context *block,
                               keel_error *error);
    /**
     * Applies one transaction (or a deposit, type 0x7E, encoded as docs/FORMATS.md says) to `state`.
     * Returns an error, leaving state untouched, when the transaction cannot be included (nonce,
     * balance, gas above what is left in the block); the kernel then drops or defers it.
     */
    keel_status (*execute_tx)(void *instance, const keel_state *state, const keel_block_context *block,
                              keel_bytes raw, uint64_t block_gas_used, keel_tx_outcome *outcome,
                              keel_error *error);
    /** Ends a block after its last transaction; reports what the next block inherits. */
    keel_status (*end_block)(void *instance, const keel_state *state, const keel_block_context *block,
                             uint64_t block_gas_used, keel_block_outcome *outcome, keel_error *error);
    /** Runs a call without keeping its effects (the kernel gives a scratch overlay as `state`). */
    keel_status (*call)(void *instance, const keel_state *state, const keel_block_context *block,
                        const keel_call *call, keel_call_result *result, keel_error *error);

    /* ABI 1.1 ------------------------------------------------------------------------------- */

    /**
     * Optional. Writes the genesis state into `state` (empty) from `genesis_json`, the manifest's
     * `genesis` section as a JSON object: {"alloc": {"0x<40 hex digits, lowercase>": "<wei, decimal>"}}.
     * Unknown members must be ignored: later versions add them. The key layout is the plugin's own,
     * so the kernel knows nothing of accounts. A plugin without it serves only an empty `alloc`.
     */
    keel_status (*genesis)(void *instance, const keel_state *state, const char *genesis_json, keel_error *error);
    /**
     * Optional. The state key under which the plugin keeps the account `address`, into `key`: what
     * `keel_getProof` proves, so a wallet can check a balance against a state root without the
     * kernel knowing the plugin's layout. NULL: the node cannot prove accounts for this plugin.
     */
    keel_status (*account_key)(void *instance, const uint8_t address[20], keel_buffer *key, keel_error *error);
} keel_execution_table;

/* ---------------------------------------------------------------------------------------------- */
/* DA provider                                                                                     */
/* ---------------------------------------------------------------------------------------------- */

typedef struct keel_da_health {
    uint32_t struct_size;
    keel_bool healthy;
    uint64_t latency_ms;          /**< of the check itself */
    char detail[256];             /**< NUL-terminated: why not healthy, or a short status */
} keel_da_health;

typedef struct keel_da_table {
    uint32_t struct_size;
    /**
     * The provider's id byte, the first byte of every commitment it makes, so that any node can tell
     * which provider holds a batch. Ids below 0x80 are reserved for Keel's providers (docs/ABI.md).
     */
    uint8_t provider_id;
    /** The largest blob this instance's `submit` accepts, in bytes (it may depend on the config). */
    uint64_t (*max_blob_size)(void *instance);
    /**
     * Stores `blob` durably and returns its commitment (provider id byte first) in `commitment`.
     * Returns only once the blob can be retrieved by any node that can reach the provider.
     * Submitting the same blob twice returns the same commitment.
     */
    keel_status (*submit)(void *instance, keel_bytes blob, keel_buffer *commitment, keel_error *error);
    /**
     * Returns the blob for `commitment`, after checking it against the commitment:
     * KEEL_ERR_NOT_FOUND if absent, KEEL_ERR_CORRUPT if the data does not match,
     * KEEL_ERR_INVALID_ARGUMENT for a commitment that is malformed or of another provider.
     */
    keel_status (*retrieve)(void *instance, keel_bytes commitment, keel_buffer *blob, keel_error *error);
    /** Checks that submit and retrieve would work now (reachability, disk space, quorum). */
    keel_status (*health)(void *instance, keel_da_health *health, keel_error *error);
} keel_da_table;

/* ---------------------------------------------------------------------------------------------- */
/* Proof system                                                                                    */
/* ---------------------------------------------------------------------------------------------- */

/** One batch's state transition: what a proof or an attestation speaks for. */
typedef struct keel_transition {
    uint32_t struct_size;
    uint64_t chain_id;
    uint64_t batch_index;
    uint64_t first_block;
    uint64_t last_block;
    uint8_t previous_root[32];
    uint8_t root[32];
    uint8_t withdrawals_root[32];
    keel_bytes da_commitment;
    /** The encoded batch (docs/FORMATS.md), the witness a prover or attestor re-executes. */
    keel_bytes batch;

    /* ABI 1.2 ------------------------------------------------------------------------------- */

    /**
     * The L1 deposits consumed through the batch's last block (counted from genesis), which an
     * attestation signs so the settlement layer can enforce forced inclusion (docs/FAULT_PROOFS.md
     * §6); KEEL_DEPOSIT_COUNT_UNKNOWN when the host does not say.
     */
    uint64_t deposit_count;
} keel_transition;

/** `keel_transition.deposit_count` when the host does not know it. */
#define KEEL_DEPOSIT_COUNT_UNKNOWN UINT64_MAX

typedef struct keel_proof_table {
    uint32_t struct_size;
    /**
     * Produces the proof (or attestation, or claim with bond) for `transition` into `proof`.
     * Provers that re-execute call back into the kernel through `state`, which is the pre-state.
     */
    keel_status (*prove)(void *instance, const keel_state *state, const keel_transition *transition,
                         keel_buffer *proof, keel_error *error);
    /**
     * Checks `proof` for `transition`: KEEL_OK if it holds, KEEL_ERR_REJECTED (with the reason) if not.
     * Must not trust anything but its arguments and its own configuration.
     */
    keel_status (*verify)(void *instance, const keel_transition *transition, keel_bytes proof,
                          keel_error *error);
    /**
     * For interactive (fault) proofs: given the dispute so far (`dispute`, an encoding the plugin
     * defines) and the local view of the transition, returns the next move in `move`, or an empty
     * buffer if there is nothing to do. NULL for plugins without disputes.
     */
    keel_status (*dispute_move)(void *instance, const keel_state *state, const keel_transition *transition,
                                keel_bytes dispute, keel_buffer *move, keel_error *error);
} keel_proof_table;

/* ---------------------------------------------------------------------------------------------- */
/* GPU backend                                                                                     */
/* ---------------------------------------------------------------------------------------------- */

/** Prime fields for NTTs. Elements are uint64 in canonical form (less than the modulus). */
enum {
    KEEL_FIELD_GOLDILOCKS = 1,    /**< p = 2^64 - 2^32 + 1, generator 7 */
    KEEL_FIELD_BABYBEAR = 2       /**< p = 2^31 - 2^27 + 1, generator 31 */
};

/** Hash functions for Merkle trees. */
enum {
    KEEL_HASH_KECCAK256 = 1
};

typedef struct keel_device_info {
    uint32_t struct_size;
    char name[128];               /**< NUL-terminated, e.g. "NVIDIA H100 80GB HBM3" or "cpu (4 threads)" */
    uint64_t memory_bytes;
    uint32_t compute_units;
} keel_device_info;

typedef struct keel_gpu_table {
    uint32_t struct_size;
    /** Describes the device the instance runs on. */
    keel_status (*device_info)(void *instance, keel_device_info *info, keel_error *error);
    /**
     * In-place NTTs of `batch` consecutive vectors of 2^log_n elements each in `values` (caller-owned,
     * batch << log_n elements). Forward: natural-order coefficients to natural-order evaluations
     * over the subgroup generated by the 2^log_n-th root of unity g^((p-1)/2^log_n).
     * Inverse (`inverse` = 1): the exact inverse, including the 1/n scaling.
     */
    keel_status (*ntt)(void *instance, uint32_t field, uint64_t *values, uint32_t log_n, uint32_t batch,
                       keel_bool inverse, keel_error *error);
    /**
     * Builds a binary Merkle tree over `leaf_count` leaves (a power of two) of `leaf_size` bytes each,
     * laid out back to back in `leaves`. Writes 2 * leaf_count nodes of 32 bytes into `nodes`
     * (caller-owned): node 1 is the root, node i has children 2i and 2i+1, node leaf_count + j is
     * hash(leaf j), node 0 is unused (zeroed). Inner nodes are hash(left || right).
     */
    keel_status (*merkle_tree)(void *instance, uint32_t hash, const uint8_t *leaves, size_t leaf_size,
                               size_t leaf_count, uint8_t *nodes, keel_error *error);
} keel_gpu_table;

/* ---------------------------------------------------------------------------------------------- */
/* Sequencer consensus                                                                             */
/* ---------------------------------------------------------------------------------------------- */

/** Ordering rule for `order`: a candidate transaction with its fees. */
typedef struct keel_order_candidate {
    uint32_t struct_size;
    uint8_t hash[32];
    uint8_t sender[20];
    uint64_t nonce;
    uint64_t gas_limit;
    keel_u128 max_fee_per_gas;
    keel_u128 max_priority_fee_per_gas;
    uint64_t arrival;             /**< order of arrival in the mempool, for ties */
} keel_order_candidate;

typedef struct keel_sequencer_table {
    uint32_t struct_size;
    /** Whether this node may produce block `height` now. */
    keel_status (*is_leader)(void *instance, uint64_t height, keel_bool *leader, keel_error *error);
    /**
     * Picks and orders transactions for the next block: writes indices into `candidates` to
     * `order_out` (capacity `count`), in block order, and their number to `*chosen`. Must keep each
     * sender's nonces increasing. `base_fee` is the block's base fee per gas.
     */
    keel_status (*order)(void *instance, const keel_order_candidate *candidates, size_t count,
                         keel_u128 base_fee, uint64_t gas_limit, uint32_t *order_out, size_t *chosen,
                         keel_error *error);
    /** Signs a block header's hash; the signature (format the plugin's) goes to `signature`. */
    keel_status (*sign_header)(void *instance, const uint8_t header_hash[32], keel_buffer *signature,
                               keel_error *error);
    /** Checks a header signature made by the sequencer of `height`: KEEL_OK or KEEL_ERR_REJECTED. */
    keel_status (*verify_header)(void *instance, uint64_t height, const uint8_t header_hash[32],
                                 keel_bytes signature, keel_error *error);
} keel_sequencer_table;

/* ---------------------------------------------------------------------------------------------- */
/* Bridge (settlement layer)                                                                       */
/* ---------------------------------------------------------------------------------------------- */

typedef struct keel_l1_head {
    uint32_t struct_size;
    uint64_t number;
    uint64_t timestamp;           /**< seconds since the Unix epoch */
    uint8_t hash[32];
} keel_l1_head;

/** A batch as the settlement layer records it. */
typedef struct keel_batch_record {
    uint32_t struct_size;
    uint64_t index;
    uint64_t first_block;
    uint64_t last_block;
    uint8_t previous_root[32];
    uint8_t root[32];
    uint8_t withdrawals_root[32];
    keel_bytes da_commitment;     /**< borrowed when passed in; see get_batch for the way out */
    uint64_t l1_block;            /**< set by the bridge: when it was recorded */
    keel_bool final;              /**< set by the bridge: whether withdrawals against it may be claimed */
} keel_batch_record;

/** A deposit from L1, in the order the bridge queued it. */
typedef struct keel_deposit {
    uint32_t struct_size;
    uint64_t index;               /**< 0, 1, 2, … with no gaps */
    uint64_t l1_block;
    uint8_t from[20];             /**< the L1 sender */
    uint8_t to[20];               /**< the L2 recipient */
    keel_u128 amount;
} keel_deposit;

typedef struct keel_bridge_table {
    uint32_t struct_size;
    /** The settlement layer's current head. */
    keel_status (*l1_head)(void *instance, keel_l1_head *head, keel_error *error);
    /**
     * Records a batch. Refused (KEEL_ERR_REJECTED) unless `record->index` is the next index and
     * `previous_root` is the root of the batch before. Submitting the exact record that is already
     * stored at that index succeeds without a second record, so a retried submit is harmless.
     */
    keel_status (*submit_batch)(void *instance, const keel_batch_record *record, keel_error *error);
    /** Number of batches recorded (`*count`) and how many of the first are final (`*final_count`). */
    keel_status (*batch_count)(void *instance, uint64_t *count, uint64_t *final_count, keel_error *error);
    /** Reads batch `index`; its commitment goes to `commitment` and `record->da_commitment` is left empty. */
    keel_status (*get_batch)(void *instance, uint64_t index, keel_batch_record *record, keel_buffer *commitment,
                             keel_error *error);
    /** Submits a proof, attestation or dispute move for batch `index`; the bridge checks it first. */
    keel_status (*submit_proof)(void *instance, uint64_t index, keel_bytes proof, keel_error *error);
    /**
     * Copies up to `capacity` deposits with index >= `from_index` into `deposits` (caller-owned) and
     * their number into `*count`.
     */
    keel_status (*deposits)(void *instance, uint64_t from_index, keel_deposit *deposits, size_t capacity,
                            size_t *count, keel_error *error);
    /**
     * Pays out an L2-to-L1 message sent in batch `index`, given its Merkle proof against that batch's
     * withdrawals root (docs/FORMATS.md). Refused unless the batch is final, the proof holds and the
     * message was not claimed before.
     */
    keel_status (*claim_withdrawal)(void *instance, uint64_t index, keel_bytes message, keel_bytes proof,
                                    keel_error *error);
    /**
     * Optional (NULL where the settlement layer is real): queues a deposit as an L1 user would, on a
     * development L1. Sets `*index` to the deposit's index.
     */
    keel_status (*dev_deposit)(void *instance, const uint8_t from[20], const uint8_t to[20], keel_u128 amount,
                               uint64_t *index, keel_error *error);
    /** Optional (NULL where the settlement layer is real): advances a development L1 by `blocks` blocks. */
    keel_status (*dev_advance)(void *instance, uint64_t blocks, keel_error *error);

    /* ABI 1.1 ------------------------------------------------------------------------------- */

    /**
     * Optional, all three or none. The chain's change log: records of how the chain is to be read
     * (a DA provider swapped in from a batch on, a plugin upgraded at a height), appended by the
     * sequencer and read by every follower, so none needs an edited manifest. A record is bytes the
     * kernel defines (docs/FORMATS.md, "Change records"); the bridge stores them in order, indices
     * 0, 1, 2, … without gaps, and never changes one. `record_change` sets `*index`; recording bytes
     * equal to the last record again returns its index without a second record (a retry is harmless).
     */
    keel_status (*record_change)(void *instance, keel_bytes change, uint64_t *index, keel_error *error);
    /** The number of change records. */
    keel_status (*change_count)(void *instance, uint64_t *count, keel_error *error);
    /** Change record `index` into `change`; KEEL_ERR_NOT_FOUND past the end. */
    keel_status (*get_change)(void *instance, uint64_t index, keel_buffer *change, keel_error *error);

    /* ABI 1.2 ------------------------------------------------------------------------------- */

    /**
     * Optional. A call into the settlement layer's contracts that the functions above do not cover
     * (dispute games, stakes and bonds, forced withdrawals, the escape hatch): `request` is a JSON
     * object whose `method` names the call (docs/FAULT_PROOFS.md, "Settlement calls"); `response`
     * receives a JSON object. KEEL_ERR_UNSUPPORTED for a method the bridge does not know.
     */
    keel_status (*call)(void *instance, keel_bytes request, keel_buffer *response, keel_error *error);
} keel_bridge_table;

/* ---------------------------------------------------------------------------------------------- */
/* The descriptor                                                                                  */
/* ---------------------------------------------------------------------------------------------- */

typedef struct keel_plugin_descriptor {
    uint32_t magic;               /**< KEEL_PLUGIN_MAGIC */
    uint16_t abi_major;           /**< KEEL_ABI_MAJOR the plugin was built against */
    uint16_t abi_minor;           /**< KEEL_ABI_MINOR the plugin was built against */
    uint32_t struct_size;         /**< sizeof(keel_plugin_descriptor) as the plugin knows it */
    uint32_t kind;                /**< a keel_kind */
    const char *name;             /**< lowercase, [a-z0-9-], unique per kind, e.g. "sqlite" */
    const char *version;          /**< semantic version, e.g. "1.2.0" */
    const char *toolchain;        /**< what built it, e.g. "swift 6.3.1" or "gcc 12.2.0" */
    /**
     * Space-separated tokens: "thread-safe", and kind-specific ones such as "da:offchain",
     * "proof:validity", "proof:fault", "proof:attestation", "gpu:ntt:goldilocks" (docs/ABI.md lists them).
     */
    const char *capabilities;
    /**
     * Makes an instance from `config_json` (the plugin's `config` from the manifest as a JSON object,
     * NUL-terminated, never NULL). Returns NULL on failure and fills `error`; KEEL_ERR_CONFIG with a
     * `config_path` for a bad config. `host` stays valid until `destroy`.
     */
    void *(*create)(const keel_host *host, const char *config_json, keel_error *error);
    /** Frees an instance; no call on it follows. */
    void (*destroy)(void *instance);
    /** The kind's table (keel_da_table, …), whose first field is its own struct_size. */
    const void *table;
} keel_plugin_descriptor;

/** The entry symbol's type. The function must return the same pointer every time. */
typedef const keel_plugin_descriptor *(*keel_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_PLUGIN_H */
