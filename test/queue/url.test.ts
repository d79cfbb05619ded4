import { describe, expect, it } from 'vitest';
import { defineCommand, toLibraryOptions, type OptTable } from '../../src/cli/options.js';
import { openQueue, QUEUE_OPTIONS } from '../../src/dist/index.js';
import { freePort } from '../../src/dist/local-redis.js';
import { decodeFailure, encodeFailure } from '../../src/dist/jobs.js';
import { bullId, workerConcurrency } from '../../src/dist/redis-queue.js';
import { maskUrl, parseRedisUrl } from '../../src/dist/url.js';
import { DataError, TempError, UsageError } from '../../src/errors.js';
import { LocalQueue } from '../../src/search/local-queue.js';

describe('queue URLs', () => {
  it('maskUrl hides the password (and a lone token), keeps the rest', () => {
    expect(maskUrl('redis://:s3cret@host:6379/0')).toBe('redis://:***@host:6379/0');
    expect(maskUrl('rediss://alice:p%40ss@redis.example.org:6380/2')).toBe('rediss://alice:***@redis.example.org:6380/2');
    expect(maskUrl('redis://tok3n@host/1')).toBe('redis://***@host/1');
    expect(maskUrl('redis://127.0.0.1:6379/0')).toBe('redis://127.0.0.1:6379/0');
    expect(maskUrl('redis://:pw@host:port:x')).not.toMatch(/pw/);
  });

  it('parseRedisUrl: host, port, db, password, TLS; bad URLs are usage errors', () => {
    expect(parseRedisUrl('rediss://:p%40ss@h.example:6380/3')).toEqual({ host: 'h.example', port: 6380, db: 3, password: 'p@ss', tls: true, masked: 'rediss://:***@h.example:6380/3' });
    expect(parseRedisUrl('redis://u:pw@h')).toMatchObject({ port: 6379, db: 0, username: 'u', password: 'pw', tls: false });
    expect(() => parseRedisUrl('http://h:1/0')).toThrow(UsageError);
    expect(() => parseRedisUrl('redis://:pw@h:1/x')).toThrow(/database "x" is not a number/);
    expect(() => parseRedisUrl('redis://:pw@h:1/x')).not.toThrow(/pw/);
  });

  it('openQueue: local by default, usage error (64) for an unknown scheme, password masked', async () => {
    expect(await openQueue(undefined)).toBeInstanceOf(LocalQueue);
    expect(await openQueue('local')).toBeInstanceOf(LocalQueue);
    const e = (await openQueue('amqp://u:hunter2@h/').catch((x: unknown) => x)) as UsageError;
    expect(e.exitCode).toBe(64);
    expect(e.message).toMatch(/amqp:\/\/u:\*\*\*@h/);
    expect(e.message).not.toMatch(/hunter2/);
  });

  it('Redis not answering: exit 75 after the timeout, naming the masked URL', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const e = (await openQueue(`redis://:hunter2@127.0.0.1:${port}/0`, {}, { timeoutSec: 1 }).catch((x: unknown) => x)) as TempError;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(e).toBeInstanceOf(TempError);
    expect(e.message).toMatch(new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127.0.0.1:${port}/0 \\(.*ECONNREFUSED`));
    expect(e.message).not.toMatch(/hunter2/);
  });

  it('QUEUE_OPTIONS are option-table rows: parsed, checked, local to the command', async () => {
    const { createRequire } = await import('node:module');
    const yargs = createRequire(import.meta.url)('yargs/yargs') as (a: string[]) => import('yargs').Argv;
    const table: OptTable = { ...QUEUE_OPTIONS };
    let got: Record<string, unknown> = {};
    const cmd = defineCommand({ command: '$0', describe: 'coordinator', options: table, handler: (a) => void (got = { args: a, lib: toLibraryOptions(table, a as Record<string, unknown>) }) });
    const parse = (argv: string[]) => yargs(argv).command(cmd as never).strict().fail((m, e) => { throw e ?? new Error(m); }).parseAsync();
    await parse(['--queue', 'redis://h:1/0', '--queue-timeout', '2']);
    expect(got).toMatchObject({ args: { queue: 'redis://h:1/0', queueTimeout: 2 }, lib: {} });
    await parse([]);
    expect(got).toMatchObject({ args: { queueTimeout: 600 } });
    await expect((async () => parse(['--queue-timeout', '-1']))()).rejects.toThrow('--queue-timeout must be a number of seconds >= 0, got "-1"');
  });

  it('failures keep their exit code, message and hint through the queue; BullMQ reasons are transient', () => {
    const d = decodeFailure(encodeFailure(new DataError('bad data', { hint: 'fix it' })), 'job x');
    expect([d.exitCode, d.message, d.hint]).toEqual([65, 'bad data (job x)', 'fix it']);
    expect(decodeFailure(encodeFailure(new TempError('licence busy')), 'job y').exitCode).toBe(75);
    expect(decodeFailure(encodeFailure(new Error('boom')), 'job z')).toMatchObject({ exitCode: 70 });
    expect(decodeFailure('job stalled more than allowable limit', 'job w')).toMatchObject({ exitCode: 75, message: 'job stalled more than allowable limit (job w)' });
  });

  it('ids BullMQ accepts; worker concurrency from its name', () => {
    expect(bullId('0123abc')).toBe('0123abc');
    expect(bullId('0123')).toBe('j0123');
    expect(workerConcurrency('bull:dHJhaW4=:w:host:12:c1')).toBe(1);
    expect(workerConcurrency(undefined)).toBe(1);
  });
});
