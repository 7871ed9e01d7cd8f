import { defineConfig } from 'vitest/config';

// kuromoji's dictionary (≈300 MB, ≈0.6 s) is loaded once per worker as a module singleton:
// isolation is off so test files in one worker share it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    isolate: false,
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
