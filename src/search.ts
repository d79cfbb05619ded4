/**
 * The co-search orchestrator: `search(options)`.
 *
 *   space --sample/mutate/crossover--> genome --toDesign--> design --foldForFps--> folded design + estimate
 *     --budgets/part--> feasible? --screen predictor--> predicted accuracy
 *   NSGA-II over (predicted accuracy max, LUTs min, fps max), infeasible candidates dominated (Deb's rule)
 *   -> shortlist (best predicted feasible) -> zero-cost proxies -> full predictor re-rank
 *   -> confirm the top-k by short real QAT -> train the winner fully -> integer model
 *   -> emit the HLS project -> C-simulation bit-exact check -> optional synthesis -> run directory reports.
 *
 * `strategy: 'separate'` is the conventional two-step baseline: pick the architecture with the highest
 * predicted accuracy at the widest bit widths ignoring hardware, then lower its bit widths uniformly and fold
 * it until it fits.
 *
 * Determinism and resume: the plan (population, generations, schedules) is a function of the options only,
 * never of wall-clock time; generation g draws from Rng(mix(seed, g)); every evaluated candidate, proxy score,
 * QAT result and phase is a journal record (fsync'd). A resumed run re-executes the same algorithm and reads
 * every result already in the journal instead of recomputing or re-appending it, so no evaluated candidate is
 * lost or repeated and the final result equals that of an uninterrupted run.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Budget } from './core/budget.js';
import type { Calibration } from './core/calibration.js';
import type { Design } from './core/design.js';
import { runNsga2 } from './core/nsga2.js';
import { paretoFrontIndices, type Scored } from './core/pareto.js';
import type { Part } from './core/part.js';
import type { ResourceReport } from './core/report.js';
import { Rng } from './core/rng.js';
import {
  cheapFeatures, crossoverGenomes, genomeKey, mutateGenome, sampleGenome, smallestGenome, toDesign, withUniformBits,
  type Genome, type SearchSpace,
} from './core/space.js';
import { DataError, UsageError } from './errors.js';
import { writeFileAtomic, writeJsonAtomic } from './io.js';
import { DATASET_NAMES, DATASET_SHAPES, type DatasetName } from './ml/datasets.js';
import type { BackendPref } from './ml/backend.js';
import { featureRow, predictRows, type PredictorFile } from './ml/predictor.js';
import type { ProxyScores } from './ml/proxies.js';
import { loadCalibration, loadPart } from './parts.js';
import { evaluateHardware, type HwContext, type HwEval } from './run/hardware.js';
import { openJournal, type Journal, type JournalRecord } from './run/journal.js';
import { defaultPredictorPath, loadPredictor } from './run/predictor-file.js';
import { writeReports } from './run/report.js';
import { checkSpaceForDataset, defaultSpaceName, loadSpace } from './run/space-file.js';

export type Strategy = 'cosearch' | 'separate';
export type SynthMode = 'none' | 'yosys' | 'vitis';

export interface SearchOptions {
  luts: number;
  fps: number;
  part?: string;
  partFile?: string;
  clockMHz?: number;
  brams?: number;
  dsps?: number;
  dataset?: DatasetName;
  dataDir?: string;
  budgetMinutes?: number;
  seed?: number;
  strategy?: Strategy;
  synth?: SynthMode;
  out?: string;
  resume?: string;
  space?: string;
  predictor?: string;
  calibration?: string;
  backend?: BackendPref;
  /** QAT threads (data parallel; results depend on the count); default min(2, cores) */
  workers?: number;
  /** plan overrides (defaults derive from budgetMinutes) */
  population?: number;
  generations?: number;
  shortlist?: number;
  topK?: number;
  confirmEpochs?: number;
  confirmTrainLimit?: number;
  finalEpochs?: number;
  finalTrainLimit?: number;
  testLimit?: number;
  csimImages?: number;
  onEvent?: (e: SearchEvent) => void;
}

export interface NormalizedOptions {
  luts: number;
  fps: number;
  part: string;
  partFile?: string;
  clockMHz: number;
  brams?: number;
  dsps?: number;
  dataset: DatasetName;
  dataDir?: string;
  budgetMinutes: number;
  seed: number;
  strategy: Strategy;
  synth: SynthMode;
  out: string;
  space: string;
  predictor: string;
  calibration?: string;
  backend: BackendPref;
  workers: number;
  population: number;
  generations: number;
  shortlist: number;
  topK: number;
  confirmEpochs: number;
  confirmTrainLimit: number;
  /** epochs of the winner's training; 0 = derive from the budget and the winner's MACs */
  finalEpochs: number;
  finalTrainLimit: number;
  /** training-cost constraint: candidates with more MACs per image cannot be trained MIN_FINAL_EPOCHS epochs in the budget */
  maxTrainMacs: number;
  testLimit: number;
  csimImages: number;
}

export type SearchEvent =
  | { type: 'start'; options: NormalizedOptions; resumed: boolean; replayed: number }
  | { type: 'generation'; gen: number; generations: number; evaluated: number; feasible: number; best: CandidateSummary | null }
  | { type: 'phase'; phase: string; detail: string }
  | { type: 'confirm'; index: number; of: number; key: string; acc: number; predicted: number; seconds: number; cached: boolean }
  | { type: 'train-progress'; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'done'; result: SearchResult };

export interface Candidate {
  n: number;
  key: string;
  genome: Genome;
  hw: HwEval;
  /** screen-predicted accuracy (null when infeasible: not scored) */
  pred: number | null;
  /** full-predicted accuracy (with proxies), for the shortlist */
  predFull?: number | null;
  proxies?: ProxyScores | null;
  gen: number;
  /** separate baseline's hardware-blind architecture phase (no hardware evaluation) */
  widest?: boolean;
}

function mapKey(key: string, widest: boolean | undefined): string {
  return widest ? `arch:${key}` : key;
}

export interface CandidateSummary {
  key: string;
  lut: number;
  fps: number;
  bram18: number;
  dsp: number;
  pred: number | null;
  acc?: number;
}

export interface SearchResult {
  runDir: string;
  strategy: Strategy;
  winner: CandidateSummary & { design: Design; finalAcc: number; floatAcc: number; confirmAcc: number | null };
  evaluated: number;
  feasible: number;
  pareto: CandidateSummary[];
  csim: { ok: boolean; images: number; mismatches: number; correct?: number } | null;
  synth: { tool: string; lut: number; ff: number; bram18: number; dsp: number } | { tool: string; error: string } | null;
  report: ResourceReport;
  seconds: number;
}

/** Rough QAT cost of one thread on wasm, deliberately ~1.5x pessimistic. Measured on this machine class, idle:
 * `make demo`'s winner (2.1M MAC/image) trained at ~1,090 images/s on 2 threads (55 s per 60k-image epoch), i.e.
 * ~1.6 ms per image on one thread; the reference W2A2 CNN trains at ~600 images/s on one thread
 * (`npx tsx bench/qat.ts`). Used only to PLAN the schedule from --budget-minutes, deterministically (never from
 * measured wall time). */
export const QAT_SECONDS_PER_MAC_IMAGE = 1e-9;
export const QAT_SECONDS_PER_IMAGE_OVERHEAD = 0.3e-3;

/** Share of --budget-minutes planned for the winner's training, and the fewest epochs it must get. */
export const FINAL_TRAIN_SHARE = 0.6;
export const MIN_FINAL_EPOCHS = 2;
export const MAX_FINAL_EPOCHS = 10;

/** Epochs of the winner's training from the budget and its MACs per image (deterministic). */
export function planFinalEpochs(o: Pick<NormalizedOptions, 'budgetMinutes' | 'finalTrainLimit' | 'workers'>, macs: number): number {
  const perEpoch = estimateTrainSeconds(macs, o.finalTrainLimit, 1) / parallelSpeedup(o.workers);
  return Math.max(1, Math.min(MAX_FINAL_EPOCHS, Math.floor((o.budgetMinutes * 60 * FINAL_TRAIN_SHARE) / perEpoch)));
}

/** Assumed data-parallel efficiency of extra QAT threads (planning only). */
export const PARALLEL_EFFICIENCY = 0.7;
export function parallelSpeedup(workers: number): number {
  return 1 + PARALLEL_EFFICIENCY * (Math.max(1, workers) - 1);
}

export function estimateTrainSeconds(macs: number, images: number, epochs: number): number {
  return epochs * images * (macs * QAT_SECONDS_PER_MAC_IMAGE + QAT_SECONDS_PER_IMAGE_OVERHEAD);
}

function positive(name: string, v: number | undefined, integer = false): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got ${v})`);
}

/** Validate and complete the options (the plan derives from budgetMinutes). */
export function normalizeOptions(o: SearchOptions): NormalizedOptions {
  if (o.luts === undefined || o.fps === undefined) throw new UsageError('give --luts N and --fps F', 'e.g. cosearch --luts 30000 --fps 1000 --part xc7z020');
  positive('luts', o.luts, true);
  positive('fps', o.fps);
  positive('clock', o.clockMHz);
  positive('budget-minutes', o.budgetMinutes);
  for (const [n, v] of [['population', o.population], ['generations', o.generations], ['top-k', o.topK], ['shortlist', o.shortlist], ['confirm-epochs', o.confirmEpochs], ['final-epochs', o.finalEpochs], ['confirm-train-limit', o.confirmTrainLimit], ['final-train-limit', o.finalTrainLimit], ['test-limit', o.testLimit]] as const) positive(n, v, true);
  if (o.brams !== undefined && !(Number.isInteger(o.brams) && o.brams >= 0)) throw new UsageError(`--brams must be a non-negative integer (got ${o.brams})`);
  if (o.dsps !== undefined && !(Number.isInteger(o.dsps) && o.dsps >= 0)) throw new UsageError(`--dsps must be a non-negative integer (got ${o.dsps})`);
  const dataset = o.dataset ?? 'fashion-mnist';
  if (!DATASET_NAMES.includes(dataset)) throw new UsageError(`unknown dataset ${dataset}`, `use one of ${DATASET_NAMES.join(', ')}`);
  if (o.csimImages !== undefined && !(Number.isInteger(o.csimImages) && o.csimImages >= 0)) throw new UsageError(`--csim-images must be a non-negative integer`);
  const strategy = o.strategy ?? 'cosearch';
  if (strategy !== 'cosearch' && strategy !== 'separate') throw new UsageError(`unknown strategy ${strategy}`, 'use cosearch or separate');
  const synth = o.synth ?? 'none';
  if (!['none', 'yosys', 'vitis'].includes(synth)) throw new UsageError(`unknown --synth ${synth}`, 'use none, yosys or vitis');
  const budgetMinutes = o.budgetMinutes ?? 25;
  const space = o.space ?? defaultSpaceName(dataset);
  const seed = o.seed ?? 1;
  // plan: ~15% confirmation, ~70% final training, the rest search + emit + csim (budget in minutes)
  const shape = DATASET_SHAPES[dataset];
  const topK = o.topK ?? Math.max(1, Math.min(4, Math.floor(budgetMinutes / 6)));
  const finalTrainLimit = o.finalTrainLimit ?? shape.trainCount;
  const finalEpochs = o.finalEpochs ?? 0;
  // the winner must be trainable for MIN_FINAL_EPOCHS epochs within FINAL_TRAIN_SHARE of the budget
  const workers = o.workers ?? Math.min(2, availableParallelism());
  positive('workers', workers, true);
  const perImage = ((budgetMinutes * 60 * FINAL_TRAIN_SHARE) / MIN_FINAL_EPOCHS / finalTrainLimit) * parallelSpeedup(workers);
  const maxTrainMacs = Math.max(0, Math.floor((perImage - QAT_SECONDS_PER_IMAGE_OVERHEAD) / QAT_SECONDS_PER_MAC_IMAGE));
  const confirmTrainLimit = o.confirmTrainLimit ?? Math.min(shape.trainCount, 8000);
  return {
    luts: o.luts,
    fps: o.fps,
    part: o.part ?? 'xc7z020',
    partFile: o.partFile,
    clockMHz: o.clockMHz ?? 100,
    brams: o.brams,
    dsps: o.dsps,
    dataset,
    dataDir: o.dataDir,
    budgetMinutes,
    seed,
    strategy,
    synth,
    out: resolve(o.out ?? join('runs', `search-${Date.now()}`)),
    space,
    predictor: o.predictor ?? defaultPredictorPath(space, dataset),
    calibration: o.calibration,
    backend: o.backend ?? 'auto',
    workers,
    population: o.population ?? 48,
    generations: o.generations ?? 30,
    shortlist: o.shortlist ?? 16,
    topK,
    confirmEpochs: o.confirmEpochs ?? 1,
    confirmTrainLimit,
    finalEpochs,
    finalTrainLimit,
    maxTrainMacs,
    testLimit: o.testLimit ?? shape.testCount,
    csimImages: o.csimImages ?? 100,
  };
}

/** Mix a seed and a generation into a generator seed (splitmix-style), so each generation's RNG is fixed. */
export function generationSeed(seed: number, gen: number, stream = 0): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(gen + 1, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function summary(c: Candidate): CandidateSummary {
  return { key: c.key, lut: c.hw.lut, fps: c.hw.fps, bram18: c.hw.bram18, dsp: c.hw.dsp, pred: c.predFull ?? c.pred };
}

/** The journaled state of a run, rebuilt from its records. */
class RunState {
  evals = new Map<string, Candidate>();
  proxies = new Map<string, ProxyScores>();
  confirms = new Map<string, { acc: number; floatAcc: number; seconds: number }>();
  final: JournalRecord | null = null;
  csim: JournalRecord | null = null;
  synth: JournalRecord | null = null;
  start: JournalRecord | null = null;
  constructor(records: JournalRecord[]) {
    for (const r of records) {
      if (r.type === 'start') this.start = r;
      else if (r.type === 'eval') {
        const c = r.candidate as Candidate;
        this.evals.set(mapKey(c.key, c.widest), c);
      } else if (r.type === 'proxies') this.proxies.set(r.key as string, r.proxies as ProxyScores);
      else if (r.type === 'confirm') this.confirms.set(r.key as string, { acc: r.acc as number, floatAcc: r.floatAcc as number, seconds: r.seconds as number });
      else if (r.type === 'final') this.final = r;
      else if (r.type === 'csim') this.csim = r;
      else if (r.type === 'synth') this.synth = r;
    }
  }
}

interface Ctx {
  o: NormalizedOptions;
  space: SearchSpace;
  predictor: PredictorFile;
  hw: HwContext;
  part: Part;
  calib: Calibration;
  journal: Journal;
  state: RunState;
  emit: (e: SearchEvent) => void;
  counter: { n: number };
}

/** Evaluate candidates (hardware + screen predictor), reading journaled results first. */
function evaluateBatch(ctx: Ctx, gs: Genome[], gen: number, widest = false): Candidate[] {
  const out: Candidate[] = [];
  const fresh: Candidate[] = [];
  for (const g of gs) {
    const key = genomeKey(g);
    const old = ctx.state.evals.get(mapKey(key, widest)) ?? fresh.find((f) => f.key === key);
    if (old) {
      out.push(old);
      continue;
    }
    const { hw } = widest ? { hw: { folded: true, fits: true, lut: 0, ff: 0, bram18: 0, dsp: 0, fps: 0, violations: [], violation: 0 } as HwEval } : evaluateHardware(toDesign(g, ctx.space), ctx.hw);
    const macs = cheapFeatures(g, ctx.space).macs;
    if (macs > ctx.o.maxTrainMacs) {
      // training-cost constraint (the winner must train MIN_FINAL_EPOCHS epochs within the budget)
      hw.violations.push(`${Math.round(macs).toLocaleString('en-US')} MAC/image > ${ctx.o.maxTrainMacs.toLocaleString('en-US')} trainable in --budget-minutes ${ctx.o.budgetMinutes}`);
      hw.violation += (macs - ctx.o.maxTrainMacs) / Math.max(ctx.o.maxTrainMacs, 1);
      hw.fits = false;
    }
    const c: Candidate = { n: ctx.state.evals.size + fresh.length, key, genome: g, hw, pred: null, gen, ...(widest ? { widest: true } : {}) };
    fresh.push(c);
    out.push(c);
  }
  // batch the screen predictor over the fresh feasible candidates
  const scored = fresh.filter((c) => c.hw.fits);
  if (scored.length) {
    const preds = predictRows(ctx.predictor.screen, scored.map((c) => featureRow(c.genome, ctx.space, null)));
    scored.forEach((c, i) => (c.pred = round6(preds[i]!)));
  }
  for (const c of fresh) {
    ctx.state.evals.set(mapKey(c.key, widest), c);
    ctx.journal.append({ type: 'eval', candidate: c });
  }
  return out;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function scoreOf(c: Candidate): Scored {
  // objectives minimised: -accuracy, LUTs, -fps
  if (!c.hw.fits) return { objectives: [0, c.hw.lut, -c.hw.fps], violation: c.hw.violation };
  return { objectives: [-(c.pred ?? 0), c.hw.lut, -c.hw.fps], violation: 0 };
}

async function evolve(ctx: Ctx): Promise<void> {
  const { o, space } = ctx;
  await runNsga2<Genome>({
    populationSize: o.population,
    generations: o.generations,
    sample: (rng) => sampleGenome(space, rng),
    mutate: (g, rng) => mutateGenome(g, space, rng),
    crossover: (a, b, rng) => crossoverGenomes(a, b, space, rng),
    key: genomeKey,
    rngFor: (gen) => new Rng(generationSeed(o.seed, gen)),
    evaluate: (gs, gen) => evaluateBatch(ctx, gs, gen).map(scoreOf),
    onGeneration: (gen) => {
      const all = [...ctx.state.evals.values()].filter((c) => !c.widest);
      const feas = all.filter((c) => c.hw.fits);
      const best = feas.reduce<Candidate | null>((b, c) => (!b || (c.pred ?? 0) > (b.pred ?? 0) ? c : b), null);
      ctx.emit({ type: 'generation', gen, generations: o.generations, evaluated: all.length, feasible: feas.length, best: best ? summary(best) : null });
    },
  });
}

/** Separate baseline: best predicted architecture at the widest bits, ignoring hardware; then quantize + fold. */
async function separateBaseline(ctx: Ctx): Promise<Candidate[]> {
  const { o, space } = ctx;
  const widest = (g: Genome): Genome => withUniformBits(g, space, 8);
  await runNsga2<Genome>({
    populationSize: o.population,
    generations: o.generations,
    sample: (rng) => widest(sampleGenome(space, rng)),
    mutate: (g, rng) => widest(mutateGenome(g, space, rng)),
    crossover: (a, b, rng) => widest(crossoverGenomes(a, b, space, rng)),
    key: genomeKey,
    rngFor: (gen) => new Rng(generationSeed(o.seed, gen, 1)),
    evaluate: (gs, gen) => evaluateBatch(ctx, gs, gen, true).map((c) => ({ objectives: [-(c.pred ?? 0)], violation: 0 })),
    onGeneration: (gen) => {
      const archs = [...ctx.state.evals.values()].filter((c) => c.widest);
      const ok = archs.filter((c) => c.pred !== null);
      const best = ok.reduce<Candidate | null>((b, c) => (!b || c.pred! > b.pred! ? c : b), null);
      ctx.emit({ type: 'generation', gen, generations: o.generations, evaluated: archs.length, feasible: ok.length, best: best ? { ...summary(best), lut: NaN, fps: NaN } : null });
    },
  });
  const arch = [...ctx.state.evals.values()].filter((c) => c.widest && c.pred !== null).sort((a, b) => b.pred! - a.pred! || (a.key < b.key ? -1 : 1))[0];
  if (!arch) throw new Error('internal: separate baseline found no architecture');
  ctx.emit({ type: 'phase', phase: 'separate', detail: `most accurate architecture ignoring hardware: ${arch.key} (predicted ${(arch.pred! * 100).toFixed(1)}%); quantizing and folding it` });
  const { fit, smallest } = widestFitting(ctx, arch.genome);
  if (fit) return [fit];
  throw new DataError(
    `separate baseline: the most accurate architecture ${arch.key} does not fit ${o.luts.toLocaleString('en-US')} LUTs at ${o.fps} fps on ${ctx.part.name} at any bit width; at the lowest bit width it needs ${fmtHw(smallest.hw)}`,
    { hint: 'this is the weakness the co-search addresses: run with --strategy cosearch' },
  );
}

/**
 * An architecture quantized to uniform bit widths, widest first (from the space's lists), until one fits every
 * budget: that one (or null), and the narrowest tried (what the error names when none fits).
 */
function widestFitting(ctx: Ctx, g: Genome): { fit: Candidate | null; smallest: Candidate } {
  const { space, o } = ctx;
  const bits = [...new Set([...space.conv.wBits, ...space.conv.aBits])].sort((a, b) => b - a);
  let c: Candidate | undefined;
  for (const b of bits) {
    c = evaluateBatch(ctx, [withUniformBits(g, space, b)], o.generations)[0]!;
    if (c.hw.fits) return { fit: c, smallest: c };
  }
  return { fit: null, smallest: c! };
}

function fmtHw(h: HwEval): string {
  return `${Number.isFinite(h.lut) ? Math.round(h.lut).toLocaleString('en-US') : '?'} LUTs at ${h.fps ? Math.round(h.fps).toLocaleString('en-US') : '?'} fps${h.violations.length ? ` (${h.violations.join('; ')})` : ''}`;
}

/** Impossible budget: name the smallest design found (least violation) and what it needs. */
function infeasible(ctx: Ctx): never {
  const all = [...ctx.state.evals.values()].filter((c) => !c.widest);
  const small = evaluateHardware(toDesign(smallestGenome(ctx.space), ctx.space), ctx.hw);
  let best: { key: string; hw: HwEval } = { key: genomeKey(smallestGenome(ctx.space)), hw: small.hw };
  for (const c of all) if (c.hw.folded && c.hw.lut < best.hw.lut) best = c;
  const folded = best.hw.folded;
  throw new DataError(
    `no design in search space ${ctx.space.name} fits ${ctx.o.luts.toLocaleString('en-US')} LUTs at ${ctx.o.fps} fps on ${ctx.part.name}` +
      `${ctx.o.brams !== undefined ? `, ${ctx.o.brams} BRAM18` : ''}${ctx.o.dsps !== undefined ? `, ${ctx.o.dsps} DSP` : ''} (${all.length} candidates evaluated); ` +
      `the smallest design found, ${best.key}, needs ${fmtHw(best.hw)}`,
    { hint: folded ? `raise --luts to at least ${Math.ceil(best.hw.lut)} or lower --fps` : 'lower --fps or raise --clock' },
  );
}

async function computeShortlistProxies(ctx: Ctx, list: Candidate[]): Promise<void> {
  if (!ctx.predictor.full) return;
  const need = list.filter((c) => !ctx.state.proxies.has(c.key));
  if (need.length) {
    const { initBackend } = await import('./ml/backend.js');
    await initBackend(ctx.o.backend);
    const { loadDataset } = await import('./ml/datasets.js');
    const { makeProxyBatch, computeProxies, disposeProxyBatch } = await import('./ml/proxies.js');
    const ds = loadDataset({ name: ctx.o.dataset, dir: ctx.o.dataDir, split: 'train', limit: 2000 });
    const batch = makeProxyBatch(ds, 1);
    try {
      for (const c of need) {
        const p = computeProxies(toDesign(c.genome, ctx.space), batch, 1);
        ctx.state.proxies.set(c.key, p);
        ctx.journal.append({ type: 'proxies', key: c.key, proxies: p });
      }
    } finally {
      disposeProxyBatch(batch);
    }
  }
  const rows = list.map((c) => featureRow(c.genome, ctx.space, ctx.state.proxies.get(c.key)!));
  const preds = predictRows(ctx.predictor.full, rows);
  list.forEach((c, i) => {
    c.proxies = ctx.state.proxies.get(c.key)!;
    c.predFull = round6(preds[i]!);
  });
}

/** Architecture skeleton of a genome: its key without the bit widths. */
export function skeletonKey(g: Genome): string {
  return genomeKey(g).replace(/w\d+a\d+/g, '').replace(/\|o\d+$/, '');
}

/**
 * The k best of a ranked list, preferring distinct skeletons (a shortlist often holds one architecture at
 * several bit widths; confirming different architectures tells the predictor's errors apart), then filling up.
 */
export function diverseTop(ranked: Candidate[], k: number): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const c of ranked) {
    if (out.length >= k) break;
    const s = skeletonKey(c.genome);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(c);
  }
  for (const c of ranked) {
    if (out.length >= k) break;
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** Run a search (or resume one). */
export async function search(opts: SearchOptions): Promise<SearchResult> {
  const t0 = Date.now();
  const emit = opts.onEvent ?? (() => undefined);
  let o: NormalizedOptions;
  let runDir: string;
  if (opts.resume) {
    runDir = resolve(opts.resume);
    const jf = join(runDir, 'journal.jsonl');
    if (!existsSync(jf)) throw new UsageError(`--resume ${opts.resume}: no journal.jsonl there`, 'give the run directory of an earlier search');
    const first = readFileSync(jf, 'utf8').split('\n')[0] ?? '';
    let start: JournalRecord;
    try {
      start = JSON.parse(first) as JournalRecord;
    } catch {
      throw new DataError('the first journal record is not valid JSON', { file: jf });
    }
    if (start.type !== 'start') throw new DataError('the journal does not begin with a start record', { file: jf });
    o = { ...(start.options as NormalizedOptions), out: runDir };
    for (const [flag, given, stored] of [['luts', opts.luts, o.luts], ['fps', opts.fps, o.fps], ['seed', opts.seed, o.seed], ['strategy', opts.strategy, o.strategy], ['part', opts.part, o.part]] as const) {
      if (given !== undefined && given !== stored) throw new UsageError(`--resume continues the run with its journaled options (--${flag} ${stored}), not --${flag} ${given}`, `drop --${flag}, or start a new run with --out`);
    }
  } else {
    o = normalizeOptions(opts);
    runDir = o.out;
    if (existsSync(join(runDir, 'journal.jsonl'))) throw new UsageError(`${runDir} already holds a run (journal.jsonl)`, `continue it with --resume ${runDir}, or choose another --out`);
  }
  // resolve everything before touching the run directory (bad input fails fast)
  const part = loadPart(o.partFile !== undefined ? undefined : o.part, o.partFile);
  const calib = o.calibration === undefined ? loadCalibration() : o.calibration.endsWith('.json') || o.calibration.includes('/') ? loadCalibration({ file: o.calibration }) : loadCalibration({ name: o.calibration });
  const { space, file: spaceFile } = loadSpace(o.space);
  checkSpaceForDataset(space, spaceFile, o.dataset);
  const predictor = loadPredictor(o.predictor, space);
  mkdirSync(runDir, { recursive: true });
  const unlock = lockRun(runDir);
  const { journal, records } = openJournal(join(runDir, 'journal.jsonl'));
  const state = new RunState(records);
  try {
    if (!state.start) journal.append({ type: 'start', options: o, version: 1, space: space.name, predictor: o.predictor });
    emit({ type: 'start', options: o, resumed: Boolean(opts.resume), replayed: records.length });
    const budget: Budget & { luts: number; fps: number } = { luts: o.luts, fps: o.fps, brams: o.brams, dsps: o.dsps };
    const ctx: Ctx = { o, space, predictor, hw: { part, calib, clockMHz: o.clockMHz, budget }, part, calib, journal, state, emit, counter: { n: 0 } };

    // 1. search
    let shortlist: Candidate[];
    if (o.strategy === 'cosearch') {
      emit({ type: 'phase', phase: 'search', detail: `NSGA-II, population ${o.population}, ${o.generations} generations, space ${space.name}` });
      await evolve(ctx);
      const feas = [...state.evals.values()].filter((c) => c.hw.fits && !c.widest);
      if (feas.length === 0) infeasible(ctx);
      shortlist = feas.sort((a, b) => b.pred! - a.pred! || a.hw.lut - b.hw.lut || (a.key < b.key ? -1 : 1)).slice(0, o.shortlist);
      emit({ type: 'phase', phase: 'proxies', detail: `zero-cost proxies for the ${shortlist.length} best predicted candidates` });
      await computeShortlistProxies(ctx, shortlist);
      shortlist.sort((a, b) => (b.predFull ?? b.pred!) - (a.predFull ?? a.pred!) || a.hw.lut - b.hw.lut || (a.key < b.key ? -1 : 1));
    } else {
      emit({ type: 'phase', phase: 'search', detail: `separate baseline: architecture search ignoring hardware (population ${o.population}, ${o.generations} generations)` });
      shortlist = await separateBaseline(ctx);
    }

    // 2. confirm the top-k by short QAT
    const { initBackend } = await import('./ml/backend.js');
    await initBackend(o.backend);
    const { loadDataset } = await import('./ml/datasets.js');
    const { trainDesign, writeTrainOutput } = await import('./ml/train.js');
    const top = o.strategy === 'cosearch' ? diverseTop(shortlist, o.topK) : shortlist.slice(0, 1);
    if (o.strategy === 'cosearch') {
      // precision hedge: the predictor's favourites are where it errs upward most (the search maximises it), and it
      // is least sure about low bit widths; so the best architecture at the widest uniform bits that fit is
      // confirmed too (what a design-then-quantize flow would build from it; bench/search.ts)
      const hedge = widestFitting(ctx, top[0]!.genome).fit;
      if (hedge && !top.some((t) => t.key === hedge.key)) top.push(hedge);
    }
    const needConfirm = top.length > 1;
    let confirmTrain: ReturnType<typeof loadDataset> | undefined;
    let test: ReturnType<typeof loadDataset> | undefined;
    const getTest = (): ReturnType<typeof loadDataset> => (test ??= loadDataset({ name: o.dataset, dir: o.dataDir, split: 'test', limit: o.testLimit }));
    if (needConfirm) {
      emit({ type: 'phase', phase: 'confirm', detail: `short QAT of the top ${top.length} (${o.confirmEpochs} epoch(s) on ${o.confirmTrainLimit} images)` });
      for (let i = 0; i < top.length; i++) {
        const c = top[i]!;
        let r = state.confirms.get(c.key);
        const cached = Boolean(r);
        if (!r) {
          confirmTrain ??= loadDataset({ name: o.dataset, dir: o.dataDir, split: 'train', limit: o.confirmTrainLimit });
          const folded = evaluateHardwareDesign(ctx, c.genome);
          const res = await trainDesign(folded, { dataset: o.dataset, dataDir: o.dataDir, epochs: o.confirmEpochs, seed: o.seed, trainLimit: o.confirmTrainLimit, testLimit: Math.min(o.testLimit, 2000), train: confirmTrain, test: getTest(), backend: o.backend, refCheck: 20, workers: o.workers ?? 1 });
          r = { acc: res.intTestAcc, floatAcc: res.floatTestAcc, seconds: res.trainSeconds };
          state.confirms.set(c.key, r);
          journal.append({ type: 'confirm', key: c.key, ...r });
        }
        emit({ type: 'confirm', index: i + 1, of: top.length, key: c.key, acc: r.acc, predicted: c.predFull ?? c.pred ?? 0, seconds: r.seconds, cached });
      }
    }
    const winner = needConfirm
      ? [...top].sort((a, b) => state.confirms.get(b.key)!.acc - state.confirms.get(a.key)!.acc || a.hw.lut - b.hw.lut || (a.key < b.key ? -1 : 1))[0]!
      : top[0]!;
    const winnerDesign = evaluateHardwareDesign(ctx, winner.genome);

    // 3. train the winner fully
    const bestDir = join(runDir, 'best');
    const modelDir = join(bestDir, 'model');
    writeJsonAtomic(join(bestDir, 'design.json'), winnerDesign);
    const { readIntModel } = await import('./ml/intmodel-io.js');
    let finalRec = state.final;
    let intModel;
    if (finalRec && finalRec.key === winner.key && existsSync(join(modelDir, 'intmodel.json'))) {
      intModel = readIntModel(modelDir);
    } else {
      const epochs = o.finalEpochs > 0 ? o.finalEpochs : planFinalEpochs(o, cheapFeatures(winner.genome, space).macs);
      emit({ type: 'phase', phase: 'train', detail: `training the winner ${winner.key}: ${epochs} epoch(s) on ${o.finalTrainLimit} images` });
      const train = loadDataset({ name: o.dataset, dir: o.dataDir, split: 'train', limit: o.finalTrainLimit });
      const res = await trainDesign(winnerDesign, {
        dataset: o.dataset, dataDir: o.dataDir, epochs, seed: o.seed, trainLimit: o.finalTrainLimit, testLimit: o.testLimit, train, test: getTest(), backend: o.backend, workers: o.workers ?? 1,
        onProgress: (p) => emit({ type: 'train-progress', epoch: p.epoch, batch: p.batch, batches: p.batches, loss: p.loss }),
      });
      writeTrainOutput(modelDir, res);
      intModel = res.intModel;
      finalRec = { type: 'final', key: winner.key, acc: res.intTestAcc, floatAcc: res.floatTestAcc, agreement: res.agreement, testCount: res.testCount, seconds: res.trainSeconds, epochs };
      journal.append(finalRec);
      state.final = finalRec;
    }

    // 4. HLS project + csim
    let csim = state.csim && state.csim.key === winner.key ? (state.csim.result as SearchResult['csim']) : null;
    if (!csim && o.csimImages > 0) {
      emit({ type: 'phase', phase: 'emit', detail: `HLS project in ${join(bestDir, 'hls')}, C-simulation on ${o.csimImages} test images` });
      const { emitHls } = await import('./emit/hls.js');
      const { runCsim } = await import('./synth/csim.js');
      const t = getTest();
      const n = Math.min(o.csimImages, t.count);
      emitHls(intModel, join(bestDir, 'hls'), { testImages: t.images, testCount: n, labels: t.labels, testSource: `${o.dataset} test split` });
      const r = await runCsim(join(bestDir, 'hls'), { images: n });
      csim = { ok: r.ok, images: r.images, mismatches: r.mismatches, correct: r.correct };
      journal.append({ type: 'csim', key: winner.key, result: csim });
    }

    // 5. optional synthesis
    let synth: SearchResult['synth'] = state.synth && state.synth.key === winner.key ? (state.synth.result as SearchResult['synth']) : null;
    if (!synth && o.synth !== 'none') {
      emit({ type: 'phase', phase: 'synth', detail: `synthesis with ${o.synth}` });
      try {
        let rep: ResourceReport;
        if (o.synth === 'yosys') {
          const { emitRtl } = await import('./emit/rtl.js');
          const { synthYosys } = await import('./synth/yosys.js');
          const t = getTest();
          emitRtl(intModel, join(bestDir, 'rtl'), { testImages: t.images, testCount: Math.min(10, t.count) });
          rep = await synthYosys(join(bestDir, 'rtl'));
        } else {
          const { synthVitis } = await import('./synth/vitis.js');
          rep = await synthVitis(join(bestDir, 'hls'));
        }
        synth = { tool: o.synth, lut: rep.total.lut, ff: rep.total.ff, bram18: rep.total.bram18, dsp: rep.total.dsp };
        writeJsonAtomic(join(bestDir, `synth-${o.synth}.json`), rep);
      } catch (e) {
        synth = { tool: o.synth, error: (e as Error).message };
      }
      journal.append({ type: 'synth', key: winner.key, result: synth });
    }

    // 6. reports
    const { estimateDesign } = await import('./core/estimate.js');
    const report = estimateDesign(winnerDesign, part, calib);
    const all = [...state.evals.values()].filter((c) => !c.widest);
    const feas = all.filter((c) => c.hw.fits && c.pred !== null);
    const front = paretoFrontIndices(feas.map(scoreOf)).map((i) => feas[i]!);
    front.sort((a, b) => a.hw.lut - b.hw.lut || (a.key < b.key ? -1 : 1));
    const pareto = front.map((c) => ({ ...summary(c), acc: state.confirms.get(c.key)?.acc }));
    const confirmAcc = state.confirms.get(winner.key)?.acc ?? null;
    const result: SearchResult = {
      runDir,
      strategy: o.strategy,
      winner: { ...summary(winner), design: winnerDesign, finalAcc: finalRec!.acc as number, floatAcc: finalRec!.floatAcc as number, confirmAcc, acc: finalRec!.acc as number },
      evaluated: all.filter((c) => !c.widest).length,
      feasible: feas.length,
      pareto,
      csim,
      synth,
      report,
      seconds: (Date.now() - t0) / 1000,
    };
    writeJsonAtomic(join(runDir, 'pareto.json'), { format: 'cosearch-pareto', version: 1, objectives: ['predicted accuracy (max)', 'LUT (min)', 'fps (max)'], budget: { luts: o.luts, fps: o.fps, brams: o.brams, dsps: o.dsps, part: part.name, clockMHz: o.clockMHz }, front: pareto });
    writeReports(runDir, {
      options: o,
      result,
      candidates: all.filter((c) => !c.widest).map((c) => ({ ...summary(c), fits: c.hw.fits, gen: c.gen })),
      confirms: [...state.confirms.entries()].map(([key, r]) => ({ key, acc: r.acc, predicted: (all.find((c) => c.key === key)?.predFull ?? all.find((c) => c.key === key)?.pred) ?? null })),
      part,
      cheap: cheapFeatures(winner.genome, space),
    });
    if (!records.some((r) => r.type === 'done')) journal.append({ type: 'done', winner: winner.key, finalAcc: result.winner.finalAcc });
    emit({ type: 'done', result });
    return result;
  } finally {
    journal.close();
    unlock();
  }
}

/** One process per run directory: a lock file with the owner's pid (a stale lock of a dead process is taken over). */
function lockRun(runDir: string): () => void {
  const file = join(runDir, '.lock');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (alive) throw new UsageError(`run directory ${runDir} is in use by process ${pid}`, 'wait for it to finish, or stop it and then --resume');
  }
  writeFileAtomic(file, `${process.pid}\n`);
  return () => {
    try {
      rmSync(file, { force: true });
    } catch {
      /* best effort */
    }
  };
}

function evaluateHardwareDesign(ctx: Ctx, g: Genome): Design {
  const r = evaluateHardware(toDesign(g, ctx.space), ctx.hw);
  const d = r.design;
  d.target.part = ctx.part.name;
  return d;
}
