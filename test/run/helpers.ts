/**
 * A search's report inputs made with the search's own pieces (options, default space, sampled genomes folded
 * and estimated by evaluateHardware) and stand-in accuracies (no training): for report.json / report.html tests.
 */
import { join } from 'node:path';
import { normalizeOptions, type SearchResult } from '../../src/search.js';
import { loadSpace } from '../../src/run/space-file.js';
import { evaluateHardware } from '../../src/run/hardware.js';
import { cheapFeatures, genomeKey, sampleGenome, toDesign, type Genome } from '../../src/core/space.js';
import { Rng } from '../../src/core/rng.js';
import { loadCalibration, loadPart } from '../../src/parts.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { paretoFrontIndices } from '../../src/core/pareto.js';
import type { ReportInput } from '../../src/run/report.js';

export function reportInput(runDir: string, n = 40, luts = 30000): ReportInput {
  const options = normalizeOptions({ luts, fps: 1000, out: runDir });
  const { space } = loadSpace(options.space);
  const part = loadPart(options.part);
  const calib = loadCalibration();
  const ctx = { part, calib, clockMHz: options.clockMHz, budget: { luts: options.luts, fps: options.fps } };
  const rng = new Rng(3);
  const cands: (ReportInput['candidates'][number] & { genome: Genome })[] = [];
  for (let i = 0; i < n; i++) {
    const g = sampleGenome(space, rng);
    const { hw } = evaluateHardware(toDesign(g, space), ctx);
    // a stand-in prediction growing with the LUTs (no predictor needed for a plot)
    const pred = hw.fits ? 0.7 + 0.2 * Math.min(1, hw.lut / luts) + 0.01 * (i % 3) : null;
    cands.push({ key: genomeKey(g), lut: hw.lut, fps: hw.fps, bram18: hw.bram18, dsp: hw.dsp, pred, fits: hw.fits, gen: 0, genome: g });
  }
  const feas = cands.filter((c) => c.fits);
  const front = paretoFrontIndices(feas.map((c) => ({ objectives: [-c.pred!, c.lut, -c.fps], violation: 0 }))).map((i) => feas[i]!);
  const win = feas.reduce((a, b) => (b.pred! > a.pred! ? b : a));
  const design = evaluateHardware(toDesign(win.genome, space), ctx).design;
  const report = estimateDesign(design, part, calib);
  const confirms = feas.slice(0, 3).map((c) => ({ key: c.key, acc: c.pred! - 0.03, predicted: c.pred }));
  const result: SearchResult = {
    runDir,
    strategy: 'cosearch',
    winner: { key: win.key, lut: win.lut, fps: win.fps, bram18: win.bram18, dsp: win.dsp, pred: win.pred, design, finalAcc: 0.905, floatAcc: 0.91, confirmAcc: null, acc: 0.905 } as SearchResult['winner'],
    evaluated: cands.length,
    feasible: feas.length,
    pareto: front.map(({ key, lut, fps, bram18, dsp, pred }) => ({ key, lut, fps, bram18, dsp, pred })),
    csim: null,
    synth: null,
    report,
    seconds: 1,
  } as SearchResult;
  return { options, result, candidates: cands.map(({ genome: _g, ...c }) => c), confirms, part, cheap: cheapFeatures(win.genome, space) };
}

export const runPath = (dir: string, f: string): string => join(dir, f);
