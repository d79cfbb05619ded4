/**
 * The co-search: `search(options)`, a run directory in, a winner that fits out.
 *
 *   prior rows (shipped tables of the space + dataset, --warm-start runs) -> surrogate of FINAL accuracy (GP)
 *   repeat per wave (successive halving, ASHA's rungs):
 *     propose: the prior's architectures, mutations of its best and of the best measured, random immigrants
 *              -> fold for the frame rate -> keep what fits the budgets and can be trained in the budget
 *              -> per LUT band the best upper-confidence candidates
 *     r0 jobs for them -> refit -> promote the best 1/ETA (one per band first) to r1 -> refit
 *     -> where the training set has 50,000 searchable images: the best 1/ETA of r1 to r2, while it fits -> refit
 *   finalist: best predicted final accuracy -> trained at its final schedule (fills the budget's final share)
 *   -> emit HLS + csim bit-exact -> with --synth: synthesize; a miss is fed back (LUT ratio) and the next finalist
 *      is trained, or the run fails clearly -> reports
 *
 * Every training is a job with a content-derived id (src/search/jobs.ts) run through a JobQueue; every decision is a
 * function of the options, the journaled QAT speed and the job results, taken on results in submission order, so a
 * resume (or remote workers) re-executes the same algorithm and reads journaled results instead of training.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Calibration } from '../core/calibration.js';
import { estimateDesign } from '../core/estimate.js';
import type { Design } from '../core/design.js';
import type { Part } from '../core/part.js';
import { paretoFrontIndices } from '../core/pareto.js';
import type { ResourceReport } from '../core/report.js';
import { Rng } from '../core/rng.js';
import { blocksOf, cheapFeatures, cloneGenome, genomeKey, mutateGenome, sampleGenome, smallestGenome, toDesign, withUniformBits, type Genome, type SearchSpace } from '../core/space.js';
import { kendallTau } from '../core/stats.js';
import { CosearchError, DataError, UsageError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../io.js';
import { datasetShape } from '../ml/datasets.js';
import { loadCalibration, loadPart } from '../parts.js';
import { evaluateHardware, type HwContext, type HwEval } from '../run/hardware.js';
import { openJournal, type Journal, type JournalRecord } from '../run/journal.js';
import { checkSpaceForDataset, defaultSpaceName, loadSpace } from '../run/space-file.js';
import type { CandidateSummary, SearchEvent, SearchResult, SynthSummary } from './events.js';
import { codeVersion, datasetDigest, jobSplits } from './execute.js';
import { jobId, trainedFidelity, type Fidelity, type TrainJob, type TrainJobResult, type JobQueue } from './jobs.js';
import { LocalQueue } from './local-queue.js';
import { normalizeOptions, parseQatSpeed, type NormalizedOptions, type SearchOptions } from './options.js';
import { ETA, finalFidelity, finalSecondsAfterSearch, fitsFinalShare, JOB_BATCH, jobSeconds, LUT_BANDS, makePlan, measuredFinalFidelity, MIN_FINAL_EPOCHS, searchJobSeconds, trainable, wavePlannedSeconds, type JobTiming, type Plan, type QatSpeed, type TrainCost } from './plan.js';
import { priorRows } from './prior.js';
import { imagesSeen, round6, Surrogate, type Prediction, type SurrogateRow } from './surrogate.js';
import { lockRun } from '../run/lock.js';
import { writeReports } from '../run/report.js';

export type { CandidateSummary, SearchEvent, SearchResult } from './events.js';
export { normalizeOptions, type NormalizedOptions, type SearchOptions, type Strategy, type SynthMode } from './options.js';

/** Journal format of this search (start record `version`). */
export const JOURNAL_VERSION = 2;
/** Exploration weight of the upper-confidence bound when proposing (mean + KAPPA * std). */
export const KAPPA = 1;

export interface Candidate {
  key: string;
  genome: Genome;
  hw: HwEval;
  cost: TrainCost;
  /** the final schedule: planned, then corrected by the candidate's own measured speed (plan.ts measuredFinalFidelity) */
  final: Fidelity;
  /** its search-rung jobs, planned vs journaled seconds */
  timings: Array<JobTiming & { rung: string }>;
}

interface JobRecord {
  id: string;
  key: string;
  rung: string;
  fidelity: Fidelity;
  predicted: Prediction | null;
  result: TrainJobResult;
}

/** Journaled state of a run. */
class RunState {
  start: JournalRecord | null = null;
  speed: QatSpeed | null = null;
  jobs = new Map<string, JobRecord>();
  csim: JournalRecord | null = null;
  synth: JournalRecord[] = [];
  done: JournalRecord | null = null;
  phaseSeconds: Record<string, number> = {};
  constructor(records: JournalRecord[]) {
    for (const r of records) {
      if (r.type === 'start') this.start = r;
      else if (r.type === 'speed') this.speed = r.speed as QatSpeed;
      else if (r.type === 'job') this.jobs.set(r.id as string, r as unknown as JobRecord);
      else if (r.type === 'csim') this.csim = r;
      else if (r.type === 'synth') this.synth.push(r);
      else if (r.type === 'phase-time') this.phaseSeconds[r.phase as string] = (this.phaseSeconds[r.phase as string] ?? 0) + (r.seconds as number);
      else if (r.type === 'done') this.done = r;
    }
  }
}

interface Ctx {
  o: NormalizedOptions;
  space: SearchSpace;
  part: Part;
  calib: Calibration;
  calibName: string;
  hw: HwContext;
  plan: Plan;
  /** the plan as made before the search (ctx.plan's final share is re-planned after it: finalSecondsAfterSearch) */
  searchPlan: Plan;
  journal: Journal;
  state: RunState;
  queue: JobQueue;
  emit: (e: SearchEvent) => void;
  /** dataset digest per "trainLimit/testLimit" */
  digests: Map<string, string>;
  prior: SurrogateRow[];
  /** hardware evaluations by key (deterministic, recomputed on resume) */
  cands: Map<string, Candidate>;
  /** the run's own results, in submission order */
  rows: SurrogateRow[];
  /** per key: the rungs it was measured at, best acc */
  measured: Map<string, Map<string, number>>;
  surrogate: Surrogate;
  jobsDone: number;
  /** seconds of the search's jobs as the budget counts them (plan.ts searchJobSeconds; replayed on --resume) */
  searchUsed: number;
}

function summary(ctx: Ctx, c: Candidate, p?: Prediction | null): CandidateSummary {
  const m = ctx.measured.get(c.key);
  const last = m ? [...m.entries()].at(-1) : undefined;
  return { key: c.key, lut: c.hw.lut, fps: c.hw.fps, bram18: c.hw.bram18, dsp: c.hw.dsp, pred: p?.mean ?? null, predStd: p?.std ?? null, ...(last ? { rung: last[0], acc: last[1] } : {}) };
}

/** Hardware evaluation of a genome (cached per key). `widest`: the separate baseline ignores hardware. */
function candidate(ctx: Ctx, g: Genome): Candidate {
  const key = genomeKey(g);
  let c = ctx.cands.get(key);
  if (c) return c;
  const { macs, params, slowMacs } = cheapFeatures(g, ctx.space);
  const cost = { macs, params, slowMacs };
  const { hw } = evaluateHardware(toDesign(g, ctx.space), ctx.hw);
  // trainable in the final share as planned before the search: one the search's overrun shrank (the final phase)
  // trains its finalist MIN_FINAL_EPOCHS at least (measuredFinalFidelity) and must not turn its designs infeasible
  if (!trainable(ctx.searchPlan, cost)) {
    hw.violations.push(`${Math.round(macs).toLocaleString('en-US')} MAC/image and ${Math.round(params).toLocaleString('en-US')} parameters cannot be trained ${MIN_FINAL_EPOCHS} epochs in the final share of --budget-minutes ${ctx.o.budgetMinutes}`);
    hw.fits = false;
  }
  c = { key, genome: g, hw, cost, final: measuredFinalFidelity(ctx.plan, cost, []), timings: [] };
  ctx.cands.set(key, c);
  return c;
}

function foldedDesign(ctx: Ctx, g: Genome): Design {
  const d = evaluateHardware(toDesign(g, ctx.space), ctx.hw).design;
  d.target.part = ctx.part.name;
  return d;
}

/** The data a fidelity trains and is measured on (one dataset digest each). */
function digestKey(f: Pick<Fidelity, 'trainLimit' | 'testLimit' | 'evalOn'>): string {
  return `${f.trainLimit}/${f.testLimit}/${f.evalOn ?? 'test'}`;
}

function makeJob(ctx: Ctx, c: Candidate, f: Fidelity, returnModel = false): TrainJob {
  const datasetDigest = ctx.digests.get(digestKey(f));
  if (!datasetDigest) throw new Error(`internal: no dataset digest for ${digestKey(f)}`);
  return { type: 'train', key: c.key, design: foldedDesign(ctx, c.genome), fidelity: f, seed: ctx.o.seed, threads: ctx.o.workers, dataset: ctx.o.dataset, datasetDigest, codeVersion: codeVersion(), ...(returnModel ? { returnModel } : {}) };
}

/** Predictions at each candidate's own final schedule. */
function predictFinal(ctx: Ctx, cs: Candidate[]): Array<Prediction | null> {
  const p = ctx.surrogate.predict(cs.map((c) => c.genome), cs.map((c) => imagesSeen(c.final)));
  return p ?? cs.map(() => null);
}

function refit(ctx: Ctx): void {
  ctx.surrogate = Surrogate.fit([...ctx.prior, ...ctx.rows], ctx.space);
}

/**
 * Run jobs (in submission order of decisions): journaled ones are read back, the rest go to the queue together
 * (a queue with capacity N runs N at once); results are recorded in submission order.
 */
async function runJobs(ctx: Ctx, items: Array<{ c: Candidate; rung: string; f: Fidelity; returnModel?: boolean; force?: boolean }>): Promise<TrainJobResult[]> {
  const preds = predictFinal(ctx, items.map((i) => i.c));
  const atRung = ctx.surrogate.predict(items.map((i) => i.c.genome), items.map((i) => imagesSeen(i.f)));
  const jobs = items.map((i) => makeJob(ctx, i.c, i.f, i.returnModel));
  const promises = jobs.map((j, k) => {
    const id = jobId(j);
    const old = ctx.state.jobs.get(id);
    if (old && !items[k]!.force) return Promise.resolve({ ...old.result, cached: true });
    return ctx.queue.run(j, (p) => ctx.emit({ type: 'train-progress', epoch: p.epoch, batch: p.batch, batches: p.batches, loss: p.loss })).then((r) => ({ ...r, cached: false }));
  });
  const out: TrainJobResult[] = [];
  let firstError: unknown = null;
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    let r: TrainJobResult & { cached: boolean };
    try {
      r = await promises[k]!;
    } catch (e) {
      firstError ??= e;
      continue;
    }
    const id = jobId(jobs[k]!);
    const { model: _model, cached, ...result } = r;
    if (!ctx.state.jobs.has(id)) {
      const rec: JobRecord = { id, key: it.c.key, rung: it.rung, fidelity: it.f, predicted: atRung?.[k] ?? null, result };
      ctx.state.jobs.set(id, rec);
      ctx.journal.append({ type: 'job', ...rec, finalPredicted: preds[k] });
    }
    record(ctx, it.c, it.rung, trainedFidelity(it.f, result), result.acc, result.seconds);
    ctx.jobsDone++;
    ctx.emit({ type: 'job', rung: it.rung, key: it.c.key, acc: result.acc, predicted: atRung?.[k]?.mean ?? null, seconds: result.seconds, cached, done: ctx.jobsDone });
    out.push(r);
  }
  if (firstError) throw firstError;
  return out;
}

function record(ctx: Ctx, c: Candidate, rung: string, f: Fidelity, acc: number, seconds: number): void {
  if (f.recipe === 'base') ctx.rows.push({ key: c.key, genome: c.genome, imagesSeen: imagesSeen(f), recipe: f.recipe, acc, source: 'run' });
  let m = ctx.measured.get(c.key);
  if (!m) ctx.measured.set(c.key, (m = new Map()));
  m.set(rung, acc);
  // a search-rung job's journaled seconds correct the candidate's final schedule (the same on --resume: replayed)
  if (rung !== 'final' && !c.timings.some((t) => t.rung === rung)) {
    c.timings.push({ rung, planned: jobSeconds(ctx.plan, c.cost, { ...f, testLimit: 0 }), seconds });
    c.final = measuredFinalFidelity(ctx.plan, c.cost, c.timings);
    ctx.searchUsed += searchJobSeconds(ctx.plan, c.cost, f, seconds);
  }
}

function bandOf(ctx: Ctx, c: Candidate): number {
  return Math.min(LUT_BANDS - 1, Math.max(0, Math.floor((c.hw.lut / ctx.o.luts) * LUT_BANDS)));
}

/** Elites mutated per wave: this many of the run's measured candidates and as many of the prior's. */
const ELITES = 8;

/**
 * Genomes a wave considers (deterministic per wave): the prior's architectures and mutations of its best (a hot
 * start from the model zoo, after HotNAS: Jiang et al. 2020), mutations of the best measured, and random
 * immigrants. Without the prior's genomes a search on the shipped tables started from random samples only: the
 * best of the 37 3-epoch rows (c32k3spw4a4-c64k3spw4a4|d128w4a4|o8, 91.99%, 8,026 LUTs estimated at 1,000 fps on
 * xc7z020) could not be picked by a demo that trains 11 candidates, whose winner reached 91.90% after 5 epochs;
 * with them its first wave was mutants of the table's best and its winner reached 92.69% after 7
 * (bench/results/2026-12-01/demo-d09c0a5.txt, demo-5ef5e6c.txt).
 */
function proposalPool(ctx: Ctx, wave: number, widest: boolean): Genome[] {
  const rng = new Rng(generationSeed(ctx.o.seed, wave, widest ? 1 : 0));
  const fix = (g: Genome): Genome => (widest ? withUniformBits(g, ctx.space, Math.max(...ctx.space.conv.wBits)) : g);
  const out: Genome[] = [];
  const ranked = (cs: Candidate[]): Candidate[] => {
    const preds = predictFinal(ctx, cs);
    return cs.map((c, i) => ({ c, s: preds[i]?.mean ?? 0 })).sort((a, b) => b.s - a.s || (a.c.key < b.c.key ? -1 : 1)).map((x) => x.c);
  };
  const measured = [...ctx.measured.keys()].map((k) => ctx.cands.get(k)!).filter(Boolean);
  const prior = uniq(priorGenomes(ctx).map((g) => candidate(ctx, fix(g)))).filter((c) => !ctx.measured.has(c.key) && (widest ? trainable(ctx.plan, c.cost) : c.hw.fits));
  for (const c of prior) out.push(c.genome);
  const elite = [...ranked(measured).slice(0, ELITES), ...ranked(prior).slice(0, ELITES)];
  for (const e of elite) {
    let g = e.genome;
    for (let t = 0; t < 60; t++) {
      g = mutateGenome(t % 3 === 0 ? e.genome : g, ctx.space, rng);
      out.push(fix(g));
    }
  }
  for (let t = 0; t < 1200; t++) out.push(fix(sampleGenome(ctx.space, rng)));
  return out;
}

/** The prior rows' genomes, each once, in row order. */
function priorGenomes(ctx: Ctx): Genome[] {
  const seen = new Set<string>();
  const out: Genome[] = [];
  for (const r of ctx.prior) if (!seen.has(r.key)) (seen.add(r.key), out.push(r.genome));
  return out;
}

/** Mix a seed and a wave into a generator seed (splitmix-style). */
export function generationSeed(seed: number, gen: number, stream = 0): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(gen + 1, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Architecture skeleton of a genome: its key without the bit widths. */
export function skeletonKey(g: Genome): string {
  return genomeKey(g).replace(/w\d+a\d+/g, '').replace(/\|o\d+$/, '');
}

/**
 * Choose a wave's new candidates: per LUT band the best by upper-confidence bound (distinct skeletons), then the
 * rest by score. With an empty surrogate (no prior, nothing measured) the score is the NASWOT proxy.
 */
async function chooseWave(ctx: Ctx, pool: Candidate[], n: number, banded: boolean): Promise<Candidate[]> {
  let scores: number[];
  if (ctx.surrogate.empty) scores = await proxyScores(ctx, pool, n);
  else scores = predictFinal(ctx, pool).map((p) => p!.mean + KAPPA * p!.std);
  const order = pool.map((c, i) => ({ c, s: scores[i]! })).sort((a, b) => b.s - a.s || a.c.hw.lut - b.c.hw.lut || (a.c.key < b.c.key ? -1 : 1));
  const chosen: Candidate[] = [];
  const skel = new Set<string>();
  const take = (c: Candidate): void => {
    chosen.push(c);
    skel.add(skeletonKey(c.genome));
  };
  if (banded) {
    const perBand = Math.max(1, Math.floor(n / LUT_BANDS));
    for (let b = LUT_BANDS - 1; b >= 0; b--) {
      let k = 0;
      for (const { c } of order) {
        if (k >= perBand || chosen.length >= n) break;
        if (bandOf(ctx, c) !== b || skel.has(skeletonKey(c.genome))) continue;
        take(c);
        k++;
      }
    }
  }
  for (const { c } of order) {
    if (chosen.length >= n) break;
    if (!chosen.includes(c) && !skel.has(skeletonKey(c.genome))) take(c);
  }
  for (const { c } of order) {
    if (chosen.length >= n) break;
    if (!chosen.includes(c)) take(c);
  }
  return chosen;
}

/** Training-free scores (NASWOT, Mellor et al. 2021) for an empty surrogate; only the cheapest few per band are scored. */
async function proxyScores(ctx: Ctx, pool: Candidate[], n: number): Promise<number[]> {
  const { initBackend } = await import('../ml/backend.js');
  await initBackend(ctx.o.backend);
  const { makeProxyBatch, computeProxies, disposeProxyBatch } = await import('../ml/proxies.js');
  const { train } = await jobSplits({ dataset: ctx.o.dataset, fidelity: ctx.plan.rungs[0]!.fidelity }, { dataDir: ctx.o.dataDir });
  const batch = makeProxyBatch(train, ctx.o.seed);
  // score at most 3n candidates, spread over the bands (the first ones of each band in pool order)
  const pick = new Set<number>();
  for (let b = 0; b < LUT_BANDS; b++) {
    let k = 0;
    pool.forEach((c, i) => {
      if (k < Math.ceil((3 * n) / LUT_BANDS) && bandOf(ctx, c) === b) {
        pick.add(i);
        k++;
      }
    });
  }
  try {
    return pool.map((c, i) => (pick.has(i) ? computeProxies(foldedDesign(ctx, c.genome), batch, 1).naswot : -Infinity));
  } finally {
    disposeProxyBatch(batch);
  }
}

/** The search phase: waves of proposals at r0 and promotions to r1 (and r2) until the search share of the budget is spent. */
async function searchPhase(ctx: Ctx, widest: boolean): Promise<void> {
  const { plan, o } = ctx;
  const [r0, r1, r2] = plan.rungs as [typeof plan.rungs[0], typeof plan.rungs[0], typeof plan.rungs[0] | undefined];
  const waveSize = o.waveSize ?? 2 * LUT_BANDS;
  let spent = 0;
  const inR1 = new Set<string>();
  const inR2 = new Set<string>();
  const maxWaves = o.waves ?? 1000;
  for (let wave = 0; wave < maxWaves; wave++) {
    const pool = proposalPool(ctx, wave, widest).map((g) => candidate(ctx, g));
    const open = (c: Candidate): boolean => (widest ? trainable(plan, c.cost) : c.hw.fits) && !ctx.measured.get(c.key)?.has(r0.name);
    let fresh = uniq(pool).filter(open);
    if (!widest && fresh.length < waveSize) {
      // a tight budget: few proposals fit at their bit widths; add each proposal at the narrowest uniform bits (what
      // the separate baseline does to its one architecture): at 1,100 LUTs the baseline found a 1-bit c4k3 net of
      // 1,036 LUTs on 2 of 3 seeds where the co-search, sampling bits at random, found none that fits
      const narrow = uniq(pool.map((c) => candidate(ctx, withUniformBits(c.genome, ctx.space, 1))));
      // each widened again, layer by layer, as far as it still fits (the budget spent on precision, which the
      // baseline's uniform bits cannot do), then what lies around them (feasibleNeighbours)
      const fitting = narrow.filter(open);
      fresh = uniq([...fresh, ...fitting.map((c) => widenToFit(ctx, c, open)), ...fitting]);
      fresh = uniq([...fresh, ...feasibleNeighbours(ctx, wave, fresh, open)]);
    }
    if (fresh.length === 0) break;
    let chosen = await chooseWave(ctx, fresh, waveSize, !widest);
    // after the first wave, a wave (its r0 jobs and the promotions that follow) must fit in what is left of the
    // search share: the lowest-ranked candidates are dropped until it does, and the search ends when none fits.
    // The first wave is not cut: it is ordered by LUT band, largest first, so its tail is the cheapest candidates,
    // and cutting it to the share (the demo's planned 587 s of 450) left 3 large nets and a 26,046-LUT finalist
    // trained 2 epochs (bench/results/2026-12-02/demo-2895dd4-first-wave-cut.txt); the search phase overruns its
    // share by the first wave instead.
    if (o.waves === null && wave > 0) {
      const atR0Before = [...ctx.measured.values()].filter((m) => m.has(r0.name)).length;
      while (chosen.length > 0 && spent + wavePlannedSeconds(plan, chosen.map((c) => c.cost), atR0Before, inR1.size) > plan.searchSeconds) chosen = chosen.slice(0, -1);
      if (chosen.length === 0) break;
    }
    const cost = chosen.reduce((s, c) => s + jobSeconds(plan, c.cost, r0.fidelity), 0);
    spent += cost;
    await runJobs(ctx, chosen.map((c) => ({ c, rung: r0.name, f: r0.fidelity })));
    refit(ctx);
    // promotions: the best 1/ETA of r0 (one per LUT band first) go to r1
    const atR0 = [...ctx.measured.entries()].filter(([, m]) => m.has(r0.name)).map(([k]) => ctx.cands.get(k)!);
    const target = Math.ceil(atR0.length / ETA);
    const preds = predictFinal(ctx, atR0);
    const ranked = atR0.map((c, i) => ({ c, s: preds[i]?.mean ?? 0 })).sort((a, b) => b.s - a.s || (a.c.key < b.c.key ? -1 : 1)).map((x) => x.c);
    const promote: Candidate[] = [];
    if (!widest) {
      for (let b = LUT_BANDS - 1; b >= 0; b--) {
        const best = ranked.find((c) => bandOf(ctx, c) === b);
        if (best && !inR1.has(best.key) && !promote.includes(best) && inR1.size + promote.length < target) promote.push(best);
      }
    }
    for (const c of ranked) if (inR1.size + promote.length < target && !inR1.has(c.key) && !promote.includes(c)) promote.push(c);
    if (promote.length) {
      spent += promote.reduce((s, c) => s + jobSeconds(plan, c.cost, r1.fidelity), 0);
      await runJobs(ctx, promote.map((c) => ({ c, rung: r1.name, f: r1.fidelity })));
      promote.forEach((c) => inR1.add(c.key));
      refit(ctx);
    }
    // r2: the best 1/ETA of r1 by predicted final accuracy, each only while its job fits in what is left of the
    // search share (the demo's first wave alone overruns it, so a 30-minute demo has no r2 job)
    if (r2) {
      const atR1 = [...inR1].map((k) => ctx.cands.get(k)!);
      const p1 = predictFinal(ctx, atR1);
      const ranked1 = atR1.map((c, i) => ({ c, s: p1[i]?.mean ?? 0 })).sort((a, b) => b.s - a.s || (a.c.key < b.c.key ? -1 : 1)).map((x) => x.c);
      const up: Candidate[] = [];
      for (const c of ranked1) {
        if (inR2.size + up.length >= Math.ceil(inR1.size / ETA)) break;
        if (inR2.has(c.key)) continue;
        const t = jobSeconds(plan, c.cost, r2.fidelity);
        if (spent + t > plan.searchSeconds) break;
        spent += t;
        up.push(c);
      }
      if (up.length) {
        await runJobs(ctx, up.map((c) => ({ c, rung: r2.name, f: r2.fidelity })));
        up.forEach((c) => inR2.add(c.key));
        refit(ctx);
      }
    }
    const best = bestPredicted(ctx, widest);
    ctx.emit({ type: 'wave', wave: wave + 1, waves: o.waves ?? 0, jobs: ctx.jobsDone, best: best ? summary(ctx, best.c, best.p) : null, spentSeconds: spent, plannedSeconds: plan.searchSeconds });
    if (o.waves === null && spent >= plan.searchSeconds) break;
  }
}

/**
 * A design that fits, with its bit widths raised one step at a time, round-robin over its layers (each layer's
 * activations, then weights; the classifier's weights last), keeping each step that still fits, until none does.
 * Deterministic. At 1,100 LUTs the narrowest uniform bits of c4k3v||o2 fit in 1,036 LUTs; 8-bit weights fit too.
 */
function widenToFit(ctx: Ctx, c: Candidate, open: (c: Candidate) => boolean): Candidate {
  const sp = ctx.space;
  const next = (xs: number[], v: number): number | null => xs.filter((x) => x > v).sort((p, q) => p - q)[0] ?? null;
  const raise = <T extends object, K extends keyof T>(o: T, f: K, xs: number[]): boolean => {
    const v = next(xs, o[f] as number);
    if (v === null) return false;
    (o as Record<K, number>)[f] = v;
    return true;
  };
  const steps: Array<(g: Genome) => boolean> = [];
  c.genome.convs.forEach((_, i) => {
    steps.push((g) => raise(g.convs[i]!, 'a', sp.conv.aBits));
    steps.push((g) => raise(g.convs[i]!, 'w', i === 0 && sp.conv.firstWBits ? sp.conv.firstWBits : sp.conv.wBits));
  });
  c.genome.dense.forEach((_, i) => {
    steps.push((g) => raise(g.dense[i]!, 'a', sp.dense.aBits));
    steps.push((g) => raise(g.dense[i]!, 'w', sp.dense.wBits));
  });
  steps.push((g) => raise(g, 'outW', sp.classifier.wBits));
  let best = c;
  for (let changed = true; changed; ) {
    changed = false;
    for (const step of steps) {
      const g = cloneGenome(best.genome);
      if (!step(g)) continue;
      const w = candidate(ctx, g);
      if (w.hw.fits) {
        best = w;
        changed = true;
      }
    }
  }
  return open(best) ? best : c;
}

/** Steps of each random walk from a design that fits (feasibleNeighbours). */
const NEIGHBOUR_STEPS = 60;

/**
 * A tight budget: the neighbourhood of what fits. Random walks of mutations (per-layer bits, widths, kernels, layers)
 * from each design known to fit, the wave's fitting proposals and the run's measured candidates, keeping the steps
 * that fit and are not measured yet; a walk goes back to its start every third step and after a step that does not
 * fit. With the narrowest uniform bits alone the co-search was the separate baseline's twin at 1,100 LUTs: its
 * fitting proposals were c4k3vw1a1||o2 and c4k5vw1a1||o2 and its winners uniform 1-bit nets on 2 of 3 seeds (mean
 * 85.00%); widened and with these neighbours, c4k3vw8a1||o4, c4k3vw6a1||o8 and c4k3vw1a2||o2 (mean 86.07%;
 * `npx tsx bench/search.ts --runs-only --budget-minutes 2 --seeds 1,2,3 --luts-list 1100`,
 * bench/results/2026-12-06/covssep.txt).
 */
function feasibleNeighbours(ctx: Ctx, wave: number, fitting: Candidate[], open: (c: Candidate) => boolean): Candidate[] {
  const rng = new Rng(generationSeed(ctx.o.seed, wave, 2));
  const measured = [...ctx.measured.keys()].map((k) => ctx.cands.get(k)!).filter((c) => c && c.hw.fits);
  const out: Candidate[] = [];
  for (const s of uniq([...fitting, ...measured])) {
    let g = s.genome;
    for (let t = 0; t < NEIGHBOUR_STEPS; t++) {
      g = mutateGenome(t % 3 === 0 ? s.genome : g, ctx.space, rng);
      const c = candidate(ctx, g);
      if (open(c)) out.push(c);
      else g = s.genome; // a walk continues only from designs that fit
    }
  }
  return uniq(out);
}

function uniq(cs: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return cs.filter((c) => (seen.has(c.key) ? false : (seen.add(c.key), true)));
}

/** Measured candidates ranked by predicted final accuracy (posterior mean given all results). */
function rankMeasured(ctx: Ctx, filter: (c: Candidate) => boolean): Array<{ c: Candidate; p: Prediction | null }> {
  const cs = [...ctx.measured.keys()].map((k) => ctx.cands.get(k)!).filter(filter);
  const ps = predictFinal(ctx, cs);
  return cs.map((c, i) => ({ c, p: ps[i] ?? null })).sort((a, b) => (b.p?.mean ?? 0) - (a.p?.mean ?? 0) || a.c.hw.lut - b.c.hw.lut || (a.c.key < b.c.key ? -1 : 1));
}

function bestPredicted(ctx: Ctx, widest: boolean): { c: Candidate; p: Prediction | null } | null {
  return rankMeasured(ctx, (c) => (widest ? true : c.hw.fits))[0] ?? null;
}

/** An architecture quantized to uniform bit widths, widest first, until one fits every budget. */
function widestFitting(ctx: Ctx, g: Genome, lutScale = 1): { fit: Candidate | null; smallest: Candidate } {
  const bits = [...new Set([...ctx.space.conv.wBits, ...ctx.space.conv.aBits])].sort((a, b) => b - a);
  let c: Candidate | undefined;
  for (const b of bits) {
    c = candidate(ctx, withUniformBits(g, ctx.space, b));
    if (c.hw.fits && c.hw.lut * lutScale <= ctx.o.luts) return { fit: c, smallest: c };
  }
  return { fit: null, smallest: c! };
}

function fmtHw(h: HwEval): string {
  return `${Number.isFinite(h.lut) ? Math.round(h.lut).toLocaleString('en-US') : '?'} LUTs at ${h.fps ? Math.round(h.fps).toLocaleString('en-US') : '?'} fps${h.violations.length ? ` (${h.violations.join('; ')})` : ''}`;
}

function infeasible(ctx: Ctx): never {
  const small = candidate(ctx, smallestGenome(ctx.space));
  let best = small;
  for (const c of ctx.cands.values()) if (c.hw.folded && c.hw.lut < best.hw.lut) best = c;
  throw new DataError(
    `no design in search space ${ctx.space.name} fits ${ctx.o.luts.toLocaleString('en-US')} LUTs at ${ctx.o.fps} fps on ${ctx.part.name}` +
      `${ctx.o.brams !== undefined ? `, ${ctx.o.brams} BRAM18` : ''}${ctx.o.dsps !== undefined ? `, ${ctx.o.dsps} DSP` : ''} (${ctx.cands.size} candidates evaluated); ` +
      `the smallest design found, ${best.key}, needs ${fmtHw(best.hw)}`,
    { hint: best.hw.folded ? `raise --luts to at least ${Math.ceil(best.hw.lut)} or lower --fps` : 'lower --fps or raise --clock' },
  );
}

/** Measure this machine's QAT speed (three designs, a few hundred images each), unless given or journaled. */
async function qatSpeed(ctx: Pick<Ctx, 'o' | 'journal' | 'state' | 'emit' | 'space'>): Promise<QatSpeed> {
  if (ctx.state.speed) return ctx.state.speed;
  let s: QatSpeed;
  if (ctx.o.qatSpeed) s = { ...parseQatSpeed(ctx.o.qatSpeed), measured: false };
  else {
    ctx.emit({ type: 'phase', phase: 'calibrate', detail: `measuring QAT speed on ${ctx.o.workers} thread(s)` });
    const { trainDesign } = await import('../ml/train.js');
    const { train, test } = await jobSplits({ dataset: ctx.o.dataset, fidelity: { epochs: 1, trainLimit: 1024, testLimit: 64, batchSize: 64, recipe: 'base' } }, { dataDir: ctx.o.dataDir });
    const small = smallestGenome(ctx.space);
    const c0 = ctx.space.conv;
    const big: Genome = { convs: [0, 1].map(() => ({ ch: Math.max(...c0.channels), k: Math.min(...c0.kernels), pad: c0.padding.includes('same') ? 'same' : 'valid', pool: true, w: Math.max(...c0.wBits), a: Math.max(...c0.aBits) })), dense: [], outW: Math.max(...ctx.space.classifier.wBits) };
    const time = async (g: Genome, n: number): Promise<number> => {
      const r = await trainDesign(toDesign(g, ctx.space), { dataset: ctx.o.dataset, epochs: 1, seed: 1, batchSize: 64, trainLimit: n, testLimit: 64, train, test, backend: ctx.o.backend, workers: ctx.o.workers, refCheck: 0 });
      return (r.trainSeconds / n) * (1 + 0.7 * (ctx.o.workers - 1));
    };
    // many weights for few MACs: one narrow conv without pooling into the widest, widest-bit dense layer
    const dense: Genome = { convs: [{ ch: Math.min(...c0.channels), k: Math.min(...c0.kernels), pad: 'valid', pool: false, w: Math.max(...c0.wBits), a: Math.max(...c0.aBits) }], dense: [{ width: Math.max(...ctx.space.dense.widths, 16), w: Math.max(...ctx.space.dense.wBits, 1), a: Math.max(...ctx.space.dense.aBits, 1) }], outW: Math.max(...ctx.space.classifier.wBits) };
    if (ctx.space.dense.maxLayers === 0) dense.dense = [];
    await time(small, 128); // warm-up (backend, kernels)
    const pts = [];
    for (const [g, n] of [[small, 1024], [big, 512], [dense, 512]] as const) {
      const f = cheapFeatures(g, ctx.space);
      pts.push({ t: await time(g, n), m: f.macs, p: f.params / JOB_BATCH });
    }
    const { perImage, perMacImage, perParamStep } = fitQatSpeed(pts);
    // 2 significant digits: the plan should not flip on timing noise
    const sig = (x: number): number => Number(x.toPrecision(2));
    s = { perImage: sig(perImage), perMacImage: sig(perMacImage), perParamStep: sig(perParamStep), measured: true };
    if (blocksOf(ctx.space).includes('separable')) {
      // a fourth design for the slow (depthwise) MACs: a separable block of the widest channels on the full map
      const sep: Genome = { convs: [{ ...dense.convs[0]!, ch: [...c0.channels].sort((x, y) => x - y)[c0.channels.length >> 1]!, pad: c0.padding.includes('same') ? 'same' : 'valid' }, { ch: Math.max(...c0.channels), k: Math.max(...c0.kernels), pad: c0.padding.includes('same') ? 'same' : 'valid', pool: true, w: Math.max(...c0.wBits), a: Math.max(...c0.aBits), sep: true }], dense: [], outW: Math.max(...ctx.space.classifier.wBits) };
      const f = cheapFeatures(sep, ctx.space);
      const t = await time(sep, 512);
      s.perSlowMacImage = sig(slowMacSpeed(s, { t, m: f.macs, p: f.params / JOB_BATCH, slow: f.slowMacs }));
    }
  }
  ctx.journal.append({ type: 'speed', speed: s });
  ctx.state.speed = s;
  return s;
}

/** The per-slow-MAC seconds that explain a timed design with slow MACs beyond the three-term model (never < 0). */
export function slowMacSpeed(s: Pick<QatSpeed, 'perImage' | 'perMacImage' | 'perParamStep'>, q: { t: number; m: number; p: number; slow: number }): number {
  const rest = q.t - (s.perImage + s.perMacImage * q.m + (s.perParamStep ?? 0) * q.p);
  return q.slow > 0 ? Math.max(0, rest / q.slow) : 0;
}

/**
 * Seconds per image t = a + b * MACs + c * params / batch through three timed designs (exact solve), each
 * coefficient kept non-negative (a negative one is set to 0 and the others refitted by least squares).
 */
export function fitQatSpeed(pts: Array<{ t: number; m: number; p: number }>): { perImage: number; perMacImage: number; perParamStep: number } {
  const solve = (cols: number[]): number[] => {
    // least squares over the chosen columns of [1, m, p] (normal equations, tiny)
    const X = pts.map((q) => cols.map((c) => [1, q.m, q.p][c]!));
    const k = cols.length;
    const A = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => X.reduce((s, r) => s + r[i]! * r[j]!, 0)));
    const b = Array.from({ length: k }, (_, i) => X.reduce((s, r, n) => s + r[i]! * pts[n]!.t, 0));
    for (let i = 0; i < k; i++) {
      const piv = A[i]![i]! || 1e-30;
      for (let j = i + 1; j < k; j++) {
        const f = A[j]![i]! / piv;
        for (let l = i; l < k; l++) A[j]![l]! -= f * A[i]![l]!;
        b[j]! -= f * b[i]!;
      }
    }
    const x = new Array<number>(k).fill(0);
    for (let i = k - 1; i >= 0; i--) x[i] = (b[i]! - A[i]!.slice(i + 1).reduce((s, v, j) => s + v * x[i + 1 + j]!, 0)) / (A[i]![i]! || 1e-30);
    return x;
  };
  let cols = [0, 1, 2];
  for (let round = 0; round < 3; round++) {
    const x = solve(cols);
    const neg = cols.findIndex((c, i) => c !== 0 && x[i]! < 0);
    if (neg < 0) {
      const v = [0, 0, 0];
      cols.forEach((c, i) => (v[c] = x[i]!));
      return { perImage: Math.max(v[0]!, 1e-6), perMacImage: Math.max(v[1]!, 1e-12), perParamStep: Math.max(v[2]!, 0) };
    }
    cols = cols.filter((_, i) => i !== neg);
  }
  return { perImage: Math.max(...pts.map((q) => q.t)), perMacImage: 1e-12, perParamStep: 0 };
}

async function timed<T>(ctx: Pick<Ctx, 'journal' | 'state'>, phase: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const r = await f();
  const s = (Date.now() - t0) / 1000;
  ctx.journal.append({ type: 'phase-time', phase, seconds: s });
  ctx.state.phaseSeconds[phase] = (ctx.state.phaseSeconds[phase] ?? 0) + s;
  return r;
}

/** The calibration a search estimates with: --calibration, else that of the flow it targets (yosys-<family> with --synth yosys, default for Vitis). */
export function resolveCalibration(o: Pick<NormalizedOptions, 'calibration' | 'synth'>, part: Part): { calib: Calibration; name: string } {
  const c = o.calibration;
  if (c === null) {
    // the calibration of the tool that will check the design: yosys' fitted one for its family when it exists
    if (o.synth === 'yosys') {
      try {
        return { calib: loadCalibration({ name: `yosys-${part.yosysFamily}` }), name: `yosys-${part.yosysFamily}` };
      } catch {
        return { calib: loadCalibration(), name: `default (no yosys-${part.yosysFamily} calibration exists)` };
      }
    }
    return { calib: loadCalibration(), name: 'default' };
  }
  if (c.endsWith('.json') || c.includes('/')) return { calib: loadCalibration({ file: c }), name: c };
  return { calib: loadCalibration({ name: c }), name: c };
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
      throw new DataError('the first journal record is not valid JSON', { file: jf, hint: 'the journal is damaged; start a new run with --out' });
    }
    if (start.type !== 'start') throw new DataError('the journal does not begin with a start record', { file: jf });
    if (start.version !== JOURNAL_VERSION) throw new DataError(`the journal was written by another search version (${String(start.version)}, this is ${JOURNAL_VERSION})`, { file: jf, hint: 'start a new run with --out' });
    o = { ...(start.options as NormalizedOptions), out: runDir };
    if (opts.backend) o.backend = opts.backend;
    if (opts.dataDir) o.dataDir = resolve(opts.dataDir);
  } else {
    o = normalizeOptions(opts);
    runDir = o.out;
    if (existsSync(join(runDir, 'journal.jsonl'))) throw new UsageError(`${runDir} already holds a run (journal.jsonl)`, `continue it with --resume ${runDir}, or choose another --out`);
  }
  // resolve everything before touching the run directory (bad input fails fast)
  const part = loadPart(o.partFile !== undefined ? undefined : o.part, o.partFile);
  const { calib, name: calibName } = resolveCalibration(o, part);
  // journal the calibration actually used (export and resume read it)
  if (o.calibration === null && calibName.startsWith('yosys-')) o.calibration = calibName;
  const shape = datasetShape(o.dataset, o.dataDir);
  const spaceName = o.space || defaultSpaceName(o.dataset, o.dataDir);
  const { space, file: spaceFile } = loadSpace(spaceName);
  // a bundled default space fits any dataset of its image size: its classifier takes the dataset's classes
  if (/^default-\d+x\d+x\d+$/.test(spaceName) && space.numClasses !== shape.numClasses) space.numClasses = shape.numClasses;
  o.space = spaceName;
  checkSpaceForDataset(space, spaceFile, o.dataset, o.dataDir);
  const trainCount = Math.min(o.trainLimit ?? shape.trainCount, shape.trainCount);
  const testCount = Math.min(o.testLimit ?? shape.testCount, shape.testCount);
  const splits = await jobSplits({ dataset: o.dataset, fidelity: { epochs: 1, trainLimit: trainCount, testLimit: testCount, batchSize: 64, recipe: 'base' } }, { dataDir: o.dataDir });
  const prior = o.noPrior ? [] : priorRows(space, o.dataset, o.warmStart);
  mkdirSync(runDir, { recursive: true });
  const unlock = lockRun(runDir);
  let opened: ReturnType<typeof openJournal>;
  try {
    opened = openJournal(join(runDir, 'journal.jsonl'));
  } catch (e) {
    unlock();
    throw e;
  }
  const { journal, records } = opened;
  const state = new RunState(records);
  const queue = opts.queue ?? new LocalQueue({ dataDir: o.dataDir, backend: o.backend });
  try {
    if (state.done && existsSync(join(runDir, 'report.json'))) {
      // a finished run: nothing to do, nothing rewritten
      const rep = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { result: SearchResult };
      emit({ type: 'start', options: o, resumed: true, replayed: records.length });
      emit({ type: 'done', result: rep.result });
      return rep.result;
    }
    if (!state.start) journal.append({ type: 'start', version: JOURNAL_VERSION, options: o, space: space.name, queue: opts.queueName ?? queue.name, priorRows: prior.length });
    emit({ type: 'start', options: o, resumed: Boolean(opts.resume), replayed: records.length });
    const budget = { luts: o.luts, fps: o.fps, brams: o.brams, dsps: o.dsps };
    const pre = { o, journal, state, emit, space };
    const speed = await timed(pre, 'calibrate', () => qatSpeed(pre));
    const plan = makePlan(o, trainCount, testCount, speed, shape.trainCount);
    // every job carries the digest of the data at its own limits
    const digests = new Map<string, string>();
    for (const f of [...plan.rungs.map((r) => r.fidelity), { trainLimit: trainCount, testLimit: testCount }]) {
      const k = digestKey(f);
      if (digests.has(k)) continue;
      const sp = await jobSplits({ dataset: o.dataset, fidelity: { epochs: 1, batchSize: 64, recipe: 'base', ...f } }, { dataDir: o.dataDir, splits });
      digests.set(k, datasetDigest(sp.train, sp.test));
    }
    const ctx: Ctx = { o, space, part, calib, calibName, hw: { part, calib, clockMHz: o.clockMHz, budget }, plan, searchPlan: plan, journal, state, queue, emit, digests, prior, cands: new Map(), rows: [], measured: new Map(), surrogate: Surrogate.fit(prior, space), jobsDone: 0, searchUsed: 0 };

    // 1. search
    const widest = o.strategy === 'separate';
    emit({ type: 'phase', phase: 'search', detail: `${widest ? 'separate baseline: architecture search ignoring hardware (widest bits)' : 'co-search'}: waves of ${o.waveSize ?? 2 * LUT_BANDS} at ${ctx.plan.rungs.map((r) => `${r.name} ${r.fidelity.epochs}x${r.fidelity.trainLimit}`).join(', ')}, promoting 1/${ETA}; ${Math.round(ctx.plan.searchSeconds)} s planned; surrogate from ${prior.length} prior rows` });
    await timed(ctx, 'search', () => searchPhase(ctx, widest));
    // what the search left of its share goes to the final training, what it overran comes from it: every
    // candidate's final schedule re-planned
    const finalSeconds = finalSecondsAfterSearch(ctx.plan, ctx.searchUsed);
    if (o.finalEpochs === null && finalSeconds !== ctx.plan.finalSeconds) {
      emit({ type: 'phase', phase: 'search', detail: `the search used ${Math.round(ctx.searchUsed)} s of its ${Math.round(ctx.plan.searchSeconds)}; the final share ${finalSeconds > ctx.plan.finalSeconds ? 'grows' : 'shrinks'} from ${Math.round(ctx.plan.finalSeconds)} to ${Math.round(finalSeconds)} s` });
      ctx.plan = { ...ctx.plan, finalSeconds };
      for (const c of ctx.cands.values()) c.final = measuredFinalFidelity(ctx.plan, c.cost, c.timings);
    }

    // 2. finalists, final training, emit, csim, synthesis (a miss: next finalist)
    let lutScale = 1;
    const misses: SynthSummary[] = [];
    for (const r of state.synth) if (r.result && !(r.result as SynthSummary).fits) misses.push(r.result as SynthSummary);
    const rejected = new Set(misses.map((m) => m.key));
    for (const m of misses) lutScale = Math.max(lutScale, m.lut / Math.max(m.estLut, 1));
    let attempt = 0;
    for (;;) {
      const pick = pickFinalist(ctx, widest, rejected, lutScale);
      const c = pick.c;
      const p = predictFinal(ctx, [c])[0] ?? null;
      emit({ type: 'phase', phase: 'train', detail: `finalist ${c.key}: ${c.final.epochs} epoch(s) on ${c.final.trainLimit} images (recipe ${c.final.recipe}${c.final.deadline ? `, filling ${c.final.deadline.seconds} s at its measured pace` : ''}); predicted ${p ? `${(p.mean * 100).toFixed(1)} ± ${((p.obsStd ?? p.std) * 100).toFixed(1)}%` : '-'}` });
      const bestDir = join(runDir, 'best');
      const modelDir = join(bestDir, 'model');
      const { readIntModel } = await import('../ml/intmodel-io.js');
      const design = foldedDesign(ctx, c.genome);
      // the model on disk is this finalist's when its final job is journaled and the file holds its design
      const onDisk = (): boolean => {
        try {
          return JSON.stringify(readIntModel(modelDir).design) === JSON.stringify(design);
        } catch {
          return false;
        }
      };
      const need = !finalFor(ctx, c) || !onDisk();
      const [res] = await timed(ctx, 'final', () => runJobs(ctx, [{ c, rung: 'final', f: c.final, returnModel: true, force: need }]));
      if (need) writeModel(modelDir, res!);
      const trained = res!.epochs;
      if (trained !== undefined)
        emit({ type: 'phase', phase: 'train', detail: `the final training ran ${trained < c.final.epochs ? 'slower' : 'faster'} than planned: ${trained} epoch(s) in its ${c.final.deadline?.seconds ?? '?'} s, planned ${c.final.epochs} (the learning-rate schedule mapped onto them)` });
      writeJsonAtomic(join(bestDir, 'design.json'), design);
      const intModel = readIntModel(modelDir);
      // csim
      let csim = state.csim && state.csim.key === c.key ? (state.csim.result as SearchResult['csim']) : null;
      if (!csim && o.csimImages > 0) {
        csim = await timed(ctx, 'csim', async () => {
          emit({ type: 'phase', phase: 'emit', detail: `HLS project in ${join(bestDir, 'hls')}, C-simulation on ${o.csimImages} test images` });
          const { emitHls } = await import('../emit/hls.js');
          const { runCsim } = await import('../synth/csim.js');
          const n = Math.min(o.csimImages, splits.test.count);
          emitHls(intModel, join(bestDir, 'hls'), { testImages: splits.test.images, testCount: n, labels: splits.test.labels, testSource: `${o.dataset} test split` });
          // the part's board flow beside it (Zynq: Vivado Tcl to bitstream + PYNQ driver; Alveo: v++ link notes)
          const { emitBoard } = await import('../emit/board.js');
          const board = emitBoard(intModel, join(bestDir, 'hls'), 'auto');
          if (board.note) emit({ type: 'phase', phase: 'emit', detail: board.note });
          const r = await runCsim(join(bestDir, 'hls'), { images: n });
          return { ok: r.ok, images: r.images, mismatches: r.mismatches, correct: r.correct };
        });
        journal.append({ type: 'csim', key: c.key, result: csim });
        state.csim = { type: 'csim', key: c.key, result: csim };
      }
      // synthesis
      let synth: SynthSummary | null = null;
      if (o.synth !== 'none') {
        const old = state.synth.find((r) => r.key === c.key);
        synth = old ? (old.result as SynthSummary) : await timed(ctx, 'synth', () => synthesize(ctx, c, intModel, bestDir, splits.test));
        if (!old) {
          journal.append({ type: 'synth', key: c.key, result: synth });
          state.synth.push({ type: 'synth', key: c.key, result: synth });
        }
        if (!synth.fits) {
          misses.push(synth);
          rejected.add(c.key);
          lutScale = Math.max(lutScale, synth.lut / Math.max(synth.estLut, 1));
          attempt++;
          emit({ type: 'phase', phase: 'synth', detail: `${c.key} synthesized to ${Math.round(synth.lut)} LUTs (estimated ${Math.round(synth.estLut)}), over the budget; trusting estimates ${lutScale.toFixed(2)}x from now on` });
          if (attempt > o.maxRefits) {
            finishReports(ctx, c, p, csim, synth, misses, t0, false);
            throw new DataError(`no synthesized design fits: ${misses.map((m) => `${m.key} ${Math.round(m.lut)} LUTs`).join(', ')} > ${o.luts} (${o.synth})`, { hint: 'raise --luts, lower --fps, or allow more tries with --max-refits' });
          }
          continue;
        }
      }
      const result = finishReports(ctx, c, p, csim, synth, misses, t0, true);
      journal.append({ type: 'done', winner: c.key, finalAcc: result.winner.finalAcc });
      emit({ type: 'done', result });
      return result;
    }
  } finally {
    journal.close();
    unlock();
  }
}

function finalFor(ctx: Ctx, c: Candidate): JobRecord | undefined {
  return ctx.state.jobs.get(jobId(makeJob(ctx, c, c.final, true)));
}

function writeModel(dir: string, r: TrainJobResult): void {
  if (!r.model) throw new Error('internal: the final job returned no model');
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, 'intmodel.bin'), Buffer.from(r.model.bin, 'base64'));
  writeFileAtomic(join(dir, 'intmodel.json'), Buffer.from(r.model.json, 'base64'));
  writeJsonAtomic(join(dir, 'accuracy.json'), { testCount: r.testCount, floatTestAcc: r.floatAcc, intTestAcc: r.acc, agreement: r.agreement, trainSeconds: r.seconds, trainCount: r.trainCount, backend: r.backend, curve: r.curve });
}

/** The finalist: best predicted final accuracy among measured candidates that fit (with the LUT feedback). */
function pickFinalist(ctx: Ctx, widest: boolean, rejected: Set<string>, lutScale: number): { c: Candidate } {
  if (widest) {
    const arch = rankMeasured(ctx, () => true).filter((x) => !rejected.has(x.c.key))[0];
    if (!arch) throw new DataError('separate baseline: no architecture was trained', { hint: 'raise --budget-minutes' });
    const { fit, smallest } = widestFitting(ctx, arch.c.genome, lutScale);
    if (!fit || rejected.has(fit.key))
      throw new DataError(
        `separate baseline: the most accurate architecture ${skeletonKey(arch.c.genome)} (predicted ${((arch.p?.mean ?? 0) * 100).toFixed(1)}%) does not fit ${ctx.o.luts.toLocaleString('en-US')} LUTs at ${ctx.o.fps} fps on ${ctx.part.name} at any uniform bit width; at the lowest it needs ${fmtHw(smallest.hw)}`,
        { hint: 'this is the weakness the co-search addresses: run with --strategy cosearch' },
      );
    return { c: fit };
  }
  const fits = (c: Candidate): boolean => c.hw.fits && !rejected.has(c.key) && c.hw.lut * lutScale <= ctx.o.luts;
  // one whose final schedule fits the final share where any does (a search that overran its share leaves less)
  const best = rankMeasured(ctx, (c) => fits(c) && fitsFinalShare(ctx.plan, c.cost, c.timings))[0] ?? rankMeasured(ctx, fits)[0];
  if (best) return { c: best.c };
  if ([...ctx.cands.values()].every((c) => !c.hw.fits)) infeasible(ctx);
  throw new DataError(`no measured candidate fits ${ctx.o.luts} LUTs after ${ctx.state.synth.length} synthesis miss(es) (estimates trusted ${lutScale.toFixed(2)}x)`, { hint: 'raise --luts or --budget-minutes' });
}

async function synthesize(ctx: Ctx, c: Candidate, intModel: import('../core/intmodel.js').IntModel, bestDir: string, test: { images: Uint8Array; count: number }): Promise<SynthSummary> {
  const o = ctx.o;
  ctx.emit({ type: 'phase', phase: 'synth', detail: `synthesis of ${c.key} with ${o.synth}` });
  let rep: ResourceReport;
  try {
    if (o.synth === 'yosys') {
      const { emitRtl } = await import('../emit/rtl.js');
      const { synthYosys } = await import('../synth/yosys.js');
      emitRtl(intModel, join(bestDir, 'rtl'), { testImages: test.images, testCount: Math.min(10, test.count), calibration: ctx.calib });
      rep = await synthYosys(join(bestDir, 'rtl'));
    } else {
      const { synthVitis } = await import('../synth/vitis.js');
      rep = await synthVitis(join(bestDir, 'hls'));
    }
  } catch (e) {
    // a tool failure is not a result: say so and stop; --resume retries the synthesis
    ctx.journal.append({ type: 'synth-error', key: c.key, tool: o.synth, message: (e as Error).message });
    if (e instanceof CosearchError) throw e;
    throw new DataError(`synthesis of ${c.key} with ${o.synth} failed: ${(e as Error).message}`, { hint: `fix the tool, then continue with --resume ${o.out}` });
  }
  writeJsonAtomic(join(bestDir, `synth-${o.synth}.json`), rep);
  const t = rep.total;
  const fits = t.lut <= o.luts && (o.brams === undefined || t.bram18 <= o.brams) && (o.dsps === undefined || t.dsp <= o.dsps) && t.lut <= ctx.part.lut && t.bram18 <= ctx.part.bram18 && t.dsp <= ctx.part.dsp;
  return { tool: o.synth, key: c.key, lut: t.lut, ff: t.ff, bram18: t.bram18, dsp: t.dsp, fits, estLut: c.hw.lut };
}

/** Per rung: the run's own predictions (made before each job) against the measurements. */
function rungStats(ctx: Ctx): Array<{ rung: string; n: number; tau: number | null; meanAbsError: number | null; rows: Array<{ key: string; predicted: number | null; std: number | null; measured: number }> }> {
  const by = new Map<string, JobRecord[]>();
  for (const j of ctx.state.jobs.values()) by.set(j.rung, [...(by.get(j.rung) ?? []), j]);
  return [...by.entries()].map(([rung, js]) => {
    const withP = js.filter((j) => j.predicted);
    const tau = withP.length >= 3 ? kendallTau(withP.map((j) => j.predicted!.mean), withP.map((j) => j.result.acc)) : null;
    const mae = withP.length ? withP.reduce((s, j) => s + Math.abs(j.predicted!.mean - j.result.acc), 0) / withP.length : null;
    return { rung, n: js.length, tau: tau === null ? null : round6(tau), meanAbsError: mae === null ? null : round6(mae), rows: js.map((j) => ({ key: j.key, predicted: j.predicted?.mean ?? null, std: j.predicted?.std ?? null, measured: j.result.acc })) };
  });
}

/** What budgetNote reads of a candidate: its key, estimated LUTs, final epochs and predicted final accuracy. */
export interface NoteEntry {
  key: string;
  lut: number;
  epochs: number;
  pred: number | null;
}

/**
 * A co-search whose winner uses less than half the LUT budget says what the larger designs it measured were worth:
 * the best of those with at least twice the winner's LUTs (`ranked`: measured candidates, best predicted final
 * accuracy first), its prediction and its final epochs. On a 2-core CPU a 25-minute budget trains a 3,000-LUT net
 * 7.4 epochs and a 13,000-LUT one about 5 (the demos of bench/results/2026-12-06 and 2026-12-04), so the time, not
 * the LUTs, often binds. Null otherwise.
 */
export function budgetNote(o: { strategy: string; luts: number; budgetMinutes: number }, winner: NoteEntry, ranked: readonly NoteEntry[]): string | null {
  if (o.strategy !== 'cosearch' || winner.lut >= o.luts / 2) return null;
  const larger = ranked.find((m) => m.lut >= 2 * winner.lut && m.pred !== null);
  if (!larger) return null;
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');
  return (
    `the winner uses ${Math.round((100 * winner.lut) / o.luts)}% of the ${n0(o.luts)} LUTs; the best larger design measured, ` +
    `${larger.key} (${n0(larger.lut)} LUTs), is predicted ${pct(larger.pred!)} after ${larger.epochs} epoch(s)` +
    `${winner.pred !== null ? `, the winner ${pct(winner.pred)} after ${winner.epochs}` : ''}` +
    (larger.epochs < winner.epochs ? `: in --budget-minutes ${o.budgetMinutes} larger designs train fewer epochs, so training time binds, not LUTs; more minutes train them longer` : '')
  );
}

function finishReports(ctx: Ctx, c: Candidate, p: Prediction | null, csim: SearchResult['csim'], synth: SynthSummary | null, misses: SynthSummary[], t0: number, ok: boolean): SearchResult {
  const { o, part, calib } = ctx;
  const design = foldedDesign(ctx, c.genome);
  const fin = finalFor(ctx, c)!;
  // deterministic: estimate of the winner, Pareto front over measured candidates (predicted final, LUT, fps)
  const report = estimateDesign(design, part, calib);
  const measured = rankMeasured(ctx, (x) => x.hw.fits);
  const front = paretoFrontIndices(measured.map((m) => ({ objectives: [-(m.p?.mean ?? 0), m.c.hw.lut, -m.c.hw.fps], violation: 0 }))).map((i) => measured[i]!);
  front.sort((a, b) => a.c.hw.lut - b.c.hw.lut || (a.c.key < b.c.key ? -1 : 1));
  const pareto = front.map((m) => ({ ...summary(ctx, m.c, m.p), genome: m.c.genome }));
  const all = [...ctx.cands.values()];
  const note = (x: Candidate, q: Prediction | null): NoteEntry => ({ key: x.key, lut: x.hw.lut, epochs: x.final.epochs, pred: q?.mean ?? null });
  const result: SearchResult = {
    runDir: o.out,
    strategy: o.strategy,
    winner: { ...summary(ctx, c, p), design, finalAcc: fin.result.acc, floatAcc: fin.result.floatAcc, acc: fin.result.acc, rung: 'final', predictedFinal: p?.mean ?? null, predictedStd: p ? (p.obsStd ?? p.std) : null, epochs: fin.result.epochs ?? c.final.epochs },
    evaluated: all.length,
    feasible: all.filter((x) => x.hw.fits).length,
    jobs: ctx.state.jobs.size,
    pareto,
    csim,
    synth,
    synthMisses: misses,
    calibration: ctx.calibName,
    report,
    budgetNote: budgetNote(o, note(c, p), measured.map((m) => note(m.c, m.p))),
    seconds: (Date.now() - t0) / 1000,
  };
  writeJsonAtomic(join(o.out, 'pareto.json'), { format: 'cosearch-pareto', version: 2, objectives: ['predicted final accuracy (max)', 'LUT (min)', 'fps (max)'], budget: { luts: o.luts, fps: o.fps, brams: o.brams, dsps: o.dsps, part: part.name, clockMHz: o.clockMHz }, front: pareto });
  writeReports(o.out, {
    options: o,
    result,
    ok,
    candidates: all.map((x) => ({ ...summary(ctx, x), fits: x.hw.fits })),
    rungs: rungStats(ctx),
    phaseSeconds: ctx.state.phaseSeconds,
    part,
    cheap: cheapFeatures(c.genome, ctx.space),
  });
  return result;
}
