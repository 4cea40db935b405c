import type { PGlite, Transaction } from '@electric-sql/pglite'
import type { Database, Queryable, QueryResult, SqlStatement, StatementListener } from './Database.js'
import { PING_TIMEOUT_MS, StatementListeners, succeedsWithin } from './internal.js'
import { startInMemoryPGlite } from './startInMemoryPGlite.js'

/** Options for {@link PGliteDatabase}. */
export interface PGliteDatabaseOptions {
  /** Directory holding the data files; in-memory (lost on close) when absent. */
  dataDir?: string
}

const keepText = (value: string): string => value

/** Starts PGlite; imported on demand so deployments on a PostgreSQL server never load the WASM build. */
async function startPGlite(dataDir: string | undefined): Promise<PGlite> {
  const { PGlite, types } = await import('@electric-sql/pglite')
  const options = {
    // PGlite turns numeric into a float and int8 into a number/bigint; pg returns both as exact
    // strings, and the two backends must agree. PGlite derives its array parsers from these
    // element parsers at query time, so numeric[] and int8[] become string arrays too.
    parsers: { [types.INT8]: keepText, [types.NUMERIC]: keepText },
  }
  return dataDir === undefined ? startInMemoryPGlite(PGlite, options) : PGlite.create({ dataDir, ...options })
}

/** Maps a PGlite result onto ours: affectedRows counts writes, rows.length counts reads. */
function toResult<Row>(result: { rows: unknown[]; affectedRows?: number }): QueryResult<Row> {
  return { rows: result.rows as Row[], rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) }
}

/**
 * A {@link Database} on embedded PGlite (PostgreSQL compiled to WASM, one connection).
 *
 * PGlite runs one transaction at a time and makes plain `query` calls wait until an open
 * transaction ends, so they never run inside it. The flip side: inside `transaction(work)`, `work`
 * must use its `tx` argument; calling this database's `query` or `transaction` there waits for
 * the transaction that is waiting for it, and never returns.
 */
export class PGliteDatabase implements Database {
  /** Always `'pglite'`. */
  readonly kind = 'pglite' as const
  readonly #dataDir: string | undefined
  readonly #listeners = new StatementListeners()
  #ready: Promise<PGlite> | undefined
  #closing: Promise<void> | undefined

  constructor(options: PGliteDatabaseOptions = {}) {
    this.#dataDir = options.dataDir
  }

  /** Starts PGlite on first use; a failed start is forgotten so the next call can retry. */
  #pglite(): Promise<PGlite> {
    if (this.#closing) return Promise.reject(new Error('This PGlite database has been closed.'))
    this.#ready ??= startPGlite(this.#dataDir).catch((error: unknown) => {
      this.#ready = undefined
      throw error
    })
    return this.#ready
  }

  /** Runs one parameterised statement. */
  async query<Row = Record<string, unknown>>(statement: SqlStatement): Promise<QueryResult<Row>> {
    const pglite = await this.#pglite()
    this.#listeners.emit(statement)
    return toResult<Row>(await pglite.query(statement.text, [...statement.values]))
  }

  /** Runs `work` inside BEGIN … COMMIT (PGlite issues those), rolling back when it throws. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const pglite = await this.#pglite()
    return pglite.transaction(async (transaction: Transaction) =>
      work({
        query: async <Row = Record<string, unknown>>(statement: SqlStatement): Promise<QueryResult<Row>> => {
          // Checked here so a late call is neither reported to listeners nor sent.
          if (transaction.closed) throw new Error('This transaction has already ended.')
          this.#listeners.emit(statement)
          return toResult<Row>(await transaction.query(statement.text, [...statement.values]))
        },
      }),
    )
  }

  /** Runs a parameterless multi-statement script. */
  async exec(sql: string): Promise<void> {
    const pglite = await this.#pglite()
    this.#listeners.emit({ text: sql, values: [] })
    await pglite.exec(sql)
  }

  /** LISTENs through PGlite's own listen/notify (delivered in-process after commit). */
  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const pglite = await this.#pglite()
    const unlisten = await pglite.listen(channel, onNotify)
    return async () => {
      if (!this.#closing) await unlisten()
    }
  }

  /** Subscribes to user statements (not BEGIN/COMMIT/ROLLBACK, not pings). */
  onStatement(listener: StatementListener): () => void {
    return this.#listeners.add(listener)
  }

  /**
   * True when PGlite answers `SELECT 1`; never throws. Starting PGlite is not timed (it takes a
   * few seconds on a cold machine); the query is, and it waits behind an open transaction.
   */
  async ping(): Promise<boolean> {
    let pglite: PGlite
    try {
      pglite = await this.#pglite()
    } catch {
      return false
    }
    return succeedsWithin(() => pglite.query('SELECT 1'), PING_TIMEOUT_MS)
  }

  /** Shuts PGlite down (flushing a dataDir); later calls return the same promise. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const starting = this.#ready
      if (starting === undefined) return
      let pglite: PGlite
      try {
        pglite = await starting
      } catch {
        return
      }
      await pglite.close()
    })()
    return this.#closing
  }
}
