/**
 * Needs: verilator, the Fashion-MNIST dataset.
 * RTL twin vs the integer reference: verilator simulation of the generated Verilog on real Fashion-MNIST test
 * images must reproduce every logit of intInfer, for W1A1 (XNOR-popcount), W2A2 and a mixed design (8-bit
 * DSP products, 1x1 conv, bipolar-in / multi-bit-out), also under random back-pressure; a corrupted expected
 * vector must be reported with its image index and exit code 1. TLAST: the testbench checks out_last on every output
 * word (1 exactly on the last word of each image); a top whose out_last is stuck at 0 must fail with a TLAST detail.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitWithFashion, goldenDesign, tempDir } from './helpers.js';
import { runRtlSim, parseRtlSimLog } from '../../src/synth/rtlsim.js';
import { intInfer } from '../../src/ml/intref.js';
import { loadDataset } from '../../src/ml/datasets.js';
import { runCli } from '../../src/cli/main.js';
import { ToolMissingError } from '../../src/errors.js';
import { layerContexts } from '../../src/emit/context.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { writeIntModel } from '../../src/ml/intmodel-io.js';
import type { IntModel } from '../../src/core/intmodel.js';

const N = 20;
/** the W2A2 project of the first tests, reused (binary included) by the negative test */
let w2a2Prj: string | undefined;

describe('rtlsim: bit-exact on Fashion-MNIST', () => {
  for (const [name, stall] of [['w1a1-cnv-small', false], ['w2a2', true], ['mixed', false]] as const) {
    it(`${name}: ${N} test images, every logit equal to intInfer${stall ? ' (also with random stalls)' : ''}`, async () => {
      const design = goldenDesign(name);
      let prj: string;
      let model: IntModel;
      if (name === 'w2a2') {
        // through the CLI: `cosearch emit MODEL --out PRJ --target rtl --images N`
        model = randomIntModel(design, 3);
        const mdir = tempDir('model');
        writeIntModel(mdir, model);
        prj = tempDir('cli');
        expect(await runCli(['emit', mdir, '--out', prj, '--target', 'rtl', '--images', String(N)])).toBe(0);
        w2a2Prj = prj;
      } else ({ prj, model } = emitWithFashion(design, N, 3));
      const r = await runRtlSim(prj, { timeoutMs: 240_000 });
      expect(r.firstMismatch).toBeUndefined();
      expect(r).toMatchObject({ ok: true, images: N, mismatches: 0, tlastErrors: 0 });
      // steady-state interval close to the cycle model (slowest layer: outPixels * NF * SF)
      const model_ = Math.max(...layerContexts(model).map((c) => c.cycles));
      expect(r.modelIntervalCycles).toBe(model_);
      expect(r.intervalCycles!).toBeGreaterThanOrEqual(model_);
      expect(r.intervalCycles!).toBeLessThan(model_ * 1.05);
      // the expected vectors are the reference's logits (so ok=true means equal to intInfer)
      const ds = loadDataset({ name: 'fashion-mnist', split: 'test', limit: 2 });
      const ref = intInfer(model, ds.images.subarray(784, 2 * 784));
      const acc = layerContexts(model).at(-1)!.accBits;
      const lines = readFileSync(join(prj, 'rtl', 'vectors', 'expected.hex'), 'utf8').trim().split('\n');
      const toSigned = (h: string): number => {
        const v = parseInt(h, 16);
        return v >= 2 ** (acc - 1) ? v - 2 ** acc : v;
      };
      expect(lines.slice(10, 20).map(toSigned)).toEqual(Array.from(ref.logits));
      if (stall) {
        const s = await runRtlSim(prj, { stall: true, timeoutMs: 240_000 });
        expect(s).toMatchObject({ ok: true, images: N, mismatches: 0 });
      }
    }, 300_000);
  }

  it('reports a corrupted expected logit with its image (exit 1 from the CLI)', async () => {
    // a copy of the W2A2 project (timestamps kept, so the verilator binary is reused)
    const prj = w2a2Prj ? tempDir('neg') : emitWithFashion(goldenDesign('w2a2'), 6, 5).prj;
    if (w2a2Prj) cpSync(w2a2Prj, prj, { recursive: true, preserveTimestamps: true });
    const file = join(prj, 'rtl', 'vectors', 'expected.hex');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const k = 4 * 10 + 7; // image 4, logit 7
    const width = lines[k]!.length;
    lines[k] = ((parseInt(lines[k]!, 16) + 1) % 16 ** width).toString(16).padStart(width, '0');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await runRtlSim(prj, { timeoutMs: 240_000 });
    expect(r.ok).toBe(false);
    expect(r.mismatches).toBe(1);
    expect(r.firstMismatch).toMatchObject({ image: 4, layer: 'fc' });
    expect(r.firstMismatch!.detail).toMatch(/^logit 7: RTL -?\d+, reference -?\d+$/);
    const code = await runCli(['rtlsim', prj, '--images', '6']);
    expect(code).toBe(1);
    // fewer images than the corrupted one: passes
    expect(await runCli(['rtlsim', prj, '--images', '4'])).toBe(0);
  }, 300_000);

  it('one output word per image (classifier PE = classes): out_last on every word, bit-exact', async () => {
    const base = goldenDesign('w2a2');
    const design = { ...base, name: 'w2a2_pe10', layers: base.layers.map((l) => (l.name === 'fc' ? { ...l, pe: 10 } : l)) };
    const { prj } = emitWithFashion(design, 4, 2);
    expect(readFileSync(join(prj, 'rtl', 'top.v'), 'utf8')).toContain("assign out_last = 1'b1;");
    const r = await runRtlSim(prj, { stall: true, timeoutMs: 240_000 });
    expect(r).toMatchObject({ ok: true, images: 4, mismatches: 0, tlastErrors: 0 });
  }, 300_000);

  it('reports a wrong TLAST (out_last stuck at 0) as a mismatch naming the first image', async () => {
    const prj = w2a2Prj ? tempDir('tlast') : emitWithFashion(goldenDesign('w2a2'), 6, 5).prj;
    if (w2a2Prj) cpSync(w2a2Prj, prj, { recursive: true, preserveTimestamps: true });
    const top = join(prj, 'rtl', 'top.v');
    const src = readFileSync(top, 'utf8');
    expect(src).toMatch(/assign out_last = [^;]+;/);
    writeFileSync(top, src.replace(/assign out_last = [^;]+;/, "assign out_last = 1'b0;"));
    const r = await runRtlSim(prj, { images: 3, timeoutMs: 240_000 });
    expect(r.ok).toBe(false);
    expect(r.tlastErrors).toBe(3); // one per image: its last word
    expect(r.mismatches).toBe(3); // the logits themselves are right
    expect(r.firstMismatch).toMatchObject({ image: 0, layer: 'fc' });
    expect(r.firstMismatch!.detail).toMatch(/^TLAST of output word \d+: RTL 0, expected 1$/);
  }, 300_000);

  it('says when verilator is missing (exit 69) and parses the testbench log', async () => {
    const { prj } = emitWithFashion(goldenDesign('w2a2'), 1, 5);
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(runRtlSim(prj)).rejects.toBeInstanceOf(ToolMissingError);
    } finally {
      process.env.PATH = path;
    }
    const p = parseRtlSimLog('IMAGE 0 cycle=10\nMISMATCH image=2 class=3 got=-5 expected=4\nRESULT images=3 mismatches=2 cycles=40 first_done=10 last_done=30\n', 'fc');
    expect(p).toMatchObject({ ok: false, images: 3, mismatches: 2, intervalCycles: 10, firstMismatch: { image: 2, layer: 'fc', detail: 'logit 3: RTL -5, reference 4' } });
    expect(() => parseRtlSimLog('no result', 'fc')).toThrow(/RESULT/);
    const t = parseRtlSimLog('TLAST image=1 word=4 got=0 expected=1\nMISMATCH image=2 class=3 got=-5 expected=4\nRESULT images=3 mismatches=3 cycles=40 first_done=10 last_done=30 tlast_errors=1\n', 'fc');
    expect(t).toMatchObject({ ok: false, mismatches: 3, tlastErrors: 1, firstMismatch: { image: 1, detail: 'TLAST of output word 4: RTL 0, expected 1' } });
  });
});
