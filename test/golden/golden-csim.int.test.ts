/**
 * Needs: g++, /usr/bin/time (GNU time, for the peak memory of the compile).
 * Every golden design through the HLS backend: emitted with a random integer model and random images, compiled with
 * the csim build of src/synth/csim.ts (g++ -Wall -Wextra against hls/compat) and simulated bit-exact on every layer.
 * CNV-W1A1 (1.5M weights) is the Done-when design of issue #13: its csim build at g++ -O1 must finish in <= 60 s and
 * <= 2 GB (measured with /usr/bin/time -v on the same command with -O1 in place of the build's -O2).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { Rng } from '../../src/core/rng.js';
import { emitHls } from '../../src/emit/hls.js';
import { CSIM_CXX, CSIM_FLAGS, readHlsManifest, runCsim } from '../../src/synth/csim.js';

const ROOT = join(import.meta.dirname, '..', '..');
const GOLDEN = ['cnv-w1a1.json', 'ref-w2a2.json', ...['w1a1-cnv-small', 'w2a2', 'mixed', 'dwsep-w2a2'].map((n) => `designs/${n}.json`)];
const root = mkdtempSync(join(tmpdir(), 'cosearch-golden-csim-'));

function emit(file: string): string {
  const d = JSON.parse(readFileSync(join(ROOT, 'test/golden', file), 'utf8')) as Design;
  const n = 2;
  const size = d.input.height * d.input.width * d.input.channels;
  const rng = new Rng(size);
  const images = Uint8Array.from({ length: n * size }, () => rng.int(0, 255));
  const prj = join(root, d.name);
  emitHls(randomIntModel(d, 7), prj, { testImages: images, testCount: n });
  return prj;
}

describe('golden designs: HLS csim bit-exact', () => {
  for (const file of GOLDEN) {
    it(`${file}: every layer bit-exact, no warnings`, async () => {
      const r = await runCsim(emit(file));
      expect(r.firstMismatch).toBeUndefined();
      expect(r).toMatchObject({ ok: true, images: 2, mismatches: 0, compileWarnings: 0 });
    }, 300_000);
  }

  it('CNV-W1A1: the csim build at g++ -O1 takes <= 60 s and <= 2 GB', () => {
    const prj = join(root, 'cnv_w1a1');
    const m = readHlsManifest(prj);
    mkdirSync(join(prj, 'build'), { recursive: true });
    const flags = CSIM_FLAGS.map((f) => (f === '-O2' ? '-O1' : f));
    expect(flags).toContain('-O1');
    const t0 = Date.now();
    const r = spawnSync('/usr/bin/time', ['-v', CSIM_CXX, ...flags, '-o', 'build/csim-o1', ...m.sources, ...m.tbSources], { cwd: prj, encoding: 'utf8' });
    const seconds = (Date.now() - t0) / 1000;
    expect(r.status, r.stderr).toBe(0);
    const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)![1]);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(kb).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(r.stderr).not.toMatch(/warning:/);
  }, 300_000);
});
