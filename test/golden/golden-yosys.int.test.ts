/**
 * Needs: yosys.
 * Golden yosys diffs: synthesize the RTL twin of the CI golden design (w1a1-cnv-small) and diff it against the
 * committed baseline (test/golden/baselines/*.yosys-xc7.json) with the rule of `cosearch report diff`. A failure means
 * the RTL changed: review, then refresh with `npx tsx test/golden/update-baselines.ts --yosys`.
 * COSEARCH_GOLDEN_YOSYS=all also synthesizes the other golden designs (about a minute each with yosys 0.23).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffReports, formatDiff } from '../../src/core/report-diff.js';
import type { ResourceReport } from '../../src/core/report.js';
import { validateWithSchema } from '../../src/config.js';
import { GOLDEN_DESIGNS, GOLDEN_YOSYS_CI, baselinePath, goldenYosys } from './baselines.js';

const read = (f: string): ResourceReport => validateWithSchema<ResourceReport>('report', JSON.parse(readFileSync(f, 'utf8')), f);
const yosysDesigns: readonly string[] = process.env.COSEARCH_GOLDEN_YOSYS === 'all' ? GOLDEN_DESIGNS : GOLDEN_YOSYS_CI;

describe('golden reports (yosys)', () => {
  for (const name of yosysDesigns) {
    it(`${name}: yosys synthesis matches the baseline`, async () => {
      const fresh = await goldenYosys(name, mkdtempSync(join(tmpdir(), `golden-${name}-`)));
      const d = diffReports(read(baselinePath(name, 'yosys-xc7')), fresh, { tolerance: 0.02 });
      expect(d.regressions, formatDiff(d)).toEqual([]);
      const back = diffReports(fresh, read(baselinePath(name, 'yosys-xc7')), { tolerance: 0.02 });
      expect(back.regressions, formatDiff(back)).toEqual([]);
    }, 600_000);
  }
});
