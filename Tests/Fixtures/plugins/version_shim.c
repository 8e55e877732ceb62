/*
 * A plugin library that is another build of an existing one under a new version number, for the
 * upgrade tests: it opens SHIM_TARGET (a plugin library's path) and exports that library's
 * descriptor with the version SHIM_VERSION. The kernel then sees two versions of one plugin, as
 * after an operator installs a new release beside the old one.
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

const keel_plugin_descriptor *keel_plugin_entry_v1(void) {
    if (shim.magic == 0) {
        void *target = dlopen(SHIM_TARGET, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (target == NULL) return NULL;
        keel_plugin_entry_fn entry = (keel_plugin_entry_fn)dlsym(target, KEEL_PLUGIN_ENTRY_SYMBOL);
        const keel_plugin_descriptor *original = entry != NULL ? entry() : NULL;
        if (original == NULL) return NULL;
        shim = *original;
        shim.version = SHIM_VERSION;
    }
    return &shim;
}
