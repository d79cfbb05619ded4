/**
 * Shared Handlebars rendering for the emitters (HLS, RTL): one isolated Handlebars environment with
 * `noEscape` (we emit C++ and Verilog, not HTML) and `strict` (a missing context field is an error, not an
 * empty string), templates loaded from the package's templates/ directory and cached.
 */
import Handlebars from 'handlebars';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../io.js';
import { KIND_NAMES } from '../layers/registry.js';

export const hbs = Handlebars.create();

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Render templates/<rel> with the given context. */
export function renderTemplate(rel: string, ctx: unknown): string {
  let t = cache.get(rel);
  if (!t) {
    const src = readFileSync(join(packageRoot(), 'templates', rel), 'utf8');
    t = hbs.compile(src, { noEscape: true, strict: true });
    cache.set(rel, t);
  }
  return t(ctx);
}

const partialDirs = new Set<string>();

/**
 * Register every `*.hbs` file of templates/<relDir> as a partial named by its file name without `.hbs`
 * (e.g. templates/hls/partials/hls_params_compute.hbs -> `{{> hls_params_compute}}`). Idempotent.
 */
export function registerPartials(relDir: string): void {
  if (partialDirs.has(relDir)) return;
  const dir = join(packageRoot(), 'templates', relDir);
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.hbs')) continue;
    hbs.registerPartial(f.slice(0, -'.hbs'.length), readFileSync(join(dir, f), 'utf8'));
  }
  partialDirs.add(relDir);
}

const kindPartials = new Set<string>();

/**
 * Register every layer kind's partial for a target: src/layers/<kind>/<target>.hbs as `<target>_<kind>`
 * (e.g. `{{> hls_conv}}`). Idempotent.
 */
export function registerKindPartials(target: 'hls' | 'rtl'): void {
  if (kindPartials.has(target)) return;
  const dir = join(packageRoot(), 'src', 'layers');
  for (const k of KIND_NAMES) {
    const f = join(dir, k, `${target}.hbs`);
    if (existsSync(f)) hbs.registerPartial(`${target}_${k}`, readFileSync(f, 'utf8'));
  }
  kindPartials.add(target);
}
