import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeDesign } from '../../src/core/design.js';
import { Rng } from '../../src/core/rng.js';
import {
  architectureSummary, ARCH_SUMMARY_NAMES,
  cheapFeatures, cheapFeaturesViaDesign, crossoverGenomes, encodeGenome, encodingLength, genomeIssues, genomeKey, mutateGenome, sampleGenome,
  smallestGenome, toDesign, withUniformBits, type SearchSpace,
} from '../../src/core/space.js';
import { listSpaces, loadSpace } from '../../src/run/space-file.js';
import { DataError } from '../../src/errors.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const spaces: SearchSpace[] = ['default-28x28x1', 'default-32x32x3'].map((n) => loadSpace(n).space);

describe('search space', () => {
  it('ships the two default spaces', () => {
    expect(listSpaces()).toEqual(expect.arrayContaining(['default-28x28x1', 'default-32x32x3']));
  });

  for (const space of spaces) {
    it(`${space.name}: sampled, mutated and crossed-over genomes are valid designs of the space`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
          const rng = new Rng(seed);
          const a = sampleGenome(space, rng);
          const b = sampleGenome(space, rng);
          const m = mutateGenome(a, space, rng);
          const x = crossoverGenomes(a, b, space, rng);
          for (const g of [a, b, m, x, withUniformBits(a, space, 2)]) {
            expect(genomeIssues(g, space)).toEqual([]);
            const d = toDesign(g, space);
            expect(analyzeDesign(d).issues).toEqual([]);
            expect(d.input).toEqual(space.input);
            const last = d.layers[d.layers.length - 1]!;
            expect(last.kind === 'dense' && last.outFeatures).toBe(space.numClasses);
            expect(encodeGenome(g, space).length).toBe(encodingLength(space));
            expect(cheapFeatures(g, space)).toEqual(cheapFeaturesViaDesign(g, space));
          }
          expect(genomeKey(m)).not.toBe(genomeKey(a));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('is deterministic for a seed and covers the choices', () => {
    const space = spaces[0]!;
    const keys = (seed: number): string[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => genomeKey(sampleGenome(space, rng)));
    };
    expect(keys(7)).toEqual(keys(7));
    expect(keys(7)).not.toEqual(keys(8));
    const rng = new Rng(3);
    const seen = { ch: new Set<number>(), k: new Set<number>(), w: new Set<number>(), a: new Set<number>(), convs: new Set<number>(), pool: new Set<boolean>() };
    for (let i = 0; i < 500; i++) {
      const g = sampleGenome(space, rng);
      seen.convs.add(g.convs.length);
      for (const c of g.convs) {
        seen.ch.add(c.ch);
        seen.k.add(c.k);
        seen.w.add(c.w);
        seen.a.add(c.a);
        seen.pool.add(c.pool);
      }
    }
    expect([...seen.ch].sort((a, b) => a - b)).toEqual(space.conv.channels);
    expect(seen.k.size).toBe(space.conv.kernels.length);
    expect(seen.w.size).toBe(space.conv.wBits.length);
    expect(seen.a.size).toBe(space.conv.aBits.length);
    expect(seen.convs.size).toBe(space.conv.maxLayers - space.conv.minLayers + 1);
    expect(seen.pool.size).toBe(2);
  });

  it('keys identify designs: different keys give different designs, equal keys equal designs', () => {
    const space = spaces[0]!;
    const rng = new Rng(11);
    const byKey = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const g = sampleGenome(space, rng);
      const d = JSON.stringify(toDesign(g, space).layers);
      const k = genomeKey(g);
      if (byKey.has(k)) expect(byKey.get(k)).toBe(d);
      byKey.set(k, d);
    }
    expect(new Set(byKey.values()).size).toBe(byKey.size);
  });

  it('cheap features count parameters and bit-operations', () => {
    const space = spaces[0]!;
    const g = { convs: [{ ch: 8, k: 3, pad: 'valid' as const, pool: true, w: 2, a: 2 }], dense: [], outW: 4 };
    const f = cheapFeatures(g, space);
    // conv 3x3x1x8 = 72 weights; 26x26 outputs, pool -> 13x13x8 = 1352 features into a 10-way dense
    expect(f.params).toBe(72 + 1352 * 10);
    expect(f.macs).toBe(72 * 26 * 26 + 13520);
    expect(f.bitOps).toBe(72 * 26 * 26 * 2 * 8 + 13520 * 4 * 2);
    expect(smallestGenome(space).convs.length).toBe(space.conv.minLayers);
    expect(genomeIssues(smallestGenome(space), space)).toEqual([]);
  });

  it('rejects a bad space file with the JSON path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'space-'));
    const f = join(dir, 'bad.json');
    const s = JSON.parse(JSON.stringify(spaces[0])) as Record<string, unknown>;
    (s.conv as Record<string, unknown>).wBits = [0, 2];
    writeFileSync(f, JSON.stringify(s));
    expect(() => loadSpace(f)).toThrow(DataError);
    expect(() => loadSpace(f)).toThrow(/conv\/wBits\/0/);
  });
});

describe('architecture summary encoding (predictor input)', () => {
  it('summarises bit widths, widths and depth by hand', () => {
    // conv 16ch 3x3 W2A1 + pool, conv 32ch 5x5 W4A3, dense 64 W1A2, classifier W8
    const g = {
      convs: [{ ch: 16, k: 3, pad: 'same' as const, pool: true, w: 2, a: 1 }, { ch: 32, k: 5, pad: 'valid' as const, pool: false, w: 4, a: 3 }],
      dense: [{ width: 64, w: 1, a: 2 }],
      outW: 8,
    };
    // [a1 layers/4, minA/8, minW/8, w1 layers/4, log2(min width)/10, convs/6, denses/4, outW/8, first conv a/8, last a/8, log2(first ch)/7]
    expect(architectureSummary(g)).toEqual([1 / 4, 1 / 8, 1 / 8, 1 / 4, 4 / 10, 2 / 6, 1 / 4, 1, 1 / 8, 2 / 8, 4 / 7]);
    expect(architectureSummary(g)).toHaveLength(ARCH_SUMMARY_NAMES.length);
    // a classifier-only network: no hidden layer, 1-bit classifier weights
    expect(architectureSummary({ convs: [], dense: [], outW: 1 })).toEqual([0, 1, 1 / 8, 1 / 4, 1, 0, 0, 1 / 8, 1, 1, 0]);
  });
});
