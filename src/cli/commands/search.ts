/**
 * The default command: `cosearch --luts 30000 --fps 1000 [--part xc7z020] [--clock 100] [--brams N] [--dsps N]
 * [--dataset fashion-mnist] [--data DIR] [--budget-minutes M] [--seed S] [--strategy cosearch|separate]
 * [--synth none|yosys|vitis] [--out RUN_DIR] [--resume RUN_DIR]`.
 * Progress: a redrawn status line with the best-so-far on a TTY; plain, sparse lines otherwise.
 * Impossible budget -> exit 65 naming the smallest design found and its LUTs / fps.
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { DATASET_NAMES, type DatasetName } from '../../ml/datasets.js';
import type { BackendPref } from '../../ml/backend.js';
import type { SearchEvent, SearchOptions, Strategy, SynthMode } from '../../search.js';

interface Args {
  luts?: number;
  fps?: number;
  part?: string;
  'part-file'?: string;
  clock?: number;
  brams?: number;
  dsps?: number;
  dataset?: DatasetName;
  data?: string;
  'budget-minutes'?: number;
  seed?: number;
  strategy?: Strategy;
  synth?: SynthMode;
  out?: string;
  resume?: string;
  space?: string;
  calibration?: string;
  backend?: BackendPref;
  workers?: number;
  'warm-start'?: string[];
  'no-prior'?: boolean;
  'qat-speed'?: string;
  'train-limit'?: number;
  'test-limit'?: number;
  'final-epochs'?: number;
  'final-recipe'?: string;
  waves?: number;
  'wave-size'?: number;
  'max-refits'?: number;
  'csim-images'?: number;
}

const pctS = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const n0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');

/** Progress printer: TTY -> one redrawn line; otherwise one line per phase / every 5th generation. */
export function searchProgress(stream: NodeJS.WriteStream = process.stderr): (e: SearchEvent) => void {
  const tty = Boolean(stream.isTTY);
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
        line(`search wave ${e.wave}${e.waves ? `/${e.waves}` : ''}: ${e.jobs} jobs, ${n0(e.spentSeconds)}/${n0(e.plannedSeconds)} s of the search budget planned; ${best}`);
        break;
      }
      case 'phase':
        line(`${e.phase}: ${e.detail}`);
        break;
      case 'job':
        line(`  ${e.rung} ${e.key}: measured ${pctS(e.acc)} (predicted ${pctS(e.predicted)}${e.cached ? ', from journal' : `, ${e.seconds.toFixed(0)} s`})`);
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
        line(
          `winner ${w.key}: ${n0(w.lut)} LUT, ${n0(w.fps)} fps (estimated, ${r.calibration}), accuracy ${pctS(w.finalAcc)} after ${w.epochs} epoch(s) (integer model; predicted ${pctS(w.predictedFinal)} ± ${pctS(w.predictedStd)})` +
            `${r.csim ? `, csim ${r.csim.ok ? 'bit-exact' : 'MISMATCH'} on ${r.csim.images} images` : ''}` +
            `${r.synth ? `, ${r.synth.tool}: ${n0(r.synth.lut)} LUT${r.synthMisses.length ? ` (after ${r.synthMisses.length} synthesis miss(es))` : ''}` : ''}; ${r.seconds.toFixed(0)} s\n` +
            `run directory ${r.runDir} (report.html, report.json, pareto.json, best/)`,
        );
        break;
      }
    }
  };
}

export const searchCommand: CommandModule<object, Args> = {
  command: '$0',
  describe: 'co-search a quantized CNN and its folding for a LUT budget and frame rate (default command)',
  builder: (y) =>
    y
      .option('luts', { type: 'number', describe: 'LUT budget' })
      .option('fps', { type: 'number', describe: 'minimum images per second' })
      .option('part', { type: 'string', describe: 'FPGA part (default xc7z020); see `cosearch parts`' })
      .option('part-file', { type: 'string', describe: 'JSON file describing your own part' })
      .option('clock', { type: 'number', describe: 'clock in MHz (default 100)' })
      .option('brams', { type: 'number', describe: 'BRAM budget in 18 Kb blocks' })
      .option('dsps', { type: 'number', describe: 'DSP budget' })
      .option('dataset', { choices: DATASET_NAMES as DatasetName[], describe: 'dataset (default fashion-mnist)' })
      .option('data', { type: 'string', describe: 'dataset directory' })
      .option('budget-minutes', { type: 'number', describe: 'plans the schedule (final training epochs, confirmations); default 25' })
      .option('seed', { type: 'number', describe: 'random seed (same seed, same result); default 1' })
      .option('strategy', { choices: ['cosearch', 'separate'] as Strategy[], describe: 'cosearch (default) or the separate baseline (architecture first, then quantize + fold)' })
      .option('synth', { choices: ['none', 'yosys', 'vitis'] as SynthMode[], describe: 'synthesize the winner (default none)' })
      .option('out', { type: 'string', describe: 'run directory (default runs/search-<time>)' })
      .option('resume', { type: 'string', describe: 'continue the run in this directory (its journal holds the options)' })
      .option('space', { type: 'string', describe: 'search space name or file (default default-HxWxC of the dataset)' })
      .option('calibration', { type: 'string', describe: 'cost-model calibration name or file (default: the synthesis tool\'s own with --synth yosys, else default)' })
      .option('backend', { choices: ['auto', 'tensorflow', 'wasm', 'cpu'] as BackendPref[], describe: 'TF.js backend' })
      .option('workers', { type: 'number', describe: 'QAT threads per training job (data parallel; results depend on the count); default min(2, cores)' })
      .option('warm-start', { type: 'string', array: true, describe: 'earlier run directories (same space and dataset) whose training results start the surrogate' })
      .option('no-prior', { type: 'boolean', describe: 'ignore the shipped tables (learn from proxies and this run only)' })
      .option('qat-speed', { type: 'string', describe: 'QAT cost "A,B" (s per image, s per MAC-image, one thread) instead of measuring it' })
      .option('train-limit', { type: 'number', describe: 'train on the first N images at most (every fidelity)' })
      .option('test-limit', { type: 'number', describe: 'measure on the first N test images at most' })
      .option('final-epochs', { type: 'number', describe: 'epochs of the final training (default: what fills the budget\'s final share)' })
      .option('final-recipe', { type: 'string', describe: 'training recipe of the final training (src/ml/recipe.ts)' })
      .option('waves', { type: 'number', describe: 'successive-halving waves (default: until the search share of the budget is spent)' })
      .option('wave-size', { type: 'number', describe: 'new candidates per wave (default 8: 2 per LUT band)' })
      .option('max-refits', { type: 'number', describe: 'further finalists tried when a synthesized winner does not fit (default 2)' })
      .option('csim-images', { type: 'number', describe: 'test images for C-simulation (0: skip emit + csim); default 100' }) as never,
  handler: async (a) => {
    if (a.resume === undefined && (a.luts === undefined || a.fps === undefined)) {
      throw new UsageError('give --luts N and --fps F (or --resume RUN_DIR)', 'e.g. cosearch --luts 30000 --fps 1000 --part xc7z020; see cosearch --help');
    }
    const { search } = await import('../../search.js');
    const opts: SearchOptions = {
      luts: a.luts!, fps: a.fps!, part: a.part, partFile: a['part-file'], clockMHz: a.clock, brams: a.brams, dsps: a.dsps,
      dataset: a.dataset, dataDir: a.data, budgetMinutes: a['budget-minutes'], seed: a.seed, strategy: a.strategy, synth: a.synth,
      out: a.out, resume: a.resume, space: a.space, calibration: a.calibration, backend: a.backend, workers: a.workers,
      warmStart: a['warm-start'], noPrior: a['no-prior'], qatSpeed: a['qat-speed'], trainLimit: a['train-limit'], testLimit: a['test-limit'],
      finalEpochs: a['final-epochs'], finalRecipe: a['final-recipe'], waves: a.waves, waveSize: a['wave-size'], maxRefits: a['max-refits'],
      csimImages: a['csim-images'],
      onEvent: searchProgress(),
    };
    const r = await search(opts);
    if (r.csim && !r.csim.ok) {
      const { CheckFailedError } = await import('../../errors.js');
      throw new CheckFailedError(`C-simulation of the winner is not bit-exact: ${r.csim.mismatches} of ${r.csim.images} images differ`, `see ${r.runDir}/best/hls`);
    }
  },
};
