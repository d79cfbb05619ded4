/**
 * Named constants of the analytical hardware model, with unit and source.
 *
 * The cost functions in src/core/cost/ read ONLY these constants (through `CostParams`, a flat numeric view
 * built once per calibration), so a calibration against real synthesis (`cosearch calibrate`, which writes
 * constraints/calibration/yosys-<family>.json with the same constant names) replaces the numbers without
 * touching the structure of the model.
 *
 * File shape (constraints/schemas/calibration.schema.json):
 *   { "format": "cosearch-calibration", "version": 1, "name": "default",
 *     "constants": { "<name>": { "value": 300, "unit": "LUT", "source": "..." }, ... } }
 * A file may list a subset: missing constants keep the default value.
 *
 * DEFAULT_CALIBRATION mirrors constraints/calibration/default.json (a test checks they are identical), so the
 * pure core can be used without file I/O.
 *
 * Sources:
 * - [FINN-R] M. Blott, T. B. Preusser, N. J. Fraser, G. Gambardella, K. O'Brien, Y. Umuroglu, M. Leeser,
 *   K. Vissers: "FINN-R: An End-to-End Deep-Learning Framework for Fast Exploration of Quantized Neural
 *   Networks", ACM TRETS 11(3), 2018. LUT cost of the MVAU: c0 + c1 * PE * (multipliers + adder tree +
 *   accumulator + threshold comparators) (+ weight memory in LUTs).
 * - [FINN-MVAU] FINN compiler documentation / MatrixVectorActivation resource estimate (after FINN-R):
 *   c0 = 300, c1 = 1.1; LUT multiplier of a W x A bit product ~ (2*ceil((W+A)/6) - 1) * (W+A) LUTs;
 *   adder tree ~ (W+A) * (2*SIMD - 1) LUTs per PE; accumulator ~ accBits LUTs per PE; thresholds
 *   ~ (2^B - 1) * accBits LUTs per PE for the comparators (+ the same per 64 entries when stored in LUTRAM);
 *   weight memory in LUTRAM ~ PE * SIMD * W * ceil(depth / 64) LUTs.
 * - [FINN-SWG] FINN ConvolutionInputGenerator resource estimate: 300 LUTs + (K + stride) line buffers of
 *   depth IFMDim * IFMCh / SIMD and width SIMD * inBits.
 * - [FINN-17] Y. Umuroglu et al., "FINN: A Framework for Fast, Scalable Binarized Neural Network Inference",
 *   FPGA 2017: XNOR + popcount datapath for 1-bit weights and activations.
 * - [UG473]/[UG573] 7 series / UltraScale memory resources: RAMB18 aspect ratios 16Kx1, 8Kx2, 4Kx4, 2Kx9,
 *   1Kx18, 512x36 (simple dual port). [UG474]/[UG574] CLB: a SLICEM LUT is a 64x1 RAM (RAM64X1S) or a
 *   32-deep shift register (SRL32).
 * - [UG479]/[UG579] DSP48E1/E2: one 25x18 / 27x18 multiplier per slice.
 * Constants marked "cosearch default" are engineering choices of this project, to be replaced by calibration.
 */

export interface CalibrationConstant {
  value: number;
  unit: string;
  source: string;
  note?: string;
}

export interface Calibration {
  format?: 'cosearch-calibration';
  version?: 1;
  /** 'default', 'yosys-xc7', 'vitis-xczu3eg', ... */
  name: string;
  description?: string;
  family?: string;
  createdAt?: string;
  fit?: Record<string, number | string | boolean | null>;
  constants: Record<string, CalibrationConstant>;
}

const FINN_MVAU = 'FINN MatrixVectorActivation LUT estimate after FINN-R (Blott et al., ACM TRETS 2018)';

/** The default constants. Keep in sync with constraints/calibration/default.json (tested). */
export const DEFAULT_CALIBRATION: Calibration = {
  format: 'cosearch-calibration',
  version: 1,
  name: 'default',
  description: 'Default constants of the cosearch analytical model (FINN-R / FINN resource formulas, Xilinx data sheets).',
  constants: {
    // ---- memories ----
    lutramBitsPerLut: { value: 64, unit: 'bit/LUT', source: 'UG474/UG574: a SLICEM LUT6 is a 64x1 distributed RAM (RAM64X1S); FINN-MVAU ceil(depth/64)' },
    bramGeometry: { value: 0, unit: 'flag', source: 'block RAM counting (src/core/cost/memory.ts): 0 = aspect tiling, one RAMB18 aspect ratio per memory (UG473/UG573; the FINN-R / FINN MVAU BRAM estimate); 1 = yosys 0.23 memory_libmap on its Xilinx library (brams_xc4v.txt; distributed RAM of lutrams_xc5v.txt, 7 series), 2 = the same with UltraScale distributed RAM (lutrams_xcu.txt): address ranges packed side by side in RAMB18/RAMB36 data bits, cheapest of its geometries by its cost rule; structural, not fitted; default 0' },
    bramMuxLutsPerBit: { value: 0, unit: 'LUT/bit', source: 'LUTs per bit of the read multiplexer that selects between the address ranges of a block RAM memory packed side by side under bramGeometry 1 ((ranges - 1) * width bits); default 0' },
    autoLutramMaxLutsPerBram18: { value: 64, unit: 'LUT/BRAM18', source: 'cosearch default: memStyle auto keeps a memory in LUTRAM while it costs at most this many LUTs per BRAM18 it would otherwise occupy (comparable to FINN keeping <=128-deep weight memories in LUTs)' },
    // ---- MVAU (matrix-vector-activation unit) ----
    mvauBaseLuts: { value: 300, unit: 'LUT', source: `${FINN_MVAU}: c0 = 300 (control, stream interfaces)` },
    mvauPeLutScale: { value: 1.1, unit: 'LUT/LUT', source: `${FINN_MVAU}: c1 = 1.1 (multiplies the per-PE datapath LUTs)` },
    lutMultScale: { value: 1, unit: 'LUT/LUT', source: `${FINN_MVAU}: W x A LUT multiplier = (2*ceil((W+A)/6) - 1) * (W+A) LUTs, scaled by this factor` },
    xnorLutsPerLane: { value: 1, unit: 'LUT/lane', source: 'FINN (Umuroglu et al., FPGA 2017) XNOR-popcount: one LUT6 per 1-bit x 1-bit XNOR lane; cosearch default' },
    popcountLutsPerInput: { value: 1, unit: 'LUT/input bit', source: 'FINN-R: popcount compressor tree grows linearly in SIMD, about one LUT per input bit; cosearch default' },
    signFlipLutsPerBit: { value: 1, unit: 'LUT/bit', source: 'cosearch default: a bipolar (+-1) operand times a b-bit operand is a conditional negation, one LUT per bit of the b-bit operand' },
    adderTreeLutsPerBit: { value: 1, unit: 'LUT/(bit*adder)', source: `${FINN_MVAU}: adder tree = (W+A) * (2*SIMD - 1) LUTs per PE` },
    accLutsPerBit: { value: 1, unit: 'LUT/bit', source: `${FINN_MVAU}: accumulator = accBits LUTs per PE` },
    thresholdCmpLutsPerBit: { value: 1, unit: 'LUT/bit', source: `${FINN_MVAU}: threshold comparators = (2^B - 1) * accBits LUTs per PE` },
    dspMinOperandBits: { value: 5, unit: 'bit', source: 'cosearch default: a product is mapped to a DSP slice when both operands are multi-bit and at least this wide; narrower products use LUT multipliers (FINN resType auto maps small products to LUTs)' },
    dspPerMultiplier: { value: 1, unit: 'DSP/multiplier', source: 'UG479/UG579: one DSP48 slice holds one 25x18 (27x18) multiplier; no operand packing assumed' },
    mvauBaseFfs: { value: 150, unit: 'FF', source: 'cosearch default: control counters (NF, SF, pixel) and stream handshake registers of one MVAU' },
    accFfsPerBit: { value: 1, unit: 'FF/bit', source: 'cosearch default: one register per accumulator bit per PE' },
    laneFfsPerBit: { value: 1, unit: 'FF/bit', source: 'cosearch default: one pipeline register stage on the W+A bits of every SIMD lane' },
    // ---- VVAU (depthwise convolution: PE channels, one product each per cycle) ----
    vvauBaseLuts: { value: 300, unit: 'LUT', source: 'FINN VectorVectorActivation LUT estimate (same form as the MVAU: c0 = 300 for control and stream interfaces); cosearch uses the MVAU per-PE terms with SIMD = 1 per PE' },
    vvauBaseFfs: { value: 150, unit: 'FF', source: 'cosearch default: control counters and stream handshake registers of one VVAU (as mvauBaseFfs)' },
    // ---- sliding-window generator ----
    swgBaseLuts: { value: 300, unit: 'LUT', source: 'FINN ConvolutionInputGenerator LUT estimate: 300 LUTs + line buffer' },
    swgLineBuffers: { value: 1, unit: 'rows', source: 'FINN ConvolutionInputGenerator: (K + stride) line buffers; stride is 1 here, so K + this value' },
    swgBaseFfs: { value: 100, unit: 'FF', source: 'cosearch default: address counters of the sliding-window generator' },
    swgPixelFfsPerBit: { value: 0, unit: 'FF/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_dwc.v, cs_conv.v): input pixel word of Cin*inBits bits registered by the width converter in front of the window generator; default 0' },
    swgBankLuts: { value: 0, unit: 'LUT/bank', source: 'cosearch RTL twin (templates/rtl/lib/cs_conv.v g_bank): when SIMD = M * Cin (M > 1 whole pixels per word, e.g. a first layer on a 1-channel image) each of the M line-buffer copies has its own window address arithmetic (kernel position to row slot and column, in-window test); LUTs per bank beyond the first; default 0' },
    swgFfsPerBit: { value: 1, unit: 'FF/bit', source: 'cosearch default: one output register per bit of the SIMD*inBits window word of the sliding-window generator' },
    swgBankFfsPerBit: { value: 0, unit: 'FF/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_conv.v g_bank, cs_ram.v): the registered read port of each line-buffer copy in distributed RAM, Cin*inBits bits per copy (M copies when SIMD = M * Cin; a block RAM keeps it in the cell); default 0' },
    // ---- max-pool ----
    poolBaseLuts: { value: 100, unit: 'LUT', source: 'cosearch default: control of a streaming max-pool unit' },
    poolCmpLutsPerBit: { value: 1, unit: 'LUT/bit', source: 'cosearch default: one LUT per bit of a magnitude comparator + select (per PE lane)' },
    poolBaseFfs: { value: 50, unit: 'FF', source: 'cosearch default: counters of a streaming max-pool unit' },
    // ---- stream FIFOs between layers ----
    fifoLutsPerBit: { value: 1, unit: 'LUT/bit', source: 'UG474/UG574: a <=32-deep FIFO stores one bit per SRL32 LUT; one output FIFO per layer, width = PE * output bits' },
    fifoFfsPerBit: { value: 1, unit: 'FF/bit', source: 'cosearch default: output register of the SRL FIFO' },
    // ---- stream plumbing of the HLS project (sized FIFOs, width converters) ----
    rtlDwcFfsPerBit: { value: 0, unit: 'FF/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_dwc.v): the width converter between words of IN and OUT elements buffers lcm(IN, OUT) elements of B bits; FFs per buffered bit; default 0' },
    rtlDwcLutsPerBit: { value: 0, unit: 'LUT/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_dwc.v): the converter\'s (lcm/OUT)-way output mux of OUT*B bits; LUTs per output bit per extra way; default 0' },
    dspAccumulator: { value: 0, unit: 'flag', source: 'cosearch RTL twin under yosys (synth_xilinx xilinx_dsp): 1 = a PE with one DSP product (SIMD 1) accumulates in the DSP48\'s own ALU and P register, so its accumulator costs no LUTs or FFs (over the calibration and bench designs such layers were 16-117 FFs high, about accBits per PE); structural, not fitted; default 0' },
    hlsStreamStructure: { value: 1, unit: 'flag', source: 'cosearch HLS project (src/emit/hls.ts, hls/cs_dwc.hpp, hls/cs_pool.hpp): 1 = cost the stream plumbing of the generated Vitis HLS project: the sized FIFO in front of each MVAU/VVAU (streamFifoDepth), the width converters between layers (dwcLutsPerBit, dwcShiftLutsPerBit, dwcFfsPerBit) and the max-pool\'s kx delay line; 0 = the RTL twin (templates/rtl/lib: fused window control, 2-deep FIFOs, its own converters costed by rtlDwcFfsPerBit / rtlDwcLutsPerBit); structural, not fitted; default 1' },
    fifoSrlDepth: { value: 32, unit: 'word/LUT', source: 'UG474/UG574: a SLICEM LUT6 is a 32-deep shift register (SRLC32E), so an SRL FIFO stores ceil(depth/32) LUTs per bit (the same form as FINN StreamingFIFO LUT estimate for its SRL-based FIFOs); FIFOs that would take more than autoLutramMaxLutsPerBram18 LUTs per BRAM18 go to block RAM' },
    dwcLutsPerBit: { value: 1, unit: 'LUT/bit', source: 'cosearch default after FINN StreamingDataWidthConverter LUT estimate (LUTs scale with the wider of the two stream widths): hls/cs_dwc.hpp up/down converters select or place one narrow word in the wide register, one LUT per bit of the wider word' },
    dwcShiftLutsPerBit: { value: 2, unit: 'LUT/bit', source: 'cosearch default: hls/cs_dwc.hpp converter of non-multiple widths keeps IN+OUT elements and each element slot selects between its shifted neighbour and a new input element (two LUT levels per bit)' },
    dwcFfsPerBit: { value: 1, unit: 'FF/bit', source: 'cosearch default: hls/cs_dwc.hpp converter register, the wider word (up/down) or IN+OUT elements (non-multiple widths)' },
    // ---- RTL-twin structure (templates/rtl/lib); default 0 = the FINN formulas above, unchanged ----
    shiftAddMultScale: { value: 0, unit: 'LUT/LUT', source: 'cosearch RTL twin (templates/rtl/lib/cs_mvau.v): a W x A shift-add LUT multiplier = min(W,A) * (W + A + 1) LUTs (min(W,A) conditional add/subtract rows of W+A+1 bits, lane_prod), scaled by this factor; added to the FINN term (lutMultScale); default 0' },
    lutMultAreaScale: { value: 0, unit: 'LUT/bit^2', source: 'cosearch RTL twin (templates/rtl/lib/cs_mvau.v lane_prod) under yosys: LUTs per partial-product bit (W x A) of a variable (non-constant-weight) shift-add LUT multiplier, added to the FINN and shift-add terms; default 0' },
    inputBufferLutsPerBit: { value: 0, unit: 'LUT/(bit*64 words)', source: 'cosearch RTL twin (templates/rtl/lib/cs_dense.v): dense and 1x1 conv layers keep a double-buffered input store of 2*SF words of SIMD*inBits bits; LUTs = this * SIMD*inBits * ceil(2*SF/64) (UG474 RAM64X1); default 0' },
    inputBufferFfsPerBit: { value: 0, unit: 'FF/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_dense.v): registered read port of the input store, SIMD*inBits bits; default 0' },
    romOutFfsPerBit: { value: 0, unit: 'FF/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_rom.v, cs_mvau.v): registered weight-ROM output, PE*SIMD*W bits, at most 2^depth - 2 per PE (synthesis drops constant and merges equal registers of a ROM with random contents); default 0' },
    thresholdRegFfsPerBit: { value: 0, unit: 'FF/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_rom.v, cs_mvau.v t2): registered threshold row (ROM output register, and the copy t2 the comparators read: two per distinct column, one when the ROM is a block RAM), per PE the distinct non-constant columns of its NF-word threshold ROM (mvau.ts thresholdColumns); default 0' },
    mvauCounterFfsPerBit: { value: 0, unit: 'FF/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_dense.v, cs_conv.v): the loop counters that grow with the folding: weight address ceil(log2(NF*SF + 1)), input word ceil(log2(SF + 1)) and neuron fold ceil(log2(NF + 1)) bits; FFs per counter bit; default 0' },
    inputBufferBramAboveLuts: { value: 0, unit: 'LUT', source: 'cosearch RTL twin (templates/rtl/lib/cs_dense.v) under yosys: the input store goes to block RAM (RAMB18 tiling) when it is deeper than 64 words and its LUTRAM cost SIMD*inBits*ceil(2*SF/64) exceeds this many LUTs (yosys 0.23 synth_xilinx: 36, the largest store the calibration grid kept in LUTs; the grid alone allows 36-62); 0 = always LUTRAM; not used under bramGeometry > 0, where yosys\'s own cost rule decides (memory.ts yosysRamInBram); structural, not fitted' },
    romConstFold: { value: 0, unit: 'flag', source: 'cosearch RTL twin (templates/rtl/lib/cs_rom.v, cs_mvau.v): 1 = weight and threshold ROMs in LUTs are constant-folded by synthesis: a column of a depth-d ROM with random contents is constant with probability 2^(1-d) and a plain address bit for d <= 2, so ROM LUTs scale with (1 - 2^(1-d)) (0 for d <= 2) and lanes/comparators on constant columns cost constLaneLutsPerBit / constCmpLutsPerBit instead; structural, not fitted; default 0' },
    constLaneLutsPerBit: { value: 0, unit: 'LUT/bit', source: 'cosearch RTL twin with romConstFold = 1: LUTs per W+A bits of a lane product whose weight is a synthesis-time constant (constant-coefficient shift-add); default 0' },
    constCmpLutsPerBit: { value: 0, unit: 'LUT/bit', source: 'cosearch RTL twin with romConstFold = 1: LUTs per accumulator bit of a threshold comparison against a synthesis-time constant; default 0' },
    thresholdRomLutScale: { value: 1, unit: 'LUT/LUT', source: 'scale of the threshold-memory LUT cost (thresholds live in ROMs of the RTL twin, read into a register); 1 = the LUTRAM formula; fitted against yosys' },
    thresholdCountLutsPerBit: { value: 0, unit: 'LUT/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_mvau.v g_thr): the output code counts the thresholds passed, a chain of 2^B - 1 increments of B bits per PE; LUTs = this * (2^B - 1) * B per PE; default 0' },
    adderTreeExactLutsPerBit: { value: 0, unit: 'LUT/bit', source: 'cosearch RTL twin (templates/rtl/lib/cs_mvau.v g_lv): LUTs per bit of the balanced adder tree counted exactly (level l adds floor(ceil(SIMD/2^(l-1))/2) pairs of W+A+1+l bits); default 0 (the FINN term adderTreeLutsPerBit is used instead)' },
    swgRtlLineBuffer: { value: 0, unit: 'flag', source: 'cosearch RTL twin (templates/rtl/lib/cs_conv.v): 0 = FINN layout (K + swgLineBuffers row memories of width min(SIMD,Cin)*inBits, split into m banks when SIMD = m*Cin); 1 = RTL layout (m copies of one memory of 2^ceil(log2(K + swgLineBuffers)) unpadded rows of Cin*inBits bits); structural, not fitted; default 0' },
    // ---- timing ----
    layerPipelineLatencyCycles: { value: 10, unit: 'cycle', source: 'cosearch default: pipeline depth (fill) of one layer, added per layer to the latency' },
  },
};

/** Flat numeric view of a calibration, read by the cost functions in the hot path. */
export interface CostParams {
  calibration: string;
  lutramBitsPerLut: number;
  autoLutramMaxLutsPerBram18: number;
  bramGeometry: number;
  bramMuxLutsPerBit: number;
  mvauBaseLuts: number;
  mvauPeLutScale: number;
  lutMultScale: number;
  xnorLutsPerLane: number;
  popcountLutsPerInput: number;
  signFlipLutsPerBit: number;
  adderTreeLutsPerBit: number;
  accLutsPerBit: number;
  thresholdCmpLutsPerBit: number;
  dspMinOperandBits: number;
  dspPerMultiplier: number;
  mvauBaseFfs: number;
  accFfsPerBit: number;
  laneFfsPerBit: number;
  vvauBaseLuts: number;
  vvauBaseFfs: number;
  swgBaseLuts: number;
  swgLineBuffers: number;
  swgBaseFfs: number;
  swgFfsPerBit: number;
  swgBankLuts: number;
  swgPixelFfsPerBit: number;
  swgBankFfsPerBit: number;
  poolBaseLuts: number;
  poolCmpLutsPerBit: number;
  poolBaseFfs: number;
  fifoLutsPerBit: number;
  fifoFfsPerBit: number;
  mvauCounterFfsPerBit: number;
  rtlDwcFfsPerBit: number;
  rtlDwcLutsPerBit: number;
  dspAccumulator: number;
  hlsStreamStructure: number;
  fifoSrlDepth: number;
  dwcLutsPerBit: number;
  dwcShiftLutsPerBit: number;
  dwcFfsPerBit: number;
  shiftAddMultScale: number;
  lutMultAreaScale: number;
  inputBufferLutsPerBit: number;
  inputBufferFfsPerBit: number;
  romOutFfsPerBit: number;
  thresholdRegFfsPerBit: number;
  swgRtlLineBuffer: number;
  romConstFold: number;
  inputBufferBramAboveLuts: number;
  constLaneLutsPerBit: number;
  constCmpLutsPerBit: number;
  adderTreeExactLutsPerBit: number;
  thresholdCountLutsPerBit: number;
  thresholdRomLutScale: number;
  layerPipelineLatencyCycles: number;
}

export const CONSTANT_NAMES = Object.keys(DEFAULT_CALIBRATION.constants) as (keyof Omit<CostParams, 'calibration'>)[];

/** Merge a (possibly partial) calibration over the defaults. Unknown names are kept (reported by `unknownConstants`). */
export function mergeCalibration(c: Calibration): Calibration {
  return { ...c, constants: { ...DEFAULT_CALIBRATION.constants, ...c.constants } };
}

export function unknownConstants(c: Calibration): string[] {
  return Object.keys(c.constants).filter((k) => !(k in DEFAULT_CALIBRATION.constants));
}

const paramsCache = new WeakMap<Calibration, CostParams>();

/** The numeric view of a calibration (cached per calibration object; missing constants take the default). */
export function costParams(c: Calibration): CostParams {
  let p = paramsCache.get(c);
  if (p) return p;
  const v = (k: keyof Omit<CostParams, 'calibration'>): number => c.constants[k]?.value ?? DEFAULT_CALIBRATION.constants[k]!.value;
  // one object literal (not keys added in a loop) so V8 keeps fast properties for the hot path
  p = {
    calibration: c.name,
    lutramBitsPerLut: v('lutramBitsPerLut'),
    autoLutramMaxLutsPerBram18: v('autoLutramMaxLutsPerBram18'),
    bramGeometry: v('bramGeometry'),
    bramMuxLutsPerBit: v('bramMuxLutsPerBit'),
    mvauBaseLuts: v('mvauBaseLuts'),
    mvauPeLutScale: v('mvauPeLutScale'),
    lutMultScale: v('lutMultScale'),
    xnorLutsPerLane: v('xnorLutsPerLane'),
    popcountLutsPerInput: v('popcountLutsPerInput'),
    signFlipLutsPerBit: v('signFlipLutsPerBit'),
    adderTreeLutsPerBit: v('adderTreeLutsPerBit'),
    accLutsPerBit: v('accLutsPerBit'),
    thresholdCmpLutsPerBit: v('thresholdCmpLutsPerBit'),
    dspMinOperandBits: v('dspMinOperandBits'),
    dspPerMultiplier: v('dspPerMultiplier'),
    mvauBaseFfs: v('mvauBaseFfs'),
    accFfsPerBit: v('accFfsPerBit'),
    laneFfsPerBit: v('laneFfsPerBit'),
    vvauBaseLuts: v('vvauBaseLuts'),
    vvauBaseFfs: v('vvauBaseFfs'),
    swgBaseLuts: v('swgBaseLuts'),
    swgLineBuffers: v('swgLineBuffers'),
    swgBaseFfs: v('swgBaseFfs'),
    swgFfsPerBit: v('swgFfsPerBit'),
    swgBankLuts: v('swgBankLuts'),
    swgPixelFfsPerBit: v('swgPixelFfsPerBit'),
    swgBankFfsPerBit: v('swgBankFfsPerBit'),
    poolBaseLuts: v('poolBaseLuts'),
    poolCmpLutsPerBit: v('poolCmpLutsPerBit'),
    poolBaseFfs: v('poolBaseFfs'),
    fifoLutsPerBit: v('fifoLutsPerBit'),
    fifoFfsPerBit: v('fifoFfsPerBit'),
    mvauCounterFfsPerBit: v('mvauCounterFfsPerBit'),
    rtlDwcFfsPerBit: v('rtlDwcFfsPerBit'),
    rtlDwcLutsPerBit: v('rtlDwcLutsPerBit'),
    dspAccumulator: v('dspAccumulator'),
    hlsStreamStructure: v('hlsStreamStructure'),
    fifoSrlDepth: v('fifoSrlDepth'),
    dwcLutsPerBit: v('dwcLutsPerBit'),
    dwcShiftLutsPerBit: v('dwcShiftLutsPerBit'),
    dwcFfsPerBit: v('dwcFfsPerBit'),
    shiftAddMultScale: v('shiftAddMultScale'),
    lutMultAreaScale: v('lutMultAreaScale'),
    inputBufferLutsPerBit: v('inputBufferLutsPerBit'),
    inputBufferFfsPerBit: v('inputBufferFfsPerBit'),
    romOutFfsPerBit: v('romOutFfsPerBit'),
    thresholdRegFfsPerBit: v('thresholdRegFfsPerBit'),
    swgRtlLineBuffer: v('swgRtlLineBuffer'),
    romConstFold: v('romConstFold'),
    inputBufferBramAboveLuts: v('inputBufferBramAboveLuts'),
    constLaneLutsPerBit: v('constLaneLutsPerBit'),
    constCmpLutsPerBit: v('constCmpLutsPerBit'),
    adderTreeExactLutsPerBit: v('adderTreeExactLutsPerBit'),
    thresholdCountLutsPerBit: v('thresholdCountLutsPerBit'),
    thresholdRomLutScale: v('thresholdRomLutScale'),
    layerPipelineLatencyCycles: v('layerPipelineLatencyCycles'),
  };
  paramsCache.set(c, p);
  return p;
}

/**
 * A new calibration with some constants replaced (units kept from `base`), e.g. for a fit:
 *   withConstants(DEFAULT_CALIBRATION, { mvauBaseLuts: 120 }, { name: 'yosys-xc7', source: 'least-squares fit of 12 designs, yosys 0.23' })
 * Unknown names throw (a programming error). The result serialises to a valid calibration file.
 */
export function withConstants(base: Calibration, values: Record<string, number>, meta: { name: string; source: string; family?: string; description?: string }): Calibration {
  const constants: Record<string, CalibrationConstant> = { ...base.constants };
  for (const [k, value] of Object.entries(values)) {
    const old = base.constants[k] ?? DEFAULT_CALIBRATION.constants[k];
    if (!old) throw new Error(`unknown calibration constant "${k}"; known: ${Object.keys(DEFAULT_CALIBRATION.constants).join(', ')}`);
    if (!Number.isFinite(value)) throw new Error(`calibration constant "${k}" must be a finite number (got ${value})`);
    constants[k] = { value, unit: old.unit, source: meta.source };
  }
  return {
    format: 'cosearch-calibration',
    version: 1,
    name: meta.name,
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    ...(meta.family !== undefined ? { family: meta.family } : {}),
    constants,
  };
}
