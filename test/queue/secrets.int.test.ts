/**
 * A password-protected Redis with TLS (rediss://, a self-signed certificate trusted through NODE_EXTRA_CA_CERTS):
 * a worker and `cosearch queue status` connect over TLS, the coordinator over the password-only port, and no
 * log line, status output, error or result contains the password.
 * Needs: redis-server (make test installs it), openssl, the Fashion-MNIST dataset, dist/ (rebuilt when stale).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisQueue } from '../../src/dist/redis-queue.js';
import type { CosearchError } from '../../src/errors.js';
import { jobId } from '../../src/search/jobs.js';
import { buildOnce, freePort, HAVE_REDIS, MAIN, startRedis, startWorkerProc, stopWorker, tinyJob, type RedisServer } from './helpers.js';

const run = promisify(execFile);
const PW = 's3cret-Pa55';
const HAVE_OPENSSL = spawnSync('openssl', ['version']).status === 0;
const suite = HAVE_REDIS && HAVE_OPENSSL ? describe : describe.skip;
if (!HAVE_REDIS || !HAVE_OPENSSL) console.warn('test/queue/secrets: redis-server or openssl missing: TLS/password tests skipped');

suite('password and TLS', () => {
  let redis: RedisServer;
  let certDir: string;
  let tlsPort: number;
  const tlsUrl = (pw = PW): string => `rediss://:${pw}@localhost:${tlsPort}/0`;
  const cli = async (args: string[]): Promise<{ code: number; out: string }> => {
    try {
      const r = await run(process.execPath, [MAIN, ...args], { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem') } });
      return { code: 0, out: r.stdout + r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout + x.stderr };
    }
  };

  beforeAll(async () => {
    await buildOnce();
    certDir = mkdtempSync(join(tmpdir(), 'cosearch-tls-'));
    const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { encoding: 'utf8' });
    if (ssl.status !== 0) throw new Error(ssl.stderr);
    tlsPort = await freePort();
    const c = (f: string): string => join(certDir, f);
    redis = await startRedis(['--requirepass', PW, '--tls-port', String(tlsPort), '--tls-cert-file', c('cert.pem'), '--tls-key-file', c('key.pem'), '--tls-ca-cert-file', c('cert.pem'), '--tls-auth-clients', 'no']);
  });
  afterAll(async () => {
    await redis?.stop();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  it('worker and status over rediss:// with a password; the password is masked everywhere', async () => {
    const w = startWorkerProc(tlsUrl(), [], { NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem') });
    const lines: string[] = [];
    const q = await RedisQueue.open(`redis://:${PW}@127.0.0.1:${redis.port}/0`, { pollMs: 300, log: (l) => void lines.push(l) });
    try {
      await w.waitFor(/waiting for jobs on rediss:\/\/:\*\*\*@localhost/);
      const job = await tinyJob(4, 91);
      const r = await q.run(job);
      expect(r.id).toBe(jobId(job));
      expect(q.name).toBe(`redis redis://:***@127.0.0.1:${redis.port}/0`);
      const st = await cli(['queue', 'status', '--queue', tlsUrl(), '--json']);
      expect(st.code).toBe(0);
      const s = JSON.parse(st.out) as { queue: string; counts: { completed: number; waiting: number }; workers: unknown[]; jobs: Array<{ id: string; state: string; runSeconds?: number }> };
      expect(s.queue).toBe(`rediss://:***@localhost:${tlsPort}/0`);
      expect(s.counts).toMatchObject({ completed: 1, waiting: 0 });
      expect(s.workers).toHaveLength(1);
      expect(s.jobs[0]).toMatchObject({ id: jobId(job), state: 'completed' });
      expect(s.jobs[0]!.runSeconds).toBeGreaterThan(0);
      const text = await cli(['queue', 'status', '--queue', tlsUrl()]);
      expect(text.out).toMatch(/1 done, 0 failed\nworkers alive: 1/);
      // a wrong password: a clear usage error (64) at once, naming the masked URL, from status and from a worker
      const bad = await cli(['queue', 'status', '--queue', tlsUrl('wrong-pw')]);
      expect(bad.code).toBe(64);
      expect(bad.out).toMatch(/error: Redis at rediss:\/\/:\*\*\*@localhost:\d+\/0 refused the credentials \((WRONGPASS|NOAUTH)/);
      const badWorker = await cli(['worker', '--queue', tlsUrl('wrong-pw'), '--backend', 'wasm']);
      expect(badWorker.code).toBe(64);
      expect(badWorker.out).toMatch(/refused the credentials/);
      for (const text2 of [w.log(), lines.join('\n'), st.out, text.out, bad.out, badWorker.out, JSON.stringify(r)]) {
        expect(text2).not.toContain(PW);
        expect(text2).not.toContain('wrong-pw');
      }
    } finally {
      await q.close();
      await stopWorker(w);
    }
  });
});
