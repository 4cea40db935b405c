import { GraphQLError } from 'graphql'
import type { ExecutionResult } from 'graphql'
import { ErrorCodes } from '../errors.js'

/** "Did you mean …?" hints of graphql-js (fields, arguments, types, enum values) and of our own errors. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g

/**
 * Gives every error of a result a catalogue code (graphql-js variable coercion errors have none:
 * they become BAD_USER_INPUT) and, when suggestions are off, removes "Did you mean" hints, which
 * would otherwise let a caller map a hidden schema field by field.
 */
export function normalizeErrors(result: ExecutionResult, fieldSuggestions: boolean): ExecutionResult {
  if (!result.errors?.length) return result
  return { ...result, errors: result.errors.map((error) => normalizeError(error, fieldSuggestions)) }
}

function normalizeError(error: GraphQLError, fieldSuggestions: boolean): GraphQLError {
  const hasCode = typeof error.extensions?.['code'] === 'string'
  const message = fieldSuggestions ? error.message : error.message.replace(SUGGESTION, '')
  if (hasCode && message === error.message) return error
  return new GraphQLError(message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { ...error.extensions, code: hasCode ? error.extensions['code'] : ErrorCodes.BAD_USER_INPUT },
  })
}
