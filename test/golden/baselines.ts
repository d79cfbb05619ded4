/**
 * Golden reports: the estimate (default calibration) and the yosys synthesis of each golden design, regenerated
 * by test/golden/golden.test.ts and diffed against the committed baselines in test/golden/baselines/.
 * Refresh the baselines deliberately (after a reviewed model or RTL change) with
 *   npx tsx test/golden/update-baselines.ts [--yosys]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import type { ResourceReport } from '../../src/core/report.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { loadCalibration, loadPart } from '../../src/parts.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitRtl } from '../../src/emit/rtl.js';
import { synthYosysRun } from '../../src/synth/yosys.js';

export const GOLDEN_DIR = import.meta.dirname;
export const GOLDEN_DESIGNS = ['w1a1-cnv-small', 'w2a2', 'mixed', 'dwsep-w2a2'] as const;
/** the design CI synthesizes with yosys on every run (small enough for yosys 0.23 in CI) */
export const GOLDEN_YOSYS_CI = ['w1a1-cnv-small'] as const;

export function goldenDesignFile(name: string): Design {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, 'designs', `${name}.json`), 'utf8')) as Design;
}

export function baselinePath(name: string, kind: 'estimate' | 'yosys-xc7'): string {
  return join(GOLDEN_DIR, 'baselines', `${name}.${kind}.json`);
}

/** Strip the volatile fields (creation time) so baselines do not churn. */
export function stable(r: ResourceReport): ResourceReport {
  const c = JSON.parse(JSON.stringify(r)) as ResourceReport;
  delete c.source.createdAt;
  return c;
}

export function goldenEstimate(name: string): ResourceReport {
  const d = goldenDesignFile(name);
  return stable(estimateDesign(d, loadPart(d.target.part), loadCalibration({ name: 'default' })));
}

/** Emit the RTL twin (random weights, seed 1: resources do not depend on training much) and synthesize it. */
export async function goldenYosys(name: string, workDir: string): Promise<ResourceReport> {
  const d = goldenDesignFile(name);
  emitRtl(randomIntModel(d, 1), workDir, { testImages: new Uint8Array(d.input.height * d.input.width * d.input.channels), testCount: 1 });
  return stable((await synthYosysRun(workDir, { family: 'xc7', timeoutMs: 900_000 })).report);
}
