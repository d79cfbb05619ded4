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
 * Buffer: NR = K+1 input rows, each split into K column phases (column ix lives in phase ix mod K at address
 * floor(ix / K)); both dimensions are completely partitioned, so the K*K window pixels of any output position sit in
 * K*K distinct banks. Every iteration reads each bank exactly once (one read port) and writes at most one
 * (second port), so the loop pipelines at II=1. One flattened loop reads one input pixel and/or writes one
 * output word per iteration: a read happens when its row is free (row <= oy - P + K, the newest such row only LAG
 * iterations after the windows moved on from the row it overwrites), a write when the window's last pixel was
 * written into the buffer at least LAG iterations earlier (LAG later pixels read, or LAG iterations without a read).
 * Those distances make the DEPENDENCE ... inter false on the buffer true (as finn-hlslib declares on its
 * ConvolutionInputGenerator buffers): no iteration touches a bank entry that one of the LAG iterations before it
 * wrote, nor writes one that they read. All bank, phase, address and element positions are counters updated by +1 and compared with
 * constants: the loop has no division or remainder by a non-power of two (a divider per cycle in hardware).
 * Cycles per image: about outPixels*SF plus the initial fill of (K-1-P) rows + LAG, or IW per output row when a row
 * has fewer output words than input pixels; the MVAU that consumes the stream needs outPixels*NF*SF, so the SWG is
 * not the bottleneck when NF >= 2.
 */
#ifndef COSEARCH_HLS_SWG_HPP
#define COSEARCH_HLS_SWG_HPP

#include "cs_common.hpp"
#if defined(COSEARCH_COMPAT_AP_INT)
#include <stdexcept>
#endif

namespace cosearch {

/* Iterations between a pixel's write into the window buffer and the first read of it (see the file comment). */
static const int SWG_LAG = 3;

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
  const int LAG = SWG_LAG;
  const int MAX_ITER = TOTAL_OUT + TOTAL_IN + LAG;  // loop trip count bound (for the LOOP_TRIPCOUNT report)
  (void)MAX_ITER;
  // a word is M whole pixels (SIMD = M*C) or one chunk of E1 channels of one pixel (conv: CW = C/SIMD chunks per
  // pixel; depthwise: CW channel groups, each over its K*K positions)
  const int M = SIMD > C ? SIMD / C : 1;
  const int E1 = SIMD > C ? C : SIMD;
  const int CW = SIMD > C ? 1 : C / SIMD;
  // start values of the window counters at ox = 0 / oy = 0: (ox - P) mod K and floor((ox - P) / K), (oy - P) mod NR
  const int PHASE0 = P == 0 ? 0 : K - P;
  const int ADDR0 = P == 0 ? 0 : -1;
  const int SLOT0 = P == 0 ? 0 : NR - P;
  const int LAST0 = K - 1 - P;  // last row / column of the first window
  const int NEEDROW0 = (LAST0 < IH - 1 ? LAST0 : IH - 1) * IW;

  ap_uint<C * B> buf[NR][K][COLS];
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=buf complete dim=1)
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=buf complete dim=2)
  COSEARCH_PRAGMA(HLS DEPENDENCE variable=buf inter false)
  ap_uint<C * B> win[K * K];
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=win complete dim=0)
#if defined(COSEARCH_COMPAT_AP_INT)
  // C simulation checks the distances behind DEPENDENCE inter false: iteration of each entry's last write / used read
  static long wstamp[NR][K][COLS], rstamp[NR][K][COLS];
  for (int r = 0; r < NR; r++)
    for (int c = 0; c < K; c++)
      for (int a = 0; a < COLS; a++) wstamp[r][c][a] = rstamp[r][c][a] = -LAG;
  long iter = 0;
#endif

  // read side: pixels read, next pixel's row, its buffer slot (row mod NR), phase (column mod K), address, column
  int rd = 0, ry = 0, rslot = 0, rphase = 0, raddr = 0, rx = 0;
  int idle = LAG;      // iterations since the last read (saturating at LAG)
  int sinceRow = LAG;  // iterations since the window moved to the next output row (saturating at LAG)
  // write side: next output word (oy, ox, sf); window position counters
  int wr = 0, ox = 0, sf = 0;
  int slot = SLOT0;      // (oy - P) mod NR: buffer slot of the window's first row
  int lastRow = LAST0;   // oy - P + K - 1
  int needRow = NEEDROW0;  // min(lastRow, IH - 1) * IW
  int phase = PHASE0;    // (ox - P) mod K
  int addr = ADDR0;      // floor((ox - P) / K)
  int lastCol = LAST0;   // ox - P + K - 1
  int posW = 0, cw = 0;  // window position (pixel) and channel chunk of word sf

  while (wr < TOTAL_OUT) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    COSEARCH_PRAGMA(HLS LOOP_TRIPCOUNT min=TOTAL_OUT max=MAX_ITER)
    // ---- write side (uses pixels read at least LAG iterations earlier) ----
    const int need = needRow + (lastCol < IW - 1 ? lastCol : IW - 1);  // index of the window's last input pixel
    const bool canWrite = rd > need && (rd >= need + LAG || idle >= LAG);
    if (canWrite) {
      for (int r = 0; r < NR; r++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        const int ky = r >= slot ? r - slot : r - slot + NR;
        const int iy = lastRow - (K - 1) + ky;
        for (int c = 0; c < K; c++) {
          COSEARCH_PRAGMA(HLS UNROLL)
          const int kx = c >= phase ? c - phase : c - phase + K;
          const int ix = lastCol - (K - 1) + kx;
          const int a = c < phase ? addr + 1 : addr;
          const bool inside = ky < K && iy >= 0 && iy < IH && ix >= 0 && ix < IW;
          const ap_uint<C * B> v = buf[r][c][inside ? a : 0];
#if defined(COSEARCH_COMPAT_AP_INT)
          if (inside) {
            if (iter - wstamp[r][c][a] < LAG) throw std::logic_error("cosearch::swg: window read within LAG iterations of the write");
            rstamp[r][c][a] = iter;
          }
#endif
          if (ky < K) win[ky * K + kx] = inside ? v : ap_uint<C * B>(0);
        }
      }
      ap_uint<SIMD * B> word = 0;
      for (int q = 0; q < M; q++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        for (int e = 0; e < E1; e++) {
          COSEARCH_PRAGMA(HLS UNROLL)
          // conv: pixel posW + q of the (ky, kx) window, channels chunk cw; depthwise: position posW, group cw
          const int o = (q * E1 + e) * B;
          word.range(o + B - 1, o) = elem<B>(win[posW + q], cw * E1 + e);
        }
      }
      out.write(word);
      wr++;
      if (DW) {
        if (++posW == K * K) {
          posW = 0;
          cw++;
        }
      } else if (M > 1) {
        posW += M;
      } else if (++cw == CW) {
        cw = 0;
        posW++;
      }
      if (++sf == SF) {
        sf = 0;
        posW = 0;
        cw = 0;
        if (++ox == OW) {
          ox = 0;
          phase = PHASE0;
          addr = ADDR0;
          lastCol = LAST0;
          if (lastRow < IH - 1) needRow += IW;
          lastRow++;
          sinceRow = 0;
          if (++slot == NR) slot = 0;
        } else {
          lastCol++;
          if (++phase == K) {
            phase = 0;
            addr++;
          }
        }
      }
    }
    // ---- read side ----
    // the row it overwrites (ry - NR) is no longer needed, and was last read at least LAG iterations ago (the newest
    // free row, lastRow + 1, overwrites the first row of the previous output row's windows)
    const bool rowFree = ry < lastRow + 1 || (ry == lastRow + 1 && sinceRow >= LAG);
    if (sinceRow < LAG) sinceRow++;
    if (rd < TOTAL_IN && rowFree) {
#if defined(COSEARCH_COMPAT_AP_INT)
      if (iter - rstamp[rslot][rphase][raddr] < LAG) throw std::logic_error("cosearch::swg: buffer write within LAG iterations of a read");
      wstamp[rslot][rphase][raddr] = iter;
#endif
      buf[rslot][rphase][raddr] = in.read();
      rd++;
      idle = 0;
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
    } else if (idle < LAG) {
      idle++;
    }
#if defined(COSEARCH_COMPAT_AP_INT)
    iter++;
#endif
  }
}

}  // namespace cosearch

#endif
