/**
 * Progress text shared by the commands that report progress on stderr: elapsed time and an ETA from the
 * fraction done so far (linear extrapolation).
 */

/** "1:05" / "1:02:03" */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

/** "elapsed 1:05, ETA 3:10" (ETA omitted until something is done). */
export function elapsedEta(t0: number, fractionDone: number, now = Date.now()): string {
  const el = (now - t0) / 1000;
  if (!(fractionDone > 0) || fractionDone >= 1) return `elapsed ${clock(el)}`;
  return `elapsed ${clock(el)}, ETA ${clock((el * (1 - fractionDone)) / fractionDone)}`;
}

/** "4 h", "30 min", "45 s" (for defaults in --help). */
export function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
