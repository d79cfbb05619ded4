/**
 * Folding optimizer: choose every layer's PE and SIMD among its kind's legal values (legalPe / legalSimd, see
 * src/layers/<kind>/kind.ts; a max-pool's PE divides its channels), so that
 *  - foldForFps: every layer meets the cycle budget floor(f_clk / fps) at the least total LUTs;
 *  - foldForLuts: the throughput is highest while the total LUTs stay within a budget.
 *
 * Given a cycle budget B the layers are independent (a layer's cycles and resources depend only on its own
 * folding: its output FIFO is charged to it, its window generator depends on its own SIMD), so minimising
 * each layer's LUTs under B separately is exact for the total of the layers. The width converters between layers
 * (src/core/cost/stream.ts dwcCost) depend on two neighbouring foldings: they are added to the totals of the chosen
 * chain (chainDwc) and foldForLuts checks its budget with them, so the totals equal the report's; the choice ignores
 * them (a converter is small next to a layer: the folding is optimal up to its converters). For every layer we
 * enumerate all legal foldings once ("menu"), sort them by cycles and keep a prefix minimum of (LUT, BRAM18, DSP,
 * cycles): the best folding under any budget is then one binary search away. The layers' LUTs(B) = sum of their
 * prefix minima is non-increasing in B, so foldForLuts bisects over the distinct cycle counts of all menus on them,
 * then steps up to the first budget whose total with converters fits.
 * Menus are cached per layer geometry and calibration (the search folds many designs sharing layers).
 *
 * Input pe/simd (and pool pe) are ignored and overwritten; memStyle is kept.
 */
import { costParams, type Calibration, type CostParams } from './calibration.js';
import { cloneDesign, legalPe, legalSimd, type Design, type LayerInfo } from './design.js';
import { kindOf } from '../layers/registry.js';
import { geomFromInfo, layerCost } from './cost/layer.js';
import { newCostOut, type LayerGeom } from './cost/types.js';
import { dwc, dwcCost } from './cost/stream.js';
import { checkedInfos, estimateFromInfos } from './estimate.js';
import type { Part } from './part.js';
import type { ResourceReport } from './report.js';

export type FoldResult =
  | { ok: true; design: Design; report: ResourceReport }
  | { ok: false; reason: string; best: { design: Design; report: ResourceReport } | null };

/** All legal foldings of one layer, sorted by cycles, with prefix minima. Plain typed arrays. */
export interface LayerMenu {
  name: string;
  size: number;
  pe: Int32Array;
  simd: Int32Array;
  cycles: Float64Array;
  lut: Float64Array;
  ff: Float64Array;
  bram18: Float64Array;
  dsp: Float64Array;
  /** best[i] = index of the cheapest option among options 0..i (all with cycles <= cycles[i]) */
  best: Int32Array;
  /** elements of the words the layer reads with each option (its converter's output width) */
  inElems: Int32Array;
  /** for the converter in front of the layer: the cost constants, element bits, elements per image, input channels */
  params: CostParams;
  inBits: number;
  inTotal: number;
  inC: number;
}

const scratch = newCostOut();

function better(m: { lut: Float64Array; bram18: Float64Array; dsp: Float64Array; cycles: Float64Array }, a: number, b: number): boolean {
  // is option a strictly better than option b? (LUT, then BRAM18, then DSP, then fewer cycles)
  if (m.lut[a]! !== m.lut[b]!) return m.lut[a]! < m.lut[b]!;
  if (m.bram18[a]! !== m.bram18[b]!) return m.bram18[a]! < m.bram18[b]!;
  if (m.dsp[a]! !== m.dsp[b]!) return m.dsp[a]! < m.dsp[b]!;
  return m.cycles[a]! < m.cycles[b]!;
}

/** Build the menu of one layer (every legal (pe, simd)). */
export function buildMenu(p: CostParams, info: LayerInfo, g: LayerGeom = geomFromInfo(info)): LayerMenu {
  const pes = legalPe(info);
  const simds = legalSimd(info);
  const n = pes.length * simds.length;
  const raw = { pe: new Int32Array(n), simd: new Int32Array(n), cycles: new Float64Array(n), lut: new Float64Array(n), ff: new Float64Array(n), bram18: new Float64Array(n), dsp: new Float64Array(n), inElems: new Int32Array(n) };
  let k = 0;
  for (const pe of pes) {
    for (const simd of simds) {
      layerCost(p, g, pe, simd, scratch);
      raw.pe[k] = pe;
      raw.simd[k] = simd;
      raw.cycles[k] = scratch.cycles;
      raw.lut[k] = Math.ceil(scratch.lut); // same rounding as estimateDesign, so menu sums equal report totals
      raw.ff[k] = Math.ceil(scratch.ff);
      raw.bram18[k] = scratch.bram18;
      raw.dsp[k] = scratch.dsp;
      raw.inElems[k] = scratch.inWordElems;
      k++;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => raw.cycles[a]! - raw.cycles[b]! || raw.lut[a]! - raw.lut[b]!);
  const m: LayerMenu = {
    name: info.name,
    size: n,
    pe: new Int32Array(n),
    simd: new Int32Array(n),
    cycles: new Float64Array(n),
    lut: new Float64Array(n),
    ff: new Float64Array(n),
    bram18: new Float64Array(n),
    dsp: new Float64Array(n),
    best: new Int32Array(n),
    inElems: new Int32Array(n),
    params: p,
    inBits: g.inBits,
    inTotal: g.inH * g.inW * g.inC,
    inC: g.inC,
  };
  for (let i = 0; i < n; i++) {
    const j = order[i]!;
    m.pe[i] = raw.pe[j]!;
    m.simd[i] = raw.simd[j]!;
    m.cycles[i] = raw.cycles[j]!;
    m.lut[i] = raw.lut[j]!;
    m.ff[i] = raw.ff[j]!;
    m.bram18[i] = raw.bram18[j]!;
    m.dsp[i] = raw.dsp[j]!;
    m.inElems[i] = raw.inElems[j]!;
  }
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && better(m, i, b)) b = i;
    m.best[i] = b;
  }
  return m;
}

/** Index of the cheapest option with cycles <= budget, or -1 when even the fastest option is too slow. */
export function menuPick(m: LayerMenu, budget: number): number {
  let lo = 0;
  let hi = m.size - 1;
  if (m.cycles[0]! > budget) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m.cycles[mid]! <= budget) lo = mid;
    else hi = mid - 1;
  }
  return m.best[lo]!;
}

// ---- menu cache: per calibration params, keyed by layer geometry ----
const MENU_CACHE_LIMIT = 5_000; // menus are ~1-50 KB each (options x 44 bytes)
const menuCaches = new WeakMap<CostParams, Map<string, LayerMenu>>();

function geomKey(g: LayerGeom): string {
  return `${g.kind}|${g.mw}|${g.mh}|${g.outPixels}|${g.wBits}|${g.inBits}|${g.inBipolar ? 1 : 0}|${g.outBits}|${g.isLast ? 1 : 0}|${g.accBits}|${g.kernel}|${g.padding}|${g.inH}|${g.inW}|${g.inC}|${g.outW}|${g.memStyle}`;
}

/** Menus of every layer of a design (cached by geometry). */
export function designMenus(design: Design, calib: Calibration): LayerMenu[] {
  return menusFromInfos(checkedInfos(design), calib);
}

function menusFromInfos(infos: LayerInfo[], calib: Calibration): LayerMenu[] {
  const p = costParams(calib);
  let cache = menuCaches.get(p);
  if (!cache) {
    cache = new Map();
    menuCaches.set(p, cache);
  }
  const menus: LayerMenu[] = [];
  for (const info of infos) {
    const g = geomFromInfo(info);
    const key = geomKey(g);
    let m = cache.get(key);
    if (!m) {
      m = buildMenu(p, info, g);
      if (cache.size >= MENU_CACHE_LIMIT) cache.clear();
      cache.set(key, m);
    }
    // the name differs between designs sharing a geometry; keep the menu shared and the name per call
    menus.push(m.name === info.name ? m : { ...m, name: info.name });
  }
  return menus;
}

/** Smallest cycle budget any folding can meet: the slowest layer's fastest option. */
export function minFeasibleBudget(menus: LayerMenu[]): { cycles: number; layer: number } {
  let cycles = 0;
  let layer = -1;
  menus.forEach((m, i) => {
    if (m.cycles[0]! > cycles) {
      cycles = m.cycles[0]!;
      layer = i;
    }
  });
  return { cycles, layer };
}

/** LUTs and FFs of the width converters of a chain of picked options (picks[i] indexes menus[i]). Writes `chain`. */
const chain = { luts: 0, ffs: 0 };
function chainDwc(menus: LayerMenu[], picks: Int32Array): void {
  chain.luts = 0;
  chain.ffs = 0;
  for (let i = 0; i < menus.length; i++) {
    const m = menus[i]!;
    const prev = i === 0 ? m.inC : menus[i - 1]!.pe[picks[i - 1]!]!;
    dwcCost(m.params, prev, m.inElems[picks[i]!]!, m.inBits, m.inTotal);
    // (rounded up on their own, as estimateDesign adds them to the layer figures)
    chain.luts += Math.ceil(dwc.luts);
    chain.ffs += Math.ceil(dwc.ffs);
  }
}

const pickScratch = { picks: new Int32Array(64) };
function picksAt(menus: LayerMenu[], budget: number): Int32Array | null {
  if (pickScratch.picks.length < menus.length) pickScratch.picks = new Int32Array(menus.length * 2);
  const picks = pickScratch.picks;
  for (let i = 0; i < menus.length; i++) {
    const k = menuPick(menus[i]!, budget);
    if (k < 0) return null;
    picks[i] = k;
  }
  return picks;
}

/** LUTs of the layers of the cheapest folding under `budget`, without the converters (Infinity when infeasible). */
function layerLutsAtBudget(menus: LayerMenu[], budget: number): number {
  let t = 0;
  for (const m of menus) {
    const k = menuPick(m, budget);
    if (k < 0) return Infinity;
    t += m.lut[k]!;
  }
  return t;
}

/** Total LUTs of the cheapest folding under `budget`, its width converters included (Infinity when infeasible). */
export function lutsAtBudget(menus: LayerMenu[], budget: number): number {
  const picks = picksAt(menus, budget);
  if (!picks) return Infinity;
  chainDwc(menus, picks);
  let t = 0;
  for (let i = 0; i < menus.length; i++) t += menus[i]!.lut[picks[i]!]!;
  return t + chain.luts;
}

/** Totals of the cheapest folding under a cycle budget, without building a design or a report. */
export interface FoldSummary {
  /** false when some layer cannot meet the budget (the other fields are then 0) */
  feasible: boolean;
  intervalCycles: number;
  fps: number;
  lut: number;
  ff: number;
  bram18: number;
  dsp: number;
}

/**
 * Fast path for the search: totals of foldForFps's folding for a budget (same numbers as its report's total and
 * performance.intervalCycles), in O(layers * log options) with cached menus.
 */
export function foldSummary(menus: LayerMenu[], budget: number, clockMHz: number): FoldSummary {
  const s: FoldSummary = { feasible: true, intervalCycles: 0, fps: 0, lut: 0, ff: 0, bram18: 0, dsp: 0 };
  const picks = picksAt(menus, budget);
  if (!picks) return { feasible: false, intervalCycles: 0, fps: 0, lut: 0, ff: 0, bram18: 0, dsp: 0 };
  for (let i = 0; i < menus.length; i++) {
    const m = menus[i]!;
    const k = picks[i]!;
    if (m.cycles[k]! > s.intervalCycles) s.intervalCycles = m.cycles[k]!;
    s.lut += m.lut[k]!;
    s.ff += m.ff[k]!;
    s.bram18 += m.bram18[k]!;
    s.dsp += m.dsp[k]!;
  }
  chainDwc(menus, picks);
  s.lut += chain.luts;
  s.ff += chain.ffs;
  s.fps = s.intervalCycles > 0 ? (clockMHz * 1e6) / s.intervalCycles : 0;
  return s;
}

/** Apply the cheapest folding under `budget` to a copy of the design (budget must be feasible). */
export function applyBudget(design: Design, menus: LayerMenu[], budget: number, clockMHz: number): Design {
  const d = cloneDesign(design);
  d.target.clockMHz = clockMHz;
  d.layers.forEach((l, i) => {
    const m = menus[i]!;
    const k = menuPick(m, budget);
    if (k < 0) throw new Error(`internal: layer ${m.name} cannot meet ${budget} cycles`);
    kindOf(l).setFolding(l, m.pe[k]!, m.simd[k]!);
  });
  return d;
}

/** Cycle budget for a target fps at a clock: floor(f_clk / fps) (with a small tolerance for rounding). */
export function cycleBudget(clockMHz: number, fps: number): number {
  return Math.floor((clockMHz * 1e6) / fps + 1e-6);
}

function fmt(x: number, digits = 1): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits);
}

/**
 * Fold for a throughput: every layer within floor(f_clk / fps) cycles at the least total LUTs.
 * Infeasible -> ok:false with the limiting layer and the highest reachable fps (best = that folding).
 */
export function foldForFps(design: Design, opts: { fps: number; clockMHz?: number }, part: Part, calib: Calibration): FoldResult {
  const clockMHz = opts.clockMHz ?? design.target.clockMHz;
  if (!(opts.fps > 0) || !Number.isFinite(opts.fps)) return { ok: false, reason: `fps must be a positive number (got ${opts.fps})`, best: null };
  if (!(clockMHz > 0)) return { ok: false, reason: `clock must be positive (got ${clockMHz} MHz)`, best: null };
  const infos = checkedInfos(design);
  const menus = menusFromInfos(infos, calib);
  const budget = cycleBudget(clockMHz, opts.fps);
  const lim = minFeasibleBudget(menus);
  if (lim.cycles > budget) {
    const d = applyBudget(design, menus, lim.cycles, clockMHz);
    const report = estimateFromInfos(d, infos, part, calib);
    const m = menus[lim.layer]!;
    const maxFps = (clockMHz * 1e6) / lim.cycles;
    return {
      ok: false,
      reason:
        `${fmt(opts.fps)} fps at ${clockMHz} MHz allows ${fmt(budget, 0)} cycles per image, but layer ${m.name} needs at least ` +
        `${fmt(lim.cycles, 0)} cycles even fully unfolded (pe ${m.pe[0]}, simd ${m.simd[0]}); the highest reachable throughput is ` +
        `${fmt(maxFps)} fps with ${fmt(report.total.lut, 0)} LUTs (raise the clock or shrink that layer)`,
      best: { design: d, report },
    };
  }
  const d = applyBudget(design, menus, budget, clockMHz);
  return { ok: true, design: d, report: estimateFromInfos(d, infos, part, calib) };
}

/**
 * Fold for a LUT budget: the highest throughput whose cheapest folding fits in `luts`.
 * Infeasible (even the cheapest folding is larger) -> ok:false, best = the cheapest folding.
 */
export function foldForLuts(design: Design, opts: { luts: number; clockMHz?: number }, part: Part, calib: Calibration): FoldResult {
  const clockMHz = opts.clockMHz ?? design.target.clockMHz;
  if (!(opts.luts > 0)) return { ok: false, reason: `LUT budget must be positive (got ${opts.luts})`, best: null };
  if (!(clockMHz > 0)) return { ok: false, reason: `clock must be positive (got ${clockMHz} MHz)`, best: null };
  const infos = checkedInfos(design);
  const menus = menusFromInfos(infos, calib);
  const lo = minFeasibleBudget(menus).cycles;
  // candidate budgets: every distinct cycle count >= lo of any option of any layer
  const set = new Set<number>();
  for (const m of menus) for (let i = 0; i < m.size; i++) if (m.cycles[i]! >= lo) set.add(m.cycles[i]!);
  const cands = Float64Array.from(set).sort();
  const top = cands[cands.length - 1]!;
  const cheapest = lutsAtBudget(menus, top);
  if (cheapest > opts.luts) {
    const d = applyBudget(design, menus, top, clockMHz);
    const report = estimateFromInfos(d, infos, part, calib);
    return {
      ok: false,
      reason:
        `the cheapest folding of ${design.name} needs ${fmt(report.total.lut, 0)} LUTs, more than the budget of ${fmt(opts.luts, 0)} LUTs ` +
        `(at ${fmt(report.performance.fps ?? 0)} fps); raise the budget or shrink the network`,
      best: { design: d, report },
    };
  }
  // smallest candidate budget whose LUTs fit: the layers' own LUTs are non-increasing in B, so bisect on them (a
  // lower bound of the total), then step up to the first budget whose total with its converters fits
  let a = 0;
  let b = cands.length - 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (layerLutsAtBudget(menus, cands[mid]!) <= opts.luts) b = mid;
    else a = mid + 1;
  }
  while (lutsAtBudget(menus, cands[a]!) > opts.luts) a++;
  const d = applyBudget(design, menus, cands[a]!, clockMHz);
  return { ok: true, design: d, report: estimateFromInfos(d, infos, part, calib) };
}
