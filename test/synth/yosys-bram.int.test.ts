/**
 * Needs: yosys.
 * The yosys calibrations' block RAM geometry (src/core/cost/memory.ts) against a fresh yosys run on three memories
 * where it differs from aspect tiling or between families (src/synth/memory-probe.ts writes them as the RTL twin
 * does): a deep 4-bit weight ROM (aspect tiling: 7 BRAM18, yosys packs 27 address ranges into 3 RAMB36), a 2048 x 1
 * buffer RAM (block RAM by yosys's cost rule, distributed RAM by the old LUT threshold) and a 112 x 24 buffer (a
 * RAMB18 on 7 series, distributed RAM on UltraScale+, whose LUTRAM cells are cheaper).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { costParams, DEFAULT_CALIBRATION, withConstants } from '../../src/core/calibration.js';
import { bramTiles, tiles, yosysRamInBram } from '../../src/core/cost/memory.js';
import { probeMemory, type MemoryShape } from '../../src/synth/memory-probe.js';
import { tempDir } from './helpers.js';

const model = (s: MemoryShape, family: string): number => {
  const p = costParams(withConstants(DEFAULT_CALIBRATION, { bramGeometry: family === 'xcup' ? 2 : 1 }, { name: 'probe', source: 'test' }));
  if (s.kind === 'ram' && !yosysRamInBram(p, s.depth, s.width)) return 0;
  bramTiles(p, s.depth, s.width, s.kind === 'ram');
  return tiles.bram18;
};

describe('block RAM geometry against yosys (real yosys)', () => {
  const dir = tempDir('yosys-bram');
  const cases: Array<[MemoryShape, string, number]> = [
    [{ kind: 'rom', depth: 27040, width: 4 }, 'xc7', 6],
    [{ kind: 'ram', depth: 2048, width: 1 }, 'xc7', 1],
    [{ kind: 'ram', depth: 112, width: 24 }, 'xc7', 1],
    [{ kind: 'ram', depth: 112, width: 24 }, 'xcup', 0],
  ];
  for (const [s, family, bram18] of cases) {
    it(`${s.kind} ${s.depth} x ${s.width} on ${family}: ${bram18} BRAM18`, async () => {
      const r = await probeMemory(s, family, join(dir, `${family}-${s.kind}-${s.depth}x${s.width}`), 240_000);
      expect(r.bram18).toBe(bram18);
      expect(model(s, family)).toBe(r.bram18);
      if (bram18 === 0) expect(r.lutram).toBeGreaterThan(0);
    }, 300_000);
  }
});
