/*
 * cosearch HLS layer library: matrix-vector-activation unit (MVAU) and its depthwise variant (VVAU), header-only,
 * written for cosearch.
 *
 * Folding as in FINN's MVAU (Umuroglu et al. FPGA 2017; Blott et al., "FINN-R", TRETS 2018): an MH x MW matrix
 * is computed by PE processing elements, each taking SIMD inputs per cycle, so one input vector takes
 * NF = MH/PE neuron folds of SF = MW/SIMD synapse folds. One flattened loop (mvau_loop) over REPS*NF*SF iterations
 * with PIPELINE II=1 gives exactly REPS*NF*SF cycles per image (REPS = output pixels), the cycle model of
 * src/core/cost. What differs between the layers is two policies, as in finn-hlslib's activation classes:
 *  - the input policy: an MVAU (Shared) gives every PE the same SIMD-element word; the SF words of one vector are
 *    read during the first neuron fold and replayed from a local buffer for the other NF-1 folds. A VVAU (PerPe:
 *    depthwise convolution, one filter per channel) gives PE p element p of a PE-element word (SIMD = 1) and reads a
 *    new word every cycle (the window generator emits NF*SF words per pixel, hls/cs_swg.hpp DW);
 *  - the activation policy: ThresholdActivation (code = number of thresholds <= acc, OB-bit codes) or
 *    LinearActivation (the ACC-bit accumulator: integer logits of the classifier).
 *
 * Weight memory (same layout as src/emit/context.ts foldedWeight and the cost model, src/core/cost/mvau.ts): PE p owns
 * one memory of NF*SF packed words of SIMD*WB bits; word nf*SF + sf holds W[nf*PE + p][sf*SIMD + s] in bits
 * [s*WB+WB-1 : s*WB] (cs_common.hpp rom_pack: stored as LIMBS limbs, weights[p][nf*SF + sf][limb]). Thresholds
 * [p][nf][t]: PE memories of NF words of NT thresholds. The arrays are globals of the generated params.hpp; the top
 * function declares their implementation with COSEARCH_WEIGHT_ROM / COSEARCH_THRESHOLD_ROM below (UG1399: pragmas on
 * a global array go in a function that uses it): ARRAY_PARTITION complete dim=1 (one memory per PE), ARRAY_RESHAPE
 * complete dim=3 (a word, or a row of thresholds, is one memory entry) and BIND_STORAGE rom_1p (one read per cycle)
 * with impl = the memory style of the design IR as the cost model resolves it (src/core/cost/memory.ts chooseMemory:
 * bram or lutram). Every cycle reads one word per PE.
 */
#ifndef COSEARCH_HLS_MVAU_HPP
#define COSEARCH_HLS_MVAU_HPP

#include "cs_arith.hpp"

/* Implementation of a weight / threshold memory (see the file comment); impl is bram or lutram. */
#define COSEARCH_WEIGHT_ROM(var_, impl_)                               \
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=var_ complete dim=1)     \
  COSEARCH_PRAGMA(HLS ARRAY_RESHAPE variable=var_ complete dim=3)       \
  COSEARCH_PRAGMA(HLS BIND_STORAGE variable=var_ type=rom_1p impl=impl_)
#define COSEARCH_THRESHOLD_ROM(var_, impl_) COSEARCH_WEIGHT_ROM(var_, impl_)

namespace cosearch {

/* Weights of one layer: [PE][NF*SF][LIMBS] limbs of packed SIMD*WB-bit words (cs_common.hpp rom_pack). */
#define COSEARCH_WEIGHTS(PE_, DEPTH_, BITS_) \
  const typename rom_limb<rom_pack<(BITS_)>::LB>::type weights[PE_][DEPTH_][rom_pack<(BITS_)>::LIMBS]

/* Activation policy: multi-threshold (NT = 2^OB - 1 thresholds of TB = ACC + 1 bits per output, clamped to
 * [-max|acc|, max|acc| + 1], which keeps every comparison's result). */
template <int PE, int NF, int NT, int ACC, int TB, int OB_>
struct ThresholdActivation {
  static const int OB = OB_;
  const typename threshold_rom<TB>::type (*t)[NF][NT];  // [PE][NF][NT]
  explicit ThresholdActivation(const typename threshold_rom<TB>::type thresholds[PE][NF][NT]) : t(thresholds) {}
  ap_uint<OB> activate(int p, int nf, const ap_int<ACC> &acc) const {
    COSEARCH_PRAGMA(HLS INLINE)
    return threshold_count<NT, ACC, TB>(acc, t[p][nf]);
  }
};

/* Activation policy: none (the classifier's signed ACC-bit accumulators). */
template <int ACC>
struct LinearActivation {
  static const int OB = ACC;
  ap_uint<OB> activate(int, int, const ap_int<ACC> &acc) const {
    COSEARCH_PRAGMA(HLS INLINE)
    return acc;
  }
};

/* Input policies: the word width and which elements PE p multiplies. */
template <int SIMD>
struct SharedInput {
  static const int ELEMS = SIMD;
  static const bool REPLAY = true;
  template <int IB>
  static ap_uint<IB> lane(const ap_uint<IB> xe[SIMD], int, int s) { return xe[s]; }
};
template <int PE>
struct PerPeInput {
  static const int ELEMS = PE;
  static const bool REPLAY = false;
  template <int IB>
  static ap_uint<IB> lane(const ap_uint<IB> xe[PE], int p, int) { return xe[p]; }
};

/* The one MVAU loop (inlined into the wrappers below, which carry the memory pragmas). */
template <int MW, int MH, int SIMD, int PE, int WB, int IB, bool IBIP, int ACC, int REPS, class In, class Act>
inline void mvau_loop(hls::stream<ap_uint<In::ELEMS * IB> > &in, hls::stream<ap_uint<PE * Act::OB> > &out,
                      COSEARCH_WEIGHTS(PE, (MH / PE) * (MW / SIMD), SIMD * WB), const Act &act) {
  COSEARCH_PRAGMA(HLS INLINE)
  static_assert(MH % PE == 0, "PE must divide MH");
  static_assert(MW % SIMD == 0, "SIMD must divide MW");
  const int NF = MH / PE;
  const int SF = MW / SIMD;
  const int OB = Act::OB;
  ap_uint<In::ELEMS * IB> inbuf[SF];
  ap_int<ACC> acc[PE];
  COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=acc complete dim=1)
  int nf = 0, sf = 0, tile = 0;
  for (int i = 0; i < REPS * NF * SF; i++) {
    COSEARCH_PRAGMA(HLS PIPELINE II=1)
    ap_uint<In::ELEMS * IB> x;
    if (!In::REPLAY || nf == 0) {
      x = in.read();
      if (In::REPLAY) inbuf[sf] = x;
    } else {
      x = inbuf[sf];
    }
    ap_uint<IB> xe[In::ELEMS];
    COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=xe complete dim=1)
    unpack<In::ELEMS, IB>(x, xe);
    for (int p = 0; p < PE; p++) {
      COSEARCH_PRAGMA(HLS UNROLL)
      ap_uint<IB> xp[SIMD];
      COSEARCH_PRAGMA(HLS ARRAY_PARTITION variable=xp complete dim=1)
      for (int s = 0; s < SIMD; s++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        xp[s] = In::template lane<IB>(xe, p, s);
      }
      const int d = Dot<SIMD, WB, IB, IBIP>::run(rom_word<SIMD * WB>(weights[p][tile]), xp);
      if (sf == 0) acc[p] = d;
      else acc[p] += d;
    }
    if (++tile == NF * SF) tile = 0;
    if (++sf == SF) {
      ap_uint<PE * OB> o = 0;
      for (int p = 0; p < PE; p++) {
        COSEARCH_PRAGMA(HLS UNROLL)
        o.range(p * OB + OB - 1, p * OB) = act.activate(p, nf, acc[p]);
      }
      out.write(o);
      sf = 0;
      if (++nf == NF) nf = 0;
    }
  }
}

/*
 * MVAU with multi-threshold activation: outputs PE codes of OB bits per word (code = #thresholds <= acc).
 * IB/IBIP: input code bits and whether they are bipolar; ACC: signed accumulator bits (enough for the
 * worst-case sum, src/core/design.ts accumulatorBits); NT = 2^OB - 1 thresholds per output, TB bits each.
 */
template <int MW, int MH, int SIMD, int PE, int WB, int IB, bool IBIP, int ACC, int TB, int OB, int NT, int REPS>
void mvau_threshold(hls::stream<ap_uint<SIMD * IB> > &in, hls::stream<ap_uint<PE * OB> > &out,
                    COSEARCH_WEIGHTS(PE, (MH / PE) * (MW / SIMD), SIMD * WB),
                    const typename threshold_rom<TB>::type thresholds[PE][MH / PE][NT]) {
  COSEARCH_PRAGMA(HLS INLINE off)
  mvau_loop<MW, MH, SIMD, PE, WB, IB, IBIP, ACC, REPS, SharedInput<SIMD> >(in, out, weights, ThresholdActivation<PE, MH / PE, NT, ACC, TB, OB>(thresholds));
}

/* MVAU without activation (the classifier): outputs PE signed ACC-bit accumulators (logits) per word. */
template <int MW, int MH, int SIMD, int PE, int WB, int IB, bool IBIP, int ACC, int REPS>
void mvau_linear(hls::stream<ap_uint<SIMD * IB> > &in, hls::stream<ap_uint<PE * ACC> > &out,
                 COSEARCH_WEIGHTS(PE, (MH / PE) * (MW / SIMD), SIMD * WB)) {
  COSEARCH_PRAGMA(HLS INLINE off)
  mvau_loop<MW, MH, SIMD, PE, WB, IB, IBIP, ACC, REPS, SharedInput<SIMD> >(in, out, weights, LinearActivation<ACC>());
}

/*
 * VVAU (depthwise convolution) with multi-threshold activation: K2 = K*K kernel positions, C channels, PE channels
 * per word; the input is the window generator's stream in (nf, ky, kx) order of PE-channel words.
 */
template <int K2, int C, int PE, int WB, int IB, bool IBIP, int ACC, int TB, int OB, int NT, int REPS>
void vvau_threshold(hls::stream<ap_uint<PE * IB> > &in, hls::stream<ap_uint<PE * OB> > &out,
                    COSEARCH_WEIGHTS(PE, (C / PE) * K2, WB),
                    const typename threshold_rom<TB>::type thresholds[PE][C / PE][NT]) {
  COSEARCH_PRAGMA(HLS INLINE off)
  mvau_loop<K2, C, 1, PE, WB, IB, IBIP, ACC, REPS, PerPeInput<PE> >(in, out, weights, ThresholdActivation<PE, C / PE, NT, ACC, TB, OB>(thresholds));
}

/* VVAU without activation (a depthwise classifier layer): PE signed ACC-bit accumulators per word. */
template <int K2, int C, int PE, int WB, int IB, bool IBIP, int ACC, int REPS>
void vvau_linear(hls::stream<ap_uint<PE * IB> > &in, hls::stream<ap_uint<PE * ACC> > &out,
                 COSEARCH_WEIGHTS(PE, (C / PE) * K2, WB)) {
  COSEARCH_PRAGMA(HLS INLINE off)
  mvau_loop<K2, C, 1, PE, WB, IB, IBIP, ACC, REPS, PerPeInput<PE> >(in, out, weights, LinearActivation<ACC>());
}

}  // namespace cosearch

#undef COSEARCH_WEIGHTS

#endif
