/**
 * The architecture + bit-width search space (pure: no fs, no tfjs).
 *
 * A space (constraints/space/*.json, schema constraints/schemas/space.schema.json) describes a family of
 * streaming CNNs: a sequence of conv blocks, each optionally followed by a max-pool (the pooling positions),
 * then hidden dense layers, then the dense classifier. A conv block is a plain k x k convolution or, when the space
 * lists "separable" in conv.blocks, a depthwise-separable block (depthwise k x k + pointwise 1x1, both with the
 * block's weight and activation bits; MobileNet, Howard et al. 2017) — never the first block. A candidate is a `Genome` (plain data) choosing, per
 * layer, channels / kernel / padding / pooling / weight and activation bits. `toDesign` turns it into the
 * design IR (pe = simd = 1; the folding optimizer sets them), and every genome produced here (sample, mutate,
 * crossover) is valid per `analyzeDesign` and within the space's limits.
 *
 * `encodeGenome` gives a fixed-length numeric vector for the accuracy predictor; `genomeKey` a canonical string
 * used to deduplicate candidates (two genomes with the same key build the same design).
 */
import { analyzeDesign, isCompute, type Design, type Layer } from './design.js';
import { kindOf } from '../layers/registry.js';

const isSpatial = (l: Layer): boolean => kindOf(l).spatial;
import type { Rng } from './rng.js';

export type Padding = 'same' | 'valid';
export type ConvBlock = 'conv' | 'separable';

export interface SearchSpace {
  format: 'cosearch-space';
  version: 1;
  name: string;
  description?: string;
  input: { height: number; width: number; channels: number; bits: number };
  numClasses: number;
  conv: {
    minLayers: number;
    maxLayers: number;
    channels: number[];
    kernels: number[];
    padding: Padding[];
    poolSize: number;
    poolProbability: number;
    maxPools?: number;
    wBits: number[];
    aBits: number[];
    firstWBits?: number[];
    /** block choices (default ['conv']): 'separable' = depthwise k x k + pointwise 1x1 */
    blocks?: ConvBlock[];
  };
  dense: { minLayers: number; maxLayers: number; widths: number[]; wBits: number[]; aBits: number[] };
  classifier: { wBits: number[] };
  maxFlattenFeatures?: number;
  clockMHz: number;
}

export interface ConvGene {
  ch: number;
  k: number;
  pad: Padding;
  pool: boolean;
  w: number;
  a: number;
  /** depthwise-separable block instead of a plain conv (absent = plain) */
  sep?: boolean;
}

export interface DenseGene {
  width: number;
  w: number;
  a: number;
}

export interface Genome {
  convs: ConvGene[];
  dense: DenseGene[];
  /** classifier weight bits */
  outW: number;
}

/** Canonical key: equal keys <=> equal designs (up to folding). */
export function genomeKey(g: Genome): string {
  const c = g.convs.map((x) => `${x.sep ? 'ds' : 'c'}${x.ch}k${x.k}${x.pad === 'same' ? 's' : 'v'}${x.pool ? 'p' : ''}w${x.w}a${x.a}`).join('-');
  const d = g.dense.map((x) => `d${x.width}w${x.w}a${x.a}`).join('-');
  return `${c}|${d}|o${g.outW}`;
}

export function cloneGenome(g: Genome): Genome {
  return { convs: g.convs.map((c) => ({ ...c })), dense: g.dense.map((d) => ({ ...d })), outW: g.outW };
}

function padOf(c: ConvGene): number {
  return c.pad === 'same' ? Math.floor((c.k - 1) / 2) : 0;
}

/** The design IR of a genome (pe = simd = 1 everywhere; fold it before estimating). */
export function toDesign(g: Genome, space: SearchSpace, name = genomeKey(g)): Design {
  const layers: Layer[] = [];
  for (const c of g.convs) {
    if (c.sep) {
      layers.push({ kind: 'depthwise', kernel: c.k, padding: padOf(c), wBits: c.w, aBits: c.a, pe: 1, simd: 1 });
      layers.push({ kind: 'pointwise', outChannels: c.ch, wBits: c.w, aBits: c.a, pe: 1, simd: 1 });
    } else layers.push({ kind: 'conv', outChannels: c.ch, kernel: c.k, padding: padOf(c), wBits: c.w, aBits: c.a, pe: 1, simd: 1 });
    if (c.pool) layers.push({ kind: 'maxpool', size: space.conv.poolSize });
  }
  for (const d of g.dense) layers.push({ kind: 'dense', outFeatures: d.width, wBits: d.w, aBits: d.a, pe: 1, simd: 1 });
  layers.push({ kind: 'dense', outFeatures: space.numClasses, wBits: g.outW, pe: 1, simd: 1 });
  return { version: 1, name: designName(name), input: { ...space.input }, layers, target: { part: 'xc7z020', clockMHz: space.clockMHz } };
}

/** A design name safe for file names and C++ identifiers derived from a key. */
export function designName(key: string): string {
  return 'n_' + key.replace(/\|/g, '_').replace(/-/g, '_').replace(/[^A-Za-z0-9_]/g, '');
}

/** Spatial size after the conv stack, or null when some layer does not fit. */
function convStackShape(g: Genome, space: SearchSpace): { h: number; w: number; c: number } | null {
  let h = space.input.height;
  let w = space.input.width;
  let c = space.input.channels;
  for (const x of g.convs) {
    const p = padOf(x);
    h = h + 2 * p - x.k + 1;
    w = w + 2 * p - x.k + 1;
    if (h < 1 || w < 1) return null;
    c = x.ch;
    if (x.pool) {
      if (h < space.conv.poolSize || w < space.conv.poolSize) return null;
      h = Math.floor(h / space.conv.poolSize);
      w = Math.floor(w / space.conv.poolSize);
    }
  }
  return { h, w, c };
}

/** Why a genome is not a member of the space ([] = valid). Checks the space's lists and the IR's semantic checks. */
export function genomeIssues(g: Genome, space: SearchSpace): string[] {
  const out: string[] = [];
  const cs = space.conv;
  if (g.convs.length < cs.minLayers || g.convs.length > cs.maxLayers) out.push(`${g.convs.length} conv layers outside [${cs.minLayers}, ${cs.maxLayers}]`);
  if (g.dense.length < space.dense.minLayers || g.dense.length > space.dense.maxLayers) out.push(`${g.dense.length} hidden dense layers outside [${space.dense.minLayers}, ${space.dense.maxLayers}]`);
  g.convs.forEach((c, i) => {
    if (!cs.channels.includes(c.ch)) out.push(`conv ${i}: channels ${c.ch} not in the space`);
    if (!cs.kernels.includes(c.k)) out.push(`conv ${i}: kernel ${c.k} not in the space`);
    if (!cs.padding.includes(c.pad)) out.push(`conv ${i}: padding ${c.pad} not in the space`);
    const wl = i === 0 && cs.firstWBits ? cs.firstWBits : cs.wBits;
    if (!wl.includes(c.w)) out.push(`conv ${i}: wBits ${c.w} not in the space`);
    if (!cs.aBits.includes(c.a)) out.push(`conv ${i}: aBits ${c.a} not in the space`);
    if (c.sep && !blocksOf(space).includes('separable')) out.push(`conv ${i}: separable block not in the space`);
    if (c.sep && i === 0) out.push('conv 0: the first block is a plain conv (a depthwise layer on the input channels)');
  });
  const pools = g.convs.filter((c) => c.pool).length;
  if (cs.maxPools !== undefined && pools > cs.maxPools) out.push(`${pools} pooling layers > maxPools ${cs.maxPools}`);
  g.dense.forEach((d, i) => {
    if (!space.dense.widths.includes(d.width)) out.push(`dense ${i}: width ${d.width} not in the space`);
    if (!space.dense.wBits.includes(d.w)) out.push(`dense ${i}: wBits ${d.w} not in the space`);
    if (!space.dense.aBits.includes(d.a)) out.push(`dense ${i}: aBits ${d.a} not in the space`);
  });
  if (!space.classifier.wBits.includes(g.outW)) out.push(`classifier wBits ${g.outW} not in the space`);
  const shape = convStackShape(g, space);
  if (!shape) out.push('the conv stack shrinks the image below a kernel or pool window');
  else if (space.maxFlattenFeatures !== undefined && shape.h * shape.w * shape.c > space.maxFlattenFeatures)
    out.push(`flattened conv output ${shape.h}x${shape.w}x${shape.c} = ${shape.h * shape.w * shape.c} > maxFlattenFeatures ${space.maxFlattenFeatures}`);
  if (out.length === 0) {
    const { issues } = analyzeDesign(toDesign(g, space));
    for (const i of issues) out.push(`${i.jsonPath}: ${i.message}`);
  }
  return out;
}

export function isValidGenome(g: Genome, space: SearchSpace): boolean {
  return genomeIssues(g, space).length === 0;
}

/** The space's conv block choices (default: plain conv only). */
export function blocksOf(space: SearchSpace): ConvBlock[] {
  return space.conv.blocks ?? ['conv'];
}

function sampleConv(space: SearchSpace, rng: Rng, first: boolean): ConvGene {
  const cs = space.conv;
  const g: ConvGene = {
    ch: rng.pick(cs.channels),
    k: rng.pick(cs.kernels),
    pad: rng.pick(cs.padding),
    pool: rng.next() < cs.poolProbability,
    w: rng.pick(first && cs.firstWBits ? cs.firstWBits : cs.wBits),
    a: rng.pick(cs.aBits),
  };
  // one more draw only in spaces with a block choice (the sequences of plain-conv spaces stay as they were)
  const blocks = blocksOf(space);
  if (blocks.length > 1 && rng.pick(blocks) === 'separable' && !first) g.sep = true;
  return g;
}

function sampleDense(space: SearchSpace, rng: Rng): DenseGene {
  return { width: rng.pick(space.dense.widths), w: rng.pick(space.dense.wBits), a: rng.pick(space.dense.aBits) };
}

/**
 * Make a genome structurally valid where a local fix exists: enforce maxPools, drop pools that do not fit,
 * switch a too-large valid conv to same padding, and add pooling (earliest first) while the flattened conv
 * output is larger than maxFlattenFeatures. Returns the genome (mutated in place).
 */
export function repairGenome(g: Genome, space: SearchSpace): Genome {
  const cs = space.conv;
  if (g.convs[0]?.sep) delete g.convs[0].sep;
  let pools = 0;
  let h = space.input.height;
  let w = space.input.width;
  for (const c of g.convs) {
    let p = padOf(c);
    if (h + 2 * p - c.k + 1 < 1 || w + 2 * p - c.k + 1 < 1) {
      if (cs.padding.includes('same')) c.pad = 'same';
      p = padOf(c);
      if (h + 2 * p - c.k + 1 < 1 || w + 2 * p - c.k + 1 < 1) c.k = Math.min(...cs.kernels);
      p = padOf(c);
    }
    h = h + 2 * p - c.k + 1;
    w = w + 2 * p - c.k + 1;
    if (c.pool && ((cs.maxPools !== undefined && pools >= cs.maxPools) || h < cs.poolSize || w < cs.poolSize)) c.pool = false;
    if (c.pool) {
      pools++;
      h = Math.floor(h / cs.poolSize);
      w = Math.floor(w / cs.poolSize);
    }
  }
  if (space.maxFlattenFeatures !== undefined) {
    for (let i = 0; i < g.convs.length; i++) {
      const s = convStackShape(g, space);
      if (!s || s.h * s.w * s.c <= space.maxFlattenFeatures) break;
      const c = g.convs[i]!;
      if (!c.pool && (cs.maxPools === undefined || g.convs.filter((x) => x.pool).length < cs.maxPools)) {
        c.pool = true;
        if (!convStackShape(g, space)) c.pool = false;
      }
    }
  }
  return g;
}

const MAX_TRIES = 200;

/** Sample a valid genome uniformly per choice (layer counts uniform in their ranges). */
export function sampleGenome(space: SearchSpace, rng: Rng): Genome {
  for (let t = 0; t < MAX_TRIES; t++) {
    const nc = rng.int(space.conv.minLayers, space.conv.maxLayers);
    const nd = rng.int(space.dense.minLayers, space.dense.maxLayers);
    const g: Genome = {
      convs: Array.from({ length: nc }, (_, i) => sampleConv(space, rng, i === 0)),
      dense: Array.from({ length: nd }, () => sampleDense(space, rng)),
      outW: rng.pick(space.classifier.wBits),
    };
    repairGenome(g, space);
    if (isValidGenome(g, space)) return g;
  }
  throw new Error(`search space ${space.name}: no valid candidate after ${MAX_TRIES} samples (check the input size, kernels and maxFlattenFeatures)`);
}

function otherChoice<T>(xs: readonly T[], cur: T, rng: Rng): T {
  if (xs.length <= 1) return cur;
  for (;;) {
    const v = rng.pick(xs);
    if (v !== cur) return v;
  }
}

/** One random edit (a gene value, a pooling flag, or adding/removing a layer); always returns a valid genome. */
export function mutateGenome(parent: Genome, space: SearchSpace, rng: Rng): Genome {
  const cs = space.conv;
  for (let t = 0; t < MAX_TRIES; t++) {
    const g = cloneGenome(parent);
    const op = rng.int(0, 9);
    if (op <= 5 && g.convs.length > 0) {
      const i = rng.int(0, g.convs.length - 1);
      const c = g.convs[i]!;
      // the block toggle (6) exists only in spaces with a block choice, so plain spaces draw as before
      switch (rng.int(0, blocksOf(space).length > 1 ? 6 : 5)) {
        case 0: c.ch = otherChoice(cs.channels, c.ch, rng); break;
        case 1: c.k = otherChoice(cs.kernels, c.k, rng); break;
        case 2: c.pad = otherChoice(cs.padding, c.pad, rng); break;
        case 3: c.pool = !c.pool; break;
        case 4: c.w = otherChoice(i === 0 && cs.firstWBits ? cs.firstWBits : cs.wBits, c.w, rng); break;
        case 5: c.a = otherChoice(cs.aBits, c.a, rng); break;
        default:
          if (c.sep) delete c.sep;
          else c.sep = true;
          break;
      }
    } else if (op === 6) {
      // add or remove a conv layer
      if (g.convs.length < cs.maxLayers && (rng.next() < 0.5 || g.convs.length <= cs.minLayers)) g.convs.splice(rng.int(0, g.convs.length), 0, sampleConv(space, rng, false));
      else if (g.convs.length > cs.minLayers) g.convs.splice(rng.int(0, g.convs.length - 1), 1);
      if (g.convs.length > 0 && cs.firstWBits && !cs.firstWBits.includes(g.convs[0]!.w)) g.convs[0]!.w = rng.pick(cs.firstWBits);
    } else if (op === 7) {
      const ds = space.dense;
      if (g.dense.length < ds.maxLayers && (rng.next() < 0.5 || g.dense.length <= ds.minLayers)) g.dense.splice(rng.int(0, g.dense.length), 0, sampleDense(space, rng));
      else if (g.dense.length > ds.minLayers) g.dense.splice(rng.int(0, g.dense.length - 1), 1);
    } else if (op === 8 && g.dense.length > 0) {
      const d = g.dense[rng.int(0, g.dense.length - 1)]!;
      switch (rng.int(0, 2)) {
        case 0: d.width = otherChoice(space.dense.widths, d.width, rng); break;
        case 1: d.w = otherChoice(space.dense.wBits, d.w, rng); break;
        default: d.a = otherChoice(space.dense.aBits, d.a, rng); break;
      }
    } else {
      g.outW = otherChoice(space.classifier.wBits, g.outW, rng);
    }
    repairGenome(g, space);
    if (isValidGenome(g, space) && genomeKey(g) !== genomeKey(parent)) return g;
  }
  return sampleGenome(space, rng);
}

/** Uniform crossover aligned by layer index; the child's layer counts come from one parent. Always valid. */
export function crossoverGenomes(a: Genome, b: Genome, space: SearchSpace, rng: Rng): Genome {
  for (let t = 0; t < MAX_TRIES; t++) {
    const nc = rng.next() < 0.5 ? a.convs.length : b.convs.length;
    const nd = rng.next() < 0.5 ? a.dense.length : b.dense.length;
    const pickConv = (i: number): ConvGene => {
      const x = a.convs[i];
      const y = b.convs[i];
      const src = x && y ? (rng.next() < 0.5 ? x : y) : (x ?? y)!;
      return { ...src };
    };
    const pickDense = (i: number): DenseGene => {
      const x = a.dense[i];
      const y = b.dense[i];
      return { ...(x && y ? (rng.next() < 0.5 ? x : y) : (x ?? y)!) };
    };
    const g: Genome = {
      convs: Array.from({ length: nc }, (_, i) => pickConv(i)),
      dense: Array.from({ length: nd }, (_, i) => pickDense(i)),
      outW: rng.next() < 0.5 ? a.outW : b.outW,
    };
    if (g.convs.length > 0 && space.conv.firstWBits && !space.conv.firstWBits.includes(g.convs[0]!.w)) g.convs[0]!.w = rng.pick(space.conv.firstWBits);
    repairGenome(g, space);
    if (isValidGenome(g, space)) return g;
  }
  return cloneGenome(rng.next() < 0.5 ? a : b);
}

/** Length of `encodeGenome`'s vector for a space. */
export function encodingLength(space: SearchSpace): number {
  return space.conv.maxLayers * 7 + space.dense.maxLayers * 4 + 1;
}

const log2 = Math.log2;

/**
 * Fixed-length numeric encoding (for the predictor), values roughly in [0, 1]:
 * per conv slot [present, log2(ch)/7, k/7, same, pool, wBits/8, aBits/8], per dense slot
 * [present, log2(width)/10, wBits/8, aBits/8], then classifier wBits/8. Absent slots are zeros.
 */
export function encodeGenome(g: Genome, space: SearchSpace, out?: Float32Array, offset = 0): Float32Array {
  const n = encodingLength(space);
  const v = out ?? new Float32Array(n);
  if (out) v.fill(0, offset, offset + n);
  let o = offset;
  for (let i = 0; i < space.conv.maxLayers; i++, o += 7) {
    const c = g.convs[i];
    if (!c) continue;
    v[o] = 1;
    v[o + 1] = log2(c.ch) / 7;
    v[o + 2] = c.k / 7;
    v[o + 3] = c.pad === 'same' ? 1 : 0;
    v[o + 4] = c.pool ? 1 : 0;
    v[o + 5] = c.w / 8;
    v[o + 6] = c.a / 8;
  }
  for (let i = 0; i < space.dense.maxLayers; i++, o += 4) {
    const d = g.dense[i];
    if (!d) continue;
    v[o] = 1;
    v[o + 1] = log2(d.width) / 10;
    v[o + 2] = d.w / 8;
    v[o + 3] = d.a / 8;
  }
  v[o] = g.outW / 8;
  return v;
}

/** Cheap architecture statistics (no training, no forward pass). */
export interface CheapFeatures {
  /** weights (parameters without thresholds) */
  params: number;
  /** sum over layers of MACs * wBits * inBits (bit-operations per image, as in the BOPs measure of Baskin et al. 2021) */
  bitOps: number;
  /** weight memory in bits */
  weightBits: number;
  /** MACs per image */
  macs: number;
  /** of those, the MACs of kinds that train slowly (LayerKind.slowQatMacs: depthwise) */
  slowMacs: number;
  /** flattened features entering the first dense layer */
  flatten: number;
  /** min over layers of the activation bits (information bottleneck) */
  minABits: number;
  convLayers: number;
  pools: number;
}

export function cheapFeatures(g: Genome, space: SearchSpace): CheapFeatures {
  // direct arithmetic on the genome (same shapes as analyzeDesign(toDesign(g)); checked by the tests)
  let h = space.input.height;
  let w = space.input.width;
  let c = space.input.channels;
  let inBits = space.input.bits;
  let params = 0;
  let bitOps = 0;
  let weightBits = 0;
  let macs = 0;
  let slowMacs = 0;
  let minA = 8;
  const layer = (n: number, pixels: number, wBits: number): void => {
    params += n;
    weightBits += n * wBits;
    macs += n * pixels;
    bitOps += n * pixels * wBits * inBits;
  };
  for (const x of g.convs) {
    const p = padOf(x);
    h = h + 2 * p - x.k + 1;
    w = w + 2 * p - x.k + 1;
    if (x.sep) {
      // depthwise (K*K per channel) on the block input, then pointwise on its x.a-bit output
      layer(x.k * x.k * c, h * w, x.w);
      slowMacs += x.k * x.k * c * h * w;
      inBits = x.a;
      layer(c * x.ch, h * w, x.w);
    } else layer(x.k * x.k * c * x.ch, h * w, x.w);
    c = x.ch;
    inBits = x.a;
    minA = Math.min(minA, x.a);
    if (x.pool) {
      h = Math.floor(h / space.conv.poolSize);
      w = Math.floor(w / space.conv.poolSize);
    }
  }
  const flatten = h * w * c;
  let inF = flatten;
  for (const d of g.dense) {
    layer(inF * d.width, 1, d.w);
    inF = d.width;
    inBits = d.a;
    minA = Math.min(minA, d.a);
  }
  layer(inF * space.numClasses, 1, g.outW);
  return { params, bitOps, weightBits, macs, slowMacs, flatten, minABits: minA, convLayers: g.convs.length, pools: g.convs.filter((x) => x.pool).length };
}

/** Reference implementation of cheapFeatures through the design IR (slower; used by the tests). */
export function cheapFeaturesViaDesign(g: Genome, space: SearchSpace): CheapFeatures {
  const { infos } = analyzeDesign(toDesign(g, space));
  let params = 0;
  let bitOps = 0;
  let weightBits = 0;
  let macs = 0;
  let slowMacs = 0;
  let flatten = 0;
  let minA = 8;
  for (const info of infos) {
    const l = info.layer;
    if (!isCompute(l)) continue;
    const n = info.matrixW * info.matrixH;
    params += n;
    weightBits += n * l.wBits;
    const m = n * info.outPixels;
    macs += m;
    if (kindOf(l).slowQatMacs) slowMacs += m;
    bitOps += m * l.wBits * info.inBits;
    // the first layer that flattens (not spatial: dense)
    if (!isSpatial(l) && flatten === 0) flatten = info.matrixW;
    if (!info.isLast && l.aBits !== undefined) minA = Math.min(minA, l.aBits);
  }
  return { params, bitOps, weightBits, macs, slowMacs, flatten, minABits: minA, convLayers: g.convs.length, pools: g.convs.filter((c) => c.pool).length };
}

/** Cheap features as a normalised vector (log scales), appended to the encoding for the predictor. */
/**
 * Compact architecture encoding for the accuracy predictor: what limits a quantized CNN after a short schedule,
 * summarised over its layers (a fixed length whatever the depth). The per-slot encoding (encodeGenome) has ~40
 * mostly-empty inputs and over-fits tables of a few hundred rows (5-fold CV Kendall tau 0.70 vs 0.72-0.73 with this
 * one on the shipped 260-row Fashion-MNIST table; `npx tsx bench/predictor.ts`).
 *   [layers with 1-bit activations, min activation bits, min weight bits, layers with 1-bit weights,
 *    log2 of the narrowest layer, conv layers, dense layers, classifier weight bits, first conv's activation bits,
 *    last activation bits, log2 of the first conv's channels], each scaled to about [0, 1].
 */
export const ARCH_SUMMARY_NAMES = ['a1Layers', 'minABits', 'minWBits', 'w1Layers', 'log2MinWidth', 'convs', 'denses', 'outWBits', 'firstABits', 'lastABits', 'log2FirstCh'] as const;

export function architectureSummary(g: Genome): number[] {
  let a1 = 0;
  let w1 = 0;
  let minA = 8;
  let minW = g.outW;
  let minWidth = 1024;
  let lastA = 8;
  const layer = (w: number, a: number, width: number): void => {
    if (a === 1) a1++;
    if (w === 1) w1++;
    if (a < minA) minA = a;
    if (w < minW) minW = w;
    if (width < minWidth) minWidth = width;
    lastA = a;
  };
  for (const c of g.convs) layer(c.w, c.a, c.ch);
  for (const d of g.dense) layer(d.w, d.a, d.width);
  if (g.outW === 1) w1++;
  return [a1 / 4, minA / 8, minW / 8, w1 / 4, Math.log2(minWidth) / 10, g.convs.length / 6, g.dense.length / 4, g.outW / 8, (g.convs[0]?.a ?? 8) / 8, lastA / 8, Math.log2(g.convs[0]?.ch ?? 1) / 7];
}

export const CHEAP_FEATURE_NAMES = ['log2Params', 'log2BitOps', 'log2WeightBits', 'log2Macs', 'log2Flatten', 'minABits', 'convLayers', 'pools'] as const;

export function cheapFeatureVector(f: CheapFeatures): number[] {
  const l = (x: number): number => Math.log2(1 + x);
  return [l(f.params) / 20, l(f.bitOps) / 40, l(f.weightBits) / 24, l(f.macs) / 30, l(f.flatten) / 14, f.minABits / 8, f.convLayers / 6, f.pools / 4];
}

/** The same architecture with every bit width set to `bits` (clamped into each list). Used by the separate baseline. */
export function withUniformBits(g: Genome, space: SearchSpace, bits: number): Genome {
  const near = (xs: number[]): number => xs.reduce((b, x) => (Math.abs(x - bits) < Math.abs(b - bits) || (Math.abs(x - bits) === Math.abs(b - bits) && x > b) ? x : b), xs[0]!);
  const c = cloneGenome(g);
  c.convs.forEach((x, i) => {
    x.w = near(i === 0 && space.conv.firstWBits ? space.conv.firstWBits : space.conv.wBits);
    x.a = near(space.conv.aBits);
  });
  c.dense.forEach((x) => {
    x.w = near(space.dense.wBits);
    x.a = near(space.dense.aBits);
  });
  c.outW = near(space.classifier.wBits);
  return c;
}

/** The smallest member of the space: fewest/narrowest layers, smallest kernels, most pooling, fewest bits. */
export function smallestGenome(space: SearchSpace): Genome {
  const cs = space.conv;
  const min = (xs: number[]): number => Math.min(...xs);
  const g: Genome = {
    convs: Array.from({ length: cs.minLayers }, (_, i) => ({
      ch: min(cs.channels),
      k: min(cs.kernels),
      pad: cs.padding.includes('valid') ? 'valid' : 'same',
      pool: cs.poolProbability > 0,
      w: min(i === 0 && cs.firstWBits ? cs.firstWBits : cs.wBits),
      a: min(cs.aBits),
    })),
    dense: Array.from({ length: space.dense.minLayers }, () => ({ width: min(space.dense.widths), w: min(space.dense.wBits), a: min(space.dense.aBits) })),
    outW: min(space.classifier.wBits),
  };
  return repairGenome(g, space);
}
