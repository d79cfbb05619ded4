/**
 * Search options: the loose `SearchOptions` a caller gives, validated and completed once into
 * `NormalizedOptions` (journaled in the run's start record, so a resume continues with exactly these).
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { checkNumber } from '../check.js';
import { UsageError } from '../errors.js';
import type { BackendPref } from '../ml/backend.js';
import { DATASET_NAMES, type DatasetName } from '../ml/datasets.js';
import { RECIPES } from '../ml/recipe.js';
import { defaultSpaceName } from '../run/space-file.js';
import type { SearchEvent } from './events.js';

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
  calibration?: string;
  backend?: BackendPref;
  /** QAT threads per job (data parallel; results depend on the count); default min(2, cores) */
  workers?: number;
  /** earlier run directories (same space and dataset) whose training results start the surrogate */
  warmStart?: string[];
  /** skip the shipped tables as a prior (proxies, cheap features and the run's own results only) */
  noPrior?: boolean;
  /** QAT cost model "A,B": seconds per image per thread and per MAC-image (skips the measurement; tests) */
  qatSpeed?: string;
  /** cap on the training images of every fidelity (quick runs and tests) */
  trainLimit?: number;
  testLimit?: number;
  /** epochs of the final training (default: what fills the final share of the budget) */
  finalEpochs?: number;
  /** successive-halving waves (default from the budget) */
  waves?: number;
  /** candidates started at the lowest rung per wave (default 2 per LUT band) */
  waveSize?: number;
  /** recipe of the final training (default from bench/recipe.ts) */
  finalRecipe?: string;
  csimImages?: number;
  /** finalists that may be trained when a synthesized winner does not fit (default 2) */
  maxRefits?: number;
  onEvent?: (e: SearchEvent) => void;
  /** where jobs run (default: this process); src/dist opens a Redis one */
  queue?: import('./jobs.js').JobQueue;
  /** queue description for the journal (never a password) */
  queueName?: string;
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
  /** calibration name or file; null = the default, or the synthesis tool's own when --synth names one */
  calibration: string | null;
  backend: BackendPref;
  workers: number;
  warmStart: string[];
  noPrior: boolean;
  qatSpeed: string | null;
  trainLimit: number | null;
  testLimit: number | null;
  finalEpochs: number | null;
  waves: number | null;
  waveSize: number;
  finalRecipe: string;
  csimImages: number;
  maxRefits: number;
}

/**
 * The recipe the final training uses by default (bench/recipe.ts, bench/data/recipe.jsonl): at the demo's final
 * schedule (6 epochs, the demo's winner c64k5vpw6a2-c48k3vpw8a4||o8, one thread) random 1-pixel shifts gave 90.71%
 * against 90.92% without, so they do not pay there. The peak learning rate does: on the winner of the demo at
 * 6492b20 (c64k3vpw8a2-c24k3vw8a2|d64w6a3|o8, 5 epochs, batch 64), Adam's peak 5e-3 gave 92.69% / 92.75% (seeds 1 / 2)
 * where base's 3e-3 gave 92.29% / 92.41%, 1.5e-3 91.69% and 8e-3 92.55% (bench/results/2026-12-03/recipe-lr.txt).
 * The rungs keep 'base', the schedule of every shipped table.
 */
export const DEFAULT_FINAL_RECIPE = 'lr5';

/** The project's one number check (src/check.ts), for a library option that may be absent. */
function checkInt(name: string, v: number | undefined, min: number, max?: number): void {
  if (v !== undefined) checkNumber(name, v, { type: 'integer', min, ...(max !== undefined ? { max } : {}) });
}

function checkPositive(name: string, v: number | undefined): void {
  if (v !== undefined) checkNumber(name, v, { type: 'number', above: 0 });
}

/**
 * Parse --qat-speed "A,B[,C[,D]]" (one thread: seconds per image, per MAC-image, per parameter and step, per slow
 * (depthwise) MAC-image; C and D default to 0).
 */
export function parseQatSpeed(s: string): { perImage: number; perMacImage: number; perParamStep: number; perSlowMacImage: number } {
  const parts = s.split(',').map((x) => x.trim());
  const v = parts.map((x) => (/^[0-9.eE+-]+$/.test(x) ? Number(x) : NaN));
  const [a = NaN, b = NaN, c = 0, d = 0] = v;
  if (parts.length < 2 || parts.length > 4 || !(a >= 0 && b > 0 && c >= 0 && d >= 0) || !v.every(Number.isFinite))
    throw new UsageError(`--qat-speed must be "A,B[,C[,D]]": seconds per image, per MAC-image, per parameter-step and per depthwise MAC-image of one thread (got ${JSON.stringify(s)})`, 'e.g. --qat-speed 3e-4,1e-9,2e-8 (a run journals the measured one: see its "speed" record)');
  return { perImage: a, perMacImage: b, perParamStep: c, perSlowMacImage: d };
}

export function normalizeOptions(o: SearchOptions): NormalizedOptions {
  if (o.luts === undefined || o.fps === undefined) throw new UsageError('give --luts N and --fps F', 'e.g. cosearch --luts 30000 --fps 1000 --part xc7z020');
  checkInt('luts', o.luts, 1);
  checkPositive('fps', o.fps);
  checkPositive('clock', o.clockMHz);
  checkPositive('budget-minutes', o.budgetMinutes);
  checkInt('seed', o.seed, 0, 2 ** 32 - 1);
  checkInt('brams', o.brams, 0);
  checkInt('dsps', o.dsps, 0);
  checkInt('train-limit', o.trainLimit, 2);
  checkInt('test-limit', o.testLimit, 1);
  checkInt('final-epochs', o.finalEpochs, 1, 1000);
  checkInt('waves', o.waves, 1, 1000);
  checkInt('wave-size', o.waveSize, 1, 1000);
  checkInt('csim-images', o.csimImages, 0);
  checkInt('max-refits', o.maxRefits, 0, 10);
  const workers = o.workers ?? Math.min(2, availableParallelism());
  checkInt('workers', workers, 1, 256);
  const dataset = o.dataset ?? 'fashion-mnist';
  if (!DATASET_NAMES.includes(dataset)) throw new UsageError(`unknown dataset ${dataset}`, `use one of ${DATASET_NAMES.join(', ')}`);
  const strategy = o.strategy ?? 'cosearch';
  if (strategy !== 'cosearch' && strategy !== 'separate') throw new UsageError(`unknown strategy ${strategy}`, 'use cosearch or separate');
  const synth = o.synth ?? 'none';
  if (!['none', 'yosys', 'vitis'].includes(synth)) throw new UsageError(`unknown --synth ${synth}`, 'use none, yosys or vitis');
  const finalRecipe = o.finalRecipe ?? DEFAULT_FINAL_RECIPE;
  if (!RECIPES[finalRecipe]) throw new UsageError(`unknown --final-recipe ${finalRecipe}`, `use one of ${Object.keys(RECIPES).join(', ')}`);
  if (o.qatSpeed !== undefined) parseQatSpeed(o.qatSpeed);
  return {
    luts: o.luts,
    fps: o.fps,
    part: o.part ?? 'xc7z020',
    partFile: o.partFile,
    clockMHz: o.clockMHz ?? 100,
    brams: o.brams,
    dsps: o.dsps,
    dataset,
    dataDir: o.dataDir === undefined ? undefined : resolve(o.dataDir),
    budgetMinutes: o.budgetMinutes ?? 25,
    seed: o.seed ?? 1,
    strategy,
    synth,
    out: resolve(o.out ?? join('runs', `search-${Date.now()}`)),
    // the default space of the dataset's image size ('' for idx: its size is read from the files in search())
    space: o.space ?? (dataset === 'idx' ? '' : defaultSpaceName(dataset)),
    calibration: o.calibration ?? null,
    backend: o.backend ?? 'auto',
    workers,
    warmStart: (o.warmStart ?? []).map((d) => resolve(d)),
    noPrior: o.noPrior ?? false,
    qatSpeed: o.qatSpeed ?? null,
    trainLimit: o.trainLimit ?? null,
    testLimit: o.testLimit ?? null,
    finalEpochs: o.finalEpochs ?? null,
    waves: o.waves ?? null,
    waveSize: o.waveSize ?? 8,
    finalRecipe,
    csimImages: o.csimImages ?? 100,
    maxRefits: o.maxRefits ?? 2,
  };
}
