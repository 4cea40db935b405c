import { AutoGenError, ErrorCodes } from '../errors.js'

/**
 * UNAUTHENTICATED. `status401` (for refusals of the whole request: bad token, authentication
 * required) asks graphql-yoga for HTTP 401; it reads `extensions.http` and strips it from the body.
 */
export function unauthenticated(
  message = 'Authentication credentials were not provided.',
  status401 = false,
): AutoGenError {
  return new AutoGenError(ErrorCodes.UNAUTHENTICATED, message, status401 ? { http: { status: 401 } } : {})
}

/** FORBIDDEN: the caller is known (or anonymous where DRF says 403) but may not do this. */
export function forbidden(message = 'You do not have permission to perform this action.'): AutoGenError {
  return new AutoGenError(ErrorCodes.FORBIDDEN, message)
}
