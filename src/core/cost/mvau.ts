/**
 * Matrix-vector-activation unit (MVAU) cost, after FINN-R (Blott et al., ACM TRETS 2018) and FINN's MVAU
 * resource estimate; every constant comes from the calibration (src/core/calibration.ts).
 *
 * Folding (FINN): NF = MH / PE output neurons per PE, SF = MW / SIMD input words per neuron;
 *   cycles = outPixels * NF * SF   (conv: OFM^2 * (K*K*Cin / SIMD) * (Cout / PE); dense: (MW/SIMD)*(MH/PE)).
 * LUTs = mvauBaseLuts + mvauPeLutScale * PE * (SIMD * mult + adder tree + accumulator + comparators)
 *        + weight memory (LUTRAM) + threshold memory (LUTRAM) + output FIFO (SRL), where per lane
 *   - 1-bit weights and bipolar inputs: XNOR (xnorLutsPerLane) and a popcount (popcountLutsPerInput * SIMD)
 *     instead of an adder tree (FINN, Umuroglu et al. FPGA 2017);
 *   - one bipolar operand: conditional negation of the other (signFlipLutsPerBit * its bits);
 *   - both multi-bit, both >= dspMinOperandBits: one DSP per product (dspPerMultiplier), no LUTs;
 *   - otherwise a LUT multiplier: lutMultScale * (2*ceil((W+A)/6) - 1) * (W+A)   [FINN MVAU estimate];
 *   adder tree (non-binary): adderTreeLutsPerBit * (W+A) * (2*SIMD - 1)                [FINN MVAU estimate];
 *   accumulator: accLutsPerBit * accBits; comparators: thresholdCmpLutsPerBit * (2^B - 1) * accBits.
 * Memories are split per PE (PE p holds rows p, p+PE, ...: see src/emit/context.ts):
 *   weights: PE memories of depth NF*SF and width SIMD*W; thresholds: PE memories of depth NF and width
 *   (2^B - 1) * (accBits + 1). Each in LUTRAM or BRAM18 (memory.ts), weights by memStyle or automatically,
 *   thresholds automatically.
 */
import type { CostParams } from '../calibration.js';
import { chooseMemory, mem, MEM_NONE, STYLE_AUTO } from './memory.js';
import { MULT_DSP, MULT_LUT, MULT_SIGNFLIP, MULT_XNOR, type CostOut, type LayerGeom } from './types.js';

/** Fill `out` with the MVAU part of a conv/dense layer (cycles, LUT, FF, BRAM18, DSP). */
export function mvauCost(p: CostParams, g: LayerGeom, pe: number, simd: number, out: CostOut): void {
  const W = g.wBits;
  const A = g.inBits;
  const nf = g.mh / pe;
  const sf = g.mw / simd;
  out.mvauCycles = g.outPixels * nf * sf;

  // per-lane product and per-PE reduction
  let multLuts = 0;
  let reduceLuts = 0;
  let dspPerPe = 0;
  if (W === 1 && g.inBipolar) {
    out.multKind = MULT_XNOR;
    multLuts = p.xnorLutsPerLane;
    reduceLuts = p.popcountLutsPerInput * simd;
  } else {
    if (W === 1) {
      out.multKind = MULT_SIGNFLIP;
      multLuts = p.signFlipLutsPerBit * A;
    } else if (g.inBipolar) {
      out.multKind = MULT_SIGNFLIP;
      multLuts = p.signFlipLutsPerBit * W;
    } else if (W >= p.dspMinOperandBits && A >= p.dspMinOperandBits) {
      out.multKind = MULT_DSP;
      multLuts = 0;
      dspPerPe = simd * p.dspPerMultiplier;
    } else {
      out.multKind = MULT_LUT;
      multLuts = p.lutMultScale * (2 * Math.ceil((W + A) / 6) - 1) * (W + A);
    }
    reduceLuts = p.adderTreeLutsPerBit * (W + A) * (2 * simd - 1);
  }
  const acc = g.accBits;
  const cmpLuts = p.thresholdCmpLutsPerBit * g.numThresholds * acc;
  const perPe = simd * multLuts + reduceLuts + p.accLutsPerBit * acc + cmpLuts;
  const computeLuts = p.mvauBaseLuts + p.mvauPeLutScale * pe * perPe;
  out.computeLuts = computeLuts;

  // weight memory: PE memories of depth NF*SF, width SIMD*W
  chooseMemory(p, pe, nf * sf, simd * W, g.memStyle);
  out.weightStyle = mem.style;
  out.weightLuts = mem.luts;
  out.weightBram18 = mem.bram18;

  // threshold memory: PE memories of depth NF, width T * (accBits + 1) (none on the last layer); thresholds are
  // stored one bit wider than the accumulator (clamped to [-max|acc|, max|acc| + 1], as hls/cs_mvau.hpp and the RTL twin do)
  if (g.numThresholds > 0) {
    chooseMemory(p, pe, nf, g.numThresholds * (acc + 1), STYLE_AUTO);
    out.thresholdStyle = mem.style;
    out.thresholdLuts = mem.luts;
    out.thresholdBram18 = mem.bram18;
  } else {
    out.thresholdStyle = MEM_NONE;
    out.thresholdLuts = 0;
    out.thresholdBram18 = 0;
  }

  // output stream FIFO (SRL32): PE lanes of outBits (accBits-wide logits on the last layer)
  const outWidth = pe * (g.isLast ? acc : g.outBits);
  out.fifoLuts = p.fifoLutsPerBit * outWidth;

  out.lutram = out.weightLuts + out.thresholdLuts + out.fifoLuts;
  out.lut = computeLuts + out.lutram;
  out.bram18 = out.weightBram18 + out.thresholdBram18;
  out.dsp = pe * dspPerPe;
  out.ff = p.mvauBaseFfs + pe * (p.accFfsPerBit * acc + p.laneFfsPerBit * simd * (W + A)) + p.fifoFfsPerBit * outWidth;
}
