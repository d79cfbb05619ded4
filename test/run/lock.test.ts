/**
 * lockRun (src/run/lock.ts): exclusive under a real race between processes (20 trials, several processes
 * asking at the same instant, exactly one wins each time), race-free takeover of a dead owner's lock, the pid
 * of the holder in the message, release (also on exit).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockRun, LOCK_FILE } from '../../src/run/lock.js';
import { UsageError } from '../../src/errors.js';
import { spawnTs, runTs } from '../cli/helpers.js';

const CHILD = join(__dirname, 'fixtures', 'lock-child.ts');
const root = mkdtempSync(join(tmpdir(), 'cosearch-lock-'));
const N = 3;

/** A child process driven line by line. */
class Driver {
  readonly proc: ChildProcess;
  /** pid of the node process that takes the locks (tsx runs the script in a child) */
  pid = 0;
  private buf = '';
  private waiters: ((line: string) => void)[] = [];
  private lines: string[] = [];
  constructor() {
    this.proc = spawnTs(CHILD, []);
    this.proc.stdout!.on('data', (b: Buffer) => {
      this.buf += b.toString();
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const l = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        const w = this.waiters.shift();
        if (w) w(l);
        else this.lines.push(l);
      }
    });
  }
  async start(): Promise<this> {
    this.pid = Number((await this.next()).replace('pid ', ''));
    return this;
  }
  send(cmd: string): void {
    this.proc.stdin!.write(cmd + '\n');
  }
  next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((r) => this.waiters.push(r));
  }
}

/** A pid that is not running (a child that has exited). */
async function deadPid(): Promise<number> {
  const r = await runTs(join(__dirname, 'fixtures', 'print-pid.ts'), []);
  const pid = Number(r.stdout.trim());
  expect(() => process.kill(pid, 0)).toThrow();
  return pid;
}

describe('lockRun', () => {
  const drivers: Driver[] = [];
  beforeAll(async () => {
    for (let i = 0; i < N; i++) drivers.push(await new Driver().start());
    // warm up: each child answers once (tsx start-up is over before the races)
    const warm = join(root, 'warm');
    mkdirSync(warm);
    for (const d of drivers) {
      d.send(`lock ${warm}`);
      const l = await d.next();
      if (l.startsWith('ok')) {
        d.send(`release ${warm}`);
        await d.next();
      }
    }
  }, 60_000);
  afterAll(() => {
    for (const d of drivers) d.send('exit');
  });

  it('20 races of 3 processes locking one run directory at the same instant: exactly one wins each', async () => {
    let doubles = 0;
    for (let t = 0; t < 20; t++) {
      const dir = join(root, `race-${t}`);
      mkdirSync(dir);
      for (const d of drivers) d.send(`lock ${dir}`);
      const answers = await Promise.all(drivers.map((d) => d.next()));
      const winners = drivers.filter((_, i) => answers[i]!.startsWith('ok'));
      if (winners.length !== 1) doubles++;
      expect(winners.length, answers.join(' | ')).toBe(1);
      // the losers name the winner's pid
      for (const a of answers.filter((x) => x.startsWith('held'))) expect(a).toBe(`held ${dir} ${winners[0]!.pid}`);
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(winners[0]!.pid));
      winners[0]!.send(`release ${dir}`);
      await winners[0]!.next();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    }
    expect(doubles).toBe(0);
  }, 120_000);

  it('20 races to take over a dead owner\'s lock: exactly one wins each', async () => {
    const dead = await deadPid();
    for (let t = 0; t < 20; t++) {
      const dir = join(root, `stale-${t}`);
      mkdirSync(dir);
      writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
      for (const d of drivers) d.send(`lock ${dir}`);
      const answers = await Promise.all(drivers.map((d) => d.next()));
      const winners = drivers.filter((_, i) => answers[i]!.startsWith('ok'));
      expect(winners.length, answers.join(' | ')).toBe(1);
      winners[0]!.send(`release ${dir}`);
      await winners[0]!.next();
    }
  }, 120_000);

  it('a lock held by a live process is refused naming its pid; after release it can be taken', async () => {
    const dir = join(root, 'held');
    mkdirSync(dir);
    drivers[0]!.send(`lock ${dir}`);
    expect(await drivers[0]!.next()).toBe(`ok ${dir}`);
    expect(() => lockRun(dir)).toThrow(UsageError);
    expect(() => lockRun(dir)).toThrow(`run directory ${dir} is in use by process ${drivers[0]!.pid}`);
    drivers[0]!.send(`release ${dir}`);
    await drivers[0]!.next();
    const release = lockRun(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    release();
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a process killed while holding the lock leaves it stale; the next run takes it over', async () => {
    const dir = join(root, 'killed');
    mkdirSync(dir);
    const d = await new Driver().start();
    d.send(`hold-and-die ${dir}`);
    expect(await d.next()).toBe(`ok ${dir}`);
    await new Promise((r) => d.proc.on('exit', r));
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(d.pid));
    const release = lockRun(dir);
    release();
  });

  it('the lock is released when its process exits without calling release', async () => {
    const dir = join(root, 'exit');
    mkdirSync(dir);
    const d = await new Driver().start();
    d.send(`lock ${dir}`);
    expect(await d.next()).toBe(`ok ${dir}`);
    d.send('exit');
    await new Promise((r) => d.proc.on('exit', r));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
