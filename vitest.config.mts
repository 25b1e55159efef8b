import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // No test asserts on wall-clock time (latency and throughput live in `npm run bench`), so a slow machine may
    // only make tests slow, never wrong: the limits are generous, for a single loaded core. A test that waits for
    // something that never happens still fails, with what it saw (see `eventually` in test/support/local-stack.ts).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    // Two cores, shared: two workers at most, so servers started by end-to-end tests get CPU too.
    maxWorkers: 2,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // The local stack's emulated Lambda timeouts are wall-clock limits too: 30x the deployed ones in tests.
      SELLEROPS_LOCAL_LAMBDA_TIMEOUT_FACTOR: '30',
    },
  },
});
