/**
 * Depthwise-separable blocks in the search space (src/core/space.ts conv.blocks): keys, designs, validity, and the
 * promise to the search that spaces without a block choice sample, mutate and cross over exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import {
  cheapFeatures, cheapFeaturesViaDesign, crossoverGenomes, genomeIssues, genomeKey, mutateGenome, repairGenome, sampleGenome, toDesign,
  type Genome, type SearchSpace,
} from '../../src/core/space.js';
import { foldForFps } from '../../src/core/fold.js';
import { DEFAULT_CALIBRATION } from '../../src/core/calibration.js';
import { loadPart } from '../../src/parts.js';

const spaceFile = (n: string): SearchSpace => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'constraints', 'space', `${n}.json`), 'utf8')) as SearchSpace;
/** the 28x28 space with the block choice (the shipped default-28x28x1 has none yet: its predictor never saw a separable block) */
const space = (): SearchSpace => {
  const s = spaceFile('default-28x28x1');
  s.conv.blocks = ['conv', 'separable'];
  return s;
};

const sepGenome: Genome = {
  convs: [
    { ch: 8, k: 3, pad: 'same', pool: true, w: 2, a: 2 },
    { ch: 16, k: 3, pad: 'same', pool: true, w: 2, a: 2, sep: true },
  ],
  dense: [],
  outW: 2,
};

describe('search space: depthwise-separable blocks', () => {
  it('a separable block is depthwise k x k + pointwise 1x1 with the block bits, keyed "ds" (plain keys unchanged)', () => {
    expect(genomeKey(sepGenome)).toBe('c8k3spw2a2-ds16k3spw2a2||o2');
    expect(genomeKey({ ...sepGenome, convs: [sepGenome.convs[0]!] })).toBe('c8k3spw2a2||o2');
    const d = toDesign(sepGenome, space());
    expect(d.layers.map((l) => l.kind)).toEqual(['conv', 'maxpool', 'depthwise', 'pointwise', 'maxpool', 'dense']);
    expect(d.layers[2]).toMatchObject({ kernel: 3, padding: 1, wBits: 2, aBits: 2 });
    expect(d.layers[3]).toMatchObject({ outChannels: 16, wBits: 2, aBits: 2 });
    expect(genomeIssues(sepGenome, space())).toEqual([]);
    // params: conv 3*3*1*8, depthwise 3*3*8 + pointwise 8*16 (instead of 3*3*8*16), classifier 7*7*16*10
    expect(cheapFeatures(sepGenome, space())).toEqual(cheapFeaturesViaDesign(sepGenome, space()));
    expect(cheapFeatures(sepGenome, space()).params).toBe(72 + 72 + 128 + 7 * 7 * 16 * 10);
    // the depthwise layer's MACs (3*3*8 on the 14x14 map) are the slow-training ones; a plain genome has none
    expect(cheapFeatures(sepGenome, space()).slowMacs).toBe(72 * 14 * 14);
    expect(cheapFeatures({ ...sepGenome, convs: [sepGenome.convs[0]!] }, space()).slowMacs).toBe(0);
    const r = foldForFps(d, { fps: 1000 }, loadPart('xc7z020'), DEFAULT_CALIBRATION);
    expect(r.ok).toBe(true);
  });

  it('rejects a separable block where the space has none, and as the first block (repair makes it plain)', () => {
    const plain = space();
    delete plain.conv.blocks;
    expect(genomeIssues(sepGenome, plain)).toEqual(['conv 1: separable block not in the space']);
    const first: Genome = { ...sepGenome, convs: [{ ...sepGenome.convs[0]!, sep: true }] };
    expect(genomeIssues(first, space())).toContain('conv 0: the first block is a plain conv (a depthwise layer on the input channels)');
    expect(genomeIssues(repairGenome(first, space()), space())).toEqual([]);
  });

  it('a space with the block choice (default-32x32x3) samples, mutates and crosses over both block kinds into valid genomes', () => {
    const sp = spaceFile('default-32x32x3');
    expect(sp.conv.blocks).toEqual(['conv', 'separable']);
    const rng = new Rng(5);
    let seps = 0;
    let plain = 0;
    let g = sampleGenome(sp, rng);
    for (let i = 0; i < 300; i++) {
      const h = i % 3 === 0 ? sampleGenome(sp, rng) : i % 3 === 1 ? mutateGenome(g, sp, rng) : crossoverGenomes(g, sampleGenome(sp, rng), sp, rng);
      expect(genomeIssues(h, sp)).toEqual([]);
      for (const c of h.convs) c.sep ? seps++ : plain++;
      g = h;
    }
    expect(seps).toBeGreaterThan(50);
    expect(plain).toBeGreaterThan(50);
  });

  it('a space without a block choice draws the same sequence as before blocks existed (keys recorded with the previous space.ts)', () => {
    const sp = spaceFile('default-28x28x1');
    expect(sp.conv.blocks).toBeUndefined();
    const rng = new Rng(42);
    const keys: string[] = [];
    let g = sampleGenome(sp, rng);
    for (let i = 0; i < 6; i++) {
      keys.push(genomeKey(g));
      g = mutateGenome(g, sp, rng);
    }
    keys.push(genomeKey(crossoverGenomes(g, sampleGenome(sp, rng), sp, rng)));
    expect(keys).toEqual(['c4k3sw8a4|d32w8a1|o6', 'c4k3vw8a4|d32w8a1|o6', 'c4k3vw8a4|d32w6a1|o6', 'c4k5vw8a4|d32w6a1|o6', 'c4k5vw8a2|d32w6a1|o6', 'c4k5vw8a4|d32w6a1|o6', 'c16k5vpw8a4-c24k5spw1a4|d64w3a3|o3']);
  });
});
