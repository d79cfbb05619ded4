/**
 * C simulation of a generated HLS project with plain g++: compile the kernel and the testbench against the
 * csim-only compatibility headers (hls/compat, never used by the Vitis flows) with per-layer taps, run the
 * testbench on the project's test vectors and report the first image/layer that differs from the integer
 * reference. The binary is reused while it is newer than every source (compile once per design).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NoInputError, ToolFailedError, ToolMissingError, DataError } from '../errors.js';
import { readJsonFile } from '../io.js';
import { DEFAULT_TIMEOUT_MS, runTool, toolFailure, which } from './run-tool.js';
import { HLS_MANIFEST, type HlsManifest } from '../emit/hls.js';

export interface CsimResult {
  ok: boolean;
  images: number;
  mismatches: number;
  firstMismatch?: { image: number; layer: string; detail: string };
  /** images per second of the kernel call in the testbench (excludes compile, process start, file reading) */
  imagesPerSec: number;
  /** images per second of CPU time spent in the kernel calls (robust against a loaded machine) */
  imagesPerCpuSec?: number;
  /** true when this call compiled the project (false: an up-to-date binary was reused) */
  compiled?: boolean;
  /** `warning:` lines of the compile (0 expected) */
  compileWarnings?: number;
  /** labelled images whose argmax matched the label (accuracy = correct / images when labels exist) */
  correct?: number;
  labelled?: number;
  logFile?: string;
}

export const CSIM_CXX = 'g++';
/** Flags of the csim build: C++14, warnings on, taps on, compat headers after the library. */
export const CSIM_FLAGS = ['-std=c++14', '-O2', '-Wall', '-Wextra', '-DCOSEARCH_TAPS', '-I', 'hls', '-I', 'hls/compat'];

export function readHlsManifest(prjDir: string): HlsManifest {
  const file = join(prjDir, HLS_MANIFEST);
  if (!existsSync(file)) throw new NoInputError(`${prjDir} is not a cosearch HLS project (no ${HLS_MANIFEST})`, 'create one with `cosearch emit MODEL_DIR --out PRJ`');
  const m = readJsonFile(file, 'HLS project manifest') as HlsManifest;
  if (m.format !== 'cosearch-hls-project' || m.version !== 1) throw new DataError('not a cosearch HLS project manifest (format/version)', { file, jsonPath: '/format' });
  return m;
}

function newestSource(prjDir: string): number {
  let t = 0;
  const scan = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (f === 'hls' || f === 'compat') scan(p);
      } else if (/\.(cpp|hpp|h)$/.test(f)) t = Math.max(t, st.mtimeMs);
    }
  };
  scan(prjDir);
  return t;
}

/** Compile the csim binary unless an up-to-date one exists. */
export async function buildCsim(prjDir: string, opts: { timeoutMs?: number; force?: boolean } = {}): Promise<{ binary: string; compiled: boolean; warnings: number; logFile: string }> {
  const dir = resolve(prjDir);
  const m = readHlsManifest(dir);
  const binary = join(dir, 'build', 'csim');
  const logFile = join(dir, 'build', 'csim-compile.log');
  if (!opts.force && existsSync(binary) && statSync(binary).mtimeMs >= newestSource(dir)) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    return { binary, compiled: false, warnings: (log.match(/warning:/g) ?? []).length, logFile };
  }
  if (!which(CSIM_CXX)) throw new ToolMissingError(`${CSIM_CXX} not found on PATH; C simulation needs a C++14 compiler`, 'install g++ (Debian/Ubuntu: apt-get install g++)');
  const sources = [...m.sources, ...m.tbSources];
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS.csim;
  const run = await runTool(CSIM_CXX, [...CSIM_FLAGS, '-o', 'build/csim', ...sources], { cwd: dir, logFile, timeoutMs });
  if (run.kind === 'tool-error' || (run.kind === 'ok' && !existsSync(binary))) {
    const log = readFileSync(logFile, 'utf8');
    const first = log.split('\n').find((l) => /error:/.test(l)) ?? run.reason;
    throw new ToolFailedError(`csim compile failed: ${first.trim()}`, run.kind === 'ok' ? 'missing-output' : run.kind, { logFile, hint: `see ${logFile}` });
  }
  if (run.kind !== 'ok') throw toolFailure(run, 'csim compile (g++)', { timeoutMs });
  const log = readFileSync(logFile, 'utf8');
  return { binary, compiled: true, warnings: (log.match(/warning:/g) ?? []).length, logFile };
}

/** Parse the testbench output (RESULT / MISMATCH lines). Pure; exported for tests. */
export function parseCsimOutput(log: string): { result?: { images: number; mismatches: number; labelled: number; correct: number; seconds: number; cpuSeconds?: number }; firstMismatch?: { image: number; layer: string; detail: string }; error?: string } {
  const out: ReturnType<typeof parseCsimOutput> = {};
  const r = /^RESULT images=(\d+) mismatches=(\d+) labelled=(\d+) correct=(\d+) seconds=([\d.eE+-]+)(?: cpu=([\d.eE+-]+))?/m.exec(log);
  if (r) out.result = { images: Number(r[1]), mismatches: Number(r[2]), labelled: Number(r[3]), correct: Number(r[4]), seconds: Number(r[5]), cpuSeconds: r[6] !== undefined ? Number(r[6]) : undefined };
  const mm = /^MISMATCH image=(\d+) layer=(\S+) (.*)$/m.exec(log);
  if (mm) out.firstMismatch = { image: Number(mm[1]), layer: mm[2]!, detail: mm[3]!.trim() };
  const e = /^ERROR: (.*)$/m.exec(log);
  if (e) out.error = e[1]!.trim();
  return out;
}

export async function runCsim(prjDir: string, opts: { images?: number; timeoutMs?: number } = {}): Promise<CsimResult> {
  const dir = resolve(prjDir);
  const m = readHlsManifest(dir);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS.csim;
  const built = await buildCsim(dir, { timeoutMs });
  const images = Math.min(opts.images ?? m.testCount, m.testCount);
  const logFile = join(dir, 'build', 'csim-run.log');
  const run = await runTool(built.binary, ['--images', String(images)], { cwd: dir, logFile, timeoutMs });
  const log = readFileSync(logFile, 'utf8');
  const parsed = parseCsimOutput(log);
  if (run.kind !== 'ok' && run.kind !== 'tool-error') throw toolFailure(run, 'csim', { timeoutMs });
  if (!parsed.result) {
    const why = parsed.error ?? run.reason ?? `exit code ${run.exitCode}`;
    throw new ToolFailedError(`csim did not complete: ${why}`, run.kind === 'ok' ? 'missing-output' : run.kind, { logFile, hint: `see ${logFile}` });
  }
  const res = parsed.result;
  return {
    ok: res.mismatches === 0 && run.exitCode === 0,
    images: res.images,
    mismatches: res.mismatches,
    firstMismatch: parsed.firstMismatch,
    imagesPerSec: res.seconds > 0 ? res.images / res.seconds : Infinity,
    imagesPerCpuSec: res.cpuSeconds && res.cpuSeconds > 0 ? res.images / res.cpuSeconds : undefined,
    compiled: built.compiled,
    compileWarnings: built.warnings,
    correct: res.correct,
    labelled: res.labelled,
    logFile,
  };
}
