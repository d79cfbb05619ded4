/** What a search reports while it runs (progress) and when it ends (result). */
import type { Design } from '../core/design.js';
import type { ResourceReport } from '../core/report.js';
import type { NormalizedOptions, Strategy } from './options.js';

export interface CandidateSummary {
  key: string;
  lut: number;
  fps: number;
  bram18: number;
  dsp: number;
  /** surrogate's predicted FINAL accuracy (posterior mean) and its standard deviation */
  pred: number | null;
  predStd?: number | null;
  /** best measured accuracy and the rung it was measured at */
  acc?: number;
  rung?: string;
}

export interface SynthSummary {
  tool: string;
  key: string;
  lut: number;
  ff: number;
  bram18: number;
  dsp: number;
  fits: boolean;
  /** estimated LUTs with the calibration the search used */
  estLut: number;
}

export interface SearchResult {
  runDir: string;
  strategy: Strategy;
  /** predictedStd: the std of a measurement of the prediction (Prediction.obsStd) */
  winner: CandidateSummary & { design: Design; finalAcc: number; floatAcc: number; predictedFinal: number | null; predictedStd: number | null; epochs: number };
  /** candidates whose hardware was evaluated (deterministic) and those that fit */
  evaluated: number;
  feasible: number;
  /** training jobs and their total measured seconds */
  jobs: number;
  pareto: Array<CandidateSummary & { genome: unknown }>;
  csim: { ok: boolean; images: number; mismatches: number; correct?: number } | null;
  synth: SynthSummary | null;
  /** candidates rejected because their synthesis did not fit */
  synthMisses: SynthSummary[];
  calibration: string;
  report: ResourceReport;
  /**
   * Why a co-search's winner uses less than half the LUT budget, when the run measured designs of at least twice its
   * LUTs: the best of them, its predicted final accuracy and the epochs the time budget gives it (null otherwise)
   */
  budgetNote: string | null;
  seconds: number;
}

export type SearchEvent =
  | { type: 'start'; options: NormalizedOptions; resumed: boolean; replayed: number }
  | { type: 'phase'; phase: string; detail: string }
  | { type: 'wave'; wave: number; waves: number; jobs: number; best: CandidateSummary | null; spentSeconds: number; plannedSeconds: number }
  | { type: 'job'; rung: string; key: string; acc: number; predicted: number | null; seconds: number; cached: boolean; done: number }
  | { type: 'train-progress'; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'done'; result: SearchResult };
