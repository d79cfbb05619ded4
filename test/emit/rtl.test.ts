/**
 * The RTL emitter's weight memories follow the cost model's memory rule (src/core/cost/memory.ts chooseMemory) with
 * the calibration in use: the manifest's weightStyle of every layer equals the estimate's weightMem, for the default
 * calibration and for one that moves the LUTRAM / BRAM threshold; the threshold ROMs follow the estimate's
 * thresholdMem the same way (they were always LUT ROMs, so the yosys estimate of a layer with 128 x 15 thresholds
 * counted BRAM that synthesis never used).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { DEFAULT_CALIBRATION, withConstants } from '../../src/core/calibration.js';
import { estimateDesign } from '../../src/core/estimate.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { emitRtl, type RtlManifest } from '../../src/emit/rtl.js';
import { loadPart } from '../../src/parts.js';

const design = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'designs', 'dwsep-w2a2.json'), 'utf8')) as Design;

describe('emitRtl weight memories', () => {
  const model = randomIntModel(design, 1);
  const images = new Uint8Array(784);
  const styles = (cal = DEFAULT_CALIBRATION): { rtl: string[]; est: string[] } => {
    const prj = mkdtempSync(join(tmpdir(), 'cosearch-rtl-mem-'));
    emitRtl(model, prj, { testImages: images, testCount: 1, calibration: cal });
    const m = JSON.parse(readFileSync(join(prj, 'rtl', 'manifest.json'), 'utf8')) as RtlManifest;
    const r = estimateDesign(design, loadPart('xc7z020'), cal);
    return { rtl: m.layers.map((l) => l.weightStyle), est: r.layers.map((l) => String(l.details?.weightMem ?? 'none')) };
  };
  it('are the estimate\'s, with the default calibration and with a different LUTRAM threshold', () => {
    const a = styles();
    expect(a.rtl).toEqual(a.est);
    // the dense classifier's 784 x 10 weights (PE 2: 140-word memories of 56 bits) sit in BRAM by default
    expect(a.rtl[5]).toBe('bram');
    const lut = styles(withConstants(DEFAULT_CALIBRATION, { autoLutramMaxLutsPerBram18: 1000 }, { name: 'lutram-happy', source: 'test' }));
    expect(lut.rtl).toEqual(lut.est);
    expect(lut.rtl[5]).toBe('lutram');
  });

  it('put threshold ROMs where the estimate puts them', () => {
    const wide: Design = {
      version: 1,
      name: 'thr_bram',
      input: { height: 8, width: 8, channels: 1, bits: 8 },
      layers: [
        { kind: 'dense', outFeatures: 128, wBits: 4, aBits: 4, pe: 1, simd: 8 },
        { kind: 'dense', outFeatures: 10, wBits: 4, pe: 1, simd: 8 },
      ],
      target: { part: 'xc7z020', clockMHz: 100 },
    } as Design;
    const prj = mkdtempSync(join(tmpdir(), 'cosearch-rtl-thr-'));
    emitRtl(randomIntModel(wide, 1), prj, { testImages: new Uint8Array(64), testCount: 1 });
    const est = estimateDesign(wide, loadPart('xc7z020'), DEFAULT_CALIBRATION);
    expect(est.layers[0]!.details?.thresholdMem).toBe('bram');
    const v = readFileSync(join(prj, 'rtl', 'layers.v'), 'utf8');
    expect(v).toMatch(/\.STYLE\(2\), \.FILE\("mem\/L0_t_p0\.mem"\)/);
  });
});
