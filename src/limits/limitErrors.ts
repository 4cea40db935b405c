import type { GraphQLError } from 'graphql'
import { AutoGenError, ErrorCodes, toClientError } from '../errors.js'

/** Names of the structural limits, as `extensions.limit` of QUERY_LIMIT_EXCEEDED reports them. */
export type LimitName =
  | 'depth'
  | 'aliases'
  | 'directives'
  | 'tokens'
  | 'documentLength'
  | 'requestBytes'
  | 'batchedOperations'
  | 'pageSize'

/** QUERY_LIMIT_EXCEEDED: the request breaks one structural limit; says which, the maximum and what was found. */
export function limitExceeded(
  limit: LimitName,
  message: string,
  max: number,
  found?: number,
  http?: { status: number; headers?: Record<string, string> },
): GraphQLError {
  return toClientError(
    new AutoGenError(ErrorCodes.QUERY_LIMIT_EXCEEDED, message, {
      limit,
      max,
      ...(found !== undefined ? { found } : {}),
      ...(http !== undefined ? { http } : {}),
    }),
  )
}

/** QUERY_TOO_COMPLEX: the operation's requested cost is above `performance.maxQueryComplexity`. */
export function tooComplex(cost: number, max: number): GraphQLError {
  return toClientError(
    new AutoGenError(
      ErrorCodes.QUERY_TOO_COMPLEX,
      `Query cost ${cost} exceeds the maximum of ${max}. Ask for smaller pages (first/last) or fewer nested connections.`,
      { cost, maxCost: max },
    ),
  )
}

/** RATE_LIMITED: the caller's budget for this window is spent; HTTP 429 with `Retry-After`. */
export function rateLimited(cost: number, remaining: number, retryAfter: number): GraphQLError {
  return toClientError(
    new AutoGenError(
      ErrorCodes.RATE_LIMITED,
      `Rate limit exceeded: this operation costs ${cost} points and ${remaining} remain. Retry after ${retryAfter} s.`,
      { cost, remaining, retryAfter, http: { status: 429, headers: { 'Retry-After': String(retryAfter) } } },
    ),
  )
}

/** SERVICE_UNAVAILABLE: the rate limit store is unreachable and `failMode` is `closed`. */
export function limiterUnavailable(): GraphQLError {
  return toClientError(
    new AutoGenError(ErrorCodes.SERVICE_UNAVAILABLE, 'Rate limiting is unavailable; try again shortly.', {
      http: { status: 503, headers: { 'Retry-After': '1' } },
    }),
  )
}
