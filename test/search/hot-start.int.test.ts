/**
 * Needs: the Fashion-MNIST dataset (the search loads it to plan; no job is trained: the queue refuses them).
 * The hot start: a search on a space and dataset with a shipped table proposes the table's architectures (and
 * mutations of its best) in its first wave, instead of random samples only.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { search, type SearchOptions } from '../../src/search.js';
import { skeletonKey } from '../../src/search/index.js';
import { parseGenomeKey } from '../../src/search/key.js';
import { priorRows } from '../../src/search/prior.js';
import { loadSpace } from '../../src/run/space-file.js';
import type { JobQueue, TrainJob } from '../../src/search/jobs.js';

/** Records what it is asked to train and trains nothing. */
class RefusingQueue implements JobQueue {
  readonly name = 'refusing';
  readonly capacity = 8;
  readonly keys: string[] = [];
  run(job: TrainJob): Promise<never> {
    this.keys.push(job.key);
    return Promise.reject(new Error('not training in this test'));
  }
  async close(): Promise<void> {}
}

/** The layers of a skeleton key (convs, then dense). */
function layers(skeleton: string): string[] {
  return skeleton.split(/[-|]/).filter(Boolean);
}

async function firstWave(noPrior: boolean): Promise<string[]> {
  const queue = new RefusingQueue();
  const out = join(mkdtempSync(join(tmpdir(), 'cosearch-hot-')), 'run');
  // the demo's budgets and the QAT speed its run measured on a 2-core machine (journal "speed" record)
  const o = { luts: 30000, fps: 1000, part: 'xc7z020', workers: 2, budgetMinutes: 30, qatSpeed: '6.5e-4,6e-10,2e-7', seed: 1, noPrior, out, queue };
  await expect(search(o as SearchOptions)).rejects.toThrow(/not training in this test/);
  return queue.keys;
}

describe('hot start from the prior', () => {
  it("the first wave trains the shipped table's best 3-epoch architectures, not only random samples", async () => {
    const { space } = loadSpace('default-28x28x1');
    const rows = priorRows(space, 'fashion-mnist', []);
    const maxSeen = Math.max(...rows.map((r) => r.imagesSeen));
    // the 3-epoch rows above 91%: the skeletons a good first wave should start from
    const best = new Set(rows.filter((r) => r.imagesSeen === maxSeen && r.acc > 0.91).map((r) => skeletonKey(r.genome)));
    expect(best.size).toBeGreaterThanOrEqual(3);
    // a skeleton at most one layer away (a mutation of a kernel, a channel count, a padding or a pool)
    const near = (k: string): boolean => {
      const t = layers(skeletonKey(parseGenomeKey(k)));
      return [...best].some((b) => {
        const u = layers(b);
        return u.length === t.length && u.filter((x, i) => x !== t[i]).length <= 1;
      });
    };
    const hot = await firstWave(false);
    expect(hot).toHaveLength(8);
    expect(hot.filter(near).length, hot.join(' ')).toBeGreaterThanOrEqual(3);
    // without the prior, the wave is what zero-cost proxies rank among random samples: next to none of them
    const cold = await firstWave(true);
    expect(cold.filter(near).length, cold.join(' ')).toBeLessThanOrEqual(1);
  }, 120_000);
});
