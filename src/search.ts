/** The co-search lives in src/search/ (index.ts); this module keeps the library's import path. */
export * from './search/index.js';
