/**
 * Schema validation (ajv, JSON Schema draft 2020-12) for every file cosearch reads, and loading of design
 * files with semantic checks. Schemas live in constraints/schemas/<name>.schema.json.
 * Errors name the file, the JSON path and the fix (exit 65).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DataError } from './errors.js';
import { closest } from './suggest.js';
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

/**
 * Every schema problem, in document order, each once; a misspelt key (an unknown property next to a missing
 * one it resembles) is one problem: unknown property "outChanels" (did you mean "outChannels"?).
 */
export function schemaProblems(errors: ErrorObject[]): { path: string; message: string; hint?: string }[] {
  const errs = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const missing = new Map<string, string[]>();
  for (const e of errs) if (e.keyword === 'required') missing.set(e.instancePath, [...(missing.get(e.instancePath) ?? []), (e.params as { missingProperty: string }).missingProperty]);
  const out: { path: string; message: string; hint?: string }[] = [];
  const misspelt = new Map<string, string>(); // path\0missing -> the unknown key that explains it
  for (const e of errs) {
    if (e.keyword !== 'additionalProperties') continue;
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    const near = closest(key, missing.get(e.instancePath) ?? []);
    if (near) misspelt.set(`${e.instancePath}\0${near}`, key);
  }
  for (const e of errs) {
    let d: { path: string; message: string; hint?: string };
    if (e.keyword === 'required' && misspelt.has(`${e.instancePath}\0${(e.params as { missingProperty: string }).missingProperty}`)) continue;
    const extra = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
    const near = extra === undefined ? undefined : [...misspelt.entries()].find(([k, v]) => v === extra && k.startsWith(`${e.instancePath}\0`))?.[0].split('\0')[1];
    if (near) d = { path: e.instancePath || '/', message: `unknown property "${extra}" (did you mean "${near}"?)`, hint: `rename "${extra}" to "${near}"` };
    else d = describe(e);
    if (!out.some((p) => p.path === d.path && p.message === d.message)) out.push(d);
  }
  return out;
}

/** Several problems as one message: the first, then each further one on its own line with its JSON path. */
function listProblems(problems: { path: string; message: string }[], basePath: string, first: string): string {
  const rest = problems.slice(1).map((p) => `\n  also at ${basePath + p.path}: ${p.message}`);
  return `${first}${rest.length ? ` (${problems.length} problems)${rest.join('')}` : ''}`;
}

/** Validate `value` against schema `name`; throws DataError naming `file` and listing every problem with its JSON path. */
export function validateWithSchema<T>(name: string, value: unknown, file: string, basePath = ''): T {
  const v = getValidator(name);
  if (!v(value)) {
    const problems = schemaProblems(v.errors ?? []);
    const first = problems[0] ?? describe(v.errors![0]!);
    throw new DataError(listProblems(problems, basePath, first.message), { file, jsonPath: basePath + (first.path === '/' && basePath ? '' : first.path), hint: first.hint ?? `see ${schemaPath(name)}` });
  }
  return value as T;
}

/** Schema + semantic validation (shapes, divisibility) of a design object. */
export function validateDesignObject(value: unknown, file: string, basePath = ''): Design {
  const d = validateWithSchema<Design>('design', value, file, basePath);
  const { issues } = analyzeDesign(d);
  if (issues.length) {
    const i = issues[0]!;
    throw new DataError(listProblems(issues.map((x) => ({ path: x.jsonPath, message: x.message })), basePath, i.message), { file, jsonPath: basePath + i.jsonPath, hint: i.hint });
  }
  return d;
}

export function loadDesign(file: string): Design {
  return validateDesignObject(readJsonFile(file, 'design file'), file);
}
