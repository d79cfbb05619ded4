/**
 * `cosearch csim PRJ [--images N]`: compile the generated HLS project with g++ (csim-only compat headers) and
 * check it bit-exact against the integer reference on the project's test images; exit 1 naming the first
 * mismatching image and layer.
 */
import type { CommandModule } from 'yargs';
import { CheckFailedError, UsageError } from '../../errors.js';
import { runCsim } from '../../synth/csim.js';

interface CsimArgs {
  prj: string;
  images?: number;
  timeout: number;
}

export const csimCommand: CommandModule<object, CsimArgs> = {
  command: 'csim <prj>',
  describe: 'C-simulate a generated HLS project with g++ and check it bit-exact against the integer reference',
  builder: (y) =>
    y
      .positional('prj', { type: 'string', demandOption: true, describe: 'project directory from `cosearch emit`' })
      .option('images', { type: 'number', describe: 'number of test images (default: all in the project)' })
      .option('timeout', { type: 'number', default: 600, describe: 'wall-clock limit in seconds for compile and run each' }),
  handler: async (a) => {
    if (a.images !== undefined && (!Number.isInteger(a.images) || a.images < 1)) throw new UsageError(`--images must be a positive integer, got ${a.images}`);
    const r = await runCsim(a.prj, { images: a.images, timeoutMs: a.timeout * 1000 });
    if (!r.ok) {
      const f = r.firstMismatch;
      throw new CheckFailedError(
        `csim: ${r.mismatches} of ${r.images} images differ from the integer reference` + (f ? `; first: image ${f.image}, layer ${f.layer} (${f.detail})` : ''),
        `log: ${r.logFile}`,
      );
    }
    const acc = r.labelled ? `, accuracy ${((100 * (r.correct ?? 0)) / r.labelled).toFixed(2)}% on ${r.labelled} labelled` : '';
    process.stdout.write(`csim: ${r.images} images bit-exact with the integer reference (${r.imagesPerSec.toFixed(1)} images/s${acc})\n`);
  },
};
