#ifndef KEEL_GPU_CPU_KECCAK_H
#define KEEL_GPU_CPU_KECCAK_H
#include <stddef.h>
#include <stdint.h>
void keccak256(const uint8_t *input, size_t length, uint8_t out[32]);
#endif
