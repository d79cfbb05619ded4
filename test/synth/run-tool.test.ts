import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool, which } from '../../src/synth/run-tool.js';

describe('runTool', () => {
  it('runs a tool named by a path relative to the caller even when it runs in another cwd', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runtool-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'work'));
    const tool = join(root, 'bin', 'hello.sh');
    writeFileSync(tool, '#!/bin/sh\necho "hello from $(pwd)"\n');
    chmodSync(tool, 0o755);
    const rel = relative(process.cwd(), tool);
    expect(rel.startsWith('/')).toBe(false);
    expect(which(rel)).toBe(tool);
    const r = await runTool(rel, [], { cwd: join(root, 'work'), logFile: join(root, 'log.txt'), timeoutMs: 10_000 });
    expect(r.kind).toBe('ok');
    expect(r.exitCode).toBe(0);
  });

  it('reports a tool that cannot start with the reason, not "exit code null"', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runtool-'));
    const tool = join(root, 'not-executable.sh');
    writeFileSync(tool, '#!/bin/sh\necho hi\n');
    chmodSync(tool, 0o644);
    const r = await runTool(tool, [], { cwd: root, logFile: join(root, 'log.txt'), timeoutMs: 10_000 });
    expect(r.kind).toBe('tool-error');
    expect(r.reason).toMatch(/could not start/);
  });
});
