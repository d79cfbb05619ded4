/**
 * `cosearch export RUN --point N`: a Pareto point of a run (genome from pareto.json or from the journal's eval
 * record) rebuilt into a folded design.json whose estimate is the point's; no overwrite without --force.
 * The run directory is made with the search's own pieces (normalizeOptions, the default space, sampleGenome,
 * evaluateHardware), no training.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeOptions } from '../../src/search.js';
import { openJournal } from '../../src/run/journal.js';
import { loadSpace } from '../../src/run/space-file.js';
import { evaluateHardware } from '../../src/run/hardware.js';
import { genomeKey, sampleGenome, toDesign } from '../../src/core/space.js';
import { Rng } from '../../src/core/rng.js';
import { loadCalibration, loadPart } from '../../src/parts.js';
import { cli } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'cosearch-export-'));
const run = join(root, 'run');
const front: { key: string; lut: number; fps: number; bram18: number; dsp: number; pred: number; genome?: unknown }[] = [];

beforeAll(() => {
  const o = normalizeOptions({ luts: 30000, fps: 1000, out: run });
  const { space } = loadSpace(o.space);
  const ctx = { part: loadPart(o.part), calib: loadCalibration(), clockMHz: o.clockMHz, budget: { luts: o.luts, fps: o.fps } };
  const { journal } = openJournal(join(run, 'journal.jsonl'));
  journal.append({ type: 'start', options: o, version: 1, space: space.name });
  const rng = new Rng(5);
  for (let i = 0; front.length < 2 && i < 200; i++) {
    const g = sampleGenome(space, rng);
    const { hw } = evaluateHardware(toDesign(g, space), ctx);
    const key = genomeKey(g);
    journal.append({ type: 'eval', candidate: { n: i, key, genome: g, hw, pred: 0.8, gen: 0 } });
    if (hw.fits && !front.some((f) => f.key === key)) front.push({ key, lut: hw.lut, fps: hw.fps, bram18: hw.bram18, dsp: hw.dsp, pred: 0.8, ...(front.length === 1 ? { genome: g } : {}) });
  }
  journal.close();
  expect(front.length).toBe(2);
  writeFileSync(join(run, 'pareto.json'), JSON.stringify({ format: 'cosearch-pareto', version: 1, front }));
});

describe('cosearch export', () => {
  it('without --point lists the points', async () => {
    const r = await cli(['export', run]);
    expect(r.code).toBe(0);
    for (const f of front) expect(r.stdout).toContain(f.key);
    const j = await cli(['export', run, '--json']);
    expect((JSON.parse(j.stdout) as { point: number }[]).map((p) => p.point)).toEqual([0, 1]);
  });
  it('--point N writes a folded design whose estimate is the point (genome from the journal, or from pareto.json)', async () => {
    for (const point of [0, 1]) {
      const out = join(root, `p${point}.json`);
      const r = await cli(['export', run, '--point', String(point), '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const est = await cli(['estimate', out, '--json']);
      expect(est.code).toBe(0);
      const rep = JSON.parse(est.stdout) as { total: { lut: number; bram18: number }; performance: { fps: number } };
      expect(rep.total.lut).toBeCloseTo(front[point]!.lut, 6);
      expect(rep.performance.fps).toBeCloseTo(front[point]!.fps, 6);
      expect(rep.performance.fps).toBeGreaterThanOrEqual(1000);
    }
  });
  it('refuses to overwrite --out without --force; a point out of range is a usage error', async () => {
    const out = join(root, 'mine.json');
    writeFileSync(out, '{"mine": true}\n');
    const r = await cli(['export', run, '--point', '0', '--out', out]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(out, 'utf8')).toBe('{"mine": true}\n');
    expect((await cli(['export', run, '--point', '0', '--out', out, '--force'])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toContain('mine');
    const bad = await cli(['export', run, '--point', '5']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('has 2 point(s), 0..1');
  });
});
