/**
 * Run the CLI in-process (src/cli/main.ts runCli) and capture its output and exit code; run TypeScript entry
 * points as real child processes (tsx); mount a small tmpfs (root only) for full-disk and read-only tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';

export async function cli(args: string[], opts: { columns?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  // yargs prints --help and --version with console.log (vitest captures the console separately)
  const l = vi.spyOn(console, 'log').mockImplementation((...xs: unknown[]) => void (stdout += xs.join(' ') + '\n'));
  const le = vi.spyOn(console, 'error').mockImplementation((...xs: unknown[]) => void (stderr += xs.join(' ') + '\n'));
  try {
    const code = await runCli(args, opts);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
    le.mockRestore();
  }
}

export const ROOT = join(__dirname, '..', '..');
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
export const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

export function spawnTs(script: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(TSX, [script, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function runTs(script: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawnTs(script, args, opts);
    let stdout = '';
    let stderr = '';
    c.stdout!.on('data', (b) => (stdout += b));
    c.stderr!.on('data', (b) => (stderr += b));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Mount a tmpfs with mount options `opts` (e.g. "size=64k" or "ro") at `dir`; false when not permitted here. */
export function mountTmpfs(dir: string, opts: string): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]).status === 0;
}

export function umount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}
