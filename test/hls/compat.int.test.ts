/**
 * Needs: g++.
 * The csim-only ap_int / hls::stream stand-ins (hls/compat) compiled with real g++ -Wall -Wextra: wrap-around on
 * assignment, sign extension, widened arithmetic, slices and bits across 64-bit limbs, stream behaviour.
 * Also checks that the headers refuse to compile under __SYNTHESIS__ (they must never reach Vitis).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('ap_axi_sdata.h: ap_axiu fields (keep/strb all ones from -1, the side channels of the general form); refuses __SYNTHESIS__', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosearch-axis-'));
    const file = join(dir, 'axis.cpp');
    writeFileSync(
      file,
      [
        '#include <ap_axi_sdata.h>',
        '#include <cstdio>',
        'int main() {',
        '  ap_axiu<24, 0, 0, 0> a; a.data = 0xabcdef; a.keep = -1; a.strb = -1; a.last = 1;',
        '  ap_axiu<8, 2, 3, 4> b; b.user = 3; b.id = 7; b.dest = 15; b.last = 0;',
        '  std::printf("%llx %d %d %d %d\\n", (unsigned long long)a.data, (int)a.keep, (int)a.strb, (int)a.last, (int)b.id);',
        '  return 0;',
        '}',
      ].join('\n'),
    );
    const bin = join(dir, 'axis');
    const cc = spawnSync('g++', ['-std=c++14', '-Wall', '-Wextra', '-I', join(root, 'hls/compat'), '-o', bin, file], { encoding: 'utf8' });
    expect(cc.stderr).toBe('');
    expect(execFileSync(bin, { encoding: 'utf8' }).trim()).toBe('abcdef 7 7 1 7');
    const syn = spawnSync('g++', ['-std=c++14', '-fsyntax-only', '-D__SYNTHESIS__', '-I', join(root, 'hls/compat'), file], { encoding: 'utf8' });
    expect(syn.status).not.toBe(0);
    expect(syn.stderr).toMatch(/Vitis HLS must use its own ap_axi_sdata\.h/);
  });
});
