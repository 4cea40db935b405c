import type { Database, Queryable, SqlStatement } from '../database/index.js'

/** Hears one statement: a query's statement, or the text `exec` runs. */
export type OperationStatementListener = (statement: SqlStatement | string) => void

/**
 * `database` as one operation sees it: every statement it sends (inside transactions too) calls
 * `onStatement` first, with the statement (the statement counter ignores it; the SQL debug
 * extension keeps it). A per-operation view, unlike `database.onStatement`, which also hears the
 * statements of concurrent requests.
 */
export function countingDatabase(database: Database, onStatement: OperationStatementListener): Database {
  return counting(database, onStatement, (target, key) => {
    if (key === 'exec') {
      return (sql: string) => {
        onStatement(sql)
        return target.exec(sql)
      }
    }
    if (key === 'transaction') {
      return <T>(work: (tx: Queryable) => Promise<T>) =>
        target.transaction((tx) => work(counting(tx, onStatement)))
    }
    return undefined
  })
}

/** `target` with `query` counted, `extra` overriding other members, and the rest passed through. */
function counting<T extends Queryable>(
  target: T,
  onStatement: OperationStatementListener,
  extra: (target: T, key: string | symbol) => unknown = () => undefined,
): T {
  return new Proxy(target, {
    get(object, key) {
      if (key === 'query') {
        return <Row = Record<string, unknown>>(statement: SqlStatement) => {
          onStatement(statement)
          return object.query<Row>(statement)
        }
      }
      const override = extra(object, key)
      if (override !== undefined) return override
      const value: unknown = Reflect.get(object, key, object)
      // Bound to the real object: its methods may use private fields, which a proxy receiver lacks.
      return typeof value === 'function' ? value.bind(object) : value
    },
  })
}
