/**
 * One failure-class table for every tool runner (FAILURE_CLASSES in src/synth/run-tool.ts): a crash is exit 70
 * whether the tool died of SIGSEGV or a shell reported 139, never "raise --timeout"; a licence error is 75 for
 * yosys and vitis alike; SIGKILL / 137 is out-of-memory (75). Timeouts beyond setTimeout's 2^31-1 ms range
 * do not fire at once.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitRtl } from '../../src/emit/rtl.js';
import { emitHls } from '../../src/emit/hls.js';
import type { Design } from '../../src/core/design.js';
import { classify, FAILURE_CLASSES, runTool } from '../../src/synth/run-tool.js';
import { cli } from '../cli/helpers.js';

const design = JSON.parse(readFileSync(join(__dirname, '../fixtures/designs/tiny-w2a2.json'), 'utf8')) as Design;
const root = mkdtempSync(join(tmpdir(), 'cosearch-fail-'));
const prj = join(root, 'prj');

/** A directory holding a stand-in `name` that runs `body` (sh). */
function fakeTool(name: string, body: string): string {
  const dir = join(root, `bin-${name}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  writeFileSync(join(dir, name), `#!/bin/sh\n# stand-in for ${name} (failure-handling tests only)\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
  return dir;
}

async function withPath<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = `${dir}:${saved}`;
  try {
    return await f();
  } finally {
    process.env.PATH = saved;
  }
}

beforeAll(() => {
  const model = randomIntModel(design, 3);
  emitRtl(model, prj, { testImages: new Uint8Array(144 * 2).fill(7), testCount: 2 });
  emitHls(model, prj, { testImages: new Uint8Array(144 * 2).fill(7), testCount: 2 });
});

describe('yosys failures through `cosearch synth --tool yosys`', () => {
  it('exit 139 (a shell reporting SIGSEGV) is a crash: exit 70, not "raise --timeout"', async () => {
    const r = await withPath(fakeTool('yosys', 'echo "Yosys 0.23"; exit 139'), () => cli(['synth', prj, '--tool', 'yosys']));
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/error: yosys crashed \(exit code 139, i\.e\. SIGSEGV\)/);
    expect(r.stderr).not.toContain('--timeout');
  });
  it('a real SIGSEGV is the same crash: exit 70, not a temporary failure', async () => {
    const r = await withPath(fakeTool('yosys', 'kill -SEGV $$'), () => cli(['synth', prj, '--tool', 'yosys']));
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/error: yosys crashed \(SIGSEGV\)/);
    expect(r.stderr).not.toContain('--timeout');
  });
  it('a licence error is exit 75 for yosys as for vitis', async () => {
    const lic = 'echo "ERROR: [Common 17-345] A valid license was not found for feature \'Synthesis\'"; exit 1';
    const y = await withPath(fakeTool('yosys', lic), () => cli(['synth', prj, '--tool', 'yosys']));
    const v = await withPath(fakeTool('vitis_hls', lic), () => cli(['synth', prj, '--tool', 'vitis']));
    expect(y.code).toBe(75);
    expect(v.code).toBe(75);
    expect(y.stderr).toContain('could not get a licence');
    expect(v.stderr).toContain('could not get a licence');
  });
  it('exit 137 (SIGKILL, the OOM killer) is out-of-memory, exit 75', async () => {
    const r = await withPath(fakeTool('yosys', 'exit 137'), () => cli(['synth', prj, '--tool', 'yosys']));
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('ran out of memory');
  });
});

describe('the table', () => {
  it('every failure kind has an exit code and a hint; classify maps 128+N exits to signals', () => {
    for (const [k, c] of Object.entries(FAILURE_CLASSES)) expect([64, 65, 69, 70, 74, 75], k).toContain(c.exitCode);
    expect(classify({ exitCode: 139, signal: null, timedOut: false, log: '' }).kind).toBe('crashed');
    expect(classify({ exitCode: 134, signal: null, timedOut: false, log: '' }).kind).toBe('crashed');
    expect(classify({ exitCode: null, signal: 'SIGSEGV', timedOut: false, log: '' }).kind).toBe('crashed');
    expect(classify({ exitCode: null, signal: 'SIGTERM', timedOut: false, log: '' }).kind).toBe('killed');
    expect(classify({ exitCode: 1, signal: null, timedOut: false, log: '' }).kind).toBe('tool-error');
  });
});

describe('timeouts', () => {
  const tool = fakeTool('sleep1', 'sleep 1; exit 0');
  it('a timeout beyond 2^31-1 ms (3,000,000 s) or Infinity does not fire at once', async () => {
    for (const timeoutMs of [3_000_000_000, Infinity]) {
      const r = await runTool(join(tool, 'sleep1'), [], { cwd: root, logFile: join(root, 'sleep.log'), timeoutMs });
      expect(r.kind, String(timeoutMs)).toBe('ok');
      expect(r.durationMs).toBeGreaterThanOrEqual(900);
    }
  });
  it('--timeout 3000000 reaches the tool as a long limit, --timeout Infinity is refused (64)', async () => {
    const r = await withPath(fakeTool('yosys', 'sleep 1; exit 0'), () => cli(['synth', prj, '--tool', 'yosys', '--timeout', '3000000']));
    expect(r.stderr).not.toContain('timed out');
    expect(r.code).toBe(70); // exit 0 without statistics: missing output, after the tool ran its second
    expect(r.stderr).toContain('wrote no');
    const inf = await cli(['synth', prj, '--tool', 'yosys', '--timeout', 'Infinity']);
    expect(inf.code).toBe(64);
  });
});
