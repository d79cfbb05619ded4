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
  const { space } = loadSpace(options.space || 'default-28x28x1');
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
    cands.push({ key: genomeKey(g), lut: hw.lut, fps: hw.fps, bram18: hw.bram18, dsp: hw.dsp, pred, predStd: pred === null ? null : 0.01, fits: hw.fits, genome: g });
  }
  const feas = cands.filter((c) => c.fits);
  const front = paretoFrontIndices(feas.map((c) => ({ objectives: [-c.pred!, c.lut, -c.fps], violation: 0 }))).map((i) => feas[i]!);
  const win = feas.reduce((a, b) => (b.pred! > a.pred! ? b : a));
  const design = evaluateHardware(toDesign(win.genome, space), ctx).design;
  const report = estimateDesign(design, part, calib);
  // three finalists trained at their final schedule, measured 3 points below their prediction
  const finals = feas.slice(0, 3).map((c) => ({ key: c.key, predicted: c.pred, std: 0.01, measured: c.pred! - 0.03 }));
  const rungs = [{ rung: 'final', n: finals.length, tau: null, meanAbsError: 0.03, rows: finals }];
  const result: SearchResult = {
    runDir,
    strategy: 'cosearch',
    winner: { key: win.key, lut: win.lut, fps: win.fps, bram18: win.bram18, dsp: win.dsp, pred: win.pred, design, finalAcc: 0.905, floatAcc: 0.91, acc: 0.905, predictedFinal: win.pred, predictedStd: 0.01, epochs: 5 },
    evaluated: cands.length,
    feasible: feas.length,
    jobs: 3,
    pareto: front.map(({ key, lut, fps, bram18, dsp, pred, genome }) => ({ key, lut, fps, bram18, dsp, pred, genome })),
    csim: null,
    synth: null,
    synthMisses: [],
    calibration: 'default',
    report,
    budgetNote: null,
    seconds: 1,
  };
  return { options, result, ok: true, candidates: cands.map(({ genome: _g, ...c }) => c), rungs, phaseSeconds: { search: 1 }, part, cheap: cheapFeatures(win.genome, space) };
}

export const runPath = (dir: string, f: string): string => join(dir, f);
