import { performance } from 'node:perf_hooks'
import type { Logger } from 'pino'
import { requestIdFor } from '../plugins/index.js'
import type { OperationHooks, RequestContext } from '../plugins/index.js'
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
      const { definition, context, result } = operation
      const name = definition?.name?.value
      const summary = summarizeResult(result)
      reportOperation(options, {
        requestId: context.requestId,
        name,
        loggedName: name ?? operation.operationName?.slice(0, MAX_LOGGED_NAME),
        type: definition?.operation,
        valid: operation.valid,
        summary: operation.cost !== undefined ? { ...summary, cost: operation.cost } : summary,
        start: operation.start,
        context,
      })
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

/** What one finished operation reports, whichever path answered it. */
interface OperationReport {
  requestId: string
  /** The operation's own name (a metrics label); `loggedName` may fall back to the requested one. */
  name: string | undefined
  loggedName: string | undefined
  type: string | undefined
  valid: boolean
  summary: ResultSummary
  /** `performance.now()` when the operation started. */
  start: number
  context: object
}

/** Writes the operation's metrics sample and its one log line (warn unless it succeeded). */
function reportOperation({ logger, metrics }: TrackerOptions, report: OperationReport): void {
  const { summary, name, type } = report
  const durationSeconds = (performance.now() - report.start) / 1000
  const state = (report.context as Partial<RequestContext>).state
  const statements = (state?.[STATEMENTS_STATE] as StatementCounter | undefined)?.count ?? 0
  metrics?.recordOperation({
    ...(name !== undefined ? { operationName: name } : {}),
    ...(type !== undefined ? { operationType: type } : {}),
    valid: report.valid,
    outcome: summary.outcome,
    durationSeconds,
    statements,
    errorCodes: summary.errorCodes,
  })
  const line = {
    requestId: report.requestId,
    operationName: report.loggedName,
    operationType: type,
    cost: summary.cost,
    sqlStatements: statements,
    durationMs: Math.round(durationSeconds * 100_000) / 100,
    outcome: summary.outcome,
    ...(summary.errorCodes.length > 0 ? { errorCodes: summary.errorCodes } : {}),
    ...(summary.errorIds.length > 0 ? { errorIds: summary.errorIds } : {}),
  }
  if (summary.outcome === 'success') logger.info(line, 'graphql operation')
  else logger.warn(line, 'graphql operation')
}

/** Longest operation name a log line repeats from a request that did not parse. */
const MAX_LOGGED_NAME = 100
