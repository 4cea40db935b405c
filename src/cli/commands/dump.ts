import { createWriteStream } from 'node:fs'
import { finished } from 'node:stream/promises'
import { loadSchemaConfig } from '../loadSchema.js'
import { createDatabase } from '../../database/index.js'
import { readModels } from '../../models/index.js'
import { createProgress, dumpDatabase } from '../../transfer/index.js'
import { suggestion } from '../../didYouMean.js'

/** `dump`: writes the rows as NDJSON; returns the exit code. */
export async function runDump(options: { config?: string; models?: string; out?: string }): Promise<number> {
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
