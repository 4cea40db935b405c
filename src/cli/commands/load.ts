import { createReadStream, existsSync } from 'node:fs'
import type { Command } from 'commander'
import { loadSchemaConfig } from '../loadSchema.js'
import { createDatabase } from '../../database/index.js'
import { readModels } from '../../models/index.js'
import { createProgress, loadDump, LoadError } from '../../transfer/index.js'
import { checkDatabase, problemLines } from '../checkDatabase.js'

const HELP_AFTER = `
Reads a file written by \`graphql-auto-gen dump\` (use - for stdin) and inserts it in ONE
transaction: batched multi-row inserts in the dump's foreign-key order, self references set once
all rows are in, serial/identity sequences restored. Tables that already hold rows are refused
unless --truncate. A progress bar is drawn on stderr when it is a terminal.

Exit codes:
  0  loaded
  2  usage or runtime error (bad dump, non-empty tables without --truncate, database error,
     a database that cannot be reached or lacks a model's table or column); nothing is loaded then
`

/** Registers `load` on the program. */
export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description('Load an NDJSON dump into the configured database in one transaction.')
    .argument('<file>', 'dump file written by `dump` (- for stdin)')
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--truncate', 'empty the dump’s tables first instead of refusing non-empty ones')
    .addHelpText('after', HELP_AFTER)
    .action(async (file: string, options: { config?: string; truncate?: boolean }) => {
      process.exitCode = await runLoad(file, options)
    })
}

async function runLoad(file: string, options: { config?: string; truncate?: boolean }): Promise<number> {
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
