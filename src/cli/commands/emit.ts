/**
 * `cosearch emit MODEL_DIR --out PRJ [--target hls|rtl] [--images N] [--dataset NAME --data DIR]`:
 * write the Vitis HLS project (default) or the Verilog RTL twin for a trained integer model
 * (MODEL_DIR/intmodel.json from `cosearch train`), with test vectors made of the first N images of the
 * dataset's test split and the integer reference's expected outputs.
 */
import type { CommandModule } from 'yargs';
import { resolve } from 'node:path';
import { DataError, UsageError } from '../../errors.js';
import { readIntModel } from '../../ml/intmodel-io.js';
import { DATASET_NAMES, loadDataset, type DatasetName } from '../../ml/datasets.js';
import type { IntModel } from '../../core/intmodel.js';

interface EmitArgs {
  model: string;
  out: string;
  target: 'hls' | 'rtl';
  images: number;
  dataset?: DatasetName;
  data?: string;
}

export const EMIT_DEFAULT_IMAGES = 100;

/** Dataset of a model: --dataset, else the model's meta.dataset, else fashion-mnist. */
export function modelDataset(model: IntModel, flag?: DatasetName): DatasetName {
  if (flag) return flag;
  const m = model.meta?.dataset;
  if (typeof m === 'string' && (DATASET_NAMES as readonly string[]).includes(m)) return m as DatasetName;
  return 'fashion-mnist';
}

export async function emitProject(args: { model: string; out: string; target?: 'hls' | 'rtl'; images?: number; dataset?: DatasetName; data?: string }): Promise<{ files: string[]; images: number; dataset: DatasetName }> {
  const images = args.images ?? EMIT_DEFAULT_IMAGES;
  if (!Number.isInteger(images) || images < 1) throw new UsageError(`--images must be a positive integer, got ${images}`);
  const model = readIntModel(resolve(args.model));
  const name = modelDataset(model, args.dataset);
  const ds = loadDataset({ name, dir: args.data, split: 'test', limit: images });
  const inp = model.design.input;
  if (ds.height !== inp.height || ds.width !== inp.width || ds.channels !== inp.channels)
    throw new DataError(`the ${name} test images are ${ds.height}x${ds.width}x${ds.channels} but the design input is ${inp.height}x${inp.width}x${inp.channels}`, { file: resolve(args.model, 'intmodel.json'), jsonPath: '/design/input', hint: 'pass the dataset the model was trained on with --dataset' });
  const n = Math.min(images, ds.count);
  const testSource = `${name} test split, images 0..${n - 1}`;
  const out = resolve(args.out);
  if ((args.target ?? 'hls') === 'rtl') {
    // RTL twin (src/emit/rtl.ts, rtl area)
    const { emitRtl } = await import('../../emit/rtl.js');
    return { ...emitRtl(model, out, { testImages: ds.images, testCount: n }), images: n, dataset: name };
  }
  const { emitHls } = await import('../../emit/hls.js');
  return { ...emitHls(model, out, { testImages: ds.images, testCount: n, labels: ds.labels, testSource }), images: n, dataset: name };
}

export const emitCommand: CommandModule<object, EmitArgs> = {
  command: 'emit <model>',
  describe: 'write the Vitis HLS project (or the RTL twin) for a trained integer model',
  builder: (y) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'directory with intmodel.json (from `cosearch train`)' })
      .option('out', { type: 'string', demandOption: true, describe: 'project directory to write' })
      .option('target', { choices: ['hls', 'rtl'] as const, default: 'hls' as const, describe: 'hls: Vitis HLS C++ project; rtl: Verilog twin' })
      .option('images', { type: 'number', default: EMIT_DEFAULT_IMAGES, describe: 'test images (from the test split) in the test vectors' })
      .option('dataset', { choices: DATASET_NAMES, describe: "dataset of the test images (default: the model's, else fashion-mnist)" })
      .option('data', { type: 'string', describe: 'dataset directory (default $COSEARCH_DATA or /usr/share/datasets/<name>)' }),
  handler: async (a) => {
    const r = await emitProject(a);
    process.stdout.write(`emit: wrote ${r.files.length} files to ${resolve(a.out)} (${a.target}, ${r.images} ${r.dataset} test images)\n`);
  },
};
