import { AutoGenError, ErrorCodes } from '../errors.js'

/** Why the database could not serve a statement (`extensions.reason` of SERVICE_UNAVAILABLE). */
export type UnavailableReason = 'databaseUnavailable' | 'poolExhausted' | 'statementTimeout'

const MESSAGES: Record<UnavailableReason, string> = {
  databaseUnavailable: 'The database is unavailable; retry shortly.',
  poolExhausted: 'Every database connection is busy; retry shortly.',
  statementTimeout:
    'The database did not answer within the statement timeout; retry or simplify the request.',
}

// Socket-level failures (Node error codes): the server is down, restarting or unreachable.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

// pg reports a lost or never-made connection with plain Errors; their messages are its only mark.
const POOL_TIMEOUT = /^timeout exceeded when trying to connect$/
const CONNECTION_LOST =
  /^(Connection terminated|Connection terminated unexpectedly|Connection terminated due to connection timeout|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end on the pool)$/

/**
 * The SERVICE_UNAVAILABLE error a driver error stands for, or undefined when it is not about
 * availability (constraint violations and the like pass unchanged, for the mutations stage to map).
 * SQLSTATE 57014 (statement timeout), 57P01–57P03 (shutdown, crash, starting up), class 08
 * (connection exception) and 53300 (too many connections) count, as do socket errors and pg's own
 * "connection terminated" and pool timeout errors. The driver's message never reaches the client.
 */
export function unavailableError(error: unknown): AutoGenError | undefined {
  if (error instanceof AutoGenError) return error.code === ErrorCodes.SERVICE_UNAVAILABLE ? error : undefined
  const reason = reasonOf(error)
  if (reason === undefined) return undefined
  const unavailable = new AutoGenError(ErrorCodes.SERVICE_UNAVAILABLE, MESSAGES[reason], { reason })
  // The driver's error stays behind as the cause (never sent to clients): statementMayHaveRun reads it.
  unavailable.cause = error
  return unavailable
}

// Failures of making a connection, before any statement was sent: refused, unknown host, server
// starting or shutting down (57P03), too many connections (53300), rejected login (class 28,
// 3D000, 08001, 08004), the pool's connect timeout, a pool already ended.
const NEVER_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])
const NEVER_CONNECTED_SQLSTATE = /^(57P03|53300|3D000|08001|08004|28[0-9A-Z]{3})$/
const NEVER_CONNECTED_MESSAGE =
  /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout|Cannot use a pool after calling end on the pool|Client was closed and is not queryable)$/

/**
 * Whether a statement that failed with `error` (a driver error, or the SERVICE_UNAVAILABLE made
 * from one) may have run on the server, and so, outside a transaction, may have committed. False
 * only when no connection was ever made for it; a connection lost once made may have carried it.
 */
export function statementMayHaveRun(error: unknown): boolean {
  if (error instanceof AutoGenError) return error.cause === undefined || statementMayHaveRun(error.cause)
  if (typeof error !== 'object' || error === null) return true
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown }
  if (typeof code === 'string' && (NEVER_CONNECTED_CODES.has(code) || NEVER_CONNECTED_SQLSTATE.test(code)))
    return false
  if (typeof message === 'string' && NEVER_CONNECTED_MESSAGE.test(message)) return false
  const errors = (error as { errors?: unknown }).errors
  // A dual-stack connect fails with every address's error: never connected when none connected.
  if (Array.isArray(errors) && errors.length > 0) return errors.some((inner) => statementMayHaveRun(inner))
  if (cause !== undefined && cause !== error) return statementMayHaveRun(cause)
  return true
}

/** Rethrows `error` as SERVICE_UNAVAILABLE when it is about availability, unchanged otherwise. */
export function rethrowUnavailable(error: unknown): never {
  throw unavailableError(error) ?? error
}

/** SERVICE_UNAVAILABLE for a COMMIT that got no answer: the write may or may not be saved. */
export function commitOutcomeUnknown(): AutoGenError {
  return new AutoGenError(
    ErrorCodes.SERVICE_UNAVAILABLE,
    'The database connection was lost while committing: the change may or may not have been saved; read it back before retrying.',
    { reason: 'commitOutcomeUnknown' },
  )
}

function reasonOf(error: unknown): UnavailableReason | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown }
  if (typeof code === 'string') {
    if (code === '57014') return 'statementTimeout'
    if (code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') {
      return 'databaseUnavailable'
    }
    if (/^08[0-9A-Z]{3}$/.test(code) || SOCKET_CODES.has(code)) return 'databaseUnavailable'
  }
  if (typeof message === 'string') {
    if (POOL_TIMEOUT.test(message)) return 'poolExhausted'
    if (CONNECTION_LOST.test(message)) return 'databaseUnavailable'
  }
  // pg wraps some socket errors (`{ cause }`); an AggregateError (dual-stack connect) holds several.
  if (cause !== undefined && cause !== error) return reasonOf(cause)
  const errors = (error as { errors?: unknown }).errors
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = reasonOf(inner)
      if (found) return found
    }
  }
  return undefined
}
