/**
 * yosys: the stat-JSON parser on a committed real `stat -json` output (test/fixtures/rtl/yosys-stat-tiny-rtl.json,
 * from `synth_xilinx -family xc7` of test/fixtures/rtl/tiny-rtl.json with yosys 0.23) and the primitive -> resource
 * mapping. The real synthesis is in yosys.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresFromCells, flatCells, parseYosysStat } from '../../src/synth/yosys.js';
import { rtlModuleName } from '../../src/emit/rtl.js';
import { layerContexts } from '../../src/emit/context.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { validateWithSchema } from '../../src/config.js';
import { DataError } from '../../src/errors.js';
import { fixtureDesign, ROOT } from './helpers.js';

const stat = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'rtl', 'yosys-stat-tiny-rtl.json'), 'utf8')) as {
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
