/*
 * cosearch HLS layer library: common definitions (header-only, written for cosearch).
 *
 * Conventions shared with the design IR (src/core/design.ts) and the integer reference (src/ml/intref.ts):
 * - streams carry HWC tensors in raster order, channels interleaved; a word packs E elements of B bits,
 *   element e in bits [e*B+B-1 : e*B];
 * - activation codes are unsigned; a 1-bit code is bipolar (value 2*code-1);
 * - weights: 1-bit weights are stored as codes (value 2*code-1), k-bit weights as signed values.
 *
 * Pragmas are written with COSEARCH_PRAGMA(...), which expands to _Pragma("...") for Vitis HLS (documented
 * use of _Pragma in macros, UG1399 "Using Constants with Pragmas") and to nothing when the csim-only
 * compatibility headers (hls/compat) are in use, so plain g++ -Wall sees no unknown pragmas.
 */
#ifndef COSEARCH_HLS_COMMON_HPP
#define COSEARCH_HLS_COMMON_HPP

#include <ap_int.h>
#include <hls_stream.h>

#define COSEARCH_PRAGMA_STR(x) _Pragma(#x)
#if defined(COSEARCH_COMPAT_AP_INT)
#define COSEARCH_PRAGMA(x)
#else
#define COSEARCH_PRAGMA(x) COSEARCH_PRAGMA_STR(x)
#endif

/*
 * FIFO of a stream between two stages: depth_ words (sized from the cycle model, src/core/cost/stream.ts
 * streamFifoDepth) in impl_ = srl or bram (the cost model's choice). Vitis's default depth is 2.
 */
#define COSEARCH_FIFO(var_, depth_, impl_)                    \
  COSEARCH_PRAGMA(HLS STREAM variable=var_ depth=depth_)      \
  COSEARCH_PRAGMA(HLS BIND_STORAGE variable=var_ type=fifo impl=impl_)

namespace cosearch {

/*
 * Parameter memories (the layout of the cost model, src/core/cost/mvau.ts, and of finn-hlslib): PE p of a layer owns
 * one weight memory of NF*SF words of SIMD*WB bits (word nf*SF + sf packs the SIMD weights of that fold, weight s in
 * bits [s*WB+WB-1 : s*WB], 1-bit weights as codes, k-bit ones in two's complement) and one threshold memory of NF
 * words of NT thresholds. In C++ a weight memory is the array [PE][NF*SF][LIMBS] of LB-bit limbs (rom_pack below:
 * one limb up to 64 bits, equal limbs of at most 64 bits above, limb l = word bits [l*LB+LB-1 : l*LB]); the
 * generated top function partitions dim 1 (PE memories), reshapes dim 3 (a word is one memory entry) and binds the
 * storage (COSEARCH_WEIGHT_ROM in cs_mvau.hpp). Every initialiser is therefore a plain integer literal.
 *
 * Element types: exactly LB / TB-bit ap types for synthesis (__SYNTHESIS__, or COSEARCH_EXACT_ROMS to check that path
 * in csim), the smallest built-in integers holding the same values otherwise: a constant array of class-type
 * elements is initialised element by element at run time and costs g++ about 10 KB of memory and 0.2 ms per element
 * (measured with g++ 12 and the vendor headers, whose ap_uint has no constexpr constructor), while built-in elements
 * are static data. The values, and so the results, are the same either way.
 */
template <int BITS>
struct rom_pack {
  static_assert(BITS >= 1, "empty word");
  static const int LIMBS = (BITS + 63) / 64;
  /* limb width; LIMBS*LB - BITS < LIMBS padding bits when 64 < BITS and LIMBS does not divide BITS */
  static const int LB = (BITS + LIMBS - 1) / LIMBS;
};

template <bool C, typename A, typename B>
struct pick_type {
  typedef A type;
};
template <typename A, typename B>
struct pick_type<false, A, B> {
  typedef B type;
};

#if defined(__SYNTHESIS__) || defined(COSEARCH_EXACT_ROMS)
template <int LB>
struct rom_limb {
  typedef ap_uint<LB> type;
};
template <int TB>
struct threshold_rom {
  typedef ap_int<TB> type;
};
#else
template <int LB>
struct rom_limb {
  typedef typename pick_type<(LB <= 8), unsigned char,
          typename pick_type<(LB <= 16), unsigned short,
          typename pick_type<(LB <= 32), unsigned int, unsigned long long>::type>::type>::type type;
};
template <int TB>
struct threshold_rom {
  typedef typename pick_type<(TB <= 16), short, typename pick_type<(TB <= 32), int, long long>::type>::type type;
};
#endif

/* One packed SIMD*WB-bit weight word from its limbs (wires in hardware: the reshaped memory reads all limbs at once). */
template <int BITS>
inline ap_uint<BITS> rom_word(const typename rom_limb<rom_pack<BITS>::LB>::type limbs[rom_pack<BITS>::LIMBS]) {
  COSEARCH_PRAGMA(HLS INLINE)
  const int L = rom_pack<BITS>::LIMBS;
  const int LB = rom_pack<BITS>::LB;
  ap_uint<L * LB> w = 0;
  for (int l = 0; l < L; l++) {
    COSEARCH_PRAGMA(HLS UNROLL)
    w.range(l * LB + LB - 1, l * LB) = limbs[l];
  }
  return ap_uint<BITS>(w);
}

/* Element e (B bits) of a packed word. */
template <int B, int W>
inline ap_uint<B> elem(const ap_uint<W> &word, int e) {
  COSEARCH_PRAGMA(HLS INLINE)
  return word.range(e * B + B - 1, e * B);
}

/* Compile-time helpers. */
template <int A, int B>
struct cmax {
  static const int value = A > B ? A : B;
};

}  // namespace cosearch

#endif
