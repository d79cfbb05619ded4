/**
 * Data-parallel training speed on one architecture: training images/s with 1 thread and with --workers threads
 * (src/ml/parallel.ts: the batch is split, gradients averaged every step) at the search's batch and at twice it,
 * interleaved --repeats times so the ratios are measured under the same load. Prints each run and each setting's
 * fastest run (other load only slows a run down).
 *   npx tsx bench/parallel.ts [--key c64k3spw8a2-c16k3sw4a4|d64w4a3|o8] [--images 6400] [--batch 64] [--workers 2] [--repeats 2]
 * Measured 2026-12-03 on this 2-core machine, the demo's winner, 6,400 images, fastest of two repeats: 1 thread at
 * batch 64 306 img/s, 2 threads 428 (1.40x); 1 thread at batch 128 328 (1.07x), 2 threads 442 (1.44x). In an
 * earlier ad-hoc run of the same trainings: 1 thread 356-367, 2 threads 393-462, batch 32 305, and two single-thread
 * trainings in two processes at once 321 + 308 img/s (1.7x in all). Each thread's half batch runs at small-batch
 * speed (a step costs ~36 ms fixed + ~2.2 ms per image on one thread), and the step waits for the slower half.
 */
import { toDesign } from '../src/core/space.js';
import { initBackend } from '../src/ml/backend.js';
import { loadDataset } from '../src/ml/datasets.js';
import { trainDesign } from '../src/ml/train.js';
import { loadSpace } from '../src/run/space-file.js';
import { parseGenomeKey } from '../src/search/key.js';
import { arg } from './lib/args.js';

async function main(): Promise<void> {
  const key = arg('key', 'c64k3spw8a2-c16k3sw4a4|d64w4a3|o8');
  const images = Number(arg('images', '6400'));
  const batch = Number(arg('batch', '64'));
  const workers = Number(arg('workers', '2'));
  const repeats = Number(arg('repeats', '2'));
  const backend = await initBackend('auto');
  const { space } = loadSpace('default-28x28x1');
  const design = toDesign(parseGenomeKey(key), space);
  const train = loadDataset({ name: 'fashion-mnist', split: 'train', limit: images });
  const test = loadDataset({ name: 'fashion-mnist', split: 'test', limit: 200 });
  const configs = [
    { workers: 1, batch },
    { workers, batch },
    { workers: 1, batch: 2 * batch },
    { workers, batch: 2 * batch },
  ];
  console.log(`parallel bench: ${key}, 1 epoch on ${images} images, backend ${backend}`);
  const speeds = configs.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    for (const [i, c] of configs.entries()) {
      const res = await trainDesign(design, { dataset: 'fashion-mnist', epochs: 1, seed: 1, batchSize: c.batch, trainLimit: images, testLimit: 200, train, test, workers: c.workers, refCheck: 0 });
      const s = images / res.trainSeconds;
      speeds[i]!.push(s);
      console.log(`  ${c.workers} thread(s), batch ${c.batch}: ${res.trainSeconds.toFixed(1)} s, ${s.toFixed(0)} img/s`);
    }
  }
  const base = Math.max(...speeds[0]!);
  for (const [i, c] of configs.entries())
    console.log(`fastest of ${repeats}, ${c.workers} thread(s), batch ${c.batch}: ${Math.max(...speeds[i]!).toFixed(0)} img/s, ${(Math.max(...speeds[i]!) / base).toFixed(2)}x of 1 thread at batch ${batch}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
