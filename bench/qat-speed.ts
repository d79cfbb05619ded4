/**
 * Seconds per training image of QAT, per design, beside the QAT cost model of src/search/plan.ts at --qat-speed
 * (the figures a search journals as its "speed" record): shows which kinds of layer the model mispredicts.
 *   npx tsx bench/qat-speed.ts [--space NAME|FILE] [--images 512] [--qat-speed A,B,C,D] KEY...
 */
import { cheapFeatures, type Genome } from '../src/core/space.js';
import { trainDesign } from '../src/ml/train.js';
import { loadSpace } from '../src/run/space-file.js';
import { jobSplits } from '../src/search/execute.js';
import { parseGenomeKey } from '../src/search/key.js';
import { toDesign } from '../src/core/space.js';
import { parseQatSpeed } from '../src/search/options.js';
import { secondsPerImage } from '../src/search/plan.js';

const args = process.argv.slice(2);
const opt = (name: string, d: string): string => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return d;
  const v = args[i + 1]!;
  args.splice(i, 2);
  return v;
};
const spaceName = opt('space', 'default-28x28x1');
const images = Number(opt('images', '512'));
const speed = { ...parseQatSpeed(opt('qat-speed', '7.1e-4,6.3e-10,4e-7,2e-8')), measured: false };
const { space } = loadSpace(spaceName);
const { train, test } = await jobSplits({ dataset: 'fashion-mnist', fidelity: { epochs: 1, trainLimit: Math.max(images, 1024), testLimit: 64, batchSize: 64, recipe: 'base' } }, {});
const time = async (g: Genome, n: number): Promise<number> => {
  const r = await trainDesign(toDesign(g, space), { dataset: 'fashion-mnist', epochs: 1, seed: 1, batchSize: 64, trainLimit: n, testLimit: 64, train, test, workers: 1, refCheck: 0 });
  return r.trainSeconds / n;
};
await time(parseGenomeKey(args[0]!), 128);
for (const key of args) {
  const g = parseGenomeKey(key);
  const f = cheapFeatures(g, space);
  const t = await time(g, images);
  const p = secondsPerImage(speed, f);
  console.log(`${key}\tMACs ${f.macs}\tslow MACs ${f.slowMacs}\tparams ${f.params}\ts/img ${t.toExponential(2)}\tmodel ${p.toExponential(2)}\tmeasured/model ${(t / p).toFixed(2)}`);
}
