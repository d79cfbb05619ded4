/**
 * Append-only JSONL journal with one fsync per record. A crash or kill -9 can leave at most one torn last
 * line; `openJournal` drops it (truncating the file back to the last complete record) so a resumed run appends
 * after the last record that reached the disk, and says how many bytes it dropped. A record that cannot be
 * written completely (a full disk) is cut off again, so the journal stays readable, and the error is an i/o
 * error (exit 74).
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, IoError } from '../errors.js';
import { fsyncDir, writeAll } from '../io.js';

export interface JournalRecord {
  type: string;
  [k: string]: unknown;
}

export class Journal {
  private fd: number;
  readonly file: string;
  constructor(file: string, fd: number) {
    this.file = file;
    this.fd = fd;
  }

  /** Append one record completely and fsync it before returning; on failure the partial record is removed. */
  append(rec: JournalRecord): void {
    const buf = Buffer.from(JSON.stringify(rec) + '\n', 'utf8');
    let size = -1;
    try {
      size = fstatSync(this.fd).size;
      writeAll(this.fd, buf, size);
      fsyncSync(this.fd);
    } catch (e) {
      let restored = '';
      if (size >= 0) {
        try {
          ftruncateSync(this.fd, size);
          fsyncSync(this.fd);
          restored = '; the partial record was removed, the journal holds every earlier record';
        } catch {
          restored = '; the partial last record is dropped when the run is resumed';
        }
      }
      const code = (e as NodeJS.ErrnoException).code;
      throw new IoError(`cannot append to ${this.file}: ${code === 'ENOSPC' ? 'no space left on the device' : (e as Error).message}${restored}`, 'free space on the device, then continue with --resume');
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Read the records of a journal (a torn last line is ignored; a corrupt line elsewhere is a DataError). */
export function readJournal(file: string): { records: JournalRecord[]; validBytes: number; tornBytes: number } {
  if (!existsSync(file)) return { records: [], validBytes: 0, tornBytes: 0 };
  const buf = readFileSync(file);
  const lastNl = buf.lastIndexOf(0x0a);
  const validBytes = lastNl + 1;
  const text = buf.subarray(0, validBytes).toString('utf8');
  const records: JournalRecord[] = [];
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch (e) {
      throw new DataError(`line ${i + 1} is not valid JSON: ${(e as Error).message}`, { file, hint: 'the journal is append-only; restore it or start a new run without --resume' });
    }
  });
  return { records, validBytes, tornBytes: buf.length - validBytes };
}

/** Open (create) a journal for appending; drops a torn last line. Returns the existing records. */
export function openJournal(file: string): { journal: Journal; records: JournalRecord[]; droppedBytes: number } {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    throw new IoError(`cannot create ${dirname(file)}: ${(e as Error).message}`);
  }
  const { records, validBytes, tornBytes } = readJournal(file);
  let fd: number;
  try {
    const created = !existsSync(file);
    fd = openSync(file, created ? 'w+' : 'r+');
    if (tornBytes > 0) {
      ftruncateSync(fd, validBytes);
      fsyncSync(fd);
    }
    if (created) fsyncDir(dirname(file));
    // records are written at the end (explicit positions), not with O_APPEND: a failed append can be cut off
  } catch (e) {
    throw new IoError(`cannot open ${file}: ${(e as Error).message}`);
  }
  return { journal: new Journal(file, fd), records, droppedBytes: tornBytes };
}
