/*
 * A DA plugin in plain C for the loader's tests. Built as it is, it is valid: an in-memory store
 * whose commitment is 0xF0 followed by the blob's length and first bytes. Each FIXTURE_* macro
 * breaks it in one way the kernel must refuse (see PluginRefusalTests.swift). With FIXTURE_READS_FLAGS
 * (ABI 1.1) its health detail reports what the host's flag and Keccak services answer.
 */
#include "keel_plugin.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "fixture"
#endif
#ifndef FIXTURE_VERSION
#define FIXTURE_VERSION "1.0.0"
#endif
#ifndef FIXTURE_MAGIC
#define FIXTURE_MAGIC KEEL_PLUGIN_MAGIC
#endif
#ifndef FIXTURE_ABI_MAJOR
#define FIXTURE_ABI_MAJOR KEEL_ABI_MAJOR
#endif
#ifndef FIXTURE_ABI_MINOR
#define FIXTURE_ABI_MINOR KEEL_ABI_MINOR
#endif
#ifndef FIXTURE_TABLE_SIZE
#define FIXTURE_TABLE_SIZE sizeof(keel_da_table)
#endif

typedef struct store { uint8_t *blob; size_t len; const keel_host *host; } store;

static void *fixture_create(const keel_host *host, const char *config, keel_error *error) {
    (void)host;
#ifdef FIXTURE_CREATE_FAILS
    (void)config;
    keel_error_set(error, KEEL_ERR_UNAVAILABLE, "the fixture's backing service at 127.0.0.1:9 refused the connection");
    return NULL;
#else
    if (strstr(config, "\"bad\"") != NULL) {
        keel_error_set_config(error, "limits.bad", "`bad` is not a setting of the fixture");
        return NULL;
    }
    store *s = calloc(1, sizeof(store));
    s->host = host;
    return s;
#endif
}

static void fixture_destroy(void *instance) {
    store *s = instance;
    free(s->blob);
    free(s);
}

static void release(keel_buffer *buffer) { free(buffer->ptr); }

static keel_status fixture_submit(void *instance, keel_bytes blob, keel_buffer *commitment, keel_error *error) {
    store *s = instance;
    if (blob.len > 1024) return keel_error_set(error, KEEL_ERR_TOO_LARGE, "the fixture keeps at most 1024 bytes");
    free(s->blob);
    s->blob = malloc(blob.len + 1);
    memcpy(s->blob, blob.ptr, blob.len);
    s->len = blob.len;
    commitment->ptr = malloc(3);
    commitment->ptr[0] = 0xF0;
    commitment->ptr[1] = (uint8_t)(blob.len & 0xFF);
    commitment->ptr[2] = blob.len ? blob.ptr[0] : 0;
    commitment->len = 3;
    commitment->release = release;
    return KEEL_OK;
}

static keel_status fixture_retrieve(void *instance, keel_bytes commitment, keel_buffer *blob, keel_error *error) {
    store *s = instance;
    if (commitment.len != 3 || commitment.ptr[0] != 0xF0) return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, "not a fixture commitment");
    if (s->blob == NULL || commitment.ptr[1] != (uint8_t)(s->len & 0xFF)) return keel_error_set(error, KEEL_ERR_NOT_FOUND, "no such blob");
    blob->ptr = malloc(s->len + 1);
    memcpy(blob->ptr, s->blob, s->len);
    blob->len = s->len;
    blob->release = release;
    return KEEL_OK;
}

static keel_status fixture_health(void *instance, keel_da_health *health, keel_error *error) {
    (void)error;
    health->healthy = 1;
#ifdef FIXTURE_READS_FLAGS
    const keel_host *host = ((store *)instance)->host;
    if (!KEEL_HAS_FIELD(host, keel_host, keccak256)) {
        strcpy(health->detail, "the host table has no flag services");
        return KEEL_OK;
    }
    const uint8_t alice[] = "alice", bob[] = "bob", abc[] = "abc";
    uint8_t digest[32];
    host->keccak256(host->context, (keel_bytes){abc, 3}, digest);
    snprintf(health->detail, sizeof(health->detail), "active@9=%u active@10=%u alice=%u bob=%u unknown=%u keccak=%02x%02x%02x%02x",
             host->flag_active(host->context, "fixture-consensus", 9), host->flag_active(host->context, "fixture-consensus", 10),
             host->flag_enabled(host->context, "fixture-rollout", (keel_bytes){alice, 5}),
             host->flag_enabled(host->context, "fixture-rollout", (keel_bytes){bob, 3}),
             host->flag_active(host->context, "no-such-flag", 10), digest[0], digest[1], digest[2], digest[3]);
#else
    (void)instance;
    strcpy(health->detail, "in memory");
#endif
    return KEEL_OK;
}

static uint64_t fixture_max_blob_size(void *instance) {
    (void)instance;
    return 1024;
}

static const keel_da_table table = {
    .struct_size = FIXTURE_TABLE_SIZE,
    .provider_id = 0xF0,
    .max_blob_size = fixture_max_blob_size,
#ifdef FIXTURE_NULL_SUBMIT
    .submit = NULL,
#else
    .submit = fixture_submit,
#endif
    .retrieve = fixture_retrieve,
    .health = fixture_health,
};

static const keel_plugin_descriptor descriptor = {
    .magic = FIXTURE_MAGIC,
    .abi_major = FIXTURE_ABI_MAJOR,
    .abi_minor = FIXTURE_ABI_MINOR,
    .struct_size = sizeof(keel_plugin_descriptor),
    .kind = KEEL_KIND_DA,
    .name = FIXTURE_NAME,
    .version = FIXTURE_VERSION,
    .toolchain = "cc",
    .capabilities = "da:offchain",
    .create = fixture_create,
    .destroy = fixture_destroy,
    .table = &table,
};

#ifdef FIXTURE_NO_ENTRY
const keel_plugin_descriptor *keel_plugin_entry(void) { return &descriptor; }
#else
const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &descriptor; }
#endif
