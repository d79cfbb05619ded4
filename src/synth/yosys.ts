/**
 * Open-source proof of fit: synthesizes an emitted RTL project (PRJ/rtl) with yosys `synth_xilinx` for the
 * family of the design's part, reads `stat -json`, and maps the Xilinx primitives to the one ResourceReport
 * shape, per layer (each layer is a `keep_hierarchy` module) and in total.
 *
 * Cell mapping (Xilinx 7 series / UltraScale CLB and memory primitives, UG474 / UG574, UG473 / UG573):
 * - LUT: LUT1..LUT6 count 1; distributed RAM / SRL primitives count the LUTs they occupy (RAM32M, RAM64M,
 *   RAM128X1D, RAM256X1S: 4; RAM32X1D, RAM64X1D, RAM128X1S: 2; RAM32X1S, RAM64X1S, SRL16E, SRLC32E: 1;
 *   RAM32M16, RAM64M8: 8) and are also reported as `lutram`. INV cells (yosys leaves them for inverters that
 *   Vivado absorbs into the driven LUT or FF) and the carry / wide-mux cells (CARRY4/8, MUXF7/8/9) are not
 *   LUTs; they are listed in the layer details.
 * - FF: FD* flip-flops (FDRE, FDSE, FDCE, FDPE and their _1 variants) and LD* latches.
 * - BRAM18: RAMB18E1/E2 and FIFO18E1 count 1, RAMB36E1/E2 and FIFO36E1/E2 count 2.
 * - DSP: DSP48E1, DSP48E2. URAM: URAM288.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TIMEOUT_MS, runTool, toolFailure, which } from './run-tool.js';
import { rtlDirOf, readRtlManifest } from './rtlsim.js';
import { sumFigures, utilization, zeroFigures, type LayerResources, type PartCapacity, type ResourceFigures, type ResourceReport } from '../core/report.js';
import { DataError, ToolFailedError, ToolMissingError, UsageError } from '../errors.js';
import { loadPart } from '../parts.js';
import { partCapacity } from '../core/part.js';
import { writeFileAtomic, writeJsonAtomic } from '../io.js';

export const YOSYS_FAMILIES = ['xc7', 'xcu', 'xcup'] as const;

const LUTRAM_LUTS: Record<string, number> = {
  RAM32M: 4, RAM64M: 4, RAM128X1D: 4, RAM256X1S: 4, RAM256X1D: 8, RAM512X1S: 8,
  RAM32X1D: 2, RAM64X1D: 2, RAM128X1S: 2,
  RAM32X1S: 1, RAM64X1S: 1, RAM32X2S: 2, SRL16E: 1, SRLC16E: 1, SRLC32E: 1,
  RAM32M16: 8, RAM64M8: 8, RAM32X16DR8: 8, RAM64X8SW: 8,
};
const BRAM18: Record<string, number> = { RAMB18E1: 1, RAMB18E2: 1, FIFO18E1: 1, RAMB36E1: 2, RAMB36E2: 2, FIFO36E1: 2, FIFO36E2: 2 };

/** Resource figures of one flat cell-type histogram (instances of user modules are skipped). */
export function figuresFromCells(cells: Record<string, number>): ResourceFigures & { other: Record<string, number> } {
  const f = { ...zeroFigures(), lutram: 0, other: {} as Record<string, number> };
  for (const [type, n] of Object.entries(cells)) {
    if (/^LUT[1-6]$/.test(type)) f.lut += n;
    else if (type in LUTRAM_LUTS) {
      f.lut += n * LUTRAM_LUTS[type]!;
      f.lutram += n * LUTRAM_LUTS[type]!;
    } else if (/^FD[RSCP]E(_1)?$/.test(type) || /^FD[RSCP]?(_1)?$/.test(type) || /^LD[CP]E?(_1)?$/.test(type)) f.ff += n;
    else if (type in BRAM18) f.bram18 += n * BRAM18[type]!;
    else if (type === 'DSP48E1' || type === 'DSP48E2') f.dsp += n;
    else if (type === 'URAM288' || type === 'URAM288_BASE') f.uram += n;
    else f.other[type] = (f.other[type] ?? 0) + n;
  }
  return f;
}

interface StatModule { num_cells_by_type?: Record<string, number> }
interface StatJson { modules?: Record<string, StatModule> }

/** yosys escapes module names with a backslash; `\L0_conv0` -> `L0_conv0`. */
function bare(name: string): string {
  return name.startsWith('\\') ? name.slice(1) : name;
}

/**
 * Flattened cell histogram of `module` (instances of other modules in the stat output expanded recursively).
 * Throws DataError when the JSON is not a yosys `stat -json` output or the module is missing.
 */
export function flatCells(stat: unknown, module: string, file?: string): Record<string, number> {
  const mods = (stat as StatJson)?.modules;
  if (!mods || typeof mods !== 'object') throw new DataError('not a yosys `stat -json` output (no "modules")', { file, jsonPath: '/modules' });
  const byName = new Map<string, StatModule>();
  for (const [k, v] of Object.entries(mods)) byName.set(bare(k), v);
  const memo = new Map<string, Record<string, number>>();
  const walk = (m: string, depth: number): Record<string, number> => {
    const hit = memo.get(m);
    if (hit) return hit;
    const mod = byName.get(m);
    if (!mod) throw new DataError(`module ${m} is not in the yosys statistics`, { file, jsonPath: `/modules/\\${m}` });
    if (depth > 64) throw new DataError(`module hierarchy too deep at ${m}`, { file });
    const out: Record<string, number> = {};
    for (const [type, n] of Object.entries(mod.num_cells_by_type ?? {})) {
      const sub = bare(type);
      if (byName.has(sub)) {
        for (const [t2, n2] of Object.entries(walk(sub, depth + 1))) out[t2] = (out[t2] ?? 0) + n * n2;
      } else out[type] = (out[type] ?? 0) + n;
    }
    memo.set(m, out);
    return out;
  };
  return walk(module, 0);
}

export interface YosysLayerSpec {
  name: string;
  kind: string;
  module: string;
  cycles: number | null;
  details?: Record<string, number | string | boolean | null>;
}

/**
 * Build a ResourceReport from a yosys `stat -json` output. Pure; exported for tests.
 * `top` is the top module; its own cells outside the layers (I/O buffers) are not counted: they belong to the
 * test harness, not to the accelerator (a real shell connects the streams on chip).
 */
export function parseYosysStat(
  statJson: unknown,
  ctx: { top: string; layers: YosysLayerSpec[]; part: PartCapacity; design: string; clockMHz: number; version?: string; file?: string },
): ResourceReport {
  flatCells(statJson, ctx.top, ctx.file); // validates the top exists
  const layers: LayerResources[] = ctx.layers.map((l) => {
    const f = figuresFromCells(flatCells(statJson, l.module, ctx.file));
    const details: Record<string, number | string | boolean | null> = { ...(l.details ?? {}), module: l.module };
    for (const [t, n] of Object.entries(f.other)) details[`cells.${t}`] = n;
    return { name: l.name, kind: l.kind, lut: f.lut, lutram: f.lutram, ff: f.ff, bram18: f.bram18, dsp: f.dsp, uram: f.uram, cycles: l.cycles, bottleneck: false, details };
  });
  const known = layers.map((l) => l.cycles).filter((c): c is number => c !== null);
  const interval = known.length ? Math.max(...known) : null;
  let bottleneck: string | null = null;
  for (const l of layers) {
    if (interval !== null && l.cycles === interval) {
      l.bottleneck = true;
      bottleneck ??= l.name;
    }
  }
  const t = sumFigures(layers);
  const total: ResourceFigures = { lut: t.lut, lutram: t.lutram, ff: t.ff, bram18: t.bram18, dsp: t.dsp, uram: t.uram };
  return {
    format: 'cosearch-resource-report',
    version: 1,
    design: ctx.design,
    part: ctx.part,
    clockMHz: ctx.clockMHz,
    source: { tool: 'yosys', version: ctx.version ?? 'unknown', createdAt: new Date().toISOString() },
    layers,
    total,
    performance: {
      intervalCycles: interval,
      latencyCycles: null,
      fps: interval ? (ctx.clockMHz * 1e6) / interval : null,
      latencyUs: null,
      estimatedClockMHz: null,
      bottleneck,
    },
    utilization: utilization(total, ctx.part),
  };
}

/** Which yosys to run: Debian `yosys` on PATH, else `yowasp-yosys` (npm @yowasp/yosys) when installed. */
export function findYosys(): string | null {
  if (which('yosys')) return 'yosys';
  if (which('yowasp-yosys')) return 'yowasp-yosys';
  const local = join(process.cwd(), 'node_modules', '.bin', 'yowasp-yosys');
  return existsSync(local) ? local : null;
}

export interface SynthYosysOptions {
  timeoutMs?: number;
  /** xc7 | xcu | xcup; default: the yosysFamily of the design's part */
  family?: string;
  /** part name override (default: design.target.part) */
  part?: string;
  /** where to write the report (default PRJ/rtl/reports/yosys-<family>.json) */
  out?: string;
  onOutput?: (chunk: string) => void;
}

export async function synthYosys(prjDir: string, opts: SynthYosysOptions = {}): Promise<ResourceReport> {
  return (await synthYosysRun(prjDir, opts)).report;
}

/** synthYosys plus the wall time and file locations. */
export async function synthYosysRun(prjDir: string, opts: SynthYosysOptions = {}): Promise<{ report: ResourceReport; wallSeconds: number; statFile: string; reportFile: string }> {
  const rtlDir = rtlDirOf(prjDir);
  const man = readRtlManifest(rtlDir);
  const part = loadPart(opts.part ?? man.design.target.part);
  const family = opts.family ?? part.yosysFamily;
  if (!(YOSYS_FAMILIES as readonly string[]).includes(family)) {
    throw new UsageError(`unknown yosys family "${family}"`, `use one of ${YOSYS_FAMILIES.join(', ')}`);
  }
  const exe = findYosys();
  if (!exe) throw new ToolMissingError('yosys not found on PATH', 'install it (Debian/Ubuntu: apt-get install yosys) or run `make setup`');
  const statFile = `reports/yosys-${family}.stat.json`;
  const script = [
    `read_verilog -defer ${man.sources.join(' ')}`,
    'hierarchy -top cosearch_top',
    `synth_xilinx -family ${family} -flatten -top cosearch_top`,
    `tee -q -o ${statFile} stat -json`,
    '',
  ].join('\n');
  writeFileAtomic(join(rtlDir, `synth-${family}.ys`), script);
  mkdirSync(join(rtlDir, 'reports'), { recursive: true });
  mkdirSync(join(rtlDir, 'logs'), { recursive: true });
  rmSync(join(rtlDir, statFile), { force: true });
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS.yosys;
  const r = await runTool(exe, ['-q', '-l', `logs/yosys-${family}.log`, `synth-${family}.ys`], {
    cwd: rtlDir,
    logFile: join(rtlDir, 'logs', `yosys-${family}.run.log`),
    timeoutMs,
    onOutput: opts.onOutput,
  });
  if (r.kind !== 'ok') throw toolFailure(r, 'yosys', { timeoutMs, hint: 'raise --timeout, or synthesize a smaller design (yosys 0.23 is slow on large ones)' });
  const statPath = join(rtlDir, statFile);
  if (!existsSync(statPath)) throw new ToolFailedError(`yosys exited 0 but wrote no ${statPath} (log: ${r.logFile})`, 'missing-output', { logFile: r.logFile });
  let stat: unknown;
  try {
    stat = JSON.parse(readFileSync(statPath, 'utf8'));
  } catch (e) {
    throw new DataError(`yosys statistics are not valid JSON: ${(e as Error).message}`, { file: statPath });
  }
  const logText = existsSync(join(rtlDir, 'logs', `yosys-${family}.log`)) ? readFileSync(join(rtlDir, 'logs', `yosys-${family}.log`), 'utf8') : '';
  const version = /Yosys (\d+\.\d+[^\s]*)/.exec(logText)?.[1] ?? 'unknown';
  const report = parseYosysStat(stat, {
    top: 'cosearch_top',
    layers: man.layers.map((l) => ({ name: l.name, kind: l.kind, module: l.module, cycles: l.cycles, details: { pe: l.pe, simd: l.simd, weightStyle: l.weightStyle } })),
    part: partCapacity(part),
    design: man.design.name,
    clockMHz: man.design.target.clockMHz,
    version: `${version} synth_xilinx -family ${family}`,
    file: statPath,
  });
  const reportFile = opts.out ?? join(rtlDir, 'reports', `yosys-${family}.json`);
  writeJsonAtomic(reportFile, report);
  return { report, wallSeconds: r.durationMs / 1000, statFile: statPath, reportFile };
}
