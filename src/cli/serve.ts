import { createServer as createNetServer } from 'node:net'
import type { GraphQLSchema } from 'graphql'
import type { ResolvedConfig } from '../schema/index.js'
import type { Database } from '../database/index.js'
import { configHash, recordSchema } from '../registry/index.js'
import { SchemaBuilder, getSchemaRuntime } from '../schema/index.js'
import { createServer, stoppedMessage } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { checkDatabase, databaseReadiness, problemLines } from './checkDatabase.js'
import type { DatabaseProblem } from './checkDatabase.js'
import { loadSchemaConfig, prepareExample } from './loadSchema.js'
import { deprecatedOptions, tablesWithoutPrimaryKey, unindexedForeignKeys } from './diagnose.js'
import { colourEnabled, createStyles, startSpinner } from './terminal.js'
import { UsageError } from './UsageError.js'
import { CommandFailure } from './commandOutput.js'
import { stopWhenOrphaned } from './stopWhenOrphaned.js'
import { readableLogDestination, readableLogs } from './readableLog.js'
import { createLogger, resolveLogLevel } from '../observability/index.js'

export { UsageError } from './UsageError.js'

/** Options of `graphql-auto-gen serve`. */
export interface ServeOptions {
  config?: string
  example?: string
  port?: string
  host?: string
}

/**
 * `serve`: loads the config (or a bundled example, seeding its database when empty), builds the
 * schema and starts the HTTP server; SIGTERM/SIGINT shut it down cleanly.
 */
export async function serve(
  options: ServeOptions,
  log: (line: string) => void = console.log,
): Promise<AutoGenServer> {
  const { schemaConfig, example } = await loadSchemaConfig(options)
  const config = schemaConfig.resolved
  const port = parsePort(options.port ?? process.env['PORT'], config)
  const host = options.host ?? config.server.host
  // Before the schema and the example's seeding (seconds): a taken port is reported at once.
  await listen(probeServer(), port, host)
  // Async, so plugins with an async processSchema or setup work from the CLI too.
  const schema = await new SchemaBuilder(schemaConfig).buildAsync()
  const { database, graph } = getSchemaRuntime(schema)
  if (example) {
    const spinner = startSpinner('Preparing the example database (creating and seeding tables on first run)…')
    try {
      log(await prepareExample(example, database))
    } finally {
      spinner.stop()
    }
  }
  // Before anything says "serving": the database answers and has every model's table and column.
  const check = (): Promise<DatabaseProblem[]> => checkDatabase(database, graph, config.database.url)
  const problems = await check()
  if (problems.length > 0) for (const line of problemLines(problems)) log(line)
  if (problems[0]?.kind !== 'database-unreachable') log(await recordSchemaVersion(database, schema, config))
  const server = createServer({
    schema,
    readiness: databaseReadiness(check, problems),
    ...(example ? { defaultQuery: example.defaultQuery } : {}),
    ...(readableLogs(process.stdout)
      ? {
          logger: createLogger(
            resolveLogLevel(config.server.logLevel),
            readableLogDestination(process.stdout, colourEnabled()),
          ),
        }
      : {}),
  })
  const url = await listen(server, port, host)
  let stopping = false
  const stop = (reason: string): void => {
    if (stopping) return
    stopping = true
    log(`${reason}, shutting down…`)
    // close() stops accepting, waits for in-flight requests (up to server.shutdownTimeoutMs, where
    // the rest are cut and their statements cancelled) and closes sockets, brokers and the pool.
    void server.close().then(
      (report) => {
        // Says how many requests were cut at the deadline, never that they finished.
        log(stoppedMessage(report, config.server.shutdownTimeoutMs))
        process.exit(0)
      },
      (error: unknown) => {
        console.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`)
        process.exit(1)
      },
    )
  }
  // Before the banner: whoever waits for it may signal at once, and with no listener yet the
  // signal would kill the process without closing the database.
  process.once('SIGTERM', () => stop('Received SIGTERM'))
  process.once('SIGINT', () => stop('Received SIGINT'))
  stopWhenOrphaned(() => stop('The npm script that started the server has ended'))
  for (const line of banner(schema, url, colourEnabled(), problems)) log(line)
  return server
}

/**
 * What `serve` prints once listening: the models, the URLs and warnings (deprecated options,
 * foreign keys without an index), coloured only when stdout is a terminal (or FORCE_COLOR).
 */
export function banner(
  schema: GraphQLSchema,
  url: string,
  colour = colourEnabled(),
  problems: readonly DatabaseProblem[] = [],
): string[] {
  const style = createStyles(colour)
  const { config, database, graph, names } = getSchemaRuntime(schema)
  const models = [...names.models.values()].map((m) => m.typeName)
  const origin = url.slice(0, url.length - config.server.graphqlPath.length)
  const on = database.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'
  const lines = [
    problems.length === 0
      ? `${style.bold('graphql-auto-gen')} is serving ${models.length} models on ${on}`
      : `${style.bold('graphql-auto-gen')} is listening but ${style.yellow('NOT READY')} (/ready answers 503 until the database problems above are fixed): ${models.length} models on ${on}`,
    `  ${style.dim('Models:')} ${models.join(', ')}`,
    `  GraphQL + GraphiQL: ${style.cyan(url)}${config.server.graphiql ? style.dim('  (open it in a browser for GraphiQL)') : style.dim('  (GraphiQL off: server.graphiql is false)')}`,
    `  ${style.dim('Health:')} ${origin}/health   ${style.dim('Ready:')} ${origin}/ready`,
  ]
  const warnings = [
    ...deprecatedOptions(config),
    ...unindexedForeignKeys(graph),
    ...tablesWithoutPrimaryKey(graph),
  ]
  if (warnings.length > 0) {
    lines.push(
      style.yellow(
        `${warnings.length} warning${warnings.length === 1 ? '' : 's'} (details: graphql-auto-gen doctor):`,
      ),
    )
    for (const warning of warnings) lines.push(`  ${style.yellow('!')} ${warning.where}: ${warning.message}`)
  }
  lines.push(style.dim('Press Ctrl+C to stop.'))
  return lines
}

/** Records the schema in the registry; a database that is away must not stop the server (/ready tells). */
async function recordSchemaVersion(
  database: Database,
  schema: GraphQLSchema,
  config: ResolvedConfig,
): Promise<string> {
  try {
    const recorded = await recordSchema(database, schema, configHash(config))
    return recorded.changed
      ? `Schema registry: recorded version ${recorded.version} (the schema changed).`
      : `Schema registry: schema unchanged since version ${recorded.version}.`
  } catch (error) {
    return `Schema registry: could not record the schema: ${(error as Error).message}`
  }
}

/** What {@link listen} needs of a server: AutoGenServer's listen, and a close to release it. */
interface Listener {
  listen(port: number, host: string): Promise<string>
  close(): Promise<unknown>
}

/** A bare TCP server with the listen/close pair of AutoGenServer, to see whether a port is free. */
function probeServer(): Listener {
  const probe = createNetServer()
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        probe.once('error', reject)
        probe.listen(port, host, () => resolve(''))
      }).then(() => new Promise<string>((resolve) => probe.close(() => resolve('')))),
    close: () => new Promise<void>((resolve) => probe.close(() => resolve())),
  }
}

/** Starts listening; a port that is taken or forbidden is one line naming the fix, not a stack trace. */
async function listen(server: Listener, port: number, host: string): Promise<string> {
  try {
    return await server.listen(port, host)
  } catch (error) {
    // Nothing is served: release the database (and whatever else started) so the process can exit.
    await server.close().catch(() => undefined)
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      throw new CommandFailure(
        `Port ${port} on ${host} is already in use (another server is running there): stop it, or choose another port with --port or PORT.`,
      )
    if (code === 'EACCES')
      throw new CommandFailure(
        `Port ${port} on ${host} is not allowed for this user: choose a port above 1023 with --port or PORT.`,
      )
    throw error
  }
}

function parsePort(value: string | undefined, config: ResolvedConfig): number {
  if (value === undefined || value === '') return config.server.port
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`Invalid port "${value}": expected an integer from 0 to 65535.`)
  }
  return port
}
