import type { GraphQLSchema } from 'graphql'
import type { Logger } from 'pino'
import { formatSql } from '../compile/index.js'
import type { ResolvedConfig } from '../config/index.js'
import type { Database, SqlStatement } from '../database/index.js'
import { definePlugin } from '../plugins/index.js'
import type { PipelineOperation, Plugin } from '../plugins/index.js'
import { getSchemaRuntime } from '../schema/index.js'
import { countingDatabase } from './countingDatabase.js'
import { rootFieldRoutes } from './rootFieldRoutes.js'
import type { RootFieldRoute } from './rootFieldRoutes.js'

/** Name of the SQL debug plugin (and its key in `context.state`). */
export const SQL_DEBUG_PLUGIN = 'graphql-auto-gen:sql-debug'

/** The request header that adds PostgreSQL's plan (EXPLAIN, never ANALYZE) of each statement. */
export const SQL_DEBUG_HEADER = 'x-debug-sql'

/** One statement in `extensions.sql`. */
export interface DebugStatement {
  /** The text PostgreSQL received, one clause a line (formatSql). */
  sql: string
  /** The values bound to `$1`, `$2`, … (bigints as strings, bytes as `\x…` hex). */
  values: unknown[]
  /** PostgreSQL's plan (EXPLAIN) when the request asked with `x-debug-sql: explain`. */
  plan?: string[]
}

/** `extensions.sql` of one operation. */
export interface SqlDebugExtension {
  /** The route the operation ran on (null when nothing executed: refused, or answered from a cache). */
  route: RootFieldRoute['route'] | null
  reason: string | null
  /** Each root field's route, decided for that field alone (shows which field holds an operation on graphql-js). */
  fields: Record<string, RootFieldRoute>
  /** Every statement the operation sent, in order. */
  statements: DebugStatement[]
}

/**
 * With `server.debugSql`, the plugin that adds `extensions.sql` to every answer: the statements
 * the operation sent (heard where the statement counter hears them), their values, its route
 * and each root field's. Nothing when the key is off (no hook, no per-request work), and nothing
 * under NODE_ENV=production, with a warning: SQL never reaches clients in production.
 */
export function sqlDebugPlugins(config: ResolvedConfig, logger: Logger, env = process.env): Plugin[] {
  if (!config.server.debugSql) return []
  if (env['NODE_ENV'] === 'production') {
    logger.warn(
      'server.debugSql is ignored under NODE_ENV=production: SQL is never sent to clients in production',
    )
    return []
  }
  logger.warn('server.debugSql is on: every response carries the SQL it ran (extensions.sql)')
  return [
    definePlugin({
      name: SQL_DEBUG_PLUGIN,
      request(context) {
        const sent: Array<SqlStatement | string> = []
        context.state[SQL_DEBUG_PLUGIN] = sent
        context.database = countingDatabase(context.database, (statement) => void sent.push(statement))
      },
      server: ({ schema }) => ({ operation: { respond: (operation) => addSqlExtension(schema, operation) } }),
    }),
  ]
}

/** Merges `extensions.sql` into the result (a new object: a cached result is never changed). */
async function addSqlExtension(schema: GraphQLSchema, operation: PipelineOperation): Promise<void> {
  const result = operation.result
  const sent = operation.context.state[SQL_DEBUG_PLUGIN] as Array<SqlStatement | string> | undefined
  if (!result || Symbol.asyncIterator in result || !sent) return
  // Taken before anything below could add to it.
  const statements = sent.slice()
  const fields =
    operation.document && operation.valid
      ? await rootFieldRoutes({
          schema,
          document: operation.document,
          operationName: operation.operationName,
          variableValues: operation.variables,
          contextValue: operation.context,
        })
      : {}
  const explain = operation.context.request?.headers.get(SQL_DEBUG_HEADER)?.toLowerCase() === 'explain'
  // The schema's own database, not the request's: plans are not the operation's statements.
  const database = explain ? getSchemaRuntime(schema).database : undefined
  const sql: SqlDebugExtension = {
    route: operation.route?.route ?? null,
    reason: operation.route?.reason ?? null,
    fields,
    statements: await Promise.all(statements.map((statement) => describe(statement, database))),
  }
  // The spread keeps a compiled answer's raw `data` text and its stringify (rawResult.ts).
  operation.result = { ...result, extensions: { ...result.extensions, sql } }
}

async function describe(statement: SqlStatement | string, database?: Database): Promise<DebugStatement> {
  const { text, values } = typeof statement === 'string' ? { text: statement, values: [] } : statement
  const described: DebugStatement = { sql: formatSql(text), values: values.map(jsonValue) }
  // EXPLAIN without ANALYZE plans and never runs, so a write is not repeated.
  if (database && /^\s*(select|with|insert|update|delete)\b/i.test(text)) {
    try {
      const { rows } = await database.query<{ 'QUERY PLAN': string }>({
        text: `explain ${text}`,
        values,
      })
      described.plan = rows.map((row) => row['QUERY PLAN'])
    } catch (error) {
      described.plan = [`EXPLAIN failed: ${(error as Error).message}`]
    }
  }
  return described
}

/** A bound value as JSON can carry it. */
function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`
  if (Array.isArray(value)) return value.map(jsonValue)
  return value
}
