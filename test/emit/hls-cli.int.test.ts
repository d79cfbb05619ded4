/**
 * Needs: the Fashion-MNIST dataset.
 * `cosearch emit` / `cosearch csim` input errors through the CLI: a dataset whose images do not fit the design input
 * is a data error (65); csim of a directory that is not a project is 66.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import type { Design } from '../../src/core/design.js';
import { writeIntModel } from '../../src/ml/intmodel-io.js';
import { runCli } from '../../src/cli/main.js';

const design = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/designs/tiny-w2a2.json'), 'utf8')) as Design;

describe('emit / csim CLI input errors', () => {
  const prj = mkdtempSync(join(tmpdir(), 'cosearch-emit-cli-'));
  const model = randomIntModel(design, 1);
  it('CLI: a dataset whose images do not fit the design input is a data error (65); csim of a non-project is 66', async () => {
    const modelDir = join(prj, 'tiny-model');
    writeIntModel(modelDir, model);
    const lines: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((x: string) => (lines.push(String(x)), true)) as typeof process.stderr.write;
    let emitCode: number, csimCode: number;
    try {
      emitCode = await runCli(['emit', modelDir, '--out', join(prj, 'out'), '--images', '2', '--data', '/usr/share/datasets/fashion-mnist']);
      csimCode = await runCli(['csim', modelDir]);
    } finally {
      process.stderr.write = orig;
    }
    expect(emitCode).toBe(65);
    expect(lines.join('')).toMatch(/test images are 28x28x1 but the design input is 12x12x1/);
    expect(csimCode).toBe(66);
    expect(lines.join('')).toMatch(/is not a cosearch HLS project \(no hls_project.json\)/);
  });

});
