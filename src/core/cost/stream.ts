/**
 * Streams between the stages of the generated dataflow pipeline (src/emit/hls.ts, hls/cs_dwc.hpp): the FIFO in front
 * of each matrix unit, sized from the cycle model, and the width converters between layers. Every term is multiplied
 * by hlsStreamStructure (1 for the HLS project, 0 for the RTL twin, whose plumbing the yosys fit absorbs).
 *
 * FIFO depth (streamFifoDepth): an MVAU reads the SF words of one input vector back to back during its first neuron
 * fold and replays them for the other NF-1 folds without reading (hls/cs_mvau.hpp SharedInput), i.e. it takes SF words
 * in SF cycles out of every NF*SF. A FIFO of SF words lets the producer deliver the next vector at its own pace during
 * the replay (any producer at least as fast as the MVAU's average rate 1/NF words per cycle then never stalls it);
 * with Vitis's default depth 2 the producer would have to deliver the SF words at one per cycle. A VVAU (depthwise)
 * or an MVAU with NF = 1 reads every cycle: depth 2.
 * FIFO cost (fifoCost): SRL FIFO of fifoLutsPerBit * width * ceil(depth / fifoSrlDepth) LUTs (UG474 SRLC32E) and
 * fifoFfsPerBit * width output register FFs, or block RAM (bramTiles) when the SRL would take more than
 * autoLutramMaxLutsPerBram18 LUTs per BRAM18, the rule memStyle auto uses (memory.ts). The depth-2 output FIFO each
 * layer already pays (mvau.ts / pool.ts fifoLuts) is this formula at depth <= 32.
 * Width converter (dwcCost, hls/cs_dwc.hpp dwc): IN_E -> OUT_E elements of B bits, TOTAL elements per image.
 *   multiple widths: dwcLutsPerBit * max(IN_E, OUT_E) * B LUTs, dwcFfsPerBit * max(IN_E, OUT_E) * B FFs,
 *                    max(in words, out words) cycles;
 *   other widths:    an element buffer of IN_E + OUT_E elements: dwcShiftLutsPerBit * (IN_E + OUT_E) * B LUTs,
 *                    dwcFfsPerBit * (IN_E + OUT_E) * B FFs, max(in words, out words) + ceil(OUT_E / IN_E) cycles;
 *   plus its 2-deep output FIFO (fifoCost(2, OUT_E * B)).
 * RTL twin (hlsStreamStructure 0, templates/rtl/lib/cs_dwc.v): rtlDwcFfsPerBit * lcm(IN_E, OUT_E) * B FFs and
 *   rtlDwcLutsPerBit * OUT_E * B * (lcm / OUT_E - 1) LUTs (its output mux); in words + out words cycles.
 */
import type { CostParams } from '../calibration.js';
import { bramTiles, MEM_BRAM, MEM_LUTRAM, MEM_NONE, tiles } from './memory.js';
import type { CostOut, LayerGeom } from './types.js';

/** FIFO depth of the stream a matrix unit reads (see the file comment). */
export function streamFifoDepth(nf: number, sf: number, replay: boolean): number {
  return replay && nf > 1 && sf > 2 ? sf : 2;
}

/** Result of fifoCost / dwcCost (module-level scratch: no allocation in the hot path). */
export const fifo = { style: MEM_NONE, luts: 0, ffs: 0, bram18: 0 };

/** Cost of one depth x width FIFO (MEM_LUTRAM stands for the SRL implementation). Writes `fifo`. */
export function fifoCost(p: CostParams, depth: number, width: number): void {
  if (p.hlsStreamStructure <= 0 || depth <= 0 || width <= 0) {
    fifo.style = MEM_NONE;
    fifo.luts = 0;
    fifo.ffs = 0;
    fifo.bram18 = 0;
    return;
  }
  const srl = p.fifoLutsPerBit * width * Math.ceil(depth / p.fifoSrlDepth);
  let b = 0;
  if (depth > p.fifoSrlDepth) {
    bramTiles(p, depth, width, true);
    b = tiles.bram18;
  }
  const ffs = p.hlsStreamStructure * p.fifoFfsPerBit * width;
  if (b > 0 && srl > p.autoLutramMaxLutsPerBram18 * b) {
    fifo.style = MEM_BRAM;
    fifo.luts = 0;
    fifo.bram18 = b;
  } else {
    fifo.style = MEM_LUTRAM;
    fifo.luts = p.hlsStreamStructure * srl;
    fifo.bram18 = 0;
  }
  fifo.ffs = ffs;
}

/** Result of dwcCost. */
export const dwc = { luts: 0, ffs: 0, cycles: 0 };

/** Cost of a width converter from inElems to outElems elements of `bits` bits, `total` elements per image. Writes `dwc`. */
export function dwcCost(p: CostParams, inElems: number, outElems: number, bits: number, total: number): void {
  if (inElems === outElems || (p.hlsStreamStructure <= 0 && p.rtlDwcFfsPerBit <= 0 && p.rtlDwcLutsPerBit <= 0)) {
    dwc.luts = 0;
    dwc.ffs = 0;
    dwc.cycles = 0;
    return;
  }
  const inWords = total / inElems;
  const outWords = total / outElems;
  if (p.hlsStreamStructure <= 0) {
    // RTL twin (templates/rtl/lib/cs_dwc.v): a buffer of L = lcm(IN, OUT) elements, filled in L/IN words, then
    // drained through an (L/OUT)-way output mux in L/OUT words (fill and drain do not overlap)
    const l = lcm(inElems, outElems);
    dwc.ffs = p.rtlDwcFfsPerBit * l * bits;
    dwc.luts = p.rtlDwcLutsPerBit * outElems * bits * (l / outElems - 1);
    dwc.cycles = inWords + outWords;
    return;
  }
  const most = inWords > outWords ? inWords : outWords;
  const multiple = inElems % outElems === 0 || outElems % inElems === 0;
  const wide = (inElems > outElems ? inElems : outElems) * bits;
  const bufBits = multiple ? wide : (inElems + outElems) * bits;
  fifoCost(p, 2, outElems * bits);
  dwc.luts = p.hlsStreamStructure * (multiple ? p.dwcLutsPerBit : p.dwcShiftLutsPerBit) * bufBits + fifo.luts;
  dwc.ffs = p.hlsStreamStructure * p.dwcFfsPerBit * bufBits + fifo.ffs;
  dwc.cycles = multiple ? most : most + Math.ceil(outElems / inElems);
}

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y > 0) [x, y] = [y, x % y];
  return (a / x) * b;
}

/**
 * Add the FIFO of the stream a matrix unit reads (depth `depth`, `width` bits) to `out`. `extraOnly`: the stream is
 * the producer's output (or a converter's), whose 2-deep FIFO is costed there; only the depth beyond it is added.
 */
export function addInputFifo(p: CostParams, depth: number, width: number, extraOnly: boolean, out: CostOut): void {
  fifoCost(p, depth, width);
  let luts = fifo.luts;
  let ffs = fifo.ffs;
  const bram = fifo.bram18;
  out.inFifoDepth = depth;
  out.inFifoStyle = fifo.style;
  if (extraOnly) {
    fifoCost(p, 2, width);
    luts -= fifo.luts;
    ffs -= fifo.ffs;
  }
  out.inFifoLuts = luts;
  out.inFifoBram18 = bram;
  out.lut += luts;
  out.lutram += luts;
  out.ff += ffs;
  out.bram18 += bram;
}

/**
 * The width converter in front of layer `g` (producer words of `prevElems` elements, the layer reads
 * out.inWordElems): its LUTs, FFs and cycles into out.dwcLuts / dwcFfs / dwcCycles. The estimate adds its LUTs and
 * FFs to the layer's figures (the RTL twin instantiates it inside the layer's module); the folding optimizer
 * (src/core/fold.ts) picks each layer's cheapest folding without it (a converter depends on two neighbouring foldings)
 * and adds the converters of the chosen chain to its totals. Its cycles are not the layer's: the converter reads
 * the producer's words (no more than the producer's own cycles, which writes at most one word per cycle) and writes
 * the words the layer reads (no more than the layer's cycles), so max(in, out) never exceeds the slower neighbour,
 * plus a fill of ceil(OUT/IN) cycles for non-multiple widths.
 */
export function addDwc(p: CostParams, prevElems: number, g: LayerGeom, out: CostOut): void {
  dwcCost(p, prevElems, out.inWordElems, g.inBits, g.inH * g.inW * g.inC);
  out.dwcLuts = dwc.luts;
  out.dwcFfs = dwc.ffs;
  out.dwcCycles = dwc.cycles;
}
