/**
 * report.html's plot (src/run/report.ts paretoSvg): the x axis spans the candidates (not 0..budget), ticks are
 * round numbers, confirmations are plotted, and the final accuracy (another schedule) is not drawn on the
 * predicted-accuracy axis.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { niceTicks, paretoSvg } from '../../src/run/report.js';
import { reportInput } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cosearch-report-'));

/** x of every element with class `cls` (circles: cx; paths: first M x). */
function xs(svg: string, cls: string): number[] {
  const out: number[] = [];
  for (const m of svg.matchAll(new RegExp(`<(circle|path) class="${cls}"[^>]*?(?:cx="([\\d.]+)"|d="M ([\\d.]+))`, 'g'))) out.push(Number(m[2] ?? m[3]));
  return out;
}

function isRound(v: number, step: number): boolean {
  const m = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
  return [1, 2, 5].some((k) => Math.abs(m - k) < 1e-9) && Math.abs(v / step - Math.round(v / step)) < 1e-6;
}

describe('niceTicks', () => {
  it('round steps (1, 2, 5 x 10^k) covering the range', () => {
    for (const [lo, hi] of [[1234, 4567], [0.8123, 0.9177], [3, 3], [10, 30000]] as const) {
      const t = niceTicks(lo, hi);
      expect(t.lo).toBeLessThanOrEqual(lo);
      expect(t.hi).toBeGreaterThanOrEqual(hi);
      for (const v of t.ticks) expect(isRound(v, t.step), `${v} step ${t.step}`).toBe(true);
      expect(t.ticks.length).toBeGreaterThanOrEqual(3);
      expect(t.ticks.length).toBeLessThanOrEqual(11);
    }
  });
});

describe('paretoSvg', () => {
  // a budget far above every candidate (the case where all points crowded into the left 15%)
  const inp = reportInput(dir, 40, 200000);
  const svg = paretoSvg(inp);
  it('the candidates span most of the x axis even when the budget is far above them', () => {
    const x = xs(svg, 'candidate');
    expect(x.length).toBe(inp.candidates.filter((c) => c.fits).length);
    const plotW = 760 - 70 - 130;
    expect((Math.max(...x) - Math.min(...x)) / plotW).toBeGreaterThan(0.6);
    expect(svg).toMatch(/LUT budget 200,000 →/);
  });
  it('tick labels are round numbers', () => {
    const xt = [...svg.matchAll(/<text class="xtick"[^>]*>([\d,]+)</g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    expect(xt.length).toBeGreaterThanOrEqual(3);
    const step = xt[1]! - xt[0]!;
    for (const v of xt) expect(isRound(v, step), String(v)).toBe(true);
    const yt = [...svg.matchAll(/<text class="ytick"[^>]*>([\d.]+)%</g)].map((m) => Number(m[1]) / 100);
    const ystep = yt[1]! - yt[0]!;
    for (const v of yt) expect(isRound(Number(v.toFixed(10)), Number(ystep.toFixed(10))), String(v)).toBe(true);
  });
  it('finalists measured after their final training are plotted on the final-accuracy axis, with their predictions', () => {
    expect(xs(svg, 'confirm').length).toBe(inp.rungs[0]!.rows.length);
    expect(svg).toMatch(/final accuracy \(predicted \/ measured\)/);
    expect(svg).toContain('winner: 90.50% measured');
    expect((svg.match(/class="std"/g) ?? []).length).toBe(inp.candidates.filter((c) => c.fits && c.pred !== null).length);
  });
});
