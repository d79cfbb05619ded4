/**
 * The surrogate's prediction, from the shipped prior alone (what a demo's search knows before its own jobs), of
 * every training of bench/data/recipe.jsonl: final-length schedules (4-7 epochs on all 60,000 Fashion-MNIST images,
 * beyond the prior's longest rows of 3 epochs) of candidates the prior has no row of, measured by bench/recipe.ts
 * (integer reference, all 10,000 test images; replicates of the same key, recipe and epochs averaged). Prints
 * predicted - measured per training and the mean |error|. The surrogate does not model the recipe: rows of every
 * recipe are listed, the ones measured at the final's lr5 (src/search/options.ts DEFAULT_FINAL_RECIPE) marked.
 *   npx tsx bench/predictor-long.ts [--recipes FILE]
 */
import { readFileSync } from 'node:fs';
import { loadSpace } from '../src/run/space-file.js';
import { parseGenomeKey } from '../src/search/key.js';
import { priorRows } from '../src/search/prior.js';
import { Surrogate } from '../src/search/surrogate.js';
import { arg } from './lib/args.js';

interface Row {
  key: string;
  recipe: string;
  epochs: number;
  trainLimit: number;
  intAcc: number;
}
const file = arg('recipes', 'bench/data/recipe.jsonl');
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row).filter((r) => r.trainLimit === 60000);
const groups = new Map<string, Row[]>();
for (const r of rows) {
  const k = `${r.key} ${r.recipe} ${r.epochs}`;
  groups.set(k, [...(groups.get(k) ?? []), r]);
}
const { space } = loadSpace('default-28x28x1');
const prior = priorRows(space, 'fashion-mnist', []);
const sur = Surrogate.fit(prior, space);
const list = [...groups.values()];
const pred = sur.predict(list.map((g) => parseGenomeKey(g[0]!.key)), list.map((g) => g[0]!.epochs * 60000))!;
console.log(`surrogate from ${prior.length} shipped prior rows (longest ${sur.maxSeen} images); ${list.length} trainings of ${file}`);
const errs: number[] = [];
list.forEach((g, i) => {
  const m = g.reduce((s, r) => s + r.intAcc, 0) / g.length;
  const e = pred[i]!.mean - m;
  errs.push(e);
  const inPrior = prior.some((r) => r.key === g[0]!.key);
  console.log(`${g[0]!.key.padEnd(42)} ${g[0]!.recipe.padEnd(9)} ${String(g[0]!.epochs).padStart(3)} ep  measured ${(100 * m).toFixed(2)}% (${g.length})  predicted ${(100 * pred[i]!.mean).toFixed(2)} +- ${(100 * pred[i]!.obsStd!).toFixed(2)}  error ${(100 * e).toFixed(2)}${inPrior ? '  (key in prior)' : ''}`);
});
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / Math.max(v.length, 1);
const lr5 = list.map((g, i) => (g[0]!.recipe === 'lr5' ? errs[i]! : NaN)).filter(Number.isFinite);
console.log(`mean |error| ${(100 * mean(errs.map(Math.abs))).toFixed(2)} points, mean error ${(100 * mean(errs)).toFixed(2)}; lr5 only: mean |error| ${(100 * mean(lr5.map(Math.abs))).toFixed(2)}, mean error ${(100 * mean(lr5)).toFixed(2)} (${lr5.length})`);
