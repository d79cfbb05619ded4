/**
 * Run an external tool (vitis-run, v++, vitis_hls, yosys, g++, verilator) through execa with a wall-clock
 * timeout that kills the whole process group, streaming stdout+stderr to a log file, and classify failures.
 */
import { execa } from 'execa';
import { createWriteStream, existsSync, readFileSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export type FailureKind =
  | 'ok'
  | 'not-found' // the executable does not exist
  | 'timeout' // killed after the wall-clock limit
  | 'killed' // killed by a signal (SIGKILL from the OOM killer, user interrupt)
  | 'out-of-memory' // the log says so (std::bad_alloc, "Out of memory", exit 137)
  | 'licence' // Xilinx licence errors (e.g. [Common 17-345], [Common 17-348])
  | 'tool-error' // non-zero exit or an `ERROR: [` line
  | 'missing-output'; // the tool exited 0 but did not produce what was expected (checked by the caller)

export interface ToolRun {
  command: string;
  args: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  logFile: string;
  kind: FailureKind;
  /** first `ERROR:` line or a summary of why it failed */
  reason: string;
}

export interface RunToolOptions {
  cwd: string;
  logFile: string;
  timeoutMs: number;
  env?: Record<string, string>;
  /** extra regexes that mark the run as failed even with exit 0 */
  errorPatterns?: RegExp[];
  /** called with each chunk of output (progress display) */
  onOutput?: (chunk: string) => void;
}

/** Find an executable on PATH (or as given when it contains a slash). */
export function which(cmd: string, pathEnv = process.env.PATH ?? ''): string | null {
  // a path is made absolute: the tool runs in another cwd, where a relative path would not resolve
  if (cmd.includes('/')) return existsSync(cmd) ? resolve(cmd) : null;
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return null;
}

const LICENCE = /(\[Common 17-34[5-9]\])|(FLEXnet|license checkout failed|Failed to get a license|No valid license)/i;
const OOM = /(std::bad_alloc|out of memory|Cannot allocate memory|Killed\s*$)/im;
const ERROR_LINE = /^(ERROR:\s*\[.*|ERROR:.*)$/m;

/** Classify a finished run from its exit status and log text. Pure; exported for tests. */
export function classify(r: { exitCode: number | null; signal: string | null; timedOut: boolean; log: string; errorPatterns?: RegExp[] }): { kind: FailureKind; reason: string } {
  const errLine = ERROR_LINE.exec(r.log)?.[0]?.trim();
  if (r.timedOut) return { kind: 'timeout', reason: 'wall-clock timeout; the process group was killed' };
  if (LICENCE.test(r.log)) {
    const line = r.log.split('\n').find((l) => LICENCE.test(l))?.trim() ?? 'licence error';
    return { kind: 'licence', reason: line };
  }
  if (OOM.test(r.log) || r.exitCode === 137) return { kind: 'out-of-memory', reason: errLine ?? 'out of memory (killed or std::bad_alloc)' };
  if (r.signal) return { kind: 'killed', reason: `killed by ${r.signal}` };
  if (r.exitCode !== 0) return { kind: 'tool-error', reason: errLine ?? `exit code ${r.exitCode}` };
  if (errLine) return { kind: 'tool-error', reason: errLine };
  for (const p of r.errorPatterns ?? []) {
    const m = p.exec(r.log);
    if (m) return { kind: 'tool-error', reason: m[0].trim() };
  }
  return { kind: 'ok', reason: '' };
}

export async function runTool(command: string, args: string[], opts: RunToolOptions): Promise<ToolRun> {
  const start = Date.now();
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const exe = which(command);
  if (!exe) {
    return { command, args, exitCode: null, signal: null, timedOut: false, durationMs: 0, logFile: opts.logFile, kind: 'not-found', reason: `${command} not found on PATH` };
  }
  const log = createWriteStream(opts.logFile);
  log.write(`$ ${command} ${args.join(' ')}\n# cwd ${opts.cwd}\n`);
  const child = execa(exe, args, {
    cwd: opts.cwd,
    env: opts.env,
    reject: false,
    all: true,
    stdin: 'ignore',
    buffer: false,
    detached: true, // own process group, so the timeout can kill grandchildren too
    cleanup: true,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, opts.timeoutMs);
  child.all?.on('data', (b: Buffer) => {
    log.write(b);
    opts.onOutput?.(b.toString());
  });
  const res = await child;
  clearTimeout(timer);
  await new Promise<void>((r) => log.end(r));
  const text = existsSync(opts.logFile) ? readFileSync(opts.logFile, 'utf8') : '';
  const exitCode = res.exitCode ?? null;
  const signal = res.signal ?? null;
  if (exitCode === null && signal === null && !timedOut) {
    // the process never started (spawn error: not executable, bad cwd, ...)
    const msg = (res as { shortMessage?: string; message?: string }).shortMessage ?? (res as { message?: string }).message ?? 'could not start';
    return { command, args, exitCode, signal, timedOut, durationMs: Date.now() - start, logFile: opts.logFile, kind: 'tool-error', reason: `could not start ${exe}: ${msg}` };
  }
  const { kind, reason } = classify({ exitCode, signal, timedOut, log: text, errorPatterns: opts.errorPatterns });
  return { command, args, exitCode, signal, timedOut, durationMs: Date.now() - start, logFile: opts.logFile, kind, reason };
}
