/**
 * `make setup` installs with `npm ci` from the tracked lock, which therefore must be complete and in sync with
 * package.json: npm ci refused the old lock (it lacked the other platforms' optional rollup binaries), so setup
 * ran `npm install`, which rewrote the tracked file. Needs npm (offline: the lock alone decides).
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

describe('package-lock.json', () => {
  it('npm ci accepts it (dry run, offline, in a copy)', () => {
    const d = mkdtempSync(join(tmpdir(), 'cosearch-lock-'));
    copyFileSync(join(ROOT, 'package.json'), join(d, 'package.json'));
    copyFileSync(join(ROOT, 'package-lock.json'), join(d, 'package-lock.json'));
    const r = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], { cwd: d, encoding: 'utf8' });
    expect(r.status, r.stderr.split('\n').slice(0, 8).join('\n')).toBe(0);
    // npm ci never writes the lock
    expect(readFileSync(join(d, 'package-lock.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  });
  it('the Makefile installs with npm ci, not npm install', () => {
    const mk = readFileSync(join(ROOT, 'Makefile'), 'utf8');
    const recipe = /\$\(NODE_MODULES_STAMP\):[^\n]*\n((?:\t[^\n]*\n)+)/.exec(mk)![1]!;
    expect(recipe).toContain('npm ci');
    expect(recipe).not.toMatch(/npm install(?! --package-lock-only)/);
  });
});
