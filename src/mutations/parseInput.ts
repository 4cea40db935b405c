import { parseKeyText } from '../compile/index.js'
import { ErrorCodes } from '../errors.js'
import type { Relation } from '../models/index.js'
import { decodeGlobalId } from '../naming/index.js'
import type { InputBinding, ModelNames } from '../naming/index.js'
import { checkValue } from './checkValue.js'
import type { MutationFieldError } from './MutationSettings.js'
import { softDeleteFieldOf } from './writeSql.js'

/** A to-one value that needs a lookup (deleted target or a key other than the primary key). */
export interface PendingReference {
  inputName: string
  relation: Relation
  target: ModelNames
  /** Property key of the foreign-key column on this model. */
  key: string
  /** Primary key (text) of the referenced row. */
  pk: string
}

/** A many-to-many change requested by an input. */
export interface LinkChange {
  inputName: string
  relation: Relation
  target: ModelNames
  action: 'set' | 'add' | 'remove'
  /** Target primary keys (text), de-duplicated, with the global ids the client sent. */
  pks: string[]
  ids: Map<string, string>
}

/** A row of another model that an input names by global id. */
export interface ReferencedRow {
  inputName: string
  target: ModelNames
  /** The target's primary key, as text. */
  pk: string
  /** For a to-one input: the property key of this model's foreign-key column (links have none). */
  key?: string
}

/** One input turned into column values and relation work, or the errors that stop it. */
export interface ParsedInput {
  /** Column values by property key: absent keys are untouched (update) or defaulted (create). */
  values: Record<string, unknown>
  references: PendingReference[]
  links: LinkChange[]
  /** Every row the input points at (to-one ids, linked ids), checked against the caller's row policy on its model. */
  pointsAt: ReferencedRow[]
  /** Property keys of write-only password columns whose value must be hashed. */
  passwords: string[]
  errors: MutationFieldError[]
}

/**
 * Validates a create or update input (GraphQL-coerced, keyed by input field names) against the
 * model before any SQL: required columns, nulls, column limits, global ids and their types.
 * For updates, absent keys stay untouched and an explicit null sets NULL where allowed.
 */
export function parseInput(
  names: ModelNames,
  input: Record<string, unknown>,
  mode: 'create' | 'update',
  index?: number,
): ParsedInput {
  const parsed: ParsedInput = {
    values: {},
    references: [],
    links: [],
    pointsAt: [],
    passwords: [],
    errors: [],
  }
  const fail = (field: string | null, code: string, message: string): void => {
    parsed.errors.push({ field, code, message, ...(index !== undefined ? { index } : {}) })
  }
  const formerNames = formerInputNames(names)
  for (const [currentName, binding] of names.mutations.inputs) {
    if (!(mode === 'create' ? binding.onCreate : binding.onUpdate)) continue
    // A former name is read together with the field it was renamed to, below.
    if (binding.aliasOf !== undefined) continue
    const formers = formerNames.get(currentName)
    // Without former names (the usual case) no list is built: bulk calls parse thousands of inputs.
    const given = (formers ? [currentName, ...formers] : [currentName]).filter(
      (name) => input[name] !== undefined && Object.hasOwn(input, name),
    )
    if (given.length > 1) {
      fail(
        given[1]!,
        ErrorCodes.INVALID_VALUE,
        `Give \`${currentName}\` or its former name, not both (${given.join(', ')}).`,
      )
      continue
    }
    const inputName = given[0] ?? currentName
    const present = given.length === 1
    const value = present ? input[inputName] : undefined
    if (binding.kind === 'column') {
      const field = binding.field
      if (!present) {
        if (mode === 'create' && !field.nullable && !field.hasDefault)
          fail(inputName, ErrorCodes.REQUIRED, 'This field is required.')
        continue
      }
      if (value === null) {
        if (field.nullable) parsed.values[field.key] = null
        else fail(inputName, ErrorCodes.REQUIRED, 'This field cannot be null.')
        continue
      }
      const checked = checkValue(field, value)
      if (!checked.ok) {
        fail(inputName, checked.code, checked.message)
        continue
      }
      parsed.values[field.key] = checked.value
      if (field.writeOnly && /password/i.test(field.key) && field.kind === 'String')
        parsed.passwords.push(field.key)
    } else if (binding.kind === 'toOne') {
      parseToOne(parsed, names, inputName, binding, present, value, mode, fail)
    } else if (present) {
      parseLinks(parsed, inputName, binding, value, fail)
    }
  }
  return parsed
}

const formerNamesOf = new WeakMap<ModelNames, Map<string, string[]>>()

/** Former input names (config `renamedFrom`) by the current name they stand for; once per model. */
function formerInputNames(names: ModelNames): Map<string, string[]> {
  let formers = formerNamesOf.get(names)
  if (formers) return formers
  formers = new Map<string, string[]>()
  for (const [name, binding] of names.mutations.inputs) {
    if (binding.aliasOf !== undefined)
      formers.set(binding.aliasOf, [...(formers.get(binding.aliasOf) ?? []), name])
  }
  formerNamesOf.set(names, formers)
  return formers
}

type Fail = (field: string | null, code: string, message: string) => void

function parseToOne(
  parsed: ParsedInput,
  names: ModelNames,
  inputName: string,
  binding: Extract<InputBinding, { kind: 'toOne' }>,
  present: boolean,
  value: unknown,
  mode: 'create' | 'update',
  fail: Fail,
): void {
  const column = binding.relation.sourceColumns[0]!
  const field = names.model.fields.find((f) => f.column === column)!
  if (!present) {
    if (mode === 'create' && !field.nullable && !field.hasDefault)
      fail(inputName, ErrorCodes.REQUIRED, 'This field is required.')
    return
  }
  if (value === null) {
    if (field.nullable) parsed.values[field.key] = null
    else fail(inputName, ErrorCodes.REQUIRED, 'This field cannot be null.')
    return
  }
  const pk = decodeTypedId(String(value), binding.target, inputName, fail)
  if (pk === undefined) return
  parsed.pointsAt.push({ inputName, target: binding.target, pk, key: field.key })
  const target = binding.target.model
  // Referencing the target's primary key directly lets the foreign key itself check existence;
  // a soft-delete target (a deleted row still satisfies the key) or another key needs a lookup.
  if (
    softDeleteFieldOf(target) === undefined &&
    target.primaryKey.length === 1 &&
    binding.relation.targetColumns[0] === target.primaryKey[0]!.column
  ) {
    parsed.values[field.key] = pk
  } else {
    parsed.references.push({
      inputName,
      relation: binding.relation,
      target: binding.target,
      key: field.key,
      pk,
    })
  }
}

function parseLinks(
  parsed: ParsedInput,
  inputName: string,
  binding: Extract<InputBinding, { kind: 'manyToMany' }>,
  value: unknown,
  fail: Fail,
): void {
  if (value === null) {
    // `tagIds: null` on a set means "no links"; null add/remove lists change nothing.
    if (binding.action === 'set') {
      parsed.links.push({
        inputName,
        relation: binding.relation,
        target: binding.target,
        action: 'set',
        pks: [],
        ids: new Map(),
      })
    }
    return
  }
  const ids = new Map<string, string>()
  for (const id of value as unknown[]) {
    const pk = decodeTypedId(String(id), binding.target, inputName, fail)
    if (pk === undefined) return
    if (!ids.has(pk)) ids.set(pk, String(id))
  }
  parsed.links.push({
    inputName,
    relation: binding.relation,
    target: binding.target,
    action: binding.action,
    pks: [...ids.keys()],
    ids,
  })
  // Unlinking names rows already linked; only new links must point at rows the caller can see.
  if (binding.action !== 'remove')
    for (const pk of ids.keys()) parsed.pointsAt.push({ inputName, target: binding.target, pk })
}

/**
 * Decodes a global id that must name `target`'s type and a possible key of it (every key column,
 * each valid for its type); reports INVALID_ID otherwise. Returns the key text.
 */
export function decodeTypedId(id: string, target: ModelNames, field: string, fail: Fail): string | undefined {
  let decoded
  try {
    decoded = decodeGlobalId(id)
  } catch {
    fail(field, ErrorCodes.INVALID_ID, `Not a valid ${target.typeName} id.`)
    return undefined
  }
  if (decoded.typeName !== target.typeName) {
    fail(field, ErrorCodes.INVALID_ID, `Expected a ${target.typeName} id, got a ${decoded.typeName} id.`)
    return undefined
  }
  if (!parseKeyText(target.model, decoded.pk)) {
    fail(field, ErrorCodes.INVALID_ID, `Not a valid ${target.typeName} id.`)
    return undefined
  }
  return decoded.pk
}
