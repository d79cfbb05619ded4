/**
 * `cosearch estimate` on the CNV-W1A1 golden design (test/golden/cnv-w1a1.json, FINN/BNN-PYNQ folding):
 * throughput within 5% of f_clk / max layer cycles worked out by hand, bottleneck marked.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResourceReport } from '../../src/core/report.js';
import { validateWithSchema } from '../../src/config.js';
import { cli } from '../cli/helpers.js';

const golden = join(__dirname, '..', 'golden', 'cnv-w1a1.json');

// MVAU cycles per image = OFM^2 * (MW / SIMD) * (MH / PE); dense: (MW / SIMD) * (MH / PE)
const hand: Record<string, number> = {
  conv0: 30 * 30 * ((3 * 3 * 3) / 3) * (64 / 16), //      = 32,400
  conv1: 28 * 28 * ((3 * 3 * 64) / 32) * (64 / 32), //    = 28,224
  pool0: (28 * 28 * 64) / 32, //   IFM^2 * C / pe           =  1,568
  conv2: 12 * 12 * ((3 * 3 * 64) / 32) * (128 / 16), //   = 20,736
  conv3: 10 * 10 * ((3 * 3 * 128) / 32) * (128 / 16), //  = 28,800
  pool1: (10 * 10 * 128) / 16, //                          =    800
  conv4: 3 * 3 * ((3 * 3 * 128) / 32) * (256 / 4), //     = 20,736
  conv5: 1 * 1 * ((3 * 3 * 256) / 32) * (256 / 1), //     = 18,432
  fc0: (256 / 4) * (512 / 1), //                          = 32,768
  fc1: (512 / 8) * (512 / 1), //                          = 32,768
  fc2: (512 / 1) * (10 / 5), //                           =  1,024
};
const maxCycles = Math.max(...Object.values(hand)); // 32,768 (fc0 and fc1)
const fclk = 100e6; // target.clockMHz = 100
const handFps = fclk / maxCycles; // 3,051.76 fps

describe('cosearch estimate on CNV-W1A1', () => {
  it('hand arithmetic', () => {
    expect(maxCycles).toBe(32768);
    expect(hand.conv0).toBe(32400);
    expect(hand.conv3).toBe(28800);
  });

  it('--json: throughput within 5% of f_clk / max layer cycles, bottleneck marked on the slowest layers', async () => {
    const r = await cli(['estimate', golden, '--json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as ResourceReport;
    validateWithSchema('report', rep, 'estimate --json output');
    expect(Math.abs(rep.performance.fps! - handFps) / handFps).toBeLessThan(0.05);
    for (const l of rep.layers) expect(l.cycles, l.name).toBe(hand[l.name]);
    const marked = rep.layers.filter((l) => l.bottleneck).map((l) => l.name);
    expect(marked).toEqual(['fc0', 'fc1']);
    expect(rep.performance.bottleneck).toBe('fc0');
    expect(rep.part.name).toBe('xc7z020');
    expect(rep.total.lut).toBe(rep.layers.reduce((a, l) => a + l.lut, 0));
    expect(rep.utilization.lut).toBeCloseTo(rep.total.lut / 53200, 12);
  });

  it('table: bottleneck rows start with *, totals with % of the part, fps and latency', async () => {
    const r = await cli(['estimate', golden]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const starred = lines.filter((l) => l.startsWith('*')).map((l) => l.split(/\s+/)[1]);
    expect(starred).toEqual(['fc0', 'fc1']);
    expect(lines.find((l) => /^\s+conv0\s/.test(l))).toMatch(/16\/3\s+32,400/);
    expect(r.stdout).toMatch(/% of xc7z020\s+\d+\.\d%/);
    expect(r.stdout).toMatch(/throughput: 3,051\.8 fps at 100 MHz/);
    expect(r.stdout).toMatch(/latency: [\d,.]+ us/);
  });

  it('a faster clock scales the throughput (--clock 200)', async () => {
    const r = await cli(['estimate', golden, '--json', '--clock', '200']);
    const rep = JSON.parse(r.stdout) as ResourceReport;
    expect(rep.performance.fps).toBeCloseTo(2 * handFps, 6);
  });
});
