/**
 * Needs: yosys (its embedded Tcl 8.6 interpreter, `yosys -c`).
 * board/zynq.tcl run against a stand-in for the Vivado commands it uses (test/board/vivado_stub.tcl; Vivado is not
 * available here): the script runs to its end, names only cells it created and pins those cells have, connects every
 * clock, reset and stream of the IP and the DMA, and copies the run's .bit and the BD's .hwh to
 * board/overlay/<top>.bit|.hwh. A missing IP port stops it with a clear error; a negative slack prints a warning.
 * This checks the script's consistency, not Vivado's behaviour.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitBoard } from '../../src/emit/board.js';
import { goldenDesign } from '../synth/helpers.js';

const STUB = join(import.meta.dirname, 'vivado_stub.tcl');

function design(part: string, channels: number): Design {
  const d = goldenDesign('w2a2');
  return {
    ...d,
    name: `t_${part}`,
    input: channels === 1 ? d.input : { height: 8, width: 8, channels, bits: 8 },
    layers: d.layers.map((l) => (l.name === 'fc' && channels !== 1 ? { ...l, simd: 16 } : l)),
    target: { part, clockMHz: 125 },
  } as Design;
}

async function run(d: Design, env: Record<string, string> = {}) {
  const prj = mkdtempSync(join(tmpdir(), 'cosearch-tcl-'));
  expect(emitBoard(randomIntModel(d, 1), prj, 'pynq').flow).toBe('zynq');
  const work = join(prj, 'stub');
  mkdirSync(join(work, 'ip_repo'), { recursive: true });
  const hwh = join(work, 'bd.hwh');
  writeFileSync(hwh, '<hwh of the block design/>\n');
  const log = join(work, 'calls.log');
  const r = await execa('yosys', ['-q', '-c', STUB], {
    cwd: prj,
    reject: false,
    env: { STUB_LOG: log, STUB_RUNS: join(work, 'runs'), STUB_HWH: hwh, STUB_SCRIPT: join(prj, 'board', 'zynq.tcl'), STUB_WNS: '0.25', COSEARCH_IP_REPO: join(work, 'ip_repo'), ...env },
  });
  return { prj, r, calls: readFileSync(log, 'utf8').trim().split('\n') };
}

/** Every pin named in a connect_bd_* call. */
const connected = (calls: string[]): Set<string> => new Set(calls.filter((c) => c.startsWith('connect_bd_')).flatMap((c) => c.split(' ').slice(1)));

describe('board/zynq.tcl against a stand-in Vivado (yosys -c)', () => {
  for (const [part, channels] of [['xc7z020', 1], ['xczu3eg', 3]] as const) {
    it(`${part}, ${channels} input channel(s): runs to the end, every IP/DMA port connected, .bit + .hwh in board/overlay`, async () => {
      const d = design(part, channels);
      const top = `${d.name}_top`;
      const { prj, r, calls } = await run(d);
      expect(r.exitCode, `${r.stdout}\n${r.stderr}\n${calls.join('\n')}`).toBe(0);
      expect(calls.at(-1)).toBe('DONE');
      const order = ['create_project', 'create_bd_design', 'create_bd_cell', 'apply_bd_automation', 'connect_bd_intf_net', 'connect_bd_net', 'assign_bd_address', 'validate_bd_design', 'save_bd_design', 'make_wrapper', 'launch_runs', 'wait_on_run', 'open_run', 'report_utilization'];
      const firsts = order.map((c) => calls.findIndex((l) => l.startsWith(`${c} `) || l === c));
      expect(firsts.every((i) => i >= 0), order.filter((_, k) => firsts[k]! < 0).join(', ')).toBe(true);
      expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
      expect(calls).toContain(`create_bd_cell cosearch.org:hls:${top}:1.0 ${top}_0`);
      expect(calls.some((c) => c.startsWith('launch_runs impl_1 -to_step write_bitstream'))).toBe(true);
      const pins = connected(calls);
      const need = [
        `${top}_0/ap_clk`, `${top}_0/ap_rst_n`, `${top}_0/in_r`, `${top}_0/out_r`,
        'axi_dma_0/s_axi_lite_aclk', 'axi_dma_0/m_axi_mm2s_aclk', 'axi_dma_0/m_axi_s2mm_aclk', 'axi_dma_0/axi_resetn',
        'axi_dma_0/S_AXI_LITE', 'axi_dma_0/M_AXI_MM2S', 'axi_dma_0/M_AXI_S2MM', 'axi_dma_0/M_AXIS_MM2S', 'axi_dma_0/S_AXIS_S2MM',
        'rst/slowest_sync_clk', 'rst/ext_reset_in', 'rst/peripheral_aresetn', 'ctrl_sc/aclk', 'mem_sc/aclk', 'ctrl_sc/aresetn', 'mem_sc/aresetn',
        ...(part === 'xc7z020' ? ['ps/FCLK_CLK0', 'ps/FCLK_RESET0_N', 'ps/M_AXI_GP0', 'ps/S_AXI_HP0', 'ps/M_AXI_GP0_ACLK', 'ps/S_AXI_HP0_ACLK'] : ['ps/pl_clk0', 'ps/pl_resetn0', 'ps/M_AXI_HPM0_FPD', 'ps/S_AXI_HP0_FPD', 'ps/maxihpm0_fpd_aclk', 'ps/saxihp0_fpd_aclk']),
        ...(channels === 3 ? ['in_subset/S_AXIS', 'in_subset/M_AXIS', 'in_subset/aclk', 'in_subset/aresetn'] : []),
      ];
      expect(need.filter((p) => !pins.has(p))).toEqual([]);
      expect(readFileSync(join(prj, 'board', 'overlay', `${top}.bit`), 'utf8')).toBe(`bitstream of ${top}_bd\n`);
      expect(readFileSync(join(prj, 'board', 'overlay', `${top}.hwh`), 'utf8')).toBe('<hwh of the block design/>\n');
      expect(r.stdout).toContain(`overlay: ${join(prj, 'board', 'overlay', `${top}.bit`)}`);
      expect(r.stdout).not.toContain('timing not met');
    }, 60_000);
  }

  it('an IP without the in_r port stops the script with a clear error; a negative slack warns', async () => {
    const d = design('xc7z020', 1);
    const bad = await run(d, { STUB_NO_IN_R: '1' });
    expect(bad.r.exitCode).toBe(1);
    expect(bad.r.stderr).toContain(`ERROR: ${d.name}_top_0 has no in_r/out_r AXI4-Stream ports`);
    const slow = await run(d, { STUB_WNS: '-0.4' });
    expect(slow.r.exitCode).toBe(0);
    expect(slow.r.stdout).toContain('WARNING: timing not met at 125 MHz (WNS -0.4 ns)');
  }, 60_000);
});
