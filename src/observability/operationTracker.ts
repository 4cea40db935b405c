import { performance } from 'node:perf_hooks'
import { getOperationAST } from 'graphql'
import type { DocumentNode } from 'graphql'
import type { Plugin as YogaPlugin } from 'graphql-yoga'
import type { Logger } from 'pino'
import { withMaskedErrorLogger } from '../errors.js'
import { requestIdFor } from '../plugins/index.js'
import type { OperationLane, RequestContext } from '../plugins/index.js'
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

/** What is known about one operation while it runs. */
interface OperationRecord {
  start: number
  /** Came over HTTP (yoga's params hooks saw it): logged once its final result is known. */
  http: boolean
  finished: boolean
  name?: string
  type?: string
  valid: boolean
}

/**
 * The tracker's part in the direct lane: the same log line and metrics sample for an operation
 * the lane answered (always a success there: anything else is answered by graphql-yoga).
 */
export function operationLane(options: TrackerOptions): OperationLane {
  return {
    answered({ args, context, start, cost }) {
      const operation = getOperationAST(args.document, args.operationName)
      reportOperation(options, {
        requestId: context.requestId,
        name: operation?.name?.value,
        loggedName: operation?.name?.value ?? args.operationName?.slice(0, MAX_LOGGED_NAME),
        type: operation?.operation,
        valid: true,
        summary: {
          outcome: 'success',
          errorCodes: [],
          errorIds: [],
          ...(cost !== undefined ? { cost } : {}),
        },
        start,
        context,
      })
    },
  }
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

/**
 * The graphql-yoga plugin that follows each operation, over HTTP (queries, mutations, SSE
 * subscriptions) and WebSocket alike, and writes one log line and one metrics sample when it
 * ends. Internal errors masked while it executes are logged with the operation's request id.
 */
export function operationTracker(options: TrackerOptions): YogaPlugin<Record<string, unknown>> {
  const { logger, metrics } = options
  const records = new WeakMap<object, OperationRecord>()
  const recordOf = (context: object, http: boolean): OperationRecord => {
    let record = records.get(context)
    if (!record) {
      record = { start: performance.now(), http, finished: false, valid: false }
      records.set(context, record)
    }
    return record
  }
  // HTTP requests that carried at least one operation; the others that fail were refused whole.
  const withOperations = new WeakSet<Request>()

  const finish = (context: object, record: OperationRecord, result: unknown, request?: Request): void => {
    if (record.finished) return
    record.finished = true
    const state = context as Partial<RequestContext>
    reportOperation(options, {
      requestId: state.requestId || requestIdFor(request ?? state.request),
      name: record.name,
      loggedName: record.name ?? paramsName(context),
      type: record.type,
      valid: record.valid,
      summary: summarizeResult(result),
      start: record.start,
      context,
    })
  }

  const maskedLogger = (context: object) => (errorId: string, error: unknown) => {
    const requestId = (context as Partial<RequestContext>).requestId
    logger.error({ requestId, errorId, err: error }, 'internal error (masked for the client)')
  }

  return {
    onParams({ context, request }) {
      recordOf(context, true)
      withOperations.add(request)
    },
    onParse({ context }) {
      return ({ result }) => {
        if (!isDocument(result)) return
        const record = recordOf(context, false)
        const operation = getOperationAST(result, paramsName(context, Infinity))
        record.type = operation?.operation
        record.name = operation?.name?.value
      }
    },
    onValidate({ context }) {
      return ({ valid }) => {
        recordOf(context, false).valid = valid
      }
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as object
      const record = recordOf(context, false)
      setExecuteFn((executionArgs) =>
        withMaskedErrorLogger(maskedLogger(context), () => executeFn(executionArgs)),
      )
      return {
        onExecuteDone({ result }) {
          // HTTP operations are logged from onExecutionResult, after masking; sockets have no later hook.
          if (!record.http) finish(context, record, result)
        },
      }
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const context = args.contextValue as object
      const record = recordOf(context, false)
      setSubscribeFn((subscribeArgs) =>
        withMaskedErrorLogger(maskedLogger(context), () => subscribeFn(subscribeArgs)),
      )
      return {
        onSubscribeResult({ result }) {
          if (!record.http) finish(context, record, result)
          if (!metrics || !(Symbol.asyncIterator in result)) return
          metrics.subscriptionStarted()
          return { onEnd: () => metrics.subscriptionEnded() }
        },
      }
    },
    onExecutionResult({ result, context, request }) {
      finish(context, recordOf(context, true), result, request)
    },
    onResponse({ request, response }) {
      if (response.status < 400 || withOperations.has(request)) return
      if (new URL(request.url).pathname !== options.graphqlPath) return
      metrics?.recordRejectedRequest(response.status)
      logger.warn(
        { requestId: requestIdFor(request), method: request.method, status: response.status },
        'graphql request refused',
      )
    },
  }
}

/** The operation name the request asked for (bounded: it is client text). */
function paramsName(context: object, maxLength = MAX_LOGGED_NAME): string | undefined {
  const name = (context as { params?: { operationName?: unknown } }).params?.operationName
  return typeof name === 'string' ? name.slice(0, maxLength) : undefined
}

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Document'
}
