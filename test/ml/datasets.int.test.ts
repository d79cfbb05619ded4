/** Needs: the Fashion-MNIST dataset. */
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DataError, NoInputError, UsageError } from '../../src/errors.js';
import { classCounts, clearDatasetCache, loadDataset, resolveDataDir, splitValidation } from '../../src/ml/datasets.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';

function be32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}
function idxImages(count: number, rows: number, cols: number, fill: (i: number) => number, magic = 0x803): Buffer {
  const px = Buffer.alloc(count * rows * cols);
  for (let i = 0; i < px.length; i++) px[i] = fill(i) & 255;
  return Buffer.concat([be32(magic), be32(count), be32(rows), be32(cols), px]);
}
function idxLabels(labels: number[], magic = 0x801): Buffer {
  return Buffer.concat([be32(magic), be32(labels.length), Buffer.from(labels)]);
}
function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'cosearch-ds-'));
}
function writeMnistLike(dir: string, opts: { gz?: boolean; n?: number } = {}): void {
  const n = opts.n ?? 5;
  const w = (name: string, b: Buffer): void => writeFileSync(join(dir, name + (opts.gz ? '.gz' : '')), opts.gz ? gzipSync(b) : b);
  for (const s of ['train', 't10k']) {
    w(`${s}-images-idx3-ubyte`, idxImages(n, 28, 28, (i) => i));
    w(`${s}-labels-idx1-ubyte`, idxLabels(Array.from({ length: n }, (_, i) => i % 10)));
  }
}

afterEach(() => {
  delete process.env.COSEARCH_DATA;
  clearDatasetCache();
});

describe('Fashion-MNIST (real files)', () => {
  it('loads the published train and test splits', () => {
    const test = loadDataset({ name: 'fashion-mnist', split: 'test' });
    expect(test.count).toBe(10000);
    expect([test.height, test.width, test.channels, test.numClasses]).toEqual([28, 28, 1, 10]);
    expect(test.images.length).toBe(10000 * 784);
    expect(classCounts(test)).toEqual(new Array(10).fill(1000));
    // first test label of Fashion-MNIST is 9 (ankle boot), second is 2 (pullover) — published file order
    expect(Array.from(test.labels.subarray(0, 4))).toEqual([9, 2, 1, 1]);
    const train = loadDataset({ name: 'fashion-mnist', split: 'train' });
    expect(train.count).toBe(60000);
    expect(classCounts(train)).toEqual(new Array(10).fill(6000));
    // pixel codes span the whole byte range
    let max = 0;
    for (let i = 0; i < 784 * 100; i++) max = Math.max(max, train.images[i]!);
    expect(max).toBe(255);
  });

  it('limit keeps the first N records, identical to the full load', () => {
    const full = loadDataset({ name: 'fashion-mnist', split: 'test' });
    const few = loadDataset({ name: 'fashion-mnist', split: 'test', limit: 123 });
    expect(few.count).toBe(123);
    expect(Array.from(few.labels)).toEqual(Array.from(full.labels.subarray(0, 123)));
    expect(Buffer.from(few.images).equals(Buffer.from(full.images.subarray(0, 123 * 784)))).toBe(true);
  });

  it('resolves the data dir from --data, $COSEARCH_DATA (incl. a root with subdirectories) and the default', () => {
    expect(resolveDataDir('fashion-mnist')).toBe(FMNIST);
    expect(resolveDataDir('fashion-mnist', FMNIST)).toBe(FMNIST);
    process.env.COSEARCH_DATA = '/usr/share/datasets';
    expect(resolveDataDir('fashion-mnist')).toBe(FMNIST);
    const d = tmp();
    writeMnistLike(d);
    process.env.COSEARCH_DATA = d;
    expect(resolveDataDir('mnist')).toBe(d);
    expect(loadDataset({ name: 'mnist', split: 'train' }).count).toBe(5);
  });

  it('seeded validation split is deterministic and disjoint', () => {
    const ds = loadDataset({ name: 'fashion-mnist', split: 'train', limit: 1000 });
    const a = splitValidation(ds, { seed: 7, valFraction: 0.2 });
    const b = splitValidation(ds, { seed: 7, valFraction: 0.2 });
    const c = splitValidation(ds, { seed: 8, valFraction: 0.2 });
    expect(a.val.count).toBe(200);
    expect(a.train.count).toBe(800);
    expect(Array.from(a.val.labels)).toEqual(Array.from(b.val.labels));
    expect(Buffer.from(a.val.images).equals(Buffer.from(b.val.images))).toBe(true);
    expect(Buffer.from(a.val.images).equals(Buffer.from(c.val.images))).toBe(false);
    // together they hold every image exactly once (compare sorted per-image checksums)
    const sums = (x: { images: Uint8Array; count: number }): number[] =>
      Array.from({ length: x.count }, (_, i) => x.images.subarray(i * 784, (i + 1) * 784).reduce((s, v, j) => (s + v * (j + 1)) % 1000003, 0));
    expect([...sums(a.train), ...sums(a.val)].sort((p, q) => p - q)).toEqual(sums(ds).sort((p, q) => p - q));
  });
});

describe('IDX format', () => {
  it('reads raw and gzip files alike', () => {
    const raw = tmp();
    const gz = tmp();
    writeMnistLike(raw);
    writeMnistLike(gz, { gz: true });
    const a = loadDataset({ name: 'mnist', dir: raw, split: 'test' });
    const b = loadDataset({ name: 'mnist', dir: gz, split: 'test' });
    expect(a.count).toBe(5);
    expect(Array.from(a.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(a.images[300]).toBe(300 & 255);
    expect(Buffer.from(a.images).equals(Buffer.from(b.images))).toBe(true);
  });

  it('missing directory or file -> NoInputError (66) naming it and how to get it', () => {
    const missingDir = join(tmp(), 'nope');
    expect(() => loadDataset({ name: 'fashion-mnist', dir: missingDir, split: 'test' })).toThrow(NoInputError);
    try {
      loadDataset({ name: 'fashion-mnist', dir: missingDir, split: 'test' });
    } catch (e) {
      expect((e as NoInputError).exitCode).toBe(66);
      expect((e as Error).message).toContain(missingDir);
      expect((e as NoInputError).hint).toMatch(/make setup|dataset-fashion-mnist|--data/);
    }
    const d = tmp();
    writeFileSync(join(d, 't10k-images-idx3-ubyte'), idxImages(2, 28, 28, () => 0));
    try {
      loadDataset({ name: 'fashion-mnist', dir: d, split: 'test' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NoInputError);
      expect((e as Error).message).toContain('t10k-labels-idx1-ubyte');
    }
  });

  it('wrong magic, truncated data, truncated gzip, mismatched counts -> DataError (65) naming the file', () => {
    const cases: Array<[string, (d: string) => void, RegExp]> = [
      ['wrong magic', (d) => writeFileSync(join(d, 't10k-images-idx3-ubyte'), idxImages(2, 28, 28, () => 0, 0x801)), /wrong magic number 0x00000801, expected 0x00000803.*label file/],
      ['truncated pixels', (d) => writeFileSync(join(d, 't10k-images-idx3-ubyte'), idxImages(2, 28, 28, () => 0).subarray(0, 16 + 784)), /truncated IDX image file: header says 2 images/],
      ['truncated header', (d) => writeFileSync(join(d, 't10k-images-idx3-ubyte'), Buffer.from([0, 0, 8])), /truncated IDX image file: 3 bytes/],
      ['truncated gzip', (d) => writeFileSync(join(d, 't10k-images-idx3-ubyte.gz'), gzipSync(idxImages(2, 28, 28, () => 0)).subarray(0, 30)), /not a valid gzip stream/],
      ['wrong label magic', (d) => writeFileSync(join(d, 't10k-labels-idx1-ubyte'), idxLabels([1, 2], 0x803)), /expected 0x00000801/],
      ['count mismatch', (d) => writeFileSync(join(d, 't10k-labels-idx1-ubyte'), idxLabels([1, 2, 3])), /2 images but 3 labels/],
      ['bad label', (d) => writeFileSync(join(d, 't10k-labels-idx1-ubyte'), idxLabels([1, 12])), /label 12 of record 1 is out of range/],
      ['wrong size', (d) => writeFileSync(join(d, 't10k-images-idx3-ubyte'), idxImages(2, 32, 32, () => 0)), /images are 32x32, expected 28x28/],
    ];
    for (const [what, mutate, re] of cases) {
      const d = tmp();
      writeFileSync(join(d, 't10k-images-idx3-ubyte'), idxImages(2, 28, 28, () => 0));
      writeFileSync(join(d, 't10k-labels-idx1-ubyte'), idxLabels([1, 2]));
      mutate(d);
      if (what === 'truncated gzip') {
        // the .gz is listed first, so it is the one read
        expect(readFileSync(join(d, 't10k-images-idx3-ubyte.gz')).length).toBe(30);
      }
      let err: unknown;
      try {
        loadDataset({ name: 'fashion-mnist', dir: d, split: 'test' });
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(DataError);
      expect((err as DataError).exitCode).toBe(65);
      expect((err as Error).message, what).toMatch(re);
      expect((err as DataError).file, what).toContain(d);
    }
  });

  it('rejects unknown dataset names and bad limits as usage errors', () => {
    expect(() => loadDataset({ name: 'imagenet' as never, split: 'test' })).toThrow(UsageError);
    expect(() => loadDataset({ name: 'fashion-mnist', split: 'test', limit: 0 })).toThrow(UsageError);
  });
});

describe('CIFAR-10 binary format', () => {
  function record(label: number, f: (c: number, p: number) => number): Buffer {
    const b = Buffer.alloc(3073);
    b[0] = label;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) b[1 + c * 1024 + p] = f(c, p) & 255;
    return b;
  }
  it('converts CHW records to HWC and concatenates the five train batches', () => {
    const root = tmp();
    const d = join(root, 'cifar-10-batches-bin');
    mkdirSync(d);
    const rec = (l: number): Buffer => record(l, (c, p) => c * 100 + (p % 97) + l);
    writeFileSync(join(d, 'test_batch.bin'), Buffer.concat([rec(3), rec(7)]));
    for (let i = 1; i <= 5; i++) writeFileSync(join(d, `data_batch_${i}.bin`), Buffer.concat([rec(i), rec(i + 1)]));
    const test = loadDataset({ name: 'cifar10', dir: root, split: 'test' });
    expect([test.count, test.height, test.width, test.channels]).toEqual([2, 32, 32, 3]);
    expect(Array.from(test.labels)).toEqual([3, 7]);
    // pixel p=5, channel c at HWC index p*3+c
    expect([test.images[15], test.images[16], test.images[17]]).toEqual([0 + 5 + 3, 100 + 5 + 3, 200 + 5 + 3]);
    const train = loadDataset({ name: 'cifar10', dir: d, split: 'train' });
    expect(train.count).toBe(10);
    expect(Array.from(train.labels)).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(loadDataset({ name: 'cifar10', dir: d, split: 'train', limit: 3 }).count).toBe(3);
  });
  it('truncated batch -> DataError; missing batch -> NoInputError', () => {
    const d = tmp();
    writeFileSync(join(d, 'test_batch.bin'), record(1, () => 0).subarray(0, 3000));
    expect(() => loadDataset({ name: 'cifar10', dir: d, split: 'test' })).toThrow(/not a whole number of CIFAR-10 records/);
    expect(() => loadDataset({ name: 'cifar10', dir: d, split: 'train' })).toThrow(NoInputError);
  });
});

describe('copied real files', () => {
  it('a gunzipped copy of the real test set loads identically', () => {
    const d = tmp();
    writeFileSync(join(d, 't10k-images-idx3-ubyte'), gunzipSync(readFileSync(join(FMNIST, 't10k-images-idx3-ubyte.gz'))));
    copyFileSync(join(FMNIST, 't10k-labels-idx1-ubyte.gz'), join(d, 't10k-labels-idx1-ubyte.gz'));
    const a = loadDataset({ name: 'fashion-mnist', dir: d, split: 'test', limit: 500 });
    const b = loadDataset({ name: 'fashion-mnist', split: 'test', limit: 500 });
    expect(Buffer.from(a.images).equals(Buffer.from(b.images))).toBe(true);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
  });
});
