/*
 * cosearch HLS layer library: K x K max-pool with stride K (floor on odd sizes), header-only, written for
 * cosearch. Input and output words carry PE channels of B-bit codes; max of codes (bipolar: 1 > 0, which is
 * +1 > -1, so the max commutes with the encoding, see src/core/intmodel.ts).
 * One flattened loop over IH*IW*C/PE input words with PIPELINE II=1 (the cycle model's inPixels*C/PE);
 * a row buffer holds the running maxima of one output row.
 */
#ifndef COSEARCH_HLS_POOL_HPP
#define COSEARCH_HLS_POOL_HPP

#include "cs_common.hpp"

namespace cosearch {

template <int K, int IH, int IW, int C, int B, int PE>
void maxpool(hls::stream<ap_uint<PE * B> > &in, hls::stream<ap_uint<PE * B> > &out) {
  static_assert(C % PE == 0, "PE must divide the channels");
  COSEARCH_PRAGMA(HLS INLINE off)
  const int OH = IH / K;
  const int OW = IW / K;
  const int CF = C / PE;
  ap_uint<PE * B> rowbuf[OW * CF];
  int iy = 0, ix = 0, cf = 0, ky = 0, kx = 0, ox = 0;
  for (int i = 0; i < IH * IW * CF; i++) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    const ap_uint<PE * B> x = in.read();
    if (iy < OH * K && ix < OW * K) {
      const int idx = ox * CF + cf;
      const bool first = ky == 0 && kx == 0;
      const ap_uint<PE * B> prev = rowbuf[idx];
      ap_uint<PE * B> m = 0;
      for (int p = 0; p < PE; p++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        const ap_uint<B> a = elem<B>(x, p);
        const ap_uint<B> b = elem<B>(prev, p);
        m.range(p * B + B - 1, p * B) = (first || a > b) ? a : b;
      }
      if (ky == K - 1 && kx == K - 1) out.write(m);
      else rowbuf[idx] = m;
    }
    // advance (cf fastest, then ix, then iy) and the window counters
    if (++cf == CF) {
      cf = 0;
      if (ix < OW * K) {
        if (++kx == K) {
          kx = 0;
          ox++;
        }
      }
      if (++ix == IW) {
        ix = 0;
        kx = 0;
        ox = 0;
        if (++ky == K) ky = 0;
        if (++iy == IH) {
          iy = 0;
          ky = 0;
        }
      }
    }
  }
}

}  // namespace cosearch

#endif
