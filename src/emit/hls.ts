/**
 * Vitis HLS project writer. Per-layer contexts come from src/emit/context.ts (shared with the RTL twin), are
 * extended here with the HLS stream plumbing (which width converter feeds which stage, stream element widths,
 * the initialiser text of the weight/threshold ROMs), and only then rendered: one Handlebars partial per layer
 * kind (src/layers/<kind>/hls.hbs, registered as hls_<kind>). The templates only choose template arguments of the layer
 * library in hls/ (FINN habit: pragmas live in the library, the generator instantiates it).
 *
 * Project layout (PRJ/): <top>.cpp/.hpp, params.hpp, <top>_tb.cpp, tb_vectors.bin, run_hls.tcl,
 * hls_config.cfg, vivado.tcl, Makefile, README.md, hls/ (library copy), hls/compat/ (csim-only headers),
 * hls_project.json (manifest read by `cosearch csim` / `cosearch synth`).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDesign, type Design } from '../core/design.js';
import type { IntModel } from '../core/intmodel.js';
import { intInfer } from '../ml/intref.js';
import { DataError } from '../errors.js';
import { copyFileAtomic, packageRoot, writeFileAtomic, writeJsonAtomic } from '../io.js';
import { accumulatorMaxAbs, clampedThreshold, foldedWeight, layerContexts, type LayerContext } from './context.js';
import { registerKindPartials, registerPartials, renderTemplate } from './render.js';
import { kindOf } from '../layers/registry.js';

export const HLS_MANIFEST = 'hls_project.json';
export const HLS_VECTORS = 'tb_vectors.bin';
/** Widest ap_uint the generated code may use: the AP_INT_MAX_W the generated header sets for the vendor types. */
export const HLS_MAX_WORD_BITS = 4096;
/** Logits leave the kernel as signed 32-bit words. */
export const HLS_LOGIT_BITS = 32;

/**
 * Full Vivado part names for the short names of constraints/parts (device + a common board package/speed grade:
 * PYNQ-Z2 / ZedBoard, ZC706, Ultra96, ZCU104, ZCU102, VCU118, Alveo U50/U250/U280 product briefs). A design whose
 * target part is already a full name is used as is.
 */
export const HLS_FULL_PART: Record<string, string> = {
  xc7z020: 'xc7z020clg400-1',
  xc7z045: 'xc7z045ffg900-2',
  xczu3eg: 'xczu3eg-sbva484-1-e',
  xczu7ev: 'xczu7ev-ffvc1156-2-e',
  xczu9eg: 'xczu9eg-ffvb1156-2-e',
  xcvu9p: 'xcvu9p-flga2104-2L-e',
  xcu50: 'xcu50-fsvh2104-2-e',
  xcu250: 'xcu250-figd2104-2L-e',
  xcu280: 'xcu280-fsvh2892-2L-e',
};

export interface HlsManifest {
  format: 'cosearch-hls-project';
  version: 1;
  top: string;
  design: Design;
  partFull: string;
  clockMHz: number;
  testCount: number;
  numLogits: number;
  intervalCycles: number;
  bottleneck: string;
  /** per layer: cycles = cost model of the main loop, swgCycles = the cost model's window generator figure (0 without one) */
  layers: Array<{ index: number; name: string; kind: string; pe: number; simd: number; cycles: number; swgCycles: number; outSize: number }>;
  sources: string[];
  tbSources: string[];
  /**
   * the top function's AXI4-Stream contract: `in` words of inBits (ap_axiu<inBits,0,0,0>, one pixel each, channel c
   * at bits [c*bits+bits-1 : c*bits]), inWordsPerImage per image, TLAST on the last (set by the sender, not used);
   * `out` words of 32 bits (one sign-extended logit each), outWordsPerImage per image, TLAST on the last
   */
  axis?: { inBits: number; inWordsPerImage: number; pixelBits: number; outBits: number; outWordsPerImage: number };
}

/** HLS-specific view of one layer (LayerContext + stream plumbing + ROM initialisers). */
export interface HlsLayerContext extends Omit<LayerContext, 'weights' | 'thresholds' | 'info' | 'weightStyle' | 'thresholdStyle'> {
  /** the stream the matrix unit reads (conv / depthwise: the window stream, otherwise `src`), sized by COSEARCH_FIFO */
  fifoStream: string;
  partial: string;
  cname: string;
  summary: string;
  bitsLabel: string;
  prevStream: string;
  /** stream the layer's first stage reads */
  src: string;
  hasDwc: boolean;
  dwcInElems: number;
  dwcOutElems: number;
  inTotal: number;
  outElems: number;
  outBits: number;
  outSigned: boolean;
  outWords: number;
  outSize: number;
  outName: string;
  rawName: string;
  wBinary: boolean;
  thresholdBits: number;
  accMaxAbs: number;
  accMaxAbsPlus1: number;
  /** packed weight words: SIMD*W bits in `limbs` limbs of `limbBits` bits (hls/cs_common.hpp rom_pack) */
  wordBits: number;
  limbs: number;
  limbBits: number;
  /** BIND_STORAGE impl of the weight / threshold memories (the cost model's memory choice) */
  weightImpl: 'bram' | 'lutram' | '';
  thresholdImpl: 'bram' | 'lutram' | '';
  weightInit: string;
  thresholdInit: string;
  /** max(cycles, swgCycles): the slower of the layer's stages */
  stageCycles: number;
  nfLabel: string;
  sfLabel: string;
  simdLabel: string;
}

export function sanitizeIdent(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(t) ? t : `_${t}`;
}

export function hlsTopName(design: Design): string {
  return `${sanitizeIdent(design.name)}_top`;
}

export function fullPartName(part: string): string {
  return HLS_FULL_PART[part] ?? part;
}

function nested(dims: number[], at: (idx: number[]) => number): string {
  const rec = (d: number, prefix: number[]): string => {
    const parts: string[] = [];
    for (let i = 0; i < dims[d]!; i++) {
      const idx = [...prefix, i];
      parts.push(d === dims.length - 1 ? String(at(idx)) : rec(d + 1, idx));
    }
    return d === dims.length - 1 ? `{${parts.join(', ')}}` : `{\n${parts.join(',\n')}}`;
  };
  return rec(0, []);
}

/**
 * Limbs of a packed `bits`-wide memory word, the rule of hls/cs_common.hpp rom_pack (the C++ array types check it):
 * one limb up to 64 bits, else ceil(bits/64) equal limbs of ceil(bits/limbs) bits.
 */
export function romPack(bits: number): { limbs: number; limbBits: number } {
  const limbs = Math.ceil(bits / 64);
  return { limbs, limbBits: Math.ceil(bits / limbs) };
}

/** Integer literal of one limb (hex; unsigned suffix where the value may not fit an int). */
function limbLiteral(v: bigint | number, limbBits: number): string {
  const hex = `0x${v.toString(16)}`;
  return limbBits <= 31 ? hex : limbBits <= 32 ? `${hex}u` : `${hex}ull`;
}

/**
 * Initialiser of the packed weight memories [PE][NF*SF][limbs]: word nf*SF + sf of PE p packs the SIMD weights
 * W[nf*PE + p][sf*SIMD + s] at bits [s*W+W-1 : s*W] (1-bit weights as codes, k-bit in two's complement).
 */
export function packedWeightInit(c: LayerContext): string {
  const wb = c.wBits;
  const { limbs, limbBits } = romPack(c.simd * wb);
  const mask = (1 << wb) - 1;
  const pes: string[] = [];
  const limb = new Array<bigint>(limbs);
  for (let p = 0; p < c.pe; p++) {
    const words: string[] = [];
    for (let a = 0; a < c.weightDepth; a++) {
      const nf = Math.floor(a / c.sf);
      const sf = a % c.sf;
      if (limbBits <= 30) {
        // one limb of at most 30 bits: plain numbers
        let v = 0;
        for (let s = 0; s < c.simd; s++) {
          const w = foldedWeight(c, p, nf, sf, s);
          v |= ((wb === 1 ? (w > 0 ? 1 : 0) : w) & mask) << (s * wb);
        }
        words.push(`{${limbLiteral(v >>> 0, limbBits)}}`);
        continue;
      }
      limb.fill(0n);
      for (let s = 0; s < c.simd; s++) {
        const w = foldedWeight(c, p, nf, sf, s);
        const code = BigInt((wb === 1 ? (w > 0 ? 1 : 0) : w) & mask);
        for (let b = 0; b < wb; b++) {
          const bit = s * wb + b;
          if ((code >> BigInt(b)) & 1n) limb[Math.floor(bit / limbBits)]! |= 1n << BigInt(bit % limbBits);
        }
      }
      words.push(`{${limb.map((x) => limbLiteral(x, limbBits)).join(', ')}}`);
    }
    pes.push(`{${words.join(', ')}}`);
  }
  return `{\n${pes.join(',\n')}}`;
}

const bindImpl = (s: 'lutram' | 'bram' | 'none'): 'bram' | 'lutram' | '' => (s === 'none' ? '' : s);

/** Compute the HLS contexts of every layer (pure apart from reading the model). */
export function hlsLayerContexts(model: IntModel): HlsLayerContext[] {
  const ctxs = layerContexts(model);
  const d = model.design;
  const lastCompute = ctxs.map((c) => c.compute).lastIndexOf(true);
  let prevStream = 'in_data';
  let prevElems = d.input.channels;
  const out: HlsLayerContext[] = [];
  for (const c of ctxs) {
    const jp = `/layers/${c.index}`;
    if (c.index > lastCompute) throw new DataError(`layer ${c.name} follows the classifier; the HLS backend needs the last compute layer to be the last layer`, { jsonPath: jp, hint: 'remove layers after the last conv/dense layer' });
    const cname = `L${c.index}_${sanitizeIdent(c.name)}`;
    const view = kindOf(c.info.layer).hls(c);
    const consume = view.consume;
    const inTotal = c.inH * c.inW * c.inC;
    const outElems = c.pe;
    const compute = c.compute;
    const outBits = !compute ? c.inBits : c.isLast ? c.accBits : c.outBits;
    if (c.isLast && c.accBits > HLS_LOGIT_BITS) throw new DataError(`the logits of ${c.name} need ${c.accBits} bits, more than the ${HLS_LOGIT_BITS}-bit output stream`, { jsonPath: jp, hint: 'use fewer weight or input bits in the last layers' });
    const outSize = c.outH * c.outW * c.outC;
    const words = [consume * c.inBits, outElems * outBits, prevElems * c.inBits, view.innerWordBits];
    if (Math.max(...words) > HLS_MAX_WORD_BITS) throw new DataError(`layer ${c.name} needs a ${Math.max(...words)}-bit stream word, more than ${HLS_MAX_WORD_BITS}`, { jsonPath: jp, hint: 'use a smaller simd or pe' });
    const maxAbs = compute ? accumulatorMaxAbs(c) : 0;
    let weightInit = '';
    let thresholdInit = '';
    const pack = romPack(Math.max(1, c.simd * c.wBits));
    if (compute) {
      weightInit = packedWeightInit(c);
      if (!c.isLast) thresholdInit = nested([c.pe, c.nf, c.numThresholds], ([p, nf, t]) => clampedThreshold(c, nf! * c.pe + p!, t!));
    }
    const bitsLabel = compute ? `W${c.wBits}${c.inBipolar ? ' (in bipolar)' : ''} / ${c.isLast ? `logits ${c.accBits}b` : `A${c.outBits}`}` : `A${c.inBits}`;
    const summary = compute ? `${view.summary}, ${bitsLabel}, PE ${c.pe} SIMD ${c.simd}` : `${view.summary}, PE ${c.pe}`;
    const { weights: _w, thresholds: _t, info: _i, weightStyle: _s, thresholdStyle: _ts, ...rest } = c;
    void _w;
    void _t;
    void _i;
    void _s;
    void _ts;
    const hasDwc = prevElems !== consume;
    out.push({
      ...rest,
      partial: `hls_${view.partial}`,
      cname,
      summary,
      bitsLabel,
      prevStream,
      src: hasDwc ? `${cname}_in` : prevStream,
      fifoStream: view.partial === 'conv' || view.partial === 'depthwise' ? `${cname}_win` : hasDwc ? `${cname}_in` : prevStream,
      hasDwc,
      dwcInElems: prevElems,
      dwcOutElems: consume,
      inTotal,
      outElems,
      outBits,
      outSigned: c.isLast,
      outWords: outSize / outElems,
      outSize,
      outName: `${cname}_out`,
      rawName: `${cname}_raw`,
      wBinary: c.wBits === 1,
      thresholdBits: c.accBits + 1,
      accMaxAbs: maxAbs,
      accMaxAbsPlus1: maxAbs + 1,
      wordBits: c.simd * c.wBits,
      limbs: pack.limbs,
      limbBits: pack.limbBits,
      weightImpl: compute ? bindImpl(c.weightStyle) : '',
      thresholdImpl: compute && !c.isLast ? bindImpl(c.thresholdStyle) : '',
      weightInit,
      thresholdInit,
      stageCycles: Math.max(c.cycles, c.swgCycles),
      nfLabel: compute ? String(c.nf) : '-',
      sfLabel: compute ? String(c.sf) : '-',
      simdLabel: compute ? String(c.simd) : '-',
    });
    prevStream = `${cname}_out`;
    prevElems = outElems;
  }
  return out;
}

/** Test vector file: header + per image (pixels, label, expected output of every layer). */
export function buildTestVectors(model: IntModel, layers: HlsLayerContext[], images: Uint8Array, count: number, labels?: Uint8Array): Buffer {
  const d = model.design;
  const imageBytes = d.input.height * d.input.width * d.input.channels;
  if (images.length < imageBytes * count) throw new DataError(`test images hold ${Math.floor(images.length / imageBytes)} images of ${imageBytes} bytes, ${count} requested`);
  const elemBytes = layers.map((l) => (l.isLast ? 4 : 1));
  const header = Buffer.alloc(20 + 8 * layers.length);
  header.write('CSTV', 0, 'latin1');
  header.writeUInt32LE(1, 4);
  header.writeUInt32LE(count, 8);
  header.writeUInt32LE(imageBytes, 12);
  header.writeUInt32LE(layers.length, 16);
  layers.forEach((l, i) => {
    header.writeUInt32LE(l.outSize, 20 + 8 * i);
    header.writeUInt32LE(elemBytes[i]!, 24 + 8 * i);
  });
  const recordBytes = imageBytes + 1 + layers.reduce((s, l, i) => s + l.outSize * elemBytes[i]!, 0);
  const body = Buffer.alloc(recordBytes * count);
  for (let n = 0; n < count; n++) {
    const img = images.subarray(n * imageBytes, (n + 1) * imageBytes);
    let off = n * recordBytes;
    body.set(img, off);
    off += imageBytes;
    body.writeUInt8(labels ? labels[n]! : 255, off);
    off += 1;
    const r = intInfer(model, img);
    r.layerOutputs.forEach((y, i) => {
      if (elemBytes[i] === 4) for (let k = 0; k < y.length; k++, off += 4) body.writeInt32LE(y[k]!, off);
      else for (let k = 0; k < y.length; k++, off += 1) body.writeUInt8(y[k]!, off);
    });
  }
  return Buffer.concat([header, body]);
}

export interface EmitHlsOptions {
  testImages: Uint8Array;
  testCount: number;
  labels?: Uint8Array;
  /** where the images come from (README / testbench comment), e.g. "fashion-mnist test split" */
  testSource?: string;
}

/** One line on where the integer model comes from (its meta: a QAT export or a random test model). */
export function modelSource(model: IntModel): string {
  const m = model.meta ?? {};
  if (typeof m.source === 'string') return m.seed !== undefined ? `${m.source}, seed ${String(m.seed)}` : m.source;
  if (typeof m.dataset === 'string') {
    const acc = typeof m.intTestAcc === 'number' ? `, integer test accuracy ${(100 * m.intTestAcc).toFixed(2)}%` : '';
    return `QAT on ${m.dataset}${m.epochs !== undefined ? `, ${String(m.epochs)} epoch(s)` : ''}${acc}`;
  }
  return 'intmodel';
}

/** Render the whole project context (no file I/O). */
export function hlsProjectContext(model: IntModel, outDir: string, opts: { testCount: number; testSource?: string }) {
  const { issues } = analyzeDesign(model.design);
  if (issues.length) throw new DataError(issues[0]!.message, { jsonPath: `/design${issues[0]!.jsonPath}`, hint: issues[0]!.hint });
  const d = model.design;
  const layers = hlsLayerContexts(model);
  const last = layers[layers.length - 1]!;
  const top = hlsTopName(d);
  let bottleneck = layers[0]!;
  for (const l of layers) if (l.cycles > bottleneck.cycles) bottleneck = l;
  let slowestStage = layers[0]!;
  for (const l of layers) if (l.stageCycles > slowestStage.stageCycles) slowestStage = l;
  const clockMHz = d.target.clockMHz;
  const testCount = opts.testCount;
  return {
    version: '0.1.0',
    designName: d.name,
    modelSource: modelSource(model),
    top,
    guard: `${top.toUpperCase()}_HPP`,
    macro: top.toUpperCase(),
    inH: d.input.height,
    inW: d.input.width,
    inC: d.input.channels,
    inBits: d.input.bits,
    inWordBits: d.input.channels * d.input.bits,
    inPixels: d.input.height * d.input.width,
    numLogits: last.outSize,
    numLayers: layers.length,
    layers,
    computeLayers: layers.filter((l) => l.compute),
    last,
    bottleneck: bottleneck.name,
    intervalCycles: bottleneck.cycles,
    fpsModel: Math.floor((clockMHz * 1e6) / bottleneck.cycles),
    stageBottleneck: slowestStage.name,
    stageIntervalCycles: slowestStage.stageCycles,
    swgNote: slowestStage.stageCycles > bottleneck.cycles,
    layerNamesInit: layers.map((l) => JSON.stringify(l.name)).join(', '),
    layerSizesInit: layers.map((l) => String(l.outSize)).join(', '),
    vectorsFile: HLS_VECTORS,
    testCount,
    testSource: opts.testSource ?? 'test images',
    csimImages: Math.min(testCount, 100),
    cosimImages: Math.min(testCount, 2),
    part: d.target.part,
    partFull: fullPartName(d.target.part),
    clockMHz,
    clockHz: Math.round(clockMHz * 1e6),
    periodNs: Number((1000 / clockMHz).toFixed(3)),
    prjDirToken: resolve(outDir),
  };
}

const PROJECT_FILES: Array<[template: string, out: (top: string) => string]> = [
  ['top.cpp.hbs', (t) => `${t}.cpp`],
  ['top.hpp.hbs', (t) => `${t}.hpp`],
  ['params.hpp.hbs', () => 'params.hpp'],
  ['tb.cpp.hbs', (t) => `${t}_tb.cpp`],
  ['run_hls.tcl.hbs', () => 'run_hls.tcl'],
  ['hls_config.cfg.hbs', () => 'hls_config.cfg'],
  ['vivado.tcl.hbs', () => 'vivado.tcl'],
  ['Makefile.hbs', () => 'Makefile'],
  ['README.md.hbs', () => 'README.md'],
];

/** Write the Vitis HLS project for `model` into outDir (see the file comment). */
export function emitHls(model: IntModel, outDir: string, opts: EmitHlsOptions): { files: string[] } {
  if (!Number.isInteger(opts.testCount) || opts.testCount < 1) throw new DataError(`testCount must be a positive integer, got ${opts.testCount}`);
  const ctx = hlsProjectContext(model, outDir, opts);
  registerPartials('hls/partials');
  registerKindPartials('hls');
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  for (const [tpl, name] of PROJECT_FILES) {
    const file = join(outDir, name(ctx.top));
    writeFileAtomic(file, renderTemplate(`hls/${tpl}`, ctx));
    files.push(file);
  }
  // the layer library and the csim-only compat headers travel with the project
  const lib = join(packageRoot(), 'hls');
  for (const [sub, ext] of [['', '.hpp'], ['compat', '.h']] as const) {
    const from = join(lib, sub);
    const to = join(outDir, 'hls', sub);
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from).filter((x) => x.endsWith(ext)).sort()) {
      copyFileAtomic(join(from, f), join(to, f));
      files.push(join(to, f));
    }
  }
  const vec = join(outDir, HLS_VECTORS);
  writeFileAtomic(vec, buildTestVectors(model, ctx.layers, opts.testImages, opts.testCount, opts.labels));
  files.push(vec);
  const manifest: HlsManifest = {
    format: 'cosearch-hls-project',
    version: 1,
    top: ctx.top,
    design: model.design,
    partFull: ctx.partFull,
    clockMHz: ctx.clockMHz,
    testCount: opts.testCount,
    numLogits: ctx.numLogits,
    intervalCycles: ctx.intervalCycles,
    bottleneck: ctx.bottleneck,
    layers: ctx.layers.map((l) => ({ index: l.index, name: l.name, kind: l.kind, pe: l.pe, simd: l.simd, cycles: l.cycles, swgCycles: l.swgCycles, outSize: l.outSize })),
    sources: [`${ctx.top}.cpp`],
    tbSources: [`${ctx.top}_tb.cpp`],
    axis: { inBits: ctx.inWordBits, inWordsPerImage: ctx.inPixels, pixelBits: ctx.inBits, outBits: HLS_LOGIT_BITS, outWordsPerImage: ctx.numLogits },
  };
  const mf = join(outDir, HLS_MANIFEST);
  writeJsonAtomic(mf, manifest);
  files.push(mf);
  return { files };
}
