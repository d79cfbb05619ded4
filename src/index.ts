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
