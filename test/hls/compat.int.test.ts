/**
 * Needs: g++.
 * The csim-only ap_int / hls::stream stand-ins (hls/compat) compiled with real g++ -Wall -Wextra: wrap-around on
 * assignment, sign extension, widened arithmetic, slices and bits across 64-bit limbs, stream behaviour.
 * Also checks that the headers refuse to compile under __SYNTHESIS__ (they must never reach Vitis).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const src = join(__dirname, '../fixtures/hls/compat_check.cpp');

describe('hls/compat', () => {
  it('matches the vendor wrap/width semantics', () => {
    const bin = join(mkdtempSync(join(tmpdir(), 'cosearch-compat-')), 'check');
    const cc = spawnSync('g++', ['-std=c++14', '-O2', '-Wall', '-Wextra', '-I', join(root, 'hls/compat'), '-o', bin, src], { encoding: 'utf8' });
    expect(cc.status).toBe(0);
    expect(cc.stderr).toBe('');
    const out = execFileSync(bin, { encoding: 'utf8' });
    const got = Object.fromEntries(out.trim().split('\n').map((l) => l.split('=') as [string, string]));
    expect(got).toEqual({
      uint4_from_17: '1',
      int4_7_plus_1: '-8',
      int4_from_m9: '7',
      uint8_from_int4_m1: '255',
      int12_from_uint4_15: '15',
      int8_mul_widened: '300',
      int8_mul_assigned: '44',
      u130_range_70_60: '2047',
      u130_bit_59: '0',
      u130_bit_64: '1',
      u130_range_129_128: '2',
      u130_bit_129_cleared: '0',
      int70_m1_to_int64: '-1',
      int70_m1_range_69_6: '18446744073709551615',
      int70_from_int8_m128: '-128',
      int70_m128_bit_69: '1',
      uint64_from_m1: '18446744073709551615',
      uint3_0_minus_1: '7',
      int6_from_uint6_40: '-24',
      slice_assign_signed: '3328',
      wide_equal: '0',
      wide_xor_bit3: '1',
      stream_size: '1',
      stream_read: '5',
      stream_empty: '1',
      stream_read_empty_throws: '1',
    });
  });

  it('refuses to compile under __SYNTHESIS__', () => {
    const cc = spawnSync('g++', ['-std=c++14', '-fsyntax-only', '-D__SYNTHESIS__', '-I', join(root, 'hls/compat'), src], { encoding: 'utf8' });
    expect(cc.status).not.toBe(0);
    expect(cc.stderr).toMatch(/C-simulation stand-in; Vitis HLS must use its own ap_int\.h/);
  });
});
