import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // No test asserts how fast anything is (speed and accuracy are benchmark figures, bench/), so
    // every file runs in one pass; integration tests still start real servers and processes.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The machine has 2 cores: keep parallelism modest.
    maxWorkers: 2,
  },
});
