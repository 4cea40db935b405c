import type { RowAccess } from '../compile/index.js'
import type { Queryable } from '../database/index.js'
import { AutoGenError, ErrorCodes } from '../errors.js'
import type { ModelNames, SchemaNames } from '../naming/index.js'
import type { MutationFieldError } from './MutationSettings.js'

/** The fields PostgreSQL (through pg or PGlite) puts on an error; the message itself is never used. */
interface PgErrorFields {
  code?: string
  constraint?: string
  detail?: string
  column?: string
  table?: string
  schema?: string
}

/**
 * Turns a database error from a mutation into a field error naming the GraphQL input field:
 * unique (23505) → UNIQUE, foreign key (23503) → INVALID_REFERENCE or, on delete, PROTECTED,
 * check (23514) → CONSTRAINT_VIOLATION, not null (23502) → REQUIRED, data errors (22xxx) →
 * TOO_LONG / INVALID_VALUE. Returns undefined for anything else (masked as an internal error).
 * Serialization failures and deadlocks become SERVICE_UNAVAILABLE (retry). Runs after the
 * transaction rolled back; `database` answers the catalogue question a check constraint needs.
 * PROTECTED names the referencing model only when `access` puts no row policy on it (see
 * {@link protectedError}).
 */
export async function fieldErrorFromDatabase(
  error: unknown,
  names: SchemaNames,
  model: ModelNames,
  operation: 'write' | 'delete',
  database: Queryable,
  access?: RowAccess,
): Promise<MutationFieldError | undefined> {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as PgErrorFields
  const code = typeof e.code === 'string' ? e.code : ''
  if (code === '40001' || code === '40P01') {
    throw new AutoGenError(
      ErrorCodes.SERVICE_UNAVAILABLE,
      'The write conflicted with a concurrent one; retry it.',
    )
  }
  const owner = [...names.models.values()].find((m) => m.model.table === e.table) ?? model
  const key = parseKeyDetail(e.detail)
  switch (code) {
    case '23505': {
      const columns = key?.columns ?? (await constraintColumns(database, e))
      const fields = columns.map((c) => inputNameOf(owner, c))
      const softHint =
        owner.model.softDeleteField !== undefined
          ? ` Deleted ${owner.typeName} rows keep their unique values: restore that row or choose another value.`
          : ''
      const what =
        fields.length > 1 ? `this combination of ${fields.join(', ')}` : `this ${fields[0] ?? 'value'}`
      return {
        field: fields[0] ?? null,
        code: ErrorCodes.UNIQUE,
        message: `A ${owner.typeName} with ${what} already exists.${softHint}`,
      }
    }
    case '23503': {
      const columns = key?.columns ?? (await constraintColumns(database, e))
      const referencedFrom = key?.referencedFrom
      if (referencedFrom !== undefined || (key === undefined && operation === 'delete')) {
        const from = [...names.models.values()].find((m) => m.model.table === (referencedFrom ?? e.table))
        return protectedError(model, from, access)
      }
      const field = columns[0] !== undefined ? inputNameOf(owner, columns[0]) : null
      const target = [...names.models.values()].find((m) => m.model.table === key?.referencedTable)
      return {
        field,
        code: ErrorCodes.INVALID_REFERENCE,
        message: `No ${target?.typeName ?? 'row'} with this id.`,
      }
    }
    case '23514': {
      const columns = await constraintColumns(database, e)
      const field = columns[0] !== undefined ? inputNameOf(owner, columns[0]) : null
      const rule = e.constraint !== undefined ? ` \`${e.constraint}\`` : ''
      return {
        field,
        code: ErrorCodes.CONSTRAINT_VIOLATION,
        message: `The value breaks the rule${rule} of ${owner.typeName}.`,
      }
    }
    case '23502': {
      const field = e.column !== undefined ? inputNameOf(owner, e.column) : null
      return { field, code: ErrorCodes.REQUIRED, message: 'This field cannot be null.' }
    }
    case '22001':
      return { field: null, code: ErrorCodes.TOO_LONG, message: 'A text is longer than its column allows.' }
    default:
      if (code.startsWith('22')) {
        return {
          field: null,
          code: ErrorCodes.INVALID_VALUE,
          message: 'A value is out of range or malformed for its column.',
        }
      }
      return undefined
  }
}

/**
 * PROTECTED for a delete refused by a restricting foreign key. The referencing rows may lie
 * outside the caller's row policy (or in a model they may not view), and naming their model would
 * tell the caller they exist; so the model is named only when no policy restricts the caller's
 * view of it (they could list those rows anyway). The refusal itself cannot be hidden.
 */
function protectedError(
  model: ModelNames,
  from: ModelNames | undefined,
  access: RowAccess | undefined,
): MutationFieldError {
  const restricted = from === undefined || access?.rowFilters?.has(from.model.name) === true
  return {
    field: null,
    code: ErrorCodes.PROTECTED,
    message: restricted
      ? `This ${model.typeName} cannot be deleted: other data depends on it.`
      : `This ${model.typeName} is still referenced by ${from.typeName} rows; delete or reassign them first.`,
  }
}

/** `Key (a, b)=(…) already exists.` / `… is not present in table "x".` / `… is still referenced from table "y".` */
function parseKeyDetail(
  detail: string | undefined,
): { columns: string[]; referencedTable?: string; referencedFrom?: string } | undefined {
  if (detail === undefined) return undefined
  const match =
    /^Key \((.+?)\)=\(.*\) (?:already exists|is not present in table "(.+)"|is still referenced from table "(.+)")\.?$/s.exec(
      detail,
    )
  if (!match) return undefined
  const columns = match[1]!.split(', ').map((c) => c.replace(/^"(.*)"$/, '$1').replace(/""/g, '"'))
  return {
    columns,
    ...(match[2] !== undefined ? { referencedTable: match[2] } : {}),
    ...(match[3] !== undefined ? { referencedFrom: match[3] } : {}),
  }
}

/** The columns of a named constraint, from the catalogue (when the error's detail does not say). */
async function constraintColumns(database: Queryable, e: PgErrorFields): Promise<string[]> {
  if (e.constraint === undefined || e.table === undefined) return []
  const { rows } = await database.query<{ column: string }>({
    text: `select a.attname::text as "column"
      from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      join lateral unnest(c.conkey) with ordinality as k(attnum, ord) on true
      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
      where c.conname = $1 and t.relname = $2 and ($3::text is null or n.nspname = $3)
      order by k.ord`,
    values: [e.constraint, e.table, e.schema ?? null],
  })
  return rows.map((r) => r.column)
}

/** The GraphQL input field that writes a column (its relation input for a foreign key). */
export function inputNameOf(names: ModelNames, column: string): string {
  for (const [name, binding] of names.mutations.inputs) {
    if (binding.kind === 'column' && binding.field.column === column) return name
    if (binding.kind === 'toOne' && binding.relation.sourceColumns[0] === column) return name
  }
  const field = names.model.fields.find((f) => f.column === column)
  return (field && names.columnNames.get(field.key)) ?? field?.key ?? column
}
