import { compileFilter, keyEquals, parseKeyText, policyConditions, SqlParams } from '../compile/index.js'
import type { FilterContext, RowAccess } from '../compile/index.js'
import { ErrorCodes } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationFieldError, MutationSettings } from './MutationSettings.js'
import { decodeTypedId } from './parseInput.js'
import { lockRowsStatement } from './writeSql.js'
import { MutationFailed } from './runInTransaction.js'
import type { Queryable } from '../database/index.js'
import type { MutationCall } from './MutationSettings.js'

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
    // The one row the id names: every key column equal (decodeTypedId checked each value).
    const conditions = [...keyEquals(names.model, 't', parseKeyText(names.model, pk)!, params), ...policy()]
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

/**
 * Locks the target rows (FOR UPDATE, in key order) under `extra` conditions too, then runs the
 * call's object-permission checks. A single-row call that finds nothing fails with NOT_FOUND
 * (`notFound` is the message); a bulk call just gets no keys.
 */
export async function lockTargets(
  tx: Queryable,
  call: MutationCall,
  names: ModelNames,
  where: { conditions: string[]; values: unknown[] },
  extra: readonly string[],
  options: { bulk: boolean; notFound: string },
): Promise<string[]> {
  const locked = await tx.query<{ pk: string }>(
    lockRowsStatement(names.model, [...where.conditions, ...extra], where.values),
  )
  const pks = locked.rows.map((r) => r.pk)
  if (pks.length === 0) {
    if (!options.bulk)
      throw new MutationFailed([{ field: 'id', code: ErrorCodes.NOT_FOUND, message: options.notFound }])
    return pks
  }
  if (call.checkRows) await call.checkRows(tx, pks)
  return pks
}
