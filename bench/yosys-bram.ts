/**
 * Block RAM geometry of the yosys calibrations against yosys itself (prints figures):
 *   npx tsx bench/yosys-bram.ts [--families xc7,xcup] [--work bench/out/yosys-bram] [--write bench/data/yosys-bram-shapes.jsonl]
 * Synthesizes single memories (src/synth/memory-probe.ts: block-style ROMs as the weight memories, style-free
 * simple dual-port RAMs as the line and input buffers) of the shapes below and prints, per shape, the BRAM18 yosys
 * used, the model's count (bramTiles, bramGeometry 1 for xc7 / 2 for xcup), the aspect-tiling count (bram18For,
 * the Vivado/FINN estimate), whether a RAM went to block RAM (model: yosysRamInBram) and the LUTs of the ROM's read
 * multiplexer. --write records the yosys results (test/core/memory-yosys.test.ts checks the model against them).
 * Probes are cached under --work; a shape takes 1-60 s.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { costParams, DEFAULT_CALIBRATION, withConstants } from '../src/core/calibration.js';
import { bram18For, bramTiles, tiles, yosysRamInBram } from '../src/core/cost/memory.js';
import { probeMemory, type MemoryProbe, type MemoryShape } from '../src/synth/memory-probe.js';
import { packageRoot, writeFileAtomic } from '../src/io.js';
import { arg } from './lib/args.js';

/** Shapes: deep weight ROMs of dense layers (the search's picks), wide shallow ones, buffers of every size class. */
const ROMS: Array<[number, number]> = [
  [27040, 4], [23040, 3], [15680, 8], [86528, 32], [86528, 48], [5408, 3], [2704, 16], [1352, 16], [10000, 8], [3000, 12],
  [40000, 2], [60000, 1], [512, 72], [1024, 64], [700, 24], [9000, 9], [20000, 5], [400, 256],
];
const RAMS: Array<[number, number]> = [[5408, 3], [1352, 16], [2704, 8], [600, 32], [10000, 4], [3000, 12], [2048, 1], [3136, 3], [112, 24], [112, 256], [224, 8], [1024, 2]];

async function main(): Promise<void> {
  const families = arg('families', 'xc7,xcup').split(',');
  const work = resolve(arg('work', join(packageRoot(), 'bench', 'out', 'yosys-bram')));
  const out = arg('write');
  const shapes: MemoryShape[] = [...ROMS.map(([depth, width]) => ({ kind: 'rom' as const, depth, width })), ...RAMS.map(([depth, width]) => ({ kind: 'ram' as const, depth, width }))];
  const rows: MemoryProbe[] = [];
  let exact = 0;
  let tiled = 0;
  let styleOk = 0;
  let rams = 0;
  for (const family of families) {
    const p = costParams(withConstants(DEFAULT_CALIBRATION, { bramGeometry: family.startsWith('xcu') ? 2 : 1 }, { name: `probe-${family}`, source: 'bench/yosys-bram.ts' }));
    process.stdout.write(`\nyosys synth_xilinx -family ${family}\n${'shape'.padEnd(14)} ${'yosys'.padStart(6)} ${'model'.padStart(6)} ${'tiling'.padStart(7)}  ${'ram in bram y/m'.padEnd(16)} mux LUTs (model bits)\n`);
    for (const s of shapes) {
      const dir = join(work, family, `${s.kind}_${s.depth}x${s.width}`);
      const cached = join(dir, 'probe.json');
      let r: MemoryProbe;
      if (existsSync(cached)) r = JSON.parse(readFileSync(cached, 'utf8')) as MemoryProbe;
      else {
        r = await probeMemory(s, family, dir);
        writeFileAtomic(cached, JSON.stringify(r) + '\n');
      }
      rows.push(r);
      const writable = s.kind === 'ram';
      const inBram = writable ? yosysRamInBram(p, s.depth, s.width) : true;
      bramTiles(p, s.depth, s.width, writable);
      const model = inBram ? tiles.bram18 : 0;
      const tiling = bram18For(s.depth, s.width);
      if (model === r.bram18) exact++;
      if (tiling === r.bram18) tiled++;
      if (writable) {
        rams++;
        if (inBram === r.bram18 > 0) styleOk++;
      }
      const style = writable ? `${r.bram18 > 0 ? 'bram' : 'lut'}/${inBram ? 'bram' : 'lut'}` : '';
      process.stdout.write(`${`${s.kind} ${s.depth}x${s.width}`.padEnd(14)} ${String(r.bram18).padStart(6)} ${String(model).padStart(6)} ${String(tiling).padStart(7)}  ${style.padEnd(16)} ${s.kind === 'rom' ? `${r.lut} (${tiles.muxBits})` : ''}\n`);
    }
  }
  process.stdout.write(`\n${rows.length} probes: model BRAM18 exact on ${exact}, aspect tiling exact on ${tiled}; RAM block/distributed choice right on ${styleOk} of ${rams}\n`);
  if (out) {
    writeFileAtomic(resolve(out), rows.map((r) => JSON.stringify({ family: r.family, kind: r.kind, depth: r.depth, width: r.width, bram18: r.bram18, lut: r.lut, lutram: r.lutram })).join('\n') + '\n');
    process.stdout.write(`wrote ${out}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
