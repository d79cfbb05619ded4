/*
 * cosearch HLS layer library: SIMD dot products (header-only, written for cosearch).
 *
 * Binary layers (1-bit weights on 1-bit bipolar inputs) use XNOR-popcount as in FINN / BNN-PYNQ
 * (Umuroglu et al., "FINN: A Framework for Fast, Scalable Binarized Neural Network Inference", FPGA 2017):
 * with values v = 2*code-1, sum_s w_s*x_s = 2*popcount(XNOR(w, x)) - SIMD.
 * Other combinations use k-bit arithmetic on values: a 1-bit weight negates the input, a bipolar input
 * negates the weight, otherwise an integer multiply.
 */
#ifndef COSEARCH_HLS_ARITH_HPP
#define COSEARCH_HLS_ARITH_HPP

#include "cs_common.hpp"

namespace cosearch {

/* XNOR-popcount of a word of SIMD bipolar weight codes and SIMD bipolar input codes, as a signed dot product. */
template <int SIMD>
inline int dot_xnor(const ap_uint<SIMD> &w, const ap_uint<1> x[SIMD]) {
  COSEARCH_PRAGMA(HLS INLINE)
  int pop = 0;
  for (int s = 0; s < SIMD; s++) {
    COSEARCH_PRAGMA(HLS UNROLL)
    pop += (static_cast<int>(w[s]) == static_cast<int>(x[s])) ? 1 : 0;
  }
  return 2 * pop - SIMD;
}

/* Value of weight s of a packed word: the code of a 1-bit weight (see mul), the signed value of a k-bit one. */
template <int WB, int BITS>
inline int weight_at(const ap_uint<BITS> &w, int s) {
  COSEARCH_PRAGMA(HLS INLINE)
  const ap_uint<WB> code = elem<WB>(w, s);
  if (WB == 1) return static_cast<int>(code);
  return static_cast<int>(ap_int<WB>(code));
}

/* One product w*x on values (see the file comment for the encodings; wv is the stored weight: code or value). */
template <int WB, int IB, bool IBIP>
inline int mul(int wv, const ap_uint<IB> &x) {
  COSEARCH_PRAGMA(HLS INLINE)
  const int xv = static_cast<int>(x);
  if (WB == 1 && IBIP) return wv == xv ? 1 : -1;
  if (WB == 1) return wv != 0 ? xv : -xv;
  if (IBIP) return xv != 0 ? wv : -wv;
  return wv * xv;
}

/* Unpack one SIMD-wide input word into its IB-bit codes (wires in hardware; shared by all PEs). */
template <int SIMD, int IB>
inline void unpack(const ap_uint<SIMD * IB> &word, ap_uint<IB> x[SIMD]) {
  COSEARCH_PRAGMA(HLS INLINE)
  for (int k = 0; k < SIMD; k++) {
    COSEARCH_PRAGMA(HLS UNROLL)
    x[k] = elem<IB>(word, k);
  }
}

/* Dot product of a packed word of SIMD weights with SIMD input codes of IB bits. */
template <int SIMD, int WB, int IB, bool IBIP>
struct Dot {
  static int run(const ap_uint<SIMD * WB> &w, const ap_uint<IB> x[SIMD]) {
    COSEARCH_PRAGMA(HLS INLINE)
    int s = 0;
    for (int k = 0; k < SIMD; k++) {
      COSEARCH_PRAGMA(HLS UNROLL)
      s += mul<WB, IB, IBIP>(weight_at<WB>(w, k), x[k]);
    }
    return s;
  }
};

/* Binary weights on binary (bipolar) inputs: XNOR-popcount. */
template <int SIMD>
struct Dot<SIMD, 1, 1, true> {
  static int run(const ap_uint<SIMD> &w, const ap_uint<1> x[SIMD]) {
    COSEARCH_PRAGMA(HLS INLINE)
    return dot_xnor<SIMD>(w, x);
  }
};

/* Multi-threshold activation: the number of thresholds t with acc >= t (thresholds sorted). */
template <int NT, int ACC, int TB>
inline int threshold_count(const ap_int<ACC> &acc, const typename threshold_rom<TB>::type t[NT]) {
  COSEARCH_PRAGMA(HLS INLINE)
  int c = 0;
  for (int k = 0; k < NT; k++) {
    COSEARCH_PRAGMA(HLS UNROLL)
    c += (acc >= t[k]) ? 1 : 0;
  }
  return c;
}

}  // namespace cosearch

#endif
