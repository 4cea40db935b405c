import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { ResolvedConfig } from '../config/index.js'
import type { Database } from '../database/index.js'
import { definePlugin } from '../plugins/index.js'
import type { Plugin, RequestContext } from '../plugins/index.js'
import { countingDatabase } from './countingDatabase.js'
import { createLogger, resolveLogLevel } from './createLogger.js'
import { serveMetrics } from './metricsRoute.js'
import { operationReporter, reportRefusedRequest, STATEMENTS_STATE } from './operationTracker.js'
import type { StatementCounter } from './operationTracker.js'
import { createServerMetrics } from './serverMetrics.js'
import type { ServerMetrics } from './serverMetrics.js'

/** Options of {@link createObservability}. */
export interface ObservabilityOptions {
  config: ResolvedConfig
  /** The server's database: its pool (when it reports one) is a metric. */
  database: Database
  /** Where log lines go; default: a pino logger on stdout at `server.logLevel`. */
  logger?: Logger
}

/** Logs and metrics of one server. */
export interface Observability {
  /** The built-in plugin: counts each operation's statements and adds the tracking yoga plugins. */
  readonly plugin: Plugin
  readonly logger: Logger
  /** Absent when `server.metrics` is off. */
  readonly metrics?: ServerMetrics
  /** Logs an internal error masked for the client, under its error id (and the request's id). */
  logMaskedError(errorId: string, error: unknown, requestId?: string): void
  /** Logs and counts a request refused before any operation ran. */
  requestRefused(request: Request, status: number): void
  /** Answers `GET <server.metricsPath>` (true when it did). */
  serveMetrics(path: string, req: IncomingMessage, res: ServerResponse): boolean
}

/**
 * Structured logs (pino, one line per operation: request id, operation name and type, cost, SQL
 * statements, duration, outcome and error codes) and Prometheus metrics (served at
 * `server.metricsPath`) for one server. Everything made here belongs to that server only.
 */
export function createObservability(options: ObservabilityOptions): Observability {
  const { config, database } = options
  const logger = options.logger ?? createLogger(resolveLogLevel(config.server.logLevel))
  const metrics = config.server.metrics ? createServerMetrics(() => database.poolStats?.()) : undefined
  const logMaskedError = (errorId: string, error: unknown, requestId?: string): void => {
    logger.error({ requestId, errorId, err: error }, 'internal error (masked for the client)')
  }
  const tracker = { logger, metrics, graphqlPath: config.server.graphqlPath }
  const plugin = definePlugin({
    name: 'graphql-auto-gen:observability',
    request(context: RequestContext) {
      const counter: StatementCounter = { count: 0 }
      context.state[STATEMENTS_STATE] = counter
      context.database = countingDatabase(context.database, () => {
        counter.count += 1
      })
    },
    server: () => ({ operation: operationReporter(tracker) }),
  })
  return {
    plugin,
    logger,
    ...(metrics ? { metrics } : {}),
    logMaskedError,
    requestRefused: (request, status) => reportRefusedRequest(tracker, request, status),
    serveMetrics: (path, req, res) =>
      metrics !== undefined && path === config.server.metricsPath && serveMetrics(metrics, req, res),
  }
}
