import type {
  Database,
  PoolStats,
  Queryable,
  QueryResult,
  SqlStatement,
  StatementListener,
} from '../database/index.js'

/** Hears one statement: a query's statement, or the text `exec` runs. */
export type OperationStatementListener = (statement: SqlStatement | string) => void

/**
 * `database` as one operation sees it: every statement it sends (inside transactions too) calls
 * `onStatement` first, with the statement (the statement counter ignores it; the SQL debug
 * extension keeps it). A per-operation view, unlike `database.onStatement`, which also hears the
 * statements of concurrent requests. One small object per request: its methods live on the class
 * (no proxy trap or closure per request or per statement).
 */
export function countingDatabase(database: Database, onStatement: OperationStatementListener): Database {
  return new CountingDatabase(database, onStatement)
}

/** A database whose statements are heard first (see {@link countingDatabase}). */
class CountingDatabase implements Database {
  constructor(
    private readonly target: Database,
    private readonly heard: OperationStatementListener,
  ) {}

  get kind(): Database['kind'] {
    return this.target.kind
  }

  query<Row = Record<string, unknown>>(statement: SqlStatement): Promise<QueryResult<Row>> {
    this.heard(statement)
    return this.target.query<Row>(statement)
  }

  exec(sql: string): Promise<void> {
    this.heard(sql)
    return this.target.exec(sql)
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.target.transaction((tx) => work(new CountingQueryable(tx, this.heard)))
  }

  onStatement(listener: StatementListener): () => void {
    return this.target.onStatement(listener)
  }

  ping(): Promise<boolean> {
    return this.target.ping()
  }

  close(): Promise<void> {
    return this.target.close()
  }

  // Optional members: present exactly when the database has them.
  get listen(): Database['listen'] {
    return this.target.listen?.bind(this.target)
  }

  get poolStats(): (() => PoolStats) | undefined {
    return this.target.poolStats?.bind(this.target)
  }

  get cancelRunning(): Database['cancelRunning'] {
    return this.target.cancelRunning?.bind(this.target)
  }
}

/** A transaction whose statements are heard first. */
class CountingQueryable implements Queryable {
  constructor(
    private readonly target: Queryable,
    private readonly heard: OperationStatementListener,
  ) {}

  query<Row = Record<string, unknown>>(statement: SqlStatement): Promise<QueryResult<Row>> {
    this.heard(statement)
    return this.target.query<Row>(statement)
  }
}
