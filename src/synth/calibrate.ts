/**
 * Calibration of the analytical cost model (src/core/cost) against synthesis.
 *
 * 1. `calibrationDesigns(n, seed)`: a seeded grid of small designs that vary, layer by layer, the folding
 *    (PE, SIMD), weight / activation bit widths, kernel sizes, channel counts (memory sizes) and layer kinds.
 * 2. `synthesizeSamples`: emits each design's RTL twin (random integer weights: resource use does not depend
 *    on training) and synthesizes it with yosys; every layer of every design is one sample.
 * 3. `fitCalibration`: the model's LUT (and FF) estimate of a layer is linear in the per-unit constants below
 *    once the structural ones (memory thresholds, DSP operand width, LUTRAM bits per LUT) are fixed, so the
 *    design matrix is read off the model itself (estimate with each constant at 1 minus the estimate with all
 *    at 0; exact for a linear model) and the constants are fitted by relative least squares (rows weighted by
 *    1 / measured), with a small ridge toward the default value (keeps constants the grid does not excite at
 *    their defaults) and non-negativity (active set). mvauPeLutScale is fixed to 1: the per-PE constants
 *    absorb it.
 * The same fitter fits a Vitis calibration from csynth reports (totals per design) with `fitFromCsynth`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import { analyzeDesign, isCompute, legalPe, legalSimd, type Design, type Layer } from '../core/design.js';
import { kindOf } from '../layers/registry.js';
import { Rng } from '../core/rng.js';
import { randomIntModel } from '../core/random-intmodel.js';
import { DEFAULT_CALIBRATION, type Calibration } from '../core/calibration.js';
import { estimateDesign } from '../core/estimate.js';
import type { Part } from '../core/part.js';
import type { ResourceReport } from '../core/report.js';
import { emitRtl } from '../emit/rtl.js';
import { synthYosysRun } from './yosys.js';
import { parseCsynthXml } from './csynth-parse.js';
import { loadPart } from '../parts.js';
import { partCapacity } from '../core/part.js';
import { validateDesignObject } from '../config.js';
import { DataError, NoInputError } from '../errors.js';
import { readJsonFile } from '../io.js';

/** LUT constants of the FINN-style model (per-unit terms of src/core/cost); the Vitis (csynth) fit uses these. */
export const FINN_LUT_CONSTANTS = [
  'mvauBaseLuts', 'xnorLutsPerLane', 'popcountLutsPerInput', 'signFlipLutsPerBit', 'lutMultScale', 'adderTreeLutsPerBit',
  'accLutsPerBit', 'thresholdCmpLutsPerBit', 'swgBaseLuts', 'poolBaseLuts', 'poolCmpLutsPerBit', 'fifoLutsPerBit',
] as const;
/** FF constants of the FINN-style model; the Vitis (csynth) fit uses these. */
export const FINN_FF_CONSTANTS = ['mvauBaseFfs', 'accFfsPerBit', 'laneFfsPerBit', 'swgBaseFfs', 'poolBaseFfs', 'fifoFfsPerBit'] as const;
/** LUT constants fitted against yosys: the FINN terms + the RTL twin's structure (default 0 in the default calibration). */
export const LUT_CONSTANTS = [...FINN_LUT_CONSTANTS, 'shiftAddMultScale', 'inputBufferLutsPerBit', 'constLaneLutsPerBit', 'constCmpLutsPerBit', 'adderTreeExactLutsPerBit', 'thresholdCountLutsPerBit', 'thresholdRomLutScale', 'bramMuxLutsPerBit', 'swgBankLuts', 'lutMultAreaScale', 'rtlDwcLutsPerBit'] as const;
/** FF constants fitted against yosys. */
export const FF_CONSTANTS = [...FINN_FF_CONSTANTS, 'swgFfsPerBit', 'swgPixelFfsPerBit', 'swgBankFfsPerBit', 'inputBufferFfsPerBit', 'romOutFfsPerBit', 'thresholdRegFfsPerBit', 'rtlDwcFfsPerBit', 'mvauCounterFfsPerBit'] as const;
/** Structural settings fixed (not fitted) when calibrating against the RTL twin with yosys. */
export const YOSYS_FIXED: Record<string, number> = { mvauPeLutScale: 1, swgRtlLineBuffer: 1, romConstFold: 1, inputBufferBramAboveLuts: 36, hlsStreamStructure: 0, bramGeometry: 1, dspAccumulator: 1 };

/** YOSYS_FIXED for a yosys family: the distributed RAM library differs between 7 series and UltraScale(+) (bramGeometry 1 / 2). */
export function yosysFixed(family: string): Record<string, number> {
  return { ...YOSYS_FIXED, bramGeometry: family.startsWith('xcu') ? 2 : 1 };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)]!;

/** Choose a legal (pe, simd) for layer i of d, bounded so that yosys stays fast. */
function foldLayer(rng: Rng, d: Design, i: number, maxLanes: number): void {
  const info = analyzeDesign(d).infos[i]!;
  const l = d.layers[i] as Layer & { pe: number; simd: number; wBits: number };
  const pes = legalPe(info).filter((p) => p <= 16);
  l.pe = pick(rng, pes);
  const simds = legalSimd(info).filter((s) => s * l.pe <= maxLanes);
  l.simd = pick(rng, simds.length ? simds : [1]);
}

/**
 * A random small design: conv (8-bit input) [+ maxpool] + conv or dense [+ ...] + dense classifier, every
 * compute layer folded at random. Deterministic in `seed`.
 */
export function randomGridDesign(seed: number, name = `grid${seed}`): Design {
  for (let attempt = 0; ; attempt++) {
    const rng = new Rng(seed * 7919 + attempt);
    const H = pick(rng, [8, 10, 12, 14, 16]);
    const C0 = pick(rng, [1, 1, 2, 3]);
    const layers: Layer[] = [];
    const k0 = pick(rng, [1, 3, 3, 5]);
    layers.push({ kind: 'conv', outChannels: pick(rng, [4, 6, 8, 12, 16]), kernel: k0, padding: rng.int(0, Math.min(2, k0 - 1)), wBits: pick(rng, [1, 2, 3, 4, 8]), aBits: pick(rng, [1, 1, 2, 3, 4]), pe: 1, simd: 1 });
    if (rng.next() < 0.5) layers.push({ kind: 'maxpool', size: 2 });
    if (rng.next() < 0.7) {
      const k1 = pick(rng, [1, 3, 3]);
      layers.push({ kind: 'conv', outChannels: pick(rng, [4, 8, 12, 16, 24, 32]), kernel: k1, padding: k1 === 3 ? rng.int(0, 1) : 0, wBits: pick(rng, [1, 1, 2, 3, 4, 6]), aBits: pick(rng, [1, 1, 2, 3, 4]), pe: 1, simd: 1 });
      if (rng.next() < 0.5) layers.push({ kind: 'maxpool', size: 2 });
    }
    if (rng.next() < 0.5) layers.push({ kind: 'dense', outFeatures: pick(rng, [16, 24, 32]), wBits: pick(rng, [1, 2, 4]), aBits: pick(rng, [1, 2, 3]), pe: 1, simd: 1 });
    layers.push({ kind: 'dense', outFeatures: 10, wBits: pick(rng, [1, 2, 3, 4, 8]), pe: 1, simd: 1 });
    const d: Design = { version: 1, name, input: { height: H, width: H, channels: C0, bits: 8 }, layers, target: { part: 'xc7z020', clockMHz: 100 } };
    // shapes must work out before folding
    const pre = analyzeDesign(d).issues.filter((x) => !/\/(pe|simd)$/.test(x.jsonPath));
    if (pre.length) continue;
    if (foldGridDesign(rng, d)) return d;
    if (attempt > 100) throw new Error(`cannot draw a valid grid design for seed ${seed}`);
  }
}

/** Fold every compute layer of a grid design at random; false when it is unusable (flattened input too wide). */
function foldGridDesign(rng: Rng, d: Design): boolean {
  // a flattening layer (dense) on more than 1200 inputs makes yosys slow
  if (analyzeDesign(d).infos.some((inf) => !kindOf(inf.layer).spatial && inf.matrixW > 1200)) return false;
  d.layers.forEach((l, i) => {
    if (isCompute(l)) foldLayer(rng, d, i, 96);
  });
  return analyzeDesign(d).issues.length === 0;
}

/**
 * A random small depthwise-separable design: conv (8-bit input) [+ maxpool] + depthwise k x k + pointwise 1x1
 * [+ maxpool] + dense classifier, every compute layer folded at random (depthwise: PE channels). Deterministic in
 * `seed`; its own seeds (separableDesigns) so the plain grid stays as it was.
 */
export function randomSeparableDesign(seed: number, name = `sep${seed}`): Design {
  for (let attempt = 0; ; attempt++) {
    const rng = new Rng(seed * 104729 + attempt);
    const H = pick(rng, [8, 10, 12, 14]);
    const layers: Layer[] = [];
    const k0 = pick(rng, [1, 3]);
    layers.push({ kind: 'conv', outChannels: pick(rng, [4, 6, 8, 12, 16]), kernel: k0, padding: k0 === 3 ? rng.int(0, 1) : 0, wBits: pick(rng, [1, 2, 3, 4, 8]), aBits: pick(rng, [1, 1, 2, 3, 4]), pe: 1, simd: 1 });
    if (rng.next() < 0.4) layers.push({ kind: 'maxpool', size: 2 });
    const k1 = pick(rng, [3, 3, 5]);
    layers.push({ kind: 'depthwise', kernel: k1, padding: rng.int(0, (k1 - 1) >> 1), wBits: pick(rng, [1, 2, 3, 4, 8]), aBits: pick(rng, [1, 2, 3, 4]), pe: 1, simd: 1 });
    layers.push({ kind: 'pointwise', outChannels: pick(rng, [8, 12, 16, 24]), wBits: pick(rng, [1, 2, 3, 4]), aBits: pick(rng, [1, 1, 2, 3]), pe: 1, simd: 1 });
    if (rng.next() < 0.5) layers.push({ kind: 'maxpool', size: 2 });
    layers.push({ kind: 'dense', outFeatures: 10, wBits: pick(rng, [1, 2, 3, 4, 8]), pe: 1, simd: 1 });
    const d: Design = { version: 1, name, input: { height: H, width: H, channels: pick(rng, [1, 1, 2, 3]), bits: 8 }, layers, target: { part: 'xc7z020', clockMHz: 100 } };
    const pre = analyzeDesign(d).issues.filter((x) => !/\/(pe|simd)$/.test(x.jsonPath));
    if (pre.length === 0 && foldGridDesign(rng, d)) return d;
    if (attempt > 100) throw new Error(`cannot draw a valid separable design for seed ${seed}`);
  }
}

/** Depthwise-separable designs for fitting the VVAU terms: seeds 2001...; bench/rtl.ts uses 3001... */
export function separableDesigns(n: number, seed = 2001): Design[] {
  return Array.from({ length: n }, (_, i) => randomSeparableDesign(seed + i, `sep${seed + i}`));
}

/**
 * Grid designs with every weight memory forced to one style (`memStyle` of the design IR): even seeds 'bram', odd
 * 'lutram', so that bench/rtl.ts checks each style the estimate, HLS and RTL read, not only what 'auto' chooses.
 * Seeds 4001+ (disjoint from the calibration grid and the bench's plain designs); named mem<seed>.
 */
export function memStyleDesigns(n: number, seed = 4001): Design[] {
  return Array.from({ length: n }, (_, i) => {
    const d = randomGridDesign(seed + i, `mem${seed + i}`);
    const style = (seed + i) % 2 === 0 ? 'bram' : 'lutram';
    for (const l of d.layers) if (kindOf(l).compute) (l as Layer & { memStyle?: string }).memStyle = style;
    return d;
  });
}

/**
 * Designs picked by searches (bench/picked.ts writes them to bench/data/picked/: winners and Pareto points at
 * several parts, budgets and frame rates), those whose part maps to yosys `family`, split by their content-named
 * file into a fit half (`cosearch calibrate` adds them to its grid) and a held-out half (bench/rtl.ts). The grid
 * alone missed the search's picks: its small random designs were 8% off while the demo winner was 27% off.
 */
export function pickedDesigns(dir: string, half: 'fit' | 'bench', family?: string): Design[] {
  if (!existsSync(dir)) return [];
  const out: Design[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const file = join(dir, f);
    const d = readJsonFile(file, 'picked design') as Design;
    validateDesignObject(d, file);
    if (family !== undefined && loadPart(d.target.part).yosysFamily !== family) continue;
    const h = createHash('sha256').update(basename(f, '.json')).digest();
    if ((h[0]! & 1 ? 'bench' : 'fit') === half) out.push({ ...d, name: `picked_${basename(f, '.json').replace(/[^A-Za-z0-9_]/g, '_')}` });
  }
  return out;
}

/** The VVAU (depthwise) terms, fitted on depthwise layers with every other constant held (fitSeparableTerms). */
export const VVAU_LUT_CONSTANTS = ['vvauBaseLuts'] as const;
export const VVAU_FF_CONSTANTS = ['vvauBaseFfs'] as const;

/** The calibration grid: seeds 1..n. */
export function calibrationDesigns(n: number, seed = 1): Design[] {
  return Array.from({ length: n }, (_, i) => randomGridDesign(seed + i, `cal${seed + i}`));
}

/** Designs for the accuracy benchmark: disjoint seeds (1001...) from the calibration grid. */
export function benchDesigns(n: number, seed = 1001): Design[] {
  return Array.from({ length: n }, (_, i) => randomGridDesign(seed + i, `bench${seed + i}`));
}

export interface Sample {
  design: Design;
  report: ResourceReport;
  wallSeconds: number;
}

/**
 * Emit + synthesize each design under workDir/<name>/ (a report already there is reused, so an interrupted
 * run resumes).
 */
export async function synthesizeSamples(
  designs: Design[],
  workDir: string,
  opts: { family?: string; timeoutMs?: number; onProgress?: (i: number, n: number, name: string, s: Sample | null, err?: Error) => void } = {},
): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const [i, d] of designs.entries()) {
    const prj = join(workDir, d.name);
    const cached = join(prj, 'sample.json');
    try {
      if (existsSync(cached)) {
        const s = JSON.parse(readFileSync(cached, 'utf8')) as Sample;
        if (JSON.stringify(s.design) === JSON.stringify(d) && (!opts.family || s.report.source.version.includes(`-family ${opts.family}`))) {
          out.push(s);
          opts.onProgress?.(i, designs.length, d.name, s);
          continue;
        }
      }
      const model = randomIntModel(d, 1);
      const img = new Uint8Array(d.input.height * d.input.width * d.input.channels);
      emitRtl(model, prj, { testImages: img, testCount: 1 });
      const r = await synthYosysRun(prj, { family: opts.family, timeoutMs: opts.timeoutMs });
      const s: Sample = { design: d, report: r.report, wallSeconds: r.wallSeconds };
      const { writeJsonAtomic } = await import('../io.js');
      writeJsonAtomic(cached, s);
      out.push(s);
      opts.onProgress?.(i, designs.length, d.name, s);
    } catch (e) {
      opts.onProgress?.(i, designs.length, d.name, null, e as Error);
      throw e;
    }
  }
  return out;
}

/** One observation: the measured value of a layer (index) or of the whole design (layer = -1). */
export interface FitRow {
  design: Design;
  layer: number;
  measured: number;
}

function withConstants(base: Calibration, values: Record<string, number>, name: string): Calibration {
  const constants = { ...base.constants };
  for (const [k, v] of Object.entries(values)) constants[k] = { ...(constants[k] ?? DEFAULT_CALIBRATION.constants[k]!), value: v };
  return { ...base, name, constants };
}

/** The design's own part (picked designs target several parts of a family), else `part`. */
const partCache = new Map<string, Part>();
function partOf(design: Design, part: Part): Part {
  const name = design.target.part;
  if (name === part.name) return part;
  if (!partCache.has(name)) partCache.set(name, loadPart(name));
  return partCache.get(name)!;
}

function estimateOf(design: Design, layer: number, part: Part, calib: Calibration, metric: 'lut' | 'ff'): number {
  const r = estimateDesign(design, partOf(design, part), calib);
  return layer < 0 ? r.total[metric] : r.layers[layer]![metric];
}

/** Solve (A + ridge) x = b by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const piv = M[c]![c]!;
    if (Math.abs(piv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / piv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

export interface FitResult {
  values: Record<string, number>;
  /** median / max absolute relative error of the rows before (defaults) and after the fit */
  before: { median: number; max: number };
  after: { median: number; max: number };
  rows: number;
}

export function errorStats(pairs: { est: number; meas: number }[]): { median: number; max: number } {
  const e = pairs.map((p) => Math.abs(p.est - p.meas) / Math.max(1, p.meas)).sort((a, b) => a - b);
  if (!e.length) return { median: 0, max: 0 };
  const m = e.length % 2 ? e[(e.length - 1) / 2]! : (e[e.length / 2 - 1]! + e[e.length / 2]!) / 2;
  return { median: m, max: e[e.length - 1]! };
}

/**
 * Fit `names` (constants the metric is linear in) to the rows. `fixed` constants are set first (e.g.
 * mvauPeLutScale = 1). Relative least squares + ridge toward the start values + non-negativity.
 */
export function fitConstants(rows: FitRow[], names: readonly string[], base: Calibration, part: Part, metric: 'lut' | 'ff', fixed: Record<string, number> = {}, ridge = 1e-3): FitResult {
  const start = withConstants(base, fixed, base.name);
  const zero = withConstants(start, Object.fromEntries(names.map((n) => [n, 0])), 'zero');
  const units = names.map((n) => withConstants(zero, { [n]: 1 }, `unit-${n}`));
  const X: number[][] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (const r of rows) {
    const c0 = estimateOf(r.design, r.layer, part, zero, metric);
    X.push(units.map((u) => estimateOf(r.design, r.layer, part, u, metric) - c0));
    y.push(r.measured - c0);
    w.push(1 / Math.max(20, r.measured) ** 2);
  }
  const x0 = names.map((n) => start.constants[n]?.value ?? DEFAULT_CALIBRATION.constants[n]!.value);
  const active = names.map(() => true);
  let x = x0.slice();
  for (let iter = 0; iter < names.length + 1; iter++) {
    const idx = names.map((_, j) => j).filter((j) => active[j]);
    const A = idx.map(() => idx.map(() => 0));
    const b = idx.map(() => 0);
    X.forEach((row, i) => {
      idx.forEach((j, a) => {
        b[a]! += w[i]! * row[j]! * y[i]!;
        idx.forEach((k, c) => (A[a]![c]! += w[i]! * row[j]! * row[k]!));
      });
    });
    // ridge toward the start values, scaled to the column's weight so it only matters for unexcited columns
    idx.forEach((j, a) => {
      const s = Math.max(1e-9, ...A.map((r) => Math.abs(r[a]!))) * ridge + 1e-9;
      A[a]![a]! += s;
      b[a]! += s * x0[j]!;
    });
    const sol = solve(A, b);
    x = names.map(() => 0);
    idx.forEach((j, a) => (x[j] = sol[a]!));
    const neg = idx.filter((j) => x[j]! < 0);
    if (!neg.length) break;
    for (const j of neg) {
      active[j] = false;
      x[j] = 0;
    }
  }
  const values = Object.fromEntries(names.map((n, j) => [n, Math.round(x[j]! * 1000) / 1000]));
  const fitted = withConstants(start, values, 'fitted');
  const before = errorStats(rows.map((r) => ({ est: estimateOf(r.design, r.layer, part, base, metric), meas: r.measured })));
  const after = errorStats(rows.map((r) => ({ est: estimateOf(r.design, r.layer, part, fitted, metric), meas: r.measured })));
  return { values: { ...fixed, ...values }, before, after, rows: rows.length };
}

/** Per-layer rows of yosys samples (every layer of every design). */
export function layerRows(samples: Sample[], metric: 'lut' | 'ff'): FitRow[] {
  const rows: FitRow[] = [];
  for (const s of samples) s.report.layers.forEach((l, i) => rows.push({ design: s.design, layer: i, measured: l[metric] }));
  return rows;
}

/** Build the calibration file object from LUT and FF fits. */
export function buildCalibration(base: Calibration, fits: { lut: FitResult; ff: FitResult }, meta: { name: string; family?: string; source: string; designs: number; tool: string }): Calibration {
  const constants = { ...DEFAULT_CALIBRATION.constants, ...base.constants };
  const out: Calibration['constants'] = {};
  for (const [k, c] of Object.entries(constants)) out[k] = { value: c.value, unit: c.unit, source: c.source };
  const stamp = `${meta.source}: fitted by cosearch calibrate (relative least squares over ${meta.designs} designs, ${fits.lut.rows} samples: layers and design totals)`;
  for (const [k, v] of Object.entries({ ...fits.lut.values, ...fits.ff.values })) {
    const src =
      k === 'mvauPeLutScale' ? `${meta.source}: fixed to 1 by cosearch calibrate (the per-PE constants absorb it)`
      : k === 'swgRtlLineBuffer' ? `${meta.source}: fixed to ${v} by cosearch calibrate (line buffer laid out as the RTL twin's cs_conv.v)`
      : k === 'romConstFold' ? `${meta.source}: fixed to ${v} by cosearch calibrate (yosys constant-folds the RTL twin's LUT ROMs)`
      : k === 'inputBufferBramAboveLuts' ? `${meta.source}: fixed to ${v} by cosearch calibrate (yosys maps the dense input store to RAMB18 above this LUTRAM cost; read off the calibration grid)`
      : k === 'bramGeometry' ? `${meta.source}: fixed to ${v} by cosearch calibrate (yosys memory_libmap packs address ranges side by side in block RAM)`
      : k === 'dspAccumulator' ? `${meta.source}: fixed to ${v} by cosearch calibrate (xilinx_dsp packs a single-product accumulator into the DSP48)`
      : k === 'hlsStreamStructure' ? `${meta.source}: fixed to ${v} by cosearch calibrate (the RTL twin has none of the HLS project's sized FIFOs, converters or pool delay line)`
      : stamp;
    out[k] = { value: v, unit: constants[k]!.unit, source: src };
  }
  return {
    format: 'cosearch-calibration',
    version: 1,
    name: meta.name,
    description: `Cost-model constants fitted against ${meta.tool}`,
    ...(meta.family ? { family: meta.family } : {}),
    createdAt: new Date().toISOString(),
    fit: {
      tool: meta.tool,
      designs: meta.designs,
      layerSamples: fits.lut.rows, // fitted rows (layers + design totals for yosys, totals for csynth)
      lutMedianAbsErrBefore: round4(fits.lut.before.median),
      lutMedianAbsErrAfter: round4(fits.lut.after.median),
      lutMaxAbsErrAfter: round4(fits.lut.after.max),
      ffMedianAbsErrBefore: round4(fits.ff.before.median),
      ffMedianAbsErrAfter: round4(fits.ff.after.median),
    },
    constants: out,
  };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** One row per design: its total (layer = -1). */
export function designRows(samples: Sample[], metric: 'lut' | 'ff'): FitRow[] {
  return samples.map((s) => ({ design: s.design, layer: -1, measured: s.report.total[metric] }));
}

/**
 * Fit LUT and FF constants from yosys samples: every layer of every design and every design's total. The layer rows
 * give the per-layer split; the total rows keep the fit from trading large layers for small ones (a relative fit on
 * layers alone left the FF totals 8.5% low on average, bench/rtl.ts).
 */
export function fitFromSamples(samples: Sample[], base: Calibration, part: Part, meta: { name: string; family: string }): Calibration {
  const fixed = yosysFixed(meta.family);
  const lut = fitConstants([...layerRows(samples, 'lut'), ...designRows(samples, 'lut')], LUT_CONSTANTS, base, part, 'lut', fixed);
  const ff = fitConstants([...layerRows(samples, 'ff'), ...designRows(samples, 'ff')], FF_CONSTANTS, base, part, 'ff', fixed);
  return buildCalibration(base, { lut, ff }, { name: meta.name, family: meta.family, source: `yosys synth_xilinx -family ${meta.family}`, designs: samples.length, tool: samples[0]?.report.source.version ?? 'yosys' });
}

/**
 * Fit the VVAU terms (vvauBaseLuts, vvauBaseFfs) of a calibration on the depthwise layers of yosys samples of
 * depthwise-separable designs, holding every other constant at its value in `base` (a calibration already fitted on
 * the plain grid). Returns the calibration with those two constants replaced and the fit statistics.
 */
export function fitSeparableTerms(samples: Sample[], base: Calibration, part: Part): { calibration: Calibration; lut: FitResult; ff: FitResult } {
  const dw = (metric: 'lut' | 'ff'): FitRow[] => layerRows(samples, metric).filter((r) => kindOf(r.design.layers[r.layer]!).name === 'depthwise');
  const lut = fitConstants(dw('lut'), VVAU_LUT_CONSTANTS, base, part, 'lut', {}, 1e-6);
  const ff = fitConstants(dw('ff'), VVAU_FF_CONSTANTS, base, part, 'ff', {}, 1e-6);
  const constants = { ...base.constants };
  const src = (m: string, r: FitResult): string => `${base.family ? `yosys synth_xilinx -family ${base.family}` : 'yosys'}: fitted by cosearch (relative least squares over the depthwise layers of ${samples.length} depthwise-separable designs, other constants held; ${m} median |err| ${(100 * r.before.median).toFixed(1)}% -> ${(100 * r.after.median).toFixed(1)}%)`;
  for (const [k, v] of Object.entries(lut.values)) constants[k] = { value: v, unit: constants[k]?.unit ?? DEFAULT_CALIBRATION.constants[k]!.unit, source: src('LUT', lut) };
  for (const [k, v] of Object.entries(ff.values)) constants[k] = { value: v, unit: constants[k]?.unit ?? DEFAULT_CALIBRATION.constants[k]!.unit, source: src('FF', ff) };
  return { calibration: { ...base, constants }, lut, ff };
}

/**
 * Vitis calibration from a folder of csynth reports: each design is either DIR/<name>/design.json with a
 * *_csynth.xml anywhere below DIR/<name>/, or DIR/<name>.json next to DIR/<name>_csynth.xml. Totals per design
 * are fitted (csynth has no per-layer split that maps onto the design's layers reliably).
 */
export function fitFromCsynth(dir: string, base: Calibration, meta: { name: string }): { calibration: Calibration; designs: number } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new NoInputError(`csynth report folder not found: ${dir}`);
  const pairs: { design: Design; xmlFile: string }[] = [];
  const findXml = (d: string): string | undefined => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        const f = findXml(p);
        if (f) return f;
      } else if (e.endsWith('_csynth.xml')) return p;
    }
    return undefined;
  };
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory() && existsSync(join(p, 'design.json'))) {
      const xml = findXml(p);
      if (xml) pairs.push({ design: validateDesignObject(readJsonFile(join(p, 'design.json'), 'design'), join(p, 'design.json')), xmlFile: xml });
    } else if (e.endsWith('.json') && existsSync(join(dir, `${basename(e, '.json')}_csynth.xml`))) {
      pairs.push({ design: validateDesignObject(readJsonFile(p, 'design'), p), xmlFile: join(dir, `${basename(e, '.json')}_csynth.xml`) });
    }
  }
  if (pairs.length < 3) throw new DataError(`need at least 3 designs with csynth reports in ${dir}, found ${pairs.length}`, { hint: 'lay out DIR/<name>/design.json + DIR/<name>/**/<top>_csynth.xml, or DIR/<name>.json + DIR/<name>_csynth.xml' });
  const part = loadPart(pairs[0]!.design.target.part);
  const reports = pairs.map(({ design, xmlFile }) => ({
    design,
    report: parseCsynthXml(readFileSync(xmlFile, 'utf8'), { part: partCapacity(loadPart(design.target.part)), design: design.name, clockMHz: design.target.clockMHz }, xmlFile),
  }));
  const lutRows = reports.map((r) => ({ design: r.design, layer: -1, measured: r.report.total.lut }));
  const ffRows = reports.map((r) => ({ design: r.design, layer: -1, measured: r.report.total.ff }));
  // Vitis HLS builds the HLS library, not the RTL twin: only the FINN-style constants are fitted
  const lut = fitConstants(lutRows, FINN_LUT_CONSTANTS, base, part, 'lut', { mvauPeLutScale: 1 }, 1e-2);
  const ff = fitConstants(ffRows, FINN_FF_CONSTANTS, base, part, 'ff', {}, 1e-2);
  const cal = buildCalibration(base, { lut, ff }, { name: meta.name, source: 'Vitis HLS csynth reports', designs: pairs.length, tool: 'vitis-hls' });
  return { calibration: cal, designs: pairs.length };
}
