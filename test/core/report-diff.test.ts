/** report-diff: per-layer/total rows, the regression rule, the table, and `cosearch report diff` exit codes. */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffReports, formatDiff } from '../../src/core/report-diff.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { loadCalibration, loadPart } from '../../src/parts.js';
import type { ResourceReport } from '../../src/core/report.js';
import { cloneDesign } from '../../src/core/design.js';
import { runCli } from '../../src/cli/main.js';
import { goldenDesign, tempDir } from '../synth/helpers.js';
import { reportInput } from '../run/helpers.js';
import { writeReports } from '../../src/run/report.js';
import { cli } from '../cli/helpers.js';

const design = goldenDesign('w2a2');
const part = loadPart('xc7z020');
const calib = loadCalibration();
const base = estimateDesign(design, part, calib);

function scaled(r: ResourceReport, f: Partial<Record<'lut' | 'bram18' | 'dsp' | 'ff' | 'fps', number>>): ResourceReport {
  const c = JSON.parse(JSON.stringify(r)) as ResourceReport;
  for (const k of ['lut', 'bram18', 'dsp', 'ff'] as const) if (f[k] !== undefined) c.total[k] = Math.round(c.total[k] * f[k]!) + (c.total[k] === 0 && f[k]! > 1 ? 1 : 0);
  if (f.fps !== undefined) c.performance.fps = c.performance.fps! * f.fps;
  return c;
}

describe('diffReports', () => {
  it('identical reports: no regression, one row per layer + total', () => {
    const d = diffReports(base, base);
    expect(d.regressions).toEqual([]);
    expect(d.rows.map((r) => r.name)).toEqual([...base.layers.map((l) => l.name), 'TOTAL']);
    expect(d.rows.every((r) => DIFF_ZERO(r.cells.lut.delta))).toBe(true);
  });

  it('flags LUT / BRAM / DSP growth and fps drops beyond the tolerance, not within it, not FF', () => {
    expect(diffReports(base, scaled(base, { lut: 1.019 })).regressions).toEqual([]);
    expect(diffReports(base, scaled(base, { lut: 1.03 })).regressions).toEqual([expect.stringMatching(/^LUT grew \d+ -> \d+ \(\+3\.0%, tolerance 2\.0%\)$/)]);
    expect(diffReports(base, scaled(base, { lut: 1.03 }), { tolerance: 0.05 }).regressions).toEqual([]);
    expect(diffReports(base, scaled(base, { bram18: 2 })).regressions[0]).toMatch(/^BRAM18 grew/);
    expect(diffReports(base, scaled(base, { dsp: 2 })).regressions[0]).toMatch(/^DSP grew 0 -> 1 \(from 0/);
    expect(diffReports(base, scaled(base, { ff: 3 })).regressions).toEqual([]);
    expect(diffReports(base, scaled(base, { fps: 0.9 })).regressions[0]).toMatch(/^fps dropped/);
    expect(diffReports(base, scaled(base, { fps: 1.5, lut: 0.5 })).regressions).toEqual([]);
  });

  it('matches layers by name and shows added / removed layers; the table names every layer', () => {
    const d2 = cloneDesign(design);
    d2.layers[2] = { ...d2.layers[2]!, name: 'conv1b' } as typeof d2.layers[2];
    const next = estimateDesign(d2, part, calib);
    const d = diffReports(base, next);
    expect(d.rows.find((r) => r.name === 'conv1')!.presence).toBe('base-only');
    expect(d.rows.find((r) => r.name === 'conv1b')!.presence).toBe('new-only');
    const t = formatDiff(d, { base: 'a.json', next: 'b.json' });
    for (const l of [...base.layers.map((x) => x.name), 'conv1b', 'TOTAL', 'fps']) expect(t).toContain(l);
    expect(t).toMatch(/^report diff: a\.json -> b\.json/);
  });
});

describe('cosearch report diff', () => {
  const dir = tempDir('diff');
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, JSON.stringify(base));
  writeFileSync(b, JSON.stringify(scaled(base, { lut: 1.1 })));

  it('exit 0 without regressions, 1 with, 64 on a bad tolerance, 65 on an invalid report, 66 on a missing file', async () => {
    expect(await runCli(['report', 'diff', a, a])).toBe(0);
    expect(await runCli(['report', 'diff', a, b])).toBe(1);
    expect(await runCli(['report', 'diff', a, b, '--tolerance', '0.2'])).toBe(0);
    expect(await runCli(['report', 'diff', a, b, '--tolerance', '-1'])).toBe(64);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...base, total: { lut: 'many' } }));
    expect(await runCli(['report', 'diff', a, bad])).toBe(65);
    expect(await runCli(['report', 'diff', a, join(dir, 'missing.json')])).toBe(66);
  });
});

function DIFF_ZERO(x: number | null): boolean {
  return x === 0;
}

describe('report diff of every report this tool writes, formats and CI', () => {
  const dir = tempDir('diff2');
  const a = join(dir, 'a.json');
  writeFileSync(a, JSON.stringify(base));
  const runDir = join(dir, 'run');

  it("reads a search's report.json and a run directory (the winner's estimate)", async () => {
    const inp = reportInput(runDir, 20);
    writeReports(runDir, inp);
    const r = await cli(['report', 'diff', join(runDir, 'report.json'), runDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^report diff: /);
    for (const l of inp.result.report.layers) expect(r.stdout).toContain(l.name);
  });
  it('refuses a file that is not a report, naming its format', async () => {
    const p = join(dir, 'pareto.json');
    writeFileSync(p, JSON.stringify({ format: 'cosearch-pareto', version: 1, front: [] }));
    const r = await cli(['report', 'diff', a, p]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('this is a cosearch-pareto file, not a report');
  });
  it('--abs-tolerance lets BRAM18 grow 0 -> 1 (a regression without it)', () => {
    const zero = JSON.parse(JSON.stringify(base)) as ResourceReport;
    zero.total.bram18 = 0;
    const one = JSON.parse(JSON.stringify(base)) as ResourceReport;
    one.total.bram18 = 1;
    expect(diffReports(zero, one).regressions[0]).toMatch(/^BRAM18 grew 0 -> 1/);
    expect(diffReports(zero, one, { absTolerance: 1 }).regressions).toEqual([]);
    // both tolerances must be exceeded: +10% LUT passes an absolute tolerance above the growth
    expect(diffReports(base, scaled(base, { lut: 1.1 }), { absTolerance: 10_000 }).regressions).toEqual([]);
  });
  it('--format markdown and --format json; --json is --format json', async () => {
    const b = join(dir, 'b.json');
    writeFileSync(b, JSON.stringify(scaled(base, { lut: 1.1 })));
    const md = await cli(['report', 'diff', a, b, '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^### cosearch report diff/);
    expect(md.stdout).toContain('| layer | LUT | FF | BRAM18 | DSP | URAM | cycles |');
    expect(md.stdout).toContain('**Regression (1):**');
    const js = await cli(['report', 'diff', a, b, '--format', 'json']);
    expect(JSON.parse(js.stdout).regressions).toHaveLength(1);
    expect((await cli(['report', 'diff', a, b, '--json'])).stdout).toBe(js.stdout);
  });
  it('--annotations github prints ::error lines for regressions and ::warning for an estimate against synthesis', async () => {
    const y = JSON.parse(JSON.stringify(scaled(base, { lut: 1.1 }))) as ResourceReport;
    y.source = { ...y.source, tool: 'yosys', version: '0.23' };
    const yf = join(dir, 'yosys.json');
    writeFileSync(yf, JSON.stringify(y));
    const r = await cli(['report', 'diff', a, yf, '--annotations', 'github']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^::warning file=.*yosys\.json,title=cosearch report diff::an estimate \(base\) is compared with a yosys synthesis report/m);
    expect(r.stderr).toMatch(/^::error file=.*yosys\.json,title=cosearch resource regression::LUT grew/m);
    expect(r.stderr).toMatch(/^warning: an estimate \(base\) is compared with a yosys synthesis report/m);
    expect(diffReports(base, base).warnings).toEqual([]);
  });
});
