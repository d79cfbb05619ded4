/**
 * Needs: yosys.
 * A real synthesis of test/fixtures/rtl/tiny-rtl.json through synthYosys (report shape, per-layer hierarchy, failures),
 * compared with the committed stat output the parser tests (yosys.test.ts) read.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthYosys, synthYosysRun } from '../../src/synth/yosys.js';
import { emitRtl } from '../../src/emit/rtl.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { validateWithSchema } from '../../src/config.js';
import { TempError, ToolMissingError, UsageError } from '../../src/errors.js';
import { fixtureDesign, ROOT, tempDir } from './helpers.js';

const stat = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'rtl', 'yosys-stat-tiny-rtl.json'), 'utf8')) as {
  modules: Record<string, { num_cells_by_type: Record<string, number> }>;
};
const design = fixtureDesign('tiny-rtl');

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
