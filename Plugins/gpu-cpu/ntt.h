#ifndef KEEL_GPU_CPU_NTT_H
#define KEEL_GPU_CPU_NTT_H
#include "keel_plugin.h"
int ntt_field_parameters(uint32_t field, uint64_t *modulus, uint64_t *generator, uint32_t *two_adicity);
void ntt_in_place(uint64_t *values, uint32_t log_n, uint64_t modulus, uint64_t generator, int inverse);
#endif
