/**
 * The training plan of a search, a pure function of the options and the measured QAT speed (journaled once, so a
 * resume plans the same): the rungs of successive halving, each candidate's final schedule (the epochs that fill
 * the final share of --budget-minutes at its cost, grown by what the search left of its share), and the predicted
 * seconds of every job, which is what the search spends its budget in (never the wall clock, so the same journal gives
 * the same decisions).
 */
import type { Fidelity } from './jobs.js';

export interface QatSpeed {
  /** seconds per training image of one thread, independent of the network */
  perImage: number;
  /** seconds per MAC of one training image (forward + backward) of one thread */
  perMacImage: number;
  /**
   * seconds per parameter per training step of one thread (quantizing the latent weights, the update): divided by
   * the batch size per image. A dense layer on a large flattened map has few MACs per weight, so MACs alone
   * under-predicted such a net 4x (the second demo of this search planned 46 s per epoch and took 150 s).
   */
  perParamStep?: number;
  /**
   * seconds per slow MAC (CheapFeatures.slowMacs: depthwise) of one training image of one thread, on top of
   * perMacImage; measured only when the space has such layers (a separable block's depthwise layer trained 2-3x
   * slower than the three terms said: `npx tsx bench/qat-speed.ts`)
   */
  perSlowMacImage?: number;
  /** true when measured on this machine at the start of the run, false when given */
  measured: boolean;
}

/**
 * Share of the budget spent on each phase; the rest (RESERVE_SHARE, at least SYNTH_RESERVE_SECONDS with --synth) is
 * the calibration, emit, csim, synthesis and the final training's overrun of its plan (its evaluation is in its
 * share: finalTrainSeconds). The demos at 1b0cfba..594f650 spent 6-7 s calibrating, 7-9 s in csim and 65-110 s in
 * yosys: with a 15% reserve they ended 118-189 s inside their 1,500 s (bench/results/2026-12-06/demo-*.txt), about
 * one epoch of the finalist unused. With 10% and the evaluation unplanned, a demo on a slower day (calibration 13 s
 * of wall, its final's training loop 1.04x its plan) ran 1,560 s (demo-fbfdabd.txt); 12% with the evaluation planned.
 */
export const SEARCH_SHARE = 0.3;
export const FINAL_SHARE = 0.58;
export const RESERVE_SHARE = 1 - SEARCH_SHARE - FINAL_SHARE;
/**
 * Seconds kept after the final training when a synthesis tool checks the winner, whatever the budget: yosys ran
 * 62-110 s on the demos' winners (3,557-14,816 LUTs) and 77 s on a 4-conv IDX winner of 11,394 LUTs, csim 6-9 s,
 * the calibration 5-7 s; a 10-minute run's 10% (60 s) ran 13 minutes (bench/results/2026-12-06/idx-no-table.txt).
 * Vitis HLS takes longer; a run with --synth vitis needs the budget to match.
 */
export const SYNTH_RESERVE_SECONDS = 120;
/** Fewest and most epochs of a final training; a candidate that cannot get MIN_FINAL_EPOCHS is not trainable. */
export const MIN_FINAL_EPOCHS = 2;
export const MAX_FINAL_EPOCHS = 30;
/** Successive halving: keep the best 1/ETA of a rung for the next (Li et al. 2020, ASHA's reduction factor). */
export const ETA = 3;
/** LUT bands of the budget that each get candidates (diversity over the whole budget). */
export const LUT_BANDS = 4;
/** Batch size of every job (the shipped tables' schedule). */
export const JOB_BATCH = 64;
/** Assumed data-parallel efficiency of extra threads (planning only). */
export const PARALLEL_EFFICIENCY = 0.7;

export function speedup(threads: number): number {
  return 1 + PARALLEL_EFFICIENCY * (Math.max(1, threads) - 1);
}

export interface Rung {
  name: string;
  fidelity: Fidelity;
}

export interface Plan {
  budgetSeconds: number;
  searchSeconds: number;
  finalSeconds: number;
  rungs: Rung[];
  trainCount: number;
  testCount: number;
  threads: number;
  speed: QatSpeed;
  finalRecipe: string;
  finalEpochs: number | null;
}

/**
 * Training images of rung r2. With each of the 37 shipped 3-epoch candidates' r2 result (`cosearch bench-space
 * --keys @FILE --epochs 1 --train-limit 50000 --test-limit 10000 --eval-on validation`, the shipped .e3-r2 table),
 * `npx tsx bench/predictor-final.ts` ranks the held-out 3-epoch results at Kendall tau 0.795 (mean error 0.43
 * points) where r0 and r1 give 0.738 (0.49 points; bench/results/2026-12-02/predictor-final-r2.txt). It pays only
 * where the candidate's own r2 and those of others are both known (own only 0.720, others' only 0.726), so r2 is a
 * rung of the search, not a table-only prior. 1 epoch on 20,000 images does not tell the nets that learn slowly but
 * far from those that stop early, and more evaluation images would not help: r1 measured on 10,000 validation
 * images ranks them as on 2,000 test images (0.725 and 0.728; bench/data/final3.fashion-mnist.r1v.table.jsonl).
 */
export const R2_IMAGES = 50000;

/** Images the search's rungs are measured on (what the shipped r0 table was tested on). */
export const VALIDATION_IMAGES = 2000;

/**
 * Validation images of a training split of `count` images: its last VALIDATION_IMAGES (at most a sixth of it).
 * The rungs train on images before them and are measured on them, never on the test split: ranking candidates on
 * test images and then reporting the winner's test accuracy selects on the test set (the search did that until
 * TRAIN_SEMANTICS_VERSION 3). The final training uses the whole training split, as usual after model selection.
 */
export function validationCount(count: number): number {
  return Math.min(VALIDATION_IMAGES, Math.floor(count / 6));
}

/**
 * The plan of a run on `trainCount` training images (at most `fullTrainCount`, the training split's size, whose
 * tail is the validation set) and `testCount` test images.
 */
export function makePlan(
  o: { budgetMinutes: number; workers: number; finalRecipe: string; finalEpochs: number | null; synth?: string },
  trainCount: number,
  testCount: number,
  speed: QatSpeed,
  fullTrainCount = trainCount,
): Plan {
  const budgetSeconds = o.budgetMinutes * 60;
  // --test-limit (a quick run) caps the validation images too
  const val = Math.min(validationCount(fullTrainCount), testCount);
  const searchable = Math.min(trainCount, fullTrainCount - val);
  const rung = (name: string, images: number, epochs = 1): Rung => ({
    name,
    fidelity: { epochs, trainLimit: Math.min(searchable, images), testLimit: val, batchSize: JOB_BATCH, recipe: 'base', evalOn: 'validation' as const },
  });
  // r0 is the shipped table's schedule (1 epoch on 6,000 images), r1 sees about ETA times more (more epochs when
  // the training set is smaller than that)
  const r0 = rung('r0', 6000);
  const r1 = searchable >= 20000 ? rung('r1', 20000) : rung('r1', searchable, Math.max(2, Math.ceil((ETA * r0.fidelity.trainLimit) / searchable)));
  // r2 (1 epoch on 50,000 images) where the training set is large enough that it is more than r1 again: with its
  // results held-out 3-epoch trainings rank at tau 0.795 where r0 and r1 give 0.738 (R2_IMAGES); promoted only
  // where it fits in the search share (src/search/index.ts searchPhase)
  const rungs = searchable >= R2_IMAGES ? [r0, r1, rung('r2', R2_IMAGES)] : [r0, r1];
  const reserve = Math.max(budgetSeconds * RESERVE_SHARE, o.synth && o.synth !== 'none' ? SYNTH_RESERVE_SECONDS : 0);
  const searchSeconds = budgetSeconds * SEARCH_SHARE;
  return { budgetSeconds, searchSeconds, finalSeconds: Math.max(0, budgetSeconds - searchSeconds - reserve), rungs, trainCount, testCount, threads: o.workers, speed, finalRecipe: o.finalRecipe, finalEpochs: o.finalEpochs };
}

/** What a network costs to train: MACs per image and parameters. */
export interface TrainCost {
  macs: number;
  params: number;
  /** MACs of slow-training kinds (included in macs) */
  slowMacs?: number;
}

/** Seconds of one thread per training image of a network (model of QatSpeed). */
export function secondsPerImage(s: QatSpeed, c: TrainCost, batch = JOB_BATCH): number {
  return inferSecondsPerImage(s, c) + ((s.perParamStep ?? 0) * c.params) / batch;
}

/** The per-image terms of secondsPerImage (what a forward-and-backward pass costs without the weight update). */
function inferSecondsPerImage(s: QatSpeed, c: TrainCost): number {
  return s.perImage + s.perMacImage * c.macs + (s.perSlowMacImage ?? 0) * (c.slowMacs ?? 0);
}

/**
 * What a job costs after its training loop: per evaluation image, this share of one thread's forward-and-backward
 * seconds per image (the float and the integer model predict every image on one thread), and a fixed cost (the
 * data-parallel worker's start, batch-norm re-estimation, export, the 20 reference-checked images). Fitted to two
 * r0 and r1 jobs on this 2-core machine (wall minus training loop, 2,000 evaluation images, the demo's measured QAT
 * speed): c64k3spw8a2-c16k3sw4a4|d64w4a3|o8 (2.5M MACs) 8.1 and 6.3 s, c48k5spw1a3-c64k5spw6a4-c32k5sw3a3|d128w2a3|o8
 * (18.7M MACs) 17.8 and 19.9 s (of which float prediction 3.1 / 5.3 s, integer 2.7 / 6.7 s, reference 0.3 / 1.3 s).
 * The term this replaced (0.35 of a forward-and-backward pass, spread over the threads: 0.7 and 4.1 s) left the
 * demo's search phase 17% over its share (527 s for 450).
 */
export const EVAL_PER_IMAGE = 0.7;
export const EVAL_FIXED_SECONDS = 4.8;

/** Predicted wall seconds of a training job (plus its evaluation when testLimit > 0). */
export function jobSeconds(plan: Plan, c: TrainCost, f: Pick<Fidelity, 'epochs' | 'trainLimit' | 'testLimit'>): number {
  const train = (f.epochs * f.trainLimit * secondsPerImage(plan.speed, c)) / speedup(plan.threads);
  return f.testLimit > 0 ? train + f.testLimit * inferSecondsPerImage(plan.speed, c) * EVAL_PER_IMAGE + EVAL_FIXED_SECONDS : train;
}

/**
 * Epochs that fill `seconds` at `perEpoch` seconds each, in tenths of an epoch (the training's last epoch ends
 * part-way, src/ml/train.ts), at most MAX_FINAL_EPOCHS. Whole epochs left up to one epoch of the share unused: the
 * demo's finalist took floor(825 s / 147 s) = 5 epochs, 735 s of its 825 (bench/results/2026-12-03/demo-6492b20.txt).
 */
function epochsFilling(seconds: number, perEpoch: number): number {
  return Math.min(MAX_FINAL_EPOCHS, Math.floor((10 * seconds) / perEpoch) / 10);
}

/**
 * Seconds of the final share a candidate can train in: the share less the planned evaluation of the trained model
 * on the test images (float and integer prediction, export). Unplanned, it ran 39 s past the share of a demo's
 * finalist (the final phase 820 s, its training loop 781 s, for 753 s: bench/results/2026-12-06/demo-fbfdabd.txt).
 */
function finalTrainSeconds(plan: Plan, c: TrainCost): number {
  return Math.max(0, plan.finalSeconds - jobSeconds(plan, c, { epochs: 0, trainLimit: plan.trainCount, testLimit: plan.testCount }));
}

/** Epochs of a candidate's final training: what fills the final share of the budget (or --final-epochs). */
export function finalEpochsFor(plan: Plan, c: TrainCost): number {
  if (plan.finalEpochs !== null) return plan.finalEpochs;
  const perEpoch = jobSeconds(plan, c, { epochs: 1, trainLimit: plan.trainCount, testLimit: 0 });
  return Math.max(0, epochsFilling(finalTrainSeconds(plan, c), perEpoch));
}

export function finalFidelity(plan: Plan, c: TrainCost): Fidelity {
  return { epochs: finalEpochsFor(plan, c), trainLimit: plan.trainCount, testLimit: plan.testCount, batchSize: JOB_BATCH, recipe: plan.finalRecipe };
}

/** The training loop of a job of a candidate as planned (jobSeconds without the test pass) and as it ran (journaled). */
export interface JobTiming {
  planned: number;
  seconds: number;
}

/**
 * Planned seconds of training the QAT-speed model's own figure counts as, against a candidate's journaled jobs: the
 * measured factor is shrunk towards 1 by this weight. A search rung is a short job (r0: about 10 s), and short jobs
 * run slower per image than a final training (warm-up of the data-parallel workers and of the JIT): in the last two
 * demos the winner's r0 ran 1.11x and 1.39x its plan, its final training 0.96x and 1.16x, so the raw r0 factor gave
 * the final one epoch fewer than fitted in its share (journals of the demo runs: job seconds vs jobSeconds).
 * The bound [0.5, 3] still applies.
 */
export const SPEED_PRIOR_SECONDS = 60;

/**
 * How much slower (> 1) or faster than planned a candidate trains on this machine, from its own journaled jobs:
 * (SPEED_PRIOR_SECONDS + sum of seconds) / (SPEED_PRIOR_SECONDS + sum of planned), to 2 significant digits (timing
 * noise should not flip the schedule), within [0.5, 3]. 1 when the QAT speed was given (--qat-speed: the plan stays
 * a function of the options alone) or when the candidate has no timed job yet.
 */
export function speedFactor(plan: Plan, timings: readonly JobTiming[]): number {
  if (!plan.speed.measured || timings.length === 0) return 1;
  let s = 0;
  let q = 0;
  for (const t of timings) {
    s += t.seconds;
    q += t.planned;
  }
  if (!(s > 0) || !(q > 0)) return 1;
  const f = Number(((SPEED_PRIOR_SECONDS + s) / (SPEED_PRIOR_SECONDS + q)).toPrecision(2));
  return f < 0.5 ? 0.5 : f > 3 ? 3 : f;
}

/**
 * The final schedule of a candidate corrected by its measured speed factor: the epochs that fill the final share of
 * the budget at the per-epoch cost the model predicts times the factor (at least MIN_FINAL_EPOCHS: a candidate the
 * plan found trainable stays so). The QAT-speed model is a three-term fit of a 5-second calibration; it under-predicted
 * the demo's winner (a 520,000-parameter dense net) by 1.25x at r0, and its final training overran the budget by 1.6x.
 */
export function measuredFinalFidelity(plan: Plan, c: TrainCost, timings: readonly JobTiming[]): Fidelity {
  const f = finalFidelity(plan, c);
  if (plan.finalEpochs !== null) return f;
  // a final share that the search's overrun shrank below MIN_FINAL_EPOCHS still trains that many (a 2-minute run's
  // first wave can take all of it: its finalists trained 0 epochs and scored at chance before this floor)
  const epochs = Math.max(MIN_FINAL_EPOCHS, measuredEpochs(plan, c, timings));
  if (!plan.speed.measured) return { ...f, epochs };
  // the training loop fills its share at the pace it measures as it trains: the rung jobs' factor can be off either
  // way. Demos' finals ran 1.19x and 1.24x their plan, 154 s and 93 s past --budget-minutes 25
  // (bench/results/2026-12-06/demo-119c2b5-b.txt, demo-d2ef1b6.txt); another's rung jobs ran slow, so the
  // same net was planned 3.9 epochs in 791 s where one run earlier trained 4.4 in 719 s (demo-c54cd66.txt)
  return { ...f, epochs, deadline: { seconds: Math.round(finalTrainSeconds(plan, c)), minEpochs: MIN_FINAL_EPOCHS, maxEpochs: MAX_FINAL_EPOCHS } };
}

/**
 * The epochs that fill `seconds` (default: the final share less its evaluation) at the candidate's measured speed
 * (no floor).
 */
function measuredEpochs(plan: Plan, c: TrainCost, timings: readonly JobTiming[], seconds = finalTrainSeconds(plan, c)): number {
  const perEpoch = jobSeconds(plan, c, { epochs: 1, trainLimit: plan.trainCount, testLimit: 0 }) * speedFactor(plan, timings);
  return epochsFilling(seconds, perEpoch);
}

/**
 * Seconds a search job took as the budget counts it: with a measured QAT speed its journaled training seconds plus
 * the planned evaluation (jobSeconds less its training loop; the job's result records only the loop), with a given
 * speed (--qat-speed) the planned seconds, so that the plan stays a function of the options alone. Journaled, so a
 * resumed run counts the same.
 */
export function searchJobSeconds(plan: Plan, c: TrainCost, f: Pick<Fidelity, 'epochs' | 'trainLimit' | 'testLimit'>, journaled: number): number {
  const planned = jobSeconds(plan, c, f);
  if (!plan.speed.measured) return planned;
  return journaled + planned - jobSeconds(plan, c, { ...f, testLimit: 0 });
}

/**
 * The final share once the search has ended: the planned final share plus what the search left unused of its share
 * (`used`: the sum of searchJobSeconds), less what it overran it by. The search plans its jobs at the modelled
 * speed, which over-predicted short jobs: the demo at 25fa5aa planned 450 s of search, ran 333 s, and left 177 s of
 * its 1,500-s budget unused, about one epoch of its finalist (bench/results/2026-12-04/demo-25fa5aa.txt). Its first
 * wave is never cut (searchPhase), so at small budgets it overruns the share: a 10-minute run's search took 290 s of
 * its 180, and when the final kept its share the run took 13 minutes (bench/results/2026-12-06/idx-no-table.txt);
 * the final now gives the overrun back.
 */
export function finalSecondsAfterSearch(plan: Plan, used: number): number {
  return Math.max(0, plan.finalSeconds + plan.searchSeconds - used);
}

/**
 * Whether a candidate's final schedule, at its measured speed, gets MIN_FINAL_EPOCHS in the final share (always
 * with --final-epochs). measuredFinalFidelity keeps a slower one at MIN_FINAL_EPOCHS, over the share: the finalist is
 * one that fits where any does (src/search/index.ts pickFinalist).
 */
export function fitsFinalShare(plan: Plan, c: TrainCost, timings: readonly JobTiming[]): boolean {
  return plan.finalEpochs !== null || measuredEpochs(plan, c, timings) >= MIN_FINAL_EPOCHS;
}

/**
 * Trainable: MIN_FINAL_EPOCHS fit in the final share (or --final-epochs is set). The share's evaluation is not
 * counted here (the schedule counts it; one below the minimum trains the minimum, measuredFinalFidelity): counted,
 * it made every design of a 2-minute run at 1,100 LUTs untrainable ("no design fits"), where the smallest nets train
 * 2 epochs in 63 s of the 70-s share.
 */
export function trainable(plan: Plan, c: TrainCost): boolean {
  return plan.finalEpochs !== null || measuredEpochs(plan, c, [], plan.finalSeconds) >= MIN_FINAL_EPOCHS;
}

/**
 * Planned seconds of a search wave: its r0 jobs and the promotions to r1 that follow them (the best 1/ETA of all
 * candidates measured at r0, less those already at r1), each promotion at the mean r1 cost of the wave's candidates.
 * The search starts a wave only when this fits in what is left of the search share (a demo's second wave was checked
 * on its r0 jobs alone: 218 s were left, it planned 395 s with its promotions, and the search phase ran 1.8x its share).
 */
export function wavePlannedSeconds(plan: Plan, chosen: readonly TrainCost[], atR0Before: number, inR1: number): number {
  const [r0, r1] = plan.rungs as [Rung, Rung];
  if (chosen.length === 0) return 0;
  let r0s = 0;
  let r1s = 0;
  for (const c of chosen) {
    r0s += jobSeconds(plan, c, r0.fidelity);
    r1s += jobSeconds(plan, c, r1.fidelity);
  }
  const promotions = Math.max(0, Math.ceil((atR0Before + chosen.length) / ETA) - inR1);
  return r0s + (promotions * r1s) / chosen.length;
}
