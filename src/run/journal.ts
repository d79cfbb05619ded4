/**
 * Append-only JSONL journal with one fsync per record. A crash or kill -9 can leave at most one torn last
 * line; `openJournal` drops it (truncating the file back to the last complete record) so a resumed run appends
 * after the last record that reached the disk.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, IoError } from '../errors.js';

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

  /** Append one record and fsync it before returning. */
  append(rec: JournalRecord): void {
    try {
      writeSync(this.fd, Buffer.from(JSON.stringify(rec) + '\n', 'utf8'));
      fsyncSync(this.fd);
    } catch (e) {
      throw new IoError(`cannot append to ${this.file}: ${(e as Error).message}`);
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
    fd = openSync(file, existsSync(file) ? 'r+' : 'w+');
    if (tornBytes > 0) {
      ftruncateSync(fd, validBytes);
      fsyncSync(fd);
    }
    closeSync(fd);
    fd = openSync(file, 'a');
  } catch (e) {
    throw new IoError(`cannot open ${file}: ${(e as Error).message}`);
  }
  return { journal: new Journal(file, fd), records, droppedBytes: tornBytes };
}
