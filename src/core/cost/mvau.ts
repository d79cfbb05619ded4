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
 * RTL-twin terms (default 0, fitted by `cosearch calibrate`): shift-add multiplier shiftAddMultScale *
 *   min(W,A) * (W+A+1) per lane (cs_mvau.v lane_prod: min(W,A) conditional add/subtract rows of W+A+1 bits); input store of dense / 1x1 layers inputBufferLutsPerBit * SIMD*A * ceil(2*SF/64)
 *   (in BRAM18 instead when it is deeper than one LUTRAM (2*SF > 64) and that LUTRAM cost exceeds
 *   inputBufferBramAboveLuts > 0, as yosys does)
 *   and inputBufferFfsPerBit * SIMD*A; registered ROM outputs: romOutFfsPerBit * the distinct non-constant columns
 *   of the PE*SIMD*W weight-ROM bits (registers synthesis keeps of ROMs with random contents read at one address: equal
 *   columns merge, constant ones vanish), and threshold rows thresholdRegFfsPerBit * 2 copies * the distinct columns
 *   of the layer's threshold ROMs (thresholdColumns).
 * Constant folding (romConstFold = 1, the RTL twin under yosys): a depth-d ROM of random contents has a constant
 *   column with probability 2^(1-d) (all zeros or all ones), so a fraction f(d) = 1 - 2^(1-d) of its columns is
 *   logic; for d <= 2 a non-constant column is an address bit or its inverse and costs no LUT. Lanes whose weight
 *   column is constant become constant-coefficient products (constLaneLutsPerBit * (W+A)); thresholds of a depth-1
 *   row are constants and their comparators cost constCmpLutsPerBit * accBits.
 * Threshold counting (thresholdCountLutsPerBit, RTL twin cs_mvau.v g_thr): (2^B - 1) increments of a B-bit code per PE.
 * Exact adder tree (adderTreeExactLutsPerBit, RTL twin cs_mvau.v): sum over levels l >= 1 of
 *   floor(ceil(SIMD / 2^(l-1)) / 2) adders of W+A+1+l bits.
 * Memories are split per PE (PE p holds rows p, p+PE, ...: see src/emit/context.ts):
 *   weights: PE memories of depth NF*SF and width SIMD*W; thresholds: PE memories of depth NF and width
 *   (2^B - 1) * (accBits + 1). Each in LUTRAM or BRAM18 (memory.ts), weights by memStyle or automatically,
 *   thresholds automatically.
 */
import type { CostParams } from '../calibration.js';
import { bramTiles, chooseMemory, mem, MEM_BRAM, MEM_NONE, STYLE_AUTO, tiles, yosysRamInBram } from './memory.js';
import { MULT_DSP, MULT_LUT, MULT_SIGNFLIP, MULT_XNOR, type CostOut, type LayerGeom } from './types.js';

/**
 * Fill `out` with the MVAU part of a compute layer (cycles, LUT, FF, BRAM18, DSP). `inputStore`: the layer reads its
 * input vectors into the double-buffered store of the RTL twin (layers without a window generator: dense, 1x1 conv
 * without padding, pointwise).
 */
export function mvauCost(p: CostParams, g: LayerGeom, pe: number, simd: number, out: CostOut, inputStore: boolean): void {
  const W = g.wBits;
  const A = g.inBits;
  const nf = g.mh / pe;
  const sf = g.mw / simd;
  out.mvauCycles = g.outPixels * nf * sf;
  out.dwcLuts = 0;
  out.dwcFfs = 0;
  out.dwcCycles = 0;

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
      // FINN estimate + the RTL twin's shift-add form (min(W,A) add/subtract rows of W+A+1 bits; default weight 0)
      multLuts = p.lutMultScale * (2 * Math.ceil((W + A) / 6) - 1) * (W + A) + p.shiftAddMultScale * (W < A ? W : A) * (W + A + 1) + p.lutMultAreaScale * W * A;
    }
    if (p.romConstFold > 0 && dspPerPe === 0) {
      const f = variableFraction(nf * sf);
      multLuts = f * multLuts + (1 - f) * p.constLaneLutsPerBit * (W + A);
    }
    reduceLuts = p.adderTreeLutsPerBit * (W + A) * (2 * simd - 1) + (p.adderTreeExactLutsPerBit > 0 ? p.adderTreeExactLutsPerBit * adderTreeBits(simd, W + A + 1) : 0);
  }
  const acc = g.accBits;
  // a depth-1 threshold row is a constant under romConstFold; deeper rows are registered ROM outputs (variable)
  let cmpLuts = (p.romConstFold > 0 && nf === 1 ? p.constCmpLutsPerBit : p.thresholdCmpLutsPerBit) * g.numThresholds * acc;
  // the RTL twin counts the thresholds passed: 2^B - 1 increments of the B-bit code per PE
  if (g.numThresholds > 0) cmpLuts += p.thresholdCountLutsPerBit * g.numThresholds * g.outBits;
  // (dspAccumulator: one DSP product per PE accumulates in the DSP48's ALU and P register, no fabric accumulator)
  const accInDsp = p.dspAccumulator > 0 && dspPerPe > 0 && simd === 1;
  const perPe = simd * multLuts + reduceLuts + (accInDsp ? 0 : p.accLutsPerBit * acc) + cmpLuts;
  const computeLuts = p.mvauBaseLuts + p.mvauPeLutScale * pe * perPe;
  out.computeLuts = computeLuts;

  // weight memory: PE memories of depth NF*SF, width SIMD*W
  chooseMemory(p, pe, nf * sf, simd * W, g.memStyle);
  out.weightStyle = mem.style;
  out.weightLuts = p.romConstFold > 0 ? mem.luts * romLogicFraction(nf * sf) : mem.luts;
  out.weightBram18 = mem.bram18;

  // threshold memory: PE memories of depth NF, width T * (accBits + 1) (none on the last layer); thresholds are
  // stored one bit wider than the accumulator (clamped to [-max|acc|, max|acc| + 1], as hls/cs_mvau.hpp and the RTL twin do)
  if (g.numThresholds > 0) {
    chooseMemory(p, pe, nf, g.numThresholds * (acc + 1), STYLE_AUTO);
    out.thresholdStyle = mem.style;
    out.thresholdLuts = p.thresholdRomLutScale * (p.romConstFold > 0 ? mem.luts * romLogicFraction(nf) : mem.luts);
    out.thresholdBram18 = mem.bram18;
  } else {
    out.thresholdStyle = MEM_NONE;
    out.thresholdLuts = 0;
    out.thresholdBram18 = 0;
  }

  // output stream FIFO (SRL32): PE lanes of outBits (accBits-wide logits on the last layer)
  const outWidth = pe * (g.isLast ? acc : g.outBits);
  out.fifoLuts = p.fifoLutsPerBit * outWidth;

  // input store of layers without a window generator (dense, 1x1 conv without padding, pointwise): the RTL twin
  // double-buffers 2*SF words of SIMD*A bits (default weight 0, FINN has no such term)
  let inBufLuts = 0;
  let inBufFfs = 0;
  let inBufBram = 0;
  if (inputStore) {
    const bits = simd * A;
    const lutram = bits * Math.ceil((2 * sf) / p.lutramBitsPerLut);
    const inBram = p.bramGeometry > 0 ? yosysRamInBram(p, 2 * sf, bits) : p.inputBufferBramAboveLuts > 0 && 2 * sf > p.lutramBitsPerLut && lutram > p.inputBufferBramAboveLuts;
    if (inBram) {
      // (yosysRamInBram has already left the block count in tiles)
      if (p.bramGeometry <= 0) bramTiles(p, 2 * sf, bits, true);
      inBufBram = tiles.bram18;
      inBufLuts = p.bramMuxLutsPerBit * tiles.muxBits;
    } else inBufLuts = p.inputBufferLutsPerBit * lutram;
    inBufFfs = p.inputBufferFfsPerBit * bits;
  }

  out.lutram = out.weightLuts + out.thresholdLuts + out.fifoLuts + inBufLuts;
  out.lut = computeLuts + out.lutram;
  out.bram18 = out.weightBram18 + out.thresholdBram18 + inBufBram;
  out.dsp = pe * dspPerPe;
  // registered ROM outputs (weights: SIMD*W bits, thresholds: T*(accBits+1) bits per PE). Synthesis merges equal
  // registers and drops constant ones; the PEs' ROMs share one address, so a column of one PE's ROM equal to a column
  // of another's merges too: what is left is the distinct non-constant columns over all PEs (distinctColumns)
  // (a block RAM's output register is the cell's own: yosys merges it into the RAMB18/36, Vivado uses DOB_REG)
  const wDepth = nf * sf;
  const romFfs = out.weightStyle === MEM_BRAM ? 0 : p.romOutFfsPerBit * distinctColumns(pe * simd * W * variableFraction(wDepth), wDepth);
  // the threshold row is registered twice (the ROM's output register and the copy t2 the comparators read), once
  // when the ROM is a block RAM (its output register is the cell's)
  const thrCopies = out.thresholdStyle === MEM_BRAM ? 1 : 2;
  const thrFfs = thrCopies * p.thresholdRegFfsPerBit * thresholdColumns(nf, pe * g.numThresholds, acc + 1, accumulatorSpreadBits(g));
  out.ff =
    p.mvauBaseFfs +
    p.mvauCounterFfsPerBit * (clog2(wDepth + 1) + clog2(sf + 1) + clog2(nf + 1)) +
    pe * ((accInDsp ? 0 : p.accFfsPerBit * acc) + p.laneFfsPerBit * simd * (W + A)) +
    romFfs +
    thrFfs +
    p.fifoFfsPerBit * outWidth +
    inBufFfs;
}

/**
 * Distinct non-constant columns of the threshold ROMs of a layer (`t` rows of sorted thresholds of `bits` bits over
 * `nf` neurons: T per PE times PE, all read at one address), the registers synthesis keeps of their registered
 * output. Bits above the thresholds' spread are sign extension (one column, or constant), so each threshold has about
 * L = min(bits, spreadBits + 1.5) columns that vary over the neurons; those t*L columns merge where they coincide
 * (distinctColumns). Measured on the RTL twin's random thresholds of 225 threshold ROMs of the calibration and bench
 * designs: mean |error| 5.9% per PE (the nf - 1.5 columns per threshold used before: 35.8%; first layers on an
 * 8-bit image keep 10-15 columns per threshold, that rule said 6.5); across PEs, a 6-PE layer of 8 neurons per PE
 * (bench/data/picked ad8f41a383 layer 2) keeps 244 of its 572 per-PE columns, the formula says 243.
 */
export function thresholdColumns(nf: number, t: number, bits: number, spreadBits: number): number {
  const s = spreadBits + 1.5;
  const l = s < 1 ? 1 : s > bits ? bits : s;
  return distinctColumns(t * l, nf);
}

function clog2(x: number): number {
  return Math.ceil(Math.log2(x));
}

/**
 * Expected distinct values of `draws` random non-constant columns of a depth-`depth` ROM: they fall among the
 * N = 2^depth - 2 non-constant patterns, N (1 - exp(-draws / N)) distinct (occupancy of N cells by that many draws).
 */
function distinctColumns(draws: number, depth: number): number {
  if (depth >= 40) return draws;
  const n = 2 ** depth - 2;
  return n <= 0 ? 0 : -n * Math.expm1(-draws / n);
}

/**
 * log2 of the spread of a layer's accumulator, where its thresholds lie: about 0.24 * sqrt(MW) * wMax * xMax (the
 * standard deviation of a dot product of MW random weights of magnitude <= wMax with inputs <= xMax; the RTL twin's
 * random thresholds (core/random-intmodel.ts) are drawn with this spread, BN-folded thresholds of a trained layer lie
 * within its accumulator's range).
 */
export function accumulatorSpreadBits(g: LayerGeom): number {
  const wMax = g.wBits === 1 ? 1 : 2 ** (g.wBits - 1) - 1;
  const xMax = g.inBipolar ? 1 : 2 ** g.inBits - 1;
  const sd = 0.24 * Math.sqrt(g.mw) * wMax * xMax;
  return sd > 1 ? Math.log2(sd) : 0;
}

/** Fraction of the columns of a depth-d ROM with random contents that are not constant: 1 - 2^(1-d). */
function variableFraction(depth: number): number {
  return depth >= 30 ? 1 : 1 - 2 ** (1 - depth);
}

/**
 * Fraction of a depth-d ROM's columns (random contents) that need a LUT: of the 2^d equally likely columns, the 2
 * constant ones and the 2 * ceil(log2 d) that are an address bit or its inverse need none (all of them for d <= 2).
 */
function romLogicFraction(depth: number): number {
  if (depth <= 2) return 0;
  if (depth >= 30) return 1;
  return 1 - (2 + 2 * Math.ceil(Math.log2(depth))) / 2 ** depth;
}

/** Bits of the RTL twin's balanced adder tree over `simd` lane products of `pb` bits (cs_mvau.v g_lv). */
export function adderTreeBits(simd: number, pb: number): number {
  let bits = 0;
  let nodes = simd;
  for (let lv = 1; nodes > 1; lv++) {
    bits += Math.floor(nodes / 2) * (pb + lv);
    nodes = Math.ceil(nodes / 2);
  }
  return bits;
}
