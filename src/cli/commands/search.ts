/**
 * The default command: `cosearch --luts 30000 --fps 1000 [--part xc7z020] [--clock 100] [--brams N] [--dsps N]
 * [--dataset fashion-mnist] [--data DIR] [--budget-minutes M] [--seed S] [--strategy cosearch|separate]
 * [--synth none|yosys|vitis] [--out RUN_DIR] [--resume RUN_DIR] [--json]`.
 * Its options are the rows of SEARCH_OPTIONS (one row per flag: help, check, default, library name, resume rule).
 * Progress on stderr: a redrawn status line with the best-so-far on a TTY; plain, sparse lines otherwise, with
 * elapsed time and ETA. The result (winner line, or --json) on stdout.
 * Impossible budget -> exit 65 naming the smallest design found and its LUTs / fps.
 * --resume: every flag given must equal its journaled value (the run continues with the journaled options).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CheckFailedError, DataError, NoInputError, UsageError } from '../../errors.js';
import { DATASET_NAMES } from '../../ml/datasets.js';
import { readJournal, type JournalRecord } from '../../run/journal.js';
import { lockRun } from '../../run/lock.js';
import { removeIfExists } from '../../io.js';
import type { SearchEvent, SearchOptions, SearchResult } from '../../search.js';
import { COMMON, camel, defineCommand, givenFlags, toLibraryOptions, type ArgsOf, type OptSpec } from '../options.js';
import { BACKEND_CHOICES } from './train.js';
import { elapsedEta } from '../progress.js';
import { QUEUE_OPTIONS } from '../../dist/index.js';

/**
 * The search's options, one row each. Adding an option is one row here (`name: { type, describe, ... }`); it
 * reaches SearchOptions under the camel-cased name (or `key`), shows in --help, is checked, and with --resume
 * must equal the journaled value unless the row says `resume: 'free'`.
 */
export const SEARCH_OPTIONS = {
  luts: { type: 'integer', above: 0, describe: 'LUT budget' },
  fps: { type: 'number', above: 0, describe: 'minimum images per second' },
  part: { type: 'string', libDefault: 'xc7z020', describe: 'FPGA part; see `cosearch parts`' },
  'part-file': { type: 'string', describe: 'JSON file describing your own part' },
  clock: { type: 'number', above: 0, max: 1000, unit: 'MHz', key: 'clockMHz', libDefault: 100, describe: 'clock in MHz' },
  brams: { type: 'integer', min: 0, describe: 'BRAM budget in 18 Kb blocks' },
  dsps: { type: 'integer', min: 0, describe: 'DSP budget' },
  dataset: { type: 'string', choices: DATASET_NAMES, libDefault: 'fashion-mnist', describe: 'dataset' },
  data: { ...COMMON.dataDir, key: 'dataDir', resume: 'free' },
  'budget-minutes': { type: 'number', above: 0, libDefault: 25, describe: 'plans the run: 30% search, 58% the finalist\'s training and evaluation (its training fills it at the pace it measures), the rest (at least 2 minutes with --synth) calibration, emit, csim, synthesis' },
  seed: { ...COMMON.seed, libDefault: 1 },
  strategy: { type: 'string', choices: ['cosearch', 'separate'] as const, libDefault: 'cosearch', describe: 'cosearch, or the separate baseline (architecture first, then quantize + fold)' },
  synth: { type: 'string', choices: ['none', 'yosys', 'vitis'] as const, libDefault: 'none', describe: 'synthesize the winner' },
  out: { type: 'string', defaultText: 'runs/search-<time>', describe: 'run directory' },
  resume: { type: 'string', resume: 'free', describe: 'continue the run in this directory (its journal holds the options; other flags must match them)' },
  space: { type: 'string', defaultText: 'default-HxWxC of the dataset', describe: 'search space name or file' },
  calibration: { type: 'string', defaultText: "the synthesis tool's own with --synth yosys, else default", describe: 'cost-model calibration name or file' },
  backend: { type: 'string', choices: BACKEND_CHOICES, libDefault: 'auto', resume: 'free', describe: 'TF.js backend' },
  workers: { type: 'integer', min: 1, max: 256, defaultText: 'min(2, cores)', describe: 'QAT threads per training job (data parallel; results depend on the count)' },
  'warm-start': { type: 'string', describe: 'earlier run directories (comma-separated; same space and dataset) whose training results start the surrogate' },
  'no-prior': { type: 'boolean', describe: 'ignore the shipped tables: learn from zero-cost proxies and this run only' },
  'qat-speed': { type: 'string', defaultText: 'measured at the start', describe: 'QAT cost "A,B[,C[,D]]": seconds per image, per MAC-image, per parameter-step and per depthwise MAC-image of one thread (same value, same plan on any machine)' },
  'train-limit': { type: 'integer', min: 2, defaultText: 'all training images', describe: 'train on the first N images at most (every fidelity)' },
  'test-limit': { type: 'integer', above: 0, defaultText: 'all test images', describe: 'measure on the first N test images at most (and the search rungs on at most N validation images: the last ones of the training split)' },
  'final-epochs': { type: 'integer', above: 0, max: 1000, defaultText: "what fills the budget's final share", describe: "epochs of the finalist's training" },
  'final-recipe': { type: 'string', libDefault: 'lr5', describe: 'training recipe of the final training (src/ml/recipe.ts; lr5: Adam peak 5e-3)' },
  waves: { type: 'integer', above: 0, max: 1000, defaultText: "until the budget's search share is spent", describe: 'successive-halving waves' },
  'wave-size': { type: 'integer', above: 0, max: 1000, libDefault: 8, describe: 'new candidates per wave (2 per LUT band)' },
  'max-refits': { type: 'integer', min: 0, max: 10, libDefault: 2, describe: 'further finalists tried when a synthesized winner does not fit' },
  'csim-images': { type: 'integer', min: 0, libDefault: 100, describe: 'test images for C-simulation (0: skip emit + csim)' },
  ...QUEUE_OPTIONS,
  json: { ...COMMON.json, describe: 'print the result summary as JSON on stdout (progress stays on stderr)' },
} as const satisfies Record<string, OptSpec>;

export type SearchArgs = ArgsOf<typeof SEARCH_OPTIONS>;

const pctS = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(digits)}%`);
// a final training's accuracy on the whole test split to its resolution (0.01% on 10,000 images): at one decimal the
// demo's 92.98% read as 93.0%, the issue's target
const FINAL_DIGITS = 2;
const n0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');

/** Progress printer: TTY -> a redrawn training line; one line per phase, job and wave. */
export function searchProgress(stream: NodeJS.WriteStream = process.stderr, result: NodeJS.WritableStream | null = process.stdout): (e: SearchEvent) => void {
  const tty = Boolean(stream.isTTY);
  const t0 = Date.now();
  let drawn = false;
  let lastTrain = 0;
  const line = (s: string): void => {
    if (tty) {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    }
    stream.write(s + '\n');
  };
  const status = (s: string): void => {
    if (!tty) return;
    stream.write(`\r${s}\x1b[K`);
    drawn = true;
  };
  return (e) => {
    switch (e.type) {
      case 'start':
        line(`cosearch: ${n0(e.options.luts)} LUTs at ${n0(e.options.fps)} fps on ${e.options.part} (${e.options.clockMHz} MHz), ${e.options.dataset}, strategy ${e.options.strategy}, seed ${e.options.seed} -> ${e.options.out}${e.resumed ? ` (resumed: ${e.replayed} journal records)` : ''}`);
        break;
      case 'wave': {
        const best = e.best ? `best predicted final ${pctS(e.best.pred)} ± ${pctS(e.best.predStd)} @ ${n0(e.best.lut)} LUT ${n0(e.best.fps)} fps` : 'nothing trained that fits yet';
        const frac = e.plannedSeconds > 0 ? Math.min(1, e.spentSeconds / e.plannedSeconds) : 0;
        line(`search wave ${e.wave}${e.waves ? `/${e.waves}` : ''}: ${e.jobs} jobs, ${n0(e.spentSeconds)}/${n0(e.plannedSeconds)} s of the search share planned; ${best}; ${elapsedEta(t0, frac * 0.3)}`);
        break;
      }
      case 'phase':
        line(`${e.phase}: ${e.detail} (${elapsedEta(t0, 0)})`);
        break;
      case 'job':
        line(`  ${e.rung} ${e.key}: measured ${pctS(e.acc, e.rung === 'final' ? FINAL_DIGITS : 1)} (predicted ${pctS(e.predicted)}${e.cached ? ', from journal' : `, ${e.seconds.toFixed(0)} s`})`);
        break;
      case 'train-progress': {
        const s = `train epoch ${e.epoch} batch ${e.batch}/${e.batches} loss ${e.loss.toFixed(4)}`;
        if (tty) status(s);
        else if (Date.now() - lastTrain > 15000 || e.batch === e.batches) {
          lastTrain = Date.now();
          line(s);
        }
        break;
      }
      case 'done': {
        const r = e.result;
        const w = r.winner;
        if (tty && drawn) stream.write('\r\x1b[K');
        drawn = false;
        if (!result) break;
        result.write(
          `winner ${w.key}: ${n0(w.lut)} LUT, ${n0(w.fps)} fps (estimated, calibration ${r.calibration}), accuracy ${pctS(w.finalAcc, FINAL_DIGITS)} after ${w.epochs} epoch(s) (integer model; predicted ${pctS(w.predictedFinal)} ± ${pctS(w.predictedStd)})` +
            `${r.csim ? `, csim ${r.csim.ok ? 'bit-exact' : 'MISMATCH'} on ${r.csim.images} images` : ''}` +
            `${r.synth ? `, ${r.synth.tool}: ${n0(r.synth.lut)} LUT${r.synthMisses.length ? ` (after ${r.synthMisses.length} synthesis miss(es))` : ''}` : ''}; ${r.seconds.toFixed(0)} s\n` +
            `${r.budgetNote ? `note: ${r.budgetNote}\n` : ''}` +
            `run directory ${r.runDir} (report.html, report.json, pareto.json, best/)\n`,
        );
        break;
      }
    }
  };
}

/** Journaled and given values are the same (paths compared resolved). */
function sameValue(given: unknown, journaled: unknown): boolean {
  if (given === journaled) return true;
  return typeof given === 'string' && typeof journaled === 'string' && resolve(given) === resolve(journaled);
}

/**
 * Before a resume: the journal must exist and begin with a start record; every flag given must equal the
 * journaled value (the search continues with the journaled options, so a different value would be ignored).
 * Reports a torn last record (an interrupted write) that the resume drops.
 */
export function checkResume(a: SearchArgs): JournalRecord[] {
  const runDir = resolve(a.resume!);
  const jf = join(runDir, 'journal.jsonl');
  if (!existsSync(jf)) throw new NoInputError(`--resume ${a.resume}: no journal.jsonl there`, 'give the run directory of an earlier search');
  const { records, tornBytes } = readJournal(jf);
  if (records.length === 0)
    throw new UsageError(`--resume ${a.resume}: the journal is empty (the run stopped before its first record), so there is nothing to resume`, `start the run again: cosearch --luts N --fps F --out ${a.resume} (the empty journal is replaced)`);
  const start = records[0]!;
  if (start.type !== 'start' || typeof start.options !== 'object' || start.options === null) throw new DataError('the journal does not begin with a start record', { file: jf, jsonPath: 'line 1', hint: 'this is not a cosearch run journal; start a new run with --out' });
  if (tornBytes > 0) process.stderr.write(`warning: ${jf}: the last record (${tornBytes} bytes) is incomplete, written when the run was interrupted; it is dropped and its step recomputed\n`);
  const opts = start.options as Record<string, unknown>;
  const args = a as Record<string, unknown>;
  for (const name of givenFlags(SEARCH_OPTIONS, args)) {
    const spec = SEARCH_OPTIONS[name as keyof typeof SEARCH_OPTIONS] as OptSpec;
    if (spec.resume === 'free') continue;
    const given = args[camel(name)];
    if (name === 'out') {
      if (resolve(String(given)) !== runDir) throw new UsageError(`--out ${given} with --resume ${a.resume}: a resumed run stays in its own directory`, 'drop --out');
      continue;
    }
    const journaled = opts[spec.key ?? camel(name)];
    if (!sameValue(given, journaled))
      throw new UsageError(
        `--resume continues the run with its journaled options: --${name} was ${journaled === undefined ? 'not given' : JSON.stringify(journaled)}, not ${JSON.stringify(given)}`,
        `drop --${name}, or start a new run with --out DIR`,
      );
  }
  return records;
}

/** A new run into a directory whose journal holds no complete record (a run stopped at once): replace it. */
export function clearEmptyJournal(out: string): void {
  const jf = join(resolve(out), 'journal.jsonl');
  if (!existsSync(jf) || readJournal(jf).records.length > 0) return;
  const release = lockRun(resolve(out));
  try {
    process.stderr.write(`note: ${jf} holds no complete record (a run stopped before it began); starting anew\n`);
    removeIfExists(jf);
  } finally {
    release();
  }
}

export function resultSummary(r: SearchResult): Record<string, unknown> {
  const { design: _design, ...winner } = r.winner;
  return { runDir: r.runDir, strategy: r.strategy, winner, evaluated: r.evaluated, feasible: r.feasible, jobs: r.jobs, calibration: r.calibration, pareto: r.pareto, csim: r.csim, synth: r.synth, synthMisses: r.synthMisses, seconds: r.seconds };
}

export const searchCommand = defineCommand({
  command: '$0',
  describe: 'co-search a quantized CNN and its folding for a LUT budget and frame rate (default command)',
  options: SEARCH_OPTIONS,
  handler: async (a) => {
    if (a.resume !== undefined) checkResume(a);
    else if (a.luts === undefined || a.fps === undefined) {
      throw new UsageError('give --luts N and --fps F (or --resume RUN_DIR)', 'e.g. cosearch --luts 30000 --fps 1000 --part xc7z020; see cosearch --help');
    } else if (a.out !== undefined) clearEmptyJournal(a.out);
    const { search } = await import('../../search.js');
    const lib = toLibraryOptions(SEARCH_OPTIONS, a as Record<string, unknown>) as Record<string, unknown>;
    if (typeof lib.warmStart === 'string') lib.warmStart = lib.warmStart.split(',').filter(Boolean);
    const opts = { ...lib, onEvent: searchProgress(process.stderr, a.json ? null : process.stdout) } as unknown as SearchOptions;
    // remote workers (src/dist) when --queue names a Redis; the journal records the masked URL only
    let queue: import('../../search/jobs.js').JobQueue | undefined;
    if (a.queue && a.queue !== 'local') {
      const { openQueueFromArgs, maskUrl } = await import('../../dist/index.js');
      queue = await openQueueFromArgs(a as { queue?: string; queueTimeout?: number }, { dataDir: a.data, backend: a.backend as never });
      opts.queue = queue;
      opts.queueName = maskUrl(a.queue);
    }
    let r: SearchResult;
    try {
      r = await search(opts);
    } finally {
      await queue?.close();
    }
    if (a.json) process.stdout.write(JSON.stringify(resultSummary(r), null, 2) + '\n');
    if (r.csim && !r.csim.ok) {
      throw new CheckFailedError(`C-simulation of the winner is not bit-exact: ${r.csim.mismatches} of ${r.csim.images} images differ`, `see ${r.runDir}/best/hls`);
    }
  },
});
