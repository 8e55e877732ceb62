/* The cpu GPU backend: the reference every other gpu plugin is compared against. */
#ifndef KEEL_GPU_CPU_H
#define KEEL_GPU_CPU_H
#include "keel_plugin.h"
const keel_plugin_descriptor *keel_plugin_entry_v1(void);
#endif
