/* A reader for the flat JSON object the kernel passes to `create`; see plugin_config.h. */
#include "plugin_config.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *skip_space(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

/* Parses a JSON string at `p` (on the opening quote) into out (NUL-terminated, UTF-8). Returns the
 * position after the closing quote, or NULL if malformed or longer than `capacity - 1` bytes. */
static const char *parse_string(const char *p, char *out, size_t capacity) {
    size_t used = 0;
    if (*p != '"') return NULL;
    p++;
    while (*p != '"') {
        unsigned codepoint;
        if (*p == '\0' || (unsigned char)*p < 0x20) return NULL;
        if (*p != '\\') {
            codepoint = (unsigned char)*p++;
            if (used + 1 >= capacity) return NULL;
            out[used++] = (char)codepoint;
            continue;
        }
        p++;
        switch (*p) {
        case '"': case '\\': case '/': codepoint = (unsigned char)*p; break;
        case 'b': codepoint = '\b'; break;
        case 'f': codepoint = '\f'; break;
        case 'n': codepoint = '\n'; break;
        case 'r': codepoint = '\r'; break;
        case 't': codepoint = '\t'; break;
        case 'u': {
            char digits[5] = {0};
            for (int i = 0; i < 4; i++) {
                if (!isxdigit((unsigned char)p[1 + i])) return NULL;
                digits[i] = p[1 + i];
            }
            codepoint = (unsigned)strtoul(digits, NULL, 16);
            p += 4;
            /* Surrogate pairs are not needed for paths and hex; refuse them rather than guess. */
            if (codepoint >= 0xD800 && codepoint <= 0xDFFF) return NULL;
            break;
        }
        default: return NULL;
        }
        p++;
        /* UTF-8 encode (escapes other than \u are ASCII). */
        char encoded[3];
        size_t n;
        if (codepoint < 0x80) { encoded[0] = (char)codepoint; n = 1; }
        else if (codepoint < 0x800) { encoded[0] = (char)(0xC0 | (codepoint >> 6)); encoded[1] = (char)(0x80 | (codepoint & 0x3F)); n = 2; }
        else { encoded[0] = (char)(0xE0 | (codepoint >> 12)); encoded[1] = (char)(0x80 | ((codepoint >> 6) & 0x3F)); encoded[2] = (char)(0x80 | (codepoint & 0x3F)); n = 3; }
        if (used + n >= capacity) return NULL;
        memcpy(out + used, encoded, n);
        used += n;
    }
    out[used] = '\0';
    return p + 1;
}

/* Skips one JSON value of any shape at `p`. Returns the position after it, or NULL if malformed. */
static const char *skip_value(const char *p, int depth) {
    p = skip_space(p);
    if (depth > 32) return NULL;
    if (*p == '"') {
        /* Strings inside nested values may be long: walk them without decoding. */
        for (p++; *p != '"'; p++) {
            if (*p == '\0') return NULL;
            if (*p == '\\' && *++p == '\0') return NULL;
        }
        return p + 1;
    }
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = skip_space(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (close == '}') {
                p = skip_value(p, depth + 1); /* the key */
                if (p == NULL) return NULL;
                p = skip_space(p);
                if (*p++ != ':') return NULL;
            }
            p = skip_value(p, depth + 1);
            if (p == NULL) return NULL;
            p = skip_space(p);
            if (*p == ',') { p++; continue; }
            if (*p == close) return p + 1;
            return NULL;
        }
    }
    if (strncmp(p, "true", 4) == 0) return p + 4;
    if (strncmp(p, "false", 5) == 0) return p + 5;
    if (strncmp(p, "null", 4) == 0) return p + 4;
    const char *start = p;
    if (*p == '-') p++;
    while (isdigit((unsigned char)*p) || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' || *p == '-') p++;
    return p > start ? p : NULL;
}

static int invalid_json(keel_error *error) {
    keel_error_set_config(error, "", "the config is not a valid JSON object of keys and values");
    return 0;
}

int plugin_config_parse(plugin_config *config, const char *json, keel_error *error) {
    memset(config, 0, sizeof *config);
    const char *p = skip_space(json != NULL ? json : "{}");
    if (*p++ != '{') return invalid_json(error);
    p = skip_space(p);
    if (*p == '}') return *skip_space(p + 1) == '\0' ? 1 : invalid_json(error);
    for (;;) {
        if (config->count == PLUGIN_CONFIG_MAX_ENTRIES) {
            keel_error_set_config(error, "", "the config has too many keys for this plugin's reader");
            return 0;
        }
        plugin_config_entry *entry = &config->entries[config->count];
        p = parse_string(skip_space(p), entry->key, sizeof entry->key);
        if (p == NULL) return invalid_json(error);
        p = skip_space(p);
        if (*p++ != ':') return invalid_json(error);
        p = skip_space(p);
        const char *start = p;
        if (*p == '"') {
            entry->kind = PLUGIN_CONFIG_STRING;
            p = parse_string(p, entry->value, sizeof entry->value);
            if (p == NULL) {
                char message[200];
                snprintf(message, sizeof message, "`%s` is not a valid string of at most %d bytes", entry->key,
                         PLUGIN_CONFIG_MAX_VALUE - 1);
                keel_error_set_config(error, entry->key, message);
                return 0;
            }
        } else {
            p = skip_value(p, 0);
            if (p == NULL) return invalid_json(error);
            size_t length = (size_t)(p - start);
            if (*start == '{' || *start == '[') entry->kind = PLUGIN_CONFIG_OTHER;
            else if (*start == 't' || *start == 'f') entry->kind = PLUGIN_CONFIG_BOOL;
            else if (*start == 'n') entry->kind = PLUGIN_CONFIG_NULL;
            else entry->kind = PLUGIN_CONFIG_NUMBER;
            if (entry->kind != PLUGIN_CONFIG_OTHER) {
                if (length >= sizeof entry->value) return invalid_json(error);
                memcpy(entry->value, start, length);
                entry->value[length] = '\0';
            }
        }
        config->count++;
        p = skip_space(p);
        if (*p == ',') { p++; continue; }
        if (*p == '}') return *skip_space(p + 1) == '\0' ? 1 : invalid_json(error);
        return invalid_json(error);
    }
}

static const plugin_config_entry *find(const plugin_config *config, const char *key) {
    for (int i = 0; i < config->count; i++)
        if (strcmp(config->entries[i].key, key) == 0) return &config->entries[i];
    return NULL;
}

int plugin_config_has(const plugin_config *config, const char *key) {
    const plugin_config_entry *entry = find(config, key);
    return entry != NULL && entry->kind != PLUGIN_CONFIG_NULL;
}

int plugin_config_allow(const plugin_config *config, const char *const allowed[], keel_error *error) {
    for (int i = 0; i < config->count; i++) {
        int known = 0;
        for (int j = 0; allowed[j] != NULL; j++) known |= strcmp(config->entries[i].key, allowed[j]) == 0;
        if (known) continue;
        char message[400];
        int used = snprintf(message, sizeof message, "unknown key `%s`; known keys:", config->entries[i].key);
        for (int j = 0; allowed[j] != NULL && used > 0 && (size_t)used < sizeof message; j++)
            used += snprintf(message + used, sizeof message - (size_t)used, "%s %s", j == 0 ? "" : ",", allowed[j]);
        if (allowed[0] == NULL) snprintf(message, sizeof message, "unknown key `%s`: this plugin takes no configuration", config->entries[i].key);
        keel_error_set_config(error, config->entries[i].key, message);
        return 0;
    }
    return 1;
}

int plugin_config_string(const plugin_config *config, const char *key, const char *fallback, char *out,
                         size_t capacity, keel_error *error) {
    const plugin_config_entry *entry = find(config, key);
    char message[200];
    const char *value = fallback;
    if (entry != NULL && entry->kind != PLUGIN_CONFIG_NULL) {
        if (entry->kind != PLUGIN_CONFIG_STRING && entry->kind != PLUGIN_CONFIG_NUMBER) {
            snprintf(message, sizeof message, "`%s` must be a string", key);
            keel_error_set_config(error, key, message);
            return 0;
        }
        value = entry->value;
    }
    if (value == NULL) {
        snprintf(message, sizeof message, "missing required key `%s` (a string)", key);
        keel_error_set_config(error, key, message);
        return 0;
    }
    if (strlen(value) >= capacity) {
        snprintf(message, sizeof message, "`%s` is longer than %zu bytes", key, capacity - 1);
        keel_error_set_config(error, key, message);
        return 0;
    }
    strcpy(out, value);
    return 1;
}

int plugin_config_uint64(const plugin_config *config, const char *key, uint64_t fallback, uint64_t *out,
                         keel_error *error) {
    const plugin_config_entry *entry = find(config, key);
    if (entry == NULL || entry->kind == PLUGIN_CONFIG_NULL) {
        *out = fallback;
        return 1;
    }
    const char *text = entry->value;
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if ((entry->kind != PLUGIN_CONFIG_NUMBER && entry->kind != PLUGIN_CONFIG_STRING) || !isdigit((unsigned char)text[0])
        || *end != '\0' || errno == ERANGE) {
        char message[300];
        snprintf(message, sizeof message, "`%s` must be a whole number from 0 to %llu", key, (unsigned long long)UINT64_MAX);
        keel_error_set_config(error, key, message);
        return 0;
    }
    *out = (uint64_t)value;
    return 1;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes up to `capacity` bytes; returns the number, or -1 if not hex of an even length that fits. */
static long hex_decode(const char *text, uint8_t *out, size_t capacity) {
    const char *p = skip_space(text);
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) p += 2;
    size_t digits = 0;
    while (hex_value(p[digits]) >= 0) digits++;
    if (*skip_space(p + digits) != '\0' || digits % 2 != 0 || digits / 2 > capacity) return -1;
    for (size_t i = 0; i < digits / 2; i++) out[i] = (uint8_t)(hex_value(p[2 * i]) << 4 | hex_value(p[2 * i + 1]));
    return (long)(digits / 2);
}

int hex_decode_exact(const char *text, uint8_t *out, size_t length) {
    uint8_t buffer[256];
    if (length > sizeof buffer) return 0;
    long decoded = hex_decode(text, buffer, sizeof buffer);
    if (decoded != (long)length) return 0;
    memcpy(out, buffer, length);
    return 1;
}

int plugin_config_secret_file(const plugin_config *config, const char *key, uint8_t out[64], size_t *length,
                              keel_error *error) {
    char path[PLUGIN_CONFIG_MAX_VALUE], message[PLUGIN_CONFIG_MAX_VALUE + 200];
    if (!plugin_config_string(config, key, NULL, path, sizeof path, error)) return 0;
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        snprintf(message, sizeof message, "cannot read the secret file %.300s: %s", path, strerror(errno));
        keel_error_set_config(error, key, message);
        return 0;
    }
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode) || (info.st_mode & 077) != 0) {
        fclose(file);
        snprintf(message, sizeof message, "the secret file %.300s must be a regular file that only its owner can read; "
                 "run: chmod 600 %.300s", path, path);
        keel_error_set_config(error, key, message);
        return 0;
    }
    char text[200] = {0};
    size_t read = fread(text, 1, sizeof text - 1, file);
    int more = fgetc(file) != EOF;
    fclose(file);
    long decoded = more ? -1 : hex_decode(text, out, 64);
    memset(text, 0, sizeof text);
    (void)read;
    if (decoded < 16) {
        snprintf(message, sizeof message,
                 "the secret file %.300s must hold 16 to 64 bytes as hex (32 to 128 hex digits, optional 0x); "
                 "make one with: openssl rand -hex 32 > %.300s", path, path);
        keel_error_set_config(error, key, message);
        return 0;
    }
    *length = (size_t)decoded;
    return 1;
}
