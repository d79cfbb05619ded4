/**
 * Drive the vendor HLS tool on a generated project: C synthesis only (the slow cosim/export steps stay in
 * `make hls`). Tool search order on PATH: v++ (unified flow, `v++ -c --mode hls --config hls_config.cfg`),
 * vitis-run (`vitis-run --mode hls --tcl run_hls.tcl`), vitis_hls (`vitis_hls -f run_hls.tcl`); the Tcl flows
 * get COSEARCH_HLS_STEPS=csynth. The run has a wall-clock timeout that kills the whole process group, its log
 * goes to PRJ/reports/vitis-synth.log, failures are classified (src/synth/run-tool.ts classify: exit code,
 * `ERROR: [` lines, licence errors [Common 17-345]/[Common 17-348], killed / out of memory) and a run that
 * exits 0 without writing `<top>_csynth.xml` is a failure too. The report becomes PRJ/reports/vitis.json, with
 * `loops`: every loop of the per-module reports beside the top's (achieved II, target II from the log) flagged where
 * it does not run at the II the cost model assumed (src/synth/csynth-parse.ts collectLoopSchedules).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ToolFailedError, ToolMissingError } from '../errors.js';
import { writeJsonAtomic } from '../io.js';
import type { PartCapacity, ResourceReport } from '../core/report.js';
import { DEFAULT_TIMEOUT_MS, runTool, toolFailure, which, type ToolRun } from './run-tool.js';
import { collectLoopSchedules, parseCsynthXml } from './csynth-parse.js';
import { readHlsManifest } from './csim.js';
import { loadPart } from '../parts.js';
import { partCapacity } from '../core/part.js';

export const VITIS_TOOLS = ['v++', 'vitis-run', 'vitis_hls'] as const;
export const VITIS_DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_MS.vitis;

export interface SynthVitisOptions {
  timeoutMs?: number;
  /** PATH to search instead of process.env.PATH (tests put stand-in tools here) */
  pathEnv?: string;
}

export function findVitisTool(pathEnv = process.env.PATH ?? ''): { tool: (typeof VITIS_TOOLS)[number]; exe: string } | null {
  for (const tool of VITIS_TOOLS) {
    const exe = which(tool, pathEnv);
    if (exe) return { tool, exe };
  }
  return null;
}

export function vitisArgs(tool: (typeof VITIS_TOOLS)[number], top: string): string[] {
  if (tool === 'v++') return ['-c', '--mode', 'hls', '--config', 'hls_config.cfg', '--work_dir', `${top}_work`];
  if (tool === 'vitis-run') return ['--mode', 'hls', '--tcl', 'run_hls.tcl'];
  return ['-f', 'run_hls.tcl'];
}

/** Newest file called `name` under dir (not following node_modules), modified at or after `since`. */
function findReport(dir: string, name: string, since: number): string | null {
  let best: { p: string; t: number } | null = null;
  const scan = (d: string, depth: number): void => {
    if (depth > 8) return;
    for (const f of readdirSync(d)) {
      if (f === 'node_modules' || f === 'build') continue;
      const p = join(d, f);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) scan(p, depth + 1);
      else if (f === name && st.mtimeMs >= since - 1000 && (!best || st.mtimeMs > best.t)) best = { p, t: st.mtimeMs };
    }
  };
  scan(dir, 0);
  return best ? (best as { p: string }).p : null;
}

/** Map a failed run onto the error the CLI reports (the shared FAILURE_CLASSES table of run-tool.ts). */
export function vitisFailure(run: ToolRun, tool: string, timeoutMs: number): Error {
  return toolFailure(run, tool, { timeoutMs, hint: 'raise --timeout or simplify the design' });
}

function partFor(name: string): PartCapacity {
  try {
    return partCapacity(loadPart(name));
  } catch {
    return { name, family: 'unknown', lut: 0, ff: 0, bram18: 0, dsp: 0, uram: 0 };
  }
}

export async function synthVitis(prjDir: string, opts: SynthVitisOptions = {}): Promise<ResourceReport> {
  const dir = resolve(prjDir);
  const m = readHlsManifest(dir);
  const found = findVitisTool(opts.pathEnv);
  if (!found) throw new ToolMissingError(`no Vitis HLS tool on PATH (looked for ${VITIS_TOOLS.join(', ')}); source <Vitis install>/settings64.sh or use --tool yosys`);
  const timeoutMs = opts.timeoutMs ?? VITIS_DEFAULT_TIMEOUT_MS;
  const logFile = join(dir, 'reports', 'vitis-synth.log');
  const start = Date.now();
  const run = await runTool(found.exe, vitisArgs(found.tool, m.top), {
    cwd: dir,
    logFile,
    timeoutMs,
    env: { ...process.env, COSEARCH_HLS_STEPS: 'csynth' } as Record<string, string>,
  });
  if (run.kind !== 'ok') throw vitisFailure(run, found.tool, timeoutMs);
  const name = `${m.top}_csynth.xml`;
  const report = findReport(dir, name, start);
  if (!report) throw new ToolFailedError(`${found.tool} exited 0 but wrote no ${name} (log: ${logFile})`, 'missing-output', { logFile, hint: 'check the log for the synthesis step' });
  const rr = parseCsynthXml(readFileSync(report, 'utf8'), { part: partFor(m.design.target.part), design: m.design.name, clockMHz: m.clockMHz }, report);
  rr.loops = loopSchedulesBeside(report, logFile);
  rr.source.createdAt = new Date().toISOString();
  writeJsonAtomic(join(dir, 'reports', 'vitis.json'), rr);
  return rr;
}

/** The loops of every `*_csynth.xml` in the top report's directory (the per-module reports), target II from the log. */
export function loopSchedulesBeside(topReport: string, logFile?: string) {
  const dir = dirname(topReport);
  const files = readdirSync(dir).filter((f) => f.endsWith('_csynth.xml')).sort();
  const log = logFile && existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  return collectLoopSchedules(files.map((f) => readFileSync(join(dir, f), 'utf8')), log);
}

export function vitisReportPath(prjDir: string): string {
  return join(prjDir, 'reports', 'vitis.json');
}

export function hasVitisReport(prjDir: string): boolean {
  return existsSync(vitisReportPath(prjDir));
}
