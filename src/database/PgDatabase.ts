import pg from 'pg'
import type { CustomTypesConfig, PoolClient, QueryConfig } from 'pg'
import type {
  Database,
  PoolStats,
  Queryable,
  QueryResult,
  SqlStatement,
  StatementListener,
} from './Database.js'
import { Backends } from './Backends.js'
import { PING_TIMEOUT_MS, StatementListeners, succeedsWithin } from './internal.js'
import { commitOutcomeUnknown, rethrowUnavailable, unavailableError } from './unavailableError.js'

/** Options for {@link PgDatabase}. */
export interface PgDatabaseOptions {
  /** `postgres://` or `postgresql://` connection URL. */
  url: string
  /** Largest number of pooled connections (pg's default, 10, when absent). */
  max?: number
  /** `statement_timeout` applied to every connection, in milliseconds. */
  statementTimeoutMs?: number
  /**
   * Schemas for `search_path` on every connection, comma-separated (`'app'` or `'app, public'`).
   * Each name is quoted as an identifier, so a schema name may not itself contain a comma.
   */
  searchPath?: string
  /**
   * How long a statement waits for a connection, in milliseconds: a free pooled one when all
   * `max` are busy, or a new one being opened. Past it the statement fails with
   * SERVICE_UNAVAILABLE (`reason: 'poolExhausted'` or `'databaseUnavailable'`); absent, it waits forever.
   */
  connectionTimeoutMs?: number
  /**
   * Run statements that carry a `name` as prepared statements (default true), parsed once per
   * connection; PostgreSQL may then keep one generic plan for them. Statements marked
   * `customPlan` (filter values) are sent unnamed, so each is planned for its own values.
   * Turn off behind a pooler without prepared statement support (PgBouncer < 1.21, transaction mode).
   */
  preparedStatements?: boolean
}

// OIDs whose pg default parsers would lose data, or which we pin so a global
// `pg.types.setTypeParser` elsewhere in the process cannot change what this class returns.
const INT8 = 20
const NUMERIC = 1700
const NUMERIC_ARRAY = 1231
const TEXT_ARRAY = 1009

const keepText = (value: string): string => value

// @types/pg narrows OIDs to an enum of builtins, which omits the array types we need.
const defaultTypeParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown

// pg parses numeric[] with parseFloat (precision loss), unlike numeric; the text[] parser keeps
// every element as the exact string PostgreSQL sent.
const typeParsers: CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      if (oid === INT8 || oid === NUMERIC) return keepText
      if (oid === NUMERIC_ARRAY) return defaultTypeParser(TEXT_ARRAY, 'text')
    }
    return defaultTypeParser(oid, format)
  },
}

/** Quotes one SQL identifier (`a"b` → `"a""b"`). */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Escapes a value for the startup `options` parameter, where whitespace separates arguments. */
function escapeStartupOption(value: string): string {
  return value.replace(/[\s\\]/g, (character) => `\\${character}`)
}

/** Turns `'app, public'` into the quoted `search_path` value `"app","public"`. */
function searchPathValue(searchPath: string): string {
  const schemas = searchPath
    .split(',')
    .map((schema) => schema.trim())
    .filter((schema) => schema !== '')
  if (schemas.length === 0) throw new Error('searchPath names no schema.')
  return schemas.map(quoteIdentifier).join(',')
}

/**
 * pg lets a connection string override config keys, so a URL carrying `?options=…` would silently
 * drop our search_path; merge the two and move them out of the URL instead.
 */
function mergeStartupOptions(url: string, ours: string | undefined): { url: string; options?: string } {
  if (ours === undefined) return { url }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { url, options: ours }
  }
  const fromUrl = parsed.searchParams.get('options')
  if (fromUrl === null) return { url, options: ours }
  parsed.searchParams.delete('options')
  return { url: parsed.toString(), options: `${fromUrl} ${ours}` }
}

/**
 * Sends `statement` on any pooled connection with the extended protocol. The pool gets a ready
 * `pg.Query` (a submittable: pg-pool passes it through and resolves with its result), made from
 * the text and values as pg makes it for `query(text, values)`: a config object would be copied
 * property by property (descriptors) on every call, a measurable share of a small query's CPU.
 */
async function runOnPool<Row>(
  pool: pg.Pool,
  statement: SqlStatement,
  named: boolean,
): Promise<QueryResult<Row>> {
  const query = new pg.Query(statement.text, statement.values as unknown[]) as pg.Query & QueryConfig
  if (named && !statement.customPlan && statement.name !== undefined) query.name = statement.name
  // Forces Parse/Bind even without values: one statement per call, as with PGlite.
  ;(query as { queryMode?: string }).queryMode = 'extended'
  let result: pg.QueryResult
  try {
    result = await (pool.query(query) as unknown as Promise<pg.QueryResult>)
  } catch (error) {
    rethrowUnavailable(error)
  }
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 }
}

/** Sends `statement` with the extended protocol, so each call is exactly one statement. */
async function runStatement<Row>(
  target: PoolClient,
  statement: SqlStatement,
  named: boolean,
): Promise<QueryResult<Row>> {
  // One object of one shape per call (pg copies it once more): the statement's values as they
  // are, since pg maps them into a new array of its own and never writes to ours.
  const config: QueryConfig & { queryMode: 'extended' } = {
    text: statement.text,
    values: statement.values as unknown[],
    name: named && !statement.customPlan ? statement.name : undefined,
    // Forces Parse/Bind even without values: one statement per call, as with PGlite.
    queryMode: 'extended',
  }
  let result
  try {
    result = await target.query<Record<string, unknown>>(config)
  } catch (error) {
    rethrowUnavailable(error)
  }
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 }
}

/** A {@link Database} on a PostgreSQL server, through a `pg` connection pool. */
export class PgDatabase implements Database {
  /** Always `'pg'`. */
  readonly kind = 'pg' as const
  readonly #pool: pg.Pool
  readonly #listeners = new StatementListeners()
  /** Whether named statements are prepared (see {@link PgDatabaseOptions.preparedStatements}). */
  readonly #prepared: boolean
  /** How `listen` opens its dedicated connection: the pool's URL and startup options. */
  readonly #connection: { connectionString: string; options?: string }
  /** Backends of the pool's connections, for {@link PgDatabase.cancelRunning}. */
  readonly #backends = new Backends()
  #closing: Promise<void> | undefined

  constructor(options: PgDatabaseOptions) {
    const startup: string[] = []
    this.#prepared = options.preparedStatements !== false
    if (options.searchPath !== undefined) {
      startup.push(`-c search_path=${escapeStartupOption(searchPathValue(options.searchPath))}`)
    }
    const connection = mergeStartupOptions(options.url, startup.length > 0 ? startup.join(' ') : undefined)
    this.#connection = {
      connectionString: connection.url,
      ...(connection.options !== undefined ? { options: connection.options } : {}),
    }
    this.#pool = new pg.Pool({
      connectionString: connection.url,
      options: connection.options,
      max: options.max,
      statement_timeout: options.statementTimeoutMs,
      connectionTimeoutMillis: options.connectionTimeoutMs,
      types: typeParsers,
    })
    // An idle client whose server goes away emits 'error' on the pool; unhandled, that event
    // would crash the process. The pool already discards the client; the next query reports.
    this.#pool.on('error', () => {})
    // pg-pool listens for a client's errors only while it is idle or running pool.query (once);
    // a server going away can still reach a client between those listeners (seen once while
    // PostgreSQL was stopped under load), and an 'error' with no listener crashes the process.
    // Queries and transactions still see every failure through their own callbacks.
    this.#pool.on('connect', (client) => {
      client.on('error', () => {})
      this.#backends.opened(client)
    })
  }

  /** Runs one parameterised statement on any pooled connection. */
  async query<Row = Record<string, unknown>>(statement: SqlStatement): Promise<QueryResult<Row>> {
    this.#listeners.emit(statement)
    return runOnPool<Row>(this.#pool, statement, this.#prepared)
  }

  /** Runs `work` on one connection inside BEGIN … COMMIT, rolling back when it throws. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect().catch(rethrowUnavailable)
    let open = true
    // Set when BEGIN/COMMIT/ROLLBACK fails: the connection's state is unknown, so the pool must
    // destroy it instead of handing it to the next caller mid-transaction.
    let broken: Error | undefined
    // A checked-out client has no pool listener: a connection dropped mid-transaction emits
    // 'error' on it (besides failing the pending query), which unhandled would crash the process.
    const onError = (error: Error): void => {
      broken ??= error
    }
    client.on('error', onError)
    const control = async (sql: 'BEGIN' | 'COMMIT' | 'ROLLBACK'): Promise<string> => {
      try {
        return (await client.query(sql)).command
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error))
        const unavailable = unavailableError(error)
        // A COMMIT whose answer never came may or may not have been applied; say so.
        if (unavailable && sql === 'COMMIT') throw commitOutcomeUnknown()
        throw unavailable ?? error
      }
    }
    const tx: Queryable = {
      query: async <Row = Record<string, unknown>>(statement: SqlStatement): Promise<QueryResult<Row>> => {
        // The client goes back to the pool afterwards; a late call would run on someone else's
        // connection, outside this transaction.
        if (!open) throw new Error('This transaction has already ended.')
        this.#listeners.emit(statement)
        return runStatement<Row>(client, statement, this.#prepared)
      },
    }
    try {
      await control('BEGIN')
      let result: T
      try {
        result = await work(tx)
      } catch (error) {
        open = false
        // The caller needs the error from `work`, not a secondary one from ROLLBACK.
        await control('ROLLBACK').catch(() => {})
        throw error
      }
      open = false
      // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK instead of an error;
      // PGlite throws there, and so must we, or callers would believe their writes were kept.
      if ((await control('COMMIT')) === 'ROLLBACK') {
        throw new Error('The transaction was rolled back instead of committed: an earlier statement failed.')
      }
      return result
    } finally {
      open = false
      client.off('error', onError)
      client.release(broken)
    }
  }

  /** Runs a parameterless multi-statement script with the simple query protocol. */
  async exec(sql: string): Promise<void> {
    this.#listeners.emit({ text: sql, values: [] })
    await this.#pool.query(sql).catch(rethrowUnavailable)
  }

  /**
   * LISTENs on a dedicated connection outside the pool (a pooled one would be handed to other
   * queries). A lost connection is reported to `onLost` and reopened after a second;
   * notifications sent meanwhile are lost.
   */
  async listen(
    channel: string,
    onNotify: (payload: string) => void,
    onLost?: () => void,
  ): Promise<() => Promise<void>> {
    let client: pg.Client | undefined
    let stopped = false
    let retry: NodeJS.Timeout | undefined
    const reopen = (): void => {
      if (stopped) return
      retry = setTimeout(() => void open().catch(reopen), 1_000)
      retry.unref()
    }
    const open = async (): Promise<void> => {
      const next = new pg.Client(this.#connection)
      next.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onNotify(message.payload)
      })
      next.on('error', () => {
        if (stopped || client !== next) return
        client = undefined
        void next.end().catch(() => {})
        onLost?.()
        reopen()
      })
      await next.connect()
      await next.query(`LISTEN ${quoteIdentifier(channel)}`)
      client = next
    }
    await open()
    return async () => {
      stopped = true
      clearTimeout(retry)
      await client?.end().catch(() => {})
    }
  }

  /** Subscribes to user statements (not BEGIN/COMMIT/ROLLBACK, not pings). */
  onStatement(listener: StatementListener): () => void {
    return this.#listeners.add(listener)
  }

  /** True when the server answers `SELECT 1` within a couple of seconds; never throws. */
  async ping(): Promise<boolean> {
    if (this.#closing) return false
    return succeedsWithin(() => this.#pool.query('SELECT 1'), PING_TIMEOUT_MS)
  }

  /** The pool's connections (open, idle) and the callers waiting for one. */
  poolStats(): PoolStats {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount }
  }

  /** Cancels the statements running on the pool's connections; resolves with how many there were. */
  cancelRunning(): Promise<number> {
    return this.#backends.cancelAll(this.#connection)
  }

  /** Ends the pool, waiting for checked-out clients; later calls return the same promise. */
  close(): Promise<void> {
    this.#closing ??= this.#pool.end()
    return this.#closing
  }
}
