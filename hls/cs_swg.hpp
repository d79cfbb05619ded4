/*
 * cosearch HLS layer library: sliding-window generator (SWG) for stride-1 convolutions with zero padding,
 * header-only, written for cosearch (the role of FINN's ConvolutionInputGenerator, own implementation).
 *
 * Input: one pixel (C codes of B bits) per word, raster order. Output: for every output pixel (oy, ox) the
 * K*K*C window elements in (ky, kx, c) order, i.e. the column order of the conv weight matrix, packed SIMD per
 * word (SF = K*K*C/SIMD words per output pixel). Padding positions carry code 0 (bipolar: -1), the convention
 * of the design IR. SIMD either divides C or is C*m with m | K*K (src/layers/conv legalSimd), so every
 * output word is part of one pixel or a run of whole pixels. With DW (depthwise convolution, src/layers/depthwise)
 * the words are SIMD = PE channels and the order is (channel group, ky, kx): for every output pixel the C/SIMD
 * channel groups each get their K*K positions in turn, the order the VVAU (cs_mvau.hpp vvau_*) consumes.
 *
 * Buffer: NR = K+1 input rows, each split into K column phases (column ix lives in phase ix % K at address
 * ix / K); both dimensions are completely partitioned, so the K*K window pixels of any output position sit in
 * K*K distinct banks. Every iteration reads each bank exactly once (one read port) and writes at most one
 * (second port), so the loop pipelines at II=1. One flattened loop reads one input pixel and/or writes one
 * output word per iteration: a read happens when its row is free (row < oy - P + K + 1), a write when the
 * window's last pixel has been read. Cycles per image: about outPixels*SF plus the initial fill of
 * (K-1-P) rows, or IW per output row when a row has fewer output words than input pixels; the MVAU that
 * consumes the stream needs outPixels*NF*SF, so the SWG is not the bottleneck when NF >= 2.
 */
#ifndef COSEARCH_HLS_SWG_HPP
#define COSEARCH_HLS_SWG_HPP

#include "cs_common.hpp"

namespace cosearch {

template <int K, int P, int IH, int IW, int C, int B, int SIMD, bool DW = false>
void swg(hls::stream<ap_uint<C * B> > &in, hls::stream<ap_uint<SIMD * B> > &out) {
  static_assert(P < K, "padding must be smaller than the kernel");
  static_assert((C % SIMD == 0) || (!DW && SIMD % C == 0 && (K * K) % (SIMD / C) == 0),
                "SIMD must divide C, or be C*m with m dividing K*K");
  COSEARCH_PRAGMA(HLS INLINE off)
  const int OH = IH + 2 * P - K + 1;
  const int OW = IW + 2 * P - K + 1;
  const int NR = K + 1;
  const int COLS = (IW + K - 1) / K;
  const int SF = (K * K * C) / SIMD;
  const int TOTAL_IN = IH * IW;
  const int TOTAL_OUT = OH * OW * SF;
  const int MAX_ITER = TOTAL_OUT + TOTAL_IN;  // loop trip count bound (for the LOOP_TRIPCOUNT report)
  (void)MAX_ITER;

  ap_uint<C * B> buf[NR][K][COLS];
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=buf complete dim=1)
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=buf complete dim=2)
  ap_uint<C * B> win[K][K];
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=win complete dim=0)

  // read side: next input pixel (ry, rx), its bank row/phase/address
  int rd = 0, ry = 0, rslot = 0, rx = 0, rphase = 0, raddr = 0;
  // write side: next output word (oy, ox, sf)
  int wr = 0, oy = 0, ox = 0, sf = 0;

  while (wr < TOTAL_OUT) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    COSEARCH_PRAGMA(HLS LOOP_TRIPCOUNT min=TOTAL_OUT max=MAX_ITER)
    // ---- write side (uses pixels read in earlier iterations) ----
    const int needRow = (oy - P + K - 1) < (IH - 1) ? (oy - P + K - 1) : (IH - 1);
    const int lastCol = ox - P + K - 1;
    const int needCol = lastCol < (IW - 1) ? lastCol : (IW - 1);
    const bool canWrite = rd > needRow * IW + needCol;
    if (canWrite) {
      const int rowBase = oy - P;
      const int colBase = ox - P;
      for (int r = 0; r < NR; r++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        const int ky = ((r - rowBase) % NR + NR) % NR;
        for (int c = 0; c < K; c++) {
          COSEARCH_PRAGMA(HLS UNROLL)
          const int kx = ((c - colBase) % K + K) % K;
          const int iy = rowBase + ky;
          const int ix = colBase + kx;
          const bool inside = ky < K && iy >= 0 && iy < IH && ix >= 0 && ix < IW;
          const ap_uint<C * B> v = buf[r][c][inside ? ix / K : 0];
          if (ky < K) win[ky][kx] = inside ? v : ap_uint<C * B>(0);
        }
      }
      ap_uint<SIMD * B> word = 0;
      for (int e = 0; e < SIMD; e++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        // conv: element f of the (ky, kx, c) window; depthwise: channel group sf / (K*K) at position sf % (K*K)
        const int f = sf * SIMD + e;
        const int pos = DW ? sf % (K * K) : f / C;
        const int ch = DW ? (sf / (K * K)) * SIMD + e : f % C;
        word.range(e * B + B - 1, e * B) = elem<B>(win[pos / K][pos % K], ch);
      }
      out.write(word);
      wr++;
      if (++sf == SF) {
        sf = 0;
        if (++ox == OW) {
          ox = 0;
          oy++;
        }
      }
    }
    // ---- read side ----
    const bool rowFree = ry <= oy - P + K;  // the row it overwrites (ry - NR) is no longer needed
    if (rd < TOTAL_IN && rowFree) {
      buf[rslot][rphase][raddr] = in.read();
      rd++;
      if (++rphase == K) {
        rphase = 0;
        raddr++;
      }
      if (++rx == IW) {
        rx = 0;
        rphase = 0;
        raddr = 0;
        ry++;
        if (++rslot == NR) rslot = 0;
      }
    }
  }
}

}  // namespace cosearch

#endif
