import { ErrorCodes } from '../errors.js'
import type { MutationFieldError } from './MutationSettings.js'

/** Text that marks the error a reference check inside a statement raises; no other error carries it. */
const REFERENCE_MARKER = 'graphql_auto_gen:invalid_reference:'

/**
 * `'<marker>' || <count>` cast to int, as the failing branch of a CASE: the error names the
 * input (`typeName`, bulk `index`, `inputName`), and `count` (an aggregate over the rows found)
 * keeps the cast from being folded, and failing, at plan time. GraphQL names are [_A-Za-z0-9]:
 * safe inside the literal.
 */
export function failingReference(
  typeName: string,
  index: number | undefined,
  inputName: string,
  count: string,
): string {
  return `('${REFERENCE_MARKER}${typeName}:${index ?? ''}:${inputName}:' || ${count})::int`
}

/** The payload error a {@link failingReference} failure stands for, if `error` is one. */
export function referenceFailure(error: unknown): MutationFieldError | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (code !== '22P02' || typeof message !== 'string') return undefined
  const found = new RegExp(`${REFERENCE_MARKER}(\\w+):(\\d*):(\\w+):`).exec(message)
  if (!found) return undefined
  const [, typeName, index, field] = found as unknown as [string, string, string, string]
  return {
    field,
    code: ErrorCodes.INVALID_REFERENCE,
    message: `No ${typeName} with this id (it does not exist or was deleted).`,
    ...(index !== '' ? { index: Number(index) } : {}),
  }
}
