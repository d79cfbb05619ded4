/**
 * Run an external tool (vitis-run, v++, vitis_hls, yosys, g++, verilator) through execa with a wall-clock
 * timeout, streaming stdout+stderr to a log file, and classify failures with one table (FAILURE_CLASSES) that
 * every tool runner uses (`toolFailure`).
 *
 * Process groups: the tool runs in its own process group (detached), so a timeout kills its grandchildren too.
 * A guard process (sh) holds the read end of a pipe from us; when we exit in any way (normal end, exception,
 * SIGTERM, SIGINT, even kill -9) the pipe closes and the guard kills the tool's whole group, so no tool is
 * left running under pid 1. The same idea as a parent-death signal, without native code. The tool itself starts
 * only once its guard knows its group (a wrapper sh waits for a go line on stdin, then execs the tool), so a kill -9
 * that lands while it starts leaves nothing running either.
 */
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, createWriteStream, existsSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { ExitCode, TempError, ToolFailedError, ToolMissingError, type CosearchError, type ExitCodeValue } from '../errors.js';

export type FailureKind =
  | 'ok'
  | 'not-found' // the executable does not exist
  | 'timeout' // killed after the wall-clock limit
  | 'crashed' // died of a fault signal (SIGSEGV, SIGABRT, SIGBUS, ...), or a shell reported it as exit 128+N
  | 'killed' // stopped from outside (SIGTERM, SIGINT, SIGHUP)
  | 'out-of-memory' // std::bad_alloc / "Out of memory" in the log, or SIGKILL / exit 137 (the OOM killer)
  | 'licence' // Xilinx licence errors (e.g. [Common 17-345], [Common 17-348])
  | 'tool-error' // non-zero exit or an `ERROR: [` line
  | 'missing-output'; // the tool exited 0 but did not produce what was expected (checked by the caller)

/** Default wall-clock limits per tool (the --timeout defaults in --help come from here). */
export const DEFAULT_TIMEOUT_MS = {
  csim: 600_000,
  rtlsim: 600_000,
  yosys: 1_800_000,
  vitis: 4 * 3600_000,
} as const;

/** One failure class table for every tool runner: exit code, wording and hint per kind. */
export const FAILURE_CLASSES: Record<Exclude<FailureKind, 'ok'>, { exitCode: ExitCodeValue; what: string; hint: string }> = {
  'not-found': { exitCode: ExitCode.UNAVAILABLE, what: 'was not found', hint: 'install it or put it on PATH' },
  timeout: { exitCode: ExitCode.TEMP, what: 'timed out', hint: 'raise --timeout, or make the design smaller' },
  crashed: { exitCode: ExitCode.SOFTWARE, what: 'crashed', hint: 'a fault in the tool; see the log (another tool version or a smaller design may avoid it)' },
  killed: { exitCode: ExitCode.TEMP, what: 'was stopped from outside', hint: 'run it again' },
  'out-of-memory': { exitCode: ExitCode.TEMP, what: 'ran out of memory', hint: 'free memory, or make the design smaller' },
  licence: { exitCode: ExitCode.TEMP, what: 'could not get a licence', hint: 'check XILINXD_LICENSE_FILE / the licence server, then run again' },
  'tool-error': { exitCode: ExitCode.SOFTWARE, what: 'failed', hint: 'see the log' },
  'missing-output': { exitCode: ExitCode.SOFTWARE, what: 'did not produce its output', hint: 'see the log' },
};

/** The error the CLI reports for a failed run: exit code and hint from FAILURE_CLASSES. */
export function toolFailure(run: Pick<ToolRun, 'kind' | 'reason' | 'logFile' | 'durationMs' | 'signal'>, what: string, opts: { hint?: string; timeoutMs?: number } = {}): CosearchError {
  const kind = run.kind === 'ok' ? 'missing-output' : run.kind;
  const c = FAILURE_CLASSES[kind];
  const where = `(log: ${run.logFile})`;
  const hint = kind === 'timeout' && opts.hint ? opts.hint : c.hint;
  const after = `after ${Math.round((opts.timeoutMs ?? run.durationMs) / 1000)} s`;
  switch (kind) {
    case 'not-found':
      return new ToolMissingError(`${what} ${c.what}: ${run.reason}`, c.hint);
    case 'timeout':
      return new TempError(`${what} timed out ${after}; its process group was killed ${where}`, hint);
    case 'crashed':
      return new ToolFailedError(`${what} crashed (${run.reason}) ${where}`, kind, { logFile: run.logFile, exitCode: c.exitCode, hint });
    case 'killed':
    case 'out-of-memory':
    case 'licence':
      return new TempError(`${what} ${c.what} (${kind}): ${run.reason} ${where}`, hint);
    default:
      return new ToolFailedError(`${what} ${c.what}: ${run.reason} ${where}`, kind, { logFile: run.logFile, exitCode: c.exitCode, hint });
  }
}

const FAULT_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGABRT', 'SIGILL', 'SIGFPE', 'SIGSYS', 'SIGTRAP']);

/** The signal a shell reports as exit 128+N (e.g. 139 = SIGSEGV), else null. */
export function signalOfExitCode(code: number | null): string | null {
  if (code === null || code <= 128 || code > 128 + 64) return null;
  const n = code - 128;
  const name = Object.entries(osConstants.signals).find(([, v]) => v === n)?.[0];
  return name ?? null;
}

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
  const signal = r.signal ?? signalOfExitCode(r.exitCode);
  const how = r.signal ? signal : `exit code ${r.exitCode}, i.e. ${signal}`;
  if (OOM.test(r.log)) return { kind: 'out-of-memory', reason: errLine ?? 'out of memory (std::bad_alloc)' };
  if (signal === 'SIGKILL') return { kind: 'out-of-memory', reason: `killed by SIGKILL (${how}; usually the kernel's out-of-memory killer)` };
  if (signal && FAULT_SIGNALS.has(signal)) return { kind: 'crashed', reason: `${how}` };
  if (signal) return { kind: 'killed', reason: `killed by ${how}` };
  if (r.exitCode !== 0) return { kind: 'tool-error', reason: errLine ?? `exit code ${r.exitCode}` };
  if (errLine) return { kind: 'tool-error', reason: errLine };
  for (const p of r.errorPatterns ?? []) {
    const m = p.exec(r.log);
    if (m) return { kind: 'tool-error', reason: m[0].trim() };
  }
  return { kind: 'ok', reason: '' };
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A guard that kills a process group when this process goes away (the pipe to it closes, whatever the way we
 * exit) or when released. It is started before the tool and told the group afterwards (`watch`); the tool waits for
 * that (TOOL_WRAPPER), so a kill -9 that lands while the tool starts cannot slip between the tool's start and its
 * guard's (with the tool started first and told its guard after, a loaded 2-core machine left tools running in 6 of
 * 6 tries: test/synth/process-groups.int.test.ts under six busy loops).
 */
function groupGuard(): { watch: (pgid: number) => void; release: () => void } {
  // besides the pipe closing, a poller watches this process's pid once a second: a full `make test` twice left a
  // tool running after kill -9 of cosearch (test/synth/process-groups.int.test.ts), so the closed pipe alone is
  // not relied on; a release (end of stdin) stops the poller and kills the (finished) group as before
  const script = 'read pgid || exit 0; ( while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -9 -"$pgid" 2>/dev/null ) & w=$!; read _ignored; kill "$w" 2>/dev/null; kill -9 -"$pgid" 2>/dev/null; exit 0';
  const g = spawn('/bin/sh', ['-c', script, 'cosearch-guard', String(process.pid)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  g.on('error', () => undefined);
  g.stdin?.on('error', () => undefined);
  g.unref();
  (g.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return { watch: (pgid) => void g.stdin?.write(`${pgid}\n`), release: () => g.stdin?.end() };
}

/**
 * `sh -c TOOL_WRAPPER exe args...`: waits for a line on stdin (sent once the guard knows the group), then becomes the
 * tool (exec: same pid, exit status and signals) with stdin from /dev/null; on end of input without it (cosearch
 * died first) it exits and the tool never starts.
 */
const TOOL_WRAPPER = 'read _go || exit 125; exec "$0" "$@" </dev/null';

export async function runTool(command: string, args: string[], opts: RunToolOptions): Promise<ToolRun> {
  const start = Date.now();
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const exe = which(command);
  if (!exe) {
    return { command, args, exitCode: null, signal: null, timedOut: false, durationMs: 0, logFile: opts.logFile, kind: 'not-found', reason: `${command} not found on PATH` };
  }
  const log = createWriteStream(opts.logFile);
  log.write(`$ ${command} ${args.join(' ')}\n# cwd ${opts.cwd}\n`);
  // the wrapper's exec would report a file it cannot run as an exit status; say it as a spawn error would
  try {
    accessSync(exe, fsConstants.X_OK);
    if (!statSync(exe).isFile()) throw new Error('not a file');
  } catch (e) {
    log.end();
    return { command, args, exitCode: null, signal: null, timedOut: false, durationMs: 0, logFile: opts.logFile, kind: 'tool-error', reason: `could not start ${exe}: not an executable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const guard = groupGuard();
  const child = execa('/bin/sh', ['-c', TOOL_WRAPPER, exe, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    reject: false,
    all: true,
    stdin: 'pipe',
    buffer: false,
    detached: true, // own process group, so the timeout can kill grandchildren too
    cleanup: true,
  });
  const pgid = child.pid;
  if (pgid) guard.watch(pgid);
  else guard.release();
  child.stdin?.on('error', () => undefined);
  child.stdin?.end('go\n');
  let timedOut = false;
  const killGroup = (): void => {
    try {
      if (pgid) process.kill(-pgid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  // setTimeout overflows to 1 ms above 2^31-1 ms: re-arm in steps until the deadline
  const deadline = Date.now() + opts.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = deadline - Date.now();
    if (left <= 0) {
      timedOut = true;
      killGroup();
    } else timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  if (Number.isFinite(opts.timeoutMs)) arm();
  child.all?.on('data', (b: Buffer) => {
    log.write(b);
    opts.onOutput?.(b.toString());
  });
  const res = await child;
  clearTimeout(timer);
  // grandchildren left in the group (a tool that exited while its children run) go with it
  if (pgid) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* the group is already empty */
    }
  }
  guard?.release();
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
