/**
 * `cosearch csim PRJ [--images N] [--timeout S] [--json]`: compile the generated HLS project with g++ (csim-only
 * compat headers) and check it bit-exact against the integer reference on the project's test images; exit 1
 * naming the first mismatching image and layer.
 */
import { CheckFailedError } from '../../errors.js';
import { runCsim } from '../../synth/csim.js';
import { DEFAULT_TIMEOUT_MS } from '../../synth/run-tool.js';
import { COMMON, defineCommand } from '../options.js';

export const csimCommand = defineCommand({
  command: 'csim <prj>',
  describe: 'C-simulate a generated HLS project with g++ and check it bit-exact against the integer reference',
  options: {
    prj: { type: 'string', positional: true, demand: true, describe: 'project directory from `cosearch emit`' },
    images: COMMON.images,
    timeout: { ...COMMON.timeoutSeconds, default: DEFAULT_TIMEOUT_MS.csim / 1000, describe: 'wall-clock limit in seconds for compile and run each (the process group is killed)' },
    json: { ...COMMON.json, describe: 'print the csim result as JSON' },
  },
  handler: async (a) => {
    const r = await runCsim(a.prj, { images: a.images, timeoutMs: a.timeout * 1000 });
    if (a.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    if (!r.ok) {
      const f = r.firstMismatch;
      throw new CheckFailedError(
        `csim: ${r.mismatches} of ${r.images} images differ from the integer reference` + (f ? `; first: image ${f.image}, layer ${f.layer} (${f.detail})` : ''),
        `log: ${r.logFile}`,
      );
    }
    const acc = r.labelled ? `, accuracy ${((100 * (r.correct ?? 0)) / r.labelled).toFixed(2)}% on ${r.labelled} labelled` : '';
    if (!a.json) process.stdout.write(`csim: ${r.images} images bit-exact with the integer reference (${r.imagesPerSec.toFixed(1)} images/s${acc})\n`);
  },
});
