/**
 * Needs: the Fashion-MNIST dataset (emit writes test vectors of its test images).
 * `cosearch emit --board auto`: board/ for a Zynq part (zynq.tcl, driver.py, README.md), the v++ link notes for an
 * Alveo part (no Zynq Tcl, a note on stderr), nothing but a note for a part without a board flow (xcvu9p).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../../src/core/design.js';
import { modelDir, tmp } from './helpers.js';
import { goldenDesign } from '../synth/helpers.js';
import { cli } from '../cli/helpers.js';

const variant = (part: string): Design => ({ ...goldenDesign('w2a2'), name: `v_${part}_1x8`, target: { part, clockMHz: 100 } }) as Design;

describe('cosearch emit --board', () => {
  it('auto on a Zynq part writes board/ (zynq.tcl, driver.py, README.md); --json says so', async () => {
    const out = join(tmp('cli'), 'prj');
    const r = await cli(['emit', modelDir(variant('xc7z020')), '--out', out, '--images', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { board: string; files: string[] };
    expect(j.board).toBe('zynq');
    for (const f of ['zynq.tcl', 'driver.py', 'README.md']) expect(j.files).toContain(join(out, 'board', f));
    expect(existsSync(join(out, 'board', 'link.cfg'))).toBe(false);
  });

  it('Alveo: board/README.md with the v++ --link step and link.cfg, no Zynq Tcl, a note on stderr; xcvu9p: no board/, a note', async () => {
    const out = join(tmp('cli'), 'prj');
    const r = await cli(['emit', modelDir(variant('xcu250')), '--out', out, '--images', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: xcu250 is an Alveo part: board/README.md documents a v++ --link step to complete by hand; no bitstream flow is emitted');
    expect(existsSync(join(out, 'board', 'zynq.tcl'))).toBe(false);
    expect(existsSync(join(out, 'board', 'driver.py'))).toBe(false);
    const md = readFileSync(join(out, 'board', 'README.md'), 'utf8');
    expect(md).toContain('v++ --link -t hw --platform <platform> --config board/link.cfg');
    expect(md).toContain('**Not a finished flow**');
    const cfg = readFileSync(join(out, 'board', 'link.cfg'), 'utf8');
    expect(cfg).toContain('[connectivity]');
    expect(cfg).toContain('stream_connect=mm2s_1.out:v_xcu250_1x8_top_1.in');
    expect(cfg).toContain('stream_connect=v_xcu250_1x8_top_1.out:s2mm_1.in');

    const out2 = join(tmp('cli'), 'prj');
    const v = await cli(['emit', modelDir(variant('xcvu9p')), '--out', out2, '--images', '2']);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toContain('note: no board flow: xcvu9p has neither a processing system');
    expect(existsSync(join(out2, 'board'))).toBe(false);
    expect(existsSync(join(out2, 'params.hpp'))).toBe(true);
  });
});
