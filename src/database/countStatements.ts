import type { Database, SqlStatement } from './Database.js'

/**
 * Runs `work` and reports every statement `database` sent meanwhile. Statements from unrelated
 * concurrent work on the same database are counted too, so measure in isolation.
 */
export async function countStatements<T>(
  database: Database,
  work: () => Promise<T>,
): Promise<{ result: T; count: number; statements: SqlStatement[] }> {
  const statements: SqlStatement[] = []
  const unsubscribe = database.onStatement((statement) => {
    statements.push(statement)
  })
  try {
    const result = await work()
    return { result, count: statements.length, statements }
  } finally {
    unsubscribe()
  }
}
