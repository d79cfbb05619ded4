/**
 * Needs: root (mounts a small tmpfs; skips with the reason otherwise).
 * A real full disk and a read-only place (root only: a 64 KiB tmpfs and a read-only tmpfs; without root, a
 * directory without write permission stands in for the read-only case): ENOSPC leaves every file complete or
 * absent and the journal readable; a read-only --out is exit 74 naming the path, not an internal error.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal, readJournal } from '../../src/run/journal.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { writeIntModel } from '../../src/ml/intmodel-io.js';
import { goldenDesign } from '../synth/helpers.js';
import { cli, mountTmpfs, umount } from '../cli/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'cosearch-disk-'));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true } as never).map(String).filter((f) => statSync(join(dir, f)).isFile());
}

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
    expect((err as { exitCode?: number }).exitCode).toBe(74);
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
