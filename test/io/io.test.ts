/**
 * Writes that survive a full disk and read-only places (src/io.ts, src/run/journal.ts, src/cli/main.ts):
 * short writes are completed, ENOSPC leaves every file complete or absent and the journal readable (injected
 * short writes always; a real 64 KiB tmpfs when this runs as root), and a read-only --out is exit 74 naming the
 * path, not an internal error.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fsHooks, writeFileAtomic } from '../../src/io.js';
import { openJournal, readJournal } from '../../src/run/journal.js';
import { IoError } from '../../src/errors.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { writeIntModel } from '../../src/ml/intmodel-io.js';
import { goldenDesign } from '../rtl/helpers.js';
import { cli, mountTmpfs, umount } from '../cli/helpers.js';

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

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false } as never).map(String).filter((f) => statSync(join(dir, f)).isFile());
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

describe('on a real 64 KiB tmpfs (root only: mount)', () => {
  const mnt = join(root, 'tmpfs');
  mkdirSync(mnt);
  const mounted = mountTmpfs(mnt, 'size=64k');
  afterAll(() => {
    if (mounted) umount(mnt);
  });

  it.skipIf(!mounted)('journal: appends until the disk is full; every record before the failure is readable', () => {
    const f = join(mnt, 'run', 'journal.jsonl');
    const { journal } = openJournal(f);
    let ok = 0;
    let err: unknown;
    for (let i = 0; i < 100 && !err; i++) {
      try {
        journal.append({ type: 'eval', i, blob: 'y'.repeat(20_000) });
        ok++;
      } catch (e) {
        err = e;
      }
    }
    journal.close();
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toContain('no space left on the device');
    const { records, tornBytes } = readJournal(f);
    expect(tornBytes).toBe(0);
    expect(records.length).toBe(ok);
    rmSync(join(mnt, 'run'), { recursive: true });
  });

  it.skipIf(!mounted)('emit into a full disk: exit 74, and every file written is complete (or absent)', async () => {
    const design = goldenDesign('w2a2');
    const modelDir = join(root, 'model');
    writeIntModel(modelDir, randomIntModel(design, 1));
    const ref = join(root, 'ref-prj');
    const good = await cli(['emit', modelDir, '--out', ref, '--images', '2']);
    expect(good.code).toBe(0);
    const prj = join(mnt, 'prj');
    const r = await cli(['emit', modelDir, '--out', prj, '--images', '2']);
    expect(r.code).toBe(74);
    expect(r.stderr).toMatch(/error: cannot write .*: no space left on the device/);
    const written = existsSync(prj) ? files(prj) : [];
    for (const f of written) {
      expect(f, 'no temporary file is left').not.toMatch(/\.tmp$/);
      // the same bytes as the reference project (which names its own absolute path where a file holds one)
      const want = readFileSync(join(ref, f), 'latin1').split(ref).join(prj);
      expect(readFileSync(join(prj, f), 'latin1') === want, `${f} is complete`).toBe(true);
    }
    expect(written.length).toBeLessThan(files(ref).length);
  });
});

describe('read-only --out', () => {
  const ro = join(root, 'ro');
  mkdirSync(ro);
  // root ignores permissions: a read-only tmpfs; otherwise a directory without write permission
  const mounted = mountTmpfs(ro, 'ro,size=16k');
  if (!mounted) chmodSync(ro, 0o555);
  afterAll(() => {
    if (mounted) umount(ro);
  });
  const skip = !mounted && process.getuid?.() === 0;

  it.skipIf(skip)('fold --out in a read-only directory: exit 74 naming the path', async () => {
    const out = join(ro, 'folded.json');
    const r = await cli(['fold', join(__dirname, '..', 'fixtures', 'designs', 'tiny-w2a2.json'), '--fps', '1000', '--out', out]);
    expect(r.code).toBe(74);
    expect(r.stderr).toContain(out);
    expect(r.stderr).not.toContain('internal error');
  });

  it.skipIf(skip)('search --out in a read-only directory: exit 74 naming the path, no stack trace', async () => {
    const out = join(ro, 'run');
    const r = await cli(['--luts', '30000', '--fps', '1000', '--out', out]);
    expect(r.code).toBe(74);
    expect(r.stderr).toContain(out);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
