/**
 * Training-recipe bench: one architecture, one fidelity, each recipe of src/ml/recipe.ts, side by side in one run
 * (same seed, same threads), integer-reference accuracy on the whole test split. Appends one JSON line per
 * (recipe, epochs) to --out (default bench/data/recipe.jsonl) and skips lines already there, so it resumes.
 *
 *   npx tsx bench/recipe.ts [--key c32k3spw4a4-c64k3spw4a4|d128w4a4|o8] [--epochs 4] [--recipes base,shift1,ls,wd]
 *                           [--threads 1] [--batch 128] [--seed 1] [--train-limit 60000] [--out bench/data/recipe.jsonl]
 * --averages 0,0.999 / --bn-batches 16,64: also the float accuracy of variants of the end of the same training,
 * paired: moving averages of the weights at these decays (0 = the trained weights; src/ml/average.ts) x batch-norm
 * statistics re-estimated over this many training batches.
 * --batch: the training batch (default 128, src/ml/train.ts DEFAULT_BATCH_SIZE; the search's jobs train at 64,
 * src/search/plan.ts JOB_BATCH). --seed: the training seed (replicates; one training's accuracy varies ~0.2 points
 * across seeds). Lines written before these options existed were at batch 128, seed 1.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { toDesign } from '../src/core/space.js';
import { initBackend } from '../src/ml/backend.js';
import { loadDataset } from '../src/ml/datasets.js';
import { trainDesign } from '../src/ml/train.js';
import { loadSpace } from '../src/run/space-file.js';
import { parseGenomeKey } from '../src/search/key.js';
import { arg } from './lib/args.js';

async function main(): Promise<void> {
  const key = arg('key', 'c32k3spw4a4-c64k3spw4a4|d128w4a4|o8');
  const epochs = Number(arg('epochs', '4'));
  const recipes = arg('recipes', 'base,shift1,ls,wd').split(',');
  const threads = Number(arg('threads', '1'));
  const trainLimit = Number(arg('train-limit', '60000'));
  const batch = Number(arg('batch', '128'));
  const seed = Number(arg('seed', '1'));
  const out = arg('out', 'bench/data/recipe.jsonl');
  // variants of the end of one training, paired: moving averages of the weights (decay 0 = the weights themselves)
  // x batches for the batch-norm re-estimation
  const list = (name: string, def: string): number[] => arg(name, def).split(',').filter(Boolean).map(Number);
  const decays = list('averages', '');
  const bnBatches = list('bn-batches', '16');
  const compareVariants = decays.length || arg('bn-batches', '') ? (decays.length ? decays : [0]).flatMap((decay) => bnBatches.map((b) => ({ decay, bnBatches: b }))) : undefined;
  const backend = await initBackend('auto');
  const { space } = loadSpace('default-28x28x1');
  const design = toDesign(parseGenomeKey(key), space);
  const train = loadDataset({ name: 'fashion-mnist', split: 'train', limit: trainLimit });
  const test = loadDataset({ name: 'fashion-mnist', split: 'test' });
  const done = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; recipe: string; epochs: number; trainLimit: number; threads: number; batch?: number; seed?: number; variants?: unknown[] }) : [];
  console.log(`recipe bench: ${key}, ${epochs} epoch(s) on ${trainLimit} images, batch ${batch}, seed ${seed}, ${threads} thread(s), backend ${backend}`);
  console.log('recipe      int acc   float acc  seconds  curve (float acc per epoch, 2000 images)');
  for (const r of recipes) {
    const old = done.find((d) => d.key === key && d.recipe === r && d.epochs === epochs && d.trainLimit === trainLimit && d.threads === threads && (d.batch ?? 128) === batch && (d.seed ?? 1) === seed && (!compareVariants || d.variants)) as { intAcc: number; floatAcc: number; seconds: number; curve: Array<{ acc: number }>; variants?: Array<{ decay: number; bnBatches: number; floatTestAcc: number }> } | undefined;
    const row = old ?? (await (async () => {
      const res = await trainDesign(design, { dataset: 'fashion-mnist', epochs, seed, train, test, trainLimit, batchSize: batch, recipe: r, workers: threads, curveImages: 2000, refCheck: 20, compareVariants });
      const line = { key, recipe: r, epochs, trainLimit, threads, batch, seed, intAcc: res.intTestAcc, floatAcc: res.floatTestAcc, seconds: res.trainSeconds, curve: res.curve, ...(res.variants ? { variants: res.variants } : {}), backend: res.backend, at: new Date().toISOString() };
      appendFileSync(out, JSON.stringify(line) + '\n');
      return line;
    })());
    console.log(`${r.padEnd(10)}  ${(row.intAcc * 100).toFixed(2).padStart(6)}%  ${(row.floatAcc * 100).toFixed(2).padStart(6)}%  ${row.seconds.toFixed(0).padStart(7)}  ${(row.curve ?? []).map((c) => (c.acc * 100).toFixed(1)).join(' ')}`);
    for (const v of row.variants ?? []) console.log(`  float accuracy, ${v.decay > 0 ? `moving average of the weights, decay ${v.decay}` : 'the trained weights'}, BN re-estimated on ${v.bnBatches} batches: ${(v.floatTestAcc * 100).toFixed(2)}%`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
