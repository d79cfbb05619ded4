/**
 * Ground-truth table for the accuracy predictor (`cosearch bench-space`): N candidates sampled from a space,
 * each trained with one fixed short schedule, one JSONL row per candidate (append + fsync, so an interrupted
 * run loses at most the candidate in training). Resumable: keys already in the table are skipped; the
 * candidate sequence is a function of the seed, so a resumed table equals an uninterrupted one.
 */
import { existsSync } from 'node:fs';
import { Rng } from '../core/rng.js';
import { cheapFeatures, genomeKey, sampleGenome, toDesign, type CheapFeatures, type Genome, type SearchSpace } from '../core/space.js';
import { loadDataset, recordRange, type Dataset, type DatasetName } from '../ml/datasets.js';
import { computeProxies, disposeProxyBatch, makeProxyBatch, type ProxyScores } from '../ml/proxies.js';
import { openJournal, readJournal } from './journal.js';
import { DataError, NoInputError, UsageError } from '../errors.js';
import type { BackendPref } from '../ml/backend.js';

export interface TrainSchedule {
  epochs: number;
  trainLimit: number;
  testLimit: number;
  batchSize: number;
  seed: number;
  /**
   * 'validation': the accuracy is measured on the LAST testLimit images of the training split (disjoint from the
   * first trainLimit trained on), as the search's rungs are (src/search/plan.ts), not on the test split; so a
   * table's rows and a long schedule's test rows do not share test-sampling noise. Absent: the first testLimit test images.
   */
  evalOn?: 'validation';
}

/** The fixed short schedule of the shipped table (about 10-60 s per candidate on one wasm core). */
export const BENCH_SCHEDULE: TrainSchedule = { epochs: 1, trainLimit: 6000, testLimit: 2000, batchSize: 64, seed: 1 };

export interface TableRow {
  type: 'row';
  key: string;
  genome: Genome;
  space: string;
  dataset: DatasetName;
  schedule: TrainSchedule;
  /** integer-model test accuracy after the schedule (the predictor's target) */
  acc: number;
  floatAcc: number;
  trainSeconds: number;
  cheap: CheapFeatures;
  proxies: ProxyScores;
  proxySeconds: number;
  backend?: string;
  createdAt: string;
}

export function readTable(file: string): TableRow[] {
  if (!existsSync(file)) throw new NoInputError(`table not found: ${file}`, 'create one with `cosearch bench-space --n N --out TABLE.jsonl`');
  const { records } = readJournal(file);
  const rows = records.filter((r) => r.type === 'row') as unknown as TableRow[];
  rows.forEach((r, i) => {
    if (typeof r.key !== 'string' || typeof r.acc !== 'number' || !r.genome) throw new DataError(`row ${i + 1} lacks key/acc/genome`, { file, hint: 'the table is written by `cosearch bench-space`' });
  });
  return rows;
}

/** The deterministic candidate sequence of a table: the first n distinct keys sampled with Rng(seed). */
export function tableCandidates(space: SearchSpace, n: number, seed: number, maxMacs = Infinity): Genome[] {
  const rng = new Rng(seed);
  const seen = new Set<string>();
  const out: Genome[] = [];
  for (let t = 0; out.length < n && t < n * 50; t++) {
    const g = sampleGenome(space, rng);
    const k = genomeKey(g);
    if (seen.has(k) || cheapFeatures(g, space).macs > maxMacs) continue;
    seen.add(k);
    out.push(g);
  }
  return out;
}

export interface BenchSpaceOptions {
  space: SearchSpace;
  dataset: DatasetName;
  dataDir?: string;
  n: number;
  out: string;
  seed: number;
  schedule?: TrainSchedule;
  onRow?: (row: TableRow, done: number, total: number) => void;
  onStart?: (info: { total: number; done: number }) => void;
  backend?: BackendPref;
  /** sample only candidates with at most this many MACs per image (the region a time-budgeted search explores) */
  maxMacs?: number;
  /** train exactly these candidates, in this order, instead of sampling n (e.g. where a search's favourites are) */
  genomes?: Genome[];
}

/** The images a schedule trains and is measured on (see TrainSchedule.evalOn). */
export function scheduleSplits(o: Pick<BenchSpaceOptions, 'dataset' | 'dataDir'>, sched: TrainSchedule): { train: Dataset; test: Dataset } {
  if (sched.evalOn !== 'validation') {
    return {
      train: loadDataset({ name: o.dataset, dir: o.dataDir, split: 'train', limit: sched.trainLimit }),
      test: loadDataset({ name: o.dataset, dir: o.dataDir, split: 'test', limit: sched.testLimit }),
    };
  }
  const all = loadDataset({ name: o.dataset, dir: o.dataDir, split: 'train' });
  if (sched.trainLimit + sched.testLimit > all.count)
    throw new UsageError(
      `the schedule trains on the first ${sched.trainLimit} and validates on the last ${sched.testLimit} of ${all.count} ${o.dataset} training images: they would overlap`,
      `lower --train-limit or --test-limit so that they add up to at most ${all.count}`,
    );
  return { train: recordRange(all, 0, sched.trainLimit), test: recordRange(all, all.count - sched.testLimit, sched.testLimit) };
}

export async function benchSpace(o: BenchSpaceOptions): Promise<{ added: number; total: number; rows: TableRow[] }> {
  const { trainDesign } = await import('../ml/train.js');
  const { initBackend } = await import('../ml/backend.js');
  await initBackend(o.backend ?? 'auto');
  const sched = o.schedule ?? BENCH_SCHEDULE;
  const existing = existsSync(o.out) ? readTable(o.out) : [];
  for (const r of existing) {
    if (r.space !== o.space.name || r.dataset !== o.dataset || JSON.stringify(r.schedule) !== JSON.stringify(sched))
      throw new DataError(`row ${r.key} was made with another space/dataset/schedule (${r.space}, ${r.dataset}, ${JSON.stringify(r.schedule)})`, { file: o.out, hint: 'append only rows of one space, dataset and schedule to a table; use another --out' });
  }
  const done = new Set(existing.map((r) => r.key));
  const cands = o.genomes ?? tableCandidates(o.space, o.n, o.seed, o.maxMacs);
  o.onStart?.({ total: cands.length, done: cands.filter((g) => done.has(genomeKey(g))).length });
  const { train, test } = scheduleSplits(o, sched);
  const { journal } = openJournal(o.out);
  const batch = makeProxyBatch(train, 1);
  const rows = [...existing];
  let added = 0;
  try {
    for (const g of cands) {
      const key = genomeKey(g);
      if (done.has(key)) continue;
      const design = toDesign(g, o.space);
      const tp = performance.now();
      const proxies = computeProxies(design, batch, 1);
      const proxySeconds = (performance.now() - tp) / 1000;
      const r = await trainDesign(design, { dataset: o.dataset, dataDir: o.dataDir, epochs: sched.epochs, seed: sched.seed, batchSize: sched.batchSize, trainLimit: sched.trainLimit, testLimit: sched.testLimit, train, test, refCheck: 20, backend: o.backend });
      const row: TableRow = {
        type: 'row', key, genome: g, space: o.space.name, dataset: o.dataset, schedule: sched,
        acc: r.intTestAcc, floatAcc: r.floatTestAcc, trainSeconds: r.trainSeconds, cheap: cheapFeatures(g, o.space), proxies, proxySeconds,
        backend: r.backend, createdAt: new Date().toISOString(),
      };
      journal.append(row as unknown as { type: string });
      done.add(key);
      rows.push(row);
      added++;
      o.onRow?.(row, done.size, cands.length);
    }
  } finally {
    journal.close();
    disposeProxyBatch(batch);
  }
  return { added, total: rows.length, rows };
}
