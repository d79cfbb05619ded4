/**
 * `cosearch emit MODEL_DIR --out PRJ [--target hls|rtl] [--board auto|pynq|alveo|none] [--images N] [--dataset NAME --data DIR]`:
 * write the Vitis HLS project (default) or the Verilog RTL twin for a trained integer model
 * (MODEL_DIR/intmodel.json from `cosearch train`), with test vectors made of the first N images of the
 * dataset's test split and the integer reference's expected outputs. An existing, non-empty PRJ is not
 * overwritten without --force. With the HLS target, PRJ/board/ holds the board flow of the part (src/emit/board.ts:
 * Zynq: Vivado Tcl to bitstream + PYNQ driver; Alveo: v++ link notes); an explicit --board the part cannot take is
 * refused (64) before anything is written.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataError, UsageError } from '../../errors.js';
import { readIntModel } from '../../ml/intmodel-io.js';
import { DATASET_NAMES, loadDataset, type DatasetName } from '../../ml/datasets.js';
import type { IntModel } from '../../core/intmodel.js';
import { COMMON, defineCommand } from '../options.js';
import { calibrationOf } from '../core-options.js';
import { BOARD_CHOICES, emitBoard, resolveBoard, type BoardChoice } from '../../emit/board.js';

export const EMIT_DEFAULT_IMAGES = 100;

/** Dataset of a model: --dataset, else the model's meta.dataset, else fashion-mnist. */
export function modelDataset(model: IntModel, flag?: DatasetName): DatasetName {
  if (flag) return flag;
  const m = model.meta?.dataset;
  if (typeof m === 'string' && (DATASET_NAMES as readonly string[]).includes(m)) return m as DatasetName;
  return 'fashion-mnist';
}

/** Refuse to write into an existing file or non-empty directory unless forced. */
export function refuseOverwrite(path: string, force: boolean | undefined, flag = '--out'): void {
  if (force || !existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    const n = readdirSync(path).length;
    if (n === 0) return;
    throw new UsageError(`${flag} ${path} already exists and holds ${n} entr${n === 1 ? 'y' : 'ies'}; not overwriting them`, `pass --force to overwrite, or choose another ${flag}`);
  }
  throw new UsageError(`${flag} ${path} already exists; not overwriting it`, `pass --force to overwrite, or choose another ${flag}`);
}

export async function emitProject(args: { model: string; out: string; target?: 'hls' | 'rtl'; board?: BoardChoice; images?: number; dataset?: DatasetName; data?: string; force?: boolean; calibration?: string }): Promise<{ files: string[]; images: number; dataset: DatasetName; board?: 'zynq' | 'alveo' | null; notes: string[] }> {
  const images = args.images ?? EMIT_DEFAULT_IMAGES;
  if (!Number.isInteger(images) || images < 1) throw new UsageError(`--images must be a positive integer, got ${images}`);
  refuseOverwrite(resolve(args.out), args.force);
  const model = readIntModel(resolve(args.model));
  const board = args.board ?? 'auto';
  if ((args.target ?? 'hls') === 'rtl' && board !== 'auto' && board !== 'none')
    throw new UsageError(`--board ${board} needs the HLS target: the board flow packages the Vitis HLS IP, not the RTL twin`, 'drop --target rtl, or pass --board none');
  // an explicit --board the part cannot take fails here, before any file is written
  const boardPlan = resolveBoard(board, model.design.target.part);
  const name = modelDataset(model, args.dataset);
  const ds = loadDataset({ name, dir: args.data, split: 'test', limit: images });
  const inp = model.design.input;
  if (ds.height !== inp.height || ds.width !== inp.width || ds.channels !== inp.channels)
    throw new DataError(`the ${name} test images are ${ds.height}x${ds.width}x${ds.channels} but the design input is ${inp.height}x${inp.width}x${inp.channels}`, { file: resolve(args.model, 'intmodel.json'), jsonPath: '/design/input', hint: 'pass the dataset the model was trained on with --dataset' });
  const n = Math.min(images, ds.count);
  const testSource = `${name} test split, images 0..${n - 1}`;
  const out = resolve(args.out);
  if ((args.target ?? 'hls') === 'rtl') {
    // RTL twin (src/emit/rtl.ts, rtl area)
    const { emitRtl } = await import('../../emit/rtl.js');
    // the weight memory style follows the cost model with the calibration the design was estimated with
    const calibration = args.calibration === undefined ? undefined : calibrationOf(args.calibration);
    return { ...emitRtl(model, out, { testImages: ds.images, testCount: n, calibration }), images: n, dataset: name, notes: [] };
  }
  const { emitHls } = await import('../../emit/hls.js');
  const hls = emitHls(model, out, { testImages: ds.images, testCount: n, labels: ds.labels, testSource });
  const b = boardPlan.emit ? emitBoard(model, out, board) : { files: [], flow: null, note: boardPlan.note };
  return { files: [...hls.files, ...b.files], images: n, dataset: name, board: b.flow, notes: b.note ? [b.note] : [] };
}

export const emitCommand = defineCommand({
  command: 'emit <model>',
  describe: 'write the Vitis HLS project (with the board flow of its part in board/) or the RTL twin for a trained integer model',
  options: {
    model: { type: 'string', positional: true, demand: true, describe: 'directory with intmodel.json (from `cosearch train`)' },
    out: { type: 'string', demand: true, describe: 'project directory to write (refused when it exists and is not empty, unless --force)' },
    force: { ...COMMON.force, describe: 'write into an existing, non-empty --out (files of the same name are replaced)' },
    target: { type: 'string', choices: ['hls', 'rtl'] as const, default: 'hls', describe: 'hls: Vitis HLS C++ project; rtl: Verilog twin' },
    board: { type: 'string', choices: BOARD_CHOICES, default: 'auto', describe: "board flow in PRJ/board (hls target): pynq = Vivado Tcl to bitstream + .hwh and a PYNQ driver (Zynq parts xc7z*, xczu*); alveo = v++ --link notes (xcu50/250/280); auto = whichever the design's part has (none for other parts, with a note); none" },
    images: { type: 'integer', min: 1, default: EMIT_DEFAULT_IMAGES, describe: 'test images (from the test split) in the test vectors' },
    dataset: { type: 'string', choices: DATASET_NAMES as readonly DatasetName[], describe: 'dataset of the test images', defaultText: "the model's, else fashion-mnist" },
    data: COMMON.dataDir,
    calibration: { type: 'string', defaultText: 'default', describe: 'cost-model calibration (name or file) whose memory rule picks the RTL weight memories (--target rtl)' },
    json: { ...COMMON.json, describe: 'print {out, target, board, files, images, dataset} as JSON' },
  },
  handler: async (a) => {
    const r = await emitProject(a);
    const out = resolve(a.out);
    for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
    if (a.json) process.stdout.write(JSON.stringify({ out, target: a.target, board: r.board ?? null, files: r.files, images: r.images, dataset: r.dataset }, null, 2) + '\n');
    else process.stdout.write(`emit: wrote ${r.files.length} files to ${out} (${a.target}${r.board ? `, board flow ${r.board} in board/` : ''}, ${r.images} ${r.dataset} test images)\n`);
  },
});
