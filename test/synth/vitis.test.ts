/**
 * `cosearch synth PRJ --tool vitis` failure handling with stand-in tool scripts (test/fixtures/fake-tools):
 * a crash, a hang past the timeout (whole process group killed), a licence error, a run that exits 0 without
 * a report, a synthesis error, a successful run whose report is parsed, and the tool missing (exit 69).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import type { Design } from '../../src/core/design.js';
import { emitHls } from '../../src/emit/hls.js';
import { synthVitis, vitisFailure } from '../../src/synth/vitis.js';
import { classify, type ToolRun } from '../../src/synth/run-tool.js';
import { TempError, ToolFailedError, ToolMissingError } from '../../src/errors.js';
import { runCli } from '../../src/cli/main.js';
import { validateWithSchema } from '../../src/config.js';
import { cli } from '../cli/helpers.js';

const fake = join(__dirname, '../fixtures/fake-tools');
const design = JSON.parse(readFileSync(join(__dirname, '../fixtures/designs/tiny-w2a2.json'), 'utf8')) as Design;
const root = mkdtempSync(join(tmpdir(), 'cosearch-vitis-'));
const prj = join(root, 'prj');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('synthVitis with stand-in tools', () => {
  beforeAll(() => {
    for (const d of readdirSync(fake)) for (const f of readdirSync(join(fake, d))) chmodSync(join(fake, d, f), 0o755);
    emitHls(randomIntModel(design, 3), prj, { testImages: new Uint8Array(144 * 2).fill(7), testCount: 2 });
  });

  it('a crash (SIGSEGV) is a tool failure naming the signal and the log', async () => {
    const e = await synthVitis(prj, { pathEnv: join(fake, 'crash'), timeoutMs: 20_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ToolFailedError);
    expect((e as ToolFailedError).kind).toBe('crashed');
    expect((e as Error).message).toMatch(/vitis_hls crashed \(SIGSEGV\).*vitis-synth\.log/);
    expect(readFileSync(join(prj, 'reports', 'vitis-synth.log'), 'utf8')).toContain('Running: csynth_design');
  });

  it('a synthesis error reports the first ERROR: [ line', async () => {
    const e = await synthVitis(prj, { pathEnv: join(fake, 'error'), timeoutMs: 20_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ToolFailedError);
    expect((e as ToolFailedError).kind).toBe('tool-error');
    expect((e as Error).message).toContain("ERROR: [HLS 207-3776] use of undeclared identifier 'foo'");
  });

  it('a hang past the timeout kills the process group and is a temporary failure (exit 75)', async () => {
    const t0 = Date.now();
    const e = await synthVitis(prj, { pathEnv: join(fake, 'hang'), timeoutMs: 1500 }).catch((x: unknown) => x);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(e).toBeInstanceOf(TempError);
    expect((e as TempError).exitCode).toBe(75);
    expect((e as Error).message).toMatch(/timed out after 2 s; its process group was killed/);
    const pid = Number(readFileSync(join(prj, 'hang-child.pid'), 'utf8'));
    // the grandchild (sleep) must be gone too
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
  });

  it('a licence error is a temporary failure quoting [Common 17-345]', async () => {
    const e = await synthVitis(prj, { pathEnv: join(fake, 'licence'), timeoutMs: 20_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TempError);
    expect((e as Error).message).toContain('[Common 17-345]');
  });

  it('exit 0 without a csynth report is a missing-output failure', async () => {
    const e = await synthVitis(prj, { pathEnv: join(fake, 'noreport'), timeoutMs: 20_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ToolFailedError);
    expect((e as ToolFailedError).kind).toBe('missing-output');
    expect((e as Error).message).toContain('tiny_w2a2_top_csynth.xml');
  });

  it('a successful run (v++ unified flow) is parsed into reports/vitis.json', async () => {
    process.env.COSEARCH_FAKE_CSYNTH = join(__dirname, '../fixtures/csynth/vitis-2023.2_csynth.xml');
    try {
      const r = await synthVitis(prj, { pathEnv: join(fake, 'ok'), timeoutMs: 20_000 });
      expect(r.total.lut).toBe(9876);
      expect(r.performance.intervalCycles).toBe(401);
      expect(existsSync(join(prj, 'tiny_w2a2_top_work/hls/syn/report/tiny_w2a2_top_csynth.xml'))).toBe(true);
      const saved = JSON.parse(readFileSync(join(prj, 'reports', 'vitis.json'), 'utf8'));
      expect(saved.total.dsp).toBe(3);
      expect(saved.source.tool).toBe('vitis-hls');
    } finally {
      delete process.env.COSEARCH_FAKE_CSYNTH;
    }
  });

  it('reads the per-module reports beside the top one: loops in reports/vitis.json, a warning line per flagged loop', async () => {
    // hand-written module reports and log (Vitis cannot run here), copied by the stand-in v++ next to the top report
    process.env.COSEARCH_FAKE_CSYNTH = join(__dirname, '../fixtures/csynth/vitis-2023.2_csynth.xml');
    process.env.COSEARCH_FAKE_CSYNTH_MODULES = join(__dirname, '../fixtures/csynth/loops');
    process.env.COSEARCH_FAKE_LOG = join(__dirname, '../fixtures/csynth/loops/vitis_hls.log.txt');
    const saved = process.env.PATH;
    process.env.PATH = `${join(fake, 'ok')}:${saved}`;
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      r = await cli(['synth', prj, '--tool', 'vitis']);
    } finally {
      process.env.PATH = saved;
      delete process.env.COSEARCH_FAKE_CSYNTH;
      delete process.env.COSEARCH_FAKE_CSYNTH_MODULES;
      delete process.env.COSEARCH_FAKE_LOG;
    }
    expect(r.code, r.stderr).toBe(0);
    const saved_ = JSON.parse(readFileSync(join(prj, 'reports', 'vitis.json'), 'utf8'));
    expect(saved_.loops).toHaveLength(5);
    expect(() => validateWithSchema('report', saved_, 'vitis.json')).not.toThrow();
    expect(saved_.loops.filter((l: { flag: string | null }) => l.flag !== null).map((l: { loop: string }) => l.loop)).toEqual(['VITIS_LOOP_30_1', 'DRAIN']);
    expect(saved_.loops.find((l: { loop: string }) => l.loop === 'VITIS_LOOP_30_1')).toMatchObject({ achievedII: 2, targetII: 1, modelII: 1 });
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^warning: L1_pool0_Pipeline_VITIS_LOOP_30_1: loop VITIS_LOOP_30_1 achieved II=2 \(target 1\)/);
    expect(r.stdout).toMatch(/^vitis-hls 2023\.2: LUT 9876/);
  });

  it('no tool on PATH: one clear line and exit 69', async () => {
    const empty = join(root, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    await expect(synthVitis(prj, { pathEnv: empty })).rejects.toBeInstanceOf(ToolMissingError);
    const saved = process.env.PATH;
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.env.PATH = empty;
    process.stderr.write = ((s: string) => (writes.push(String(s)), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await runCli(['synth', prj, '--tool', 'vitis']);
    } finally {
      process.env.PATH = saved;
      process.stderr.write = orig;
    }
    expect(code).toBe(69);
    expect(writes.join('')).toBe('error: no Vitis HLS tool on PATH (looked for v++, vitis-run, vitis_hls); source <Vitis install>/settings64.sh or use --tool yosys\n');
  });

  it('classifies licence 17-348 and out-of-memory logs as temporary failures', () => {
    const mk = (log: string, exitCode: number | null, signal: string | null = null): ToolRun => {
      const c = classify({ exitCode, signal, timedOut: false, log });
      return { command: 'vitis_hls', args: [], exitCode, signal, timedOut: false, durationMs: 1, logFile: 'x.log', ...c };
    };
    const lic = vitisFailure(mk('ERROR: [Common 17-348] Failed to get the license for feature HLS\n', 1), 'vitis_hls', 1000);
    expect(lic).toBeInstanceOf(TempError);
    expect(lic.message).toContain('17-348');
    const oom = vitisFailure(mk('terminate called after throwing an instance of std::bad_alloc\n', 134, 'SIGABRT'), 'vitis_hls', 1000);
    expect(oom).toBeInstanceOf(TempError);
    expect(oom.message).toMatch(/out-of-memory/);
    const killed = vitisFailure(mk('INFO: running\n', null, 'SIGKILL'), 'vitis_hls', 1000);
    expect(killed).toBeInstanceOf(TempError);
  });

  it('CLI: `cosearch synth --tool vitis --timeout` maps a hang to exit 75', async () => {
    const saved = process.env.PATH;
    const orig = process.stderr.write.bind(process.stderr);
    const writes: string[] = [];
    process.env.PATH = `${join(fake, 'hang')}:${saved}`;
    process.stderr.write = ((x: string) => (writes.push(String(x)), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await runCli(['synth', prj, '--tool', 'vitis', '--timeout', '1']);
    } finally {
      process.env.PATH = saved;
      process.stderr.write = orig;
    }
    expect(code).toBe(75);
    expect(writes.join('')).toMatch(/^error: vitis_hls timed out after 1 s; its process group was killed/);
  });
});
