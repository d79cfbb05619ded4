/**
 * Writes that survive a full disk (src/io.ts, src/run/journal.ts), with injected short writes and ENOSPC:
 * short writes are completed; ENOSPC leaves the old file intact and no temporary file, and cuts a partial
 * journal record off so the journal stays readable. (test/io/full-disk.test.ts does it on a real tmpfs.)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fsHooks, writeFileAtomic } from '../../src/io.js';
import { openJournal, readJournal } from '../../src/run/journal.js';
import { IoError } from '../../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'cosearch-io-'));
const realWrite = fsHooks.writeSync;
afterEach(() => {
  fsHooks.writeSync = realWrite;
});

/** write(2) as on a nearly full disk: at most `chunk` bytes per call, ENOSPC once `free` bytes are used. */
function fullDisk(free: number, chunk = 4096): void {
  let used = 0;
  fsHooks.writeSync = (fd, buf, off, len, pos) => {
    if (used >= free) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const n = Math.min(len, chunk, free - used);
    used += n;
    return realWrite(fd, buf, off, n, pos);
  };
}

describe('writeFileAtomic', () => {
  it('completes short writes (write(2) returning fewer bytes than asked)', () => {
    fullDisk(Infinity, 1000);
    const f = join(root, 'short.bin');
    const data = Buffer.alloc(123_457, 7);
    writeFileAtomic(f, data);
    expect(readFileSync(f).equals(data)).toBe(true);
  });
  it('on ENOSPC: an i/o error naming the file; the old file is intact and no temporary file is left', () => {
    const dir = join(root, 'enospc');
    mkdirSync(dir);
    const f = join(dir, 'params.hpp');
    writeFileSync(f, 'old complete content\n');
    fullDisk(122_880);
    let err: unknown;
    try {
      writeFileAtomic(f, Buffer.alloc(1_742_412, 65));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IoError);
    expect((err as IoError).exitCode).toBe(74);
    expect((err as Error).message).toContain(`cannot write ${f}: no space left on the device`);
    expect(readFileSync(f, 'utf8')).toBe('old complete content\n');
    expect(readdirSync(dir)).toEqual(['params.hpp']);
  });
});

describe('Journal.append', () => {
  it('a record written into too little space is an i/o error and is cut off: the journal stays readable', () => {
    const f = join(root, 'j1', 'journal.jsonl');
    const { journal } = openJournal(f);
    journal.append({ type: 'start', n: 1 });
    journal.append({ type: 'eval', n: 2 });
    fullDisk(8 * 1024);
    expect(() => journal.append({ type: 'eval', blob: 'x'.repeat(20_000) })).toThrow(IoError);
    fsHooks.writeSync = realWrite;
    journal.append({ type: 'eval', n: 3 });
    journal.close();
    const { records, tornBytes } = readJournal(f);
    expect(tornBytes).toBe(0);
    expect(records.map((r) => r.n)).toEqual([1, 2, 3]);
  });
});

