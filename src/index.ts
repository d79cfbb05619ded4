/**
 * cosearch library API. The CLI (src/cli) is a thin layer over these functions.
 */
export * from './errors.js';
export * from './core/design.js';
export * from './core/intmodel.js';
export { Rng } from './core/rng.js';
export { randomIntModel } from './core/random-intmodel.js';
export { loadDesign, validateDesignObject, validateWithSchema } from './config.js';
export { intInfer } from './ml/intref.js';
export { readIntModel, writeIntModel } from './ml/intmodel-io.js';
export { loadDataset, resolveDataDir, splitValidation, subsetDataset, toUnitFloat, DATASET_NAMES, DATASET_SHAPES, type Dataset, type DatasetName } from './ml/datasets.js';
// core: cost model, estimate, folding, parts, calibration (issue 2)
export { estimateDesign, designGeoms, effectiveFolding, checkedInfos, ESTIMATE_MODEL_VERSION } from './core/estimate.js';
export { foldForFps, foldForLuts, foldSummary, type FoldSummary, cycleBudget, designMenus, buildMenu, menuPick, lutsAtBudget, minFeasibleBudget, applyBudget, type FoldResult, type LayerMenu } from './core/fold.js';
export { layerCost, geomFromInfo, costModels } from './core/cost/layer.js';
export { newCostOut, type CostOut, type LayerGeom } from './core/cost/types.js';
export { bram18For, lutramFor } from './core/cost/memory.js';
export { DEFAULT_CALIBRATION, costParams, mergeCalibration, withConstants, type Calibration, type CalibrationConstant, type CostParams } from './core/calibration.js';
export { partCapacity, type Part } from './core/part.js';
export { listParts, loadPart, loadCalibration, listCalibrations, loadBudget, DEFAULT_PART } from './parts.js';
export { budgetViolations, type Budget } from './core/budget.js';
export * from './core/report.js';
export { initBackend, describeBackend, type BackendPref } from './ml/backend.js';
export { trainDesign, writeTrainOutput, readCheckpoint, type TrainOptions, type TrainResult, type TrainProgress } from './ml/train.js';
export { exportIntModel, foldThresholds } from './ml/export.js';
export { fastIntPredict } from './ml/intfast.js';
export { emitHls, hlsLayerContexts, type HlsManifest } from './emit/hls.js';
export { runCsim, type CsimResult } from './synth/csim.js';
export { synthVitis } from './synth/vitis.js';
export { parseCsynthXml } from './synth/csynth-parse.js';
export { emitRtl, type RtlManifest } from './emit/rtl.js'; export { runRtlSim, type RtlSimResult } from './synth/rtlsim.js'; export { synthYosys, synthYosysRun, parseYosysStat } from './synth/yosys.js'; export { diffReports, formatDiff, type ReportDiff } from './core/report-diff.js'; export { calibrationDesigns, benchDesigns, fitFromSamples, fitFromCsynth, synthesizeSamples } from './synth/calibrate.js';
export { search, normalizeOptions, type SearchOptions, type SearchResult, type SearchEvent } from './search.js'; export * from './core/space.js'; export { runNsga2, nonDominatedSort, crowdingDistance, selectSurvivors } from './core/nsga2.js'; export { dominates, constrainedDominates, paretoFrontIndices } from './core/pareto.js'; export { kendallTau } from './core/stats.js'; export { loadSpace, listSpaces } from './run/space-file.js'; export { computeProxies, makeProxyBatch } from './ml/proxies.js'; export { trainPredictor, predictRows, featureRow, type PredictorFile } from './ml/predictor.js'; export { benchSpace, readTable, BENCH_SCHEDULE } from './run/table.js';
