import { randomUUID } from 'node:crypto'
import { GraphQLError } from 'graphql'

/**
 * The one catalogue of error codes a client can see. Every error that leaves the API carries
 * one of these in `extensions.code`; docs/errors.md lists them and a test keeps the two equal.
 */
export const ErrorCodes = {
  /** No or invalid credentials where they are required. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller is known but may not do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** Arguments or variables the server cannot act on (bad cursor, bad id, bad page size). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A referenced object does not exist (or is invisible to the caller). */
  NOT_FOUND: 'NOT_FOUND',
  /** The caller spent their budget. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The operation costs more than the configured maximum. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The request breaks a structural limit (depth, aliases, tokens, size, batch, page size); `extensions.limit` names it. */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** The document is not valid GraphQL syntax (graphql-yoga's code, kept as clients know it). */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The document does not validate against the schema (graphql-yoga's code, kept as clients know it). */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** The HTTP request itself is malformed (bad JSON, bad params, wrong method). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The server cannot take the request now (database away, pool exhausted). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Anything unexpected; the details are logged under the error id, never sent. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The response had more errors than `limits.maxResponseErrors`; `extensions.omitted` counts the rest. */
  TOO_MANY_ERRORS: 'TOO_MANY_ERRORS',
  /** Configuration rejected at build time (never reaches a client at request time). */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** Models that cannot be turned into a schema (no primary key, unsupported shape). */
  MODEL_INVALID: 'MODEL_INVALID',
  /** Two parts of the schema want the same GraphQL name. */
  NAME_COLLISION: 'NAME_COLLISION',
  /** Mutation payload: a required field is missing, or null where the column forbids null. */
  REQUIRED: 'REQUIRED',
  /** Mutation payload: a text is longer than its column allows. */
  TOO_LONG: 'TOO_LONG',
  /** Mutation payload: a value its column cannot hold (range, digits, decimal places, date, NUL byte). */
  INVALID_VALUE: 'INVALID_VALUE',
  /** Mutation payload: the value (or combination) is already used by another row of a unique key. */
  UNIQUE: 'UNIQUE',
  /** Mutation payload: a global id that is malformed or names another type than the field expects. */
  INVALID_ID: 'INVALID_ID',
  /** Mutation payload: a referenced row (to-one or many-to-many id) does not exist or is deleted. */
  INVALID_REFERENCE: 'INVALID_REFERENCE',
  /** Mutation payload: the row cannot be deleted while other rows still reference it. */
  PROTECTED: 'PROTECTED',
  /** Mutation payload: a check constraint of the table refused the row. */
  CONSTRAINT_VIOLATION: 'CONSTRAINT_VIOLATION',
  /** Mutation payload: a bulk call got more inputs than `mutations.maxBulkSize`. */
  TOO_MANY_ITEMS: 'TOO_MANY_ITEMS',
  /** Mutation payload: bulk update/delete without a filter and without `all: true`. */
  FILTER_REQUIRED: 'FILTER_REQUIRED',
  /** Mutation payload: a lifecycle hook (plugin `beforeMutation`/`afterMutation`) stopped the write. */
  ABORTED: 'ABORTED',
} as const

/** One code from {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

/** An error from the catalogue: safe to show to a client as it is. */
export class AutoGenError extends Error {
  /** The catalogue code. */
  readonly code: ErrorCode
  /** Extra, client-safe details placed in `extensions`. */
  readonly details: Record<string, unknown>

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.name = 'AutoGenError'
    this.code = code
    this.details = details
  }
}

/**
 * The errors of one response, at most `max` of them plus one TOO_MANY_ERRORS error counting the
 * rest: a small document must not buy a large response (hundreds of validation errors).
 */
export function capErrors(errors: readonly GraphQLError[], max: number): GraphQLError[] {
  if (errors.length <= max) return [...errors]
  const omitted = errors.length - max
  const summary = new GraphQLError(
    `${omitted} more error${omitted === 1 ? ' was' : 's were'} left out of this response.`,
    {
      extensions: { code: ErrorCodes.TOO_MANY_ERRORS, omitted, max },
    },
  )
  return [...errors.slice(0, max), summary]
}

/** Build-time configuration error; `path` names the key that was wrong. */
export class ConfigError extends AutoGenError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCodes.CONFIG_INVALID, message, details)
    this.name = 'ConfigError'
  }
}

/** Shorthand for the most common request error. */
export function badUserInput(message: string, details: Record<string, unknown> = {}): AutoGenError {
  return new AutoGenError(ErrorCodes.BAD_USER_INPUT, message, details)
}

/** Receives errors that were masked, so operators can find them by id. */
export type MaskedErrorLogger = (errorId: string, error: unknown) => void

/** A server's log of masked errors: the error id, the error and the id of the request it served. */
export type RequestErrorLogger = (errorId: string, error: unknown, requestId?: string) => void

let maskedErrorLogger: MaskedErrorLogger = (errorId, error) => {
  console.error(`[graphql-auto-gen] internal error ${errorId}:`, error)
}

/** Replaces where masked internal errors are logged when no server's context says otherwise. */
export function setMaskedErrorLogger(logger: MaskedErrorLogger): void {
  maskedErrorLogger = logger
}

// A symbol, not a RequestContext field: plugins and resolvers never see it in the context's keys.
const CONTEXT_ERROR_LOGGER = Symbol('graphql-auto-gen:maskedErrorLogger')

/**
 * Where {@link toClientError} logs a masked error: a logger, or a GraphQL context a server set
 * one on (anything else: the process-wide logger).
 */
export type MaskedErrorScope = unknown

/**
 * Makes the errors masked while serving `context` (a GraphQL context whose resolvers pass it to
 * {@link toClientError}) go to `log`, with the context's `requestId`. Passed explicitly instead of
 * an AsyncLocalStorage: an active one runs async hooks on every promise of the process.
 */
export function setContextErrorLogger(context: object, log: RequestErrorLogger): void {
  ;(context as Record<symbol, unknown>)[CONTEXT_ERROR_LOGGER] = log
}

/** The logger of a scope: a logger itself, a context a server set one on, else the process-wide one. */
function loggerOf(scope: MaskedErrorScope): MaskedErrorLogger {
  if (typeof scope === 'function') return scope as MaskedErrorLogger
  const log =
    typeof scope === 'object' && scope !== null
      ? (scope as Record<symbol, unknown>)[CONTEXT_ERROR_LOGGER]
      : undefined
  if (typeof log !== 'function') return maskedErrorLogger
  const requestId = (scope as { requestId?: unknown }).requestId
  return (errorId, error) =>
    (log as RequestErrorLogger)(errorId, error, typeof requestId === 'string' ? requestId : undefined)
}

/**
 * Turns any thrown value into a GraphQLError a client may see: catalogue errors pass with their
 * code and position; errors graphql-js made itself (syntax, validation, coercion) pass as they
 * are; anything else is logged under a fresh id and replaced by INTERNAL_SERVER_ERROR, so no
 * stack, SQL text or driver message leaves the server. `scope` says where that log goes: a
 * logger, or the GraphQL context of the request (see {@link setContextErrorLogger}).
 */
export function toClientError(error: unknown, scope?: MaskedErrorScope): GraphQLError {
  const located = error instanceof GraphQLError ? error : undefined
  let cause: unknown = located?.originalError ?? error
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError
  const position = located
    ? { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path }
    : {}
  if (cause instanceof AutoGenError) {
    return new GraphQLError(cause.message, {
      ...position,
      extensions: { code: cause.code, ...cause.details },
    })
  }
  if (cause instanceof GraphQLError) {
    // graphql-js wraps its own errors with context (e.g. `Variable "$n" got invalid value …`):
    // keep the outermost message, which says the most.
    return new GraphQLError((located ?? cause).message, { ...position, extensions: cause.extensions })
  }
  const errorId = randomUUID()
  loggerOf(scope)(errorId, cause)
  return new GraphQLError(`Unexpected error (id ${errorId}).`, {
    ...position,
    extensions: { code: ErrorCodes.INTERNAL_SERVER_ERROR, errorId },
  })
}
