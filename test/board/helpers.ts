/** Shared helpers of the board tests: temp directories, a model directory of a random integer model. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { writeIntModel } from '../../src/ml/intmodel-io.js';

export const tmp = (tag: string): string => mkdtempSync(join(tmpdir(), `cosearch-board-${tag}-`));

/** A directory holding intmodel.json of a random integer model of `d` (the input of `cosearch emit`). */
export function modelDir(d: Design, seed = 1): string {
  const m = tmp('model');
  writeIntModel(m, randomIntModel(d, seed));
  return m;
}
