/**
 * The yosys block RAM geometry (src/core/cost/memory.ts bramTiles / yosysRamInBram, bramGeometry 1 and 2) against
 * what yosys 0.23 made of single memories: bench/data/yosys-bram-shapes.jsonl, recorded by
 * `npx tsx bench/yosys-bram.ts --write bench/data/yosys-bram-shapes.jsonl` (test/synth/yosys-bram.int.test.ts runs
 * yosys on a few of the shapes again). Aspect tiling (bram18For, bramGeometry 0) misses most of the deep ROMs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costParams, DEFAULT_CALIBRATION, withConstants } from '../../src/core/calibration.js';
import { bram18For, bramTiles, chooseMemory, mem, MEM_BRAM, MEM_LUTRAM, STYLE_AUTO, tiles, yosysRamInBram } from '../../src/core/cost/memory.js';
import { packageRoot } from '../../src/io.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { loadPart } from '../../src/parts.js';
import type { Design } from '../../src/core/design.js';

interface Row { family: string; kind: 'rom' | 'ram'; depth: number; width: number; bram18: number }
const rows = readFileSync(join(packageRoot(), 'bench', 'data', 'yosys-bram-shapes.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Row);
const params = (geometry: number) => costParams(withConstants(DEFAULT_CALIBRATION, { bramGeometry: geometry, bramMuxLutsPerBit: 0.5 }, { name: `geo${geometry}`, source: 'test' }));

describe('yosys memory_libmap geometry', () => {
  it('has recorded shapes of both kinds on both families', () => {
    expect(rows.filter((r) => r.kind === 'rom' && r.family === 'xc7').length).toBeGreaterThanOrEqual(15);
    expect(rows.filter((r) => r.kind === 'ram' && r.family === 'xcup').length).toBeGreaterThanOrEqual(8);
  });

  for (const r of rows) {
    it(`${r.family} ${r.kind} ${r.depth} x ${r.width}: ${r.bram18} BRAM18 as yosys`, () => {
      const p = params(r.family.startsWith('xcu') ? 2 : 1);
      const writable = r.kind === 'ram';
      const inBram = writable ? yosysRamInBram(p, r.depth, r.width) : true;
      bramTiles(p, r.depth, r.width, writable);
      expect(inBram ? tiles.bram18 : 0).toBe(r.bram18);
    });
  }

  it('packs a deep narrow ROM where aspect tiling cannot (27040 x 4: 3 RAMB36 with a 27-way read mux)', () => {
    const p = params(1);
    expect(bram18For(27040, 4)).toBe(7);
    bramTiles(p, 27040, 4, false);
    expect(tiles.bram18).toBe(6);
    expect(tiles.muxBits).toBe(26 * 4);
    // the mux is charged in LUTs when the memory is in block RAM
    chooseMemory(p, 2, 27040, 4, MEM_BRAM);
    expect(mem.bram18).toBe(12);
    expect(mem.luts).toBeCloseTo(2 * 0.5 * 104);
  });

  it('leaves bramGeometry 0 (the Vivado/FINN estimate) on aspect tiling, without a mux', () => {
    const p = params(0);
    bramTiles(p, 27040, 4, false);
    expect(tiles.bram18).toBe(7);
    expect(tiles.muxBits).toBe(0);
  });

  it('decides a ROM style by aspect tiling under every geometry (the emitters resolve auto the same way)', () => {
    for (const g of [0, 1, 2]) {
      chooseMemory(params(g), 1, 400, 40, STYLE_AUTO);
      const a = mem.style;
      chooseMemory(params(0), 1, 400, 40, STYLE_AUTO);
      expect(a).toBe(mem.style);
    }
  });

  it('sends a small RAM to distributed RAM and a deep one to block RAM (yosys cost rule)', () => {
    const p = params(1);
    chooseMemory(p, 1, 64, 8, STYLE_AUTO, true);
    expect(mem.style).toBe(MEM_LUTRAM);
    chooseMemory(p, 1, 2048, 1, STYLE_AUTO, true);
    expect(mem.style).toBe(MEM_BRAM);
    expect(mem.bram18).toBe(1);
  });

  it('keeps the RTL max-pool row buffer (asynchronous read) out of block RAM under the yosys geometry', () => {
    const d = {
      version: 1,
      name: 'pool_row',
      input: { height: 28, width: 28, channels: 1, bits: 8 },
      layers: [
        { kind: 'conv', outChannels: 64, kernel: 3, padding: 1, wBits: 2, aBits: 4, pe: 1, simd: 9 },
        { kind: 'maxpool', size: 2 },
        { kind: 'dense', outFeatures: 10, wBits: 2, pe: 1, simd: 64 },
      ],
      target: { part: 'xc7z020', clockMHz: 100 },
    } as Design;
    const cal = withConstants(DEFAULT_CALIBRATION, { bramGeometry: 1 }, { name: 'geo1', source: 'test' });
    // 14 x 64 words of 4 bits: yosys's cost rule alone would pick a RAMB18 for a synchronous RAM of that shape
    expect(yosysRamInBram(costParams(cal), 14 * 64, 4)).toBe(true);
    const pool = estimateDesign(d, loadPart('xc7z020'), cal).layers[1]!;
    expect(pool.bram18).toBe(0);
    expect(pool.lutram).toBeGreaterThan(0);
  });
});
