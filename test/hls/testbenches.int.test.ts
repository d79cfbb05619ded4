/**
 * Needs: g++.
 * The per-header testbenches of the HLS library (hls/test/tb_*.cpp): each compiles with the csim-only compat headers
 * without warnings under -Wall -Wextra and passes every case against its plain C++ reference; tb_mvau also with
 * COSEARCH_EXACT_ROMS (the exact-width ap_uint / ap_int ROM elements that synthesis uses instead of built-in integers).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cosearch-hls-tb-'));
const benches = readdirSync(join(ROOT, 'hls', 'test')).filter((f) => /^tb_.*\.cpp$/.test(f)).sort();

describe('HLS library testbenches (g++)', () => {
  it('there is one per library header with logic (mvau, swg, pool, dwc)', () => {
    expect(benches).toEqual(['tb_dwc.cpp', 'tb_mvau.cpp', 'tb_pool.cpp', 'tb_swg.cpp']);
  });
  const builds: Array<[string, string[]]> = benches.map((tb) => [tb, []]);
  builds.push(['tb_mvau.cpp', ['-DCOSEARCH_EXACT_ROMS']]);
  for (const [tb, defs] of builds) {
    it(`${tb}${defs.length ? ` ${defs.join(' ')}` : ''}: builds without warnings and passes`, async () => {
      const exe = join(dir, tb.replace(/\.cpp$/, '') + (defs.length ? '-exact' : ''));
      const b = await execa('g++', ['-std=c++14', '-O1', '-Wall', '-Wextra', ...defs, '-I', join(ROOT, 'hls'), '-I', join(ROOT, 'hls', 'compat'), join(ROOT, 'hls', 'test', tb), '-o', exe], { reject: false, all: true });
      expect(b.exitCode, b.all).toBe(0);
      expect(b.all).not.toMatch(/warning:/);
      const r = await execa(exe, [], { reject: false, all: true });
      expect(r.exitCode, r.all).toBe(0);
      expect(r.all).not.toMatch(/FAIL/);
      expect(r.all!.split('\n').filter((l) => l.startsWith('PASS')).length).toBeGreaterThanOrEqual(3);
    }, 120_000);
  }
});
