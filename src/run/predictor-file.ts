/**
 * Predictor files (`cosearch predictor train` writes them; the search reads them). The shipped one for the
 * default space and Fashion-MNIST lives at constraints/predictor/<space>.<dataset>.json.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, NoInputError } from '../errors.js';
import { packageRoot, readJsonFile } from '../io.js';
import type { PredictorFile, PredictorModel } from '../ml/predictor.js';
import { featureNames } from '../ml/predictor.js';
import type { SearchSpace } from '../core/space.js';

export function defaultPredictorPath(space: string, dataset: string): string {
  return join(packageRoot(), 'constraints', 'predictor', `${space}.${dataset}.json`);
}

function checkModel(m: PredictorModel | null, file: string, path: string, names: string[]): void {
  if (!m) return;
  if (m.inputs !== names.length || m.featureNames.join(',') !== names.join(','))
    throw new DataError(`the predictor's features (${m.inputs}) do not match this space's (${names.length})`, { file, jsonPath: `${path}/featureNames`, hint: 'retrain it with `cosearch predictor train TABLE` for this space' });
  if (!Array.isArray(m.members) || m.members.length === 0) throw new DataError('predictor has no members', { file, jsonPath: `${path}/members` });
}

export function loadPredictor(file: string, space: SearchSpace): PredictorFile {
  if (!existsSync(file)) throw new NoInputError(`predictor not found: ${file}`, 'train one: `cosearch bench-space --n 60 --out table.jsonl && cosearch predictor train table.jsonl --out predictor.json`, then pass --predictor predictor.json');
  const p = readJsonFile(file, 'predictor file') as PredictorFile;
  if (p.format !== 'cosearch-predictor' || p.version !== 1) throw new DataError('not a cosearch predictor file', { file, jsonPath: '/format', hint: 'expected "format": "cosearch-predictor", "version": 1' });
  if (p.space !== space.name) throw new DataError(`predictor was trained for space ${p.space}, not ${space.name}`, { file, jsonPath: '/space' });
  checkModel(p.screen, file, '/screen', featureNames(space, false));
  checkModel(p.full, file, '/full', featureNames(space, true));
  return p;
}
