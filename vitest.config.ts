import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure: no g++, verilator, yosys or dataset; `npm run test:unit`) and `int` (files named
 * *.int.test.ts, whose header says what they need, plus the two search tests that train on the dataset, which keep
 * their names in test/search). `npx vitest run` runs both.
 */
const NEEDS_TOOLS = ['test/**/*.int.test.ts', 'test/search/run.test.ts', 'test/search/predictor.test.ts'];
const shared = {
  testTimeout: 120_000,
  hookTimeout: 300_000,
  pool: 'forks' as const,
  poolOptions: { forks: { maxForks: 2, minForks: 1 } },
};

export default defineConfig({
  test: {
    ...shared,
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: [...NEEDS_TOOLS, '**/node_modules/**'] } },
      { test: { ...shared, name: 'int', include: NEEDS_TOOLS } },
    ],
  },
});
