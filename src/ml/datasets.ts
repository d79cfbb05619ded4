/**
 * Dataset loaders: IDX files (MNIST, Fashion-MNIST; raw or gzip) and the CIFAR-10 binary format.
 * Images are returned as raw 0..255 codes in HWC order (what the integer reference and the hardware consume);
 * any input scaling is folded into the first layer by the QAT engine, so no normalisation happens here
 * (`toUnitFloat` is provided for float consumers).
 *
 * Formats (written from the published format descriptions):
 * - IDX (LeCun & Cortes, "THE MNIST DATABASE of handwritten digits"; Fashion-MNIST, Xiao et al. 2017, uses the
 *   same files): big-endian int32 magic 0x00000803 (unsigned byte, 3 dims) for images followed by
 *   count, rows, cols; 0x00000801 (1 dim) for labels followed by count; then the bytes.
 * - CIFAR-10 binary (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html): data_batch_1..5.bin and
 *   test_batch.bin, each 10000 records of 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B; row-major).
 *
 * Data directory: `--data DIR`, else `$COSEARCH_DATA`, else the Debian/Ubuntu package location
 * (/usr/share/datasets/<name>/ — `dataset-fashion-mnist` installs /usr/share/datasets/fashion-mnist).
 * When the directory has a `<name>/` (or `cifar-10-batches-bin/`) subdirectory holding the files, that is used,
 * so $COSEARCH_DATA may point at a root holding several datasets.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError, IoError, NoInputError, UsageError } from '../errors.js';
import { Rng } from '../core/rng.js';

/** Known datasets, plus `idx`: any directory of IDX files (your own data; shape and classes read from the files). */
export type DatasetName = 'fashion-mnist' | 'mnist' | 'cifar10' | 'idx';
export const DATASET_NAMES: readonly DatasetName[] = ['fashion-mnist', 'mnist', 'cifar10', 'idx'];

export interface Dataset {
  name: DatasetName;
  split: 'train' | 'test';
  count: number;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  /** count*H*W*C, HWC, raw 0..255 codes */
  images: Uint8Array;
  labels: Uint8Array;
}

export interface DatasetShape {
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  trainCount: number;
  testCount: number;
}

/** Shapes of the known datasets, without touching the disk (`idx`: see datasetShape). */
export const DATASET_SHAPES: Record<Exclude<DatasetName, 'idx'>, DatasetShape> = {
  'fashion-mnist': { height: 28, width: 28, channels: 1, numClasses: 10, trainCount: 60000, testCount: 10000 },
  mnist: { height: 28, width: 28, channels: 1, numClasses: 10, trainCount: 60000, testCount: 10000 },
  cifar10: { height: 32, width: 32, channels: 3, numClasses: 10, trainCount: 50000, testCount: 10000 },
};

export const DEFAULT_DATA_ROOT = '/usr/share/datasets';
const IDX_IMAGES_MAGIC = 0x00000803;
const IDX_LABELS_MAGIC = 0x00000801;
const CIFAR_RECORD = 1 + 3072;
const CIFAR_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
const CIFAR_TEST_FILES = ['test_batch.bin'];

export function assertDatasetName(name: string): DatasetName {
  if (!(DATASET_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown dataset "${name}"`, `use one of ${DATASET_NAMES.join(', ')}`);
  return name as DatasetName;
}

function howToGet(name: DatasetName): string {
  if (name === 'idx')
    return 'pass --data DIR: a directory holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (.gz or raw; IDX format, unsigned-byte images of any size, labels 0..K-1)';
  if (name === 'fashion-mnist')
    return 'run `make setup` (installs the Debian/Ubuntu package dataset-fashion-mnist), or `sudo apt-get install dataset-fashion-mnist`, or pass --data DIR (or set $COSEARCH_DATA) to a directory holding the four Fashion-MNIST IDX files (.gz or raw) from https://github.com/zalandoresearch/fashion-mnist';
  if (name === 'mnist')
    return 'pass --data DIR (or set $COSEARCH_DATA) to a directory holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (.gz or raw), e.g. from the Debian package mnist or http://yann.lecun.com/exdb/mnist/';
  return 'pass --data DIR (or set $COSEARCH_DATA) to the extracted cifar-10-batches-bin directory of cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html';
}

/** Candidate file names (first existing wins) for each logical file. */
function idxCandidates(split: 'train' | 'test', what: 'images' | 'labels'): string[] {
  const stem = split === 'train' ? 'train' : 't10k';
  const kind = what === 'images' ? 'idx3' : 'idx1';
  const bases = [`${stem}-${what}-${kind}-ubyte`, `${stem}-${what}.${kind}-ubyte`];
  return bases.flatMap((b) => [`${b}.gz`, b]);
}

function holdsFiles(dir: string, name: DatasetName): boolean {
  if (name === 'cifar10') return existsSync(join(dir, 'test_batch.bin')) || existsSync(join(dir, 'data_batch_1.bin'));
  return idxCandidates('test', 'images').some((f) => existsSync(join(dir, f))) || idxCandidates('train', 'images').some((f) => existsSync(join(dir, f)));
}

/**
 * The directory holding a dataset's files: `dir` (from --data), else $COSEARCH_DATA, else
 * /usr/share/datasets/<name>. When the chosen directory has a `<name>` (or, for CIFAR-10,
 * `cifar-10-batches-bin` / `cifar10/cifar-10-batches-bin`) subdirectory holding the files, that subdirectory is
 * returned, else the directory itself. A missing directory -> NoInputError (66) saying how to get the data.
 */
export function resolveDataDir(name: DatasetName, dir?: string): string {
  const source = dir !== undefined ? '--data' : process.env.COSEARCH_DATA ? '$COSEARCH_DATA' : 'default';
  if (name === 'idx' && dir === undefined) throw new UsageError('--dataset idx reads your own IDX files: give --data DIR', howToGet(name));
  const base = resolve(dir ?? process.env.COSEARCH_DATA ?? join(DEFAULT_DATA_ROOT, name));
  if (!existsSync(base)) {
    throw new NoInputError(`${name} data directory not found: ${base}${source === 'default' ? '' : ` (from ${source})`}`, howToGet(name));
  }
  // a `<name>/` subdirectory wins over files in the directory itself (MNIST and Fashion-MNIST share file names)
  const subs = name === 'cifar10' ? ['cifar-10-batches-bin', 'cifar10', join('cifar10', 'cifar-10-batches-bin'), 'cifar-10'] : [name];
  for (const s of subs) {
    const p = join(base, s);
    if (existsSync(p) && holdsFiles(p, name)) return p;
  }
  // the directory itself (the loader names the exact file when one is missing)
  return base;
}

// ---------------------------------------------------------------------------------------------------------
// raw file access with a small in-process cache (short training runs re-load the same files many times)

const fileCache = new Map<string, { mtimeMs: number; size: number; data: Uint8Array }>();

/** Read a file, gunzipping when it starts with the gzip magic 1f 8b. Cached per path + mtime + size. */
function readMaybeGz(file: string): Uint8Array {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw new IoError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const hit = fileCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.data;
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    throw new IoError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let data: Uint8Array = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      data = gunzipSync(raw);
    } catch (e) {
      throw new DataError(`not a valid gzip stream (${(e as Error).message}); the file is truncated or corrupt`, { file, hint: 'download the file again' });
    }
  }
  data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  fileCache.set(file, { mtimeMs: st.mtimeMs, size: st.size, data });
  return data;
}

/** Drop the in-process file cache (tests, memory pressure). */
export function clearDatasetCache(): void {
  fileCache.clear();
}

function findFile(dir: string, candidates: string[], name: DatasetName): string {
  for (const c of candidates) {
    const p = join(dir, c);
    if (existsSync(p)) return p;
  }
  throw new NoInputError(`${name} file not found: ${join(dir, candidates[0]!)} (also looked for ${candidates.slice(1).join(', ')})`, howToGet(name));
}

function be32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** Parse an IDX image file (magic 0x00000803). Returns views into the (cached) file. */
export function parseIdxImages(bytes: Uint8Array, file: string): { count: number; rows: number; cols: number; pixels: Uint8Array } {
  if (bytes.length < 16) throw new DataError(`truncated IDX image file: ${bytes.length} bytes, expected a 16-byte header (magic ${hex(IDX_IMAGES_MAGIC)}, count, rows, cols)`, { file, hint: 'download the file again' });
  const magic = be32(bytes, 0);
  if (magic !== IDX_IMAGES_MAGIC) throw new DataError(`wrong magic number ${hex(magic)}, expected ${hex(IDX_IMAGES_MAGIC)} (IDX unsigned-byte images, 3 dimensions)${magic === IDX_LABELS_MAGIC ? '; this looks like a label file' : ''}`, { file, hint: 'point --data at the IDX files of the dataset (train-images-idx3-ubyte ...)' });
  const count = be32(bytes, 4);
  const rows = be32(bytes, 8);
  const cols = be32(bytes, 12);
  const need = 16 + count * rows * cols;
  if (bytes.length < need) throw new DataError(`truncated IDX image file: header says ${count} images of ${rows}x${cols} (${need} bytes) but the file has ${bytes.length} bytes`, { file, hint: 'download the file again' });
  return { count, rows, cols, pixels: bytes.subarray(16, need) };
}

/** Parse an IDX label file (magic 0x00000801). */
export function parseIdxLabels(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes.length < 8) throw new DataError(`truncated IDX label file: ${bytes.length} bytes, expected an 8-byte header (magic ${hex(IDX_LABELS_MAGIC)}, count)`, { file, hint: 'download the file again' });
  const magic = be32(bytes, 0);
  if (magic !== IDX_LABELS_MAGIC) throw new DataError(`wrong magic number ${hex(magic)}, expected ${hex(IDX_LABELS_MAGIC)} (IDX unsigned-byte labels, 1 dimension)${magic === IDX_IMAGES_MAGIC ? '; this looks like an image file' : ''}`, { file, hint: 'point --data at the IDX files of the dataset (train-labels-idx1-ubyte ...)' });
  const count = be32(bytes, 4);
  if (bytes.length < 8 + count) throw new DataError(`truncated IDX label file: header says ${count} labels but the file has ${bytes.length - 8} label bytes`, { file, hint: 'download the file again' });
  return bytes.subarray(8, 8 + count);
}

/**
 * The IDX files of a single-channel dataset (what parseIdxImages / parseIdxLabels read): a user's own data in the
 * format `--dataset idx` takes, e.g. a variant of a bundled dataset (bench/idx-variant.ts, test/search/run.test.ts).
 */
export function encodeIdx(ds: Pick<Dataset, 'count' | 'height' | 'width' | 'channels' | 'images' | 'labels'>): { images: Buffer; labels: Buffer } {
  if (ds.channels !== 1) throw new Error(`IDX images have one channel; this dataset has ${ds.channels}`);
  const images = Buffer.alloc(16 + ds.count * ds.height * ds.width);
  images.writeUInt32BE(IDX_IMAGES_MAGIC, 0);
  images.writeUInt32BE(ds.count, 4);
  images.writeUInt32BE(ds.height, 8);
  images.writeUInt32BE(ds.width, 12);
  images.set(ds.images.subarray(0, ds.count * ds.height * ds.width), 16);
  const labels = Buffer.alloc(8 + ds.count);
  labels.writeUInt32BE(IDX_LABELS_MAGIC, 0);
  labels.writeUInt32BE(ds.count, 4);
  labels.set(ds.labels.subarray(0, ds.count), 8);
  return { images, labels };
}

function checkLabels(labels: Uint8Array, numClasses: number, file: string): void {
  for (let i = 0; i < labels.length; i++)
    if (labels[i]! >= numClasses) throw new DataError(`label ${labels[i]} of record ${i} is out of range 0..${numClasses - 1}`, { file, hint: 'the file is corrupt or belongs to another dataset' });
}

/** Shape of an `idx` directory: image size from the training images' header, classes = largest label + 1. */
function idxShape(dir: string): DatasetShape {
  const read = (split: 'train' | 'test'): { img: ReturnType<typeof parseIdxImages>; lbl: Uint8Array; file: string } => {
    const imgFile = findFile(dir, idxCandidates(split, 'images'), 'idx');
    const lblFile = findFile(dir, idxCandidates(split, 'labels'), 'idx');
    return { img: parseIdxImages(readMaybeGz(imgFile), imgFile), lbl: parseIdxLabels(readMaybeGz(lblFile), lblFile), file: imgFile };
  };
  const tr = read('train');
  const te = read('test');
  if (te.img.rows !== tr.img.rows || te.img.cols !== tr.img.cols)
    throw new DataError(`test images are ${te.img.rows}x${te.img.cols} but training images ${tr.img.rows}x${tr.img.cols}`, { file: te.file, hint: 'both splits must have the same image size' });
  let max = 0;
  for (const l of [tr.lbl, te.lbl]) for (let i = 0; i < l.length; i++) if (l[i]! > max) max = l[i]!;
  if (max < 1) throw new DataError('all labels are 0: a classifier needs at least 2 classes', { file: tr.file });
  return { height: tr.img.rows, width: tr.img.cols, channels: 1, numClasses: max + 1, trainCount: tr.img.count, testCount: te.img.count };
}

/** A dataset's shape: the known ones from the table, `idx` from its files (needs the directory). */
export function datasetShape(name: DatasetName, dir?: string): DatasetShape {
  if (name !== 'idx') return DATASET_SHAPES[name];
  return idxShape(resolveDataDir(name, dir));
}

function loadIdx(name: DatasetName, dir: string, split: 'train' | 'test', limit: number | undefined): Dataset {
  const shape = name === 'idx' ? idxShape(dir) : DATASET_SHAPES[name];
  const imgFile = findFile(dir, idxCandidates(split, 'images'), name);
  const lblFile = findFile(dir, idxCandidates(split, 'labels'), name);
  const img = parseIdxImages(readMaybeGz(imgFile), imgFile);
  const lbl = parseIdxLabels(readMaybeGz(lblFile), lblFile);
  if (img.rows !== shape.height || img.cols !== shape.width)
    throw new DataError(`images are ${img.rows}x${img.cols}, expected ${shape.height}x${shape.width} for ${name}`, { file: imgFile });
  if (img.count !== lbl.length) throw new DataError(`${img.count} images but ${lbl.length} labels in ${lblFile}`, { file: imgFile, hint: 'the image and label files do not belong together' });
  const count = limit === undefined ? img.count : Math.min(limit, img.count);
  const px = shape.height * shape.width;
  const labels = lbl.subarray(0, count);
  checkLabels(labels, shape.numClasses, lblFile);
  return { name, split, count, height: shape.height, width: shape.width, channels: 1, numClasses: shape.numClasses, images: img.pixels.subarray(0, count * px), labels };
}

const cifarCache = new Map<string, { images: Uint8Array; labels: Uint8Array }>();

/** Parse CIFAR-10 binary records (label byte + 3072 CHW bytes) into HWC images. */
export function parseCifarBatch(bytes: Uint8Array, file: string, maxRecords = Infinity): { images: Uint8Array; labels: Uint8Array } {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD !== 0)
    throw new DataError(`${bytes.length} bytes is not a whole number of CIFAR-10 records (${CIFAR_RECORD} bytes each: 1 label byte + 3072 pixel bytes); the file is truncated or not a CIFAR-10 binary batch`, { file, hint: 'download cifar-10-binary.tar.gz again and extract it' });
  const n = Math.min(bytes.length / CIFAR_RECORD, maxRecords);
  const images = new Uint8Array(n * 3072);
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const base = r * CIFAR_RECORD;
    labels[r] = bytes[base]!;
    const src = base + 1;
    const dst = r * 3072;
    for (let p = 0; p < 1024; p++) {
      images[dst + p * 3] = bytes[src + p]!;
      images[dst + p * 3 + 1] = bytes[src + 1024 + p]!;
      images[dst + p * 3 + 2] = bytes[src + 2048 + p]!;
    }
  }
  checkLabels(labels, 10, file);
  return { images, labels };
}

function loadCifar(dir: string, split: 'train' | 'test', limit: number | undefined): Dataset {
  const files = split === 'train' ? CIFAR_TRAIN_FILES : CIFAR_TEST_FILES;
  const want = limit ?? Infinity;
  const imgs: Uint8Array[] = [];
  const lbls: Uint8Array[] = [];
  let have = 0;
  for (const f of files) {
    if (have >= want) break;
    const path = findFile(dir, [f], 'cifar10');
    const st = statSync(path);
    const key = `${path}:${st.mtimeMs}:${st.size}`;
    let b = cifarCache.get(key);
    if (!b) {
      b = parseCifarBatch(readFileSync(path), path);
      cifarCache.set(key, b);
    }
    const take = Math.min(b.labels.length, want - have);
    imgs.push(b.images.subarray(0, take * 3072));
    lbls.push(b.labels.subarray(0, take));
    have += take;
  }
  const images = imgs.length === 1 ? imgs[0]! : concat(imgs);
  const labels = lbls.length === 1 ? lbls[0]! : concat(lbls);
  return { name: 'cifar10', split, count: have, height: 32, width: 32, channels: 3, numClasses: 10, images, labels };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Load a published split. `limit` keeps the first N records (in file order). The returned arrays may be views
 * into an in-process cache: treat them as read-only (copy before mutating).
 */
export function loadDataset(opts: { name: DatasetName; dir?: string; split: 'train' | 'test'; limit?: number }): Dataset {
  const name = assertDatasetName(opts.name);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) throw new UsageError(`dataset limit must be a positive integer, got ${opts.limit}`);
  const dir = resolveDataDir(name, opts.dir);
  return name === 'cifar10' ? loadCifar(dir, opts.split, opts.limit) : loadIdx(name, dir, opts.split, opts.limit);
}

/** Records from..from+n of a split, sharing its memory (the whole split when that is all of it). */
export function recordRange(ds: Dataset, from: number, n: number): Dataset {
  if (from === 0 && n >= ds.count) return ds;
  const px = ds.height * ds.width * ds.channels;
  return { ...ds, count: n, images: ds.images.subarray(from * px, (from + n) * px), labels: ds.labels.subarray(from, from + n) };
}

/** Copy the records at `indices` into a new dataset. */
export function subsetDataset(ds: Dataset, indices: ArrayLike<number>, split: 'train' | 'test' = ds.split): Dataset {
  const px = ds.height * ds.width * ds.channels;
  const images = new Uint8Array(indices.length * px);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    if (s < 0 || s >= ds.count) throw new RangeError(`subsetDataset: index ${s} out of range 0..${ds.count - 1}`);
    images.set(ds.images.subarray(s * px, (s + 1) * px), i * px);
    labels[i] = ds.labels[s]!;
  }
  return { ...ds, split, count: indices.length, images, labels };
}

/**
 * Seeded validation split of a (training) dataset: a random `valFraction` (0..1) or `valCount` of the records go
 * to `val`, the rest to `train`, both keeping file order within themselves. Deterministic for a given seed.
 */
export function splitValidation(ds: Dataset, opts: { seed: number; valFraction?: number; valCount?: number }): { train: Dataset; val: Dataset } {
  const nVal = opts.valCount ?? Math.round((opts.valFraction ?? 0.1) * ds.count);
  if (!Number.isInteger(nVal) || nVal < 0 || nVal > ds.count) throw new UsageError(`validation size ${nVal} is not in 0..${ds.count}`);
  const idx = Array.from({ length: ds.count }, (_, i) => i);
  new Rng(opts.seed).shuffle(idx);
  const val = idx.slice(0, nVal).sort((a, b) => a - b);
  const train = idx.slice(nVal).sort((a, b) => a - b);
  return { train: subsetDataset(ds, train, 'train'), val: subsetDataset(ds, val, 'train') };
}

/** Images as float32 in [0, 1] (code / 255), for float consumers (e.g. proxies). */
export function toUnitFloat(images: Uint8Array): Float32Array {
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = images[i]! / 255;
  return out;
}

/** Per-class counts (sanity checks, stratification). */
export function classCounts(ds: Dataset): number[] {
  const c = new Array<number>(ds.numClasses).fill(0);
  for (let i = 0; i < ds.count; i++) c[ds.labels[i]!]!++;
  return c;
}
