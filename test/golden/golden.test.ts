/**
 * Golden report diffs: regenerate the estimate of every golden design and diff it against the committed baseline
 * (test/golden/baselines/) with the same rule as `cosearch report diff` (2% on LUT / BRAM18 / DSP growth, fps drop).
 * A failure means the model changed: review, then refresh with `npx tsx test/golden/update-baselines.ts`.
 * The yosys baselines are checked by golden-yosys.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { diffReports, formatDiff } from '../../src/core/report-diff.js';
import type { ResourceReport } from '../../src/core/report.js';
import { validateWithSchema } from '../../src/config.js';
import { GOLDEN_DESIGNS, baselinePath, goldenEstimate } from './baselines.js';

const read = (f: string): ResourceReport => validateWithSchema<ResourceReport>('report', JSON.parse(readFileSync(f, 'utf8')), f);

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

});
