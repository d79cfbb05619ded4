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

namespace cosearch {

/* Storage type of one weight: a bipolar code for 1 bit, a signed value otherwise. */
template <int WB>
struct weight_type {
  typedef ap_int<WB> type;
};
template <>
struct weight_type<1> {
  typedef ap_uint<1> type;
};

/*
 * Element types of the constant weight / threshold ROMs in the generated params.hpp. With the vendor headers
 * (Vitis csim, synthesis) they are exactly W-bit ap types, so the ROMs are as narrow as the weights. With the
 * csim-only compat headers they are built-in integers holding the same values: g++ evaluates a constexpr
 * constructor per constant class-type element (about 10 KB of compiler memory and 0.2 ms each, measured with
 * g++ 12), so a network with 200k weights would need gigabytes to compile.
 */
#if defined(COSEARCH_COMPAT_AP_INT)
template <int WB>
struct weight_rom {
  typedef signed char type;
};
template <int TB>
struct threshold_rom {
  typedef long long type;
};
#else
template <int WB>
struct weight_rom {
  typedef typename weight_type<WB>::type type;
};
template <int TB>
struct threshold_rom {
  typedef ap_int<TB> type;
};
#endif

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
