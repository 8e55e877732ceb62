/*
 * da {{NAME}}: a content-addressed DA provider that keeps each blob in a file named by its hash.
 *
 * Written by `keel new plugin --kind da --lang c`. It is complete, builds with `make`, and passes
 * Keel's DA conformance suite (docs/PLUGIN_AUTHORING.md says how to run it). Make it yours:
 *
 *   REPLACE where blobs live. This provider writes files into a local folder (`dir`), which only
 *     this machine can read. A real provider stores blobs where every node can fetch them (a DA
 *     service, a committee, erasure-coded peers) and returns from submit only once they are there.
 *   REPLACE the provider id 0x80. Ids below 0x80 are Keel's own; pick one from 0x80-0xFF and
 *     document it, since every commitment starts with it.
 *   KEEP the check in retrieve: never hand back bytes that do not match their commitment.
 *
 * Commitment: the provider id byte, then keccak256(blob): 33 bytes. The same blob always gives the
 * same commitment, and Keccak-256 is collision-resistant, so a commitment names one blob.
 * Config: `dir` (default DATA_DIR/da-{{NAME}}), `max_blob_bytes` (default 16 MiB, at most 64 MiB).
 * Not declared thread-safe: the kernel serialises calls to an instance.
 */
#include "keccak.h"
#include "keel_plugin.h"
#include "plugin_config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEEL_EXPORT __attribute__((visibility("default")))

#define PROVIDER_ID 0x80                    /* REPLACE: your provider's id, 0x80-0xFF */
#define COMMITMENT_SIZE 33
#define DEFAULT_MAX_BLOB ((uint64_t)16 << 20)
#define LARGEST_MAX_BLOB ((uint64_t)64 << 20)

typedef struct store {
    const keel_host *host;
    char dir[900];
    uint64_t max_blob;
    unsigned long temporary_counter;
} store;

static void release_malloc(keel_buffer *buffer) {
    free(buffer->ptr);
    buffer->ptr = NULL;
    buffer->len = 0;
}

/* mkdir -p */
static int make_folders(const char *path) {
    char partial[900];
    size_t length = strlen(path);
    if (length >= sizeof partial) return -1;
    memcpy(partial, path, length + 1);
    for (size_t i = 1; i <= length; i++) {
        if (partial[i] != '/' && partial[i] != '\0') continue;
        char saved = partial[i];
        partial[i] = '\0';
        if (mkdir(partial, 0755) != 0 && errno != EEXIST) return -1;
        partial[i] = saved;
    }
    struct stat info;
    return stat(path, &info) == 0 && S_ISDIR(info.st_mode) ? 0 : -1;
}

static void *da_create(const keel_host *host, const char *config_json, keel_error *error) {
    static const char *const keys[] = {"dir", "max_blob_bytes", NULL};
    plugin_config config;
    char fallback[900], message[1200];
    store *s = calloc(1, sizeof *s);
    if (s == NULL) {
        keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    s->host = host;
    snprintf(fallback, sizeof fallback, "%s/da-{{NAME}}", host->data_dir != NULL ? host->data_dir : ".");
    if (!plugin_config_parse(&config, config_json, error) || !plugin_config_allow(&config, keys, error)
        || !plugin_config_string(&config, "dir", fallback, s->dir, sizeof s->dir, error)
        || !plugin_config_uint64(&config, "max_blob_bytes", DEFAULT_MAX_BLOB, &s->max_blob, error)) {
        free(s);
        return NULL;
    }
    if (s->max_blob == 0 || s->max_blob > LARGEST_MAX_BLOB) {
        snprintf(message, sizeof message, "`max_blob_bytes` must be from 1 to %llu", (unsigned long long)LARGEST_MAX_BLOB);
        keel_error_set_config(error, "max_blob_bytes", message);
        free(s);
        return NULL;
    }
    if (make_folders(s->dir) != 0) {
        snprintf(message, sizeof message, "cannot create the folder %s: %s; set `dir` to a folder this node can write",
                 s->dir, strerror(errno));
        keel_error_set_config(error, "dir", message);
        free(s);
        return NULL;
    }
    return s;
}

static void da_destroy(void *instance) { free(instance); }

static uint64_t da_max_blob_size(void *instance) { return ((store *)instance)->max_blob; }

/* DIR/<64 hex digits>.blob */
static int blob_path(const store *s, const uint8_t hash[32], char *out, size_t capacity) {
    char hex[65];
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", hash[i]);
    int written = snprintf(out, capacity, "%s/%s.blob", s->dir, hex);
    return written > 0 && (size_t)written < capacity;
}

/* Reads a whole file of at most `limit` bytes. Returns 0, or an errno value. */
static int read_file(const char *path, uint64_t limit, uint8_t **bytes, size_t *length) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) return errno;
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || info.st_size < 0 || (uint64_t)info.st_size > limit) {
        fclose(file);
        return EFBIG;
    }
    size_t size = (size_t)info.st_size;
    uint8_t *data = malloc(size > 0 ? size : 1);
    if (data == NULL) {
        fclose(file);
        return ENOMEM;
    }
    size_t got = fread(data, 1, size, file);
    fclose(file);
    if (got != size) {
        free(data);
        return EIO;
    }
    *bytes = data;
    *length = size;
    return 0;
}

/* Writes to a temporary file, syncs it, then renames it into place: a crash leaves either no blob or the whole blob. */
static int write_file_durably(store *s, const char *path, const uint8_t *bytes, size_t length) {
    char temporary[1100];
    snprintf(temporary, sizeof temporary, "%s.tmp-%ld-%lu", path, (long)getpid(), s->temporary_counter++);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return errno;
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, bytes + done, length - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int failure = errno;
            close(fd);
            unlink(temporary);
            return failure != 0 ? failure : EIO;
        }
        done += (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(temporary, path) != 0) {
        int failure = errno;
        unlink(temporary);
        return failure;
    }
    int folder = open(s->dir, O_RDONLY);
    if (folder >= 0) {
        fsync(folder);
        close(folder);
    }
    return 0;
}

static keel_status da_submit(void *instance, keel_bytes blob, keel_buffer *commitment, keel_error *error) {
    store *s = instance;
    char path[1024], message[1200];
    if ((uint64_t)blob.len > s->max_blob) {
        snprintf(message, sizeof message, "the blob is %zu bytes; this provider takes at most %llu (max_blob_bytes)",
                 blob.len, (unsigned long long)s->max_blob);
        return keel_error_set(error, KEEL_ERR_TOO_LARGE, message);
    }
    if (blob.ptr == NULL && blob.len > 0) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "the blob pointer is NULL");
    uint8_t *out = malloc(COMMITMENT_SIZE);
    if (out == NULL) return keel_error_set(error, KEEL_ERR_INTERNAL, "out of memory");
    out[0] = PROVIDER_ID;
    keccak256(s->host, blob.ptr, blob.len, out + 1);
    if (!blob_path(s, out + 1, path, sizeof path)) {
        free(out);
        return keel_error_set(error, KEEL_ERR_INTERNAL, "the blob path is too long; choose a shorter `dir`");
    }
    struct stat info;
    int failure = 0;
    /* A blob already stored under its hash is the same blob: nothing to write. */
    if (stat(path, &info) != 0 || (uint64_t)info.st_size != (uint64_t)blob.len)
        failure = write_file_durably(s, path, blob.ptr, blob.len);
    if (failure != 0) {
        free(out);
        snprintf(message, sizeof message, "cannot write %s: %s", path, strerror(failure));
        return keel_error_set(error, KEEL_ERR_UNAVAILABLE, message);
    }
    s->host->counter_add(s->host->context, "blobs_submitted_total", 1);
    commitment->ptr = out;
    commitment->len = COMMITMENT_SIZE;
    commitment->release = release_malloc;
    return KEEL_OK;
}

static keel_status da_retrieve(void *instance, keel_bytes commitment, keel_buffer *blob, keel_error *error) {
    store *s = instance;
    char path[1024], message[1200];
    if (commitment.len != COMMITMENT_SIZE || commitment.ptr == NULL || commitment.ptr[0] != PROVIDER_ID) {
        snprintf(message, sizeof message, "not a {{NAME}} commitment: expected %d bytes starting 0x%02x, got %zu bytes",
                 COMMITMENT_SIZE, PROVIDER_ID, commitment.len);
        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);
    }
    if (!blob_path(s, commitment.ptr + 1, path, sizeof path))
        return keel_error_set(error, KEEL_ERR_INTERNAL, "the blob path is too long; choose a shorter `dir`");
    uint8_t *bytes = NULL;
    size_t length = 0;
    int failure = read_file(path, LARGEST_MAX_BLOB, &bytes, &length);
    if (failure == ENOENT) return keel_error_set(error, KEEL_ERR_NOT_FOUND, "no blob for this commitment in this provider's folder");
    if (failure != 0) {
        snprintf(message, sizeof message, "cannot read %s: %s", path, strerror(failure));
        return keel_error_set(error, KEEL_ERR_UNAVAILABLE, message);
    }
    uint8_t hash[32];
    keccak256(s->host, bytes, length, hash);
    if (memcmp(hash, commitment.ptr + 1, 32) != 0) {
        free(bytes);
        snprintf(message, sizeof message, "the stored blob %s does not match its commitment; the file was damaged", path);
        return keel_error_set(error, KEEL_ERR_CORRUPT, message);
    }
    blob->ptr = bytes;
    blob->len = length;
    blob->release = release_malloc;
    return KEEL_OK;
}

static keel_status da_health(void *instance, keel_da_health *health, keel_error *error) {
    store *s = instance;
    (void)error;
    uint64_t started = s->host->monotonic_ns(s->host->context);
    health->healthy = access(s->dir, W_OK | R_OK) == 0;
    health->latency_ms = (s->host->monotonic_ns(s->host->context) - started) / 1000000;
    snprintf(health->detail, sizeof health->detail, health->healthy ? "ok: %s" : "cannot read and write %s", s->dir);
    return KEEL_OK;
}

static const keel_da_table da_table = {
    .struct_size = sizeof(keel_da_table),
    .provider_id = PROVIDER_ID,
    .max_blob_size = da_max_blob_size,
    .submit = da_submit,
    .retrieve = da_retrieve,
    .health = da_health,
};

static const keel_plugin_descriptor descriptor = {
    .magic = KEEL_PLUGIN_MAGIC,
    .abi_major = KEEL_ABI_MAJOR,
    .abi_minor = KEEL_ABI_MINOR,
    .struct_size = sizeof(keel_plugin_descriptor),
    .kind = KEEL_KIND_DA,
    .name = "{{NAME}}",
    .version = "0.1.0",
    .toolchain = "C (" __VERSION__ ")",
    /* REPLACE: da:offchain says the data is held away from the settlement layer (validium, optimium). */
    .capabilities = "da:offchain",
    .create = da_create,
    .destroy = da_destroy,
    .table = &da_table,
};

KEEL_EXPORT const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &descriptor; }
