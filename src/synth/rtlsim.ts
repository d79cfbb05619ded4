/**
 * RTL simulation of an emitted RTL project (PRJ/rtl, written by emitRtl) with verilator: builds the generated
 * testbench (`verilator --binary`), streams the test images back to back through cosearch_top and compares
 * every logit with the integer reference's (vectors/expected.hex). Also measures the steady-state interval
 * (cycles between consecutive images) to compare with the cycle model.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TIMEOUT_MS, runTool, toolFailure, which, type ToolRun } from './run-tool.js';
import { CheckFailedError, NoInputError, ToolFailedError, ToolMissingError, DataError } from '../errors.js';
import type { RtlManifest } from '../emit/rtl.js';
import { readJsonFile } from '../io.js';

export interface RtlSimResult {
  ok: boolean;
  images: number;
  mismatches: number;
  firstMismatch?: { image: number; layer: string; detail: string };
  imagesPerSec: number;
  /** measured cycles between the last outputs of consecutive images (null with one image) */
  intervalCycles?: number | null;
  /** cycles per image of the slowest layer in the cycle model */
  modelIntervalCycles?: number;
  /** output words whose out_last (TLAST) was wrong (they also count in `mismatches`); absent in older testbenches */
  tlastErrors?: number;
  /** cycles from reset to the first image's last logit */
  firstLatencyCycles?: number | null;
  /** wall time of the verilator build (0 when reused) and of the simulation, ms */
  buildMs?: number;
  simMs?: number;
}

export interface RtlSimOptions {
  images?: number;
  timeoutMs?: number;
  /** random gaps on the input and output streams (back-pressure test) */
  stall?: boolean;
  /** rebuild even when the binary is newer than the sources */
  rebuild?: boolean;
}

/** The rtl directory of a project: PRJ/rtl or PRJ itself when it holds manifest.json. */
export function rtlDirOf(prjDir: string): string {
  if (existsSync(join(prjDir, 'rtl', 'manifest.json'))) return join(prjDir, 'rtl');
  if (existsSync(join(prjDir, 'manifest.json'))) return prjDir;
  throw new NoInputError(`no RTL project in ${prjDir} (expected ${join(prjDir, 'rtl', 'manifest.json')})`, 'run `cosearch emit MODEL_DIR --out PRJ --target rtl` first');
}

export function readRtlManifest(rtlDir: string): RtlManifest {
  const file = join(rtlDir, 'manifest.json');
  const m = readJsonFile(file, 'RTL project manifest') as RtlManifest;
  if (m.format !== 'cosearch-rtl-project') throw new DataError('not a cosearch RTL project manifest', { file, jsonPath: '/format' });
  return m;
}

function toolError(what: string, r: ToolRun, timeoutMs: number): Error {
  return toolFailure(r, what, { timeoutMs, hint: 'raise --timeout or simulate fewer images' });
}

/** Parse the testbench's output. Pure; exported for tests. */
export function parseRtlSimLog(log: string, lastLayer: string): Omit<RtlSimResult, 'imagesPerSec'> {
  const res = /^RESULT images=(\d+) mismatches=(\d+) cycles=(\d+) first_done=(-?\d+) last_done=(-?\d+)(?: tlast_errors=(\d+))?/m.exec(log);
  if (!res) throw new Error('the RTL testbench printed no RESULT line');
  const images = Number(res[1]);
  const mismatches = Number(res[2]);
  const first = Number(res[4]);
  const last = Number(res[5]);
  const out: Omit<RtlSimResult, 'imagesPerSec'> = {
    ok: mismatches === 0,
    images,
    mismatches,
    intervalCycles: images > 1 && first >= 0 ? (last - first) / (images - 1) : null,
    firstLatencyCycles: first >= 0 ? first : null,
  };
  if (res[6] !== undefined) out.tlastErrors = Number(res[6]);
  const mm = /^MISMATCH image=(\d+) class=(\d+) got=(-?\d+) expected=(-?\d+)/m.exec(log);
  const dl = /^DEADLOCK (.*)$/m.exec(log);
  const tl = /^TLAST image=(\d+) word=(\d+) got=(\d+) expected=(\d+)/m.exec(log);
  if (tl && (!mm || Number(tl[1]) < Number(mm[1])))
    out.firstMismatch = { image: Number(tl[1]), layer: lastLayer, detail: `TLAST of output word ${tl[2]}: RTL ${tl[3]}, expected ${tl[4]}` };
  else if (mm) out.firstMismatch = { image: Number(mm[1]), layer: lastLayer, detail: `logit ${mm[2]}: RTL ${mm[3]}, reference ${mm[4]}` };
  else if (dl) out.firstMismatch = { image: images, layer: lastLayer, detail: `deadlock: ${dl[1]}` };
  return out;
}

export async function runRtlSim(prjDir: string, opts: RtlSimOptions = {}): Promise<RtlSimResult> {
  const rtlDir = rtlDirOf(prjDir);
  const man = readRtlManifest(rtlDir);
  if (!which('verilator')) throw new ToolMissingError('verilator not found on PATH', 'install it (Debian/Ubuntu: apt-get install verilator) or run `make setup`');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS.rtlsim;
  const images = Math.min(opts.images ?? man.testCount, man.testCount);
  if (images < 1) throw new DataError(`--images must be at least 1 (the project holds ${man.testCount} test images)`);
  const bin = join(rtlDir, 'obj', 'vtb');
  const srcs = ['tb.v', ...man.sources];
  const newest = Math.max(...srcs.map((s) => statSync(join(rtlDir, s)).mtimeMs));
  let buildMs = 0;
  if (opts.rebuild || !existsSync(bin) || statSync(bin).mtimeMs < newest) {
    const args = ['--binary', '-j', '2', '--top-module', 'tb', '-Wno-fatal', '-Wno-lint', '-Wno-style', '-Wno-WIDTH',
      '--Mdir', 'obj', '-o', 'vtb', '-CFLAGS', '-O1', ...srcs];
    const b = await runTool('verilator', args, { cwd: rtlDir, logFile: join(rtlDir, 'logs', 'verilator.log'), timeoutMs, errorPatterns: [/^%Error.*$/m] });
    buildMs = b.durationMs;
    if (b.kind !== 'ok') throw toolError('verilator build', b, timeoutMs);
    if (!existsSync(bin)) throw new ToolFailedError(`verilator did not produce ${bin} (log: ${b.logFile})`, 'missing-output', { logFile: b.logFile });
  }
  const simArgs = [`+images=${images}`];
  if (opts.stall) simArgs.push('+stall=1');
  const simTimeoutMs = Math.max(1000, timeoutMs - buildMs);
  const r = await runTool(bin, simArgs, { cwd: rtlDir, logFile: join(rtlDir, 'logs', 'rtlsim.log'), timeoutMs: simTimeoutMs });
  if (r.kind !== 'ok') throw toolError('RTL simulation', r, simTimeoutMs);
  const log = readFileSync(r.logFile, 'utf8');
  const lastLayer = man.layers[man.layers.length - 1]!.name;
  let parsed;
  try {
    parsed = parseRtlSimLog(log, lastLayer);
  } catch (e) {
    throw new ToolFailedError(`RTL simulation: ${(e as Error).message} (log: ${r.logFile})`, 'missing-output', { logFile: r.logFile });
  }
  return { ...parsed, imagesPerSec: images / Math.max(1e-3, r.durationMs / 1000), modelIntervalCycles: man.intervalCycles, buildMs, simMs: r.durationMs };
}

/** Throw CheckFailedError (exit 1) naming the first mismatching image. */
export function assertRtlSimOk(r: RtlSimResult): void {
  if (r.ok) return;
  const f = r.firstMismatch;
  throw new CheckFailedError(
    `RTL simulation: ${r.mismatches} mismatching logits${r.tlastErrors ? ` or TLAST flags (${r.tlastErrors} TLAST)` : ''} over ${r.images} images; first at image ${f?.image ?? '?'}, layer ${f?.layer ?? '?'}: ${f?.detail ?? ''}`,
    'compare with the integer reference (intInfer); the testbench log is PRJ/rtl/logs/rtlsim.log',
  );
}
