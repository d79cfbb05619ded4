/**
 * Sliding-window generator (SWG) in front of a conv MVAU, after FINN-R and FINN's ConvolutionInputGenerator.
 * It buffers K + swgLineBuffers rows of the (padded) input and emits, for every output pixel, the K*K*Cin
 * window in SIMD-element words.
 *   read cycles  = inH * inW * Cin / min(SIMD, Cin)     (input pixels arrive min(SIMD, Cin) elements per cycle)
 *   write cycles = OFM^2 * K*K*Cin / SIMD               (= outPixels * SF, one MVAU input word per cycle)
 *   cycles       = max(read, write)                     (steady state; the row fill is part of the latency)
 *   LUT = swgBaseLuts + line buffers in LUTRAM; BRAM18 = line buffers in BRAM;
 *   line buffer: (K + swgLineBuffers) memories of depth (inW + 2P) * Cin / w, width w * inBits, w = min(SIMD, Cin);
 *   when SIMD = m * Cin (m whole pixels per word) each is split into m banks of 1/m the depth (m reads per cycle).
 * With swgRtlLineBuffer = 1 (calibrations against the RTL twin) the buffer is laid out as cs_conv.v does: m copies
 * (m = SIMD / Cin when SIMD > Cin, else 1) of one memory of 2^ceil(log2(K + swgLineBuffers)) * inW words of Cin * inBits,
 * each copy beyond the first with its own address arithmetic (swgBankLuts).
 * `wordElems` is the SIMD of the consumer's input word (conv: its SIMD; depthwise: its PE channels), `windowElems`
 * the elements of one output pixel's window (K*K*Cin). A 1x1 kernel without padding has no window generator: the
 * layer kinds (src/layers) do not call these functions then.
 */
import type { CostParams } from '../calibration.js';
import { chooseMemory, mem, MEM_LUTRAM, MEM_NONE, STYLE_AUTO } from './memory.js';
import type { CostOut, LayerGeom } from './types.js';

/** Fill the swg* fields of `out`; `luts/ff/bram` are added by the caller (addSwg). */
export function swgCost(p: CostParams, g: LayerGeom, simd: number, windowElems: number, out: CostOut): void {
  const w = simd < g.inC ? simd : g.inC;
  const read = (g.inH * g.inW * g.inC) / w;
  const write = (g.outPixels * windowElems) / simd;
  out.swgCycles = read > write ? read : write;
  const rows = g.kernel + p.swgLineBuffers;
  // SIMD = m * Cin (whole pixels per word): the row buffer is split into m banks to read m pixels per cycle
  const banks = simd > g.inC ? simd / g.inC : 1;
  if (p.swgRtlLineBuffer > 0) {
    // RTL twin (cs_conv.v): m copies of one ring of 2^ceil(log2(rows)) unpadded rows, one Cin-pixel per word
    let r = 1;
    while (r < rows) r *= 2;
    chooseMemory(p, banks, r * g.inW, g.inC * g.inBits, STYLE_AUTO, true);
  } else {
    const depth = ((g.inW + 2 * g.padding) * g.inC) / w;
    chooseMemory(p, rows * banks, banks > 1 ? Math.ceil(depth / banks) : depth, w * g.inBits, STYLE_AUTO, true);
  }
  out.bufferStyle = mem.style;
  out.bufferLuts = mem.luts;
  out.swgLuts = p.swgBaseLuts + mem.luts + p.swgBankLuts * (banks - 1);
  out.swgBram18 = mem.bram18;
}

/**
 * FFs of the window generator: counters, one output word register, the input pixel register, and (RTL twin) the
 * registered read port of each line-buffer copy kept in distributed RAM (`bufferStyle` from swgCost).
 */
export function swgFfs(p: CostParams, g: LayerGeom, simd: number, bufferStyle: number): number {
  const banks = simd > g.inC ? simd / g.inC : 1;
  const bankFfs = bufferStyle === MEM_LUTRAM ? p.swgBankFfsPerBit * banks * g.inC * g.inBits : 0;
  return p.swgBaseFfs + p.swgFfsPerBit * simd * g.inBits + p.swgPixelFfsPerBit * g.inC * g.inBits + bankFfs;
}

/** No window generator: zero the swg* fields. */
export function noSwg(out: CostOut): void {
  out.swgCycles = 0;
  out.swgLuts = 0;
  out.bufferLuts = 0;
  out.swgBram18 = 0;
  out.bufferStyle = MEM_NONE;
}

/** Pipeline a window generator in front of the MVAU already in `out`: cycles = max of the two, resources add up. */
export function addSwg(p: CostParams, g: LayerGeom, simd: number, windowElems: number, out: CostOut): void {
  swgCost(p, g, simd, windowElems, out);
  out.cycles = out.mvauCycles > out.swgCycles ? out.mvauCycles : out.swgCycles;
  out.lut += out.swgLuts;
  out.lutram += out.bufferLuts;
  out.bram18 += out.swgBram18;
  out.ff += swgFfs(p, g, simd, out.bufferStyle);
}
