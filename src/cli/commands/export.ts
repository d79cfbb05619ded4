/**
 * `cosearch export RUN [--point N] [--out design.json] [--force] [--json]`: turn point N of a search's Pareto
 * front (RUN/pareto.json, as listed without --point) into a folded design.json: the genome comes from the
 * pareto entry (or the journal's eval record of the same key), the part, clock, calibration, frame rate and
 * space from the journal's start record; the design is rebuilt and folded exactly as the search did.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, NoInputError, UsageError } from '../../errors.js';
import { readJsonFile, writeJsonAtomic } from '../../io.js';
import { readJournal } from '../../run/journal.js';
import { evaluateHardware } from '../../run/hardware.js';
import { loadSpace } from '../../run/space-file.js';
import { loadPart } from '../../parts.js';
import { toDesign, type Genome } from '../../core/space.js';
import type { Design } from '../../core/design.js';
import { validateDesignObject } from '../../config.js';
import { calibrationOf, num, pct } from '../core-options.js';
import { COMMON, defineCommand } from '../options.js';
import { refuseOverwrite } from './emit.js';

interface ParetoEntry {
  key: string;
  lut: number;
  fps: number;
  bram18?: number;
  dsp?: number;
  pred: number | null;
  acc?: number;
  genome?: Genome;
}

/** The front of RUN/pareto.json. */
export function readFront(runDir: string): { file: string; front: ParetoEntry[] } {
  const file = join(runDir, 'pareto.json');
  if (!existsSync(file)) throw new NoInputError(`${runDir} holds no pareto.json`, 'give the directory of a finished search (cosearch --out DIR)');
  const v = readJsonFile(file, 'Pareto front') as { format?: string; front?: unknown };
  if (v.format !== 'cosearch-pareto' || !Array.isArray(v.front)) throw new DataError('not a cosearch Pareto front', { file, jsonPath: '/format' });
  return { file, front: v.front as ParetoEntry[] };
}

/** Rebuild the folded design of Pareto point `point` of the run in `runDir`. */
export function exportPoint(runDir: string, point: number): { design: Design; entry: ParetoEntry } {
  const { file, front } = readFront(runDir);
  if (point >= front.length) throw new UsageError(`--point ${point}: the front of ${file} has ${front.length} point(s), 0..${front.length - 1}`, `list them with cosearch export ${runDir}`);
  const entry = front[point]!;
  const { records, file: jf } = runJournal(runDir);
  let genome = entry.genome;
  if (!genome) {
    const ev = records.find((r) => r.type === 'eval' && (r.candidate as { key?: string; widest?: boolean } | undefined)?.key === entry.key && !(r.candidate as { widest?: boolean }).widest);
    genome = (ev?.candidate as { genome?: Genome } | undefined)?.genome;
  }
  if (!genome) throw new DataError(`no genome for Pareto point ${point} (${entry.key}): neither pareto.json nor the journal's eval records hold it`, { file: jf });
  return { design: foldedDesignOfRun(runDir, genome, `${file} point ${point} (${entry.key})`, { records, file: jf }), entry };
}

function runJournal(runDir: string): { records: Array<Record<string, unknown>>; file: string } {
  const file = join(runDir, 'journal.jsonl');
  if (!existsSync(file)) throw new NoInputError(`${runDir} holds no journal.jsonl (its options are needed to rebuild the design)`);
  return { records: readJournal(file).records as Array<Record<string, unknown>>, file };
}

/**
 * A genome of the run in `runDir` built and folded exactly as its search did: part, clock, calibration, frame rate
 * and space from the journal's start record. `what` names the candidate in errors; `journal` is the run's journal
 * when the caller has read it already.
 */
export function foldedDesignOfRun(runDir: string, genome: Genome, what: string, journal = runJournal(runDir)): Design {
  const { records, file: jf } = journal;
  const start = records.find((r) => r.type === 'start');
  if (!start || typeof start.options !== 'object' || start.options === null) throw new DataError('the journal has no start record', { file: jf, hint: 'the run directory is incomplete' });
  const o = start.options as { part?: string; partFile?: string; clockMHz: number; calibration?: string | null; space: string; luts: number; fps: number; brams?: number; dsps?: number };
  const part = loadPart(o.partFile !== undefined ? undefined : o.part, o.partFile);
  const calib = calibrationOf(o.calibration ?? undefined);
  const { space } = loadSpace(o.space);
  const r = evaluateHardware(toDesign(genome, space), { part, calib, clockMHz: o.clockMHz, budget: { luts: o.luts, fps: o.fps, brams: o.brams, dsps: o.dsps } });
  if (!r.hw.folded) throw new DataError(`${what} does not reach ${o.fps} fps when rebuilt: ${r.hw.violations.join('; ')}`, { file: jf, hint: 'the cost model or the space changed since the run' });
  const design = r.design;
  design.target.part = part.name;
  validateDesignObject(design, what);
  return design;
}

export const exportCommand = defineCommand({
  command: 'export <run>',
  describe: "turn a point of a search's Pareto front into a folded design.json (without --point: list the points)",
  options: {
    run: { type: 'string', positional: true, demand: true, describe: 'run directory of a finished search' },
    point: { type: 'integer', min: 0, describe: 'index of the point in pareto.json (as listed without --point)' },
    out: { type: 'string', describe: 'design file to write (default: the design on stdout)' },
    force: { ...COMMON.force, describe: 'overwrite an existing --out' },
    json: { ...COMMON.json, describe: 'list the points as JSON (with --point: print {design, point})' },
  },
  handler: (a) => {
    const runDir = resolve(a.run);
    if (a.point === undefined) {
      const { front } = readFront(runDir);
      if (a.json) return void process.stdout.write(JSON.stringify(front.map((p, i) => ({ point: i, ...p, genome: undefined })), null, 2) + '\n');
      const rows = front.map((p, i) => [String(i), p.key, num(p.lut), num(p.fps), p.pred === null ? '-' : pct(p.pred), p.acc === undefined ? '-' : pct(p.acc)]);
      const header = ['point', 'key', 'LUT', 'fps', 'predicted', 'confirmed'];
      const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (r: string[]): string => r.map((c, i) => (i === 1 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
      process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
      process.stderr.write(`export one with: cosearch export ${a.run} --point N --out design.json\n`);
      return;
    }
    if (a.out !== undefined) refuseOverwrite(resolve(a.out), a.force);
    const { design, entry } = exportPoint(runDir, a.point);
    if (a.out !== undefined) writeJsonAtomic(a.out, design);
    if (a.json) process.stdout.write(JSON.stringify({ point: a.point, key: entry.key, design }, null, 2) + '\n');
    else if (a.out === undefined) process.stdout.write(JSON.stringify(design, null, 2) + '\n');
    process.stderr.write(`export: point ${a.point} (${entry.key}): ${num(entry.lut)} LUT, ${num(entry.fps)} fps${a.out ? ` -> ${a.out}` : ''}\n`);
  },
});
