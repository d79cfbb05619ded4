/**
 * `cosearch parts [--json]`: the bundled FPGA parts (constraints/parts/*.json) with their capacities.
 */
import { listParts, loadPart } from '../../parts.js';
import { num } from '../core-options.js';
import { COMMON, defineCommand } from '../options.js';

export const partsCommand = defineCommand({
  command: 'parts',
  describe: 'list the bundled FPGA parts and their resources',
  options: { json: COMMON.json },
  handler: (args) => {
    const parts = listParts().map((n) => loadPart(n));
    if (args.json) {
      process.stdout.write(JSON.stringify(parts, null, 2) + '\n');
      return;
    }
    const header = ['part', 'family', 'yosys', 'LUT', 'FF', 'BRAM18', 'DSP', 'URAM'];
    const rows = parts.map((p) => [p.name, p.family, p.yosysFamily, num(p.lut), num(p.ff), num(p.bram18), num(p.dsp), num(p.uram)]);
    const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]): string => r.map((c, i) => (i >= 3 ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ');
    process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
    process.stderr.write('(add your own with --part-file FILE; schema constraints/schemas/part.schema.json)\n');
  },
});
