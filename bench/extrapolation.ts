/**
 * How far the surrogate's predictions beyond the longest schedule of its rows are off (src/search/surrogate.ts
 * SATURATION). Two modes:
 *
 *   npx tsx bench/extrapolation.ts RUN_DIR...
 * For each finished run whose surrogate had no prior (`--no-prior`, or a dataset no table matches: priorRows 0),
 * fit the surrogate on the run's non-final jobs and predict each final training at its images seen: the
 * all-rows GP's own linear trend capped at 2x, 4x, 8x the most images any row saw and uncapped, and the
 * surrogate's prediction (what the search reports); prints predicted - measured in points.
 *
 *   npx tsx bench/extrapolation.ts --tables [--keys 12]
 * On the shipped final3 tables (57 candidates, each trained at 6,000, 20,000 and 50,000 images for one epoch and 3
 * epochs on all 60,000): the median per-candidate slope of log error in log images between each pair of
 * schedules, then what a search with no prior would predict: the surrogate fitted on the r0 and r1 rows of
 * --keys candidates (a no-prior run has ~11 rows) predicts their 3-epoch accuracy (9x the longest row), for
 * consecutive groups of --keys candidates, then all 57, then all 57 with r2 rows too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { predictGp } from '../src/core/gp.js';
import { readJournal } from '../src/run/journal.js';
import { loadSpace } from '../src/run/space-file.js';
import { parseGenomeKey } from '../src/search/key.js';
import * as S from '../src/search/surrogate.js';
import { imagesSeen, Surrogate, type SurrogateRow } from '../src/search/surrogate.js';
import { arg } from './lib/args.js';

function runs(dirs: string[]): void {
  for (const d of dirs) {
    const jf = join(d, 'journal.jsonl');
    if (!existsSync(jf)) continue;
    const recs = readJournal(jf).records as Array<Record<string, any>>;
    const start = recs.find((r) => r.type === 'start');
    if (!start) continue;
    if (!start.options?.noPrior && start.priorRows !== 0) continue;
    const { space } = loadSpace(start.options.space);
    const jobs = recs.filter((r) => r.type === 'job' && r.result);
    const fin = jobs.filter((r) => r.rung === 'final');
    if (!fin.length) continue;
    const rows = jobs.filter((r) => r.rung !== 'final').map((r) => ({ key: r.key, genome: parseGenomeKey(r.key), imagesSeen: imagesSeen(r.fidelity), recipe: 'base', acc: r.result.acc, source: 'run' }));
    const sur = Surrogate.fit(rows, space);
    const out: string[] = [];
    for (const f of fin) {
      const seen = imagesSeen(f.fidelity);
      const res: string[] = [];
      for (const cap of [2, 4, 8, 1e9]) {
        const x = S.surrogateFeatures(parseGenomeKey(f.key), space, Math.min(seen, cap * sur.maxSeen));
        const m = predictGp(sur.model!, [x]).mean[0]!;
        res.push(`cap${cap === 1e9 ? 'inf' : cap} ${(100 * (1 - Math.exp(m) - f.result.acc)).toFixed(2)}`);
      }
      const own = sur.predict([parseGenomeKey(f.key)], seen)![0]!;
      res.push(`surrogate ${(100 * (own.mean - f.result.acc)).toFixed(2)}`);
      out.push(`${f.key} seen ${seen} max ${sur.maxSeen} acc ${(100 * f.result.acc).toFixed(2)} | ${res.join(' ')}`);
    }
    console.log(d, `(${rows.length} rows)`, '\n  ' + out.join('\n  '));
  }
}

interface TableRow {
  type: string;
  key: string;
  acc: number;
  schedule: { epochs: number; trainLimit: number };
}

function tables(): void {
  const { space } = loadSpace('default-28x28x1');
  const read = (f: string): TableRow[] => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TableRow).filter((r) => r.type === 'row');
  const fid = ['r0', 'r1', 'r2v', 'final'] as const;
  const by: Record<(typeof fid)[number], TableRow[]> = { r0: [], r1: [], r2v: [], final: [] };
  for (const p of ['final3', 'final3s9']) for (const f of fid) by[f].push(...read(`bench/data/${p}.fashion-mnist.${f === 'final' ? '' : f + '.'}table.jsonl`));
  const seenOf = (r: TableRow): number => r.schedule.epochs * r.schedule.trainLimit;
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  console.log('median slope d ln(error) / d ln(images seen) per candidate, between two schedules:');
  for (const [a, b] of [['r0', 'r1'], ['r1', 'r2v'], ['r2v', 'final']] as const) {
    const sl: number[] = [];
    for (const rb of by[b]) {
      const ra = by[a].find((r) => r.key === rb.key);
      if (ra) sl.push(Math.log((1 - rb.acc) / (1 - ra.acc)) / Math.log(seenOf(rb) / seenOf(ra)));
    }
    const sa = seenOf(by[a][0]!);
    const sb = seenOf(by[b][0]!);
    console.log(`  ${sa} -> ${sb} images (geometric mean ${Math.round(Math.sqrt(sa * sb))}): ${median(sl).toFixed(3)} (${sl.length} candidates)`);
  }
  const toRow = (r: TableRow): SurrogateRow => ({ key: r.key, genome: parseGenomeKey(r.key), imagesSeen: seenOf(r), recipe: 'base', acc: r.acc, source: 'table' });
  const keys = [...new Set(by.final.map((r) => r.key))];
  const check = (label: string, ks: string[], fids: Array<'r0' | 'r1' | 'r2v'>): void => {
    const rows = fids.flatMap((f) => by[f].filter((r) => ks.includes(r.key)).map(toRow));
    const sur = Surrogate.fit(rows, space);
    const tgt = by.final.filter((r) => ks.includes(r.key));
    const p = sur.predict(tgt.map((r) => parseGenomeKey(r.key)), tgt.map(seenOf))!.map((q) => q.mean);
    const m = tgt.map((r) => r.acc);
    const err = p.map((v, i) => v - m[i]!);
    let c = 0;
    let d = 0;
    for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) {
      const s = Math.sign(p[i]! - p[j]!) * Math.sign(m[i]! - m[j]!);
      if (s > 0) c++;
      else if (s < 0) d++;
    }
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    console.log(`  ${label.padEnd(26)} ${String(rows.length).padStart(3)} rows, longest ${sur.maxSeen}: mean |error| ${(100 * mean(err.map(Math.abs))).toFixed(2)}  mean error ${(100 * mean(err)).toFixed(2)} points  tau ${((c - d) / Math.max(c + d, 1)).toFixed(3)}`);
  };
  const n = Number(arg('keys', '12'));
  console.log(`3-epoch accuracy (180,000 images) predicted from no prior (predicted - measured):`);
  for (let o = 0; o + n <= keys.length; o += n) check(`candidates ${o + 1}-${o + n}, r0 r1`, keys.slice(o, o + n), ['r0', 'r1']);
  check(`all ${keys.length}, r0 r1`, keys, ['r0', 'r1']);
  check(`all ${keys.length}, r0 r1 r2`, keys, ['r0', 'r1', 'r2v']);
}

if (process.argv.includes('--tables')) tables();
else runs(process.argv.slice(2));
