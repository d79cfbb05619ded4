/**
 * Loading search spaces: constraints/space/<name>.json or a user file, schema-checked
 * (constraints/schemas/space.schema.json) and checked for at least one valid member.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateWithSchema } from '../config.js';
import { DataError, NoInputError, UsageError } from '../errors.js';
import { packageRoot, readJsonFile } from '../io.js';
import { sampleGenome, type SearchSpace } from '../core/space.js';
import { Rng } from '../core/rng.js';
import { datasetShape, type DatasetName } from '../ml/datasets.js';

export function spaceDir(): string {
  return join(packageRoot(), 'constraints', 'space');
}

export function listSpaces(): string[] {
  if (!existsSync(spaceDir())) return [];
  return readdirSync(spaceDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Default space name for a dataset's image shape, e.g. default-28x28x1. */
export function defaultSpaceName(dataset: DatasetName, dataDir?: string): string {
  const s = datasetShape(dataset, dataDir);
  return `default-${s.height}x${s.width}x${s.channels}`;
}

/** Load a space by bundled name or file path. */
export function loadSpace(nameOrFile: string): { space: SearchSpace; file: string } {
  let file = nameOrFile;
  if (!nameOrFile.endsWith('.json') && !nameOrFile.includes('/')) {
    file = join(spaceDir(), `${nameOrFile}.json`);
    if (!existsSync(file)) throw new UsageError(`unknown search space "${nameOrFile}"; bundled spaces: ${listSpaces().join(', ')}`, 'or pass a space file (schema constraints/schemas/space.schema.json)');
  } else if (!existsSync(file)) throw new NoInputError(`search space file not found: ${file}`);
  const space = validateWithSchema<SearchSpace>('space', readJsonFile(file, 'search space file'), file);
  const c = space.conv;
  if (c.minLayers > c.maxLayers) throw new DataError(`conv.minLayers ${c.minLayers} > conv.maxLayers ${c.maxLayers}`, { file, jsonPath: '/conv/minLayers' });
  if (space.dense.minLayers > space.dense.maxLayers) throw new DataError(`dense.minLayers > dense.maxLayers`, { file, jsonPath: '/dense/minLayers' });
  try {
    sampleGenome(space, new Rng(1));
  } catch (e) {
    throw new DataError((e as Error).message, { file, hint: 'widen the kernel/padding choices or raise maxFlattenFeatures' });
  }
  return { space, file };
}

/** Check that a space matches a dataset's images and classes. */
export function checkSpaceForDataset(space: SearchSpace, file: string, dataset: DatasetName, dataDir?: string): void {
  const s = datasetShape(dataset, dataDir);
  const i = space.input;
  if (i.height !== s.height || i.width !== s.width || i.channels !== s.channels)
    throw new DataError(`space input ${i.height}x${i.width}x${i.channels} does not match ${dataset} (${s.height}x${s.width}x${s.channels})`, { file, jsonPath: '/input', hint: `use --space ${defaultSpaceName(dataset, dataDir)}` });
  if (space.numClasses !== s.numClasses) throw new DataError(`space numClasses ${space.numClasses} but ${dataset} has ${s.numClasses} classes`, { file, jsonPath: '/numClasses' });
}
