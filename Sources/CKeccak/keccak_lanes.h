// The Keccak-f[1600] permutation on a vector type V whose elements are the same lane of several
// independent states (lane-sliced). Written as a macro so that each SIMD width is compiled inside a
// function carrying its own `target` attribute. Same round as KeelCore's KeccakF1600.swift.
#ifndef KEEL_KECCAK_LANES_H
#define KEEL_KECCAK_LANES_H

#include <stdint.h>

static const uint64_t keel_keccak_round_constants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define KEEL_ROL(v, n) (((v) << (n)) | ((v) >> (64 - (n))))

// Permutes the 25 vectors a[0..24] in place.
#define KEEL_KECCAK_PERMUTE(V, a)                                                                  \
    do {                                                                                           \
        V a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];  \
        V a8 = a[8], a9 = a[9], a10 = a[10], a11 = a[11], a12 = a[12], a13 = a[13], a14 = a[14];   \
        V a15 = a[15], a16 = a[16], a17 = a[17], a18 = a[18], a19 = a[19], a20 = a[20];           \
        V a21 = a[21], a22 = a[22], a23 = a[23], a24 = a[24];                                      \
        for (int round = 0; round < 24; round++) {                                                 \
            V c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20, c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;                      \
            V c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22, c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;                      \
            V c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;                                                      \
            V d0 = c4 ^ KEEL_ROL(c1, 1), d1 = c0 ^ KEEL_ROL(c2, 1), d2 = c1 ^ KEEL_ROL(c3, 1);     \
            V d3 = c2 ^ KEEL_ROL(c4, 1), d4 = c3 ^ KEEL_ROL(c0, 1);                                \
            V b0 = a0 ^ d0, t;                                                                     \
            t = a6 ^ d1; V b1 = KEEL_ROL(t, 44);                                                   \
            t = a12 ^ d2; V b2 = KEEL_ROL(t, 43);                                                  \
            t = a18 ^ d3; V b3 = KEEL_ROL(t, 21);                                                  \
            t = a24 ^ d4; V b4 = KEEL_ROL(t, 14);                                                  \
            t = a3 ^ d3; V b5 = KEEL_ROL(t, 28);                                                   \
            t = a9 ^ d4; V b6 = KEEL_ROL(t, 20);                                                   \
            t = a10 ^ d0; V b7 = KEEL_ROL(t, 3);                                                   \
            t = a16 ^ d1; V b8 = KEEL_ROL(t, 45);                                                  \
            t = a22 ^ d2; V b9 = KEEL_ROL(t, 61);                                                  \
            t = a1 ^ d1; V b10 = KEEL_ROL(t, 1);                                                   \
            t = a7 ^ d2; V b11 = KEEL_ROL(t, 6);                                                   \
            t = a13 ^ d3; V b12 = KEEL_ROL(t, 25);                                                 \
            t = a19 ^ d4; V b13 = KEEL_ROL(t, 8);                                                  \
            t = a20 ^ d0; V b14 = KEEL_ROL(t, 18);                                                 \
            t = a4 ^ d4; V b15 = KEEL_ROL(t, 27);                                                  \
            t = a5 ^ d0; V b16 = KEEL_ROL(t, 36);                                                  \
            t = a11 ^ d1; V b17 = KEEL_ROL(t, 10);                                                 \
            t = a17 ^ d2; V b18 = KEEL_ROL(t, 15);                                                 \
            t = a23 ^ d3; V b19 = KEEL_ROL(t, 56);                                                 \
            t = a2 ^ d2; V b20 = KEEL_ROL(t, 62);                                                  \
            t = a8 ^ d3; V b21 = KEEL_ROL(t, 55);                                                  \
            t = a14 ^ d4; V b22 = KEEL_ROL(t, 39);                                                 \
            t = a15 ^ d0; V b23 = KEEL_ROL(t, 41);                                                 \
            t = a21 ^ d1; V b24 = KEEL_ROL(t, 2);                                                  \
            a0 = b0 ^ (~b1 & b2); a1 = b1 ^ (~b2 & b3); a2 = b2 ^ (~b3 & b4);                      \
            a3 = b3 ^ (~b4 & b0); a4 = b4 ^ (~b0 & b1);                                            \
            a5 = b5 ^ (~b6 & b7); a6 = b6 ^ (~b7 & b8); a7 = b7 ^ (~b8 & b9);                      \
            a8 = b8 ^ (~b9 & b5); a9 = b9 ^ (~b5 & b6);                                            \
            a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14);          \
            a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11);                                    \
            a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19);          \
            a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16);                                    \
            a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24);          \
            a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21);                                    \
            a0 ^= keel_keccak_round_constants[round];                                              \
        }                                                                                          \
        a[0] = a0; a[1] = a1; a[2] = a2; a[3] = a3; a[4] = a4; a[5] = a5; a[6] = a6; a[7] = a7;    \
        a[8] = a8; a[9] = a9; a[10] = a10; a[11] = a11; a[12] = a12; a[13] = a13; a[14] = a14;     \
        a[15] = a15; a[16] = a16; a[17] = a17; a[18] = a18; a[19] = a19; a[20] = a20;             \
        a[21] = a21; a[22] = a22; a[23] = a23; a[24] = a24;                                        \
    } while (0)

#endif
