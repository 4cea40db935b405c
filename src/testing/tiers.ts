// Test tiers that need more than Node: a PostgreSQL server, PostgreSQL's binaries, Redis, Chromium.
// vitest.config.ts detects them once per run (detectTiers), prints one line per missing tier saying
// how to enable it, and hands the result to the test workers (GAG_TIERS); tests ask tierAvailable().
// With GAG_REQUIRE_ALL_TIERS=1 (CI) a missing tier fails the run instead of being skipped.
import { accessSync, constants, existsSync, readdirSync } from 'node:fs'
import { connect } from 'node:net'
import { delimiter, join } from 'node:path'

/** The tiers, by what they need. */
export type TierName = 'postgres' | 'postgresBinaries' | 'redis' | 'chromium'

/** One tier's verdict for this run. */
export interface TierStatus {
  name: TierName
  available: boolean
  /** What runs in it. */
  what: string
  /** How to enable it when it is missing. */
  enable: string
}

/** The environment variable that turns a missing tier into a failure (set by .ci/run). */
export const REQUIRE_ALL_TIERS = 'GAG_REQUIRE_ALL_TIERS'

/** The environment variable carrying the detected tiers to the test workers. */
export const TIERS_ENV = 'GAG_TIERS'

/** Chromium for the browser tests: CHROMIUM_PATH, else Debian's package. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
}

/** The Redis the tests use: REDIS_URL, else the default local one. */
export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env['REDIS_URL'] || 'redis://127.0.0.1:6379'
}

/**
 * A program on PATH, or under /usr/lib/postgresql/<version>/bin for PostgreSQL's (Debian keeps
 * initdb and pg_ctl there); undefined when absent.
 */
export function findProgram(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const postgres = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort()
        .reverse()
        .map((version) => join('/usr/lib/postgresql', version, 'bin'))
    : []
  for (const dir of [...(env['PATH'] ?? '').split(delimiter), ...postgres]) {
    if (dir === '') continue
    try {
      accessSync(join(dir, name), constants.X_OK)
      return join(dir, name)
    } catch {
      // Not in this folder: try the next.
    }
  }
  return undefined
}

/** Probes every tier (a second at most each); used once per run by vitest.config.ts. */
export async function detectTiers(env: NodeJS.ProcessEnv = process.env): Promise<TierStatus[]> {
  const databaseUrl = env['DATABASE_URL']
  const redis = redisUrl(env)
  return [
    {
      name: 'postgres',
      available: databaseUrl !== undefined && databaseUrl !== '' && (await answers(databaseUrl, 5432)),
      what: 'every database test on PostgreSQL as well as PGlite',
      enable:
        databaseUrl === undefined || databaseUrl === ''
          ? 'set DATABASE_URL=postgres://user@host:5432/db (a database the tests may create schemas in)'
          : `DATABASE_URL is set but nothing answers at ${new URL(databaseUrl).host}: start PostgreSQL`,
    },
    {
      name: 'postgresBinaries',
      available: findProgram('initdb', env) !== undefined && findProgram('pg_ctl', env) !== undefined,
      what: 'PostgreSQL restart and fault tests on a private cluster',
      enable: 'install PostgreSQL (initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin)',
    },
    {
      name: 'redis',
      available: findProgram('redis-server', env) !== undefined && (await answers(redis, 6379)),
      what: 'Redis rate limits, caches, pub/sub and Redis outage tests',
      enable: `install redis-server (apt-get install redis-server) and run it at ${redis} (or set REDIS_URL)`,
    },
    {
      name: 'chromium',
      available: existsSync(chromiumPath(env)),
      what: 'GraphiQL in a real browser (screenshots under test-results/)',
      enable: `apt-get install -y chromium (or set CHROMIUM_PATH; looked at ${chromiumPath(env)})`,
    },
  ]
}

/** The line printed for a missing tier. */
export function skippedLine(tier: TierStatus): string {
  return `Skipped tier ${tier.name} (${tier.what}): to enable it, ${tier.enable}.`
}

/** Whether a tier's prerequisites are present in this run (decided once by vitest.config.ts). */
export function tierAvailable(name: TierName, env: NodeJS.ProcessEnv = process.env): boolean {
  const detected = env[TIERS_ENV]
  // Outside vitest.config.ts (no verdict handed down) nothing is assumed missing: tests run, and
  // fail loudly if something is absent.
  if (detected === undefined) return true
  return (JSON.parse(detected) as TierName[]).includes(name)
}

/** Whether a TCP server answers at the URL's host and port, within a second. */
function answers(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || defaultPort) })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
