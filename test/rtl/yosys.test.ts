/**
 * yosys: the stat-JSON parser on a committed real `stat -json` output (fixtures/yosys-stat-tiny-rtl.json, from
 * `synth_xilinx -family xc7` of fixtures/tiny-rtl.json with yosys 0.23), the primitive -> resource mapping, and
 * a real synthesis of the same small design through synthYosys (report shape, per-layer hierarchy, failures).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresFromCells, flatCells, parseYosysStat, synthYosys, synthYosysRun } from '../../src/synth/yosys.js';
import { emitRtl, rtlModuleName } from '../../src/emit/rtl.js';
import { layerContexts } from '../../src/emit/context.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { validateWithSchema } from '../../src/config.js';
import { DataError, TempError, ToolMissingError, UsageError } from '../../src/errors.js';
import { fixtureDesign, ROOT, tempDir } from './helpers.js';

const stat = JSON.parse(readFileSync(join(ROOT, 'test', 'rtl', 'fixtures', 'yosys-stat-tiny-rtl.json'), 'utf8')) as {
  modules: Record<string, { num_cells_by_type: Record<string, number> }>;
};
const design = fixtureDesign('tiny-rtl');
const layers = layerContexts(randomIntModel(design, 1)).map((c) => ({ name: c.name, kind: c.kind, module: rtlModuleName(c), cycles: c.cycles }));
const part = { name: 'xc7z020', family: 'zynq7000', lut: 53200, ff: 106400, bram18: 280, dsp: 220, uram: 0 };

describe('yosys stat parser', () => {
  it('maps Xilinx primitives to LUT / LUTRAM / FF / BRAM18 / DSP / URAM', () => {
    const f = figuresFromCells({ LUT1: 2, LUT6: 5, RAM64M: 3, RAM32M: 1, SRLC32E: 2, RAM64X1D: 1, FDRE: 7, FDSE: 1, FDCE: 2, RAMB18E1: 3, RAMB36E1: 2, RAMB36E2: 1, DSP48E1: 4, DSP48E2: 1, URAM288: 2, CARRY4: 9, MUXF7: 3, INV: 4 });
    expect(f.lut).toBe(2 + 5 + 12 + 4 + 2 + 2);
    expect(f.lutram).toBe(12 + 4 + 2 + 2);
    expect(f.ff).toBe(10);
    expect(f.bram18).toBe(3 + 4 + 2);
    expect(f.dsp).toBe(5);
    expect(f.uram).toBe(2);
    expect(f.other).toEqual({ CARRY4: 9, MUXF7: 3, INV: 4 });
  });

  it('reads a real stat -json: one row per layer module, totals = sum of layers', () => {
    const r = parseYosysStat(stat, { top: 'cosearch_top', layers, part, design: design.name, clockMHz: 100, version: '0.23' });
    validateWithSchema('report', r, 'yosys report');
    expect(r.layers.map((l) => l.name)).toEqual(['conv0', 'pool0', 'fc']);
    for (const [i, l] of r.layers.entries()) {
      // independent count straight from the JSON: LUT1..6 + 4 per RAM32M/RAM64M
      const cells = stat.modules[`\\${layers[i]!.module}`]!.num_cells_by_type;
      const luts = Object.entries(cells).filter(([t]) => /^LUT\d$/.test(t)).reduce((s, [, n]) => s + n, 0) + 4 * ((cells.RAM32M ?? 0) + (cells.RAM64M ?? 0));
      expect(l.lut).toBe(luts);
      expect(l.ff).toBe((cells.FDRE ?? 0) + (cells.FDSE ?? 0));
      expect(l.lut).toBeGreaterThan(0);
    }
    expect(r.total.lut).toBe(r.layers.reduce((s, l) => s + l.lut, 0));
    expect(r.total.ff).toBe(r.layers.reduce((s, l) => s + l.ff, 0));
    expect(r.performance.intervalCycles).toBe(Math.max(...layers.map((l) => l.cycles)));
    expect(r.layers.filter((l) => l.bottleneck).map((l) => l.name)).toEqual([r.performance.bottleneck]);
    expect(r.source.tool).toBe('yosys');
  });

  it('expands module instances recursively and rejects what is not a stat output', () => {
    const s = { modules: { '\\top': { num_cells_by_type: { '\\a': 2, LUT6: 1 } }, '\\a': { num_cells_by_type: { '\\b': 3, FDRE: 1 } }, '\\b': { num_cells_by_type: { LUT2: 1 } } } };
    expect(flatCells(s, 'top')).toEqual({ LUT6: 1, FDRE: 2, LUT2: 6 });
    expect(() => flatCells({ foo: 1 }, 'top', 'x.json')).toThrow(DataError);
    expect(() => flatCells(s, 'nope', 'x.json')).toThrow(/module nope is not in the yosys statistics/);
  });
});

describe('yosys synthesis (real yosys)', () => {
  const prj = tempDir('yosys');
  emitRtl(randomIntModel(design, 1), prj, { testImages: new Uint8Array(64), testCount: 1 });

  it('synthesizes a small design into a per-layer ResourceReport', async () => {
    const run = await synthYosysRun(prj, { timeoutMs: 240_000 });
    const r = run.report;
    validateWithSchema('report', r, run.reportFile);
    expect(r.layers.map((l) => l.name)).toEqual(['conv0', 'pool0', 'fc']);
    expect(r.source.version).toMatch(/^0\.\d+.* synth_xilinx -family xc7$/);
    expect(r.total.lut).toBeGreaterThan(100);
    expect(r.total.ff).toBeGreaterThan(50);
    for (const l of r.layers) expect(l.lut).toBeGreaterThan(0);
    // the stat output is the same kind as the committed fixture (same modules)
    const fresh = JSON.parse(readFileSync(run.statFile, 'utf8')) as typeof stat;
    expect(Object.keys(fresh.modules).sort()).toEqual(Object.keys(stat.modules).sort());
    expect(JSON.parse(readFileSync(run.reportFile, 'utf8'))).toEqual(JSON.parse(JSON.stringify(r)));
  }, 300_000);

  it('classifies failures: unknown family (64), yosys missing (69), timeout (75)', async () => {
    await expect(synthYosys(prj, { family: 'ecp5' })).rejects.toBeInstanceOf(UsageError);
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(synthYosys(prj)).rejects.toBeInstanceOf(ToolMissingError);
    } finally {
      process.env.PATH = path;
    }
    await expect(synthYosys(prj, { timeoutMs: 300 })).rejects.toBeInstanceOf(TempError);
  }, 60_000);
});
