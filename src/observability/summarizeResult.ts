import { GraphQLError } from 'graphql'
import type { ExecutionResult } from 'graphql'
import { AutoGenError, ErrorCodes } from '../errors.js'

/** How an operation ended: no errors, data with errors, or errors only. */
export type Outcome = 'success' | 'partial' | 'error'

/** What the logs and metrics say about one operation's result. */
export interface ResultSummary {
  outcome: Outcome
  /** The code of each error, as the client sees it (in order, repeats kept). */
  errorCodes: string[]
  /** `errorId`s of masked internal errors, to find their logged details. */
  errorIds: string[]
  /** `extensions.cost.requestedQueryCost`, when cost analysis ran. */
  cost?: number
}

/** The summary of every result without errors or cost (shared: frozen, so no caller can change it). */
const SUCCESS: ResultSummary = Object.freeze({
  outcome: 'success',
  errorCodes: Object.freeze([]) as unknown as string[],
  errorIds: Object.freeze([]) as unknown as string[],
})

/** Summarizes an operation's result; a stream (subscription) that started counts as a success. */
export function summarizeResult(result: unknown): ResultSummary {
  if (!isExecutionResult(result)) return SUCCESS
  // The usual answer: nothing to collect, nothing to allocate.
  if (!result.errors?.length && result.extensions?.['cost'] === undefined) return SUCCESS
  const errors = result.errors ?? []
  const errorCodes = errors.map(clientCode)
  const errorIds = errors.flatMap((error) => {
    const id = extensionsOf(error)['errorId']
    return typeof id === 'string' ? [id] : []
  })
  const outcome: Outcome =
    errors.length === 0 ? 'success' : result.data !== undefined && result.data !== null ? 'partial' : 'error'
  // The limits plugin leaves the cost on the result for later hooks (and strips it from responses).
  const cost = result.extensions?.['cost'] as { requestedQueryCost?: unknown } | undefined
  return {
    outcome,
    errorCodes,
    errorIds,
    ...(typeof cost?.requestedQueryCost === 'number' ? { cost: cost.requestedQueryCost } : {}),
  }
}

/**
 * The code a client sees for `error`, whether or not it was masked yet: its own code, else that
 * of the catalogue error it wraps; graphql-js's own errors (variable coercion) become
 * BAD_USER_INPUT as the limits plugin labels them; anything else will be masked as an internal error.
 */
function clientCode(error: unknown): string {
  const code = extensionsOf(error)['code']
  if (typeof code === 'string') return code
  let cause: unknown = error instanceof GraphQLError ? (error.originalError ?? error) : error
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError
  if (cause instanceof AutoGenError) return cause.code
  if (cause instanceof GraphQLError) {
    const inner = cause.extensions['code']
    return typeof inner === 'string' ? inner : ErrorCodes.BAD_USER_INPUT
  }
  return ErrorCodes.INTERNAL_SERVER_ERROR
}

function extensionsOf(error: unknown): Record<string, unknown> {
  const extensions = (error as { extensions?: unknown } | null)?.extensions
  return typeof extensions === 'object' && extensions !== null ? (extensions as Record<string, unknown>) : {}
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return typeof value === 'object' && value !== null && !(Symbol.asyncIterator in value)
}
