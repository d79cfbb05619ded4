/** `cosearch emit` does not overwrite a user's files without --force. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import { writeIntModel } from '../../src/ml/intmodel-io.js';
import { goldenDesign } from '../synth/helpers.js';
import { cli } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'cosearch-emit-'));
const model = join(root, 'model');
writeIntModel(model, randomIntModel(goldenDesign('w2a2'), 1));

describe('emit --out', () => {
  it('an existing, non-empty directory is refused (64) and left untouched; --force writes into it', async () => {
    const out = join(root, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'params.hpp'), '// my hand-tuned parameters\n');
    const r = await cli(['emit', model, '--out', out, '--images', '2']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(`--out ${out} already exists and holds 1 entry; not overwriting them`);
    expect(r.stderr).toContain('hint: pass --force to overwrite');
    expect(readFileSync(join(out, 'params.hpp'), 'utf8')).toBe('// my hand-tuned parameters\n');
    const f = await cli(['emit', model, '--out', out, '--images', '2', '--force']);
    expect(f.code).toBe(0);
    expect(readFileSync(join(out, 'params.hpp'), 'utf8')).not.toContain('hand-tuned');
  });
  it('an existing file as --out is refused; a new or empty directory is fine; --json lists the files', async () => {
    const file = join(root, 'afile');
    writeFileSync(file, 'x');
    expect((await cli(['emit', model, '--out', file, '--images', '2'])).code).toBe(64);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const r = await cli(['emit', model, '--out', empty, '--images', '2', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { files: string[]; out: string };
    expect(j.out).toBe(empty);
    expect(j.files.length).toBeGreaterThan(3);
    expect(existsSync(join(empty, 'params.hpp'))).toBe(true);
  });
});
