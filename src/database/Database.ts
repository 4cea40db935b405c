/** One SQL statement as the compiler hands it to a database: text with $n placeholders and values. */
export interface SqlStatement {
  /** SQL text with `$1`, `$2`, … placeholders; never contains user values. */
  text: string
  /** Values bound to the placeholders, in order. */
  values: readonly unknown[]
  /**
   * Prepared statement name: a PostgreSQL server parses and plans it once per connection, then
   * only binds values (PGlite ignores it). One name must always carry the same text.
   */
  name?: string
  /**
   * Plan every execution for its own values (sent unnamed): its values are filter values, for
   * which PostgreSQL's generic plan of a prepared statement can be far slower.
   */
  customPlan?: boolean
}

/** Rows returned by a statement, as plain objects keyed by column name. */
export interface QueryResult<Row = Record<string, unknown>> {
  rows: Row[]
  /** Rows affected, for INSERT/UPDATE/DELETE. */
  rowCount: number
}

/** A snapshot of a connection pool. */
export interface PoolStats {
  /** Open connections, busy or idle. */
  total: number
  /** Open connections waiting for work. */
  idle: number
  /** Callers waiting for a connection. */
  waiting: number
}

/** Called once for every statement sent to the database (used for statement counts and logs). */
export type StatementListener = (statement: SqlStatement) => void

/** The operations shared by a database and a transaction on it. */
export interface Queryable {
  /** Runs one statement. */
  query<Row = Record<string, unknown>>(statement: SqlStatement): Promise<QueryResult<Row>>
}

/**
 * The one interface every stage uses to reach PostgreSQL, whether embedded (PGlite) or a server
 * (`pg`). Both speak the same SQL dialect, so the compiler emits one SQL for both.
 */
export interface Database extends Queryable {
  /** `'pglite'` or `'pg'`: for logs and doctor output, never for SQL decisions. */
  readonly kind: 'pglite' | 'pg'
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  /** Runs a script of several statements without parameters (DDL, seeds). */
  exec(sql: string): Promise<void>
  /**
   * LISTENs to a NOTIFY channel (on a dedicated connection for a server; in-process for PGlite)
   * until the returned function is called. Notifications arrive only after their transaction commits.
   * `onLost` runs when the listening connection drops (notifications sent meanwhile are lost).
   */
  listen?(
    channel: string,
    onNotify: (payload: string) => void,
    onLost?: () => void,
  ): Promise<() => Promise<void>>
  /** Subscribes to every statement sent; returns the unsubscribe function. */
  onStatement(listener: StatementListener): () => void
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>
  /** Connections of the pool, for metrics; absent where there is no pool (PGlite). Read-only. */
  poolStats?(): PoolStats
  /**
   * Cancels the statements running on this database's own connections (`pg_cancel_backend`), so a
   * shutdown past its deadline need not wait for them; resolves with how many were running.
   * Absent where statements cannot be cancelled from outside (PGlite).
   */
  cancelRunning?(): Promise<number>
  /** Releases connections; the database cannot be used afterwards. */
  close(): Promise<void>
}
