import { policyConditions, renderKeyText } from '../compile/index.js'
import type { SqlParams } from '../compile/index.js'
import { ErrorCodes } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationCall, MutationFieldError, MutationSettings } from './MutationSettings.js'
import { ident } from './writeSql.js'

/** The payload error of a write that would leave rows outside the caller's row policy. */
export function outsidePolicy(names: ModelNames): MutationFieldError {
  return {
    field: null,
    code: ErrorCodes.FORBIDDEN,
    message: `You may not write a ${names.typeName} outside the rows you have access to.`,
  }
}

/** Text that marks the error {@link rowPolicyCheck} raises; no other error carries it. */
const POLICY_MARKER = 'graphql_auto_gen:outside_row_policy:'

/**
 * {@link checkRowPolicy} inside a one-statement write: a select-list expression over the written
 * row `alias` that is NULL when the row satisfies the caller's policy and otherwise fails the
 * whole statement (so its write is undone) by casting a marked text to int; see
 * {@link isOutsidePolicy}. Undefined when the caller has no policy on the model.
 */
export function rowPolicyCheck(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  params: SqlParams,
  alias: string,
): string | undefined {
  if (!call.access?.rowFilters?.has(names.model.name)) return undefined
  let aliases = 0
  const ctx = { params, nextAlias: (prefix: string) => `${prefix}_c${aliases++}`, options: settings.filter }
  const conditions = policyConditions(ctx, call.access)?.(names, alias) ?? []
  if (conditions.length === 0) return undefined
  // The row's key in the text keeps the cast from being folded into a constant (and failing) at
  // plan time: it fails only for a row outside the policy.
  const key = renderKeyText(names.model, (column) => `${ident(alias)}.${ident(column)}`)
  return `(case when ${conditions.join(' and ')} then null else '${POLICY_MARKER}' || ${key} end)::int`
}

/** Whether a database error is {@link rowPolicyCheck}'s refusal. */
export function isOutsidePolicy(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  return code === '22P02' && typeof message === 'string' && message.includes(POLICY_MARKER)
}
