/**
 * `cosearch calibrate [--family xc7|xcu|xcup] [--designs N] [--seed S] [--picked DIR] [--work DIR] [--out FILE] [--timeout S]`:
 * synthesize a seeded grid of small designs (and the fit half of the designs searches picked, bench/picked.ts) with
 * yosys and fit the cost-model constants to them; writes
 * constraints/calibration/yosys-<family>.json (loadable with `--calibration yosys-<family>`).
 * `cosearch calibrate --from-csynth DIR [--name vitis-<part>] [--out FILE]`: fit a Vitis calibration from csynth
 * reports users bring (DIR/<name>/design.json + DIR/<name>/**\/<top>_csynth.xml).
 */
import { join, resolve } from 'node:path';
import { packageRoot, writeJsonAtomic } from '../../io.js';
import { loadCalibration, loadPart } from '../../parts.js';
import { COMMON, defineCommand } from '../options.js';

export const calibrateCommand = defineCommand({
  command: 'calibrate',
  describe: 'fit the cost-model constants to yosys synthesis of a design grid (or to Vitis csynth reports)',
  options: {
    family: { type: 'string', choices: ['xc7', 'xcu', 'xcup'] as const, default: 'xc7', describe: 'yosys synth_xilinx family' },
    designs: { type: 'integer', min: 4, default: 40, describe: 'grid designs to synthesize (each takes ~10-170 s; the shipped yosys-xc7 uses 40)' },
    seed: { ...COMMON.seed, default: 1, describe: 'first seed of the grid (bench uses 1001+)' },
    work: { type: 'string', default: '.tmp/calibrate', describe: 'work directory (reports there are reused)' },
    out: { type: 'string', describe: 'output file', defaultText: 'constraints/calibration/<name>.json' },
    timeout: { ...COMMON.timeoutSeconds, default: 900, describe: 'yosys wall-clock limit per design, seconds' },
    'from-csynth': { type: 'string', describe: 'fit a Vitis calibration from the csynth reports in this folder' },
    name: { type: 'string', describe: 'calibration name', defaultText: 'yosys-<family> or vitis-csynth' },
    base: { type: 'string', default: 'default', describe: 'calibration to start from' },
    picked: { type: 'string', describe: "designs picked by searches to fit on beside the grid (their fit half, those of --family's parts; '' for none)", defaultText: 'bench/data/picked' },
    json: { ...COMMON.json, describe: 'print the fitted calibration as JSON' },
  },
  handler: async (a) => {
    const cal = await import('../../synth/calibrate.js');
    const base = loadCalibration({ name: a.base });
    if (a.fromCsynth !== undefined) {
      const name = a.name ?? 'vitis-csynth';
      const { calibration, designs } = cal.fitFromCsynth(resolve(a.fromCsynth), base, { name });
      const out = a.out ?? join(packageRoot(), 'constraints', 'calibration', `${name}.json`);
      writeJsonAtomic(out, calibration);
      if (a.json) return void process.stdout.write(JSON.stringify({ out, calibration }, null, 2) + '\n');
      process.stdout.write(`calibrate: fitted ${name} from ${designs} csynth reports: LUT median error ${fmt(calibration.fit?.lutMedianAbsErrBefore)} -> ${fmt(calibration.fit?.lutMedianAbsErrAfter)}; wrote ${out}\n`);
      return;
    }
    const name = a.name ?? `yosys-${a.family}`;
    const pickedDir = a.picked ?? join(packageRoot(), 'bench', 'data', 'picked');
    const designs = [...cal.calibrationDesigns(a.designs, a.seed), ...(pickedDir === '' ? [] : cal.pickedDesigns(resolve(pickedDir), 'fit', a.family))];
    const samples = await cal.synthesizeSamples(designs, resolve(a.work, a.family), {
      family: a.family,
      timeoutMs: a.timeout * 1000,
      onProgress: (i, n, dn, s, err) =>
        process.stderr.write(err ? `[${i + 1}/${n}] ${dn}: ${err.message}\n` : `[${i + 1}/${n}] ${dn}: LUT ${s!.report.total.lut}, FF ${s!.report.total.ff}, BRAM18 ${s!.report.total.bram18}, DSP ${s!.report.total.dsp} (${s!.wallSeconds.toFixed(1)} s)\n`),
    });
    const calibration = cal.fitFromSamples(samples, base, loadPart(designs[0]!.target.part), { name, family: a.family });
    const out = a.out ?? join(packageRoot(), 'constraints', 'calibration', `${name}.json`);
    writeJsonAtomic(out, calibration);
    if (a.json) return void process.stdout.write(JSON.stringify({ out, calibration }, null, 2) + '\n');
    const f = calibration.fit!;
    process.stdout.write(
      `calibrate: ${samples.length} designs, ${f.layerSamples} fitted samples (layers + totals); per-sample LUT median |error| ${fmt(f.lutMedianAbsErrBefore)} -> ${fmt(f.lutMedianAbsErrAfter)} (max ${fmt(f.lutMaxAbsErrAfter)}), ` +
        `FF ${fmt(f.ffMedianAbsErrBefore)} -> ${fmt(f.ffMedianAbsErrAfter)}; wrote ${out}\n`,
    );
  },
});

function fmt(x: unknown): string {
  return typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '?';
}
