/**
 * Parser for the Vitis HLS / Vivado HLS C-synthesis XML report `<top>_csynth.xml` into the ResourceReport.
 * Pure (no I/O). Format (as written by the tools, root element <profile>):
 *   ReportVersion/Version                                   tool version, e.g. 2023.2
 *   UserAssignments/{Part, ProductFamily, TopModelName, TargetClockPeriod}
 *   PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod   (ns)
 *   PerformanceEstimates/SummaryOfOverallLatency/{Best-caseLatency, Average-caseLatency, Worst-caseLatency,
 *       Interval-min, Interval-max}                           (cycles; "undef" when the tool cannot bound them)
 *   AreaEstimates/Resources/{BRAM_18K, DSP | DSP48E, FF, LUT, URAM}     used
 *   AreaEstimates/AvailableResources/{...same keys...}                   capacity of the part
 * Older tools (Vivado HLS) say DSP48E and may omit URAM; current Vitis HLS says DSP. Both normalise to `dsp`
 * (hls4ml's habit); `undef` latencies/intervals become null.
 */
import { DataError } from '../errors.js';
import { utilization, type PartCapacity, type ResourceReport } from '../core/report.js';

/** Inner text of the first element `name` inside `xml` (elements of interest do not nest with themselves). */
export function xmlElement(xml: string, name: string): string | undefined {
  const esc = name.replace(/[-[\]{}()*+?.,\\^$|#]/g, '\\$&');
  const m = new RegExp(`<${esc}(?:\\s[^>]*)?>([\\s\\S]*?)</${esc}>`).exec(xml);
  return m ? m[1] : undefined;
}

/** Follow a path of element names. */
export function xmlPath(xml: string, path: string[]): string | undefined {
  let cur: string | undefined = xml;
  for (const p of path) {
    if (cur === undefined) return undefined;
    cur = xmlElement(cur, p);
  }
  return cur?.trim();
}

function num(v: string | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === '' || /^undef$/i.test(t) || t === '-') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export interface CsynthContext {
  /** capacity used when the report has no AvailableResources (and the name/family when it has no Part) */
  part: PartCapacity;
  design: string;
  clockMHz: number;
}

export function parseCsynthXml(xml: string, ctx: CsynthContext, file = '<top>_csynth.xml'): ResourceReport {
  if (!/<profile[\s>]/.test(xml) && !/<AreaEstimates[\s>]/.test(xml)) throw new DataError('not a Vitis HLS csynth report (no <profile> or <AreaEstimates> element)', { file });
  const res = xmlPath(xml, ['AreaEstimates', 'Resources']);
  if (res === undefined) throw new DataError('the csynth report has no AreaEstimates/Resources section', { file, jsonPath: '/profile/AreaEstimates/Resources' });
  const avail = xmlPath(xml, ['AreaEstimates', 'AvailableResources']);
  const used = (sec: string, key: string): number | null | undefined => num(xmlElement(sec, key));
  const need = (key: string, ...alts: string[]): number => {
    for (const k of [key, ...alts]) {
      const v = used(res, k);
      if (v !== undefined && v !== null) return v;
    }
    throw new DataError(`the csynth report has no ${[key, ...alts].join(' / ')} in AreaEstimates/Resources`, { file, jsonPath: `/profile/AreaEstimates/Resources/${key}` });
  };
  const lut = need('LUT');
  const ff = need('FF');
  const bram18 = need('BRAM_18K');
  const dsp = need('DSP', 'DSP48E', 'DSP48E2');
  const uram = used(res, 'URAM') ?? 0;
  const cap = (key: string, fallback: number, ...alts: string[]): number => {
    if (avail !== undefined)
      for (const k of [key, ...alts]) {
        const v = used(avail, k);
        if (typeof v === 'number') return v;
      }
    return fallback;
  };
  const part: PartCapacity = {
    name: xmlPath(xml, ['UserAssignments', 'Part']) ?? ctx.part.name,
    family: xmlPath(xml, ['UserAssignments', 'ProductFamily']) ?? ctx.part.family,
    lut: cap('LUT', ctx.part.lut),
    ff: cap('FF', ctx.part.ff),
    bram18: cap('BRAM_18K', ctx.part.bram18),
    dsp: cap('DSP', ctx.part.dsp, 'DSP48E', 'DSP48E2'),
    uram: cap('URAM', ctx.part.uram),
  };
  const lat = (k: string): number | null => num(xmlPath(xml, ['PerformanceEstimates', 'SummaryOfOverallLatency', k])) ?? null;
  const worst = lat('Worst-caseLatency');
  const interval = lat('Interval-max') ?? lat('Interval-min');
  const estPeriod = num(xmlPath(xml, ['PerformanceEstimates', 'SummaryOfTimingAnalysis', 'EstimatedClockPeriod'])) ?? null;
  const targetPeriod = num(xmlPath(xml, ['UserAssignments', 'TargetClockPeriod'])) ?? null;
  const clockMHz = ctx.clockMHz > 0 ? ctx.clockMHz : targetPeriod ? 1000 / targetPeriod : 0;
  const total = { lut, lutram: null, ff, bram18, dsp, uram };
  const version = xmlPath(xml, ['ReportVersion', 'Version']) ?? 'unknown';
  return {
    format: 'cosearch-resource-report',
    version: 1,
    design: ctx.design,
    part,
    clockMHz,
    source: { tool: 'vitis-hls', version },
    layers: [],
    total,
    performance: {
      intervalCycles: interval,
      latencyCycles: worst,
      fps: interval && interval > 0 && clockMHz > 0 ? (clockMHz * 1e6) / interval : null,
      latencyUs: worst !== null && clockMHz > 0 ? worst / clockMHz : null,
      estimatedClockMHz: estPeriod && estPeriod > 0 ? 1000 / estPeriod : null,
      bottleneck: null,
    },
    utilization: utilization(total, part),
  };
}
