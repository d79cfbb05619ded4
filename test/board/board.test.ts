/**
 * The board flow of an emitted HLS project (src/emit/board.ts, templates/board/): which parts get which flow, the
 * Zynq Vivado Tcl's structure (Vivado cannot run here: the commands present and in order, the part, the processing
 * system of the family, the IP's VLNV, the DMA's widths from the design, the subset converter where the IP's TDATA is
 * narrower than the DMA word, the .bit/.hwh paths), the DMA word packing against the RTL twin's input words, and
 * the CLI's refusals of a `--board` the part cannot take (exit 64, before anything is written; they need no dataset).
 * The emitting CLI cases (which read the dataset's test images) are in emit-board.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { modelDir, tmp } from './helpers.js';
import { emitRtl } from '../../src/emit/rtl.js';
import { boardFlowOf, boardStreams, emitBoard, packInputWords, resolveBoard } from '../../src/emit/board.js';
import { DataError, UsageError } from '../../src/errors.js';
import { goldenDesign } from '../synth/helpers.js';
import { cli } from '../cli/helpers.js';


function variant(part: string, input: Partial<Design['input']> = {}, clockMHz = 100): Design {
  const d = goldenDesign('w2a2');
  const inp = { ...d.input, ...input };
  return {
    ...d,
    name: `v_${part}_${inp.channels}x${inp.bits}`,
    input: inp,
    layers: d.layers.map((l) => (l.name === 'fc' && inp.height !== 28 ? { ...l, simd: 16 } : l)),
    target: { part, clockMHz },
  } as Design;
}

/** Emit the board flow of a random model of `d`; the Tcl text (or '' without one). */
function zynqTcl(d: Design): { dir: string; tcl: string } {
  const dir = tmp('prj');
  const r = emitBoard(randomIntModel(d, 1), dir, 'auto');
  expect(r.flow).toBe('zynq');
  return { dir, tcl: readFileSync(join(dir, 'board', 'zynq.tcl'), 'utf8') };
}

/** Indices of each needle in order; fails naming the first one missing or out of order. */
function expectInOrder(text: string, needles: Array<string | RegExp>): void {
  let at = 0;
  for (const n of needles) {
    const rest = text.slice(at);
    const i = typeof n === 'string' ? rest.indexOf(n) : rest.search(n);
    expect(i, `missing after offset ${at} (or out of order): ${String(n)}`).toBeGreaterThanOrEqual(0);
    at += i + 1;
  }
}

describe('boardFlowOf / resolveBoard', () => {
  it('Zynq-7000 and Zynq UltraScale+ get the Zynq flow, Alveo parts the link notes, others none', () => {
    expect(boardFlowOf('xc7z020')).toEqual({ kind: 'zynq', ps: 'ps7' });
    expect(boardFlowOf('xc7z045ffg900-2')).toEqual({ kind: 'zynq', ps: 'ps7' });
    for (const p of ['xczu3eg', 'xczu7ev', 'xczu9eg-ffvb1156-2-e']) expect(boardFlowOf(p)).toEqual({ kind: 'zynq', ps: 'zynqmp' });
    for (const p of ['xcu50', 'xcu250', 'xcu280', 'xcu250-figd2104-2L-e']) expect(boardFlowOf(p).kind).toBe('alveo');
    expect(boardFlowOf('xcvu9p')).toMatchObject({ kind: 'none', reason: expect.stringContaining('xcvu9p has neither a processing system') });
    expect(() => resolveBoard('pynq', 'xcu250')).toThrow(UsageError);
    expect(() => resolveBoard('pynq', 'xcvu9p')).toThrow(/--board pynq needs a Zynq part/);
    expect(() => resolveBoard('alveo', 'xc7z020')).toThrow(/--board alveo needs an Alveo part/);
    expect(resolveBoard('auto', 'xcvu9p')).toMatchObject({ emit: false, note: expect.stringContaining('no board flow') });
    expect(resolveBoard('none', 'xc7z020').emit).toBe(false);
  });

  it('stream widths: the IP TDATA in bytes, the DMA word the next power of two, at most 1024 bits', () => {
    expect(boardStreams(variant('xc7z020'))).toMatchObject({ inWordBits: 8, ipInBytes: 1, dmaInBytes: 1, needSubset: false, mm2sDataWidth: 32, pixels: 784 });
    expect(boardStreams(variant('xc7z020', { channels: 3, bits: 8, height: 8, width: 8 }))).toMatchObject({ inWordBits: 24, ipInBytes: 3, dmaInBytes: 4, needSubset: true });
    expect(boardStreams(variant('xc7z020', { channels: 16, bits: 8, height: 8, width: 8 }))).toMatchObject({ dmaInBytes: 16, dmaInBits: 128, mm2sDataWidth: 128, needSubset: false });
    expect(boardStreams(variant('xc7z020', { channels: 3, bits: 3, height: 8, width: 8 }))).toMatchObject({ inWordBits: 9, ipInBytes: 2, dmaInBytes: 2 });
    expect(() => boardStreams(variant('xc7z020', { channels: 130, bits: 8, height: 8, width: 8 }))).toThrow(DataError);
    expect(boardStreams(variant('xc7z020')).imagesPerTransfer).toBe(Math.floor((2 ** 26 - 1) / 784));
  });
});

describe('Zynq Vivado Tcl (structure; Vivado does not run here)', () => {
  it('xc7z020, 1 x 8-bit input: processing_system7, DMA 8-bit MM2S / 32-bit S2MM, IP, block design to bitstream, .bit + .hwh side by side', () => {
    const d = variant('xc7z020');
    const { tcl } = zynqTcl(d);
    const top = `${d.name}_top`;
    expectInOrder(tcl, [
      `create_project -force ${top}_board $build_dir -part xc7z020clg400-1`,
      'set_property ip_repo_paths',
      'update_ip_catalog',
      `get_ipdefs -quiet cosearch.org:hls:${top}:1.0`,
      `create_bd_design $bd_name`,
      'create_bd_cell -type ip -vlnv xilinx.com:ip:processing_system7 ps',
      'apply_bd_automation -rule xilinx.com:bd_rule:processing_system7',
      'CONFIG.PCW_USE_S_AXI_HP0 {1}',
      'CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ 100 ',
      'create_bd_cell -type ip -vlnv xilinx.com:ip:proc_sys_reset rst',
      'create_bd_cell -type ip -vlnv xilinx.com:ip:axi_dma axi_dma_0',
      'CONFIG.c_include_sg {0}',
      'CONFIG.c_sg_length_width 26 ',
      'CONFIG.c_m_axis_mm2s_tdata_width 8 ',
      'CONFIG.c_m_axi_mm2s_data_width 32 ',
      'CONFIG.c_s_axis_s2mm_tdata_width 32 ',
      `create_bd_cell -type ip -vlnv cosearch.org:hls:${top}:1.0 ${top}_0`,
      'connect_bd_intf_net [get_bd_intf_pins axi_dma_0/M_AXIS_MM2S] $ip_in',
      'connect_bd_intf_net $ip_out [get_bd_intf_pins axi_dma_0/S_AXIS_S2MM]',
      'xilinx.com:ip:smartconnect ctrl_sc',
      'connect_bd_intf_net $ps_master [get_bd_intf_pins ctrl_sc/S00_AXI]',
      '[get_bd_intf_pins axi_dma_0/S_AXI_LITE]',
      'connect_bd_intf_net [get_bd_intf_pins mem_sc/M00_AXI] $ps_slave',
      `[get_bd_pins ${top}_0/ap_clk]`,
      `[get_bd_pins ${top}_0/ap_rst_n]`,
      'assign_bd_address',
      'validate_bd_design',
      'save_bd_design',
      'make_wrapper -files [get_files $bd_name.bd] -top -import',
      'launch_runs impl_1 -to_step write_bitstream',
      'wait_on_run impl_1',
      'report_utilization',
      /hw_handoff \$bd_name\.hwh/,
      `file copy -force $bit [file join $out_dir ${top}.bit]`,
      `file copy -force $hwh [file join $out_dir ${top}.hwh]`,
    ]);
    expect(tcl).toContain(`set ip_zip [file join $prj_dir ip/${top}.zip]`);
    expect(tcl).toContain('set ps_master [get_bd_intf_pins ps/M_AXI_GP0]');
    expect(tcl).toContain('[get_bd_pins ps/FCLK_CLK0]');
    expect(tcl).not.toContain('zynq_ultra_ps_e');
    expect(tcl).not.toContain('axis_subset_converter');
    expect(tcl).not.toMatch(/\{\{|\}\}/); // no unrendered Handlebars
    // braces balance (a Tcl script whose braces do not balance does not parse)
    let depth = 0;
    for (const ch of tcl.replace(/\\[{}]/g, '')) {
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('xczu3eg, 3 x 8-bit input at 150 MHz: zynq_ultra_ps_e, 32-bit DMA word, a subset converter down to the IP\'s 24 bits', () => {
    const d = variant('xczu3eg', { channels: 3, bits: 8, height: 8, width: 8 }, 150);
    const { tcl } = zynqTcl(d);
    const top = `${d.name}_top`;
    expectInOrder(tcl, [
      '-part xczu3eg-sbva484-1-e',
      'create_bd_cell -type ip -vlnv xilinx.com:ip:zynq_ultra_ps_e ps',
      'apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e',
      'CONFIG.PSU__USE__S_AXI_GP2 {1}',
      'CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ 150 ',
      'CONFIG.c_m_axis_mm2s_tdata_width 32 ',
      `cosearch.org:hls:${top}:1.0`,
      'create_bd_cell -type ip -vlnv xilinx.com:ip:axis_subset_converter in_subset',
      'CONFIG.S_TDATA_NUM_BYTES 4 ',
      'CONFIG.M_TDATA_NUM_BYTES 3 ',
      'CONFIG.TDATA_REMAP {tdata[23:0]}',
      'CONFIG.TKEEP_REMAP {tkeep[2:0]}',
      'connect_bd_intf_net [get_bd_intf_pins axi_dma_0/M_AXIS_MM2S] [get_bd_intf_pins in_subset/S_AXIS]',
      'connect_bd_intf_net [get_bd_intf_pins in_subset/M_AXIS] $ip_in',
      'launch_runs impl_1 -to_step write_bitstream',
    ]);
    expect(tcl).toContain('set ps_slave [get_bd_intf_pins ps/S_AXI_HP0_FPD]');
    expect(tcl).toContain('[get_bd_pins ps/pl_clk0]');
    expect(tcl).not.toContain('processing_system7');
    expect(tcl).toContain('timing not met at 150 MHz');
  });

  it('the driver and README name the same overlay and widths as the Tcl', () => {
    const d = variant('xc7z020', { channels: 3, bits: 5, height: 8, width: 8 });
    const { dir } = zynqTcl(d);
    const py = readFileSync(join(dir, 'board', 'driver.py'), 'utf8');
    expect(py).toContain(`TOP = "${d.name}_top"`);
    expect(py).toContain('IN_H, IN_W, IN_C, IN_BITS = 8, 8, 3, 5');
    expect(py).toMatch(/^WORD_BITS = 15\b/m);
    expect(py).toMatch(/^WORD_BYTES = 2\b/m);
    expect(py).toMatch(/^NUM_LOGITS = 10\b/m);
    expect(py).toContain('DMA_NAME = "axi_dma_0"');
    expect(py).toContain('os.path.join(HERE, "overlay", TOP + ".bit")');
    // pynq only inside the board-only class
    expect(py.split('\n').filter((l) => /^\s*(from|import) pynq/.test(l)).every((l) => /^\s{8}/.test(l))).toBe(true);
    const md = readFileSync(join(dir, 'board', 'README.md'), 'utf8');
    expect(md).toContain('vivado -mode batch -source board/zynq.tcl');
    expect(md).toContain(`overlay/${d.name}_top.hwh`);
    expect(md).toContain('## What has not been run');
  });
});

describe('packInputWords', () => {
  it('equals the RTL twin\'s input words (rtl/vectors/input.hex) and the csim testbench\'s bit positions', () => {
    const d = variant('xc7z020', { channels: 3, bits: 5, height: 8, width: 8 });
    const model = randomIntModel(d, 2);
    const n = 3;
    const codes = Uint8Array.from({ length: n * 8 * 8 * 3 }, (_, i) => (i * 7 + 3) % 32);
    const dir = tmp('rtl');
    emitRtl(model, dir, { testImages: codes, testCount: n });
    const words = packInputWords(d, codes, n);
    expect(words.length).toBe(n * 64 * 2);
    const hex = readFileSync(join(dir, 'rtl', 'vectors', 'input.hex'), 'utf8').trim().split('\n');
    expect(hex).toHaveLength(n * 64);
    hex.forEach((h, q) => expect(words.readUInt16LE(2 * q)).toBe(parseInt(h, 16)));
    // element e in bits [5e+4 : 5e] (the csim testbench's w.range(c*B+B-1, c*B) = code)
    for (let q = 0; q < n * 64; q++) for (let c = 0; c < 3; c++) expect((words.readUInt16LE(2 * q) >> (5 * c)) & 31).toBe(codes[3 * q + c]);
    expect(() => packInputWords(d, Uint8Array.from(codes, () => 32), 1)).toThrow(/code 32 does not fit the 5-bit input/);
  });
});

describe('cosearch emit --board', () => {
  it('--board pynq on an Alveo or a Virtex part, --board alveo on a Zynq part, --board pynq with --target rtl: exit 64, nothing written', async () => {
    for (const [part, board, extra, msg] of [
      ['xcu250', 'pynq', [], '--board pynq needs a Zynq part (Zynq-7000 xc7z*, Zynq UltraScale+ xczu*); the design targets xcu250'],
      ['xcvu9p', 'pynq', [], 'the design targets xcvu9p'],
      ['xc7z020', 'alveo', [], '--board alveo needs an Alveo part (xcu50, xcu250, xcu280); the design targets xc7z020'],
      ['xc7z020', 'pynq', ['--target', 'rtl'], '--board pynq needs the HLS target'],
    ] as const) {
      const out = join(tmp('cli'), 'prj');
      const r = await cli(['emit', modelDir(variant(part)), '--out', out, '--images', '2', '--board', board, ...extra]);
      expect(r.code).toBe(64);
      expect(r.stderr).toContain(msg);
      expect(r.stderr).toContain('hint: ');
      expect(existsSync(out)).toBe(false);
    }
    const bad = await cli(['emit', modelDir(variant('xc7z020')), '--out', join(tmp('cli'), 'p'), '--board', 'zedboard']);
    expect(bad.code).toBe(64);
  });
});
