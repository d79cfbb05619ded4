/**
 * `cosearch rtlsim PRJ [--images N] [--stall] [--timeout S]`: simulate the RTL twin (PRJ/rtl from
 * `cosearch emit --target rtl`) with verilator on the project's test images and compare every logit with the
 * integer reference. Exit 1 with the first mismatching image; 69 when verilator is missing; 75 on timeout.
 */
import { DEFAULT_TIMEOUT_MS } from '../../synth/run-tool.js';
import { COMMON, defineCommand } from '../options.js';

export const rtlsimCommand = defineCommand({
  command: 'rtlsim <prj>',
  describe: 'simulate the Verilog RTL twin with verilator, bit-exact against the integer reference',
  options: {
    prj: { type: 'string', positional: true, demand: true, describe: 'project directory from `cosearch emit --target rtl`' },
    images: { ...COMMON.images, describe: 'number of test images to simulate (default: all in the project)' },
    stall: { type: 'boolean', default: false, describe: 'random gaps on the input and output streams (back-pressure test)' },
    timeout: { ...COMMON.timeoutSeconds, default: DEFAULT_TIMEOUT_MS.rtlsim / 1000, describe: 'wall-clock limit in seconds for build + simulation (the process group is killed)' },
    json: { ...COMMON.json, describe: 'print the simulation result as JSON' },
  },
  handler: async (a) => {
    const { runRtlSim, assertRtlSimOk } = await import('../../synth/rtlsim.js');
    const r = await runRtlSim(a.prj, { images: a.images, stall: a.stall, timeoutMs: a.timeout * 1000 });
    const iv = r.intervalCycles == null ? 'n/a' : r.intervalCycles.toFixed(1);
    if (a.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else
      process.stdout.write(
        `rtlsim: ${r.images} images, ${r.mismatches} mismatching logits; interval ${iv} cycles/image (cycle model ${r.modelIntervalCycles ?? '?'}), ` +
          `${r.imagesPerSec.toFixed(1)} images/s simulated\n`,
      );
    assertRtlSimOk(r);
  },
});
