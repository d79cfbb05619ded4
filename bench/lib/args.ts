/** Command-line options of the benches: `--name value` (the value after the flag), or the default. */
export function arg(name: string): string | undefined;
export function arg(name: string, dflt: string): string;
export function arg(name: string, dflt?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
