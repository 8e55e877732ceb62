/*
 * gpu cpu: the reference GPU backend, in plain C against keel_plugin.h alone.
 * NTTs over Goldilocks and BabyBear and Keccak-256 Merkle trees, on the calling thread.
 * Stateless, so it declares itself thread-safe.
 */
#include "gpu_cpu.h"
#include "ntt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct cpu_backend {
    const keel_host *host;
} cpu_backend;

/* The backend takes no configuration: any key is an error that names it. */
static int first_config_key(const char *json, char *key, size_t capacity) {
    const char *quote = strchr(json, '"');
    if (quote == NULL) return 0;
    const char *end = strchr(quote + 1, '"');
    size_t length = end ? (size_t)(end - quote - 1) : strlen(quote + 1);
    if (length >= capacity) length = capacity - 1;
    memcpy(key, quote + 1, length);
    key[length] = '\0';
    return 1;
}

static void *cpu_create(const keel_host *host, const char *config_json, keel_error *error) {
    char key[96];
    if (config_json != NULL && first_config_key(config_json, key, sizeof key)) {
        char message[200];
        snprintf(message, sizeof message, "unknown key `%s`: the cpu backend takes no configuration", key);
        keel_error_set_config(error, key, message);
        return NULL;
    }
    cpu_backend *backend = calloc(1, sizeof *backend);
    if (backend == NULL) {
        keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    backend->host = host;
    return backend;
}

static void cpu_destroy(void *instance) { free(instance); }

static keel_status cpu_device_info(void *instance, keel_device_info *info, keel_error *error) {
    (void)instance;
    (void)error;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    snprintf(info->name, sizeof info->name, "cpu (%ld cores)", cores);
    info->memory_bytes = (pages > 0 && page_size > 0) ? (uint64_t)pages * (uint64_t)page_size : 0;
    info->compute_units = cores > 0 ? (uint32_t)cores : 1;
    return KEEL_OK;
}

static keel_status cpu_ntt(void *instance, uint32_t field, uint64_t *values, uint32_t log_n, uint32_t batch,
                           keel_bool inverse, keel_error *error) {
    cpu_backend *backend = instance;
    uint64_t modulus, generator;
    uint32_t two_adicity;
    if (!ntt_field_parameters(field, &modulus, &generator, &two_adicity))
        return keel_error_set(error, KEEL_ERR_UNSUPPORTED, "unknown field: use KEEL_FIELD_GOLDILOCKS or KEEL_FIELD_BABYBEAR");
    if (log_n > two_adicity) {
        char message[160];
        snprintf(message, sizeof message, "log_n %u exceeds the field's two-adicity %u", log_n, two_adicity);
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);
    }
    if (values == NULL && batch > 0) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "values is NULL");
    size_t n = (size_t)1 << log_n;
    for (size_t i = 0; i < n * batch; i++)
        if (values[i] >= modulus) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "an element is not below the modulus");
    for (uint32_t vector = 0; vector < batch; vector++) ntt_in_place(values + vector * n, log_n, modulus, generator, inverse != 0);
    backend->host->counter_add(backend->host->context, "ntt_elements_total", (uint64_t)n * batch);
    return KEEL_OK;
}

static keel_status cpu_merkle_tree(void *instance, uint32_t hash, const uint8_t *leaves, size_t leaf_size,
                                   size_t leaf_count, uint8_t *nodes, keel_error *error) {
    cpu_backend *backend = instance;
    if (hash != KEEL_HASH_KECCAK256) return keel_error_set(error, KEEL_ERR_UNSUPPORTED, "unknown hash: use KEEL_HASH_KECCAK256");
    if (leaf_count == 0 || (leaf_count & (leaf_count - 1)) != 0)
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "leaf_count must be a power of two");
    if (nodes == NULL || (leaves == NULL && leaf_size > 0)) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "a buffer is NULL");
    memset(nodes, 0, 32);
    /* Keccak-256 is the kernel's (keel_host.keccak256, ABI 1.1): no hash code of this plugin's own. */
    const keel_host *host = backend->host;
    for (size_t j = 0; j < leaf_count; j++)
        host->keccak256(host->context, (keel_bytes){leaves + j * leaf_size, leaf_size}, nodes + 32 * (leaf_count + j));
    for (size_t i = leaf_count - 1; i >= 1; i--)
        host->keccak256(host->context, (keel_bytes){nodes + 32 * (2 * i), 64}, nodes + 32 * i);
    backend->host->counter_add(backend->host->context, "merkle_leaves_total", leaf_count);
    return KEEL_OK;
}

static const keel_gpu_table cpu_table = {
    .struct_size = sizeof(keel_gpu_table),
    .device_info = cpu_device_info,
    .ntt = cpu_ntt,
    .merkle_tree = cpu_merkle_tree,
};

static const keel_plugin_descriptor cpu_descriptor = {
    .magic = KEEL_PLUGIN_MAGIC,
    .abi_major = KEEL_ABI_MAJOR,
    .abi_minor = KEEL_ABI_MINOR,
    .struct_size = sizeof(keel_plugin_descriptor),
    .kind = KEEL_KIND_GPU,
    .name = "cpu",
    .version = "1.0.0",
    .toolchain = "C (" __VERSION__ ")",
    .capabilities = "thread-safe gpu:ntt:goldilocks gpu:ntt:babybear gpu:merkle:keccak256",
    .create = cpu_create,
    .destroy = cpu_destroy,
    .table = &cpu_table,
};

const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &cpu_descriptor; }
