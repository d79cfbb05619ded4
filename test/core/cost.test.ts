/**
 * The cost model against values worked out by hand from the default constants
 * (constraints/calibration/default.json):
 *   mvauBaseLuts c0 = 300, mvauPeLutScale c1 = 1.1, xnorLutsPerLane = 1, popcountLutsPerInput = 1,
 *   lutMultScale = 1, adderTreeLutsPerBit = 1, accLutsPerBit = 1, thresholdCmpLutsPerBit = 1, dspMinOperandBits = 5,
 *   lutramBitsPerLut = 64, autoLutramMaxLutsPerBram18 = 64, fifoLutsPerBit = 1, fifoFfsPerBit = 1,
 *   mvauBaseFfs = 150, accFfsPerBit = 1, laneFfsPerBit = 1, swgBaseLuts = 300, swgLineBuffers = 1, swgBaseFfs = 100,
 *   poolBaseLuts = 100, poolCmpLutsPerBit = 1, poolBaseFfs = 50, layerPipelineLatencyCycles = 10.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION, costParams } from '../../src/core/calibration.js';
import { bram18For, lutramFor } from '../../src/core/cost/memory.js';
import { layerInfos, type Design } from '../../src/core/design.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { geomFromInfo, layerCost, costModels } from '../../src/core/cost/layer.js';
import { adderTreeBits } from '../../src/core/cost/mvau.js';
import { newCostOut } from '../../src/core/cost/types.js';
import { loadPart } from '../../src/parts.js';

const p = costParams(DEFAULT_CALIBRATION);
const part = loadPart('xc7z020');

function design(input: Design['input'], layers: Design['layers']): Design {
  return { version: 1, name: 'hand', input, layers, target: { part: 'xc7z020', clockMHz: 100 } };
}

describe('default constants used by the hand calculations', () => {
  it('are the documented FINN-R / FINN values', () => {
    expect(p.mvauBaseLuts).toBe(300);
    expect(p.mvauPeLutScale).toBe(1.1);
    expect(p.lutramBitsPerLut).toBe(64);
    expect(p.dspMinOperandBits).toBe(5);
    expect(p.autoLutramMaxLutsPerBram18).toBe(64);
  });
});

describe('memory tiling (RAMB18 aspect ratios 16Kx1 8Kx2 4Kx4 2Kx9 1Kx18 512x36)', () => {
  it('counts BRAM18 by the cheapest aspect', () => {
    expect(bram18For(512, 8)).toBe(1); // 2Kx9: 1*1
    expect(bram18For(32768, 4)).toBe(8); // 8Kx2: 4*2 = 8 (16Kx1: 2*4 = 8, 4Kx4: 8*1 = 8)
    expect(bram18For(1024, 36)).toBe(2); // 1Kx18: 1*2 (512x36: 2*1)
    expect(bram18For(100, 72)).toBe(2); // 512x36: 1*2
    expect(bram18For(2049, 9)).toBe(2); // 2Kx9: 2*1 (4Kx4: 1*3 = 3)
    expect(bram18For(0, 9)).toBe(0);
  });
  it('counts LUTRAM as width * ceil(depth/64)', () => {
    expect(lutramFor(p, 64, 8)).toBe(8);
    expect(lutramFor(p, 65, 8)).toBe(16);
    expect(lutramFor(p, 512, 8)).toBe(64);
  });
});

describe('binary (W1A1) dense layer: MW=256 bipolar inputs, MH=64, pe=4, simd=8', () => {
  // accBits = ceil(log2(256*1*1 + 1)) + 1 = 9 + 1 = 10
  // NF = 64/4 = 16, SF = 256/8 = 32, cycles = 16*32 = 512
  // per PE: XNOR 8 lanes * 1 + popcount 8 + acc 10 + comparator (2^1-1)*10 = 36
  // compute = 300 + 1.1 * 4 * 36 = 458.4
  // weights: 4 PE memories of depth 16*32 = 512, width 8*1 = 8: LUTRAM 8*ceil(512/64) = 64 per PE,
  //   BRAM18 = 1 per PE (2Kx9); auto: 64 <= 64*1 -> LUTRAM, 4*64 = 256 LUTs
  // thresholds: depth 16, width 1*(10+1) = 11: LUTRAM 11 vs 1 BRAM18 -> LUTRAM, 4*11 = 44
  // output FIFO: 4 PE * 1 bit = 4 LUTs
  // LUT = 458.4 + 256 + 44 + 4 = 762.4 -> 763 in the report; LUTRAM = 256 + 44 + 4 = 304
  // FF = 150 + 4*(10 + 8*(1+1)) + 4 = 258
  const d = design({ height: 1, width: 1, channels: 256, bits: 1 }, [
    { kind: 'dense', name: 'fcA', outFeatures: 64, wBits: 1, aBits: 1, pe: 4, simd: 8 },
    { kind: 'dense', name: 'fcB', outFeatures: 8, wBits: 1, pe: 1, simd: 1 },
  ]);
  // the network input is unsigned 1-bit; make the layer's input bipolar by feeding it from a bipolar layer instead:
  const d2 = design({ height: 1, width: 1, channels: 16, bits: 1 }, [
    { kind: 'dense', name: 'fc0', outFeatures: 256, wBits: 1, aBits: 1, pe: 1, simd: 1 },
    { kind: 'dense', name: 'fcA', outFeatures: 64, wBits: 1, aBits: 1, pe: 4, simd: 8 },
    { kind: 'dense', name: 'fcB', outFeatures: 8, wBits: 1, pe: 1, simd: 1 },
  ]);
  it('matches the hand calculation', () => {
    const info = layerInfos(d2)[1]!;
    expect(info.inBipolar).toBe(true);
    expect(info.accBits).toBe(10);
    const out = newCostOut();
    layerCost(p, geomFromInfo(info), 4, 8, out);
    expect(out.cycles).toBe(512);
    expect(out.computeLuts).toBeCloseTo(458.4, 9);
    expect(out.weightLuts).toBe(256);
    expect(out.weightBram18).toBe(0);
    expect(out.thresholdLuts).toBe(44);
    expect(out.fifoLuts).toBe(4);
    expect(out.lut).toBeCloseTo(762.4, 9);
    expect(out.lutram).toBe(304);
    expect(out.ff).toBe(258);
    expect(out.bram18).toBe(0);
    expect(out.dsp).toBe(0);
    // the report's layer adds its width converter from fc0's 1-element words to 8-element words: 1 * 8 bits (the
    // wider word) + its 2-deep output FIFO of 8 bits (8 LUTs): 763 + 16
    const r = estimateDesign(d2, part, DEFAULT_CALIBRATION);
    expect(r.layers[1]!.details!.dwcLuts).toBe(16);
    expect(r.layers[1]!.lut).toBe(763 + 16);
    expect(r.layers[1]!.details!.multiplier).toBe('xnor');
    // the unsigned 1-bit network input is not bipolar: the first layer of `d` uses sign-flip lanes, not XNOR
    expect(layerInfos(d)[0]!.inBipolar).toBe(false);
  });
  it('moves the weights to BRAM with memStyle bram: 4 PE * 1 BRAM18, 256 fewer LUTs', () => {
    const d3 = structuredClone(d2);
    (d3.layers[1] as { memStyle?: string }).memStyle = 'bram';
    const out = newCostOut();
    layerCost(p, geomFromInfo(layerInfos(d3)[1]!), 4, 8, out);
    expect(out.weightBram18).toBe(4);
    expect(out.lut).toBeCloseTo(762.4 - 256, 9);
  });
});

describe('2-bit conv: 8x8x4 2-bit unsigned input, 8 filters 3x3, padding 1, W2A2, pe=2, simd=4', () => {
  // out 8x8x8, outPixels 64; MW = 9*4 = 36, MH = 8
  // accBits = ceil(log2(36 * 1 * 3 + 1)) + 1 = ceil(log2 109) + 1 = 7 + 1 = 8
  // MVAU: NF = 4, SF = 9, cycles = 64*4*9 = 2304
  // SWG: reads 8*8*4/4 = 64 cycles, writes 64*36/4 = 576 cycles -> 576 (< 2304, so the layer takes 2304)
  // per PE: LUT multiplier (2*ceil(4/6) - 1)*4 = 4 per lane * 4 lanes = 16; adder tree (2+2)*(2*4-1) = 28;
  //   acc 8; comparators (2^2-1)*8 = 24  -> 76;  compute = 300 + 1.1*2*76 = 467.2
  // weights: depth 36, width 8 per PE: LUTRAM 8 (vs 1 BRAM18) -> 2*8 = 16
  // thresholds: depth 4, width 3*(8+1) = 27: LUTRAM 27 (vs 1 BRAM18) -> 2*27 = 54
  // FIFO: 2*2 = 4
  // SWG: 300 + (3+1) line buffers of depth (8+2)*4/4 = 10, width 4*2 = 8 in LUTRAM (8 each) = 332
  // window FIFO (src/core/cost/stream.ts): NF = 4 > 1, so depth SF = 9 words of SIMD*A = 8 bits: SRL 8*ceil(9/32) = 8
  //   LUTs, 8 FFs
  // LUT = 467.2 + 16 + 54 + 4 + 332 + 8 = 881.2 -> 882; LUTRAM = 16 + 54 + 4 + 32 + 8 = 114
  // FF = 150 + 2*(8 + 4*(2+2)) + 4 + (100 + 4*2) + 8 = 150 + 48 + 4 + 108 + 8 = 318
  const d = design({ height: 8, width: 8, channels: 4, bits: 2 }, [
    { kind: 'conv', name: 'c', outChannels: 8, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 2, simd: 4 },
    { kind: 'dense', name: 'fc', outFeatures: 2, wBits: 2, pe: 1, simd: 1 },
  ]);
  it('matches the hand calculation', () => {
    const info = layerInfos(d)[0]!;
    expect(info.accBits).toBe(8);
    const out = newCostOut();
    layerCost(p, geomFromInfo(info), 2, 4, out);
    expect(out.mvauCycles).toBe(2304);
    expect(out.swgCycles).toBe(576);
    expect(out.cycles).toBe(2304);
    expect(out.computeLuts).toBeCloseTo(467.2, 9);
    expect(out.weightLuts).toBe(16);
    expect(out.thresholdLuts).toBe(54);
    expect(out.swgLuts).toBe(332);
    expect([out.inFifoDepth, out.inFifoLuts, out.inFifoBram18]).toEqual([9, 8, 0]);
    expect(out.lut).toBeCloseTo(881.2, 9);
    expect(out.lutram).toBe(114);
    expect(out.ff).toBe(318);
    expect(out.bram18).toBe(0);
    expect(out.dsp).toBe(0);
    expect(estimateDesign(d, part, DEFAULT_CALIBRATION).layers[0]!.lut).toBe(882);
    expect(costModels.conv.luts(p, geomFromInfo(info), 2, 4)).toBeCloseTo(881.2, 9);
    expect(costModels.conv.cycles(p, geomFromInfo(info), 2, 4)).toBe(2304);
  });
  it('simd = 3 pixels per word: the window generator banks its line buffers', () => {
    // simd 12 = 3 * Cin: SWG writes 64*36/12 = 192 cycles, reads 64; MVAU NF*SF = 4*3 -> 64*12 = 768 cycles
    // line buffers: 4 rows x 3 banks of depth ceil(10/3) = 4, width 4*2 = 8 -> 12 * 8 LUTs = 96; SWG = 300 + 96 = 396
    const out = newCostOut();
    layerCost(p, geomFromInfo(layerInfos(d)[0]!), 2, 12, out);
    expect(out.swgCycles).toBe(192);
    expect(out.mvauCycles).toBe(768);
    expect(out.swgLuts).toBe(396);
  });
});

describe('8-bit dense classifier: 16 8-bit inputs, 10 logits, W8, pe=2, simd=4 (DSP products)', () => {
  // accBits = ceil(log2(16 * 127 * 255 + 1)) + 1 = ceil(log2 518161) + 1 = 19 + 1 = 20
  // NF = 5, SF = 4, cycles = 20
  // W = 8 >= 5 and A = 8 >= 5: one DSP per product, 2 PE * 4 lanes = 8 DSPs, no multiplier LUTs
  // per PE: adder tree (8+8)*(2*4-1) = 112; acc 20; no thresholds (last layer) -> 132
  // compute = 300 + 1.1*2*132 = 590.4
  // weights: depth 20, width 32 per PE: LUTRAM 32 (vs 1 BRAM18) -> 64; FIFO: 2 PE * 20-bit logits = 40
  // LUT = 590.4 + 64 + 40 = 694.4 -> 695; FF = 150 + 2*(20 + 4*16) + 40 = 358
  const d = design({ height: 1, width: 1, channels: 16, bits: 8 }, [{ kind: 'dense', name: 'fc', outFeatures: 10, wBits: 8, pe: 2, simd: 4 }]);
  it('matches the hand calculation', () => {
    const info = layerInfos(d)[0]!;
    expect(info.accBits).toBe(20);
    const out = newCostOut();
    layerCost(p, geomFromInfo(info), 2, 4, out);
    expect(out.cycles).toBe(20);
    expect(out.dsp).toBe(8);
    expect(out.computeLuts).toBeCloseTo(590.4, 9);
    expect(out.weightLuts).toBe(64);
    expect(out.thresholdLuts).toBe(0);
    expect(out.fifoLuts).toBe(40);
    expect(out.lut).toBeCloseTo(694.4, 9);
    expect(out.ff).toBe(358);
    const r = estimateDesign(d, part, DEFAULT_CALIBRATION);
    expect(r.layers[0]!.details!.multiplier).toBe('dsp');
    expect(r.total.dsp).toBe(8);
    // throughput = 100 MHz / 20 cycles; latency = 20 + 10 (one layer's pipeline constant)
    expect(r.performance.fps).toBe(5_000_000);
    expect(r.performance.latencyCycles).toBe(30);
  });
  it('uses LUT multipliers below the DSP threshold (W4 x A8: (2*ceil(12/6)-1)*12 = 36 LUTs per lane)', () => {
    const d4 = structuredClone(d);
    (d4.layers[0] as { wBits: number }).wBits = 4;
    const info = layerInfos(d4)[0]!;
    // accBits = ceil(log2(16*7*255 + 1)) + 1 = ceil(log2 28561) + 1 = 15 + 1 = 16
    expect(info.accBits).toBe(16);
    const out = newCostOut();
    layerCost(p, geomFromInfo(info), 2, 4, out);
    expect(out.dsp).toBe(0);
    // per PE: 4*36 + (4+8)*7 + 16 = 144 + 84 + 16 = 244; compute = 300 + 1.1*2*244 = 836.8
    expect(out.computeLuts).toBeCloseTo(836.8, 9);
  });
});

describe('max-pool: 28x28x64 bipolar input, 2x2, pe 32', () => {
  // cycles = 28*28*64/32 = 1568
  // LUT = 100 + 32*1 (comparators) + row buffer depth 14*64/32 = 28, width 32 in LUTRAM (32) + FIFO 32
  //       + kx delay line (hls/cs_pool.hpp) of 64/32 = 2 words x 32 bits in SRLs: 32*ceil(2/32) = 32   = 228
  // FF = 50 + 32 + 32 = 114
  const d = design({ height: 28, width: 28, channels: 64, bits: 1 }, [
    { kind: 'conv', name: 'c', outChannels: 64, kernel: 1, padding: 0, wBits: 1, aBits: 1, pe: 32, simd: 64 },
    { kind: 'maxpool', name: 'pool', size: 2 },
    { kind: 'dense', name: 'fc', outFeatures: 10, wBits: 1, pe: 1, simd: 1 },
  ]);
  it('matches the hand calculation and inherits the producer PE', () => {
    const r = estimateDesign(d, part, DEFAULT_CALIBRATION);
    const pool = r.layers[1]!;
    expect(pool.cycles).toBe(1568);
    expect(pool.lut).toBe(228);
    expect(pool.ff).toBe(114);
    expect(pool.details!.pe).toBe(32);
    // a 1x1 conv without padding has no window generator
    expect(r.layers[0]!.details!.swgCycles).toBe(0);
    expect(r.layers[0]!.details!.swgLuts).toBe(0);
  });
});

describe('RTL-twin terms: constant-folded ROMs (romConstFold = 1), exact adder tree, threshold counting', () => {
  it('counts the balanced adder tree of cs_mvau.v exactly', () => {
    // SIMD 16, 6-bit products: 8 adders of 7 bits, 4 of 8, 2 of 9, 1 of 10 = 56 + 32 + 18 + 10
    expect(adderTreeBits(16, 6)).toBe(116);
    // SIMD 3: one adder of pb+1 at level 1, one of pb+2 at level 2 (the odd node passes through)
    expect(adderTreeBits(3, 5)).toBe(6 + 7);
    expect(adderTreeBits(1, 5)).toBe(0);
  });

  // dense 16 -> 10, W2 from a 2-bit layer; pe = 10, simd = 16: one weight word per PE (depth 1): constants
  const d = design({ height: 1, width: 1, channels: 16, bits: 2 }, [{ kind: 'dense', name: 'fc', outFeatures: 10, wBits: 2, pe: 10, simd: 16 }]);
  const calib = (c: Record<string, number>): typeof DEFAULT_CALIBRATION => ({
    ...DEFAULT_CALIBRATION,
    name: 'rtl-terms',
    constants: { ...DEFAULT_CALIBRATION.constants, ...Object.fromEntries(Object.entries(c).map(([k, v]) => [k, { ...DEFAULT_CALIBRATION.constants[k]!, value: v }])) },
  });
  it('prices a depth-1 weight ROM at 0 LUTs and its lanes as constant-coefficient products', () => {
    const base = { lutMultScale: 0, shiftAddMultScale: 1, adderTreeLutsPerBit: 0, accLutsPerBit: 0, fifoLutsPerBit: 0, mvauBaseLuts: 0, mvauPeLutScale: 1 };
    const off = estimateDesign(d, part, calib(base)).layers[0]!;
    const on = estimateDesign(d, part, calib({ ...base, romConstFold: 1, constLaneLutsPerBit: 0.5 })).layers[0]!;
    // off: per lane min(2,2)*(2+2+1) = 10 LUTs, 160 lanes; ROM 10 PEs x 32 bits x ceil(1/64) = 320 LUTs
    expect(off.details!.computeLuts).toBe(1600);
    expect(off.details!.weightLuts).toBe(320);
    // on: constant weights: 0.5 * (2+2) = 2 LUTs per lane, and no ROM
    expect(on.details!.computeLuts).toBe(320);
    expect(on.details!.weightLuts).toBe(0);
  });

  it('puts a deep dense input store in block RAM above inputBufferBramAboveLuts, as yosys does', () => {
    // dense 1200 -> 16 on 2-bit activations, pe 16, simd 1: SF = 1200, store 2*SF = 2400 words x 2 bits
    const dd = design({ height: 1, width: 1, channels: 1200, bits: 2 }, [{ kind: 'dense', name: 'fc', outFeatures: 16, wBits: 1, pe: 16, simd: 1 }]);
    const c = { inputBufferLutsPerBit: 1, mvauBaseLuts: 0 };
    const lut = estimateDesign(dd, part, calib(c)).layers[0]!;
    const bram = estimateDesign(dd, part, calib({ ...c, inputBufferBramAboveLuts: 36 })).layers[0]!;
    // LUTRAM cost 2 bits x ceil(2400/64) = 76 LUTs > 36 and deeper than 64 words -> 2400 x 2 in RAMB18 (8Kx2): 1 block
    expect(lut.lut - bram.lut).toBe(76);
    expect(bram.bram18 - lut.bram18).toBe(1);
    // a shallow store (2*SF <= 64) stays in LUTs whatever its width
    const shallow = design({ height: 1, width: 1, channels: 64, bits: 2 }, [{ kind: 'dense', name: 'fc', outFeatures: 16, wBits: 1, pe: 16, simd: 2 }]);
    expect(estimateDesign(shallow, part, calib({ ...c, inputBufferBramAboveLuts: 1 })).layers[0]!.bram18).toBe(estimateDesign(shallow, part, calib(c)).layers[0]!.bram18);
  });

  it('prices the columns of a constant-folded LUT ROM that are neither constant nor an address literal', () => {
    // dense 64 -> 40 on 2-bit inputs, W2, pe 10, simd 16: NF 4, SF 4: weight ROMs of 16 words x 32 bits per PE
    // (random columns: 2 constant + 2 * 4 address literals of 2^16 patterns need no LUT) and threshold ROMs of
    // NF = 4 words: 2 + 2 * 2 of the 16 patterns of a 4-word column are free, so 10/16 of its LUTs remain
    const dt = design({ height: 1, width: 1, channels: 64, bits: 2 }, [
      { kind: 'dense', name: 'fc1', outFeatures: 40, wBits: 2, aBits: 2, pe: 10, simd: 16 },
      { kind: 'dense', name: 'fc2', outFeatures: 10, wBits: 2, pe: 10, simd: 4 },
    ]);
    const full = estimateDesign(dt, part, calib({ thresholdRomLutScale: 1 })).layers[0]!;
    const folded = estimateDesign(dt, part, calib({ thresholdRomLutScale: 1, romConstFold: 1 })).layers[0]!;
    expect(folded.details!.thresholdLuts).toBeCloseTo((full.details!.thresholdLuts as number) * (10 / 16));
    expect(folded.details!.weightLuts).toBeCloseTo((full.details!.weightLuts as number) * (1 - 10 / 2 ** 16));
  });
});
