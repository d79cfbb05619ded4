/**
 * A throw-away redis-server for the tests and bench/dist.ts: a free loopback port (127.0.0.1 only), no RDB
 * snapshots, appendonly in a temp directory (so a restart keeps the queue), stopped and removed afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** stop (SIGTERM: appendonly is flushed) and start again on the same port and files */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(extra: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cosearch-redis-'));
  let proc: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir, '--daemonize', 'no', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc = p;
    let out = '';
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`redis-server did not start:\n${out}`)), 10_000);
      p.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(t);
          res();
        }
      });
      p.on('exit', (c) => {
        clearTimeout(t);
        rej(new Error(`redis-server exited (${c}):\n${out}`));
      });
    });
  };
  const stopProc = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((res) => {
      p.once('exit', () => res());
      p.kill('SIGTERM');
    });
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    dir,
    async restart(downMs = 500) {
      await stopProc();
      await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    async stop() {
      await stopProc();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

