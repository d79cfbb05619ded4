/**
 * Stream plumbing of the cost model (src/core/cost/stream.ts): FIFO depth from the cycle model, SRL / BRAM FIFO cost,
 * width converter cost and cycles (hls/cs_dwc.hpp, non-multiple widths max(in, out) + fill, not in + out), and the
 * agreement of the estimate's converters and FIFOs with what the HLS project emits on the golden designs and on
 * random geometries; the RTL-twin calibration keeps all of it at zero.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { costParams, DEFAULT_CALIBRATION, type Calibration } from '../../src/core/calibration.js';
import { dwc, dwcCost, fifo, fifoCost, streamFifoDepth } from '../../src/core/cost/stream.js';
import { MEM_BRAM, MEM_LUTRAM } from '../../src/core/cost/memory.js';
import { estimateDesign } from '../../src/core/estimate.js';
import type { Design } from '../../src/core/design.js';
import { loadPart } from '../../src/parts.js';
import { hlsLayerContexts } from '../../src/emit/hls.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { randomGeometry } from '../emit/geometry.js';

const ROOT = join(import.meta.dirname, '..', '..');
const p = costParams(DEFAULT_CALIBRATION);
const readDesign = (f: string): Design => JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as Design;

describe('stream FIFOs and width converters', () => {
  it('FIFO depth: one input vector (SF words) in front of a replaying MVAU with NF > 1, else 2', () => {
    expect(streamFifoDepth(8, 18, true)).toBe(18);
    expect(streamFifoDepth(1, 18, true)).toBe(2);
    expect(streamFifoDepth(4, 9, false)).toBe(2);
    expect(streamFifoDepth(4, 1, true)).toBe(2);
  });

  it('FIFO cost: SRL32 per bit per 32 words, BRAM when the SRL costs more than 64 LUTs per BRAM18', () => {
    fifoCost(p, 18, 32);
    expect([fifo.style, fifo.luts, fifo.bram18, fifo.ffs]).toEqual([MEM_LUTRAM, 32, 0, 32]);
    fifoCost(p, 64, 8);
    expect([fifo.style, fifo.luts, fifo.bram18]).toEqual([MEM_LUTRAM, 16, 0]);
    // 72 x 32: 32 * ceil(72/32) = 96 LUTs > 64 * 1 BRAM18
    fifoCost(p, 72, 32);
    expect([fifo.style, fifo.luts, fifo.bram18]).toEqual([MEM_BRAM, 0, 1]);
  });

  it('converter: the wider word for multiple widths, IN+OUT elements otherwise; cycles max(in, out) (+ fill)', () => {
    // 16 -> 64 elements of 1 bit, 30*30*64 elements: 3600 in words, 900 out words
    dwcCost(p, 16, 64, 1, 30 * 30 * 64);
    expect([dwc.luts, dwc.ffs, dwc.cycles]).toEqual([64 + 64, 64 + 64, 3600]);
    // 4 -> 6 elements of 2 bits (non-multiple), 24 elements: buffer of 10 elements = 20 bits, 2 LUTs per bit
    dwcCost(p, 4, 6, 2, 24);
    expect([dwc.luts, dwc.ffs, dwc.cycles]).toEqual([2 * 20 + 12, 20 + 12, 6 + 2]);
    dwcCost(p, 5, 5, 3, 50);
    expect([dwc.luts, dwc.cycles]).toEqual([0, 0]);
  });

  it('the RTL-twin calibration (yosys-xc7) costs none of the HLS stream plumbing, and its own converter (cs_dwc.v)', () => {
    const y = JSON.parse(readFileSync(join(ROOT, 'constraints/calibration/yosys-xc7.json'), 'utf8')) as Calibration;
    const q = costParams(y);
    expect(q.hlsStreamStructure).toBe(0);
    fifoCost(q, 72, 32);
    expect([fifo.luts, fifo.bram18, fifo.ffs]).toEqual([0, 0, 0]);
    // 16 -> 64 elements of 1 bit: a buffer of lcm = 64 elements, no output mux (64 / 64 = 1 way)
    dwcCost(q, 16, 64, 1, 30 * 30 * 64);
    expect(dwc.luts).toBe(0);
    expect(dwc.ffs).toBeCloseTo(q.rtlDwcFfsPerBit * 64, 9);
    // 8 -> 27 elements of 1 bit (bench sep3003's dense layer): lcm 216 buffered, a 8-way mux of 27 bits
    dwcCost(q, 8, 27, 1, 16 * 27);
    expect(dwc.ffs).toBeCloseTo(q.rtlDwcFfsPerBit * 216, 9);
    expect(dwc.luts).toBeCloseTo(q.rtlDwcLutsPerBit * 27 * 7, 9);
    expect(dwc.cycles).toBe(16 * 27 / 8 + 16);
  });

  it('the estimate\'s converters and FIFOs are the ones the HLS project emits (golden designs, random geometries)', () => {
    const designs = [
      readDesign('test/golden/cnv-w1a1.json'),
      ...['w1a1-cnv-small', 'w2a2', 'mixed', 'dwsep-w2a2'].map((n) => readDesign(`test/golden/designs/${n}.json`)),
      ...[1, 4, 11, 17, 23].map((s) => randomGeometry(s)).filter((d): d is Design => d !== null),
    ];
    let converters = 0;
    for (const d of designs) {
      const rep = estimateDesign(d, loadPart(d.target.part), DEFAULT_CALIBRATION);
      const h = hlsLayerContexts(randomIntModel(d, 1));
      h.forEach((c, i) => {
        const det = rep.layers[i]!.details!;
        expect(c.hasDwc, `${d.name} ${c.name}`).toBe(det.dwcCycles !== undefined);
        if (c.hasDwc) {
          converters++;
          expect([det.dwcInElems, det.dwcOutElems], `${d.name} ${c.name}`).toEqual([c.dwcInElems, c.dwcOutElems]);
        }
        if (c.compute) expect([c.inFifoDepth, c.inFifoImpl], `${d.name} ${c.name}`).toEqual([det.inFifoDepth, det.inFifoMem]);
      });
    }
    expect(converters).toBeGreaterThan(5);
  });
});
