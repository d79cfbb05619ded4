/**
 * The layer kinds, by name (design IR `kind`) and by numeric code (LayerGeom.kind, the cost model's hot path).
 * Adding a kind: a folder src/layers/<kind>/ with kind.ts (this interface), tf.ts (QAT / fast inference, registered
 * in registry-tf.ts), hls.hbs and rtl.hbs (its partials), and its tests; then list it here and in the design schema.
 */
import type { Layer } from '../core/design.js';
import { conv } from './conv/kind.js';
import { dense } from './dense/kind.js';
import { depthwise } from './depthwise/kind.js';
import { maxpool } from './maxpool/kind.js';
import { pointwise } from './pointwise/kind.js';
import type { LayerKind } from './types.js';

const KINDS = [conv, maxpool, dense, pointwise, depthwise] as unknown as LayerKind[];

const byName = new Map<string, LayerKind>(KINDS.map((k) => [k.name, k]));

/** Every kind, indexed by its code. */
export const KIND_BY_CODE: readonly LayerKind[] = (() => {
  const a: LayerKind[] = [];
  for (const k of KINDS) a[k.code] = k;
  return a;
})();

export const KIND_NAMES: readonly string[] = KINDS.map((k) => k.name);

/** The kind of a layer, or undefined for an unknown `kind`. */
export function findKind(name: string): LayerKind | undefined {
  return byName.get(name);
}

/** The kind of a layer (throws on an unknown kind: designs are validated before). */
export function kindOf(l: Layer | { kind: string }): LayerKind {
  const k = byName.get(l.kind);
  if (!k) throw new Error(`unknown layer kind ${JSON.stringify(l.kind)}`);
  return k;
}

/** Has weights (and thresholds unless last). */
export function isComputeLayer(l: Layer | { kind: string }): boolean {
  return byName.get(l.kind)?.compute ?? false;
}
