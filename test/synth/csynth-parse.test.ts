/**
 * csynth.xml parser on hand-written fixtures in the documented report layout: current (DSP), older
 * (DSP48E, no URAM) and a report whose latency/interval read `undef`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsynthXml } from '../../src/synth/csynth-parse.js';
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
