/**
 * Synthesizes ONE memory with yosys and counts what it became: the check behind the block RAM geometry of the
 * yosys calibrations (src/core/cost/memory.ts bramTiles / yosysRamInBram; bench/yosys-bram.ts prints the model
 * against yosys over a list of shapes, test/synth/yosys-bram.int.test.ts runs a few).
 *
 * A shape is depth x width bits and a kind, written as the RTL twin writes its memories (templates/rtl/lib):
 * - rom: a synchronous-read ROM with random contents and `rom_style = "block"` (cs_rom.v STYLE 2, weights),
 * - ram: a simple dual-port RAM with one write and one synchronous read port and no style attribute (cs_ram.v:
 *   line and input buffers; yosys chooses between block and distributed RAM).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../core/rng.js';
import { ToolMissingError } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import { runTool, toolFailure } from './run-tool.js';
import { figuresFromCells, findYosys } from './yosys.js';

export interface MemoryShape { kind: 'rom' | 'ram'; depth: number; width: number }

export interface MemoryProbe extends MemoryShape { family: string; bram18: number; lut: number; lutram: number; cells: Record<string, number> }

/** The Verilog of one shape (module `probe`) and, for a ROM, its $readmemh contents (seeded). */
export function probeVerilog(s: MemoryShape, seed = 1): { verilog: string; mem: string | null } {
  const aw = Math.max(1, Math.ceil(Math.log2(s.depth)));
  const w = s.width;
  if (s.kind === 'rom') {
    const rng = new Rng(seed);
    const digits = Math.ceil(w / 4);
    const lines: string[] = [];
    for (let i = 0; i < s.depth; i++) {
      let word = '';
      for (let d = 0; d < digits; d++) {
        const bits = d === 0 && w % 4 ? w % 4 : 4;
        word += rng.int(0, 2 ** bits - 1).toString(16);
      }
      lines.push(word);
    }
    return {
      verilog:
        `module probe(input clk, input en, input [${aw - 1}:0] addr, output reg [${w - 1}:0] q);\n` +
        `  (* rom_style = "block" *) reg [${w - 1}:0] mem [0:${s.depth - 1}];\n` +
        `  initial $readmemh("probe.mem", mem);\n` +
        `  always @(posedge clk) if (en) q <= mem[addr];\nendmodule\n`,
      mem: lines.join('\n') + '\n',
    };
  }
  return {
    verilog:
      `module probe(input clk, input we, input [${aw - 1}:0] waddr, input [${w - 1}:0] wdata, input re, input [${aw - 1}:0] raddr, output reg [${w - 1}:0] q);\n` +
      `  reg [${w - 1}:0] mem [0:${s.depth - 1}];\n` +
      `  always @(posedge clk) begin\n    if (we) mem[waddr] <= wdata;\n    if (re) q <= mem[raddr];\n  end\nendmodule\n`,
    mem: null,
  };
}

/** Synthesize one shape with `yosys synth_xilinx -family <family>` in `dir` (created) and count its cells. */
export async function probeMemory(s: MemoryShape, family: string, dir: string, timeoutMs = 300_000): Promise<MemoryProbe> {
  const exe = findYosys();
  if (!exe) throw new ToolMissingError('yosys not found on PATH', 'install it (apt-get install yosys) or npm @yowasp/yosys');
  mkdirSync(dir, { recursive: true });
  const { verilog, mem } = probeVerilog(s);
  writeFileAtomic(join(dir, 'probe.v'), verilog);
  if (mem !== null) writeFileAtomic(join(dir, 'probe.mem'), mem);
  const script = `read_verilog probe.v\nsynth_xilinx -family ${family} -top probe\ntee -q -o stat.json stat -json\n`;
  writeFileAtomic(join(dir, 'probe.ys'), script);
  const run = await runTool(exe, ['-q', 'probe.ys'], { cwd: dir, logFile: join(dir, 'yosys.log'), timeoutMs });
  if (run.kind !== 'ok') throw toolFailure(run, `yosys on the ${s.kind} ${s.depth}x${s.width} memory probe`, { timeoutMs });
  const stat = JSON.parse(readFileSync(join(dir, 'stat.json'), 'utf8')) as { modules: Record<string, { num_cells_by_type?: Record<string, number> }> };
  const cells = stat.modules['\\probe']?.num_cells_by_type ?? stat.modules.probe?.num_cells_by_type ?? {};
  const f = figuresFromCells(cells);
  return { ...s, family, bram18: f.bram18, lut: f.lut, lutram: f.lutram ?? 0, cells };
}
