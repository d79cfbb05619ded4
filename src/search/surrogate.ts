/**
 * The co-search's surrogate of FINAL accuracy: a Gaussian process (src/core/gp.ts) over
 *   [architecture summary encoding, cheap features (params, bit-operations, MACs, ...), fidelity]
 * where fidelity = log2 of the training images seen (epochs x images), with log(1 - accuracy) as the target, so that every training result of every
 * fidelity is a row and a candidate's own low-fidelity results move its prediction at the final fidelity
 * through the kernel (multi-fidelity regression, cf. FABOLAS, Klein et al. 2017, which models dataset size
 * the same way). Rows come from a prior (shipped tables of the same space and dataset, earlier runs named with
 * --warm-start) and from the run's own jobs; it is refitted after every batch of trainings. It reports an
 * uncertainty (posterior standard deviation), which the search spends as an upper-confidence bound when it
 * explores and discounts when it picks finalists.
 *
 * Long schedules get a model of their own once there are HI_MIN_ROWS rows of them (the shipped 3-epoch rows, a
 * run's final trainings): one GP over every row lets the hundreds of short-schedule rows set the trend, and short
 * schedules favour shallow nets, so it ranked 22 held-out 3-epoch trainings at Kendall tau 0.58
 * (`npx tsx bench/predictor-final.ts`). The long-schedule model is autoregressive in fidelity (the nonlinear
 * autoregressive GP of Perdikaris et al. 2017, after Kennedy & O'Hagan 2000): a GP over the long rows whose inputs
 * are the features and the short-schedule model's prediction for the same candidate at the same schedule, so what
 * short trainings say still counts, through a mapping learned from long rows only (tau 0.75 on the same rows).
 */
import { fitGp, measurementStd, predictGp, type GpModel } from '../core/gp.js';
import { architectureSummary, cheapFeatureVector, cheapFeatures, genomeKey, type Genome, type SearchSpace } from '../core/space.js';
import type { Fidelity } from './jobs.js';

export interface SurrogateRow {
  key: string;
  genome: Genome;
  /** training images seen: epochs x images */
  imagesSeen: number;
  recipe: string;
  acc: number;
  /** where the row came from: 'prior:<file>' or 'run' */
  source: string;
}

export function imagesSeen(f: Pick<Fidelity, 'epochs' | 'trainLimit'>): number {
  return f.epochs * f.trainLimit;
}

/**
 * The fidelity input: log2 of thousands of images seen. The surrogate models log(error) = log(1 - accuracy): error
 * falls as a power of the training data and steps (Hestness et al. 2017, "Deep learning scaling is predictable,
 * empirically"; Domhan et al. 2015 fit learning curves with power laws), i.e. log error is linear in log images
 * seen, and a gain in fidelity multiplies the error instead of adding points (an additive trend predicted 97%
 * for a net that reaches ~91%: good 1-epoch nets gain fewer points from longer training than weak ones).
 */
export function fidelityFeature(seen: number): number {
  return Math.log2(Math.max(seen, 1) / 1000);
}

/** Target transform: log error (bounded accuracies; see fidelityFeature). */
const MIN_ERROR = 1e-4;
function toTarget(acc: number): number {
  return Math.log(Math.max(1 - acc, MIN_ERROR));
}

export function surrogateFeatures(g: Genome, space: SearchSpace, seen: number): number[] {
  return [...architectureSummary(g), ...cheapFeatureVector(cheapFeatures(g, space)), fidelityFeature(seen)];
}

/**
 * SATURATION: how a prediction beyond the longest schedule in the rows continues. The local slope of log error in
 * log images seen, b(s) = d ln(err) / d ln(s), is measured between the two longest schedules of the rows
 * (beyondSlope, at their geometric mean s0) and decays as b(s) = b0 (s / s0)^-SATURATION,
 * so the gain beyond the longest schedule S is (b0 / SATURATION) ((S / s0)^-SATURATION - (s / s0)^-SATURATION)
 * in log error: a learning curve that flattens and is bounded (at most b0 / SATURATION (S / s0)^-SATURATION).
 * On the 57 candidates of the shipped final3 tables (bench/data/final3*.r0, r1, r2v and 3-epoch tables; 6,000,
 * 20,000, 50,000 and 180,000 images) the median per-candidate slopes are -0.32 (6k->20k), -0.17 (20k->50k)
 * and -0.12 (50k->180k) at geometric means 11k, 32k, 95k: a decay of ~(s / s0)^-0.45 (`npx tsx bench/extrapolation.ts
 * --tables`). A plain linear trend in the fidelity input (the GP's) has no saturation: unbounded, it predicted
 * 99% for a small net trained 23 epochs from rows of at most 3 epochs (the first demo of this search), and the
 * cap that replaced it (2x the longest schedule) made a search with no prior predict its 2.8-epoch finalist from
 * 1-epoch rows of at most 20,000 images 4.6 points below what it measured.
 */
export const SATURATION = 0.45;

/** Rows of the long schedules needed for their own model. */
export const HI_MIN_ROWS = 12;

/** Long rows are within this factor of the longest schedule's images (shorter rows are the short model's). */
export const LONG_SPAN = 8;

/**
 * Where the long schedules start: the longest schedule that, with every longer one, has HI_MIN_ROWS rows, counting
 * down from the longest, through the schedules of at least half its images and then, while fewer than HI_MIN_ROWS
 * rows are counted, of at least 1/LONG_SPAN of them. So a few rows of a still longer schedule (a run's final
 * trainings, a --warm-start run's finalists: 7 epochs beside the shipped 3-epoch rows) do not take the long model
 * away: "at least half the longest" alone left 1 long row there and every long schedule fell back to the
 * all-rows model, which the short rows dominate (it ranked the held-out 3-epoch rows of `npx tsx
 * bench/predictor-final.ts` at tau 0.58 where the long model gives 0.72).
 */
export function longFrom(seen: readonly number[]): number {
  const levels = [...new Set(seen)].sort((a, b) => b - a);
  const maxSeen = levels[0] ?? 0;
  let count = 0;
  let from = maxSeen;
  for (const l of levels) {
    if (l < maxSeen / 2 && (count >= HI_MIN_ROWS || l < maxSeen / LONG_SPAN)) break;
    count += seen.filter((v) => v === l).length;
    from = l;
  }
  return from;
}

/**
 * Std of one training's test accuracy across training seeds at a long schedule: the least a measurement's std can
 * be: 0.2 points. 8 of the shipped 3-epoch rows (all 60,000 Fashion-MNIST images, all 10,000 test images, 86.9-91.3%)
 * retrained at training seed 2 (`cosearch bench-space --keys @FILE --train-seed 2 --epochs 3 --train-limit 60000
 * --test-limit 10000`, bench/data/final3.fashion-mnist.seed2.table.jsonl) differ from seed 1 by -0.63..+0.24 points,
 * RMS 0.28, i.e. 0.195 points per measurement (RMS over sqrt 2). The fitted noise of the long-schedule model
 * cannot be told from its signal (a few dozen rows in ~20 inputs lie far apart in the kernel), so its likelihood
 * took the least noise of the grid, 0.08 points, and a candidate next to a row (a mutant of one padding) was
 * reported at 92.7 +- 0.1%.
 */
export const SEED_NOISE = 0.002;

/**
 * MONOTONE_FLOOR: a prediction at a longer schedule is at least the candidate's own measured accuracy after fewer
 * training images (more training of the same recipe does not lose accuracy, up to seed noise). With few rows the GP
 * reverts to its mean away from them: a run with no prior (bench/results/2026-12-03/idx-no-table.txt, 11 rows)
 * predicted c16k3spw2a3-c64k3vpw2a2-c32k5spw3a4||o2 at 76.4% after its final schedule where its 20,000-image r1 had
 * measured 84.9%, and picked c16k3spw3a4||o3 (83.0% at r1, predicted 84.1%) as its finalist.
 */
export interface Prediction {
  mean: number;
  /** std of the latent accuracy (what the upper-confidence score explores) */
  std: number;
  /**
   * std of a measurement of it: the latent std and the fitted observation noise, scaled by the model's leave-one-out
   * check of its own rows (gp.ts measurementStd), at least the latent std and SEED_NOISE; what a user should read
   * next to the prediction
   */
  obsStd?: number;
}

/** The long-schedule model: a GP over [features, short model's log error] fitted on the long rows. */
interface HiModel {
  gp: GpModel;
  /** the short-schedule surrogate (rows below `from` images) whose prediction is an input */
  low: Surrogate;
  /** fewest images of a long row: queries at or beyond it use this model */
  from: number;
}

/**
 * The slope beyond the longest schedule S (SATURATION): the median, over the candidates with a row at S, of the
 * all-rows model's slope of log error between the next-longest schedule `lo` and S (at most 0: more training does
 * not raise the error). One slope for every candidate: a candidate's own slope between two GP predictions is
 * mostly how far it lies from rows at either schedule (the model reverts to its mean where a candidate has none, so
 * a mutant measured only at 6,000 images got twice the gain of the table's best, measured at all four schedules,
 * and the hot start's first wave left the best for them). A common slope in log error still gives a strong net
 * fewer points than a weak one.
 */
function beyondSlope(model: GpModel, space: SearchSpace, rows: ReadonlyArray<{ g: Genome; seen: number }>, maxSeen: number): { lo: number; b0: number } | null {
  const lo = [...new Set(rows.map((e) => e.seen))].sort((p, q) => q - p).find((l) => l < maxSeen);
  if (lo === undefined) return null;
  const at = rows.filter((e) => e.seen === maxSeen).map((e) => e.g);
  const hiMean = predictGp(model, at.map((g) => surrogateFeatures(g, space, maxSeen))).mean;
  const loMean = predictGp(model, at.map((g) => surrogateFeatures(g, space, lo))).mean;
  const slopes = at.map((_, i) => Math.min(0, (hiMean[i]! - loMean[i]!) / Math.log(maxSeen / lo))).sort((p, q) => p - q);
  const m = slopes.length >> 1;
  return { lo, b0: slopes.length % 2 ? slopes[m]! : (slopes[m - 1]! + slopes[m]!) / 2 };
}

export class Surrogate {
  private constructor(
    readonly model: GpModel | null,
    readonly rows: number,
    private readonly space: SearchSpace,
    /** most training images seen by any row: beyond it predictions follow a saturating curve (SATURATION) */
    readonly maxSeen: number,
    private readonly hi: HiModel | null = null,
    /** each key's measured (averaged) accuracies by images seen: the floor of its predictions at longer schedules */
    private readonly measured: ReadonlyMap<string, ReadonlyArray<{ seen: number; acc: number }>> = new Map(),
    /** the slope of log error in log images beyond the longest schedule, from a schedule `lo` (SATURATION) */
    private readonly beyond: { lo: number; b0: number } | null = null,
  ) {}

  /** Whether long schedules are predicted by their own model (HI_MIN_ROWS long rows and a short model). */
  get longModel(): boolean {
    return this.hi !== null;
  }

  /**
   * Fit to rows (in the given order; the result depends only on the rows). Rows with the same key and fidelity
   * are averaged first. With no rows the surrogate is empty (predict returns null).
   */
  static fit(rows: SurrogateRow[], space: SearchSpace): Surrogate {
    const byKey = new Map<string, { key: string; g: Genome; seen: number; sum: number; n: number }>();
    for (const r of rows) {
      const k = `${r.key}@${r.imagesSeen}`;
      const e = byKey.get(k) ?? { key: r.key, g: r.genome, seen: r.imagesSeen, sum: 0, n: 0 };
      e.sum += r.acc;
      e.n++;
      byKey.set(k, e);
    }
    const uniq = [...byKey.values()];
    const maxSeen = Math.max(0, ...uniq.map((e) => e.seen));
    const measured = new Map<string, Array<{ seen: number; acc: number }>>();
    for (const e of uniq) measured.set(e.key, [...(measured.get(e.key) ?? []), { seen: e.seen, acc: e.sum / e.n }]);
    if (uniq.length < 3) return new Surrogate(null, uniq.length, space, maxSeen);
    const x = uniq.map((e) => surrogateFeatures(e.g, space, e.seen));
    const y = uniq.map((e) => toTarget(e.sum / e.n));
    const fidelityIndex = x[0]!.length - 1;
    const model = fitGp(x, y, { fidelityIndex });
    const from = longFrom(uniq.map((e) => e.seen));
    const long = uniq.filter((e) => e.seen >= from);
    let hi: HiModel | null = null;
    if (long.length >= HI_MIN_ROWS) {
      const low = Surrogate.fit(
        uniq.filter((e) => e.seen < from).map((e, i) => ({ key: `${i}`, genome: e.g, imagesSeen: e.seen, recipe: 'base', acc: e.sum / e.n, source: 'short' })),
        space,
      );
      if (!low.empty) {
        const lowPred = low.predict(long.map((e) => e.g), long.map((e) => e.seen))!;
        const hx = long.map((e, i) => [...surrogateFeatures(e.g, space, e.seen), toTarget(lowPred[i]!.mean)]);
        hi = { gp: fitGp(hx, long.map((e) => toTarget(e.sum / e.n)), { fidelityIndex }), low, from };
      }
    }
    return new Surrogate(model, uniq.length, space, maxSeen, hi, measured, beyondSlope(model, space, uniq, maxSeen));
  }

  get empty(): boolean {
    return this.model === null;
  }

  /**
   * Gain in log error at `want` images beyond the longest schedule of the rows (SATURATION): 0 at or below it, and
   * 0 with rows of one schedule only (no trend to continue). The same for every candidate.
   */
  private gainBeyond(want: number): number {
    if (!this.beyond || want <= this.maxSeen) return 0;
    const { lo, b0 } = this.beyond;
    const s0 = Math.sqrt(lo * this.maxSeen);
    return (b0 / SATURATION) * ((this.maxSeen / s0) ** -SATURATION - (want / s0) ** -SATURATION);
  }

  /** Predicted accuracy (posterior mean, std) of each genome after `seen[i]` training images. */
  predict(gs: Genome[], seen: number[] | number): Prediction[] | null {
    if (!this.model) return null;
    const want = gs.map((_, i) => (typeof seen === 'number' ? seen : seen[i]!));
    // the models at (at most) the longest schedule of the rows; beyond it the saturating gain (SATURATION)
    const at = want.map((q) => Math.min(this.maxSeen, q));
    const rows = gs.map((g, i) => surrogateFeatures(g, this.space, at[i]!));
    const { mean, std } = predictGp(this.model, rows);
    const obs = std.map((v) => measurementStd(this.model!, v));
    const hi = this.hi;
    if (hi) {
      const long = gs.map((_, i) => i).filter((i) => at[i]! >= hi.from);
      if (long.length) {
        const lowPred = hi.low.predict(long.map((i) => gs[i]!), long.map((i) => at[i]!))!;
        const p = predictGp(hi.gp, long.map((i, k) => [...surrogateFeatures(gs[i]!, this.space, at[i]!), toTarget(lowPred[k]!.mean)]));
        long.forEach((i, k) => {
          mean[i] = p.mean[k]!;
          std[i] = p.std[k]!;
          obs[i] = measurementStd(hi.gp, p.std[k]!);
        });
      }
    }
    for (let i = 0; i < gs.length; i++) mean[i]! += this.gainBeyond(want[i]!);
    // back from log error: accuracy = 1 - e^y; its std by the delta method, e^y * std_y
    return gs.map((g, i) => {
      // never below what the same candidate measured after fewer images (MONOTONE_FLOOR)
      const own = this.measured.get(genomeKey(g));
      const floor = own ? Math.max(0, ...own.filter((m) => m.seen <= want[i]!).map((m) => m.acc)) : 0;
      const err = Math.min(1, Math.exp(mean[i]!), 1 - floor);
      const latent = Math.min(1, err * std[i]!);
      return { mean: round6(1 - err), std: round6(latent), obsStd: round6(Math.min(1, Math.max(err * obs[i]!, Math.hypot(latent, SEED_NOISE)))) };
    });
  }
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
