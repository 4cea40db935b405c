import { ConfigError } from '../errors.js'
import type { Database } from './Database.js'
import { PgDatabase } from './PgDatabase.js'
import { PGliteDatabase } from './PGliteDatabase.js'
import { ReplicatedDatabase } from './ReplicatedDatabase.js'

/** Options for {@link createDatabase}: `url` selects a PostgreSQL server, otherwise PGlite. */
export interface CreateDatabaseOptions {
  /** `postgres://…` or `postgresql://…`; when absent, an embedded PGlite database is used. */
  url?: string
  /** PGlite data directory (ignored with `url`); in-memory when absent too. */
  dataDir?: string
  /** Pool size for a PostgreSQL server. */
  max?: number
  /** `statement_timeout` for a PostgreSQL server, in milliseconds. */
  statementTimeoutMs?: number
  /** How long a statement waits for a pooled connection before SERVICE_UNAVAILABLE, in milliseconds. */
  acquireTimeoutMs?: number
  /** `search_path` for a PostgreSQL server (comma-separated schema names). */
  searchPath?: string
  /** Prepare named statements on a PostgreSQL server (default true; see PgDatabaseOptions). */
  preparedStatements?: boolean
  /** Streaming replicas of `url` that take plain reads (see ReplicatedDatabase). */
  replicas?: readonly string[]
  /** After a caller's write, their reads stay on the primary this long, in ms (default 1000). */
  readYourWritesMs?: number
  /** Replicas further behind than this are skipped, in ms (default 5000). */
  maxReplicaLagMs?: number
}

const POSTGRES_URL = /^postgres(ql)?:\/\//i

/** Opens the configured database: {@link PgDatabase} for a `url`, else {@link PGliteDatabase}. */
export function createDatabase(options: CreateDatabaseOptions): Database {
  const { url } = options
  if (url === undefined) return new PGliteDatabase({ dataDir: options.dataDir })
  if (!POSTGRES_URL.test(url)) {
    // The scheme alone is shown: the rest of a URL may hold a password.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]
    throw new ConfigError(
      `database.url must look like postgres://user:password@host:5432/database (or postgresql://…), ` +
        `got ${scheme === undefined ? 'a value without a scheme' : `a ${scheme}: URL`}.`,
      { path: 'database.url' },
    )
  }
  const open = (at: string): PgDatabase =>
    new PgDatabase({
      url: at,
      max: options.max,
      statementTimeoutMs: options.statementTimeoutMs,
      connectionTimeoutMs: options.acquireTimeoutMs,
      searchPath: options.searchPath,
      ...(options.preparedStatements !== undefined ? { preparedStatements: options.preparedStatements } : {}),
    })
  if (!options.replicas?.length) return open(url)
  return new ReplicatedDatabase({
    primary: open(url),
    replicas: options.replicas.map(open),
    readYourWritesMs: options.readYourWritesMs ?? 1_000,
    maxLagMs: options.maxReplicaLagMs ?? 5_000,
  })
}
