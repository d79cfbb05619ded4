/**
 * HLS C-simulation throughput for the reference W2A2 network (3 conv layers of 32-64 channels + dense on
 * 28x28 Fashion-MNIST), random integer weights, real test images: emit the project, compile it with g++ once,
 * run the bit-exact csim and print images/s (kernel calls only, as timed by the testbench) and wall times.
 *   npx tsx bench/hls.ts [--images N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../src/core/design.js';
import { randomIntModel } from '../src/core/random-intmodel.js';
import { emitHls } from '../src/emit/hls.js';
import { loadDataset } from '../src/ml/datasets.js';
import { buildCsim, runCsim } from '../src/synth/csim.js';

export const REFERENCE_W2A2: Design = {
  version: 1,
  name: 'ref_w2a2',
  input: { height: 28, width: 28, channels: 1, bits: 8 },
  layers: [
    { kind: 'conv', outChannels: 32, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 8, simd: 9 },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', outChannels: 64, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 16, simd: 32 },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', outChannels: 64, kernel: 3, padding: 1, wBits: 2, aBits: 2, pe: 16, simd: 64 },
    { kind: 'dense', outFeatures: 10, wBits: 2, pe: 2, simd: 64 },
  ],
  target: { part: 'xc7z020', clockMHz: 100 },
};

async function main(): Promise<void> {
  const i = process.argv.indexOf('--images');
  const images = i > 0 ? Number(process.argv[i + 1]) : 200;
  const ds = loadDataset({ name: 'fashion-mnist', split: 'test', limit: images });
  const dir = mkdtempSync(join(tmpdir(), 'cosearch-bench-hls-'));
  try {
    const model = randomIntModel(REFERENCE_W2A2, 2024);
    let t = Date.now();
    emitHls(model, dir, { testImages: ds.images, testCount: ds.count, labels: ds.labels, testSource: 'fashion-mnist test split' });
    const emitS = (Date.now() - t) / 1000;
    t = Date.now();
    const b = await buildCsim(dir, { force: true });
    const compileS = (Date.now() - t) / 1000;
    t = Date.now();
    const r = await runCsim(dir);
    const runS = (Date.now() - t) / 1000;
    if (!r.ok) throw new Error(`csim mismatch: ${JSON.stringify(r.firstMismatch)}`);
    process.stdout.write(
      `bench/hls: reference W2A2 (conv32-pool-conv64-pool-conv64-dense10, 28x28), ${r.images} Fashion-MNIST test images, bit-exact on every layer\n` +
        `  emit ${emitS.toFixed(2)} s (incl. integer reference for the test vectors), g++ compile ${compileS.toFixed(1)} s (${b.warnings} warnings)\n` +
        `  csim ${r.imagesPerSec.toFixed(1)} images/s wall, ${(r.imagesPerCpuSec ?? NaN).toFixed(1)} images per CPU-second (kernel calls, with per-layer taps; -O2); run wall ${runS.toFixed(2)} s\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
