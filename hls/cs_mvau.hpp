/*
 * cosearch HLS layer library: matrix-vector-activation unit (MVAU), header-only, written for cosearch.
 *
 * Folding as in FINN's MVAU (Umuroglu et al. FPGA 2017; Blott et al., "FINN-R", TRETS 2018): an MH x MW matrix
 * is computed by PE processing elements, each taking SIMD inputs per cycle, so one input vector takes
 * NF = MH/PE neuron folds of SF = MW/SIMD synapse folds. One flattened loop over REPS*NF*SF iterations with
 * PIPELINE II=1 gives exactly REPS*NF*SF cycles per image (REPS = output pixels), the cycle model of
 * src/core and src/emit/context.ts. The SF input words of one vector are read from the stream during the
 * first neuron fold and replayed from a local buffer for the other NF-1 folds.
 *
 * Weight memory (same layout as src/emit/context.ts foldedWeight): weights[p][nf*SF + sf][s] is
 * W[nf*PE + p][sf*SIMD + s]; partitioned completely by PE (dim 1) and SIMD (dim 3) so every cycle reads
 * PE*SIMD weights in parallel. Thresholds[p][nf][t] partitioned by PE (dim 1) and threshold index (dim 3).
 */
#ifndef COSEARCH_HLS_MVAU_HPP
#define COSEARCH_HLS_MVAU_HPP

#include "cs_arith.hpp"

namespace cosearch {

/*
 * MVAU with multi-threshold activation: outputs PE codes of OB bits per word (code = #thresholds <= acc).
 * IB/IBIP: input code bits and whether they are bipolar; ACC: signed accumulator bits (enough for the
 * worst-case sum, src/core/design.ts accumulatorBits); NT = 2^OB - 1 thresholds per output, TB bits each
 * (ACC + 1: thresholds are clamped to [-max|acc|, max|acc| + 1], which keeps every comparison's result).
 */
template <int MW, int MH, int SIMD, int PE, int WB, int IB, bool IBIP, int ACC, int TB, int OB, int NT, int REPS>
void mvau_threshold(hls::stream<ap_uint<SIMD * IB> > &in, hls::stream<ap_uint<PE * OB> > &out,
                    const typename weight_rom<WB>::type weights[PE][(MH / PE) * (MW / SIMD)][SIMD],
                    const typename threshold_rom<TB>::type thresholds[PE][MH / PE][NT]) {
  static_assert(MH % PE == 0, "PE must divide MH");
  static_assert(MW % SIMD == 0, "SIMD must divide MW");
  COSEARCH_PRAGMA(HLS INLINE off)
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=weights complete dim=1)
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=weights complete dim=3)
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=thresholds complete dim=1)
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=thresholds complete dim=3)
  const int NF = MH / PE;
  const int SF = MW / SIMD;
  ap_uint<SIMD * IB> inbuf[SF];
  ap_int<ACC> acc[PE];
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=acc complete dim=1)
  int nf = 0, sf = 0, tile = 0;
  for (int i = 0; i < REPS * NF * SF; i++) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    ap_uint<SIMD * IB> x;
    if (nf == 0) {
      x = in.read();
      inbuf[sf] = x;
    } else {
      x = inbuf[sf];
    }
    ap_uint<IB> xe[SIMD];
    COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=xe complete dim=1)
    unpack<SIMD, IB>(x, xe);
    for (int p = 0; p < PE; p++) {
      COSEARCH_PRAGMA(HLS UNROLL)
      const int d = Dot<SIMD, WB, IB, IBIP>::run(weights[p][tile], xe);
      if (sf == 0) acc[p] = d;
      else acc[p] += d;
    }
    if (++tile == NF * SF) tile = 0;
    if (++sf == SF) {
      ap_uint<PE * OB> o = 0;
      for (int p = 0; p < PE; p++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        o.range(p * OB + OB - 1, p * OB) = threshold_count<NT, ACC, TB>(acc[p], thresholds[p][nf]);
      }
      out.write(o);
      sf = 0;
      if (++nf == NF) nf = 0;
    }
  }
}

/*
 * MVAU without activation (the classifier): outputs PE signed ACC-bit accumulators (logits) per word.
 * Same loop structure and cycle count as mvau_threshold.
 */
template <int MW, int MH, int SIMD, int PE, int WB, int IB, bool IBIP, int ACC, int REPS>
void mvau_linear(hls::stream<ap_uint<SIMD * IB> > &in, hls::stream<ap_uint<PE * ACC> > &out,
                 const typename weight_rom<WB>::type weights[PE][(MH / PE) * (MW / SIMD)][SIMD]) {
  static_assert(MH % PE == 0, "PE must divide MH");
  static_assert(MW % SIMD == 0, "SIMD must divide MW");
  COSEARCH_PRAGMA(HLS INLINE off)
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=weights complete dim=1)
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=weights complete dim=3)
  const int NF = MH / PE;
  const int SF = MW / SIMD;
  ap_uint<SIMD * IB> inbuf[SF];
  ap_int<ACC> acc[PE];
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=acc complete dim=1)
  int nf = 0, sf = 0, tile = 0;
  for (int i = 0; i < REPS * NF * SF; i++) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    ap_uint<SIMD * IB> x;
    if (nf == 0) {
      x = in.read();
      inbuf[sf] = x;
    } else {
      x = inbuf[sf];
    }
    ap_uint<IB> xe[SIMD];
    COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=xe complete dim=1)
    unpack<SIMD, IB>(x, xe);
    for (int p = 0; p < PE; p++) {
      COSEARCH_PRAGMA(HLS UNROLL)
      const int d = Dot<SIMD, WB, IB, IBIP>::run(weights[p][tile], xe);
      if (sf == 0) acc[p] = d;
      else acc[p] += d;
    }
    if (++tile == NF * SF) tile = 0;
    if (++sf == SF) {
      ap_uint<PE * ACC> o = 0;
      for (int p = 0; p < PE; p++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        o.range(p * ACC + ACC - 1, p * ACC) = acc[p];
      }
      out.write(o);
      sf = 0;
      if (++nf == NF) nf = 0;
    }
  }
}

}  // namespace cosearch

#endif
