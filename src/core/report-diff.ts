/**
 * Diff of two ResourceReports (estimate vs estimate, yosys vs yosys, estimate vs synthesis): per-layer and total
 * rows, and the regressions a CI gate fails on: total LUT, BRAM18 or DSP growing by more than `tolerance`
 * (relative) and by more than `absTolerance` (absolute, so BRAM 0 -> 1 can be allowed), or fps dropping by more
 * than `tolerance`. Warnings: reports from different sources (an estimate against a synthesis report differ by
 * the model's error, not by a change). Renderings: text table, Markdown (pull-request comment), GitHub
 * Actions annotations. Pure.
 */
import type { ResourceFigures, ResourceReport } from './report.js';

export const DIFF_METRICS = ['lut', 'ff', 'bram18', 'dsp', 'uram'] as const;
export type DiffMetric = (typeof DIFF_METRICS)[number];
/** metrics whose growth is a regression */
export const GATED_METRICS: readonly DiffMetric[] = ['lut', 'bram18', 'dsp'];
export const DEFAULT_TOLERANCE = 0.02;

export interface DiffCell {
  base: number | null;
  next: number | null;
  /** next - base (null when a side is missing) */
  delta: number | null;
  /** delta / base (null when base is 0 or missing) */
  rel: number | null;
}

export interface DiffRow {
  /** layer name, or 'TOTAL' */
  name: string;
  kind: string;
  /** 'both' | 'base-only' | 'new-only' */
  presence: 'both' | 'base-only' | 'new-only';
  cells: Record<DiffMetric | 'cycles', DiffCell>;
}

export interface ReportDiff {
  rows: DiffRow[];
  fps: DiffCell;
  regressions: string[];
  /** not failures: e.g. an estimate diffed against a synthesis report */
  warnings: string[];
  tolerance: number;
  absTolerance: number;
  source: { base: string; next: string };
}

function cell(base: number | null | undefined, next: number | null | undefined): DiffCell {
  const b = base ?? null;
  const n = next ?? null;
  const delta = b !== null && n !== null ? n - b : null;
  const rel = delta !== null && b !== null && b !== 0 ? delta / b : null;
  return { base: b, next: n, delta, rel };
}

function cellsOf(b: (ResourceFigures & { cycles?: number | null }) | undefined, n: (ResourceFigures & { cycles?: number | null }) | undefined): DiffRow['cells'] {
  const out = {} as DiffRow['cells'];
  for (const m of DIFF_METRICS) out[m] = cell(b?.[m], n?.[m]);
  out.cycles = cell(b?.cycles ?? null, n?.cycles ?? null);
  return out;
}

const sourceOf = (r: ResourceReport): string => `${r.source.tool}${r.source.version ? ` ${r.source.version}` : ''}`;

export function diffReports(base: ResourceReport, next: ResourceReport, opts: { tolerance?: number; absTolerance?: number } = {}): ReportDiff {
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  const absTolerance = opts.absTolerance ?? 0;
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be >= 0, got ${tolerance}`);
  if (!(absTolerance >= 0)) throw new RangeError(`absTolerance must be >= 0, got ${absTolerance}`);
  const rows: DiffRow[] = [];
  const nextByName = new Map(next.layers.map((l) => [l.name, l]));
  const seen = new Set<string>();
  for (const bl of base.layers) {
    const nl = nextByName.get(bl.name);
    seen.add(bl.name);
    rows.push({ name: bl.name, kind: bl.kind, presence: nl ? 'both' : 'base-only', cells: cellsOf(bl, nl) });
  }
  for (const nl of next.layers) {
    if (!seen.has(nl.name)) rows.push({ name: nl.name, kind: nl.kind, presence: 'new-only', cells: cellsOf(undefined, nl) });
  }
  const total: DiffRow = {
    name: 'TOTAL',
    kind: '',
    presence: 'both',
    cells: cellsOf({ ...base.total, cycles: base.performance.intervalCycles }, { ...next.total, cycles: next.performance.intervalCycles }),
  };
  rows.push(total);
  const fps = cell(base.performance.fps, next.performance.fps);
  const regressions: string[] = [];
  const label: Record<DiffMetric, string> = { lut: 'LUT', ff: 'FF', bram18: 'BRAM18', dsp: 'DSP', uram: 'URAM' };
  for (const m of GATED_METRICS) {
    const c = total.cells[m];
    if (c.base === null || c.next === null) continue;
    const grew = (c.base === 0 ? c.next > 0 : c.next > c.base * (1 + tolerance)) && c.next - c.base > absTolerance;
    if (grew) {
      const how = c.base === 0 ? 'from 0' : `+${((c.rel ?? 0) * 100).toFixed(1)}%`;
      regressions.push(`${label[m]} grew ${c.base} -> ${c.next} (${how}, tolerance ${(tolerance * 100).toFixed(1)}%${absTolerance ? ` and ${absTolerance}` : ''})`);
    }
  }
  if (fps.base !== null && fps.next !== null && fps.next < fps.base * (1 - tolerance)) {
    regressions.push(`fps dropped ${fps.base.toFixed(1)} -> ${fps.next.toFixed(1)} (${(((fps.rel ?? 0) * 100)).toFixed(1)}%, tolerance ${(tolerance * 100).toFixed(1)}%)`);
  } else if (fps.base !== null && fps.next === null) {
    regressions.push(`fps became unknown (was ${fps.base.toFixed(1)})`);
  }
  const warnings: string[] = [];
  const src = { base: sourceOf(base), next: sourceOf(next) };
  if (base.source.tool !== next.source.tool) {
    const est = base.source.tool === 'estimate' || next.source.tool === 'estimate';
    warnings.push(
      est
        ? `an estimate (${base.source.tool === 'estimate' ? 'base' : 'new'}) is compared with a ${base.source.tool === 'estimate' ? next.source.tool : base.source.tool} synthesis report: the differences are the cost model's error, not a change of the design`
        : `reports from different tools (${base.source.tool} vs ${next.source.tool}): the differences include the tools' own`,
    );
  }
  if (base.part.name !== next.part.name) warnings.push(`different parts: ${base.part.name} vs ${next.part.name}`);
  return { rows, fps, regressions, warnings, tolerance, absTolerance, source: src };
}

function fmtNum(x: number | null): string {
  if (x === null) return '-';
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function fmtCell(c: DiffCell): string {
  if (c.base === null && c.next === null) return '-';
  if (c.base === null) return `(new) ${fmtNum(c.next)}`;
  if (c.next === null) return `${fmtNum(c.base)} (gone)`;
  if (c.delta === 0) return fmtNum(c.next);
  const rel = c.rel === null ? '' : ` ${c.rel > 0 ? '+' : ''}${(c.rel * 100).toFixed(1)}%`;
  return `${fmtNum(c.base)}->${fmtNum(c.next)}${rel}`;
}

/** A readable table: one line per layer and a total line, then the verdict (warnings are the caller's, on stderr). */
export function formatDiff(d: ReportDiff, titles: { base: string; next: string } = { base: 'base', next: 'new' }): string {
  const cols = ['layer', 'LUT', 'FF', 'BRAM18', 'DSP', 'URAM', 'cycles'];
  const lines: string[][] = [cols];
  for (const r of d.rows) {
    const name = r.presence === 'both' ? r.name : `${r.name} (${r.presence})`;
    lines.push([name, ...(['lut', 'ff', 'bram18', 'dsp', 'uram', 'cycles'] as const).map((m) => fmtCell(r.cells[m]))]);
  }
  lines.push(['fps', fmtCell(d.fps), '', '', '', '', '']);
  const w = cols.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const out = [`report diff: ${titles.base} -> ${titles.next}`];
  lines.forEach((l, k) => {
    out.push(l.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd());
    if (k === 0 || k === lines.length - 2) out.push(w.map((x) => '-'.repeat(x)).join('  '));
  });
  if (d.regressions.length) {
    out.push(`REGRESSION (${d.regressions.length}):`);
    for (const r of d.regressions) out.push(`  ${r}`);
  } else out.push(`ok: ${verdictOk(d)}`);
  return out.join('\n') + '\n';
}

function verdictOk(d: ReportDiff): string {
  return `no LUT/BRAM/DSP growth or fps drop beyond ${(d.tolerance * 100).toFixed(1)}%${d.absTolerance ? ` (and ${d.absTolerance} absolute)` : ''}`;
}

const mdEscape = (s: string): string => s.replace(/\|/g, '\\|');

/** A Markdown table and verdict (for a pull-request comment). */
export function formatDiffMarkdown(d: ReportDiff, titles: { base: string; next: string } = { base: 'base', next: 'new' }): string {
  const metrics = ['lut', 'ff', 'bram18', 'dsp', 'uram', 'cycles'] as const;
  const out = [`### cosearch report diff: \`${mdEscape(titles.base)}\` → \`${mdEscape(titles.next)}\``, ''];
  out.push(`| layer | LUT | FF | BRAM18 | DSP | URAM | cycles |`, `|---|--:|--:|--:|--:|--:|--:|`);
  for (const r of d.rows) {
    const name = r.name === 'TOTAL' ? '**total**' : r.presence === 'both' ? mdEscape(r.name) : `${mdEscape(r.name)} (${r.presence})`;
    out.push(`| ${name} | ${metrics.map((m) => mdEscape(fmtCell(r.cells[m]))).join(' | ')} |`);
  }
  out.push(`| fps | ${mdEscape(fmtCell(d.fps))} | | | | | |`, '');
  for (const w of d.warnings) out.push(`> **Warning:** ${w}`, '');
  if (d.regressions.length) {
    out.push(`**Regression (${d.regressions.length}):**`, '');
    for (const r of d.regressions) out.push(`- ${r}`);
  } else out.push(`**OK:** ${verdictOk(d)}`);
  return out.join('\n') + '\n';
}

/** GitHub Actions workflow commands: one `::error` per regression, one `::warning` per warning. */
export function formatDiffAnnotations(d: ReportDiff, file: string): string {
  // workflow-command data escaping: % \r \n; properties also , and :
  const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines = [
    ...d.warnings.map((w) => `::warning file=${prop(file)},title=cosearch report diff::${data(w)}`),
    ...d.regressions.map((r) => `::error file=${prop(file)},title=cosearch resource regression::${data(r)}`),
  ];
  return lines.length ? lines.join('\n') + '\n' : '';
}
