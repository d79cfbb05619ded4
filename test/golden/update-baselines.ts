/** Regenerate test/golden/baselines/*.json (estimate always; yosys with --yosys). See baselines.ts. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../src/io.js';
import { GOLDEN_DESIGNS, baselinePath, goldenEstimate, goldenYosys } from './baselines.js';

async function main(): Promise<void> {
  const withYosys = process.argv.includes('--yosys');
  for (const name of GOLDEN_DESIGNS) {
    writeJsonAtomic(baselinePath(name, 'estimate'), goldenEstimate(name));
    process.stdout.write(`${name}: estimate baseline written\n`);
    if (withYosys) {
      const t = Date.now();
      const r = await goldenYosys(name, mkdtempSync(join(tmpdir(), `golden-${name}-`)));
      writeJsonAtomic(baselinePath(name, 'yosys-xc7'), r);
      process.stdout.write(`${name}: yosys baseline written (LUT ${r.total.lut}, ${((Date.now() - t) / 1000).toFixed(0)} s)\n`);
    }
  }
}
main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
