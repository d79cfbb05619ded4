/**
 * The analytical estimate of a design: per-layer cycles and resources from the cost model (src/core/cost),
 * throughput = f_clk / max layer cycles, latency = sum of layer cycles + layerPipelineLatencyCycles per layer.
 * Pure and fast: the per-layer hot path is `layerCost` (no allocation); estimateDesign wraps it and builds
 * the ResourceReport (src/core/report.ts).
 */
import { DataError } from '../errors.js';
import { analyzeDesign, type Design, type LayerInfo } from './design.js';
import { kindOf } from '../layers/registry.js';
import { costParams, type Calibration, type CostParams } from './calibration.js';
import { geomFromInfo, layerCost } from './cost/layer.js';
import { addDwc } from './cost/stream.js';
import { MEM_BRAM, memStyleName } from './cost/memory.js';
import { multKindName, newCostOut, type LayerGeom } from './cost/types.js';
import { partCapacity, type Part } from './part.js';
import { sumFigures, utilization, type LayerResources, type ResourceReport } from './report.js';

export const ESTIMATE_MODEL_VERSION = 'cosearch-model-1';

/** Layer infos of a design; semantic problems -> DataError (65) with the JSON path. */
export function checkedInfos(design: Design, file?: string): LayerInfo[] {
  const { infos, issues } = analyzeDesign(design);
  if (issues.length) {
    const i = issues[0]!;
    throw new DataError(i.message, { file: file ?? `design ${design.name}`, jsonPath: i.jsonPath, hint: i.hint });
  }
  return infos;
}

/** Numeric geometry of every layer of a design (for the fast paths: fold, search). */
export function designGeoms(design: Design, infos = checkedInfos(design)): LayerGeom[] {
  return infos.map(geomFromInfo);
}

/** The effective (pe, simd) of every layer (its kind decides: a pool's pe defaults to the producer's pe). */
export function effectiveFolding(design: Design): { pe: number[]; simd: number[] } {
  const pe: number[] = [];
  const simd: number[] = [];
  let producer = design.input.channels;
  for (const l of design.layers) {
    const f = kindOf(l).folding(l, producer);
    pe.push(f.pe);
    simd.push(f.simd);
    producer = f.pe;
  }
  return { pe, simd };
}

function shapeStr(s: { height: number; width: number; channels: number }): string {
  return `${s.height}x${s.width}x${s.channels}`;
}

/** Analytical ResourceReport of a design on a part with a calibration (clock from design.target). */
export function estimateDesign(design: Design, part: Part, calib: Calibration, opts: { clockMHz?: number } = {}): ResourceReport {
  return estimateFromInfos(design, checkedInfos(design), part, calib, opts.clockMHz);
}

/**
 * estimateDesign with the layer infos already computed (by checkedInfos on this design, or on a design that differs
 * only in pe/simd/pool pe: shapes, bits and memStyle must be the same). Used by the folding optimizer.
 */
export function estimateFromInfos(design: Design, infos: LayerInfo[], part: Part, calib: Calibration, clockMHzOverride?: number): ResourceReport {
  const p: CostParams = costParams(calib);
  const { pe, simd } = effectiveFolding(design);
  const clockMHz = clockMHzOverride ?? design.target.clockMHz;
  const out = newCostOut();
  const layers: LayerResources[] = [];
  let maxCycles = 0;
  let sumCycles = 0;
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i]!;
    const g = geomFromInfo(info);
    layerCost(p, g, pe[i]!, simd[i]!, out);
    // the width converter from the producer's words (PE elements; the image: its channels) to what the layer reads:
    // its LUTs and FFs are the layer's, its cycles only reported (src/core/cost/stream.ts addDwc)
    addDwc(p, i === 0 ? design.input.channels : pe[i - 1]!, g, out);
    if (out.cycles > maxCycles) maxCycles = out.cycles;
    sumCycles += out.cycles;
    const isPool = !kindOf(info.layer).compute;
    const details: Record<string, number | string | boolean | null> = {
      pe: pe[i]!,
      simd: isPool ? null : simd[i]!,
      inShape: shapeStr(info.inShape),
      outShape: shapeStr(info.outShape),
      inBits: info.inBits,
      inBipolar: info.inBipolar,
      wBits: isPool ? null : g.wBits,
      outBits: info.isLast ? null : info.outBits,
      accBits: isPool ? null : info.accBits,
      isLast: info.isLast,
    };
    if (out.dwcCycles > 0) {
      details.dwcInElems = i === 0 ? design.input.channels : pe[i - 1]!;
      details.dwcOutElems = out.inWordElems;
      details.dwcLuts = out.dwcLuts;
      details.dwcFfs = out.dwcFfs;
      details.dwcCycles = out.dwcCycles;
    }
    if (!isPool) {
      details.inFifoDepth = out.inFifoDepth;
      details.inFifoMem = out.inFifoStyle === MEM_BRAM ? 'bram' : 'srl';
      details.inFifoLuts = out.inFifoLuts;
      details.inFifoBram18 = out.inFifoBram18;
      details.nf = g.mh / pe[i]!;
      details.sf = g.mw / simd[i]!;
      details.mvauCycles = out.mvauCycles;
      details.swgCycles = out.swgCycles;
      details.multiplier = multKindName(out.multKind);
      details.computeLuts = Math.round(out.computeLuts);
      details.weightMem = memStyleName(out.weightStyle);
      details.weightDepth = (g.mh / pe[i]!) * (g.mw / simd[i]!);
      details.weightWidth = simd[i]! * g.wBits;
      details.weightLuts = out.weightLuts;
      details.weightBram18 = out.weightBram18;
      details.thresholdMem = memStyleName(out.thresholdStyle);
      details.thresholdLuts = out.thresholdLuts;
      details.thresholdBram18 = out.thresholdBram18;
      details.swgLuts = out.swgLuts;
      details.swgBram18 = out.swgBram18;
      if (out.swgLuts > 0) details.swgBufferMem = memStyleName(out.bufferStyle);
    } else {
      details.bufferMem = memStyleName(out.bufferStyle);
    }
    layers.push({
      name: info.name,
      kind: info.kind,
      cycles: out.cycles,
      bottleneck: false,
      // (each rounded up on its own, as the folding optimizer sums them: src/core/fold.ts chainDwc)
      lut: Math.ceil(out.lut) + Math.ceil(out.dwcLuts),
      lutram: Math.ceil(out.lutram),
      ff: Math.ceil(out.ff) + Math.ceil(out.dwcFfs),
      bram18: out.bram18,
      dsp: out.dsp,
      uram: 0,
      details,
    });
  }
  let bottleneck: string | null = null;
  for (const l of layers) {
    if (l.cycles === maxCycles && maxCycles > 0) {
      l.bottleneck = true;
      bottleneck ??= l.name;
    }
  }
  const total = sumFigures(layers);
  const cap = partCapacity(part);
  const latencyCycles = sumCycles + p.layerPipelineLatencyCycles * layers.length;
  return {
    format: 'cosearch-resource-report',
    version: 1,
    design: design.name,
    part: cap,
    clockMHz,
    source: { tool: 'estimate', version: ESTIMATE_MODEL_VERSION, calibration: calib.name },
    layers,
    total,
    performance: {
      intervalCycles: maxCycles,
      latencyCycles,
      fps: maxCycles > 0 ? (clockMHz * 1e6) / maxCycles : null,
      latencyUs: latencyCycles / clockMHz,
      estimatedClockMHz: null,
      bottleneck,
    },
    utilization: utilization(total, cap),
  };
}
