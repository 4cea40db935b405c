import { createRequire } from 'node:module'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Node loads its CommonJS build (as graphql-yoga does), while
    // Vite would pick the ESM build through "module" — two copies, and "another realm" errors.
    // Resolve it the way Node does so tests run the same modules as production.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    include: ['src/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
