/**
 * Memory cost: how many BRAM18 blocks or LUTs (as 64x1 distributed RAM) a depth x width memory takes,
 * and the automatic choice between the two.
 *
 * BRAM18 counting follows the RAMB18 aspect ratios of Xilinx 7 series / UltraScale(+) block RAM
 * (UG473 / UG573): 16K x 1, 8K x 2, 4K x 4, 2K x 9, 1K x 18, 512 x 36 (simple dual port). A memory is
 * tiled with one aspect ratio: ceil(depth / D) * ceil(width / W) blocks, and the cheapest aspect wins, which
 * is the same width/depth tiling FINN-R and FINN's MVAU BRAM estimate use.
 * LUTRAM: width * ceil(depth / lutramBitsPerLut) LUTs (FINN-R / FINN MVAU: P*Q*W*ceil(depth/64)).
 */
import type { CostParams } from '../calibration.js';

/** Memory styles as small integers for the hot path. */
export const MEM_NONE = 0;
export const MEM_LUTRAM = 1;
export const MEM_BRAM = 2;
/** Requested style: auto lets the model choose. */
export const STYLE_AUTO = 0;

/** BRAM18 blocks for one depth x width memory (0 for an empty memory). Unrolled over the six aspect ratios. */
export function bram18For(depth: number, width: number): number {
  if (depth <= 0 || width <= 0) return 0;
  let best = Math.ceil(depth / 16384) * width; // 16K x 1
  let c = Math.ceil(depth / 8192) * Math.ceil(width / 2); // 8K x 2
  if (c < best) best = c;
  c = Math.ceil(depth / 4096) * Math.ceil(width / 4); // 4K x 4
  if (c < best) best = c;
  c = Math.ceil(depth / 2048) * Math.ceil(width / 9); // 2K x 9
  if (c < best) best = c;
  c = Math.ceil(depth / 1024) * Math.ceil(width / 18); // 1K x 18
  if (c < best) best = c;
  c = Math.ceil(depth / 512) * Math.ceil(width / 36); // 512 x 36
  if (c < best) best = c;
  return best;
}

/** LUTs for one depth x width memory in distributed RAM. */
export function lutramFor(p: CostParams, depth: number, width: number): number {
  if (depth <= 0 || width <= 0) return 0;
  return width * Math.ceil(depth / p.lutramBitsPerLut);
}

/** Result of `chooseMemory` (module-level scratch: no allocation in the hot path). */
export const mem = { style: MEM_NONE, luts: 0, bram18: 0 };

/**
 * Cost of `copies` identical depth x width memories in the requested style (MEM_LUTRAM, MEM_BRAM or
 * STYLE_AUTO). Auto keeps the memory in LUTRAM while its LUT cost is at most
 * autoLutramMaxLutsPerBram18 x the BRAM18 blocks it would otherwise take. Writes the result into `mem`.
 */
export function chooseMemory(p: CostParams, copies: number, depth: number, width: number, requested: number): void {
  if (copies <= 0 || depth <= 0 || width <= 0) {
    mem.style = MEM_NONE;
    mem.luts = 0;
    mem.bram18 = 0;
    return;
  }
  let style = requested;
  const l = style === MEM_BRAM ? 0 : lutramFor(p, depth, width);
  let b = -1;
  if (style === STYLE_AUTO) {
    // a BRAM18 holds at most 18 Kb, so ceil(bits / 18432) blocks is a lower bound: below it LUTRAM wins without tiling
    const lower = Math.ceil((depth * width) / 18432);
    if (l <= p.autoLutramMaxLutsPerBram18 * lower) style = MEM_LUTRAM;
    else {
      b = bram18For(depth, width);
      style = l <= p.autoLutramMaxLutsPerBram18 * b ? MEM_LUTRAM : MEM_BRAM;
    }
  }
  mem.style = style;
  if (style === MEM_LUTRAM) {
    mem.luts = copies * l;
    mem.bram18 = 0;
  } else {
    mem.luts = 0;
    mem.bram18 = copies * (b >= 0 ? b : bram18For(depth, width));
  }
}

export function memStyleName(s: number): 'none' | 'lutram' | 'bram' {
  return s === MEM_LUTRAM ? 'lutram' : s === MEM_BRAM ? 'bram' : 'none';
}
