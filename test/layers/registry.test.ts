/**
 * The layer registry (src/layers/registry.ts): every kind is complete (numeric code, TF.js side, HLS and RTL partials,
 * design and intmodel schemas), and outside src/layers no code branches on a layer's kind, except the listed files
 * with their reasons.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { KIND_BY_CODE, KIND_NAMES, findKind } from '../../src/layers/registry.js';
import { tfKind } from '../../src/layers/registry-tf.js';
import { layerContexts } from '../../src/emit/context.js';
import { randomIntModel } from '../../src/core/random-intmodel.js';
import type { Design } from '../../src/core/design.js';

const ROOT = join(import.meta.dirname, '..', '..');
const fixture = (n: string): Design => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'designs', `${n}.json`), 'utf8')) as Design;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Files outside src/layers allowed to compare a layer kind, and why. */
const EXCEPTIONS: Record<string, string> = {};

describe('layer registry', () => {
  it('every kind has a unique code, a TF.js side and its schema entries', () => {
    expect(KIND_NAMES).toEqual(['conv', 'maxpool', 'dense', 'pointwise', 'depthwise']);
    KIND_NAMES.forEach((n) => {
      const k = findKind(n)!;
      expect(KIND_BY_CODE[k.code]).toBe(k);
      expect(tfKind(n).linear).toBe(k.compute);
    });
    const ds = JSON.parse(readFileSync(join(ROOT, 'constraints', 'schemas', 'design.schema.json'), 'utf8'));
    expect(ds.properties.layers.items.properties.kind.enum.sort()).toEqual([...KIND_NAMES].sort());
    const ims = readFileSync(join(ROOT, 'constraints', 'schemas', 'intmodel.schema.json'), 'utf8');
    for (const n of KIND_NAMES) expect(ims).toContain(`"${n}"`);
  });

  it('the partials every kind renders with exist (HLS and RTL)', () => {
    const ctxs = [...layerContexts(randomIntModel(fixture('dwsep-mixed'), 1)), ...layerContexts(randomIntModel(fixture('tiny-w2a2'), 1))];
    const seen = new Set(ctxs.map((c) => c.kind));
    expect([...seen].sort()).toEqual([...KIND_NAMES].sort());
    for (const c of ctxs) {
      const k = findKind(c.kind)!;
      expect(existsSync(join(ROOT, 'src', 'layers', k.hls(c).partial, 'hls.hbs')), `${c.kind} hls`).toBe(true);
      expect(existsSync(join(ROOT, 'src', 'layers', k.rtl(c).partial, 'rtl.hbs')), `${c.kind} rtl`).toBe(true);
    }
  });

  it('outside src/layers nothing branches on a layer kind (listed exceptions only)', () => {
    const pattern = /\bkind\s*[!=]==?\s*(['"](conv|dense|maxpool|pointwise|depthwise)['"]|KIND_[A-Z]+)|case\s+['"](conv|dense|maxpool|pointwise|depthwise)['"]/;
    const offenders: string[] = [];
    for (const f of [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'bench'))]) {
      const rel = relative(ROOT, f);
      if (rel.startsWith('src/layers/') || rel in EXCEPTIONS) continue;
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        if (pattern.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
    // the exceptions are still real (drop an entry once its file no longer needs it)
    for (const rel of Object.keys(EXCEPTIONS)) expect(pattern.test(readFileSync(join(ROOT, rel), 'utf8')), rel).toBe(true);
  });

  it('every entry module loads on its own (no import cycle through the registry leaves a kind half-initialised)', () => {
    for (const m of ['src/core/cost/types.ts', 'src/core/design.ts', 'src/core/estimate.ts', 'src/core/fold.ts', 'src/emit/hls.ts', 'src/emit/rtl.ts', 'src/ml/intref.ts', 'src/index.ts']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', `await import(${JSON.stringify(join(ROOT, m))}); const r = await import(${JSON.stringify(join(ROOT, 'src/layers/registry.ts'))}); console.log(r.KIND_NAMES.length)`], { cwd: ROOT, encoding: 'utf8' });
      expect(out.trim(), m).toBe('5');
    }
  }, 120_000);
});
