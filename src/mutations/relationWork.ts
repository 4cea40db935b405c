import type { Queryable } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import { encodeGlobalId } from '../naming/index.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationFieldError, MutationSettings } from './MutationSettings.js'
import type { LinkChange, ParsedInput } from './parseInput.js'
import { MutationFailed } from './runInTransaction.js'
import { linkStatement, referenceLookupStatement } from './writeSql.js'

/**
 * Fills foreign-key values that need a lookup (soft-delete targets, keys other than the primary
 * key): one share-locking statement per relation for all inputs. Unknown or deleted targets
 * fail with INVALID_REFERENCE.
 */
export async function resolveReferences(
  tx: Queryable,
  inputs: readonly ParsedInput[],
  bulk: boolean,
): Promise<void> {
  const byRelation = new Map<
    string,
    Array<{ input: ParsedInput; index: number; ref: ParsedInput['references'][number] }>
  >()
  inputs.forEach((input, index) => {
    for (const ref of input.references) {
      const list = byRelation.get(ref.relation.id) ?? []
      list.push({ input, index, ref })
      byRelation.set(ref.relation.id, list)
    }
  })
  const errors: MutationFieldError[] = []
  for (const entries of byRelation.values()) {
    const { relation, target } = entries[0]!.ref
    const pks = [...new Set(entries.map((e) => e.ref.pk))]
    const { rows } = await tx.query<{ pk: string; value: unknown }>(
      referenceLookupStatement(target.model, relation, pks),
    )
    const found = new Map(rows.map((r) => [r.pk, r.value]))
    for (const { input, index, ref } of entries) {
      if (found.has(ref.pk)) input.values[ref.key] = found.get(ref.pk)
      else {
        errors.push({
          field: ref.inputName,
          code: ErrorCodes.INVALID_REFERENCE,
          message: `No ${target.typeName} with this id (it does not exist or was deleted).`,
          ...(bulk ? { index } : {}),
        })
      }
    }
  }
  if (errors.length > 0) throw new MutationFailed(errors)
}

/**
 * Applies one many-to-many change to the source rows in one statement; ids that name no visible
 * target row fail with INVALID_REFERENCE. An empty `set` on a new row has nothing to do.
 */
export async function applyLinks(
  tx: Queryable,
  names: ModelNames,
  link: LinkChange,
  sourcePks: readonly string[],
  isNew: boolean,
  index?: number,
): Promise<void> {
  if (sourcePks.length === 0 || (link.pks.length === 0 && (link.action !== 'set' || isNew))) return
  const statement = linkStatement(
    names.model,
    link.target.model,
    link.relation,
    link.action,
    sourcePks,
    link.pks,
  )
  const { rows } = await tx.query<{ pk: string }>(statement)
  const found = new Set(rows.map((r) => r.pk))
  const missing = link.pks.filter((pk) => !found.has(pk))
  if (missing.length > 0) {
    const ids = missing.map((pk) => link.ids.get(pk) ?? encodeGlobalId(link.target.typeName, pk))
    throw new MutationFailed([
      {
        field: link.inputName,
        code: ErrorCodes.INVALID_REFERENCE,
        message: `No ${link.target.typeName} with id ${ids.join(', ')} (it does not exist or was deleted).`,
        ...(index !== undefined ? { index } : {}),
      },
    ])
  }
}

/** Replaces write-only password values by their hashes (before hooks see them, before SQL). */
export async function hashPasswords(
  settings: MutationSettings,
  inputs: readonly ParsedInput[],
): Promise<void> {
  await Promise.all(
    inputs.flatMap((input) =>
      input.passwords.map(async (key) => {
        const plain = input.values[key]
        if (typeof plain === 'string') input.values[key] = await settings.passwordHasher(plain)
      }),
    ),
  )
}
