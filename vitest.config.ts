import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that compare measured latencies with the mock's ground truth run in a second, serial
    // pass (vitest.timing.config.ts), so other test files cannot steal their CPU.
    exclude: ['test/**/*.timing.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The machine has 2 cores and integration tests measure latency: keep parallelism modest.
    maxWorkers: 2,
  },
});
