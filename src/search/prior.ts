/**
 * The surrogate's prior: training results made before this run on the same space and dataset.
 *   - shipped tables: constraints/predictor/<space>.<dataset>*.table.jsonl (`cosearch bench-space` rows: genome,
 *     schedule, accuracy);
 *   - --warm-start RUN_DIR...: every job result in those runs' journals (a run directory is a table), after
 *     HotNAS's hot start from earlier models (Jiang et al. 2020).
 * Rows of another space or dataset are skipped; a warm-start directory of another space or dataset is an error.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SearchSpace } from '../core/space.js';
import { DataError, NoInputError } from '../errors.js';
import { packageRoot } from '../io.js';
import { readJournal } from '../run/journal.js';
import { readTable } from '../run/table.js';
import { parseGenomeKey } from './key.js';
import { trainedFidelity } from './jobs.js';
import { imagesSeen, type SurrogateRow } from './surrogate.js';

export function shippedTables(space: string, dataset: string): string[] {
  const dir = join(packageRoot(), 'constraints', 'predictor');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${space}.${dataset}`) && f.endsWith('.table.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

export function priorRows(space: SearchSpace, dataset: string, warmStart: string[]): SurrogateRow[] {
  const rows: SurrogateRow[] = [];
  for (const file of shippedTables(space.name, dataset)) {
    for (const r of readTable(file)) {
      if (r.space !== space.name || r.dataset !== dataset) continue;
      rows.push({ key: r.key, genome: r.genome, imagesSeen: imagesSeen(r.schedule), recipe: 'base', acc: r.acc, source: `prior:${file}` });
    }
  }
  for (const dir of warmStart) {
    const jf = join(dir, 'journal.jsonl');
    if (!existsSync(jf)) throw new NoInputError(`--warm-start ${dir}: no journal.jsonl there`, 'name the run directory of an earlier search');
    const { records } = readJournal(jf);
    const start = records.find((r) => r.type === 'start');
    const so = start?.options as { dataset?: string } | undefined;
    // the start record names the space (options.space may be its file)
    const theirs = start?.space as string | undefined;
    if (!so || theirs !== space.name || so.dataset !== dataset)
      throw new DataError(`--warm-start ${dir}: that run searched ${theirs ?? '?'} on ${so?.dataset ?? '?'}, this one ${space.name} on ${dataset}`, { file: jf, jsonPath: '/options', hint: 'warm-start only from runs of the same space and dataset' });
    for (const r of records) {
      if (r.type !== 'job') continue;
      const res = r.result as { acc: number; epochs?: number };
      // a final training at --final-recipe base whose deadline set other epochs than planned
      const job = r as unknown as { key: string; rung: string };
      const f = (r as unknown as { fidelity?: { epochs: number; trainLimit: number; recipe: string } }).fidelity;
      if (!f || f.recipe !== 'base') continue;
      rows.push({ key: job.key, genome: parseGenomeKey(job.key), imagesSeen: imagesSeen(trainedFidelity(f, res)), recipe: f.recipe, acc: res.acc, source: `run:${dir}` });
    }
  }
  return rows;
}
