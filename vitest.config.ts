import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // No test asserts how fast anything is (speed and accuracy are benchmark figures, bench/), so
    // every file runs in one pass; integration tests still start real servers and processes.
    // Hang detectors, not speed limits: generous enough for a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // The machine has 2 cores: keep parallelism modest.
    maxWorkers: 2,
  },
});
