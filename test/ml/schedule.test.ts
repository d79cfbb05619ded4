import { describe, expect, it } from 'vitest';
import { learningRate } from '../../src/ml/recipe.js';
import { StepSchedule } from '../../src/ml/train.js';

describe('StepSchedule (a deadline compresses the learning-rate schedule)', () => {
  it('is the step itself until a replan', () => {
    const s = new StepSchedule(100);
    for (const k of [0, 1, 37, 99]) expect(s.virtual(k)).toBe(k);
    expect(s.total).toBe(100);
    s.replan(40, 100); // same total: nothing changes
    expect(s.virtual(73)).toBe(73);
  });

  it('maps the remaining steps onto what is left of the planned schedule, continuously, to its end', () => {
    const s = new StepSchedule(100);
    s.replan(40, 70);
    expect(s.total).toBe(70);
    expect(s.virtual(40)).toBe(40);
    expect(s.virtual(70)).toBeCloseTo(100, 12);
    expect(s.virtual(55)).toBeCloseTo(70, 12); // halfway through the 30 steps left: halfway through the 60 planned
    // a second replan starts from where the first left off
    s.replan(55, 60);
    expect(s.virtual(55)).toBeCloseTo(70, 12);
    expect(s.virtual(60)).toBeCloseTo(100, 12);
    // the learning rate follows the planned cosine at the mapped steps and reaches its end
    const r = { name: 't', lr: 1e-2, warmup: 0, shift: 0, flip: 0, labelSmoothing: 0, weightDecay: 0 };
    expect(s.virtual(59)).toBeCloseTo(94, 12);
    expect(learningRate(r, s.virtual(59), 100)).toBeCloseTo(learningRate(r, 94, 100), 12);
    expect(learningRate(r, s.virtual(60), 100)).toBeCloseTo(0, 12);
  });
});
