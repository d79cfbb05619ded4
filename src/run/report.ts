/**
 * Run reports: report.json (options, winner, estimate per layer, predicted vs measured accuracy, csim, synth)
 * and report.html: a self-contained page (inline SVG, no external assets) with the Pareto plot of every
 * evaluated candidate (predicted accuracy vs LUTs, fps as colour, the LUT budget as a line, the front and the
 * winner highlighted), the winner's per-layer estimate and the confirmation table.
 */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io.js';
import type { Part } from '../core/part.js';
import type { CheapFeatures } from '../core/space.js';
import type { CandidateSummary, SearchResult } from '../search/events.js';
import type { NormalizedOptions } from '../search/options.js';

export interface RungStat {
  rung: string;
  n: number;
  tau: number | null;
  meanAbsError: number | null;
  rows: Array<{ key: string; predicted: number | null; std: number | null; measured: number }>;
}

export interface ReportInput {
  options: NormalizedOptions;
  result: SearchResult;
  /** false when the run failed (e.g. nothing synthesized fits); the report says so */
  ok: boolean;
  /** every candidate whose hardware was evaluated; pred = predicted final accuracy for measured ones */
  candidates: (CandidateSummary & { fits: boolean })[];
  rungs: RungStat[];
  phaseSeconds: Record<string, number>;
  part: Part;
  cheap: CheapFeatures;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(x: number | null | undefined, d = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return d === 0 ? Math.round(x).toLocaleString('en-US') : x.toFixed(d);
}

/** Colour for fps on a log scale between lo and hi (viridis-like ramp of 5 stops, interpolated). */
function colour(fps: number, lo: number, hi: number): string {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const t = hi > lo ? Math.min(1, Math.max(0, (Math.log(fps) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)))) : 0.5;
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i]!.map((v, k) => Math.round(v + (stops[i + 1]![k]! - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/**
 * Round tick values for [lo, hi]: steps of 1, 2 or 5 times a power of ten, about `count` of them (the "nice
 * numbers" rule of Heckbert, Graphics Gems 1990). Returns the ticks and the rounded domain they span.
 */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; lo: number; hi: number; step: number } {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return { ticks, lo: start, hi: end, step };
}

/**
 * The candidates plot. x: estimated LUTs over the range of the candidates (the budget line when it falls inside,
 * else named at the edge); y: FINAL accuracy: the surrogate's prediction for every trained candidate (dots, with
 * one standard deviation) and the measured accuracy of the finalists trained at their final schedule (diamonds,
 * joined to their prediction before training). Grey ticks on the x axis: candidates that fit but were not trained.
 */
export function paretoSvg(inp: ReportInput): string {
  const W = 760;
  const H = 440;
  const m = { l: 70, r: 130, t: 20, b: 50 };
  const all = inp.candidates.filter((c) => c.fits && Number.isFinite(c.lut));
  const pts = all.filter((c) => c.pred !== null);
  if (pts.length === 0) return '<p>No trained candidate to plot.</p>';
  const front = new Set(inp.result.pareto.map((p) => p.key));
  const byKey = new Map(inp.candidates.map((c) => [c.key, c]));
  const finals = (inp.rungs.find((g) => g.rung === 'final')?.rows ?? []).filter((r) => byKey.has(r.key) && Number.isFinite(byKey.get(r.key)!.lut));
  const luts = all.map((p) => p.lut);
  const xs = niceTicks(Math.min(...luts), Math.max(...luts));
  const accs = [...pts.map((p) => p.pred!), ...finals.map((f) => f.measured)];
  const ys = niceTicks(Math.min(...accs), Math.max(...accs));
  const fpsLo = Math.min(...pts.map((p) => p.fps));
  const fpsHi = Math.max(...pts.map((p) => p.fps));
  const sx = (v: number): number => m.l + ((v - xs.lo) / (xs.hi - xs.lo)) * (W - m.l - m.r);
  const sy = (v: number): number => H - m.b - ((Math.min(ys.hi, Math.max(ys.lo, v)) - ys.lo) / (ys.hi - ys.lo)) * (H - m.t - m.b);
  const yDigits = Math.max(0, -Math.floor(Math.log10(ys.step * 100) + 1e-9));
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="#fafafa" stroke="#999"/>`);
  for (const xv of xs.ticks) parts.push(`<line class="xtick" x1="${sx(xv)}" y1="${H - m.b}" x2="${sx(xv)}" y2="${H - m.b + 4}" stroke="#333"/><text class="xtick" x="${sx(xv)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(xv)}</text>`);
  for (const yv of ys.ticks) parts.push(`<line class="ytick" x1="${m.l - 4}" y1="${sy(yv)}" x2="${m.l}" y2="${sy(yv)}" stroke="#333"/><text class="ytick" x="${m.l - 6}" y="${sy(yv) + 4}" text-anchor="end">${(yv * 100).toFixed(yDigits)}%</text>`);
  for (const c of all) if (c.pred === null) parts.push(`<line class="untrained" x1="${sx(c.lut).toFixed(1)}" y1="${H - m.b - 5}" x2="${sx(c.lut).toFixed(1)}" y2="${H - m.b}" stroke="#bbb"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">estimated LUTs (folded for ${fmt(inp.options.fps)} fps); grey ticks: fit, not trained</text>`);
  parts.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">final accuracy (predicted / measured)</text>`);
  const budget = inp.options.luts;
  if (budget >= xs.lo && budget <= xs.hi)
    parts.push(`<line class="budget" x1="${sx(budget)}" y1="${m.t}" x2="${sx(budget)}" y2="${H - m.b}" stroke="#c00" stroke-dasharray="5 4"/><text x="${sx(budget) - 4}" y="${m.t + 12}" text-anchor="end" fill="#c00">LUT budget ${fmt(budget)}</text>`);
  else parts.push(`<text class="budget" x="${W - m.r - 4}" y="${m.t + 12}" text-anchor="end" fill="#c00">LUT budget ${fmt(budget)} ${budget > xs.hi ? '→' : '←'}</text>`);
  for (const p of pts) {
    const onFront = front.has(p.key);
    const sd = p.predStd ?? 0;
    if (sd > 0) parts.push(`<line class="std" x1="${sx(p.lut).toFixed(1)}" y1="${sy(p.pred! - sd).toFixed(1)}" x2="${sx(p.lut).toFixed(1)}" y2="${sy(p.pred! + sd).toFixed(1)}" stroke="#999" stroke-width="0.8"/>`);
    parts.push(`<circle class="candidate" cx="${sx(p.lut).toFixed(1)}" cy="${sy(p.pred!).toFixed(1)}" r="${onFront ? 4.5 : 3.2}" fill="${colour(p.fps, fpsLo, fpsHi)}" fill-opacity="${onFront ? 1 : 0.7}" stroke="${onFront ? '#000' : 'none'}"><title>${esc(p.key)}\n${fmt(p.lut)} LUT, ${fmt(p.fps)} fps, predicted final ${(p.pred! * 100).toFixed(1)}% ± ${(sd * 100).toFixed(1)}${p.acc !== undefined ? `, measured ${(p.acc * 100).toFixed(1)}% at ${p.rung}` : ''}</title></circle>`);
  }
  for (const f of finals) {
    const x = sx(byKey.get(f.key)!.lut);
    const y = sy(f.measured);
    if (f.predicted !== null) parts.push(`<line x1="${x.toFixed(1)}" y1="${sy(f.predicted).toFixed(1)}" x2="${x.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#555" stroke-dasharray="2 2"/>`);
    parts.push(`<path class="confirm" d="M ${x.toFixed(1)} ${(y - 5).toFixed(1)} L ${(x + 5).toFixed(1)} ${y.toFixed(1)} L ${x.toFixed(1)} ${(y + 5).toFixed(1)} L ${(x - 5).toFixed(1)} ${y.toFixed(1)} Z" fill="#fff" stroke="#000"><title>${esc(f.key)}\nmeasured ${(f.measured * 100).toFixed(2)}% after its final training${f.predicted !== null ? `, predicted ${(f.predicted * 100).toFixed(2)}%` : ''}</title></path>`);
  }
  const w = inp.result.winner;
  if (w.predictedFinal !== null) parts.push(`<path class="winner" d="M ${sx(w.lut) - 8} ${sy(w.predictedFinal)} L ${sx(w.lut) + 8} ${sy(w.predictedFinal)} M ${sx(w.lut)} ${sy(w.predictedFinal) - 8} L ${sx(w.lut)} ${sy(w.predictedFinal) + 8}" stroke="#c00" stroke-width="2"/>`);
  const bx = W - m.r + 30;
  for (let i = 0; i < 50; i++) {
    const f = fpsLo * Math.pow(fpsHi / Math.max(fpsLo, 1e-9), i / 49);
    parts.push(`<rect x="${bx}" y="${H - m.b - (i + 1) * ((H - m.t - m.b) / 50)}" width="14" height="${(H - m.t - m.b) / 50 + 0.5}" fill="${colour(f, fpsLo, fpsHi)}"/>`);
  }
  parts.push(`<text x="${bx + 18}" y="${H - m.b}" >${fmt(fpsLo)}</text><text x="${bx + 18}" y="${m.t + 10}">${fmt(fpsHi)}</text><text x="${bx}" y="${m.t - 6}">fps</text>`);
  parts.push(`<text class="legend" x="${m.l}" y="${H - 1}">● predicted (± std), ◇ measured after the final training, ✚ winner's prediction; winner: ${(w.finalAcc * 100).toFixed(2)}% measured</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

export function reportHtml(inp: ReportInput): string {
  const r = inp.result;
  const w = r.winner;
  const layers = r.report.layers
    .map((l) => `<tr><td>${esc(l.name)}</td><td>${esc(l.kind)}</td><td>${esc(String(l.details?.pe ?? ''))}/${esc(String(l.details?.simd ?? ''))}</td><td>${fmt(l.lut)}</td><td>${fmt(l.ff)}</td><td>${fmt(l.bram18, 1)}</td><td>${fmt(l.dsp)}</td><td>${fmt(l.cycles)}</td><td>${l.bottleneck ? 'yes' : ''}</td></tr>`)
    .join('\n');
  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(2)}%`);
  const rungs = inp.rungs
    .map((g) => `<h3>${esc(g.rung)}: ${g.n} job(s), Kendall tau ${g.tau === null ? '-' : g.tau.toFixed(3)}, mean |error| ${g.meanAbsError === null ? '-' : (g.meanAbsError * 100).toFixed(2) + ' points'}</h3>
<table><tr><th>candidate</th><th>predicted (before the job)</th><th>± std</th><th>measured</th></tr>
${g.rows.map((x) => `<tr><td><code>${esc(x.key)}</code></td><td>${pct(x.predicted)}</td><td>${pct(x.std)}</td><td>${pct(x.measured)}</td></tr>`).join('\n')}</table>`)
    .join('\n');
  const phases = Object.entries(inp.phaseSeconds).map(([k, v]) => `${esc(k)} ${fmt(v)} s`).join(', ');
  const o = inp.options;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cosearch run: ${esc(w.key)}</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}code{font-size:90%}</style></head>
<body>
<h1>cosearch run</h1>
<p>Budget: <b>${fmt(o.luts)} LUTs</b> at <b>${fmt(o.fps)} fps</b> on <b>${esc(inp.part.name)}</b> at ${o.clockMHz} MHz${o.brams !== undefined ? `, ${o.brams} BRAM18` : ''}${o.dsps !== undefined ? `, ${o.dsps} DSP` : ''}; dataset ${esc(o.dataset)}; strategy ${esc(o.strategy)}; seed ${o.seed}.
${r.evaluated} candidates evaluated, ${r.feasible} fit.</p>
<h2>Winner</h2>
<p><code>${esc(w.key)}</code><br>
Estimated ${fmt(w.lut)} LUTs, ${fmt(r.report.total.ff)} FF, ${fmt(w.bram18, 1)} BRAM18, ${fmt(w.dsp)} DSP, ${fmt(w.fps)} fps.<br>
Accuracy: predicted ${pct(w.predictedFinal)} ± ${pct(w.predictedStd)} before its final training, <b>${(w.finalAcc * 100).toFixed(2)}%</b> measured after ${w.epochs} epoch(s) (integer model, ${esc(o.dataset)} test split).<br>
Cost model: calibration ${esc(r.calibration)}.${inp.ok ? '' : ' <b>The run failed: see the synthesis misses below.</b>'}<br>
C-simulation: ${r.csim ? `${r.csim.ok ? 'bit-exact' : 'MISMATCH'} on ${r.csim.images} images (${r.csim.mismatches} mismatches)` : 'not run'}.
${r.synth ? `<br>Synthesis (${esc(r.synth.tool)}): ${fmt(r.synth.lut)} LUT (estimated ${fmt(r.synth.estLut)}), ${fmt(r.synth.ff)} FF, ${fmt(r.synth.bram18, 1)} BRAM18, ${fmt(r.synth.dsp)} DSP: ${r.synth.fits ? 'fits' : '<b>does not fit</b>'}` : ''}
${r.synthMisses.length ? `<br>Synthesis misses (the next finalist was taken): ${r.synthMisses.map((x) => `<code>${esc(x.key)}</code> ${fmt(x.lut)} LUT vs ${fmt(x.estLut)} estimated`).join('; ')}` : ''}</p>
${r.budgetNote ? `<p>Budget: ${esc(r.budgetNote)}.</p>\n` : ''}<p>Time per phase: ${phases || '-'}; ${r.jobs} training job(s).</p>
<h2>Candidates</h2>
<p>Every trained candidate: predicted final accuracy (± one standard deviation) against estimated LUTs, colour = fps. Outlined points form the Pareto front; the red cross is the winner's prediction before its final training, the red circle its measured accuracy.</p>
${paretoSvg(inp)}
<h2>Winner per layer (estimate)</h2>
<table><tr><th>layer</th><th>kind</th><th>PE/SIMD</th><th>LUT</th><th>FF</th><th>BRAM18</th><th>DSP</th><th>cycles</th><th>bottleneck</th></tr>
${layers}
<tr><th>total</th><th></th><th></th><th>${fmt(r.report.total.lut)}</th><th>${fmt(r.report.total.ff)}</th><th>${fmt(r.report.total.bram18, 1)}</th><th>${fmt(r.report.total.dsp)}</th><th>${fmt(r.report.performance.intervalCycles)}</th><th></th></tr></table>
<h2>Predicted vs measured, per rung</h2>
<p>Each job's prediction at its own fidelity, made before it ran, against its result. Search rungs are measured on the validation split (the last training images, which they do not train on), the final training on the test split.</p>
${rungs || '<p>no jobs</p>'}
<p>Files: <code>best/design.json</code>, <code>best/model/</code>, <code>best/hls/</code>, <code>pareto.json</code>, <code>report.json</code>, <code>journal.jsonl</code>.</p>
</body></html>
`;
}

export function writeReports(runDir: string, inp: ReportInput): void {
  const r = inp.result;
  writeJsonAtomic(join(runDir, 'report.json'), {
    format: 'cosearch-search-report',
    version: 2,
    ok: inp.ok,
    options: inp.options,
    winner: {
      key: r.winner.key,
      design: r.winner.design,
      estimate: { lut: r.winner.lut, fps: r.winner.fps, bram18: r.winner.bram18, dsp: r.winner.dsp },
      accuracy: { predictedFinal: r.winner.predictedFinal, predictedStd: r.winner.predictedStd, final: r.winner.finalAcc, finalFloat: r.winner.floatAcc, epochs: r.winner.epochs },
      features: inp.cheap,
    },
    estimate: r.report,
    calibration: r.calibration,
    rungs: inp.rungs,
    phaseSeconds: inp.phaseSeconds,
    csim: r.csim,
    synth: r.synth,
    synthMisses: r.synthMisses,
    evaluated: r.evaluated,
    feasible: r.feasible,
    jobs: r.jobs,
    pareto: r.pareto,
    seconds: r.seconds,
    result: r,
  });
  writeFileAtomic(join(runDir, 'report.html'), reportHtml(inp));
}
