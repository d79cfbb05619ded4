/** The search's plan and options (pure): validation, rungs, final epochs from the QAT speed, seeds, diversity. */
import { describe, expect, it } from 'vitest';
import { fitQatSpeed, generationSeed, normalizeOptions, skeletonKey } from '../../src/search.js';
import { UsageError } from '../../src/errors.js';
import { ETA, finalEpochsFor, finalFidelity, finalSecondsAfterSearch, fitsFinalShare, searchJobSeconds, SYNTH_RESERVE_SECONDS, validationCount, VALIDATION_IMAGES, jobSeconds, makePlan, measuredFinalFidelity, speedFactor, trainable, wavePlannedSeconds, MAX_FINAL_EPOCHS, MIN_FINAL_EPOCHS } from '../../src/search/plan.js';
import { parseGenomeKey } from '../../src/search/key.js';
import { slowMacSpeed } from '../../src/search/index.js';
import { parseQatSpeed } from '../../src/search/options.js';
import { cheapFeatures, genomeKey } from '../../src/core/space.js';
import { loadSpace } from '../../src/run/space-file.js';

const speed = { perImage: 3e-4, perMacImage: 1e-9, measured: false };

describe('search plan', () => {
  it('validates options with usage errors (seeds must be integers in [0, 2^32))', () => {
    expect(() => normalizeOptions({ luts: 30000, fps: 1000 })).not.toThrow();
    for (const bad of [{ luts: -1 }, { fps: 0 }, { seed: NaN }, { seed: Infinity }, { seed: -1 }, { seed: 1.5 }, { seed: 2 ** 32 }, { workers: 0 }, { budgetMinutes: -3 }, { qatSpeed: 'fast' }, { finalRecipe: 'magic' }, { strategy: 'x' as never }])
      expect(() => normalizeOptions({ luts: 30000, fps: 1000, ...bad }), JSON.stringify(bad)).toThrow(UsageError);
    expect(normalizeOptions({ luts: 30000, fps: 1000, seed: 2 ** 32 - 1 }).seed).toBe(2 ** 32 - 1);
  });

  it('rungs: r0 is the shipped table schedule, r1 and r2 see more images; small datasets get more epochs instead', () => {
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, speed);
    expect(p.rungs.map((r) => [r.name, r.fidelity.epochs, r.fidelity.trainLimit])).toEqual([['r0', 1, 6000], ['r1', 1, 20000], ['r2', 1, 50000]]);
    // fewer than 50,000 searchable images: no r2
    const mid = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 40000, 10000, speed, 40000);
    expect(mid.rungs.map((r) => [r.name, r.fidelity.trainLimit])).toEqual([['r0', 6000], ['r1', 20000]]);
    // 400 training images: the last 66 validate (a sixth), the rungs train on the other 334
    const q = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 400, 200, speed);
    expect(q.rungs.map((r) => [r.fidelity.epochs, r.fidelity.trainLimit, r.fidelity.testLimit])).toEqual([[1, 334, 66], [3, 334, 66]]);
  });

  it('rungs are measured on the last training images, never on the test split; the final training on the test split', () => {
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, speed);
    for (const r of p.rungs) {
      expect(r.fidelity.evalOn, r.name).toBe('validation');
      expect(r.fidelity.testLimit).toBe(VALIDATION_IMAGES);
      expect(r.fidelity.trainLimit + r.fidelity.testLimit, r.name).toBeLessThanOrEqual(60000);
    }
    expect(finalFidelity(p, { macs: 1e6, params: 3e4 })).toMatchObject({ trainLimit: 60000, testLimit: 10000 });
    expect(finalFidelity(p, { macs: 1e6, params: 3e4 }).evalOn).toBeUndefined();
    // --train-limit 59000 of 60000: the rungs still stop before the validation images
    const q = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 59000, 10000, speed, 60000);
    expect(validationCount(60000)).toBe(2000);
    expect(q.rungs.map((r) => r.fidelity.trainLimit)).toEqual([6000, 20000, 50000]);
    const small = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 9000, 1000, speed, 9000);
    expect(small.rungs.map((r) => [r.fidelity.trainLimit, r.fidelity.testLimit])).toEqual([[6000, 1000], [8000, 1000]]);
    // 9,000 of 9,000 images, all test images: a sixth validates
    const sixth = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 9000, 5000, speed, 9000);
    expect(sixth.rungs.map((r) => [r.fidelity.trainLimit, r.fidelity.testLimit])).toEqual([[6000, 1500], [7500, 1500]]);
  });

  it("a job's evaluation is planned at what it was measured to cost (wall minus training loop, 2,000 images)", () => {
    // the demo's measured QAT speed (journal "speed" record) and r0/r1 jobs timed on this 2-core machine (plan.ts EVAL_PER_IMAGE)
    const demo = { perImage: 4.2e-4, perMacImage: 5.1e-10, perParamStep: 2.9e-7, measured: true };
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, demo);
    const { space } = loadSpace('default-28x28x1');
    const measured: Array<[string, number[]]> = [
      ['c64k3spw8a2-c16k3sw4a4|d64w4a3|o8', [8.1, 6.3]],
      ['c48k5spw1a3-c64k5spw6a4-c32k5sw3a3|d128w2a3|o8', [17.8, 19.9]],
    ];
    for (const [key, walls] of measured) {
      const { macs, params, slowMacs } = cheapFeatures(parseGenomeKey(key), space);
      for (const r of p.rungs) {
        const evalPlanned = jobSeconds(p, { macs, params, slowMacs }, r.fidelity) - jobSeconds(p, { macs, params, slowMacs }, { ...r.fidelity, testLimit: 0 });
        for (const w of walls) expect(Math.abs(evalPlanned / w - 1), `${key} ${r.name}: ${evalPlanned.toFixed(1)} s planned, ${w} s measured`).toBeLessThan(0.25);
      }
    }
  });

  it('a wave is planned with its promotions to r1, not its r0 jobs alone', () => {
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, speed);
    const [r0, r1] = p.rungs;
    const wave = [{ macs: 2e6, params: 5e4 }, { macs: 8e6, params: 1e5 }, { macs: 5e5, params: 2e4 }, { macs: 1e6, params: 3e4 }];
    const r0s = wave.reduce((t, c) => t + jobSeconds(p, c, r0!.fidelity), 0);
    const r1mean = wave.reduce((t, c) => t + jobSeconds(p, c, r1!.fidelity), 0) / wave.length;
    // second wave: 4 measured before, 2 of them at r1; 8 at r0 after it -> ceil(8 / 3) = 3 at r1, one new promotion
    expect(ETA).toBe(3);
    expect(wavePlannedSeconds(p, wave, 4, 2)).toBeCloseTo(r0s + 1 * r1mean, 9);
    // the first wave: ceil(4 / 3) = 2 promotions
    expect(wavePlannedSeconds(p, wave, 0, 0)).toBeCloseTo(r0s + 2 * r1mean, 9);
    expect(wavePlannedSeconds(p, wave, 0, 0)).toBeGreaterThan(r0s * 1.5);
    expect(wavePlannedSeconds(p, [], 10, 3)).toBe(0);
  });

  it('a candidate that trains slower than planned gets the final epochs its measured speed allows (not with a given speed)', () => {
    const measured = { ...speed, perParamStep: 2e-8, measured: true };
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, measured);
    const c = { macs: 2e6, params: 5e5 };
    const r0 = jobSeconds(p, c, { epochs: 1, trainLimit: 6000, testLimit: 0 });
    const planned = finalEpochsFor(p, c);
    expect(planned).toBeGreaterThan(MIN_FINAL_EPOCHS + 2);
    // measured 1.25x slower over 300 planned seconds: fewer epochs, the same when given nothing new
    const long = [{ planned: 300, seconds: 375 }];
    expect(speedFactor(p, long)).toBe(Number(((60 + 375) / (60 + 300)).toPrecision(2)));
    const slow = measuredFinalFidelity(p, c, long);
    const evalPart = jobSeconds(p, c, { epochs: 0, trainLimit: 60000, testLimit: 10000 });
    expect(slow.epochs).toBe(Math.floor((10 * (p.finalSeconds - evalPart)) / (jobSeconds(p, c, { epochs: 1, trainLimit: 60000, testLimit: 0 }) * speedFactor(p, long))) / 10);
    expect(slow.epochs).toBeLessThan(planned);
    // the training loop fills the share at the pace it measures (the factor can still be off either way: a demo's
    // final ran 19% slower than planned)
    expect(slow.deadline).toEqual({ seconds: Math.round(p.finalSeconds - evalPart), minEpochs: MIN_FINAL_EPOCHS, maxEpochs: MAX_FINAL_EPOCHS });
    // a short job's factor counts less (it runs slower per image than a final training): the last demo's winner,
    // r0 planned 11.1 s and ran 12.3 s (1.11x), final planned 668 s ran 640 s; shrunk, its schedule is 7 epochs, not 6
    expect(speedFactor(p, [{ planned: 11.1, seconds: 12.3 }])).toBe(1);
    expect(speedFactor(p, [{ planned: 40, seconds: 50 }])).toBe(1.1);
    expect(measuredFinalFidelity(p, c, []).epochs).toBe(planned);
    // faster than planned: more epochs; the factor is bounded and the schedule never drops below the minimum
    expect(measuredFinalFidelity(p, c, [{ planned: 300, seconds: 0.8 * 300 }]).epochs).toBeGreaterThan(planned);
    expect(speedFactor(p, [{ planned: r0, seconds: 100 * r0 }])).toBe(3);
    const huge = { macs: 2e7, params: 5e5 };
    expect(measuredFinalFidelity(p, huge, [{ planned: 100, seconds: 1000 }]).epochs).toBeGreaterThanOrEqual(MIN_FINAL_EPOCHS);
    // a given --qat-speed keeps the plan a function of the options: no correction
    const given = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, { ...measured, measured: false });
    expect(measuredFinalFidelity(given, c, [{ planned: r0, seconds: 2 * r0 }]).epochs).toBe(finalEpochsFor(given, c));
    expect(measuredFinalFidelity(given, c, []).deadline).toBeUndefined();
    // and --final-epochs is what it says
    const fixed = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: 4 }, 60000, 10000, measured);
    expect(measuredFinalFidelity(fixed, c, [{ planned: r0, seconds: 2 * r0 }]).epochs).toBe(4);
    expect(measuredFinalFidelity(fixed, c, []).deadline).toBeUndefined();
  });

  it('final epochs fill the final share of the budget: fewer for costlier networks, capped; untrainable ones are rejected', () => {
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, speed);
    const small = finalEpochsFor(p, { macs: 1e5, params: 1e4 });
    const big = finalEpochsFor(p, { macs: 2e7, params: 1e5 });
    expect(small).toBe(MAX_FINAL_EPOCHS);
    expect(big).toBeLessThan(small);
    // in tenths of an epoch, so the share is filled to within a tenth of an epoch, not a whole one
    const perEpoch = jobSeconds(p, { macs: 2e7, params: 1e5 }, { epochs: 1, trainLimit: 60000, testLimit: 0 });
    // the share less the planned evaluation on the 10,000 test images
    const trainShare = p.finalSeconds - jobSeconds(p, { macs: 2e7, params: 1e5 }, { epochs: 0, trainLimit: 60000, testLimit: 10000 });
    expect(big * perEpoch).toBeLessThanOrEqual(trainShare);
    expect((big + 0.1) * perEpoch).toBeGreaterThan(trainShare);
    expect(Math.abs(big * 10 - Math.round(big * 10))).toBeLessThan(1e-9);
    expect(trainable(p, { macs: 1e9, params: 1e5 })).toBe(false);
    // parameters cost per step: a dense-heavy net with few MACs gets fewer epochs than its MACs alone would give
    const withParams = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, { ...speed, perParamStep: 2e-8 });
    expect(finalEpochsFor(withParams, { macs: 7e5, params: 5e5 })).toBeLessThan(finalEpochsFor(withParams, { macs: 7e5, params: 1e4 }));
    const fixed = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: 3 }, 60000, 10000, speed);
    expect(finalEpochsFor(fixed, { macs: 1e9, params: 1e5 })).toBe(3);
  });

  it('what the search leaves of its share goes to the final training; what it overruns comes from it', () => {
    const measured = { ...speed, perParamStep: 2e-8, measured: true };
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, measured);
    const c = { macs: 2e6, params: 5e5 };
    const r0 = { epochs: 1, trainLimit: 6000, testLimit: 2000 };
    const evalPart = jobSeconds(p, c, r0) - jobSeconds(p, c, { ...r0, testLimit: 0 });
    expect(evalPart).toBeGreaterThan(0);
    // a measured speed: the journaled training seconds plus the planned evaluation
    expect(searchJobSeconds(p, c, r0, 7)).toBeCloseTo(7 + evalPart, 9);
    // a given speed: the planned seconds whatever the job took (the plan is a function of the options)
    const given = { ...p, speed: { ...measured, measured: false } };
    expect(searchJobSeconds(given, c, r0, 7)).toBeCloseTo(jobSeconds(given, c, r0), 9);
    expect(finalSecondsAfterSearch(p, p.searchSeconds - 120)).toBeCloseTo(p.finalSeconds + 120, 9);
    // an overrun (the first wave is never cut) shortens the final, so the run keeps to its budget
    expect(finalSecondsAfterSearch(p, p.searchSeconds + 300)).toBeCloseTo(p.finalSeconds - 300, 9);
    expect(finalSecondsAfterSearch(p, p.budgetSeconds)).toBe(0);
    // the grown share is what the final schedule fills
    const grown = { ...p, finalSeconds: finalSecondsAfterSearch(p, p.searchSeconds - 120) };
    expect(finalEpochsFor(grown, c)).toBeGreaterThan(finalEpochsFor(p, c));
  });

  it('the budget keeps a reserve after the final: 12%, and with a synthesis tool at least SYNTH_RESERVE_SECONDS', () => {
    const o = { workers: 2, finalRecipe: 'base', finalEpochs: null };
    const at = (budgetMinutes: number, synth?: string): ReturnType<typeof makePlan> => makePlan({ ...o, budgetMinutes, synth }, 60000, 10000, speed);
    expect(at(25).finalSeconds).toBeCloseTo(1500 * 0.58, 9);
    expect(at(25, 'yosys').finalSeconds).toBeCloseTo(1500 * 0.58, 9);
    expect(at(10).finalSeconds).toBeCloseTo(600 * 0.58, 9);
    // 10 minutes with yosys: 600 - 180 (search) - 120 (synthesis, csim, calibration)
    expect(at(10, 'yosys').finalSeconds).toBeCloseTo(600 - 180 - SYNTH_RESERVE_SECONDS, 9);
    expect(at(10, 'none').finalSeconds).toBeCloseTo(600 * 0.58, 9);
    expect(at(2, 'yosys').finalSeconds).toBe(0);
  });

  it('the final schedule fills its share less the planned evaluation of the trained model', () => {
    const p = makePlan({ budgetMinutes: 25, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, speed);
    const c = { macs: 6e6, params: 5e5 };
    const perEpoch = jobSeconds(p, c, { epochs: 1, trainLimit: 60000, testLimit: 0 });
    const evalPart = jobSeconds(p, c, { epochs: 0, trainLimit: 60000, testLimit: 10000 });
    expect(evalPart).toBeGreaterThan(10);
    expect(finalEpochsFor(p, c)).toBe(Math.floor((10 * (p.finalSeconds - evalPart)) / perEpoch) / 10);
    expect(finalEpochsFor(p, c)).toBeLessThan(Math.floor((10 * p.finalSeconds) / perEpoch) / 10);
  });

  it('trainable: MIN_FINAL_EPOCHS fit in the final share, its evaluation not counted (the schedule then trains the minimum)', () => {
    const p = makePlan({ budgetMinutes: 2, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, speed);
    const c = { macs: 2.4e4, params: 2.7e4 };
    const perEpoch = jobSeconds(p, c, { epochs: 1, trainLimit: 60000, testLimit: 0 });
    const evalPart = jobSeconds(p, c, { epochs: 0, trainLimit: 60000, testLimit: 10000 });
    const edge = { ...p, finalSeconds: MIN_FINAL_EPOCHS * perEpoch + evalPart / 2 };
    expect(trainable(edge, c)).toBe(true);
    expect(finalEpochsFor(edge, c)).toBeLessThan(MIN_FINAL_EPOCHS);
    expect(measuredFinalFidelity(edge, c, []).epochs).toBe(MIN_FINAL_EPOCHS);
    expect(trainable({ ...edge, finalSeconds: MIN_FINAL_EPOCHS * perEpoch * 0.95 }, c)).toBe(false);
  });

  it('fitsFinalShare: whether a candidate gets MIN_FINAL_EPOCHS in the final share at its measured speed', () => {
    const p = makePlan({ budgetMinutes: 10, workers: 2, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, { ...speed, measured: true });
    const c = { macs: 2e6, params: 5e5 };
    const perEpoch = jobSeconds(p, c, { epochs: 1, trainLimit: 60000, testLimit: 0 });
    const tight = { ...p, finalSeconds: perEpoch * (MIN_FINAL_EPOCHS + 0.5) };
    expect(fitsFinalShare(tight, c, [])).toBe(true);
    // its search jobs ran 2x their plan: MIN_FINAL_EPOCHS no longer fit (measuredFinalFidelity keeps it at the minimum)
    const slow = [{ planned: 200, seconds: 460 }];
    expect(speedFactor(tight, slow)).toBeCloseTo(2, 1);
    expect(fitsFinalShare(tight, c, slow)).toBe(false);
    expect(measuredFinalFidelity(tight, c, slow).epochs).toBe(MIN_FINAL_EPOCHS);
    // --final-epochs: always
    expect(fitsFinalShare({ ...tight, finalEpochs: 3 }, c, slow)).toBe(true);
    // a share the search's overrun shrank to nothing: still MIN_FINAL_EPOCHS, with a measured or a given speed
    const gone = { ...p, finalSeconds: finalSecondsAfterSearch(p, p.budgetSeconds) };
    expect(gone.finalSeconds).toBe(0);
    expect(fitsFinalShare(gone, c, [])).toBe(false);
    expect(measuredFinalFidelity(gone, c, []).epochs).toBe(MIN_FINAL_EPOCHS);
    expect(measuredFinalFidelity(gone, c, slow).epochs).toBe(MIN_FINAL_EPOCHS);
    expect(measuredFinalFidelity({ ...gone, speed: { ...gone.speed, measured: false } }, c, slow).epochs).toBe(MIN_FINAL_EPOCHS);
  });

  it('the QAT speed fit recovers per-image, per-MAC and per-parameter costs; negative terms are dropped', () => {
    const truth = (m: number, p: number): number => 3e-4 + 1e-9 * m + 2e-8 * p;
    const pts = [[1e4, 100], [8e6, 600], [4e5, 5000]].map(([m, p]) => ({ t: truth(m!, p!), m: m!, p: p! }));
    const f = fitQatSpeed(pts);
    expect(f.perImage).toBeCloseTo(3e-4, 9);
    expect(f.perMacImage).toBeCloseTo(1e-9, 14);
    expect(f.perParamStep).toBeCloseTo(2e-8, 13);
    const noParams = fitQatSpeed(pts.map((q) => ({ ...q, t: 3e-4 + 1e-9 * q.m - 1e-9 * q.p })));
    expect(noParams.perParamStep).toBe(0);
  });

  it('generation seeds are fixed and distinct; skeleton keys drop bit widths', () => {
    expect(generationSeed(1, 0)).toBe(generationSeed(1, 0));
    expect(new Set([0, 1, 2, 3].map((g) => generationSeed(1, g))).size).toBe(4);
    expect(generationSeed(1, 0, 1)).not.toBe(generationSeed(1, 0, 0));
    expect(skeletonKey(parseGenomeKey('c24k3vpw4a4|d128w1a1|o2'))).toBe(skeletonKey(parseGenomeKey('c24k3vpw8a2|d128w4a4|o8')));
  });

  it('slow (depthwise) MACs: a fourth --qat-speed term, fitted from a separable design beyond the three terms', () => {
    expect(normalizeOptions({ luts: 30000, fps: 1000, qatSpeed: '7e-4,6e-10,4e-7,2e-8' }).qatSpeed).toBe('7e-4,6e-10,4e-7,2e-8');
    expect(parseQatSpeed('7e-4,6e-10')).toEqual({ perImage: 7e-4, perMacImage: 6e-10, perParamStep: 0, perSlowMacImage: 0 });
    expect(parseQatSpeed('7e-4,6e-10,4e-7,2e-8').perSlowMacImage).toBe(2e-8);
    for (const bad of ['7e-4', '7e-4,6e-10,4e-7,2e-8,1', '7e-4,6e-10,4e-7,-1', '7e-4,x']) expect(() => parseQatSpeed(bad), bad).toThrow(UsageError);
    const s3 = { perImage: 7e-4, perMacImage: 6e-10, perParamStep: 4e-7 };
    // 1e5 slow MACs at 2e-8 s beyond the three terms
    const t = 7e-4 + 6e-10 * 5e5 + 4e-7 * 100 + 2e-8 * 1e5;
    expect(slowMacSpeed(s3, { t, m: 5e5, p: 100, slow: 1e5 })).toBeCloseTo(2e-8, 12);
    expect(slowMacSpeed(s3, { t: 1e-4, m: 5e5, p: 100, slow: 1e5 })).toBe(0);
    const plan = makePlan({ budgetMinutes: 10, workers: 1, finalRecipe: 'base', finalEpochs: null }, 60000, 10000, { ...s3, perSlowMacImage: 2e-8, measured: false });
    const plain = { macs: 5e5, params: 6400 };
    expect(jobSeconds(plan, { ...plain, slowMacs: 1e5 }, { epochs: 1, trainLimit: 1000, testLimit: 0 })).toBeCloseTo(jobSeconds(plan, plain, { epochs: 1, trainLimit: 1000, testLimit: 0 }) + 1000 * 2e-8 * 1e5, 9);
  });

  it('candidate keys parse back to their genome; a bad key is a usage error', () => {
    for (const k of ['c32k3spw4a4-c64k3spw4a4|d128w4a4|o8', 'c4k5vw1a1||o2', 'c8k3spw2a1|d16w2a2|o4', 'c16k3spw4a4-ds64k5spw4a4||o8']) expect(genomeKey(parseGenomeKey(k))).toBe(k);
    expect(parseGenomeKey('c16k3spw4a4-ds64k5spw4a4||o8').convs[1]!.sep).toBe(true);
    expect(() => parseGenomeKey('c32k3|o8')).toThrow(UsageError);
  });
});
