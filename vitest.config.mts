import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores in CI: keep the worker count bounded so servers started by end-to-end tests get CPU too.
    maxWorkers: 2,
  },
});
