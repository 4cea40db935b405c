import { AutoGenError, ErrorCodes } from '../errors.js'
import type {
  Database,
  PoolStats,
  Queryable,
  QueryResult,
  SqlStatement,
  StatementListener,
} from './Database.js'

/** Options of {@link ReplicatedDatabase}. */
export interface ReplicatedDatabaseOptions {
  primary: Database
  /** Streaming replicas of `primary` (hot standbys), each its own pool. */
  replicas: readonly Database[]
  /** After a caller's write, their reads go to the primary for this long (read-your-writes), in ms. */
  readYourWritesMs: number
  /** A replica further behind the primary than this (replay lag) is skipped, in ms. */
  maxLagMs: number
  /** How often each replica's health and lag are checked, in ms (default 1000). */
  checkIntervalMs?: number
}

// Anything but a plain read goes to the primary: writes, locks, sequences, NOTIFY, advisory locks.
const NOT_READ_ONLY =
  /\b(insert|update|delete|merge|truncate|create|alter|drop|grant|revoke|copy|lock|notify|pg_notify|nextval|setval|pg_advisory\w*|set_config)\b|\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i

/** Whether a statement only reads (a SELECT or WITH … SELECT without writes or locks). */
export function isReadOnly(statement: SqlStatement): boolean {
  return /^\s*(select|with)\b/i.test(statement.text) && !NOT_READ_ONLY.test(statement.text)
}

const LAG_SQL = `select pg_is_in_recovery() as "standby",
  case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
       else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000, 0) end as "lagMs"`

/**
 * One {@link Database} over a primary and streaming replicas. Plain reads (see
 * {@link isReadOnly}) go to a healthy replica in turn; writes, transactions (so every read inside a
 * mutation), scripts and LISTEN go to the primary, and so do a caller's reads for
 * `readYourWritesMs` after their own write (through {@link ReplicatedDatabase.forCaller}). A replica
 * that fails a statement, or lags beyond `maxLagMs`, is skipped until a health check passes again,
 * and the statement it failed is retried on the primary, so a replica going away fails no request.
 */
export class ReplicatedDatabase implements Database {
  /** Always `'pg'`. */
  readonly kind = 'pg' as const
  readonly #options: ReplicatedDatabaseOptions
  readonly #healthy: boolean[]
  readonly #lastWrite = new Map<string, number>()
  readonly #timer: NodeJS.Timeout
  #next = 0

  constructor(options: ReplicatedDatabaseOptions) {
    this.#options = options
    // Unknown until the first check: reads go to the primary meanwhile.
    this.#healthy = options.replicas.map(() => false)
    void this.checkReplicas()
    this.#timer = setInterval(() => void this.checkReplicas(), options.checkIntervalMs ?? 1_000)
    this.#timer.unref()
  }

  /** Marks each replica healthy when it answers as a standby within `maxLagMs` of the primary. */
  async checkReplicas(): Promise<void> {
    await Promise.all(
      this.#options.replicas.map(async (replica, index) => {
        try {
          const { rows } = await replica.query<{ standby: boolean; lagMs: number | string }>({
            text: LAG_SQL,
            values: [],
          })
          const row = rows[0]
          this.#healthy[index] =
            row !== undefined && row.standby && Number(row.lagMs) <= this.#options.maxLagMs
        } catch {
          this.#healthy[index] = false
        }
      }),
    )
  }

  /** Indexes of the replicas reads may use now. */
  healthyReplicas(): number[] {
    return this.#healthy.flatMap((ok, index) => (ok ? [index] : []))
  }

  /** A view of this database for one caller (a caller key): their writes route their next reads to the primary. */
  forCaller(caller: string): Database {
    return new CallerView(this, caller)
  }

  /** Runs one statement: a read on a replica when it may, anything else on the primary. */
  query<Row = Record<string, unknown>>(statement: SqlStatement, caller?: string): Promise<QueryResult<Row>> {
    const { primary, replicas, readYourWritesMs } = this.#options
    if (!isReadOnly(statement)) {
      this.noteWrite(caller)
      return primary.query<Row>(statement)
    }
    const wrote = caller === undefined ? undefined : this.#lastWrite.get(caller)
    if (wrote !== undefined && Date.now() - wrote < readYourWritesMs) return primary.query<Row>(statement)
    const healthy = this.healthyReplicas()
    if (healthy.length === 0) return primary.query<Row>(statement)
    const index = healthy[this.#next++ % healthy.length]!
    return replicas[index]!.query<Row>(statement).catch((error: unknown) => {
      // Unavailable (or refusing, e.g. promoted or read-only trouble): skip it until it checks out.
      if (!(error instanceof AutoGenError) || error.code === ErrorCodes.SERVICE_UNAVAILABLE)
        this.#healthy[index] = false
      return primary.query<Row>(statement)
    })
  }

  /** Records a write by `caller` (reads follow it to the primary for `readYourWritesMs`). */
  noteWrite(caller: string | undefined): void {
    if (caller === undefined) return
    const now = Date.now()
    // Forget callers whose window has passed, so the map stays as small as the recent writers.
    for (const [key, at] of this.#lastWrite)
      if (now - at >= this.#options.readYourWritesMs) this.#lastWrite.delete(key)
    this.#lastWrite.set(caller, now)
  }

  /** Runs `work` in a transaction on the primary (reads inside a mutation see its writes). */
  async transaction<T>(work: (tx: Queryable) => Promise<T>, caller?: string): Promise<T> {
    this.noteWrite(caller)
    try {
      return await this.#options.primary.transaction(work)
    } finally {
      this.noteWrite(caller)
    }
  }

  /** Runs a script on the primary. */
  exec(sql: string): Promise<void> {
    return this.#options.primary.exec(sql)
  }

  /** LISTENs on the primary (NOTIFY is sent there). */
  listen(channel: string, onNotify: (payload: string) => void, onLost?: () => void) {
    const { primary } = this.#options
    if (!primary.listen) throw new Error('The primary database cannot LISTEN.')
    return primary.listen(channel, onNotify, onLost)
  }

  /** Subscribes to the statements sent to the primary and to every replica. */
  onStatement(listener: StatementListener): () => void {
    const { primary, replicas } = this.#options
    const stops = [primary, ...replicas].map((database) => database.onStatement(listener))
    return () => stops.forEach((stop) => stop())
  }

  /** The primary answers (replicas are optional for service). */
  ping(): Promise<boolean> {
    return this.#options.primary.ping()
  }

  /** The primary's pool. */
  poolStats(): PoolStats {
    return this.#options.primary.poolStats?.() ?? { total: 0, idle: 0, waiting: 0 }
  }

  /** Cancels the statements running on the primary's and every replica's pool. */
  async cancelRunning(): Promise<number> {
    const { primary, replicas } = this.#options
    const counts = await Promise.all([primary, ...replicas].map((d) => d.cancelRunning?.() ?? 0))
    return counts.reduce((a, b) => a + b, 0)
  }

  /** Closes every pool and stops the health checks. */
  async close(): Promise<void> {
    clearInterval(this.#timer)
    const { primary, replicas } = this.#options
    await Promise.all([primary, ...replicas].map((d) => d.close()))
  }
}

/** {@link ReplicatedDatabase} as one caller uses it: their writes and reads carry their key. */
class CallerView implements Database {
  readonly kind = 'pg' as const

  constructor(
    readonly replicated: ReplicatedDatabase,
    readonly caller: string,
  ) {}

  query<Row = Record<string, unknown>>(statement: SqlStatement): Promise<QueryResult<Row>> {
    return this.replicated.query<Row>(statement, this.caller)
  }
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.replicated.transaction(work, this.caller)
  }
  exec(sql: string): Promise<void> {
    this.replicated.noteWrite(this.caller)
    return this.replicated.exec(sql)
  }
  listen(channel: string, onNotify: (payload: string) => void, onLost?: () => void) {
    return this.replicated.listen(channel, onNotify, onLost)
  }
  onStatement(listener: StatementListener): () => void {
    return this.replicated.onStatement(listener)
  }
  ping(): Promise<boolean> {
    return this.replicated.ping()
  }
  poolStats(): PoolStats {
    return this.replicated.poolStats()
  }
  cancelRunning(): Promise<number> {
    return this.replicated.cancelRunning()
  }
  /** Nothing: a view of one request does not own the pools (the schema's database does). */
  async close(): Promise<void> {}
}
