/*
 * cosearch HLS layer library: C-simulation taps (header-only, written for cosearch).
 * With COSEARCH_TAPS defined (the g++ csim build of a generated project), the top function passes every
 * layer's output stream through tap<>(), which records the elements so the testbench can compare each layer
 * with the integer reference and name the first layer that differs. Without COSEARCH_TAPS (Vitis synthesis,
 * the vendor csim/cosim) taps are not instantiated and only the logits are checked.
 */
#ifndef COSEARCH_HLS_TAP_HPP
#define COSEARCH_HLS_TAP_HPP

#include "cs_common.hpp"

#ifdef COSEARCH_TAPS
#ifdef __SYNTHESIS__
#error "COSEARCH_TAPS is for C simulation only"
#endif
#include <vector>

namespace cosearch {

/* Recorded elements of every tapped layer, indexed by layer. */
inline std::vector<std::vector<long long> > &taps() {
  static std::vector<std::vector<long long> > t;
  return t;
}

inline void taps_clear(int layers) {
  taps().assign(layers, std::vector<long long>());
}

/* Pass WORDS words of E elements (B bits, signed when SIGNED) from in to out, recording the elements. */
template <int E, int B, bool SIGNED, int WORDS>
void tap(int layer, hls::stream<ap_uint<E * B> > &in, hls::stream<ap_uint<E * B> > &out) {
  std::vector<long long> &rec = taps()[layer];
  for (int i = 0; i < WORDS; i++) {
    const ap_uint<E * B> x = in.read();
    for (int e = 0; e < E; e++) {
      const ap_uint<B> u = elem<B>(x, e);
      rec.push_back(SIGNED ? static_cast<long long>(ap_int<B>(u)) : static_cast<long long>(u));
    }
    out.write(x);
  }
}

}  // namespace cosearch
#endif

#endif
