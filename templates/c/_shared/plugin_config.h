/*
 * Reading the plugin's `config` object, which the kernel passes to `create` as JSON text.
 *
 * The kernel always passes a JSON object (`{}` when the manifest gives no config). This reader
 * takes its top-level members: strings, whole numbers, booleans and null. A nested object or list
 * is kept as "other" so that it can be refused with a clear message; if your plugin needs nested
 * values, use a real JSON library instead.
 *
 * Every function reports a bad value through `keel_error_set_config`, with the config path, so the
 * kernel can point at the manifest's line.
 */
#ifndef KEEL_TEMPLATE_PLUGIN_CONFIG_H
#define KEEL_TEMPLATE_PLUGIN_CONFIG_H
#include "keel_plugin.h"

#define PLUGIN_CONFIG_MAX_ENTRIES 32
#define PLUGIN_CONFIG_MAX_KEY 64
#define PLUGIN_CONFIG_MAX_VALUE 1024

typedef enum plugin_config_kind {
    PLUGIN_CONFIG_STRING,
    PLUGIN_CONFIG_NUMBER,
    PLUGIN_CONFIG_BOOL,
    PLUGIN_CONFIG_NULL,
    PLUGIN_CONFIG_OTHER /* an object or a list */
} plugin_config_kind;

typedef struct plugin_config_entry {
    char key[PLUGIN_CONFIG_MAX_KEY];
    plugin_config_kind kind;
    char value[PLUGIN_CONFIG_MAX_VALUE]; /* the decoded string, or the number's or boolean's text */
} plugin_config_entry;

typedef struct plugin_config {
    plugin_config_entry entries[PLUGIN_CONFIG_MAX_ENTRIES];
    int count;
} plugin_config;

/** Parses `json`; returns 1, or 0 after filling `error`. */
int plugin_config_parse(plugin_config *config, const char *json, keel_error *error);

/** Refuses any key not in `allowed` (a NULL-terminated list), naming it; returns 1, or 0 after filling `error`. */
int plugin_config_allow(const plugin_config *config, const char *const allowed[], keel_error *error);

/**
 * Copies the string `key` into `out`, or `fallback` when the key is absent or null.
 * A NULL `fallback` makes the key required. Returns 1, or 0 after filling `error`.
 */
int plugin_config_string(const plugin_config *config, const char *key, const char *fallback, char *out,
                         size_t capacity, keel_error *error);

/** Reads the whole number `key` (a JSON number or a decimal string), or `fallback` when absent. Returns 1 or 0. */
int plugin_config_uint64(const plugin_config *config, const char *key, uint64_t fallback, uint64_t *out,
                         keel_error *error);

/** Whether `key` is present and not null. */
int plugin_config_has(const plugin_config *config, const char *key);

/**
 * Decodes hex text (optional 0x, surrounding whitespace ignored) into exactly `length` bytes.
 * Returns 1, or 0 if it is not `2 * length` hex digits.
 */
int hex_decode_exact(const char *text, uint8_t *out, size_t length);

/**
 * Reads a secret from the file named by the string `key`: hex text of 16 to 64 bytes (optional 0x), in a
 * regular file only its owner may read (mode 0600 or stricter).
 * Writes the bytes to `out` (capacity 64) and their number to `*length`. Returns 1, or 0 after
 * filling `error`. Never logs or echoes the secret.
 */
int plugin_config_secret_file(const plugin_config *config, const char *key, uint8_t out[64], size_t *length,
                              keel_error *error);

#endif
