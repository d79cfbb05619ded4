/**
 * Streaming max-pool (K x K window, stride K) with `pe` channel lanes.
 *   cycles = inH * inW * C / pe   (every input element is read once, pe per cycle)
 *   LUT = poolBaseLuts + pe * inBits * poolCmpLutsPerBit (comparator + select per lane)
 *         + one row of partial maxima (depth outW * C / pe, width pe * inBits; LUTRAM or BRAM, auto)
 *         + output FIFO (SRL, pe * inBits bits)
 *         + (HLS project, hlsStreamStructure) the kx delay line of hls/cs_pool.hpp: C/pe words of pe * inBits bits in
 *           SRLs, fifoLutsPerBit * pe * inBits * ceil((C/pe) / fifoSrlDepth) LUTs
 *   For 1-bit bipolar inputs the max is an OR; the same per-bit cost applies.
 */
import type { CostParams } from '../calibration.js';
import { chooseMemory, mem, MEM_LUTRAM, MEM_NONE, STYLE_AUTO } from './memory.js';
import { MULT_NONE, type CostOut, type LayerGeom } from './types.js';

export function poolCost(p: CostParams, g: LayerGeom, pe: number, out: CostOut): void {
  const bits = g.inBits;
  out.cycles = (g.inH * g.inW * g.inC) / pe;
  out.mvauCycles = 0;
  out.swgCycles = 0;
  out.multKind = MULT_NONE;
  const computeLuts = p.poolBaseLuts + p.poolCmpLutsPerBit * pe * bits;
  out.computeLuts = computeLuts;
  // the RTL twin's row buffer (templates/rtl/lib/cs_maxpool.v) is read asynchronously (read-modify-write in one
  // cycle), which block RAM cannot do: under the yosys geometry (bramGeometry > 0) it is distributed RAM
  chooseMemory(p, 1, (g.outW * g.inC) / pe, pe * bits, p.bramGeometry > 0 ? MEM_LUTRAM : STYLE_AUTO, true);
  out.bufferStyle = mem.style;
  out.swgLuts = mem.luts;
  out.bufferLuts = mem.luts;
  out.swgBram18 = mem.bram18;
  out.weightStyle = MEM_NONE;
  out.weightLuts = 0;
  out.weightBram18 = 0;
  out.thresholdStyle = MEM_NONE;
  out.thresholdLuts = 0;
  out.thresholdBram18 = 0;
  out.fifoLuts = p.fifoLutsPerBit * pe * bits;
  const lineLuts = p.hlsStreamStructure * p.fifoLutsPerBit * pe * bits * Math.ceil(g.inC / pe / p.fifoSrlDepth);
  out.inWordElems = pe;
  out.inFifoDepth = 0;
  out.inFifoStyle = MEM_NONE;
  out.inFifoLuts = 0;
  out.inFifoBram18 = 0;
  out.dwcLuts = 0;
  out.dwcFfs = 0;
  out.dwcCycles = 0;
  out.lutram = mem.luts + out.fifoLuts + lineLuts;
  out.lut = computeLuts + mem.luts + out.fifoLuts + lineLuts;
  out.bram18 = mem.bram18;
  out.dsp = 0;
  out.ff = p.poolBaseFfs + pe * bits + p.fifoFfsPerBit * pe * bits;
}
