/**
 * bench/rtl.ts: how far the analytical estimate is from yosys synthesis of the RTL twin, on designs NOT used in
 * calibration (benchDesigns: seeds 1001+, disjoint from the calibration grid's 1..N).
 *
 *   npx tsx bench/rtl.ts [--designs 20] [--separable 6] [--memstyle 4] [--picked bench/data/picked] [--family xc7] [--calibration yosys-xc7] [--work bench/out/rtl]
 *   npx tsx bench/rtl.ts --fit-separable 6 [--write constraints/calibration/yosys-xc7.json]
 *
 * Prints per design: estimated vs yosys LUT / FF / BRAM18 / DSP and the yosys wall time, then the median and max
 * absolute % error of LUTs (goal <= 10% / <= 20%), FFs (max <= 20%) and BRAM18 (within +-1 per design), for
 * the chosen calibration and for the default one: for the plain grid designs (benchDesigns), for the
 * depthwise-separable ones (separableDesigns, seeds 3001+) and their depthwise layers, for grid designs with each
 * weight memory style forced (memStyleDesigns, seeds 4001+), for the held-out half of the
 * designs searches picked (bench/picked.ts; those of --family's parts) and for all of them. Synthesis results are cached under --work.
 * --fit-separable N synthesizes N separable designs (seeds 2001+, disjoint from the bench's), fits the VVAU terms
 * (vvauBaseLuts, vvauBaseFfs) on their depthwise layers with every other constant of the calibration held, prints
 * them and, with --write, writes the calibration with the two constants replaced.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchDesigns, errorStats, fitSeparableTerms, memStyleDesigns, pickedDesigns, separableDesigns, synthesizeSamples, type Sample } from '../src/synth/calibrate.js';
import { estimateDesign } from '../src/core/estimate.js';
import { loadCalibration, loadPart } from '../src/parts.js';
import { packageRoot, writeJsonAtomic } from '../src/io.js';
import type { Calibration } from '../src/core/calibration.js';
import type { Part } from '../src/core/part.js';
import { arg } from './lib/args.js';

const f = (x: number): string => `${(100 * x).toFixed(1)}%`;

function groupErrors(title: string, samples: Sample[], partOf: (s: Sample) => Part, cal: Calibration, layerKind?: string): string {
  const est = samples.map((s) => estimateDesign(s.design, partOf(s), cal));
  const lut = errorStats(samples.map((s, i) => ({ est: est[i]!.total.lut, meas: s.report.total.lut })));
  const ff = errorStats(samples.map((s, i) => ({ est: est[i]!.total.ff, meas: s.report.total.ff })));
  const bramPairs = samples.map((s, i) => ({ est: est[i]!.total.bram18, meas: s.report.total.bram18 })).filter((p) => p.est > 0 || p.meas > 0);
  const bram = errorStats(bramPairs);
  const bramOff = samples.filter((s, i) => Math.abs(est[i]!.total.bram18 - s.report.total.bram18) > 1).length;
  const layerLut = errorStats(samples.flatMap((s, i) => s.report.layers.map((l, k) => ({ est: est[i]!.layers[k]!.lut, meas: l.lut }))));
  let out =
    `  ${title}:\n` +
    `    LUT   total per design: median |err| ${f(lut.median)} (goal <= 10%), max ${f(lut.max)} (goal <= 20%)` +
    `${lut.median <= 0.1 && lut.max <= 0.2 ? '  [goals met]' : '  [goals NOT met]'}\n` +
    `    LUT   per layer:        median |err| ${f(layerLut.median)}, max ${f(layerLut.max)}\n` +
    `    FF    total per design: median |err| ${f(ff.median)}, max ${f(ff.max)} (goal <= 20%)${ff.max <= 0.2 ? '  [goal met]' : '  [goal NOT met]'}\n` +
    `    BRAM18 (${bramPairs.length} designs with BRAM): median |err| ${f(bram.median)}, max ${f(bram.max)}; ` +
    `${bramOff} of ${samples.length} designs off by more than 1 (goal 0)${bramOff === 0 ? '  [goal met]' : '  [goal NOT met]'}\n`;
  if (layerKind) {
    const sel = samples.flatMap((s, i) => s.report.layers.flatMap((l, k) => (s.design.layers[k]!.kind === layerKind ? [{ est: est[i]!.layers[k]!, meas: l }] : [])));
    const lu = errorStats(sel.map((p) => ({ est: p.est.lut, meas: p.meas.lut })));
    const fu = errorStats(sel.map((p) => ({ est: p.est.ff, meas: p.meas.ff })));
    out += `    ${layerKind} layers (${sel.length}): LUT median |err| ${f(lu.median)}, max ${f(lu.max)}; FF median ${f(fu.median)}, max ${f(fu.max)}\n`;
  }
  return out;
}

function progress(i: number, total: number, name: string, s: Sample | null, err?: Error): void {
  process.stderr.write(err ? `[${i + 1}/${total}] ${name}: FAILED ${err.message}\n` : `[${i + 1}/${total}] ${name}: yosys ${s!.wallSeconds.toFixed(1)} s\n`);
}

async function fitSeparable(n: number, family: string, calName: string, work: string): Promise<void> {
  const designs = separableDesigns(n);
  const samples = await synthesizeSamples(designs, work, { family, timeoutMs: 1_800_000, onProgress: progress });
  const base = loadCalibration({ name: calName });
  const r = fitSeparableTerms(samples, base, loadPart(designs[0]!.target.part));
  process.stdout.write(
    `fitted on the depthwise layers of ${samples.length} separable designs (seeds 2001+), other constants of ${calName} held:\n` +
      `  vvauBaseLuts ${r.lut.values.vvauBaseLuts} (LUT median |err| ${f(r.lut.before.median)} -> ${f(r.lut.after.median)}, max ${f(r.lut.after.max)})\n` +
      `  vvauBaseFfs  ${r.ff.values.vvauBaseFfs} (FF median |err| ${f(r.ff.before.median)} -> ${f(r.ff.after.median)}, max ${f(r.ff.after.max)})\n`,
  );
  const out = arg('write');
  if (out) {
    writeJsonAtomic(resolve(out), r.calibration);
    process.stdout.write(`wrote ${out}\n`);
  }
}


async function main(): Promise<void> {
  const n = Number(arg('designs', '20'));
  const family = arg('family', 'xc7');
  const calName = arg('calibration', existsSync(join(packageRoot(), 'constraints', 'calibration', `yosys-${family}.json`)) ? `yosys-${family}` : 'default');
  const work = resolve(arg('work', join(packageRoot(), 'bench', 'out', 'rtl')), family);
  const fitN = arg('fit-separable');
  if (fitN !== undefined) return fitSeparable(Number(fitN), family, calName, work);
  const picked = pickedDesigns(resolve(arg('picked', join(packageRoot(), 'bench', 'data', 'picked'))), 'bench', family);
  const designs = [...benchDesigns(n), ...separableDesigns(Number(arg('separable', '6')), 3001), ...memStyleDesigns(Number(arg('memstyle', '4'))), ...picked];
  const t0 = Date.now();
  const samples = await synthesizeSamples(designs, work, { family, timeoutMs: 1_800_000, onProgress: progress });
  // separableDesigns names its designs sep<seed>, pickedDesigns picked_<part>_<hash>
  const isSep = (s: Sample): boolean => s.design.name.startsWith('sep');
  const isPicked = (s: Sample): boolean => s.design.name.startsWith('picked_');
  const isMem = (s: Sample): boolean => s.design.name.startsWith('mem');
  const part = loadPart(designs[0]!.target.part);
  // each design's own part (the picked ones target several)
  const partOf = (s: Sample): Part => (s.design.target.part === part.name ? part : loadPart(s.design.target.part));
  const cals = [...new Set([calName, 'default'])].map((c) => loadCalibration({ name: c }));
  const pad = (s: string | number, w: number): string => String(s).padStart(w);
  const pct = (e: number, m: number): string => (m === 0 && e === 0 ? '0.0%' : `${((100 * (e - m)) / Math.max(1, m)).toFixed(1)}%`);
  process.stdout.write(`\nbench/rtl: ${samples.length} designs (plain: seeds 1001+, separable: 3001+; none in a calibration fit), yosys synth_xilinx -family ${family}; estimate calibration: ${calName}\n`);
  process.stdout.write(`${'design'.padEnd(10)} ${pad('layers', 6)} ${pad('LUT est', 8)} ${pad('LUT yosys', 9)} ${pad('err', 7)} ${pad('FF est', 7)} ${pad('FF yosys', 8)} ${pad('err', 7)} ${pad('BRAM e/y', 9)} ${pad('DSP e/y', 8)} ${pad('yosys s', 8)}\n`);
  const est0 = samples.map((s) => estimateDesign(s.design, partOf(s), cals[0]!));
  samples.forEach((s, i) => {
    const e = est0[i]!.total;
    const y = s.report.total;
    process.stdout.write(
      `${s.design.name.padEnd(10)} ${pad(s.design.layers.length, 6)} ${pad(e.lut, 8)} ${pad(y.lut, 9)} ${pad(pct(e.lut, y.lut), 7)} ${pad(e.ff, 7)} ${pad(y.ff, 8)} ${pad(pct(e.ff, y.ff), 7)} ${pad(`${e.bram18}/${y.bram18}`, 9)} ${pad(`${e.dsp}/${y.dsp}`, 8)} ${pad(s.wallSeconds.toFixed(1), 8)}\n`,
    );
  });
  for (const cal of cals) {
    process.stdout.write(`\ncalibration ${cal.name}:\n`);
    const grid = samples.filter((s) => !isSep(s) && !isPicked(s) && !isMem(s));
    process.stdout.write(groupErrors(`${grid.length} plain grid designs (seeds 1001+)`, grid, partOf, cal));
    const sep = samples.filter(isSep);
    if (sep.length) process.stdout.write(groupErrors(`${sep.length} depthwise-separable designs (seeds 3001+)`, sep, partOf, cal, 'depthwise'));
    const mem = samples.filter(isMem);
    if (mem.length) process.stdout.write(groupErrors(`${mem.length} grid designs with every weight memory forced to bram (even seeds) or lutram (odd; seeds 4001+)`, mem, partOf, cal));
    const pk = samples.filter(isPicked);
    if (pk.length) process.stdout.write(groupErrors(`${pk.length} designs picked by searches (bench/data/picked, held-out half)`, pk, partOf, cal));
    process.stdout.write(groupErrors(`all ${samples.length} held-out designs`, samples, partOf, cal));
  }
  const walls = samples.map((s) => s.wallSeconds).sort((a, b) => a - b);
  process.stdout.write(`\nyosys wall time per design: median ${walls[Math.floor(walls.length / 2)]!.toFixed(1)} s, max ${walls.at(-1)!.toFixed(1)} s, total ${walls.reduce((a, b) => a + b, 0).toFixed(0)} s (this run ${((Date.now() - t0) / 1000).toFixed(0)} s, cached designs reused)\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
