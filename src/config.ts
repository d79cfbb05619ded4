/**
 * Schema validation (ajv, JSON Schema draft 2020-12) for every file cosearch reads, and loading of design
 * files with semantic checks. Schemas live in constraints/schemas/<name>.schema.json.
 * Errors name the file, the JSON path and the fix (exit 65).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DataError } from './errors.js';
import { packageRoot, readJsonFile } from './io.js';
import { analyzeDesign, type Design } from './core/design.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new Map<string, ValidateFunction>();

export function schemaPath(name: string): string {
  return join(packageRoot(), 'constraints', 'schemas', `${name}.schema.json`);
}

function getValidator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const schema = JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object;
    v = ajv.compile(schema);
    compiled.set(name, v);
  }
  return v;
}

function describe(e: ErrorObject): { path: string; message: string; hint?: string } {
  const path = e.instancePath || '/';
  switch (e.keyword) {
    case 'required':
      return { path, message: `missing property "${(e.params as { missingProperty: string }).missingProperty}"`, hint: `add "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'additionalProperties':
      return { path, message: `unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`, hint: 'remove it or check its spelling' };
    case 'enum':
      return { path, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')}` };
    case 'const':
      return { path, message: `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}` };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}

/** Validate `value` against schema `name`; throws DataError naming `file` and the JSON path of the first error. */
export function validateWithSchema<T>(name: string, value: unknown, file: string, basePath = ''): T {
  const v = getValidator(name);
  if (!v(value)) {
    const errs = (v.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
    const first = describe(errs[0] ?? v.errors![0]!);
    const more = (v.errors?.length ?? 1) > 1 ? ` (${v.errors!.length - 1} more problem(s) in this file)` : '';
    throw new DataError(`${first.message}${more}`, { file, jsonPath: basePath + (first.path === '/' && basePath ? '' : first.path), hint: first.hint ?? `see ${schemaPath(name)}` });
  }
  return value as T;
}

/** Schema + semantic validation (shapes, divisibility) of a design object. */
export function validateDesignObject(value: unknown, file: string, basePath = ''): Design {
  const d = validateWithSchema<Design>('design', value, file, basePath);
  const { issues } = analyzeDesign(d);
  if (issues.length) {
    const i = issues[0]!;
    const more = issues.length > 1 ? ` (${issues.length - 1} more problem(s))` : '';
    throw new DataError(`${i.message}${more}`, { file, jsonPath: basePath + i.jsonPath, hint: i.hint });
  }
  return d;
}

export function loadDesign(file: string): Design {
  return validateDesignObject(readJsonFile(file, 'design file'), file);
}
