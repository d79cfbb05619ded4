/**
 * Golden report diffs: regenerate the estimate of every golden design and the yosys synthesis of the CI one
 * (w1a1-cnv-small), and diff them against the committed baselines (test/golden/baselines/) with the same
 * rule as `cosearch report diff` (2% on LUT / BRAM18 / DSP growth, fps drop). A failure means the model or the
 * RTL changed: review, then refresh with `npx tsx test/golden/update-baselines.ts [--yosys]`.
 * COSEARCH_GOLDEN_YOSYS=all also synthesizes the other golden designs (about a minute each with yosys 0.23).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffReports, formatDiff } from '../../src/core/report-diff.js';
import type { ResourceReport } from '../../src/core/report.js';
import { validateWithSchema } from '../../src/config.js';
import { GOLDEN_DESIGNS, GOLDEN_YOSYS_CI, baselinePath, goldenEstimate, goldenYosys } from './baselines.js';

const read = (f: string): ResourceReport => validateWithSchema<ResourceReport>('report', JSON.parse(readFileSync(f, 'utf8')), f);
const yosysDesigns: readonly string[] = process.env.COSEARCH_GOLDEN_YOSYS === 'all' ? GOLDEN_DESIGNS : GOLDEN_YOSYS_CI;

describe('golden reports', () => {
  for (const name of GOLDEN_DESIGNS) {
    it(`${name}: estimate matches the baseline`, () => {
      const d = diffReports(read(baselinePath(name, 'estimate')), goldenEstimate(name), { tolerance: 0.02 });
      expect(d.regressions, formatDiff(d)).toEqual([]);
      // shrinking beyond the tolerance is a change too: the baseline must be refreshed deliberately
      const back = diffReports(goldenEstimate(name), read(baselinePath(name, 'estimate')), { tolerance: 0.02 });
      expect(back.regressions, formatDiff(back)).toEqual([]);
    });
  }
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
