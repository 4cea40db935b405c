import type { Database, Queryable, SqlStatement } from '../database/index.js'

/**
 * A view of `database` that reports the text of every statement sent through it, transactions
 * included, to `onStatement`. One per request: the response cache learns which tables an
 * operation read or wrote without the compiler or the mutations knowing about it.
 */
export function recordingDatabase(database: Database, onStatement: (text: string) => void): Database {
  const record =
    <T extends Queryable>(queryable: T): Queryable['query'] =>
    (statement: SqlStatement) => {
      onStatement(statement.text)
      return queryable.query(statement)
    }
  return {
    kind: database.kind,
    query: record(database) as Database['query'],
    transaction: (work) => database.transaction((tx) => work({ query: record(tx) as Queryable['query'] })),
    exec: async (sql) => {
      onStatement(sql)
      await database.exec(sql)
    },
    ...(database.listen ? { listen: database.listen.bind(database) } : {}),
    onStatement: (listener) => database.onStatement(listener),
    ping: () => database.ping(),
    close: () => database.close(),
  }
}
