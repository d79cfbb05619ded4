/**
 * Queue URLs: `redis://[user:password@]host[:port][/db]` and `rediss://…` (TLS). A URL's password is a secret:
 * every log line, journal entry and report shows `maskUrl(url)` instead (the password replaced by `***`).
 */
import { TempError, UsageError } from '../errors.js';

/** The URL with its password (and a lone token in the user part) replaced by ***; text that is not a URL is returned with any `:secret@` masked. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    else if (u.username && u.protocol.startsWith('redis')) u.username = '***'; // redis://token@host: the token is the password
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/(\/\/[^/:@\s]*:)[^@\s/]*@/g, '$1***@');
  }
}

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** the URL with the password masked: the only form that is ever printed */
  masked: string;
}

/** Parse a queue URL (exit 64 on anything else, naming the accepted forms). */
export function parseRedisUrl(spec: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw new UsageError(`--queue ${maskUrl(spec)} is not a URL`, 'use --queue local, redis://host:6379/0 or rediss://:PASSWORD@host:6380/0');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new UsageError(`--queue ${maskUrl(spec)}: unsupported scheme ${u.protocol}`, 'use --queue local, redis://host:6379/0 or rediss://:PASSWORD@host:6380/0');
  const dbText = u.pathname.replace(/^\//, '') || '0';
  const db = Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new UsageError(`--queue ${maskUrl(spec)}: database "${dbText}" is not a number`, 'the path is the Redis database index, e.g. redis://host:6379/0');
  const port = u.port ? Number(u.port) : 6379;
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port,
    db,
    // redis://:pw@host (no user) and redis://pw@host (a lone token) both mean AUTH pw
    ...(pass ? { password: pass, ...(user ? { username: user } : {}) } : user ? { password: user } : {}),
    tls: u.protocol === 'rediss:',
    masked: maskUrl(spec),
  };
}

/** ioredis connection options for a target (BullMQ needs maxRetriesPerRequest: null: commands wait for a reconnect). */
export function connectionOptions(t: RedisTarget): Record<string, unknown> {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    // rediss://: certificates are checked against Node's CA store (add a private CA with NODE_EXTRA_CA_CERTS=ca.pem)
    ...(t.tls ? { tls: { servername: t.host } } : {}),
    maxRetriesPerRequest: null,
    // reconnect quickly after a Redis restart, at most every 2 s
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

interface Connecting {
  waitUntilReady(): Promise<unknown>;
  on(event: 'error', f: (e: Error) => void): unknown;
}

/**
 * Wait until every BullMQ client is connected: a refused password fails at once (exit 64), Redis not answering
 * within `timeoutMs` (0 = no limit) fails with exit 75 (ioredis keeps reconnecting until then).
 */
export async function whenReady(target: RedisTarget, clients: Connecting[], timeoutMs: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  let lastError = '';
  try {
    await new Promise<void>((resolve, reject) => {
      for (const c of clients)
        c.on('error', (e) => {
          lastError = e.message;
          if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(e.message))
            reject(new UsageError(`Redis at ${target.masked} refused the credentials (${e.message})`, 'put the password Redis expects (its requirepass) in the URL: redis://:PASSWORD@host:6379/0'));
        });
      if (timeoutMs > 0) t = setTimeout(() => reject(new TempError(`cannot reach Redis at ${target.masked}${lastError ? ` (${lastError})` : ''}`, 'start redis-server there, check the URL and the firewall')), timeoutMs);
      Promise.all(clients.map((c) => c.waitUntilReady())).then(() => resolve(), reject);
    });
  } finally {
    clearTimeout(t);
  }
}
