import { performance } from 'node:perf_hooks'
import type { Logger } from 'pino'
import { requestIdFor } from '../plugins/index.js'
import type { OperationHooks, PipelineOperation } from '../plugins/index.js'
import type { ServerMetrics } from './serverMetrics.js'
import { summarizeResult } from './summarizeResult.js'
import type { ResultSummary } from './summarizeResult.js'

/** Key in `context.state` of the statement counter the observability request hook installs. */
export const STATEMENTS_STATE = 'graphql-auto-gen:statements'

/** SQL statements one operation has sent so far. */
export interface StatementCounter {
  count: number
}

/** What {@link operationTracker} needs from its server. */
export interface TrackerOptions {
  logger: Logger
  metrics: ServerMetrics | undefined
  /** Requests to this path that run no operation and fail are logged and counted as refused. */
  graphqlPath: string
}

/**
 * The report step of every operation (HTTP, SSE and WebSocket alike, whichever route answered
 * it): one log line and one metrics sample once its answer is final, and the open-subscription
 * gauge while a subscription's stream lasts.
 */
export function operationReporter(options: TrackerOptions): OperationHooks {
  const { metrics } = options
  return {
    report(operation) {
      const { definition, result } = operation
      const name = definition?.name?.value
      reportOperation(options, operation, name, summarizeResult(result))
      if (metrics && result && Symbol.asyncIterator in result) metrics.subscriptionStarted()
    },
    ended(operation) {
      if (metrics && operation.result && Symbol.asyncIterator in operation.result) metrics.subscriptionEnded()
    },
  }
}

/** A request refused before any operation ran (body too large, malformed): logged and counted. */
export function reportRefusedRequest(options: TrackerOptions, request: Request, status: number): void {
  if (new URL(request.url).pathname !== options.graphqlPath) return
  options.metrics?.recordRejectedRequest(status)
  options.logger.warn(
    { requestId: requestIdFor(request), method: request.method, status },
    'graphql request refused',
  )
}

/**
 * Writes the operation's metrics sample and its one log line (warn unless it succeeded). `name`
 * is the operation's own name (a metrics label); the log falls back to the requested one.
 */
function reportOperation(
  { logger, metrics }: TrackerOptions,
  operation: PipelineOperation,
  name: string | undefined,
  summary: ResultSummary,
): void {
  const type = operation.definition?.operation
  const durationSeconds = (performance.now() - operation.start) / 1000
  const counter = operation.context.state[STATEMENTS_STATE] as StatementCounter | undefined
  const statements = counter?.count ?? 0
  metrics?.recordOperation({
    operationName: name,
    operationType: type,
    valid: operation.valid,
    outcome: summary.outcome,
    durationSeconds,
    statements,
    errorCodes: summary.errorCodes,
  })
  const level = summary.outcome === 'success' ? 'info' : 'warn'
  // Built only when written (a server at `warn` or quieter skips every successful operation's line).
  if (!logger.isLevelEnabled(level)) return
  const line: Record<string, unknown> = {
    requestId: operation.context.requestId,
    operationName: name ?? operation.operationName?.slice(0, MAX_LOGGED_NAME),
    operationType: type,
    cost: operation.cost ?? summary.cost,
    sqlStatements: statements,
    durationMs: Math.round(durationSeconds * 100_000) / 100,
    outcome: summary.outcome,
  }
  if (summary.errorCodes.length > 0) line['errorCodes'] = summary.errorCodes
  if (summary.errorIds.length > 0) line['errorIds'] = summary.errorIds
  logger[level](line, 'graphql operation')
}

/** Longest operation name a log line repeats from a request that did not parse. */
const MAX_LOGGED_NAME = 100
