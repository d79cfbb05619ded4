/** One process per run directory: a lock file with the owner's pid (a stale lock of a dead process is taken over). */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../io.js';

export function lockRun(runDir: string): () => void {
  const file = join(runDir, '.lock');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (alive) throw new UsageError(`run directory ${runDir} is in use by process ${pid}`, 'wait for it to finish, or stop it and then --resume');
  }
  writeFileAtomic(file, `${process.pid}\n`);
  return () => {
    try {
      rmSync(file, { force: true });
    } catch {
      /* best effort */
    }
  };
}
