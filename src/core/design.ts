/**
 * The design IR: one plain-data description of a quantized CNN and its streaming dataflow implementation.
 * The hardware model, the folding optimizer, the QAT engine and every emitter (HLS, RTL) read this same
 * per-layer configuration, so an estimate and the code it describes cannot drift apart.
 *
 * Conventions (shared by the QAT engine, the integer reference, the HLS library and the RTL twin):
 * - Tensors are HWC (channel innermost); a stream carries pixels in raster order, channels interleaved.
 * - Conv: stride 1, square kernel K, zero padding P ("code 0": for a 1-bit bipolar input that is -1).
 *   Its weight matrix is [outChannels][K*K*inChannels] with columns ordered (ky, kx, ci).
 * - Max-pool: K x K window, stride K (floor on odd sizes).
 * - Dense after a conv/pool stack flattens HWC in raster order.
 * - wBits = 1 is bipolar {-1,+1} (FINN's binary/XNOR); k >= 2 is symmetric signed [-(2^(k-1)-1), 2^(k-1)-1].
 * - aBits is the layer's OUTPUT activation width: 1 is bipolar sign, k >= 2 is unsigned [0, 2^k-1] (after ReLU).
 *   The last compute layer has no activation: it emits integer logits (its aBits is ignored and may be omitted).
 * - The network input is `input.bits`-bit unsigned (8 for images).
 */

export const SUPPORTED_BITS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export type Bits = (typeof SUPPORTED_BITS)[number];
export type MemStyle = 'auto' | 'lutram' | 'bram';

export interface InputSpec {
  height: number;
  width: number;
  channels: number;
  /** bits per input element (unsigned); 8 for images */
  bits: number;
}

export interface ConvLayer {
  kind: 'conv';
  name?: string;
  outChannels: number;
  kernel: number;
  /** zero padding on each side (code 0) */
  padding: number;
  /** only 1 is supported; present for clarity */
  stride?: 1;
  wBits: number;
  aBits?: number;
  pe: number;
  simd: number;
  /** where weights live; 'auto' lets the model pick LUTRAM below a size threshold */
  memStyle?: MemStyle;
}

export interface PoolLayer {
  kind: 'maxpool';
  name?: string;
  size: number;
  /** channels processed per cycle; defaults to the producer's PE (or the input's channels) */
  pe?: number;
}

export interface DenseLayer {
  kind: 'dense';
  name?: string;
  outFeatures: number;
  wBits: number;
  aBits?: number;
  pe: number;
  simd: number;
  memStyle?: MemStyle;
}

export type Layer = ConvLayer | PoolLayer | DenseLayer;
export type ComputeLayer = ConvLayer | DenseLayer;

export interface Target {
  part: string;
  clockMHz: number;
}

export interface Design {
  /** IR format version */
  version: 1;
  name: string;
  input: InputSpec;
  layers: Layer[];
  target: Target;
}

export interface Shape {
  height: number;
  width: number;
  channels: number;
}

/** Everything about one layer that can be derived from the design: shapes, bit widths in and out, matrix sizes. */
export interface LayerInfo {
  index: number;
  name: string;
  kind: Layer['kind'];
  layer: Layer;
  inShape: Shape;
  outShape: Shape;
  /** bits of the input elements; `inSigned` tells whether they are bipolar (1-bit) or unsigned */
  inBits: number;
  inBipolar: boolean;
  /** bits of the output elements (outBits 0 / logits for the last compute layer) */
  outBits: number;
  outBipolar: boolean;
  /** true for the final compute layer (integer logits, no thresholds) */
  isLast: boolean;
  /** MVAU matrix: MW = K*K*Cin (conv) or inFeatures (dense), MH = outChannels; 0 for pools */
  matrixW: number;
  matrixH: number;
  /** output pixels per image: OFM^2 for conv, 1 for dense, OFM^2 for pool */
  outPixels: number;
  /** accumulator bits needed (signed), from the worst-case sum; 0 for pools */
  accBits: number;
}

export function isCompute(l: Layer): l is ComputeLayer {
  return l.kind === 'conv' || l.kind === 'dense';
}

export function layerName(l: Layer, i: number): string {
  return l.name ?? `${l.kind}${i}`;
}

/** A semantic problem found in a design, with the JSON path of the offending value. */
export interface DesignIssue {
  jsonPath: string;
  message: string;
  hint?: string;
}

export function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/**
 * Legal PE values of a compute layer: divisors of the output channels / features (MH).
 */
export function legalPe(info: LayerInfo): number[] {
  return divisors(info.matrixH);
}

/**
 * Legal SIMD values. Dense: divisors of the input features. Conv: divisors of K*K*Cin that keep every SIMD
 * word inside one pixel or made of whole pixels, i.e. SIMD divides Cin, or SIMD = Cin * m with m dividing K*K.
 * (A subset of the divisors of K*K*Cin: the sliding-window generator then emits whole pixels, which the
 * HLS library and the RTL twin both rely on.)
 */
export function legalSimd(info: LayerInfo): number[] {
  if (info.kind === 'dense') return divisors(info.matrixW);
  if (info.kind !== 'conv') return [];
  const cin = info.inShape.channels;
  const k2 = (info.layer as ConvLayer).kernel ** 2;
  const set = new Set<number>(divisors(cin));
  for (const m of divisors(k2)) set.add(cin * m);
  return [...set].sort((a, b) => a - b);
}

/** Signed accumulator width for a dot product of `n` terms of given operand ranges (+1 sign bit). */
export function accumulatorBits(n: number, wBits: number, inBits: number, inBipolar: boolean): number {
  const wMax = wBits === 1 ? 1 : 2 ** (wBits - 1) - 1;
  const xMax = inBipolar ? 1 : 2 ** inBits - 1;
  const maxAbs = n * wMax * xMax;
  return Math.ceil(Math.log2(maxAbs + 1)) + 1;
}

/**
 * Infer shapes and per-layer derived facts. Returns the infos and a list of problems (empty when valid).
 * Pure: no exceptions for bad designs, so callers can report every problem with its JSON path.
 */
export function analyzeDesign(d: Design): { infos: LayerInfo[]; issues: DesignIssue[] } {
  const issues: DesignIssue[] = [];
  const infos: LayerInfo[] = [];
  let shape: Shape = { height: d.input.height, width: d.input.width, channels: d.input.channels };
  let bits = d.input.bits;
  let bipolar = false;
  let flat = false;
  const lastCompute = d.layers.map(isCompute).lastIndexOf(true);
  if (lastCompute < 0) issues.push({ jsonPath: '/layers', message: 'the design has no conv or dense layer' });
  else if (d.layers[lastCompute]!.kind !== 'dense' && lastCompute === d.layers.length - 1) {
    // a conv as classifier is allowed only if its output is 1x1
  }
  let producerPe = d.input.channels;
  d.layers.forEach((l, i) => {
    const p = `/layers/${i}`;
    const inShape = { ...shape };
    const isLast = i === lastCompute;
    let outShape: Shape = inShape;
    let matrixW = 0;
    let matrixH = 0;
    let outPixels = 0;
    let outBits = bits;
    let outBipolar = bipolar;
    let accBits = 0;
    if (l.kind === 'conv') {
      if (flat) issues.push({ jsonPath: p, message: 'conv layer after a dense layer', hint: 'put all conv and maxpool layers before the dense layers' });
      if (l.stride !== undefined && l.stride !== 1) issues.push({ jsonPath: `${p}/stride`, message: `stride ${l.stride} is not supported`, hint: 'use stride 1 and a maxpool layer to downsample' });
      const oh = inShape.height + 2 * l.padding - l.kernel + 1;
      const ow = inShape.width + 2 * l.padding - l.kernel + 1;
      if (oh < 1 || ow < 1) issues.push({ jsonPath: `${p}/kernel`, message: `kernel ${l.kernel} with padding ${l.padding} does not fit the ${inShape.height}x${inShape.width} input of this layer`, hint: 'use a smaller kernel, more padding, or fewer pooling layers before it' });
      if (l.padding >= l.kernel) issues.push({ jsonPath: `${p}/padding`, message: `padding ${l.padding} must be smaller than the kernel ${l.kernel}` });
      outShape = { height: Math.max(oh, 0), width: Math.max(ow, 0), channels: l.outChannels };
      matrixW = l.kernel * l.kernel * inShape.channels;
      matrixH = l.outChannels;
      outPixels = outShape.height * outShape.width;
    } else if (l.kind === 'maxpool') {
      if (flat) issues.push({ jsonPath: p, message: 'maxpool layer after a dense layer' });
      if (l.size > inShape.height || l.size > inShape.width) issues.push({ jsonPath: `${p}/size`, message: `pool size ${l.size} is larger than its ${inShape.height}x${inShape.width} input` });
      outShape = { height: Math.floor(inShape.height / l.size), width: Math.floor(inShape.width / l.size), channels: inShape.channels };
      outPixels = outShape.height * outShape.width;
      const pe = l.pe ?? producerPe;
      if (inShape.channels % pe !== 0) issues.push({ jsonPath: `${p}/pe`, message: `pe ${pe} does not divide the ${inShape.channels} channels`, hint: `choose one of ${divisors(inShape.channels).join(', ')}` });
      if (isLast) issues.push({ jsonPath: p, message: 'a maxpool cannot be the last compute layer' });
    } else if (l.kind === 'dense') {
      flat = true;
      matrixW = inShape.height * inShape.width * inShape.channels;
      matrixH = l.outFeatures;
      outShape = { height: 1, width: 1, channels: l.outFeatures };
      outPixels = 1;
    } else {
      issues.push({ jsonPath: `${p}/kind`, message: `unknown layer kind ${JSON.stringify((l as { kind: unknown }).kind)}`, hint: 'use conv, maxpool or dense' });
    }
    if (isCompute(l)) {
      if (!isLast) {
        if (l.aBits === undefined) issues.push({ jsonPath: `${p}/aBits`, message: 'aBits is required on every compute layer but the last', hint: 'set aBits to 1, 2, 3, 4 or 8' });
        outBits = l.aBits ?? 1;
        outBipolar = outBits === 1;
      } else {
        outBits = 0;
        outBipolar = false;
      }
      accBits = accumulatorBits(matrixW, l.wBits, bits, bipolar);
      if (!(SUPPORTED_BITS as readonly number[]).includes(l.wBits)) issues.push({ jsonPath: `${p}/wBits`, message: `wBits ${l.wBits} is not supported`, hint: `use one of ${SUPPORTED_BITS.join(', ')}` });
      if (l.aBits !== undefined && !(SUPPORTED_BITS as readonly number[]).includes(l.aBits)) issues.push({ jsonPath: `${p}/aBits`, message: `aBits ${l.aBits} is not supported`, hint: `use one of ${SUPPORTED_BITS.join(', ')}` });
    }
    const info: LayerInfo = {
      index: i, name: layerName(l, i), kind: l.kind, layer: l, inShape, outShape,
      inBits: bits, inBipolar: bipolar, outBits, outBipolar, isLast,
      matrixW, matrixH, outPixels, accBits,
    };
    if (isCompute(l) && matrixW > 0 && matrixH > 0) {
      if (!Number.isInteger(l.pe) || matrixH % l.pe !== 0) issues.push({ jsonPath: `${p}/pe`, message: `pe ${l.pe} does not divide the ${matrixH} outputs of this layer`, hint: `choose one of ${legalPe(info).join(', ')}` });
      const simds = legalSimd(info);
      if (!simds.includes(l.simd)) issues.push({ jsonPath: `${p}/simd`, message: `simd ${l.simd} is not legal for this layer (matrix width ${matrixW})`, hint: `choose one of ${simds.join(', ')}` });
      producerPe = l.pe;
    } else if (l.kind === 'maxpool') {
      producerPe = l.pe ?? producerPe;
    }
    infos.push(info);
    shape = outShape;
    bits = outBits;
    bipolar = outBipolar;
  });
  return { infos, issues };
}

/** Shape info of a design known to be valid; throws on the first problem (for internal use after validation). */
export function layerInfos(d: Design): LayerInfo[] {
  const { infos, issues } = analyzeDesign(d);
  if (issues.length) throw new Error(`invalid design ${d.name}: ${issues[0]!.jsonPath}: ${issues[0]!.message}`);
  return infos;
}

/** Number of classes = outputs of the last compute layer. */
export function numClasses(d: Design): number {
  const infos = layerInfos(d);
  return infos.filter((i) => i.isLast)[0]!.matrixH;
}

export function cloneDesign(d: Design): Design {
  return JSON.parse(JSON.stringify(d)) as Design;
}
