/**
 * The co-search's surrogate of FINAL accuracy: a Gaussian process (src/core/gp.ts) over
 *   [architecture summary encoding, cheap features (params, bit-operations, MACs, ...), fidelity]
 * where fidelity = a power law of the training images seen (epochs x images), so that every training result of every
 * fidelity is a row and a candidate's own low-fidelity results move its prediction at the final fidelity
 * through the kernel (multi-fidelity regression, cf. FABOLAS, Klein et al. 2017, which models dataset size
 * the same way). Rows come from a prior (shipped tables of the same space and dataset, earlier runs named with
 * --warm-start) and from the run's own jobs; it is refitted after every batch of trainings. It reports an
 * uncertainty (posterior standard deviation), which the search spends as an upper-confidence bound when it
 * explores and discounts when it picks finalists.
 */
import { fitGp, predictGp, type GpModel } from '../core/gp.js';
import { architectureSummary, cheapFeatureVector, cheapFeatures, type Genome, type SearchSpace } from '../core/space.js';
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
 * The fidelity input: -(thousands of images seen)^-1/2. Error falls as a power of the training data and steps
 * (Hestness et al. 2017, "Deep learning scaling is predictable, empirically"; Domhan et al. 2015 fit learning curves
 * with such power laws), so the linear mean in this input extrapolates from two low rungs to the final schedule
 * without the overshoot of a log-linear trend.
 */
export function fidelityFeature(seen: number): number {
  return -1 / Math.sqrt(Math.max(seen, 1) / 1000);
}

export function surrogateFeatures(g: Genome, space: SearchSpace, seen: number): number[] {
  return [...architectureSummary(g), ...cheapFeatureVector(cheapFeatures(g, space)), fidelityFeature(seen)];
}

export interface Prediction {
  mean: number;
  std: number;
}

export class Surrogate {
  private constructor(
    readonly model: GpModel | null,
    readonly rows: number,
    private readonly space: SearchSpace,
  ) {}

  /**
   * Fit to rows (in the given order; the result depends only on the rows). Rows with the same key and fidelity
   * are averaged first. With no rows the surrogate is empty (predict returns null).
   */
  static fit(rows: SurrogateRow[], space: SearchSpace): Surrogate {
    const byKey = new Map<string, { g: Genome; seen: number; sum: number; n: number }>();
    for (const r of rows) {
      const k = `${r.key}@${r.imagesSeen}`;
      const e = byKey.get(k) ?? { g: r.genome, seen: r.imagesSeen, sum: 0, n: 0 };
      e.sum += r.acc;
      e.n++;
      byKey.set(k, e);
    }
    const uniq = [...byKey.values()];
    if (uniq.length < 3) return new Surrogate(null, uniq.length, space);
    const x = uniq.map((e) => surrogateFeatures(e.g, space, e.seen));
    const y = uniq.map((e) => e.sum / e.n);
    const fidelityIndex = x[0]!.length - 1;
    return new Surrogate(fitGp(x, y, { fidelityIndex }), uniq.length, space);
  }

  get empty(): boolean {
    return this.model === null;
  }

  /** Predicted accuracy (posterior mean, std) of each genome after `seen[i]` training images. */
  predict(gs: Genome[], seen: number[] | number): Prediction[] | null {
    if (!this.model) return null;
    const rows = gs.map((g, i) => surrogateFeatures(g, this.space, typeof seen === 'number' ? seen : seen[i]!));
    const { mean, std } = predictGp(this.model, rows);
    // an accuracy lies in [0, 1] (the linear mean is unbounded when it extrapolates in fidelity)
    return gs.map((_, i) => ({ mean: round6(Math.min(1, Math.max(0, mean[i]!))), std: round6(std[i]!) }));
  }
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
