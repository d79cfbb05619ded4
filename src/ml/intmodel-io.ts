/**
 * On-disk integer model: `<dir>/intmodel.json` (versioned, schema constraints/schemas/intmodel.schema.json)
 * plus `<dir>/intmodel.bin` (little-endian: int8 weights, int32 thresholds, at the offsets the JSON names).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, NoInputError } from '../errors.js';
import { readJsonFile, writeFileAtomic, writeJsonAtomic } from '../io.js';
import type { IntComputeLayer, IntLayer, IntModel, IntPoolLayer } from '../core/intmodel.js';
import { validateDesignObject, validateWithSchema } from '../config.js';
import { isCompute, layerInfos } from '../core/design.js';

interface BlobRef {
  offset: number;
  count: number;
  dtype: 'int8' | 'int32';
}
export interface IntModelFile {
  format: 'cosearch-intmodel';
  version: 1;
  binary: string;
  sha256: string;
  design: IntModel['design'];
  meta?: Record<string, unknown>;
  layers: Array<{ kind: 'maxpool' } | { kind: IntComputeLayer['kind']; weights: BlobRef; thresholds: BlobRef | null }>;
}

export const INTMODEL_JSON = 'intmodel.json';
export const INTMODEL_BIN = 'intmodel.bin';

export function writeIntModel(dir: string, model: IntModel): void {
  const chunks: Buffer[] = [];
  let offset = 0;
  const push = (arr: Int8Array | Int32Array, dtype: 'int8' | 'int32'): BlobRef => {
    // align int32 blobs to 4 bytes
    if (dtype === 'int32' && offset % 4 !== 0) {
      const padLen = 4 - (offset % 4);
      chunks.push(Buffer.alloc(padLen));
      offset += padLen;
    }
    const buf = Buffer.alloc(arr.length * (dtype === 'int8' ? 1 : 4));
    for (let i = 0; i < arr.length; i++) {
      if (dtype === 'int8') buf.writeInt8(arr[i]!, i);
      else buf.writeInt32LE(arr[i]!, i * 4);
    }
    const ref = { offset, count: arr.length, dtype };
    chunks.push(buf);
    offset += buf.length;
    return ref;
  };
  // a layer without weights (a kind that is not `compute`) is stored as its kind alone
  const layers: IntModelFile['layers'] = model.layers.map((l) =>
    'weights' in l ? { kind: l.kind, weights: push(l.weights, 'int8'), thresholds: l.thresholds ? push(l.thresholds, 'int32') : null } : { kind: l.kind },
  );
  const bin = Buffer.concat(chunks);
  const file: IntModelFile = {
    format: 'cosearch-intmodel',
    version: 1,
    binary: INTMODEL_BIN,
    sha256: createHash('sha256').update(bin).digest('hex'),
    design: model.design,
    meta: model.meta,
    layers,
  };
  writeFileAtomic(join(dir, INTMODEL_BIN), bin);
  writeJsonAtomic(join(dir, INTMODEL_JSON), file);
}

export function readIntModel(dir: string): IntModel {
  const jsonPath = existsSync(join(dir, INTMODEL_JSON)) ? join(dir, INTMODEL_JSON) : dir.endsWith('.json') ? dir : join(dir, INTMODEL_JSON);
  if (!existsSync(jsonPath)) throw new NoInputError(`integer model not found: ${jsonPath}`, 'pass the output directory of `cosearch train` (it holds intmodel.json and intmodel.bin)');
  const raw = readJsonFile(jsonPath, 'integer model');
  const f = validateWithSchema<IntModelFile>('intmodel', raw, jsonPath);
  validateDesignObject(f.design, jsonPath, '/design');
  const binPath = join(jsonPath, '..', f.binary);
  if (!existsSync(binPath)) throw new NoInputError(`integer model binary not found: ${binPath}`);
  const bin = readFileSync(binPath);
  const sha = createHash('sha256').update(bin).digest('hex');
  if (sha !== f.sha256) throw new DataError(`binary ${binPath} does not match its sha256 (file corrupted or from another export)`, { file: jsonPath, jsonPath: '/sha256', hint: 're-export the model' });
  const infos = layerInfos(f.design);
  if (f.layers.length !== infos.length) throw new DataError(`has ${f.layers.length} layers but its design has ${infos.length}`, { file: jsonPath, jsonPath: '/layers' });
  const read = (ref: BlobRef, p: string): Int8Array | Int32Array => {
    const size = ref.dtype === 'int8' ? 1 : 4;
    if (ref.offset + ref.count * size > bin.length) throw new DataError(`blob runs past the end of ${binPath}`, { file: jsonPath, jsonPath: p });
    if (ref.dtype === 'int8') return Int8Array.from({ length: ref.count }, (_, i) => bin.readInt8(ref.offset + i));
    return Int32Array.from({ length: ref.count }, (_, i) => bin.readInt32LE(ref.offset + i * 4));
  };
  const layers: IntLayer[] = f.layers.map((l, i) => {
    const info = infos[i]!;
    if (l.kind !== info.kind) throw new DataError(`layer kind ${l.kind} differs from the design's ${info.kind}`, { file: jsonPath, jsonPath: `/layers/${i}/kind` });
    if (!isCompute(info.layer)) return { kind: l.kind } as IntPoolLayer;
    if (!('weights' in l)) throw new DataError(`weights missing on the ${l.kind} layer`, { file: jsonPath, jsonPath: `/layers/${i}/weights` });
    if (l.weights.count !== info.matrixW * info.matrixH) throw new DataError(`expected ${info.matrixW * info.matrixH} weights, found ${l.weights.count}`, { file: jsonPath, jsonPath: `/layers/${i}/weights/count` });
    const weights = read(l.weights, `/layers/${i}/weights`) as Int8Array;
    let thresholds: Int32Array | null = null;
    if (!info.isLast) {
      if (!l.thresholds) throw new DataError('thresholds missing on a hidden layer', { file: jsonPath, jsonPath: `/layers/${i}/thresholds` });
      const nt = 2 ** info.outBits - 1;
      if (l.thresholds.count !== nt * info.matrixH) throw new DataError(`expected ${nt * info.matrixH} thresholds, found ${l.thresholds.count}`, { file: jsonPath, jsonPath: `/layers/${i}/thresholds/count` });
      thresholds = read(l.thresholds, `/layers/${i}/thresholds`) as Int32Array;
    }
    return { kind: l.kind, weights, thresholds };
  });
  return { format: 'cosearch-intmodel', version: 1, design: f.design, layers, meta: f.meta };
}
