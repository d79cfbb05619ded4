/**
 * One ResourceReport shape for every source of resource figures: the analytical estimate, Vitis HLS csynth
 * reports and yosys synthesis. Any two reports can be diffed layer by layer (src/core/report-diff.ts).
 * JSON Schema: constraints/schemas/report.schema.json.
 */

export interface ResourceFigures {
  /** LUTs used as logic plus LUTs used as memory (LUTRAM/SRL) */
  lut: number;
  /** LUTs used as memory (subset of lut); null when the source does not say */
  lutram: number | null;
  ff: number;
  /** BRAM in 18 Kb units (a RAMB36 counts 2) */
  bram18: number;
  dsp: number;
  uram: number;
}

export interface LayerResources extends ResourceFigures {
  name: string;
  kind: string;
  /** cycles per image (initiation interval of this layer) or null when unknown */
  cycles: number | null;
  /** true on the slowest layer(s) */
  bottleneck: boolean;
  /** free-form per-layer details (pe, simd, memory style, ...) */
  details?: Record<string, number | string | boolean | null>;
}

export interface PartCapacity {
  name: string;
  family: string;
  lut: number;
  ff: number;
  bram18: number;
  dsp: number;
  uram: number;
}

/** One loop's schedule as a C-synthesis report gives it (src/synth/csynth-parse.ts). */
export interface LoopSchedule {
  /** module (TopModelName of its report) */
  module: string;
  /** loop label, outer/inner for nested loops */
  loop: string;
  tripCount: number | null;
  latency: number | null;
  pipelined: boolean;
  /** achieved II (PipelineII); null when not pipelined */
  achievedII: number | null;
  /** requested II from the log's `Pipelining result` line; null when the log does not say */
  targetII: number | null;
  depth: number | null;
  /** the II the cost model assumed */
  modelII: number;
  /** 'ii': achieved II above the model's; 'not-pipelined': an innermost loop without a pipeline; null: as modelled */
  flag: 'ii' | 'not-pipelined' | null;
}

export interface ResourceReport {
  format: 'cosearch-resource-report';
  version: 1;
  design: string;
  part: PartCapacity;
  clockMHz: number;
  source: {
    /** 'estimate' | 'vitis-hls' | 'yosys' */
    tool: string;
    /** tool version or calibration name for estimates */
    version: string;
    calibration?: string;
    createdAt?: string;
  };
  layers: LayerResources[];
  total: ResourceFigures;
  performance: {
    /** initiation interval in cycles per image (slowest layer); null when unknown ('undef') */
    intervalCycles: number | null;
    latencyCycles: number | null;
    /** images per second at clockMHz */
    fps: number | null;
    latencyUs: number | null;
    /** achieved clock estimate from the tool (csynth), null when not reported */
    estimatedClockMHz: number | null;
    bottleneck: string | null;
  };
  /** fraction of the part used, total / capacity */
  utilization: { lut: number; ff: number; bram18: number; dsp: number; uram: number };
  /** Vitis HLS only: every loop's achieved II against the model's (flag set where they differ) */
  loops?: LoopSchedule[];
}

export function zeroFigures(): ResourceFigures {
  return { lut: 0, lutram: 0, ff: 0, bram18: 0, dsp: 0, uram: 0 };
}

export function sumFigures(xs: ResourceFigures[]): ResourceFigures {
  const t = zeroFigures();
  let lutramKnown = true;
  for (const x of xs) {
    t.lut += x.lut;
    t.ff += x.ff;
    t.bram18 += x.bram18;
    t.dsp += x.dsp;
    t.uram += x.uram;
    if (x.lutram === null) lutramKnown = false;
    else t.lutram = (t.lutram ?? 0) + x.lutram;
  }
  if (!lutramKnown) t.lutram = null;
  return t;
}

export function utilization(total: ResourceFigures, part: PartCapacity): ResourceReport['utilization'] {
  const f = (u: number, c: number): number => (c > 0 ? u / c : u > 0 ? Infinity : 0);
  return { lut: f(total.lut, part.lut), ff: f(total.ff, part.ff), bram18: f(total.bram18, part.bram18), dsp: f(total.dsp, part.dsp), uram: f(total.uram, part.uram) };
}
