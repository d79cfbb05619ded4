/** The note a co-search prints when its winner uses less than half the LUT budget (src/search/index.ts budgetNote). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/run/report.js';
import { budgetNote, type NoteEntry } from '../../src/search/index.js';
import { reportInput } from '../run/helpers.js';

const o = { strategy: 'cosearch', luts: 30000, budgetMinutes: 25 };
// after the demo of bench/results/2026-12-06/demo-1b0cfba.txt: its winner and its best r1 candidate (LUTs and epochs
// of the larger one illustrative)
const winner: NoteEntry = { key: 'c64k3vpw8a2-c24k3sw4a4|d64w4a3|o8', lut: 2960, epochs: 7.4, pred: 0.92485 };
const larger: NoteEntry = { key: 'c32k3spw4a4-c64k3spw8a4|d128w4a4|o8', lut: 8026, epochs: 6.1, pred: 0.9245 };
const near: NoteEntry = { key: 'c24k3sw4a3-c24k3vpw4a2|d128w8a4|o6', lut: 4000, epochs: 7, pred: 0.9245 };

describe('budgetNote', () => {
  it('names the best design of at least twice the LUTs, its prediction and epochs, and says the time binds when it trains fewer epochs', () => {
    const s = budgetNote(o, winner, [winner, near, larger])!;
    expect(s).toContain('the winner uses 10% of the 30,000 LUTs');
    expect(s).toContain('c32k3spw4a4-c64k3spw8a4|d128w4a4|o8 (8,026 LUTs), is predicted 92.5% after 6.1 epoch(s), the winner 92.5% after 7.4');
    expect(s).toContain('in --budget-minutes 25 larger designs train fewer epochs');
    expect(s).not.toContain(near.key);
  });

  it('makes no claim about time when the larger design trains as many epochs', () => {
    const s = budgetNote(o, winner, [winner, { ...larger, epochs: 7.4 }])!;
    expect(s).toContain(larger.key);
    expect(s).not.toContain('binds');
  });

  it('is null when the winner uses half the budget or more, when nothing twice as large was measured, and for the separate baseline', () => {
    expect(budgetNote(o, { ...winner, lut: 15000 }, [larger])).toBeNull();
    expect(budgetNote(o, winner, [winner, near])).toBeNull();
    expect(budgetNote({ ...o, strategy: 'separate' }, winner, [winner, larger])).toBeNull();
  });
});

describe('report.html', () => {
  it('shows the budget note when the result has one', () => {
    const inp = reportInput(mkdtempSync(join(tmpdir(), 'cosearch-note-')));
    expect(reportHtml(inp)).not.toContain('<p>Budget: the winner');
    inp.result.budgetNote = budgetNote(o, winner, [larger]);
    expect(reportHtml(inp)).toContain('<p>Budget: the winner uses 10% of the 30,000 LUTs; the best larger design measured, c32k3spw4a4-c64k3spw8a4|d128w4a4|o8');
  });
});
