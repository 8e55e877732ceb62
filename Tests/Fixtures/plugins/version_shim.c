/*
 * A plugin library that is another build of an existing one under a new version number, for the
 * upgrade tests: it opens SHIM_TARGET (a plugin library's path) and exports that library's
 * descriptor with the version SHIM_VERSION. The kernel then sees two versions of one plugin, as
 * after an operator installs a new release beside the old one. With SHIM_COUNT_BRIDGE_SUBMITS (a
 * bridge) it counts the batches submitted through it in the host counter `shim_submits_total`, so
 * a test sees which instance a batch went through.
 */
#include "keel_plugin.h"
#include <dlfcn.h>
#include <stddef.h>

#ifndef SHIM_TARGET
#error "define SHIM_TARGET, the path of the plugin library to re-export"
#endif
#ifndef SHIM_VERSION
#define SHIM_VERSION "1.1.0"
#endif

static keel_plugin_descriptor shim;

#ifdef SHIM_COUNT_BRIDGE_SUBMITS
static keel_bridge_table table;
static const keel_host *last_host;
static void *(*original_create)(const keel_host *, const char *, keel_error *);
static keel_status (*original_submit)(void *, const keel_batch_record *, keel_error *);

static void *counting_create(const keel_host *host, const char *config_json, keel_error *error) {
    last_host = host;
    return original_create(host, config_json, error);
}

static keel_status counting_submit(void *instance, const keel_batch_record *record, keel_error *error) {
    keel_status status = original_submit(instance, record, error);
    if (status == KEEL_OK && last_host != NULL) last_host->counter_add(last_host->context, "shim_submits_total", 1);
    return status;
}
#endif

const keel_plugin_descriptor *keel_plugin_entry_v1(void) {
    if (shim.magic == 0) {
        void *target = dlopen(SHIM_TARGET, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (target == NULL) return NULL;
        keel_plugin_entry_fn entry = (keel_plugin_entry_fn)dlsym(target, KEEL_PLUGIN_ENTRY_SYMBOL);
        const keel_plugin_descriptor *original = entry != NULL ? entry() : NULL;
        if (original == NULL) return NULL;
        shim = *original;
        shim.version = SHIM_VERSION;
#ifdef SHIM_COUNT_BRIDGE_SUBMITS
        table = *(const keel_bridge_table *)original->table;
        original_submit = table.submit_batch;
        table.submit_batch = counting_submit;
        original_create = shim.create;
        shim.create = counting_create;
        shim.table = &table;
#endif
    }
    return &shim;
}
