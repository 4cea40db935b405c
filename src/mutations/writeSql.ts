import { keyIn, renderKeyText, SqlParams } from '../compile/index.js'
import type { SqlStatement } from '../database/index.js'
import type { Model, ModelField, Relation } from '../models/index.js'

/** Bound values per statement stay well under PostgreSQL's 65,535 placeholders. */
const MAX_PARAMS = 30_000

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** The model's table, schema-qualified when it has a schema. */
export function tableRef(model: Pick<Model, 'table' | 'schema'>): string {
  return model.schema !== undefined ? `${ident(model.schema)}.${ident(model.table)}` : ident(model.table)
}

/** `deleted_at IS NULL` for soft-delete models (rows every read shows), else nothing. */
export function visibleCondition(model: Model, alias: string): string[] {
  const field = softDeleteFieldOf(model)
  return field ? [`${ident(alias)}.${ident(field.column)} IS NULL`] : []
}

/** The soft-delete timestamp field, when the model has one. */
export function softDeleteFieldOf(model: Model): ModelField | undefined {
  return model.softDeleteField === undefined
    ? undefined
    : model.fields.find((f) => f.key === model.softDeleteField)
}

/** RETURNING list: every column, plus the row's key text. */
function returning(model: Model, rows: 'rows' | 'keys' = 'rows'): string {
  const key = `${renderKeyText(model, ident)} as "__pk"`
  return rows === 'rows' ? `returning *, ${key}` : `returning ${key}`
}

/**
 * A placeholder with the cast its column needs: JSON arrives as text (pg would send a JS array as
 * a PostgreSQL array), and date-times as timestamptz so the session time zone never shifts them.
 */
export function valueSql(field: ModelField, placeholder: string): string {
  if (field.isList) return placeholder
  if (field.kind === 'JSON') return `${placeholder}::text::${field.sqlType}`
  if (field.kind === 'DateTime') {
    return field.withTimezone
      ? `${placeholder}::timestamptz`
      : `(${placeholder}::timestamptz at time zone 'UTC')`
  }
  return placeholder
}

/**
 * INSERT statements for rows of column values (keyed by property key), several rows per statement;
 * a column some row leaves out gets its DEFAULT. Rows come back in input order with `__pk`.
 */
export function insertStatements(
  model: Model,
  rows: ReadonlyArray<Record<string, unknown>>,
  returned: 'rows' | 'keys' = 'rows',
): SqlStatement[] {
  const present = new Set(rows.flatMap((row) => Object.keys(row)))
  const columns = model.fields.filter((f) => present.has(f.key))
  // With no column given, name one anyway: `(pk) VALUES (DEFAULT)` works for any row count.
  const listed = columns.length > 0 ? columns : [model.primaryKey[0]!]
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / listed.length))
  const statements: SqlStatement[] = []
  for (let start = 0; start < rows.length; start += perStatement) {
    const params = new SqlParams()
    const tuples = rows.slice(start, start + perStatement).map((row) => {
      const cells = listed.map((field) =>
        Object.hasOwn(row, field.key) ? valueSql(field, params.add(row[field.key])) : 'DEFAULT',
      )
      return `(${cells.join(', ')})`
    })
    statements.push({
      text: `insert into ${tableRef(model)} (${listed.map((f) => ident(f.column)).join(', ')}) values ${tuples.join(', ')} ${returning(model, returned)}`,
      values: params.values,
    })
  }
  return statements
}

/** UPDATE of the rows with these keys (key texts), setting the patch's columns. */
export function updateStatement(
  model: Model,
  pks: readonly string[],
  patch: Record<string, unknown>,
): SqlStatement {
  const params = new SqlParams()
  const sets = model.fields
    .filter((f) => Object.hasOwn(patch, f.key))
    .map((f) => `${ident(f.column)} = ${valueSql(f, params.add(patch[f.key]))}`)
  const where = keyIn(model, undefined, pks, params)
  return {
    text: `update ${tableRef(model)} set ${sets.join(', ')} where ${where} ${returning(model)}`,
    values: params.values,
  }
}

/** Sets (now) or clears (restore) the soft-delete timestamp of these rows. */
export function softDeleteStatement(model: Model, pks: readonly string[], deleted: boolean): SqlStatement {
  const field = softDeleteFieldOf(model)!
  const params = new SqlParams()
  const where = keyIn(model, undefined, pks, params)
  return {
    text: `update ${tableRef(model)} set ${ident(field.column)} = ${deleted ? 'now()' : 'NULL'} where ${where} ${returning(model)}`,
    values: params.values,
  }
}

/** DELETE of the rows with these keys (key texts). */
export function deleteStatement(model: Model, pks: readonly string[]): SqlStatement {
  const params = new SqlParams()
  return {
    text: `delete from ${tableRef(model)} where ${keyIn(model, undefined, pks, params)} ${returning(model)}`,
    values: params.values,
  }
}

/**
 * Locks and lists the rows a mutation targets: `conditions` over alias `t`, row locks held to
 * the end of the transaction, so concurrent writers of the same rows queue instead of racing.
 */
export function lockRowsStatement(
  model: Model,
  conditions: readonly string[],
  values: readonly unknown[],
): SqlStatement {
  const where = conditions.length > 0 ? ` where ${conditions.join(' and ')}` : ''
  const column = (name: string): string => `${ident('t')}.${ident(name)}`
  // In key order (the columns themselves, not their text): writers lock in one order, and bulk
  // payloads list ids in it.
  const order = model.primaryKey.map((field) => column(field.column)).join(', ')
  return {
    text: `select ${renderKeyText(model, column)} as "pk" from ${tableRef(model)} as ${ident('t')}${where} order by ${order} for update of ${ident('t')}`,
    values,
  }
}

/** Reads rows by key text (for after-hooks of writes that return no rows). */
export function selectRowsStatement(model: Model, pks: readonly string[]): SqlStatement {
  const params = new SqlParams()
  return {
    text: `select *, ${renderKeyText(model, ident)} as "__pk" from ${tableRef(model)} where ${keyIn(model, undefined, pks, params)}`,
    values: params.values,
  }
}

/**
 * Looks up referenced rows of a to-one relation: the referenced column's value per primary key,
 * only among visible rows, share-locked so a concurrent soft delete waits for this transaction.
 */
export function referenceLookupStatement(
  target: Model,
  relation: Relation,
  pks: readonly string[],
): SqlStatement {
  const params = new SqlParams()
  const conditions = [keyIn(target, 't', pks, params), ...visibleCondition(target, 't')]
  const key = renderKeyText(target, (column) => `${ident('t')}.${ident(column)}`)
  return {
    text: `select ${key} as "pk", ${ident('t')}.${ident(relation.targetColumns[0]!)} as "value" from ${tableRef(target)} as ${ident('t')} where ${conditions.join(' and ')} for share of ${ident('t')}`,
    values: params.values,
  }
}

/**
 * Changes many-to-many links of the source rows `sourcePks` in ONE statement: `set` replaces the
 * set, `add` links, `remove` unlinks the target rows `targetPks`. Returns the target primary keys
 * found (visible ones for set/add), so the caller can report the unknown ones.
 */
export function linkStatement(
  source: Model,
  target: Model,
  relation: Relation,
  action: 'set' | 'add' | 'remove',
  sourcePks: readonly string[],
  targetPks: readonly string[],
): SqlStatement {
  const through = relation.through!
  const junction = tableRef({
    table: through.table,
    ...(through.schema !== undefined ? { schema: through.schema } : {}),
  })
  const sc = ident(through.sourceColumns[0]!)
  const tc = ident(through.targetColumns[0]!)
  const params = new SqlParams()
  const sourceKeys = keyIn(source, 's', sourcePks, params)
  const targetConditions = [
    keyIn(target, 't', targetPks, params),
    ...(action === 'remove' ? [] : visibleCondition(target, 't')),
  ]
  const targetKey = renderKeyText(target, (column) => `t.${ident(column)}`)
  const ctes = [
    `wanted as (select ${targetKey} as pk, t.${ident(through.targetKeys[0]!)} as k from ${tableRef(target)} as t where ${targetConditions.join(' and ')})`,
    `src as (select s.${ident(through.sourceKeys[0]!)} as k from ${tableRef(source)} as s where ${sourceKeys})`,
  ]
  if (action === 'remove') {
    ctes.push(
      `removed as (delete from ${junction} as j using src, wanted where j.${sc} = src.k and j.${tc} = wanted.k returning 1)`,
    )
  } else {
    if (action === 'set') {
      ctes.push(
        `removed as (delete from ${junction} as j using src where j.${sc} = src.k and j.${tc} not in (select k from wanted) returning 1)`,
      )
    }
    // NOT EXISTS instead of ON CONFLICT: junction tables need no unique constraint for this.
    ctes.push(
      `added as (insert into ${junction} (${sc}, ${tc}) select src.k, wanted.k from src cross join wanted where not exists (select 1 from ${junction} as e where e.${sc} = src.k and e.${tc} = wanted.k) returning 1)`,
    )
  }
  return { text: `with ${ctes.join(', ')} select pk from wanted`, values: params.values }
}
