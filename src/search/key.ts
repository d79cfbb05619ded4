/**
 * Parse a candidate key (genomeKey of src/core/space.ts) back into its genome:
 * <c|ds><ch>k<k><s|v>[p]w<w>a<a>-...|d<width>w<w>a<a>-...|o<w> (ds = depthwise-separable block).
 */
import { UsageError } from '../errors.js';
import type { ConvGene, DenseGene, Genome } from '../core/space.js';

export function parseGenomeKey(key: string): Genome {
  const parts = key.split('|');
  const bad = (): never => {
    throw new UsageError(`not a candidate key: ${JSON.stringify(key)}`, 'a key looks like c32k3spw4a4-c64k3spw4a4|d128w4a4|o8 (conv layers | dense layers | classifier weight bits)');
  };
  if (parts.length !== 3) bad();
  const convs: ConvGene[] = parts[0] === '' ? [] : parts[0]!.split('-').map((t) => {
    const m = /^(c|ds)(\d+)k(\d+)([sv])(p?)w(\d+)a(\d+)$/.exec(t);
    if (!m) bad();
    const gene: ConvGene = { ch: Number(m![2]), k: Number(m![3]), pad: m![4] === 's' ? 'same' : 'valid', pool: m![5] === 'p', w: Number(m![6]), a: Number(m![7]) };
    if (m![1] === 'ds') gene.sep = true;
    return gene;
  });
  const dense: DenseGene[] = parts[1] === '' ? [] : parts[1]!.split('-').map((t) => {
    const m = /^d(\d+)w(\d+)a(\d+)$/.exec(t);
    if (!m) bad();
    return { width: Number(m![1]), w: Number(m![2]), a: Number(m![3]) };
  });
  const o = /^o(\d+)$/.exec(parts[2]!);
  if (!o) bad();
  return { convs, dense, outW: Number(o![1]) };
}
