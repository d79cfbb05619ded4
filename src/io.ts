/**
 * Small I/O helpers for the shell around the pure core: atomic writes, JSON reading with clear errors,
 * and the location of the package's own data files (constraints/, templates/, hls/).
 */
import * as fs from 'node:fs';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError, IoError, NoInputError } from './errors.js';

let cachedRoot: string | undefined;

/** The package root (the directory holding package.json, constraints/, templates/, hls/). */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'constraints'))) {
      cachedRoot = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot locate the cosearch package root (package.json + constraints/)');
    dir = up;
  }
}

/**
 * The write(2) used by writeAll; tests replace it to inject short writes and ENOSPC (a full disk returns fewer
 * bytes than asked, then ENOSPC).
 */
export const fsHooks = { writeSync: fs.writeSync as (fd: number, buf: Uint8Array, off: number, len: number, pos: number | null) => number };

/** Write all of `buf` at the current position (or at `pos`): loops over short writes; a write of 0 bytes is ENOSPC. */
export function writeAll(fd: number, buf: Uint8Array, pos: number | null = null): void {
  let off = 0;
  while (off < buf.length) {
    const n = fsHooks.writeSync(fd, buf, off, buf.length - off, pos === null ? null : pos + off);
    if (n <= 0) throw Object.assign(new Error(`ENOSPC: no space left on device, write (${off} of ${buf.length} bytes written)`), { code: 'ENOSPC', syscall: 'write' });
    off += n;
  }
}

/** fsync a directory, so a rename or a new file in it survives a crash (best effort where unsupported). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EACCES') throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code === 'ENOSPC' ? `no space left on the device (${err.message})` : err.code === 'EACCES' || err.code === 'EPERM' ? `permission denied (${err.code})` : err.code === 'EROFS' ? 'read-only file system (EROFS)' : err.message;
}

/**
 * Write a file atomically: write a temporary sibling completely, fsync it, rename it over the target, fsync the
 * directory. On any failure the temporary file is removed and the target is left as it was (complete or absent).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = dirname(resolve(file));
  let tmp: string | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
    const fd = openSync(tmp, 'wx');
    try {
      writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    tmp = undefined;
    fsyncDir(dir);
  } catch (e) {
    if (tmp !== undefined) rmSync(tmp, { force: true });
    throw new IoError(`cannot write ${file}: ${errText(e)}`, 'free space on the device or choose another location; nothing was replaced');
  }
}

/** Copy `from` to `file` atomically (complete or absent, as writeFileAtomic; copyFileSync leaves a torn file on ENOSPC). */
export function copyFileAtomic(from: string, file: string): void {
  writeFileAtomic(file, readFileSync(from));
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Read and parse a JSON file; missing file -> NoInputError (66), bad JSON -> DataError (65) with line/column. */
export function readJsonFile(file: string, what = 'file'): unknown {
  if (!existsSync(file)) throw new NoInputError(`${what} not found: ${file}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new IoError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    let where = '';
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      where = ` (line ${line}, column ${col})`;
    }
    throw new DataError(`not valid JSON${where}: ${msg}`, { file, hint: 'fix the JSON syntax' });
  }
}

export function removeIfExists(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
