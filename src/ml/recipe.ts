/**
 * Training recipes: everything about HOW a candidate is trained besides its fidelity (epochs, images). A recipe is
 * named in every job (src/search/jobs.ts), so a job's result is a function of its inputs.
 *
 * Each ingredient is measured on the same architecture by `npx tsx bench/recipe.ts` (figures in its header and
 * in bench/data/recipe.jsonl); only what pays is in the recipe the search trains finalists with. Measured so far
 * (integer reference, all 10,000 test images): on c64k5vpw6a2-c48k3vpw8a4||o8, 6 epochs, base 90.92%, shift1
 * 90.71%; on c64k3spw8a2-c16k3sw4a4|d64w4a3|o8, 7 epochs, 2 threads, base 92.52% / 92.52% (seeds 1 / 2), ls 92.52%
 * (seed 1), wd 92.70% / 92.37% (bench/results/2026-12-01/recipe-6ep.txt, recipe-7ep.txt; one training varies ~0.2
 * points across seeds): none of these pays. The peak learning rate does at the final schedule: on
 * c64k3vpw8a2-c24k3vw8a2|d64w6a3|o8, 5 epochs, batch 64, 1 thread, lr15 91.69%, base 92.29% / 92.41%, lr5 92.69% /
 * 92.75%, lr8 92.55% (bench/results/2026-12-03/recipe-lr.txt): the search's final training uses lr5
 * (src/search/options.ts DEFAULT_FINAL_RECIPE); tables and rungs stay base. Random horizontal flips at lr5 cost half
 * a point there: lr5-flip 92.21% / 92.23% (seeds 1 / 2; bench/results/2026-12-03/recipe-flip.txt).
 * The end of the training, on the demo's winner c64k3vpw8a2-c24k3sw4a4|d64w4a3|o8, lr5, 8 epochs, batch 64, paired
 * on one training each (bench/recipe.ts --averages / --bn-batches; bench/results/2026-12-06/recipe-ema.txt): the
 * trained weights 92.86% / 92.86% (seeds 1 / 2), a moving average of them (src/ml/average.ts) at decay 0.998
 * 92.77 / 92.75, 0.999 92.95 / 92.67, 0.9995 92.95 / 92.67: it does not pay. Batch-norm statistics re-estimated on
 * 16, 64 or 256 batches (2 threads, seed 2): 92.84 / 92.66 / 92.79%: 16 stays.
 */
import { UsageError } from '../errors.js';

export interface Recipe {
  name: string;
  /** peak learning rate of Adam */
  lr: number;
  /** share of the steps spent warming the learning rate up linearly from 0 (then cosine decay to 0) */
  warmup: number;
  /** random translation of each training image by up to this many pixels in x and y (zero fill) */
  shift: number;
  /** random horizontal flip probability (0 for Fashion-MNIST-like data where it may or may not pay; measured) */
  flip: number;
  /** label smoothing epsilon */
  labelSmoothing: number;
  /** decoupled weight decay (AdamW) on the latent weights, per unit learning rate */
  weightDecay: number;
}

/** The recipe every table and predictor of wave 1 was made with: Adam 3e-3, cosine decay, nothing else. */
const BASE: Recipe = { name: 'base', lr: 3e-3, warmup: 0, shift: 0, flip: 0, labelSmoothing: 0, weightDecay: 0 };

export const RECIPES: Record<string, Recipe> = {
  base: BASE,
  shift1: { ...BASE, name: 'shift1', shift: 1 },
  shift2: { ...BASE, name: 'shift2', shift: 2 },
  ls: { ...BASE, name: 'ls', labelSmoothing: 0.1 },
  wd: { ...BASE, name: 'wd', weightDecay: 1e-4 / 3e-3 },
  flip: { ...BASE, name: 'flip', flip: 0.5 },
  'shift1-ls': { ...BASE, name: 'shift1-ls', shift: 1, labelSmoothing: 0.1 },
  // the peak learning rate, set for wave 1's 1-epoch schedule, at the final's 5-7 epochs
  lr15: { ...BASE, name: 'lr15', lr: 1.5e-3 },
  lr5: { ...BASE, name: 'lr5', lr: 5e-3 },
  lr8: { ...BASE, name: 'lr8', lr: 8e-3 },
  // augmentation at the final's peak learning rate
  'lr5-flip': { ...BASE, name: 'lr5-flip', lr: 5e-3, flip: 0.5 },
};

export const DEFAULT_RECIPE = 'base';

export function getRecipe(name: string): Recipe {
  const r = RECIPES[name];
  if (!r) throw new UsageError(`unknown training recipe "${name}"`, `use one of ${Object.keys(RECIPES).join(', ')}`);
  return r;
}

/** Learning rate at step `step` of `total`: linear warm-up, then cosine decay (Loshchilov & Hutter 2017). */
export function learningRate(r: Recipe, step: number, total: number): number {
  const w = Math.floor(r.warmup * total);
  if (step < w) return (r.lr * (step + 1)) / w;
  const t = (step - w) / Math.max(total - w, 1);
  return r.lr * 0.5 * (1 + Math.cos(Math.PI * t));
}
