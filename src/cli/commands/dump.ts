import { createWriteStream } from 'node:fs'
import { finished } from 'node:stream/promises'
import type { Command } from 'commander'
import { loadSchemaConfig } from '../loadSchema.js'
import { createDatabase } from '../../database/index.js'
import { readModels } from '../../models/index.js'
import { createProgress, dumpDatabase } from '../../transfer/index.js'
import { suggestion } from '../../didYouMean.js'

const HELP_AFTER = `
Output: NDJSON. Line 1 is a header (format, version, models in foreign-key order with row
counts and sequence states), then one {"model": …, "row": {…}} line per row (bigint and numeric
as strings, timestamps ISO 8601 in UTC, json as JSON), then an end marker. Rows are read in one
consistent snapshot through cursors, with constant memory. A progress bar is drawn on stderr
when it is a terminal.

Exit codes:
  0  dumped
  2  usage or runtime error (bad config, unknown model, database unreachable)
`

/** Registers `dump` on the program. */
export function registerDumpCommand(program: Command): void {
  program
    .command('dump')
    .description('Write every row of the models as NDJSON (stdout by default), parents first.')
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--models <names>', 'comma-separated model names (default: all, junction tables included)')
    .option('-o, --out <file>', 'write to FILE instead of stdout')
    .addHelpText('after', HELP_AFTER)
    .action(async (options: { config?: string; models?: string; out?: string }) => {
      process.exitCode = await runDump(options)
    })
}

async function runDump(options: { config?: string; models?: string; out?: string }): Promise<number> {
  const config = (await loadSchemaConfig(options)).schemaConfig.resolved
  const graph = readModels(config.models)
  const names = options.models
    ?.split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
  const unknown = names?.filter((n) => !graph.models.some((m) => m.name === n)) ?? []
  if (unknown.length > 0) {
    process.stderr.write(
      `error: unknown model(s) ${unknown.join(', ')}; the config has ${graph.models.map((m) => m.name).join(', ')}.${suggestion(
        unknown[0]!,
        graph.models.map((m) => m.name),
      )}\n`,
    )
    return 2
  }
  const database = createDatabase({ ...config.database, max: 1 })
  const out = options.out !== undefined ? createWriteStream(options.out) : process.stdout
  try {
    const rows = await dumpDatabase(database, graph, out, {
      ...(names ? { models: names } : {}),
      progress: (total) => createProgress('dump', total),
    })
    if (options.out !== undefined) {
      out.end()
      await finished(out)
      process.stderr.write(`Dumped ${rows} rows to ${options.out}.\n`)
    }
    return 0
  } finally {
    await database.close()
  }
}
