import { compileFilter, policyConditions, SqlParams } from '../compile/index.js'
import type { FilterContext, RowAccess } from '../compile/index.js'
import { ErrorCodes } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationFieldError, MutationSettings } from './MutationSettings.js'
import { decodeTypedId } from './parseInput.js'
import { ident, primaryKeyOf } from './writeSql.js'

/** Which rows an update, delete or restore acts on: one by global id, or those a filter matches. */
export type RowTarget = { kind: 'id'; id: string } | { kind: 'filter'; filter: unknown; all: boolean }

/** SQL conditions over alias `t` with their bound values, or the errors that stop the call. */
export type TargetConditions =
  { ok: true; conditions: string[]; values: unknown[] } | { ok: false; errors: MutationFieldError[] }

/**
 * Turns a target into conditions: a global id of this model's type (else INVALID_ID on `id`), or
 * a filter compiled by the query filter compiler. A bulk call with no filter, or one that matches
 * everything (`{}`), is refused with FILTER_REQUIRED unless it passes `all: true`.
 */
export function targetConditions(
  settings: MutationSettings,
  names: ModelNames,
  target: RowTarget,
  access?: RowAccess,
): TargetConditions {
  const errors: MutationFieldError[] = []
  const params = new SqlParams()
  let aliases = 0
  const ctx: FilterContext = {
    params,
    nextAlias: (prefix) => `${prefix}_m${aliases++}`,
    options: settings.filter,
    ...(access?.deniedFields ? { deniedFields: access.deniedFields } : {}),
  }
  const rowConditions = policyConditions(ctx, access)
  if (rowConditions) ctx.rowConditions = rowConditions
  // Rows outside the caller's row policy are targeted exactly like rows that do not exist.
  const policy = (): string[] => rowConditions?.(names, 't') ?? []
  if (target.kind === 'id') {
    const pk = decodeTypedId(target.id, names, 'id', (field, code, message) =>
      errors.push({ field, code, message }),
    )
    if (pk === undefined) return { ok: false, errors }
    const conditions = [
      `${ident('t')}.${ident(primaryKeyOf(names.model).column)} = ${params.add(pk)}`,
      ...policy(),
    ]
    return { ok: true, conditions, values: params.values }
  }
  const condition = compileFilter(ctx, names, target.filter, 't')
  if (condition === 'true') {
    if (!target.all) {
      return {
        ok: false,
        errors: [
          {
            field: 'filter',
            code: ErrorCodes.FILTER_REQUIRED,
            message: 'Give a filter that selects rows, or pass `all: true` to act on every row.',
            index: null,
          },
        ],
      }
    }
    return { ok: true, conditions: policy(), values: params.values }
  }
  return { ok: true, conditions: [condition, ...policy()], values: params.values }
}
