import { createReadStream, existsSync } from 'node:fs'
import { loadSchemaConfig } from '../loadSchema.js'
import { createDatabase } from '../../database/index.js'
import { readModels } from '../../models/index.js'
import { createProgress, loadDump, LoadError } from '../../transfer/index.js'
import { checkDatabase, problemLines } from '../checkDatabase.js'

/** `load`: loads an NDJSON dump in one transaction; returns the exit code. */
export async function runLoad(
  file: string,
  options: { config?: string; truncate?: boolean },
): Promise<number> {
  if (file !== '-' && !existsSync(file)) {
    process.stderr.write(`error: ${file} does not exist.\n`)
    return 2
  }
  const config = (await loadSchemaConfig(options)).schemaConfig.resolved
  const graph = readModels(config.models)
  const database = createDatabase({ ...config.database, max: 1 })
  try {
    // Refused before reading a row: a dump cannot go into tables that are missing or differ.
    const problems = await checkDatabase(database, graph, config.database.url)
    if (problems.length > 0) {
      process.stderr.write(`error: ${problemLines(problems).join('\n')}\n`)
      return 2
    }
    const loaded = await loadDump(database, graph, file === '-' ? process.stdin : createReadStream(file), {
      truncate: options.truncate === true,
      progress: (total) => createProgress('load', total),
    })
    const total = Object.values(loaded).reduce((a, b) => a + b, 0)
    process.stderr.write(
      `Loaded ${total} rows (${Object.entries(loaded)
        .map(([model, rows]) => `${model} ${rows}`)
        .join(', ')}).\n`,
    )
    return 0
  } catch (error) {
    const message = error instanceof LoadError ? error.message : missingTableMessage(error)
    if (message === undefined) throw error
    process.stderr.write(`error: ${message}\n`)
    return 2
  } finally {
    await database.close()
  }
}

/**
 * A load into a database whose tables were never created fails on the first insert with
 * PostgreSQL's undefined_table (42P01): one line saying what to do, instead of the driver's stack.
 */
function missingTableMessage(error: unknown): string | undefined {
  if ((error as { code?: unknown } | null)?.code !== '42P01') return undefined
  return `${(error as Error).message}: the database lacks the config's tables. Create them first (\`npm run db:push\`, or your migrations), then load again; nothing was loaded.`
}
