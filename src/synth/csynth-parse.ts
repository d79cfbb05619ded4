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
import { utilization, type LoopSchedule, type PartCapacity, type ResourceReport } from '../core/report.js';

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

/**
 * Loop schedules. Vitis HLS writes one `<module>_csynth.xml` per synthesized module (function, dataflow process,
 * outlined `*_Pipeline_<loop>` body) next to the top's, in `<solution>/syn/report/` (classic flow) or
 * `<work_dir>/hls/syn/report/` (unified flow). Each lists its loops under
 *   PerformanceEstimates/SummaryOfLoopLatency/<loop label>/{TripCount, Latency, PipelineII, PipelineDepth, ...}
 * (the element's own name is the loop label, e.g. VITIS_LOOP_35_1; a nested loop is a child element of its outer
 * loop; TripCount may be a number or a range/min,max; PipelineII is the achieved II of a pipelined loop and is absent,
 * `-` or `undef` for a loop that is not pipelined). The target II is not in the XML; the log's scheduling message
 * (UG1399 "Synthesizing the Code": `Pipelining result : Target II = 1, Final II = 4, Depth = 6`, newer versions
 * append `, loop 'NAME'` or `, function 'NAME'`) gives it, so it is read from there when the log has it.
 */

export type { LoopSchedule };

/** The initiation interval every cosearch loop is modelled at (src/core/cost: one MAC column per cycle). */
export const MODEL_LOOP_II = 1;


/** Loop fields of SummaryOfLoopLatency entries; any other child element is a nested loop. */
const LOOP_FIELDS = new Set([
  'TripCount', 'Latency', 'AbsoluteTimeLatency', 'IterationLatency', 'PipelineII', 'PipelineDepth', 'PipelineType',
  'InstanceList', 'Slack', 'Name', 'unit', 'range', 'min', 'max',
]);

/** Direct child elements of an XML fragment, in order: [name, inner text]. Self-closing children have ''. */
export function xmlChildren(xml: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const tag = /<(\/?)([A-Za-z_][\w.\-:]*)[^>]*?(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  let depth = 0;
  let open: { name: string; start: number } | null = null;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[2] === undefined) continue; // comment / processing instruction
    const [, close, name, selfClose] = m;
    if (selfClose) {
      if (depth === 0) out.push([name!, '']);
    } else if (close) {
      depth--;
      if (depth === 0 && open && open.name === name) {
        out.push([name!, xml.slice(open.start, m.index)]);
        open = null;
      }
    } else {
      if (depth === 0) open = { name: name!, start: m.index + m[0].length };
      depth++;
    }
  }
  return out;
}

/** A count that may be written as a number or as a range (`<range><min>..</min><max>..</max></range>`, `1 ~ 512`). */
function countOf(v: string | undefined): number | null {
  if (v === undefined) return null;
  const max = xmlElement(v, 'max');
  if (max !== undefined) return num(max) ?? null;
  const t = v.trim();
  const range = /^(\d+)\s*~\s*(\d+)$/.exec(t);
  if (range) return Number(range[2]);
  return num(t) ?? null;
}

/** The loops of one module report (empty when it has none). */
export function parseCsynthLoops(xml: string, modelII = MODEL_LOOP_II): LoopSchedule[] {
  const module = xmlPath(xml, ['UserAssignments', 'TopModelName']) ?? 'unknown';
  const summary = xmlPath(xml, ['PerformanceEstimates', 'SummaryOfLoopLatency']);
  if (summary === undefined) return [];
  const out: LoopSchedule[] = [];
  const walk = (frag: string, prefix: string): void => {
    for (const [name, body] of xmlChildren(frag)) {
      if (LOOP_FIELDS.has(name)) continue;
      const label = prefix ? `${prefix}/${xmlPath(body, ['Name']) ?? name}` : (xmlPath(body, ['Name']) ?? name);
      const fields = new Map(xmlChildren(body));
      const ii = num(fields.get('PipelineII'));
      const pipelined = typeof ii === 'number';
      const inner = xmlChildren(body).some(([n]) => !LOOP_FIELDS.has(n));
      const flag = pipelined ? (ii! > modelII ? 'ii' : null) : inner ? null : 'not-pipelined';
      out.push({
        module,
        loop: label,
        tripCount: countOf(fields.get('TripCount')),
        latency: countOf(fields.get('Latency')),
        pipelined,
        achievedII: pipelined ? ii! : null,
        targetII: null,
        depth: num(fields.get('PipelineDepth')) ?? null,
        modelII,
        flag,
      });
      walk(body, label);
    }
  };
  walk(summary, '');
  return out;
}

/** `Pipelining result` lines of a Vitis HLS log: target and final II, with the loop's name when the tool prints it. */
export function parsePipeliningLog(log: string): Array<{ name: string | null; targetII: number | null; finalII: number | null; depth: number | null }> {
  const re = /Pipelining result\s*:\s*Target II\s*[=:]\s*(\w+)\s*,\s*Final II\s*[=:]\s*(\w+)\s*,\s*Depth\s*[=:]\s*(\w+)(?:\s*,\s*(?:loop|function)\s+'([^']+)')?/g;
  const out = [];
  const n = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : null);
  for (let m = re.exec(log); m; m = re.exec(log)) out.push({ name: m[4] ?? null, targetII: n(m[1]!), finalII: n(m[2]!), depth: n(m[3]!) });
  return out;
}

/**
 * Every loop of a set of module reports (one per module: a module seen twice, e.g. csynth.xml beside
 * <top>_csynth.xml, counts once), with the target II from the log where the log names the loop.
 */
export function collectLoopSchedules(reports: string[], log = '', modelII = MODEL_LOOP_II): LoopSchedule[] {
  const seen = new Set<string>();
  const loops: LoopSchedule[] = [];
  for (const xml of reports) {
    const module = xmlPath(xml, ['UserAssignments', 'TopModelName']) ?? '';
    if (seen.has(module)) continue;
    seen.add(module);
    loops.push(...parseCsynthLoops(xml, modelII));
  }
  const targets = new Map<string, number | null>();
  for (const p of parsePipeliningLog(log)) if (p.name !== null) targets.set(p.name, p.targetII);
  for (const l of loops) {
    const leaf = l.loop.split('/').pop()!;
    const t = targets.get(leaf) ?? targets.get(l.module);
    if (t !== undefined) l.targetII = t;
  }
  return loops;
}

/** One warning line per loop whose schedule differs from the model's (empty when every loop runs at the model's II). */
export function loopWarnings(loops: LoopSchedule[]): string[] {
  return loops
    .filter((l) => l.flag !== null)
    .map((l) => {
      const where = `${l.module}: loop ${l.loop}`;
      const trip = l.tripCount !== null ? `, ${l.tripCount} iterations` : '';
      if (l.flag === 'not-pipelined') return `${where} is not pipelined${trip}; the cost model assumed II=${l.modelII}`;
      const target = l.targetII !== null ? ` (target ${l.targetII})` : '';
      return `${where} achieved II=${l.achievedII}${target}${trip}; the cost model assumed II=${l.modelII}: its cycles are ${l.achievedII! / l.modelII}x the model's`;
    });
}
