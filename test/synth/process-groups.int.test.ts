/**
 * Needs: g++ (a csim build is killed mid-compile).
 * Tools run in their own process group, and that group is killed on every way cosearch can end: kill -9,
 * SIGTERM, SIGINT, an uncaught exception (src/synth/run-tool.ts guard). And csim's g++ when a run is killed.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitHls } from '../../src/emit/hls.js';
import { goldenDesign } from '../synth/helpers.js';
import { spawnTs, MAIN } from '../cli/helpers.js';

const CHILD = join(__dirname, 'fixtures', 'run-tool-child.ts');
const TOOL = join(__dirname, 'fixtures', 'group-tool.sh');
chmodSync(TOOL, 0o755);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // a zombie is dead for our purpose
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; ) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

async function startChild(mode?: string): Promise<{ pid: number; tools: number[]; exited: Promise<unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cosearch-pg-'));
  const pidFile = join(dir, 'tool.pids');
  const c = spawnTs(CHILD, [TOOL, pidFile, ...(mode ? [mode] : [])]);
  const exited = new Promise((r) => c.on('exit', r));
  let out = '';
  c.stdout!.on('data', (b) => (out += b));
  c.stderr!.on('data', () => undefined);
  expect(await until(() => /pid \d+/.test(out) && existsSync(pidFile), 20_000)).toBe(true);
  const pid = Number(/pid (\d+)/.exec(out)![1]);
  const tools = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
  expect(tools.every(alive)).toBe(true);
  return { pid, tools, exited };
}

// the guard is a shell woken by a closed pipe: on a loaded 2-core CI machine (a full `make test`) it once took longer
// than 5 s to be scheduled and kill the group; 20 s still fails a guard that does not work (the tool sleeps 300 s)
describe('a tool\'s process group dies with cosearch', () => {
  for (const sig of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
    it(`${sig} to cosearch kills the tool and its grandchildren`, async () => {
      const { pid, tools, exited } = await startChild();
      process.kill(pid, sig);
      await exited;
      expect(await until(() => !tools.some(alive), 20_000), `tool processes ${tools.join(', ')} still running`).toBe(true);
    }, 40_000);
  }
  it('an uncaught exception in cosearch kills the tool', async () => {
    const { tools, exited } = await startChild('throw');
    await exited;
    expect(await until(() => !tools.some(alive), 20_000)).toBe(true);
  }, 40_000);
});

describe('csim', () => {
  it('killing `cosearch csim` (kill -9) while g++ compiles leaves no compiler running', async () => {
    // the golden W2A2 CNN: its csim build takes several seconds, long after the kill below
    const design = goldenDesign('w2a2');
    const prj = join(mkdtempSync(join(tmpdir(), 'cosearch-pg-csim-')), 'prj');
    emitHls(randomIntModel(design, 3), prj, { testImages: new Uint8Array(784 * 2).fill(7), testCount: 2 });
    const compilers = (): number[] =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
            return /(g\+\+|cc1plus|\bas\b|collect2|ld)/.test(cmd.split('\0')[0] ?? '') && (cmd.includes(prj) || readFileSync(`/proc/${p}/environ`, 'utf8').includes(prj) || spawnSync('readlink', [`/proc/${p}/cwd`]).stdout.toString().trim() === prj);
          } catch {
            return false;
          }
        })
        .map(Number);
    const c = spawnTs(MAIN, ['csim', prj]);
    c.stdout!.on('data', () => undefined);
    c.stderr!.on('data', () => undefined);
    const exited = new Promise((r) => c.on('exit', r));
    expect(await until(() => compilers().length > 0, 30_000), 'g++ started').toBe(true);
    // tsx runs the CLI in a child node process: kill that one (the process that called runTool)
    const node = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).find((p) => {
      try {
        return Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === c.pid && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('main.ts');
      } catch {
        return false;
      }
    });
    expect(node).toBeDefined();
    const running = compilers();
    process.kill(node!, 'SIGKILL');
    await exited;
    // gone within a second (the build itself needs several): killed, not finished
    expect(await until(() => !running.some(alive) && compilers().length === 0, 1000), `compiler processes left: ${compilers().join(', ')}`).toBe(true);
  }, 60_000);
});
