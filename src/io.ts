/**
 * Small I/O helpers for the shell around the pure core: atomic writes, JSON reading with clear errors,
 * and the location of the package's own data files (constraints/, templates/, hls/).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, rmSync } from 'node:fs';
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

/** Write a file atomically: write a temporary sibling, fsync, rename over the target. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = dirname(resolve(file));
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    throw new IoError(`cannot write ${file}: ${(e as Error).message}`);
  }
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
