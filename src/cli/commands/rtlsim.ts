/**
 * `cosearch rtlsim PRJ [--images N] [--stall] [--timeout S]`: simulate the RTL twin (PRJ/rtl from
 * `cosearch emit --target rtl`) with verilator on the project's test images and compare every logit with the
 * integer reference. Exit 1 with the first mismatching image; 69 when verilator is missing; 75 on timeout.
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';

interface RtlSimArgs {
  prj: string;
  images?: number;
  stall: boolean;
  timeout?: number;
}

export const rtlsimCommand: CommandModule<object, RtlSimArgs> = {
  command: 'rtlsim <prj>',
  describe: 'simulate the Verilog RTL twin with verilator, bit-exact against the integer reference',
  builder: (y) =>
    y
      .positional('prj', { type: 'string', demandOption: true, describe: 'project directory from `cosearch emit --target rtl`' })
      .option('images', { type: 'number', describe: 'number of test images to simulate (default: all in the project)' })
      .option('stall', { type: 'boolean', default: false, describe: 'random gaps on the input and output streams (back-pressure test)' })
      .option('timeout', { type: 'number', describe: 'wall-clock limit in seconds for build + simulation (default 600)' }),
  handler: async (a) => {
    if (a.images !== undefined && (!Number.isInteger(a.images) || a.images < 1)) throw new UsageError(`--images must be a positive integer, got ${a.images}`);
    if (a.timeout !== undefined && !(a.timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got ${a.timeout}`);
    const { runRtlSim, assertRtlSimOk } = await import('../../synth/rtlsim.js');
    const r = await runRtlSim(a.prj, { images: a.images, stall: a.stall, timeoutMs: a.timeout !== undefined ? a.timeout * 1000 : undefined });
    const iv = r.intervalCycles == null ? 'n/a' : r.intervalCycles.toFixed(1);
    process.stdout.write(
      `rtlsim: ${r.images} images, ${r.mismatches} mismatching logits; interval ${iv} cycles/image (cycle model ${r.modelIntervalCycles ?? '?'}), ` +
        `${r.imagesPerSec.toFixed(1)} images/s simulated\n`,
    );
    assertRtlSimOk(r);
  },
};
