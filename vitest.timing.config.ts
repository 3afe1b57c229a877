import { defineConfig } from 'vitest/config';

/** Latency-agreement tests, one file at a time, after the main suite (see vitest.config.ts). */
export default defineConfig({
  test: {
    include: ['test/**/*.timing.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
});
