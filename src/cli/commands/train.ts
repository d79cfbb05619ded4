/**
 * `cosearch train design.json --out DIR`: quantization-aware training, integer export, accuracy report.
 */
import { availableParallelism } from 'node:os';
import { loadDesign } from '../../config.js';
import type { BackendPref } from '../../ml/backend.js';
import { DATASET_NAMES, type DatasetName } from '../../ml/datasets.js';
import type { TrainProgress } from '../../ml/train.js';
import { COMMON, defineCommand } from '../options.js';
import { elapsedEta } from '../progress.js';

// the TF.js modules are imported in the handler so other commands start without loading TF.js
export const BACKEND_CHOICES: readonly BackendPref[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** Progress display: one redrawn line on a TTY, plain lines (at most one per second + epoch ends) otherwise. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, epochs?: number): { update: (p: TrainProgress) => void; done: () => void } {
  const tty = Boolean(stream.isTTY);
  const t0 = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      const end = p.batch === p.batches;
      if (!end && now - last < (tty ? 100 : 1000)) return;
      last = now;
      const frac = p.batch / p.batches;
      const width = 24;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      // fraction of the whole run done (epochs are 1-based), for the ETA
      const done = epochs ? (p.epoch - 1 + frac) / epochs : frac;
      const text = `epoch ${p.epoch}${epochs ? `/${epochs}` : ''} [${bar}] batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)} ${Math.round(p.imagesPerSec)} images/s, ${elapsedEta(t0, done)}`;
      if (tty) {
        stream.write(`\r${text}\x1b[K`);
        drawn = true;
        if (end) {
          stream.write('\n');
          drawn = false;
        }
      } else stream.write(text + '\n');
    },
    done() {
      if (tty && drawn) stream.write('\n');
    },
  };
}

export const trainCommand = defineCommand({
  command: 'train <design>',
  describe: 'quantization-aware training of a design; writes the float checkpoint, the integer model and accuracy.json',
  options: {
    design: { type: 'string', positional: true, demand: true, describe: 'design JSON file' },
    dataset: { type: 'string', choices: DATASET_NAMES as readonly DatasetName[], default: 'fashion-mnist', describe: 'dataset' },
    data: COMMON.dataDir,
    epochs: { type: 'integer', min: 1, default: 10, describe: 'training epochs' },
    seed: { ...COMMON.seed, default: 1, describe: 'random seed (weights, shuffling)' },
    'batch-size': { type: 'integer', min: 1, default: 128, describe: 'images per training step' },
    'train-limit': { type: 'integer', min: 1, describe: 'use only the first N training images' },
    'test-limit': { type: 'integer', min: 1, describe: 'evaluate only the first N test images' },
    lr: { type: 'number', above: 0, describe: 'peak learning rate (Adam, cosine decay)' },
    backend: { type: 'string', choices: BACKEND_CHOICES, default: 'auto', describe: 'TF.js backend (auto: tensorflow -> wasm -> cpu)' },
    workers: { type: 'integer', min: 1, default: Math.min(2, availableParallelism()), describe: 'threads training in parallel (data parallel; results depend on the count)' },
    out: { type: 'string', demand: true, describe: 'output directory' },
    json: { ...COMMON.json, describe: 'print the accuracies and files as JSON' },
  },
  handler: async (args) => {
    const design = loadDesign(args.design);
    const { describeBackend, initBackend, backendFallbackReasons } = await import('../../ml/backend.js');
    const { trainDesign, writeTrainOutput } = await import('../../ml/train.js');
    await initBackend(args.backend);
    const why = backendFallbackReasons();
    process.stderr.write(`backend: ${await describeBackend()}${why.length && args.backend === 'auto' ? ` (${why.join('; ')})` : ''}\n`);
    const progress = progressPrinter(process.stderr, args.epochs);
    const result = await trainDesign(design, {
      dataset: args.dataset,
      dataDir: args.data,
      epochs: args.epochs,
      seed: args.seed,
      batchSize: args.batchSize,
      trainLimit: args.trainLimit,
      testLimit: args.testLimit,
      lr: args.lr,
      backend: args.backend,
      workers: args.workers,
      onProgress: progress.update,
    });
    progress.done();
    const files = writeTrainOutput(args.out, result);
    if (args.json) {
      const { floatTestAcc, intTestAcc, agreement, trainCount, testCount, imagesPerSec, backend, workers } = result;
      process.stdout.write(JSON.stringify({ design: design.name, dataset: args.dataset, epochs: args.epochs, trainCount, testCount, floatTestAcc, intTestAcc, agreement, imagesPerSec, backend, workers, files }, null, 2) + '\n');
      return;
    }
    const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
    process.stdout.write(
      `trained ${design.name} on ${result.trainCount} ${args.dataset} images, ${args.epochs} epoch(s), ${Math.round(result.imagesPerSec)} images/s (${result.backend}, ${result.workers} thread(s))\n` +
        `test accuracy (${result.testCount} images): float QAT ${pct(result.floatTestAcc)}, integer reference ${pct(result.intTestAcc)}, agreement ${pct(result.agreement)}\n` +
        `wrote ${files.join(', ')}\n`,
    );
  },
});
