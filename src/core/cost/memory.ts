/**
 * Memory cost: how many BRAM18 blocks or LUTs (as 64x1 distributed RAM) a depth x width memory takes,
 * and the automatic choice between the two.
 *
 * BRAM18 counting follows the RAMB18 aspect ratios of Xilinx 7 series / UltraScale(+) block RAM
 * (UG473 / UG573): 16K x 1, 8K x 2, 4K x 4, 2K x 9, 1K x 18, 512 x 36 (simple dual port). A memory is
 * tiled with one aspect ratio: ceil(depth / D) * ceil(width / W) blocks, and the cheapest aspect wins, which
 * is the same width/depth tiling FINN-R and FINN's MVAU BRAM estimate use.
 * LUTRAM: width * ceil(depth / lutramBitsPerLut) LUTs (FINN-R / FINN MVAU: P*Q*W*ceil(depth/64)).
 *
 * bramGeometry = 1 (calibrations against yosys for 7 series; 2 for UltraScale(+), whose distributed RAM library
 * differs) counts blocks the way yosys 0.23 `memory_libmap` maps a memory onto the Xilinx block RAM library it ships
 * (share/yosys/xilinx/brams_xc4v.txt, selected by synth_xilinx with HAS_SIZE_36): RAMB18 ("HALF", cost 129: 16Kx1 ..
 * 1Kx18) and RAMB36 ("FULL", cost 257: 32Kx1 .. 1Kx36) as true dual port, RAMB18 512x36 and RAMB36 512x72 as simple
 * dual port (its cascaded 64K mode is never chosen on these memories: an 86528 x 48 ROM, cheaper as 59 cascades by
 * the cost rule, maps to 115 RAMB36 at 2K x 18). For each geometry of D rows x w bits, memory_libmap (handle_geom) cuts the
 * memory into mult = ceil(depth / D) address ranges, lays them side by side in the data bits (a range of a memory
 * with a write port padded to whole 9-bit bytes, or to w when w < 9, so that each keeps its own write enable),
 * needs ceil(mult * width / w) blocks, and selects the range with a read multiplexer; its cost is
 * blocks * cost + 0.5 * (mult - 1) * width (read mux) + 0.5 * mult (write demux, memories with a write port), and
 * the cheapest geometry wins. So a deep, narrow ROM packs at almost 36 bits per 1K rows (27040 x 4 bits: 3 RAMB36,
 * where aspect tiling needs 7 RAMB18) at the price of a (mult - 1) * width-bit read mux, which bramMuxLutsPerBit
 * charges in LUTs. Checked against yosys 0.23 on 60 single ROMs and RAMs on xc7 and xcup, all exact
 * (`npx tsx bench/yosys-bram.ts`; recorded in bench/data/yosys-bram-shapes.jsonl, test/core/memory-yosys.test.ts).
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

/** Block RAM geometries of yosys's Xilinx library: cost, BRAM18 per block, address bits, data widths (index i: 2^(abits-i) rows). */
const YOSYS_BRAMS: ReadonlyArray<{ cost: number; bram18: number; abits: number; widths: readonly number[] }> = [
  { cost: 129, bram18: 1, abits: 14, widths: [1, 2, 4, 9, 18] }, // RAMB18 true dual port
  { cost: 257, bram18: 2, abits: 15, widths: [1, 2, 4, 9, 18, 36] }, // RAMB36 true dual port
  { cost: 129, bram18: 1, abits: 14, widths: [0, 0, 0, 0, 0, 36] }, // RAMB18 simple dual port, 512 x 36
  { cost: 257, bram18: 2, abits: 15, widths: [0, 0, 0, 0, 0, 0, 72] }, // RAMB36 simple dual port, 512 x 72
];

/**
 * Distributed RAM geometries of yosys's Xilinx libraries for a memory with one write and one separate read port:
 * [cost, widthscale, address bits, width] of the simple dual port (RAM32M / RAM64M), dual port (RAMnnX1D) and quad
 * port cells; bramGeometry 1: 7 series (lutrams_xc5v.txt), 2: UltraScale(+) (lutrams_xcu.txt).
 */
const YOSYS_LUTRAMS: Record<number, ReadonlyArray<readonly [number, number, number, number]>> = {
  1: [[8, 7, 5, 6], [8, 7, 6, 3], [8, 8, 5, 4], [8, 8, 6, 2], [8, 8, 7, 1], [7, 7, 5, 2], [7, 7, 6, 1]],
  2: [[16, 16, 5, 14], [16, 16, 6, 7], [16, 16, 5, 8], [16, 16, 6, 4], [16, 16, 7, 2], [16, 16, 8, 1], [16, 16, 5, 4], [16, 16, 6, 2], [16, 16, 5, 2], [16, 16, 6, 1]],
};

/**
 * memory_libmap's cost of one geometry of `w`-bit words (handle_geom): `mult` address ranges, each word padded to the
 * write-enable granularity `byte` (1 for a ROM), ceil(mult * padded / w) cells of (cost - widthscale), widthscale per
 * used width (integer division, as yosys computes it), 0.5 per read-mux bit and 0.5 per write-demux output. Writes
 * the cell count into `libmapBlocks`.
 */
let libmapBlocks = 0;
function libmapCost(cost: number, widthscale: number, byte: number, mult: number, width: number, w: number, writable: boolean): number {
  const padded = Math.ceil(width / byte) * byte;
  libmapBlocks = Math.ceil((mult * padded) / w);
  return (cost - widthscale) * libmapBlocks + Math.floor((widthscale * mult * width) / w) + 0.5 * (mult - 1) * width + (writable && mult > 1 ? 0.5 * mult : 0);
}

/**
 * Whether yosys maps a depth x width RAM (one write, one read port; no rom_style/ram_style attribute) to block RAM:
 * the cheaper of its block and distributed geometries by memory_libmap's cost (bramGeometry > 0 only). Distributed
 * RAM has no byte enables: a word is padded to the cell width.
 */
export function yosysRamInBram(p: CostParams, depth: number, width: number): boolean {
  const luts = YOSYS_LUTRAMS[p.bramGeometry] ?? YOSYS_LUTRAMS[1]!;
  let lutCost = Infinity;
  for (const [cost, ws, abits, w] of luts) {
    const c = libmapCost(cost, ws, w, Math.ceil(depth / 2 ** abits), width, w, true);
    if (c < lutCost) lutCost = c;
  }
  bramTiles(p, depth, width, true);
  return tiles.cost < lutCost;
}

/** Result of `bramTiles` (module-level scratch: no allocation in the hot path). */
export const tiles = { bram18: 0, muxBits: 0, cost: 0 };

/**
 * BRAM18 blocks of one depth x width memory under the calibration's bramGeometry (0: aspect tiling, bram18For;
 * 1: yosys memory_libmap, see the file comment) and the bits of the read multiplexer that selects between address
 * ranges packed side by side ((ranges - 1) * width; 0 for aspect tiling). `writable`: the memory has a write port
 * (line and input buffers, FIFOs) rather than being a ROM. Writes `tiles`.
 */
export function bramTiles(p: CostParams, depth: number, width: number, writable: boolean): void {
  tiles.muxBits = 0;
  if (p.bramGeometry <= 0 || depth <= 0 || width <= 0) {
    tiles.bram18 = bram18For(depth, width);
    return;
  }
  let bestCost = Infinity;
  for (const g of YOSYS_BRAMS) {
    for (let i = 0; i < g.widths.length; i++) {
      const w = g.widths[i]!;
      if (w === 0) continue;
      const mult = Math.ceil(depth / 2 ** (g.abits - i));
      // write enables per 9-bit byte (per word below 9 bits); a ROM needs none
      const cost = libmapCost(g.cost, 0, writable ? (w < 9 ? w : 9) : 1, mult, width, w, writable);
      if (cost < bestCost) {
        bestCost = cost;
        tiles.cost = cost;
        tiles.bram18 = libmapBlocks * g.bram18;
        tiles.muxBits = (mult - 1) * width;
      }
    }
  }
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
 * autoLutramMaxLutsPerBram18 x the BRAM18 blocks it would otherwise take. A block RAM memory's `luts` are its read
 * multiplexer under bramGeometry 1 (bramMuxLutsPerBit per bit, see bramTiles). `writable`: a RAM (line buffer,
 * FIFO), not a ROM. Writes the result into `mem`.
 */
export function chooseMemory(p: CostParams, copies: number, depth: number, width: number, requested: number, writable = false): void {
  if (copies <= 0 || depth <= 0 || width <= 0) {
    mem.style = MEM_NONE;
    mem.luts = 0;
    mem.bram18 = 0;
    return;
  }
  let style = requested;
  const l = style === MEM_BRAM ? 0 : lutramFor(p, depth, width);
  let counted = false;
  if (style === STYLE_AUTO && writable && p.bramGeometry > 0) {
    // a RAM the RTL twin leaves to yosys: its own cost rule decides (the bramTiles call leaves the block count in tiles)
    style = yosysRamInBram(p, depth, width) ? MEM_BRAM : MEM_LUTRAM;
    counted = true;
  } else if (style === STYLE_AUTO) {
    // a BRAM18 holds at most 18 Kb, so ceil(bits / 18432) blocks is a lower bound: below it LUTRAM wins without tiling
    const lower = Math.ceil((depth * width) / 18432);
    if (l <= p.autoLutramMaxLutsPerBram18 * lower) style = MEM_LUTRAM;
    else {
      // the choice compares with aspect tiling under every bramGeometry: the emitters resolve 'auto' with this same
      // rule, so a ROM's style does not depend on which synthesizer's block count the calibration models
      style = l <= p.autoLutramMaxLutsPerBram18 * bram18For(depth, width) ? MEM_LUTRAM : MEM_BRAM;
    }
  }
  mem.style = style;
  if (style === MEM_LUTRAM) {
    mem.luts = copies * l;
    mem.bram18 = 0;
  } else {
    if (!counted) bramTiles(p, depth, width, writable);
    mem.luts = copies * p.bramMuxLutsPerBit * tiles.muxBits;
    mem.bram18 = copies * tiles.bram18;
  }
}

export function memStyleName(s: number): 'none' | 'lutram' | 'bram' {
  return s === MEM_LUTRAM ? 'lutram' : s === MEM_BRAM ? 'bram' : 'none';
}
