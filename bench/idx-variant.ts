/**
 * A dataset the tool has never seen, for measuring a search without a shipped table, predictor or prior: an IDX
 * directory (what `--dataset idx --data DIR` reads) made from a bundled single-channel dataset with every image
 * transposed and the labels permuted, so no shipped row matches it (the jobs' dataset digest differs too).
 *
 *   npx tsx bench/idx-variant.ts --out DIR [--dataset fashion-mnist] [--classes K]
 *   cosearch --dataset idx --data DIR --luts 30000 --fps 1000 --part xc7z020 --budget-minutes 10 --synth yosys
 *
 * --classes K keeps the images of the first K classes only (labels permuted among them). Refuses to write into a
 * directory that already holds IDX files.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertDatasetName, encodeIdx, loadDataset, subsetDataset, type Dataset } from '../src/ml/datasets.js';
import { Rng } from '../src/core/rng.js';
import { arg } from './lib/args.js';

function variant(ds: Dataset, perm: number[], classes: number): Dataset {
  const keep: number[] = [];
  for (let i = 0; i < ds.count; i++) if (ds.labels[i]! < classes) keep.push(i);
  const sub = subsetDataset(ds, keep);
  const { height: h, width: w } = sub;
  const images = new Uint8Array(sub.images.length);
  for (let n = 0; n < sub.count; n++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) images[n * h * w + x * h + y] = sub.images[n * h * w + y * w + x]!;
  return { ...sub, height: w, width: h, images, labels: sub.labels.map((l) => perm[l]!), numClasses: classes };
}

function main(): void {
  const out = arg('out');
  if (!out) throw new Error('--out DIR is required');
  const name = assertDatasetName(arg('dataset', 'fashion-mnist'));
  if (existsSync(out) && readdirSync(out).some((f) => f.includes('-ubyte'))) throw new Error(`${out} already holds IDX files; pass another --out`);
  mkdirSync(out, { recursive: true });
  const train = loadDataset({ name, split: 'train' });
  const classes = Number(arg('classes', String(train.numClasses)));
  if (!Number.isInteger(classes) || classes < 2 || classes > train.numClasses) throw new Error(`--classes must be an integer in 2..${train.numClasses}`);
  const perm = Array.from({ length: classes }, (_, i) => i);
  new Rng(7).shuffle(perm);
  for (const [split, stem] of [['train', 'train'], ['test', 't10k']] as const) {
    const ds = variant(split === 'train' ? train : loadDataset({ name, split }), perm, classes);
    const { images, labels } = encodeIdx(ds);
    writeFileSync(join(out, `${stem}-images-idx3-ubyte`), images);
    writeFileSync(join(out, `${stem}-labels-idx1-ubyte`), labels);
    console.log(`${split}: ${ds.count} images ${ds.height}x${ds.width}, ${classes} classes, labels permuted ${perm.join(',')}`);
  }
}

main();
