/**
 * csynth.xml parser on hand-written fixtures in the documented report layout: current (DSP), older
 * (DSP48E, no URAM) and a report whose latency/interval read `undef`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectLoopSchedules, loopWarnings, parseCsynthLoops, parsePipeliningLog, parseCsynthXml, xmlChildren } from '../../src/synth/csynth-parse.js';
import { validateWithSchema } from '../../src/config.js';
import { DataError } from '../../src/errors.js';
import type { PartCapacity } from '../../src/core/report.js';

const fx = (n: string): string => readFileSync(join(__dirname, '../fixtures/csynth', n), 'utf8');
const part: PartCapacity = { name: 'xc7z020', family: 'zynq7000', lut: 53200, ff: 106400, bram18: 280, dsp: 220, uram: 0 };

describe('parseCsynthXml', () => {
  it('reads a current Vitis HLS report (DSP key)', () => {
    const r = parseCsynthXml(fx('vitis-2023.2_csynth.xml'), { part, design: 'tiny_w2a2', clockMHz: 100 });
    expect(r.total).toEqual({ lut: 9876, lutram: null, ff: 5210, bram18: 4, dsp: 3, uram: 0 });
    expect(r.part).toMatchObject({ name: 'xc7z020-clg400-1', family: 'zynq', lut: 53200, ff: 106400, bram18: 280, dsp: 220, uram: 0 });
    expect(r.source).toEqual({ tool: 'vitis-hls', version: '2023.2' });
    expect(r.performance.intervalCycles).toBe(401);
    expect(r.performance.latencyCycles).toBe(1412);
    expect(r.performance.fps).toBeCloseTo(100e6 / 401, 6);
    expect(r.performance.latencyUs).toBeCloseTo(14.12, 6);
    expect(r.performance.estimatedClockMHz).toBeCloseTo(1000 / 6.912, 6);
    expect(r.utilization.lut).toBeCloseTo(9876 / 53200, 9);
    expect(() => validateWithSchema('report', JSON.parse(JSON.stringify(r)), 'vitis.json')).not.toThrow();
  });

  it('reads an older Vivado HLS report (DSP48E key, no URAM)', () => {
    const r = parseCsynthXml(fx('vivado-hls-2019.1_csynth.xml'), { part, design: 'tiny_w2a2', clockMHz: 200 });
    expect(r.total).toEqual({ lut: 23456, lutram: null, ff: 12345, bram18: 12, dsp: 17, uram: 0 });
    expect(r.part).toMatchObject({ name: 'xczu3eg-sbva484-1-e', family: 'zynquplus', dsp: 360, lut: 70560, uram: 0 });
    expect(r.source.version).toBe('2019.1');
    expect(r.performance.intervalCycles).toBe(810);
    expect(r.performance.estimatedClockMHz).toBeCloseTo(1000 / 4.375, 6);
    expect(r.clockMHz).toBe(200);
  });

  it('turns undef latency and interval into null', () => {
    const r = parseCsynthXml(fx('undef-latency_csynth.xml'), { part, design: 'tiny_w2a2', clockMHz: 100 });
    expect(r.performance).toMatchObject({ intervalCycles: null, latencyCycles: null, fps: null, latencyUs: null });
    expect(r.performance.estimatedClockMHz).toBeCloseTo(1000 / 7.3, 6);
    expect(r.total.lut).toBe(4000);
    expect(() => validateWithSchema('report', JSON.parse(JSON.stringify(r)), 'vitis.json')).not.toThrow();
  });

  it('falls back to the given part capacity without AvailableResources', () => {
    const xml = fx('vitis-2023.2_csynth.xml').replace(/<AvailableResources>[\s\S]*<\/AvailableResources>/, '');
    const r = parseCsynthXml(xml, { part: { ...part, lut: 1000 }, design: 'x', clockMHz: 100 });
    expect(r.part.lut).toBe(1000);
  });

  it('rejects a file that is not a csynth report, or one without resources, with a DataError', () => {
    expect(() => parseCsynthXml('<html></html>', { part, design: 'x', clockMHz: 100 })).toThrow(DataError);
    const noLut = fx('vitis-2023.2_csynth.xml').replace(/<LUT>9876<\/LUT>/, '');
    expect(() => parseCsynthXml(noLut, { part, design: 'x', clockMHz: 100 }, 'r.xml')).toThrow(/LUT/);
  });
});

// Loop schedules: hand-written per-module reports (Vitis HLS cannot run here) in the layout of Vitis HLS 2022-2023's
// syn/report/<module>_csynth.xml, and a log with its `Pipelining result` lines (test/fixtures/csynth/loops/).
const loopFx = (n: string): string => fx(`loops/${n}`);
describe('loop schedules (achieved II against the model)', () => {
  it('reads a pipelined loop at II=1 and flags nothing', () => {
    const l = parseCsynthLoops(loopFx('L0_conv0_Pipeline_VITIS_LOOP_41_1_csynth.xml'));
    expect(l).toEqual([
      { module: 'L0_conv0_Pipeline_VITIS_LOOP_41_1', loop: 'VITIS_LOOP_41_1', tripCount: 784, latency: 788, pipelined: true, achievedII: 1, targetII: null, depth: 5, modelII: 1, flag: null },
    ]);
  });

  it('flags a loop at II=2, and a not-pipelined innermost loop, but not an outer loop around a pipelined one', () => {
    const pool = parseCsynthLoops(loopFx('L1_pool0_Pipeline_VITIS_LOOP_30_1_csynth.xml'));
    expect(pool).toMatchObject([{ loop: 'VITIS_LOOP_30_1', achievedII: 2, depth: 4, flag: 'ii' }]);
    const out = parseCsynthLoops(loopFx('logits_out_10_2_24_s_csynth.xml'));
    expect(out.map((l) => [l.loop, l.tripCount, l.pipelined, l.achievedII, l.flag])).toEqual([
      ['LOGITS', 5, false, null, null],
      ['LOGITS/LANES', 2, true, 1, null],
      ['DRAIN', 4, false, null, 'not-pipelined'],
    ]);
    // the top of a dataflow design has no loop summary
    expect(parseCsynthLoops(fx('vitis-2023.2_csynth.xml'))).toEqual([]);
  });

  it('takes the target II from the log, counts a module once, and words one warning per flagged loop', () => {
    const log = loopFx('vitis_hls.log.txt');
    expect(parsePipeliningLog(log)).toEqual([
      { name: 'VITIS_LOOP_41_1', targetII: 1, finalII: 1, depth: 5 },
      { name: 'VITIS_LOOP_30_1', targetII: 1, finalII: 2, depth: 4 },
      { name: 'LANES', targetII: null, finalII: 1, depth: 2 },
    ]);
    // the older wording (UG1399 2022.1): `Target II: 1, Final II: 4, Depth: 6.` without a loop name
    expect(parsePipeliningLog('INFO: [SCHED 61] Pipelining result: Target II: 1, Final II: 4, Depth: 6.')).toEqual([{ name: null, targetII: 1, finalII: 4, depth: 6 }]);
    const files = ['L0_conv0_Pipeline_VITIS_LOOP_41_1', 'L1_pool0_Pipeline_VITIS_LOOP_30_1', 'L1_pool0_Pipeline_VITIS_LOOP_30_1', 'logits_out_10_2_24_s'];
    const loops = collectLoopSchedules(files.map((f) => loopFx(`${f}_csynth.xml`)), log);
    expect(loops).toHaveLength(5);
    expect(loops.find((l) => l.loop === 'VITIS_LOOP_30_1')).toMatchObject({ achievedII: 2, targetII: 1, flag: 'ii' });
    expect(loops.find((l) => l.loop === 'VITIS_LOOP_41_1')!.targetII).toBe(1);
    expect(loopWarnings(loops)).toEqual([
      'L1_pool0_Pipeline_VITIS_LOOP_30_1: loop VITIS_LOOP_30_1 achieved II=2 (target 1), 784 iterations; the cost model assumed II=1: its cycles are 2x the model\'s',
      'logits_out_10_2_24_s: loop DRAIN is not pipelined, 4 iterations; the cost model assumed II=1',
    ]);
  });

  it('xmlChildren lists direct children only, skipping comments', () => {
    expect(xmlChildren('<!-- c --><a x="1"><b>2</b></a><c/><d>t</d>')).toEqual([['a', '<b>2</b>'], ['c', ''], ['d', 't']]);
  });
});
