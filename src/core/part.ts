/**
 * FPGA part description (pure types). Part files: constraints/parts/<name>.json, schema
 * constraints/schemas/part.schema.json; loading in src/parts.ts.
 */
import type { PartCapacity } from './report.js';

export interface Part extends PartCapacity {
  /** family for yosys `synth_xilinx -family`: xc7 (7 series), xcu (UltraScale), xcup (UltraScale+) */
  yosysFamily: 'xc7' | 'xcup' | 'xcu';
  /** optional: LUTs per SLICEM usable as distributed RAM */
  lutramPerSliceM?: number;
  /** optional: LUTs usable as distributed RAM / SRL */
  lutram?: number;
  description?: string;
  /** data sheet / table the figures come from */
  source?: string;
}

/** The capacity part of a Part (what a ResourceReport carries). */
export function partCapacity(p: Part): PartCapacity {
  return { name: p.name, family: p.family, lut: p.lut, ff: p.ff, bram18: p.bram18, dsp: p.dsp, uram: p.uram };
}
