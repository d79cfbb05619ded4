/** The TF.js side of every layer kind (src/layers/<kind>/tf.ts), by design `kind`. */
import { convTf } from './conv/tf.js';
import { denseTf } from './dense/tf.js';
import { depthwiseTf } from './depthwise/tf.js';
import { maxpoolTf } from './maxpool/tf.js';
import { pointwiseTf } from './pointwise/tf.js';
import type { TfKind, TfLinearKind, TfPoolKind } from './tf-types.js';

const TF_KINDS: Record<string, TfKind> = { conv: convTf, dense: denseTf, pointwise: pointwiseTf, depthwise: depthwiseTf, maxpool: maxpoolTf };

export function tfKind(kind: string): TfKind {
  const k = TF_KINDS[kind];
  if (!k) throw new Error(`no TF.js implementation for layer kind ${JSON.stringify(kind)}`);
  return k;
}

export function tfLinear(kind: string): TfLinearKind {
  const k = tfKind(kind);
  if (!k.linear) throw new Error(`layer kind ${kind} has no weights`);
  return k;
}

export function tfPool(kind: string): TfPoolKind {
  const k = tfKind(kind);
  if (k.linear) throw new Error(`layer kind ${kind} is not a pool`);
  return k;
}
