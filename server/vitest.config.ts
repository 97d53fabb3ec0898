import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const database = (p: string) => fileURLToPath(new URL(`../database/src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Test against the database package's source, so `vitest` needs no prior build.
    alias: [
      { find: /^@hookline\/database\/testing$/, replacement: database('testing.ts') },
      { find: /^@hookline\/database$/, replacement: database('index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores shared by many: run files one after another.
    fileParallelism: false,
  },
});
