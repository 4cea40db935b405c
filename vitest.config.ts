import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Node loads its CommonJS build (as graphql-yoga does), while
    // Vite would pick the ESM build through "module" — two copies, and "another realm" errors.
    // Resolve it the way Node does so tests run the same modules as production.
    // The bundled example imports the library by its package name, as a user's config does (the
    // CLI hands configs its running copy); tests give it the sources, as tsconfig's paths do.
    alias: [
      { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') },
      { find: /^graphql-auto-gen$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Snapshots (file snapshots of SQL, the example's SDL) are written only on request:
    // UPDATE_SNAPSHOTS=1 (or `vitest -u`). Otherwise a missing or different snapshot fails, locally
    // and in CI alike, instead of being written silently.
    update: process.env['UPDATE_SNAPSHOTS'] === '1' ? 'all' : 'none',
  },
})
