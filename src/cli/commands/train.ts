/**
 * `cosearch train design.json --out DIR`: quantization-aware training, integer export, accuracy report.
 */
import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { loadDesign } from '../../config.js';
import { UsageError } from '../../errors.js';
import type { BackendPref } from '../../ml/backend.js';
import { DATASET_NAMES, type DatasetName } from '../../ml/datasets.js';
import type { TrainProgress } from '../../ml/train.js';

// the TF.js modules are imported in the handler so other commands start without loading TF.js
const BACKEND_CHOICES: BackendPref[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

interface TrainArgs {
  design: string;
  dataset: DatasetName;
  data?: string;
  epochs: number;
  seed: number;
  'batch-size': number;
  'train-limit'?: number;
  'test-limit'?: number;
  lr?: number;
  backend: BackendPref;
  workers: number;
  out: string;
}

/** Progress display: one redrawn line on a TTY, plain lines (at most one per second + epoch ends) otherwise. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update: (p: TrainProgress) => void; done: () => void } {
  const tty = Boolean(stream.isTTY);
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
      const text = `epoch ${p.epoch} [${bar}] batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)} ${Math.round(p.imagesPerSec)} images/s`;
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

function positiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new UsageError(`--${name} must be a positive integer, got ${v}`);
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train <design>',
  describe: 'quantization-aware training of a design; writes the float checkpoint, the integer model and accuracy.json',
  builder: (y) =>
    y
      .positional('design', { type: 'string', demandOption: true, describe: 'design JSON file' })
      .option('dataset', { choices: DATASET_NAMES as DatasetName[], default: 'fashion-mnist' as DatasetName, describe: 'dataset' })
      .option('data', { type: 'string', describe: 'dataset directory (default $COSEARCH_DATA or /usr/share/datasets/<dataset>)' })
      .option('epochs', { type: 'number', default: 10, describe: 'training epochs' })
      .option('seed', { type: 'number', default: 1, describe: 'random seed (weights, shuffling)' })
      .option('batch-size', { type: 'number', default: 128, describe: 'images per training step' })
      .option('train-limit', { type: 'number', describe: 'use only the first N training images' })
      .option('test-limit', { type: 'number', describe: 'evaluate only the first N test images' })
      .option('lr', { type: 'number', describe: 'peak learning rate (Adam, cosine decay)' })
      .option('backend', { choices: BACKEND_CHOICES, default: 'auto' as BackendPref, describe: 'TF.js backend (auto: tensorflow -> wasm -> cpu)' })
      .option('workers', { type: 'number', default: Math.min(2, availableParallelism()), describe: 'threads training in parallel (data parallel; results depend on the count)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output directory' }) as never,
  handler: async (args) => {
    positiveInt('epochs', args.epochs);
    positiveInt('batch-size', args['batch-size']);
    positiveInt('train-limit', args['train-limit']);
    positiveInt('test-limit', args['test-limit']);
    positiveInt('workers', args.workers);
    if (!Number.isInteger(args.seed) || args.seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${args.seed}`);
    const design = loadDesign(args.design);
    const { describeBackend, initBackend, backendFallbackReasons } = await import('../../ml/backend.js');
    const { trainDesign, writeTrainOutput } = await import('../../ml/train.js');
    await initBackend(args.backend);
    const why = backendFallbackReasons();
    process.stderr.write(`backend: ${await describeBackend()}${why.length && args.backend === 'auto' ? ` (${why.join('; ')})` : ''}\n`);
    const progress = progressPrinter();
    const result = await trainDesign(design, {
      dataset: args.dataset,
      dataDir: args.data,
      epochs: args.epochs,
      seed: args.seed,
      batchSize: args['batch-size'],
      trainLimit: args['train-limit'],
      testLimit: args['test-limit'],
      lr: args.lr,
      backend: args.backend,
      workers: args.workers,
      onProgress: progress.update,
    });
    progress.done();
    const files = writeTrainOutput(args.out, result);
    const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
    process.stdout.write(
      `trained ${design.name} on ${result.trainCount} ${args.dataset} images, ${args.epochs} epoch(s), ${Math.round(result.imagesPerSec)} images/s (${result.backend}, ${result.workers} thread(s))\n` +
        `test accuracy (${result.testCount} images): float QAT ${pct(result.floatTestAcc)}, integer reference ${pct(result.intTestAcc)}, agreement ${pct(result.agreement)}\n` +
        `wrote ${files.join(', ')}\n`,
    );
  },
};
