/**
 * Board flow of an emitted HLS project (PRJ/board/): how the exported HLS IP gets onto a board.
 *
 * - Zynq-7000 (`xc7z*`) and Zynq UltraScale+ (`xczu*`) parts: `board/zynq.tcl`, a Vivado batch script that builds a
 *   block design (processing system with its board-independent settings, an AXI DMA in simple mode whose MM2S feeds the
 *   IP's `in` and whose S2MM takes the IP's `out`, SmartConnects, clock and reset, addresses), validates it, runs
 *   synthesis, implementation and write_bitstream, and copies the `.bit` and the BD's `.hwh` (hw_handoff) to
 *   `board/overlay/<top>.bit|.hwh` (same basename: pynq.Overlay finds the .hwh next to the .bit); `board/driver.py`, a
 *   PYNQ driver (pack images into the IP's input words, DMA them through, read the logits, argmax, fps), and
 *   `board/README.md`.
 * - Alveo parts (`xcu50`, `xcu250`, `xcu280`): no Zynq script. `board/README.md` documents the `v++ --link` step
 *   (the IP repackaged as a Vitis kernel .xo, data-mover kernels, `board/link.cfg` connectivity) that has to be
 *   completed by hand; nothing here builds an xclbin.
 * - Any other part (e.g. xcvu9p): no board flow (boardFlowOf says why).
 *
 * The IP's port contract (src/emit/hls.ts top): `in` an AXI4-Stream of one pixel per word, element e (channel e, a
 * `bits`-bit code) in TDATA bits [e*B+B-1 : e*B]; Vitis HLS aligns a stream's TDATA to the next byte (UG1399, AXI4-Stream
 * Interfaces), so the IP's TDATA is ceil(C*B/8) bytes. The AXI DMA's MM2S stream is 8, 16, 32, ..., 1024 bits wide
 * (PG021), so the DMA word is the next power of two of those bytes, and where the two differ an AXI4-Stream subset
 * converter (PG085) drops the DMA word's top bytes. `out`: one sign-extended 32-bit logit per word, TLAST on the last
 * logit of each image. An S2MM transfer in simple mode ends at TLAST (PG021 S2MM_LENGTH), so the driver receives one
 * image per S2MM transfer while MM2S sends many images per transfer (the IP ignores the input TLAST).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../core/design.js';
import type { IntModel } from '../core/intmodel.js';
import { DataError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import { renderTemplate } from './render.js';
import { fullPartName, hlsTopName, HLS_LOGIT_BITS } from './hls.js';
import { layerContexts } from './context.js';

export const BOARD_DIR = 'board';
/** `--board` values: auto = what the part allows (nothing for parts without a flow); pynq = Zynq + PYNQ; alveo = v++ link notes; none. */
export const BOARD_CHOICES = ['auto', 'pynq', 'alveo', 'none'] as const;
export type BoardChoice = (typeof BOARD_CHOICES)[number];

/** Buffer Length Register width of the AXI DMA (PG021: 8..26 bits; 26 = transfers up to 64 MiB - 1). */
export const DMA_LENGTH_WIDTH = 26;
/** AXI DMA stream widths (PG021: MM2S/S2MM stream data width 8..1024 bits, powers of two). */
export const DMA_MAX_STREAM_BYTES = 128;

export type BoardFlow = { kind: 'zynq'; ps: 'ps7' | 'zynqmp' } | { kind: 'alveo' } | { kind: 'none'; reason: string };

/** Which board flow a part has (by its short or full Vivado name). */
export function boardFlowOf(part: string): BoardFlow {
  const p = part.toLowerCase();
  if (/^xc7z\d/.test(p)) return { kind: 'zynq', ps: 'ps7' };
  if (/^xczu\d/.test(p)) return { kind: 'zynq', ps: 'zynqmp' };
  if (/^xcu(50|55c|200|250|280)\b/.test(p) || /^xcu(50|55c|200|250|280)-/.test(p)) return { kind: 'alveo' };
  return {
    kind: 'none',
    reason: `${part} has neither a processing system (Zynq-7000 xc7z*, Zynq UltraScale+ xczu*) nor an Alveo shell (xcu50, xcu250, xcu280)`,
  };
}

const nextPow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** Stream geometry of the board flow (pure). */
export function boardStreams(design: Design) {
  const inWordBits = design.input.channels * design.input.bits;
  const ipInBytes = Math.ceil(inWordBits / 8);
  const dmaInBytes = nextPow2(ipInBytes);
  if (dmaInBytes > DMA_MAX_STREAM_BYTES)
    throw new DataError(`the input word is ${inWordBits} bits (${design.input.channels} channels x ${design.input.bits} bits); an AXI DMA stream is at most ${DMA_MAX_STREAM_BYTES * 8} bits`, { jsonPath: '/input', hint: 'use fewer input channels or bits for the board flow' });
  const pixels = design.input.height * design.input.width;
  const imageInBytes = pixels * dmaInBytes;
  const maxTransfer = 2 ** DMA_LENGTH_WIDTH - 1;
  return {
    inWordBits,
    ipInBytes,
    ipInBits: ipInBytes * 8,
    dmaInBytes,
    dmaInBits: dmaInBytes * 8,
    /** the DMA's memory-mapped side: at least 32 bits, at least the stream */
    mm2sDataWidth: Math.max(32, dmaInBytes * 8),
    needSubset: ipInBytes !== dmaInBytes,
    pixels,
    imageInBytes,
    outWordBits: HLS_LOGIT_BITS,
    outWordBytes: HLS_LOGIT_BITS / 8,
    imagesPerTransfer: Math.max(1, Math.floor(maxTransfer / imageInBytes)),
  };
}

/**
 * The DMA byte stream of `count` images of codes (HWC, one code per byte, as in the csim test vectors): one word of
 * dmaInBytes bytes per pixel, little-endian, code of channel e in bits [e*B+B-1 : e*B], the rest zero. The PYNQ
 * driver's pack_images must produce the same bytes (test/board).
 */
export function packInputWords(design: Design, images: Uint8Array, count: number): Buffer {
  const { dmaInBytes, pixels } = boardStreams(design);
  const C = design.input.channels;
  const B = design.input.bits;
  const imageCodes = pixels * C;
  if (images.length < imageCodes * count) throw new DataError(`packInputWords: ${count} images of ${imageCodes} codes need ${imageCodes * count} bytes, got ${images.length}`);
  const out = Buffer.alloc(count * pixels * dmaInBytes);
  for (let q = 0; q < count * pixels; q++) {
    const base = q * dmaInBytes;
    for (let c = 0; c < C; c++) {
      const v = images[q * C + c]!;
      if (v >= 2 ** B) throw new DataError(`image ${Math.floor(q / pixels)}, pixel ${q % pixels}, channel ${c}: code ${v} does not fit the ${B}-bit input`);
      for (let k = 0; k < B; k++) if ((v >> k) & 1) out[base + ((c * B + k) >> 3)]! |= 1 << ((c * B + k) & 7);
    }
  }
  return out;
}

/** Everything the board templates read (no I/O). */
export function boardContext(model: IntModel, flow: BoardFlow & { kind: 'zynq' | 'alveo' }) {
  const d = model.design;
  const s = boardStreams(d);
  const top = hlsTopName(d);
  const last = layerContexts(model).at(-1)!;
  return {
    version: '0.1.0',
    designName: d.name,
    top,
    part: d.target.part,
    partFull: fullPartName(d.target.part),
    clockMHz: d.target.clockMHz,
    ps7: flow.kind === 'zynq' && flow.ps === 'ps7',
    zynqmp: flow.kind === 'zynq' && flow.ps === 'zynqmp',
    psName: flow.kind === 'zynq' ? (flow.ps === 'ps7' ? 'processing_system7 (Zynq-7000)' : 'zynq_ultra_ps_e (Zynq UltraScale+)') : '',
    ipVlnv: `cosearch.org:hls:${top}:1.0`,
    ipZip: `ip/${top}.zip`,
    dmaLengthWidth: DMA_LENGTH_WIDTH,
    inH: d.input.height,
    inW: d.input.width,
    inC: d.input.channels,
    inBits: d.input.bits,
    numLogits: last.outH * last.outW * last.outC,
    ...s,
    ipInTop: s.ipInBits - 1,
    ipInKeepTop: s.ipInBytes - 1,
    pixelCodes: s.pixels * d.input.channels,
  };
}

export interface EmitBoardResult {
  files: string[];
  /** what was emitted: 'zynq' (Tcl + driver), 'alveo' (v++ link notes), or null (nothing, `note` says why) */
  flow: 'zynq' | 'alveo' | null;
  note?: string;
}

/**
 * Resolve `--board` against the design's part: an explicit choice the part cannot take is a usage error (exit 64);
 * `auto` takes what the part has, and nothing (with a note) for a part without a board flow.
 */
export function resolveBoard(choice: BoardChoice, part: string): { flow: BoardFlow; emit: boolean; note?: string } {
  const flow = boardFlowOf(part);
  if (choice === 'none') return { flow, emit: false };
  if (choice === 'pynq' && flow.kind !== 'zynq')
    throw new UsageError(`--board pynq needs a Zynq part (Zynq-7000 xc7z*, Zynq UltraScale+ xczu*); the design targets ${part}`, flow.kind === 'alveo' ? 'use --board alveo (v++ link notes) or --board none' : 'retarget the design to a Zynq part, or pass --board none');
  if (choice === 'alveo' && flow.kind !== 'alveo')
    throw new UsageError(`--board alveo needs an Alveo part (xcu50, xcu250, xcu280); the design targets ${part}`, flow.kind === 'zynq' ? 'use --board pynq (or auto) for a Zynq part' : 'pass --board none');
  if (flow.kind === 'none') return { flow, emit: false, note: `no board flow: ${flow.reason}; the exported IP (ip/<top>.zip from \`make hls\`) is for your own Vivado design` };
  if (flow.kind === 'alveo') return { flow, emit: true, note: `${part} is an Alveo part: board/README.md documents a v++ --link step to complete by hand; no bitstream flow is emitted` };
  return { flow, emit: true };
}

/** Write PRJ/board/ for the flow `resolveBoard` chose (Zynq: zynq.tcl, driver.py, README.md; Alveo: README.md, link.cfg). */
export function emitBoard(model: IntModel, outDir: string, choice: BoardChoice = 'auto'): EmitBoardResult {
  const r = resolveBoard(choice, model.design.target.part);
  if (!r.emit || r.flow.kind === 'none') return { files: [], flow: null, note: r.note };
  const ctx = boardContext(model, r.flow);
  const dir = join(outDir, BOARD_DIR);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, tpl: string): void => {
    writeFileAtomic(join(dir, name), renderTemplate(`board/${tpl}`, ctx));
    files.push(join(dir, name));
  };
  if (r.flow.kind === 'zynq') {
    put('zynq.tcl', 'zynq.tcl.hbs');
    put('driver.py', 'driver.py.hbs');
    put('README.md', 'README.zynq.md.hbs');
    return { files, flow: 'zynq' };
  }
  put('README.md', 'README.alveo.md.hbs');
  put('link.cfg', 'link.cfg.hbs');
  return { files, flow: 'alveo', note: r.note };
}
