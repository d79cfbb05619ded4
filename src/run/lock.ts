/**
 * One process per run directory: RUN/.lock holds the owner's pid.
 *
 * Taking the lock is one atomic step: the pid is written to a private temporary file, which is then hard-linked
 * to `.lock`; link(2) fails with EEXIST when the lock exists, so of two processes starting at the same instant
 * exactly one wins, and the lock file is never seen half-written (the classic NFS-safe lock-file recipe).
 *
 * A lock left by a dead process (kill -9, crash) is taken over, and the takeover is itself race-free: the
 * contenders for the stale lock of pid P first take a lock `.lock.stale-P` the same way, and only its holder
 * re-reads `.lock`, removes it if it still names P, and releases; everyone then competes for `.lock` afresh.
 * The lock is also released when the process exits normally or by an uncaught error.
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IoError, UsageError } from '../errors.js';

export const LOCK_FILE = '.lock';

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | null {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : NaN;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

let tmpCounter = 0;

/** Create `file` holding our pid, atomically; false when it exists. */
function tryCreate(file: string): boolean {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${++tmpCounter}.tmp`);
  const fd = openSync(tmp, 'wx');
  try {
    const buf = Buffer.from(`${process.pid}\n`);
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/** Remove `file` only while it still names `pid`. */
function removeIfOwnedBy(file: string, pid: number): void {
  if (readPid(file) === pid) {
    try {
      unlinkSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/** Acquire `file`; returns the pid of a live holder instead when it is held. */
function acquire(file: string, depth: number): number | null {
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file)) return null;
    const pid = readPid(file);
    if (pid === null) continue; // released between our link and read: try again
    if (Number.isNaN(pid)) {
      // not written by this module (link makes ours complete): treat as held by an unknown process
      throw new UsageError(`${file} exists but does not hold a pid`, `if no cosearch process uses ${dirname(file)}, remove ${file}`);
    }
    if (pidAlive(pid)) return pid;
    // stale: take it over under the lock for this stale owner
    if (depth > 8) throw new IoError(`cannot take over the stale lock ${file}`);
    const takeover = `${file}.stale-${pid}`;
    const other = acquire(takeover, depth + 1);
    if (other !== null) {
      // another live process is taking it over right now; it will hold the lock in a moment
      if (attempt > 200) return other;
      sleepMs(5);
      continue;
    }
    try {
      removeIfOwnedBy(file, pid);
    } finally {
      removeIfOwnedBy(takeover, process.pid);
    }
  }
}

/**
 * Lock run directory `runDir` (it must exist) for this process. Throws UsageError (exit 64) naming the pid of
 * the live process that holds it. Returns the release function (idempotent).
 */
export function lockRun(runDir: string): () => void {
  const file = join(runDir, LOCK_FILE);
  let holder: number | null;
  try {
    holder = acquire(file, 0);
  } catch (e) {
    if (e instanceof UsageError || e instanceof IoError) throw e;
    throw new IoError(`cannot lock ${runDir}: ${(e as Error).message}`, 'the run directory must be writable');
  }
  if (holder !== null) throw new UsageError(`run directory ${runDir} is in use by process ${holder}`, 'wait for it to finish, or stop it and then --resume');
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    try {
      removeIfOwnedBy(file, process.pid);
    } catch {
      /* best effort: a lock of a dead pid is taken over by the next run */
    }
  };
  process.on('exit', release);
  return release;
}
