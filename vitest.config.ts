import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import type { ViteUserConfig } from 'vitest/config'
import { detectTiers, REQUIRE_ALL_TIERS, skippedLine, TIERS_ENV } from './src/testing/tiers.js'
import type { TierName } from './src/testing/tiers.js'
import { HeavyFirstSequencer } from './src/testing/heavyFirstSequencer.js'
import { TierReporter } from './test/tierReporter.js'

/**
 * The slow project: PostgreSQL restarts and the other reliability runs, the browser, the packed
 * tarball, and the end-to-end migration of the three legacy projects (migrate, tsc, serve the old
 * and new schema side by side, rollback: a minute of CPU for a path that changes rarely; the
 * migrate command's golden fixtures stay in the fast project). `npm test` runs the fast project;
 * `npm run test:slow` (and CI) this one.
 */
const SLOW = [
  'test/reliability/**/*.test.ts',
  'src/**/*.browser.test.ts',
  'test/packedTarball.test.ts',
  'src/migrate/projects.test.ts',
]

/**
 * Test files run side by side in this many worker processes: one per core. vitest's default is one
 * less than the cores (a single worker here), which leaves a core idle whenever a test waits on a
 * child process, PostgreSQL, Redis or a timer. A third worker measured no faster and more CPU (31
 * files, isolate off: forks×3 78 s user+sys, 266 s wall; forks×2 62 s, 235 s; threads×3 64 s,
 * threads×2 69 s, all under the same load): each worker loads and warms the whole module graph
 * once, and the suite is CPU-bound. Threads are no cheaper, and workers cannot process.chdir()
 * (the serve test does). The test files keep to their own PostgreSQL schemas, Redis key
 * prefixes, ports and temp folders, so they can run in parallel.
 */
const FAST_WORKERS = 2

/**
 * The fast project's files share their worker's process and module cache (`isolate: false`)
 * instead of a new fork each: a fresh fork re-imports graphql, drizzle, the schema builder and
 * PGlite (its WASM compiled anew) and runs them cold, 1.5-2 s of CPU before the first test, and
 * its first PGlite boot costs twice a warm one. On 41 files this halved the CPU (234 s user+sys →
 * 120 s). What a file changes in the process it must undo: environment variables (vi.stubEnv or
 * restore in finally), process listeners (off in afterAll), the working directory, and
 * once-per-process state it asserts on (resetDeprecations() before listening for deprecations).
 */
const FAST_ISOLATE = false

/**
 * Whole files that need a tier, as alternatives (any one set of tiers suffices). Tests inside a
 * file that need one ask tierAvailable() instead.
 */
const FILE_TIERS: Record<string, TierName[][]> = {
  'test/reliability/postgresRestart.test.ts': [['postgresBinaries']],
  'test/reliability/redisOutage.test.ts': [['redis']],
  'test/reliability/redisCacheOutage.test.ts': [['redis']],
  'test/reliability/postgresPubSubRestart.test.ts': [['postgresBinaries']],
  'test/reliability/readReplicas.test.ts': [['postgresBinaries']],
  // A schema on DATABASE_URL, else a private cluster (test/reliability/testPostgres.ts).
  'test/reliability/load.test.ts': [['postgres'], ['postgresBinaries']],
  'test/reliability/backpressure.test.ts': [['postgres'], ['postgresBinaries']],
  'test/reliability/gracefulShutdown.test.ts': [['postgres'], ['postgresBinaries']],
  'test/reliability/shutdownDeadline.test.ts': [['postgres'], ['postgresBinaries']],
  'src/server/graphiql.browser.test.ts': [['chromium']],
}

export default defineConfig(async (): Promise<ViteUserConfig> => {
  const tiers = await detectTiers()
  const missing = tiers.filter((tier) => !tier.available)
  if (missing.length > 0 && process.env[REQUIRE_ALL_TIERS] === '1') {
    throw new Error(
      `${REQUIRE_ALL_TIERS}=1 and ${missing.length} test tier(s) cannot run:\n${missing.map(skippedLine).join('\n')}`,
    )
  }
  const available = tiers.filter((tier) => tier.available).map((tier) => tier.name)
  const excluded = Object.entries(FILE_TIERS)
    .filter(([, options]) => !options.some((needs) => needs.every((tier) => available.includes(tier))))
    .map(([file]) => file)
  return {
    resolve: {
      alias: [
        // graphql 16 has no "exports": Node loads its CommonJS build (as graphql-yoga does), while
        // Vite would pick the ESM build through "module" — two copies, and "another realm" errors.
        // Resolve it the way Node does so tests run the same modules as production.
        { find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') },
        // The bundled example imports the library by its package name, as a user's config does (the
        // CLI hands configs its running copy); tests give it the sources, as tsconfig's paths do.
        {
          find: /^graphql-auto-gen$/,
          replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
        },
      ],
    },
    test: {
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks',
      sequence: { sequencer: HeavyFirstSequencer },
      // The tiers' verdict, for tierAvailable() in the workers.
      env: { [TIERS_ENV]: JSON.stringify(available) },
      reporters: ['default', new TierReporter(tiers)],
      // Snapshots (file snapshots of SQL, the example's SDL) are written only on request:
      // UPDATE_SNAPSHOTS=1 (or `vitest -u`). Otherwise a missing or different snapshot fails, locally
      // and in CI alike, instead of being written silently.
      update: process.env['UPDATE_SNAPSHOTS'] === '1' ? 'all' : 'none',
      projects: [
        {
          extends: true,
          test: {
            name: 'fast',
            maxWorkers: FAST_WORKERS,
            isolate: FAST_ISOLATE,
            // Projects with different worker counts run as separate groups (`vitest run` of both).
            sequence: { groupOrder: 0 },
            include: ['src/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
            exclude: ['**/node_modules/**', ...SLOW],
          },
        },
        {
          extends: true,
          test: {
            name: 'slow',
            sequence: { groupOrder: 1 },
            include: SLOW,
            exclude: ['**/node_modules/**', ...excluded],
          },
        },
      ],
    },
  }
})
