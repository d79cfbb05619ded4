/*
 * cosearch HLS layer library: K x K max-pool with stride K (floor on odd sizes), header-only, written for
 * cosearch. Input and output words carry PE channels of B-bit codes; max of codes (bipolar: 1 > 0, which is
 * +1 > -1, so the max commutes with the encoding, see src/core/intmodel.ts).
 * One flattened loop over IH*IW*C/PE input words with PIPELINE II=1 (the cycle model's inPixels*C/PE). No memory is
 * read and written back by consecutive iterations (that read-modify-write schedules at II=2):
 *  - the running maximum over kx of the current window row lives in a delay line of CF = C/PE words (a shift
 *    register, SRL in hardware): its last word is the same channel group's maximum CF iterations earlier (kx - 1);
 *  - the row buffer (OW*CF words) holds the maximum over the window's earlier rows; entry ox*CF + cf is read and
 *    written once per input row, at kx = K-1, so consecutive accesses of an entry are exactly IW*CF iterations
 *    apart: the DEPENDENCE distance declared on it.
 */
#ifndef COSEARCH_HLS_POOL_HPP
#define COSEARCH_HLS_POOL_HPP

#include "cs_common.hpp"
#if defined(COSEARCH_COMPAT_AP_INT)
#include <stdexcept>
#endif

namespace cosearch {

/* max of each B-bit lane of two PE-lane words */
template <int PE, int B>
inline ap_uint<PE * B> lane_max(const ap_uint<PE * B> &a, const ap_uint<PE * B> &b) {
  COSEARCH_PRAGMA(HLS INLINE)
  ap_uint<PE * B> m = 0;
  for (int p = 0; p < PE; p++) {
    COSEARCH_PRAGMA(HLS UNROLL)
    const ap_uint<B> x = elem<B>(a, p);
    const ap_uint<B> y = elem<B>(b, p);
    m.range(p * B + B - 1, p * B) = x > y ? x : y;
  }
  return m;
}

template <int K, int IH, int IW, int C, int B, int PE>
void maxpool(hls::stream<ap_uint<PE * B> > &in, hls::stream<ap_uint<PE * B> > &out) {
  static_assert(C % PE == 0, "PE must divide the channels");
  COSEARCH_PRAGMA(HLS INLINE off)
  const int OH = IH / K;
  const int OW = IW / K;
  const int CF = C / PE;
  const int ROW_DIST = IW * CF;  // iterations between two accesses of one row-buffer entry
  (void)ROW_DIST;
  ap_uint<PE * B> rowbuf[OW * CF];
  COSEARCH_PRAGMA(HLS DEPENDENCE variable=rowbuf inter RAW distance=ROW_DIST true)
  ap_uint<PE * B> line[CF];
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=line complete dim=1)
  int iy = 0, ix = 0, cf = 0, ky = 0, kx = 0, ridx = 0;
#if defined(COSEARCH_COMPAT_AP_INT)
  // C simulation checks the declared distance: iteration of each row-buffer entry's last write
  static long stamp[OW * CF > 0 ? OW * CF : 1];
  for (int j = 0; j < OW * CF; j++) stamp[j] = -ROW_DIST;
#endif
  for (int i = 0; i < IH * IW * CF; i++) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    const ap_uint<PE * B> x = in.read();
    if (iy < OH * K && ix < OW * K) {
      // running max over kx (line[CF-1]: this channel group at kx - 1), then shift the delay line
      const ap_uint<PE * B> m = kx == 0 ? x : lane_max<PE, B>(x, line[CF - 1]);
      for (int j = CF - 1; j > 0; j--) {
        COSEARCH_PRAGMA(HLS UNROLL)
        line[j] = line[j - 1];
      }
      line[0] = m;
      if (kx == K - 1) {
#if defined(COSEARCH_COMPAT_AP_INT)
        if (ky > 0 && i - stamp[ridx] < ROW_DIST) throw std::logic_error("cosearch::maxpool: row buffer read closer than the declared distance");
        if (ky < K - 1) stamp[ridx] = i;
#endif
        const ap_uint<PE * B> r = ky == 0 ? m : lane_max<PE, B>(m, rowbuf[ridx]);
        if (ky == K - 1) out.write(r);
        else rowbuf[ridx] = r;
        ridx++;
      }
    }
    // advance (cf fastest, then ix, then iy) and the window counters
    if (++cf == CF) {
      cf = 0;
      if (ix < OW * K && ++kx == K) kx = 0;
      if (++ix == IW) {
        ix = 0;
        kx = 0;
        ridx = 0;
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
