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
 * A column value computed in SQL instead of bound (a checked reference, see referenceCell): the
 * write renders it, binding what it needs into the statement's parameters.
 */
export class SqlValue {
  constructor(readonly render: (params: SqlParams) => string) {}
}

/** A value's SQL in a write: a {@link SqlValue} rendered, anything else bound (see {@link valueSql}). */
function cellSql(field: ModelField, value: unknown, params: SqlParams): string {
  return value instanceof SqlValue ? value.render(params) : valueSql(field, params.add(value))
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
  const listed = insertColumns(model, rows)
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / listed.length))
  const statements: SqlStatement[] = []
  for (let start = 0; start < rows.length; start += perStatement) {
    const params = new SqlParams()
    const text = insertSql(model, rows.slice(start, start + perStatement), params, returned)
    statements.push({ text, values: params.values })
  }
  return statements
}

/** How many statements {@link insertStatements} takes for these rows. */
export function insertStatementCount(model: Model, rows: ReadonlyArray<Record<string, unknown>>): number {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / insertColumns(model, rows).length))
  const values = Math.ceil(rows.length / perStatement)
  return values <= 1 || recordsetColumns(model, rows) ? 1 : values
}

/** The columns an insert of these rows lists: those some row gives, else the first key column. */
function insertColumns(model: Model, rows: ReadonlyArray<Record<string, unknown>>): ModelField[] {
  const present = new Set(rows.flatMap((row) => Object.keys(row)))
  const columns = model.fields.filter((f) => present.has(f.key))
  // With no column given, name one anyway: `(pk) VALUES (DEFAULT)` works for any row count.
  return columns.length > 0 ? columns : [model.primaryKey[0]!]
}

/**
 * The columns of a bulk insert that can travel as ONE JSON parameter (json_populate_recordset
 * over the table's own row type, so each value is read as its column's type): every row gives
 * every column (a key left out would be NULL, not DEFAULT), and every value is a JSON scalar read
 * the way its placeholder would be (not JSON or list columns, nor a date-time without time zone,
 * whose offset only the timestamptz cast applies). Undefined otherwise, and for a single row.
 */
function recordsetColumns(
  model: Model,
  rows: ReadonlyArray<Record<string, unknown>>,
): ModelField[] | undefined {
  if (rows.length < 2) return undefined
  const columns = model.fields.filter((f) => Object.hasOwn(rows[0]!, f.key))
  if (columns.length === 0) return undefined
  const plain = columns.every(
    (f) => !f.isList && f.kind !== 'JSON' && !(f.kind === 'DateTime' && !f.withTimezone),
  )
  if (!plain) return undefined
  const keys = columns.map((f) => f.key)
  // Plain loops: a bulk create checks every value of up to thousands of rows.
  for (const row of rows) {
    let given = 0
    for (const key in row) {
      const value = row[key]
      const scalar =
        typeof value === 'string' || value === null || typeof value === 'boolean' || Number.isFinite(value)
      if (!scalar) return undefined
      given++
    }
    if (given !== keys.length) return undefined
    for (const key of keys) if (!Object.hasOwn(row, key)) return undefined
  }
  return columns
}

/**
 * The columns of a recordset insert whose value is the same in every row (a status every new row
 * gets, a note), to bind once; at least one column stays per row, to give the recordset its rows.
 */
function sharedColumns(
  columns: readonly ModelField[],
  rows: ReadonlyArray<Record<string, unknown>>,
): Set<ModelField> {
  const shared = new Set<ModelField>()
  for (const f of columns) {
    const first = rows[0]![f.key]
    let same = true
    for (let i = 1; i < rows.length && same; i++) same = rows[i]![f.key] === first
    if (same) shared.add(f)
  }
  if (shared.size === columns.length) shared.delete(columns[0]!)
  return shared
}

/**
 * ONE INSERT of these rows, its values bound into `params`, returning every column (or only the
 * keys) plus the key text `__pk`, in input order: many rows as one JSON parameter where they fit
 * (see recordsetColumns), else a multi-row VALUES. With `payload`, the table is aliased
 * `payload.alias` and its `select` list (expressions over the alias: the payload's JSON, checks)
 * is returned after `__pk` instead: RETURNING does what a CTE around the INSERT would, at the
 * cost of the INSERT alone.
 */
export function insertSql(
  model: Model,
  rows: ReadonlyArray<Record<string, unknown>>,
  params: SqlParams,
  returned: 'rows' | 'keys' = 'rows',
  payload?: { alias: string; select: readonly string[] },
): string {
  let target = tableRef(model)
  let returns = returning(model, returned)
  if (payload) {
    const alias = ident(payload.alias)
    const key = renderKeyText(model, (column) => `${alias}.${ident(column)}`)
    target = `${target} as ${alias}`
    returns = `returning ${[`${key} as ${ident('__pk')}`, ...payload.select].join(', ')}`
  }
  const recordset = recordsetColumns(model, rows)
  if (recordset) {
    const shared = sharedColumns(recordset, rows)
    const perRow = recordset.filter((f) => !shared.has(f))
    const json = JSON.stringify(
      rows.map((row) => {
        const record: Record<string, unknown> = {}
        for (const f of perRow) record[f.column] = row[f.key]
        return record
      }),
    )
    const source = `json_populate_recordset(null::${tableRef(model)}, ${params.add(json)}::json)`
    // A value every row shares is bound once: the JSON the server parses shrinks, and the value is
    // read as its column's type once per statement instead of once per row.
    const select = recordset.map((f) =>
      shared.has(f) ? valueSql(f, params.add(rows[0]![f.key])) : ident(f.column),
    )
    const names = recordset.map((f) => ident(f.column)).join(', ')
    return `insert into ${target} (${names}) select ${select.join(', ')} from ${source} ${returns}`
  }
  const listed = insertColumns(model, rows)
  const tuples = rows.map((row) => {
    const cells = listed.map((field) =>
      Object.hasOwn(row, field.key) ? cellSql(field, row[field.key], params) : 'DEFAULT',
    )
    return `(${cells.join(', ')})`
  })
  return `insert into ${target} (${listed.map((f) => ident(f.column)).join(', ')}) values ${tuples.join(', ')} ${returns}`
}

/** The select list of payload JSON columns (`__n0`, …) and a row check (`__check`) over a written row. */
export function payloadSelect(columns: readonly string[], check?: string): string[] {
  return [
    ...columns.map((column, i) => `(${column})::text as ${ident(`__n${i}`)}`),
    ...(check !== undefined ? [`${check} as ${ident('__check')}`] : []),
  ]
}

/**
 * ONE statement around a write (`write` returns `*` and `__pk`, as {@link returning}): a
 * data-modifying CTE `written`, then a select of each written row (alias `w`) with its key text
 * `__pk`, every column too when `rows` is `'rows'`, and the `columns` (payload JSON over `w`) as
 * text `__n0`, `__n1`, …; in key order when `ordered`. `ctes` come before `written`; `check`
 * is evaluated for every written row.
 */
export function writtenStatement(
  model: Model,
  write: string,
  params: SqlParams,
  options: {
    rows: 'rows' | 'keys'
    columns?: readonly string[]
    ordered?: boolean
    ctes?: readonly string[]
    /** An expression over `w` that fails the statement for a row it refuses (see rowPolicyCheck). */
    check?: string
    /** CTEs after `written` (they may read it: many-to-many links of the written rows). */
    after?: readonly string[]
    /** More expressions evaluated for every written row (`__x0`, …): checks that fail the statement. */
    checks?: readonly string[]
  },
): SqlStatement {
  const w = ident('w')
  const selected = [
    options.rows === 'rows' ? `${w}.*` : `${w}.${ident('__pk')}`,
    ...payloadSelect(options.columns ?? [], options.check),
    ...(options.checks ?? []).map((check, i) => `${check} as ${ident(`__x${i}`)}`),
  ]
  const order = options.ordered
    ? ` order by ${model.primaryKey.map((f) => `${w}.${ident(f.column)}`).join(', ')}`
    : ''
  return {
    text: `with ${[...(options.ctes ?? []), `${ident('written')} as (${write})`, ...(options.after ?? [])].join(', ')} select ${selected.join(', ')} from ${ident('written')} as ${w}${order}`,
    values: params.values,
  }
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
  const params = new SqlParams()
  const sourceKeys = keyIn(source, 's', sourcePks, params)
  const from = `select s.${ident(relation.through!.sourceKeys[0]!)} as k from ${tableRef(source)} as s where ${sourceKeys}`
  const ctes = linkCtes(target, relation, action, from, targetPks, params, '')
  return { text: `with ${ctes.join(', ')} select pk from wanted`, values: params.values }
}

/**
 * The CTEs of one many-to-many change: `wanted<suffix>` (the target rows named, visible ones for
 * set/add, with their key text `pk`), `src<suffix>` (the source keys `k` that `sources` selects),
 * then the junction rows removed and added (data-modifying: they run whether read or not).
 */
export function linkCtes(
  target: Model,
  relation: Relation,
  action: 'set' | 'add' | 'remove',
  sources: string,
  targetPks: readonly string[],
  params: SqlParams,
  suffix: string,
): string[] {
  const through = relation.through!
  const junction = junctionRef(relation)
  const sc = ident(through.sourceColumns[0]!)
  const tc = ident(through.targetColumns[0]!)
  const [wanted, src] = [ident(`wanted${suffix}`), ident(`src${suffix}`)]
  const targetConditions = [
    keyIn(target, 't', targetPks, params),
    ...(action === 'remove' ? [] : visibleCondition(target, 't')),
  ]
  const targetKey = renderKeyText(target, (column) => `t.${ident(column)}`)
  const ctes = [
    `${wanted} as (select ${targetKey} as pk, t.${ident(through.targetKeys[0]!)} as k from ${tableRef(target)} as t where ${targetConditions.join(' and ')})`,
    `${src} as (${sources})`,
  ]
  if (action === 'remove') {
    ctes.push(
      `${ident(`removed${suffix}`)} as (delete from ${junction} as j using ${src}, ${wanted} where j.${sc} = ${src}.k and j.${tc} = ${wanted}.k returning 1)`,
    )
  } else {
    if (action === 'set') {
      ctes.push(
        `${ident(`removed${suffix}`)} as (delete from ${junction} as j using ${src} where j.${sc} = ${src}.k and j.${tc} not in (select k from ${wanted}) returning 1)`,
      )
    }
    // NOT EXISTS instead of ON CONFLICT: junction tables need no unique constraint for this.
    ctes.push(
      `${ident(`added${suffix}`)} as (insert into ${junction} (${sc}, ${tc}) select ${src}.k, ${wanted}.k from ${src} cross join ${wanted} where not exists (select 1 from ${junction} as e where e.${sc} = ${src}.k and e.${tc} = ${wanted}.k) returning 1)`,
    )
  }
  return ctes
}

/** The junction table of a many-to-many relation. */
export function junctionRef(relation: Relation): string {
  const through = relation.through!
  return tableRef({
    table: through.table,
    ...(through.schema !== undefined ? { schema: through.schema } : {}),
  })
}

/** What a targeted write does to its rows. */
export type TargetedAction =
  | { kind: 'update'; patch: Record<string, unknown> }
  | { kind: 'softDelete'; deleted: boolean }
  | { kind: 'delete' }
  /** No column changes (an update of links only): the rows are locked and read. */
  | { kind: 'lock' }

/**
 * ONE UPDATE or DELETE of the rows `conditions` (over alias `t`, values already in `params`)
 * select, returning every column and `__pk`. With `lock`, the rows are first locked in key order
 * (a CTE `target`), so concurrent bulk writers queue in one order instead of deadlocking. The
 * CTEs to put before `written` come back in `ctes`.
 */
export function targetedWriteSql(
  model: Model,
  action: TargetedAction,
  conditions: readonly string[],
  params: SqlParams,
  lock: boolean,
): { ctes: string[]; write: string } {
  const t = ident('t')
  const column = (name: string): string => `${t}.${ident(name)}`
  const returned = `returning ${t}.*, ${renderKeyText(model, column)} as ${ident('__pk')}`
  let set = ''
  if (action.kind === 'update') {
    set = model.fields
      .filter((f) => Object.hasOwn(action.patch, f.key))
      .map((f) => `${ident(f.column)} = ${cellSql(f, action.patch[f.key], params)}`)
      .join(', ')
  } else if (action.kind === 'softDelete') {
    set = `${ident(softDeleteFieldOf(model)!.column)} = ${action.deleted ? 'now()' : 'NULL'}`
  }
  const where = conditions.length > 0 ? conditions.join(' and ') : 'true'
  const keys = model.primaryKey.map((f) => `${t}.${ident(f.column)}`).join(', ')
  if (action.kind === 'lock') {
    // In key order, as the bulk writes lock; `__pk` as RETURNING would give it.
    const selected = `${t}.*, ${renderKeyText(model, column)} as ${ident('__pk')}`
    return {
      ctes: [],
      write: `select ${selected} from ${tableRef(model)} as ${t} where ${where} order by ${keys} for update of ${t}`,
    }
  }
  const head =
    action.kind === 'delete'
      ? `delete from ${tableRef(model)} as ${t}`
      : `update ${tableRef(model)} as ${t} set ${set}`
  if (!lock) return { ctes: [], write: `${head} where ${where} ${returned}` }
  const l = ident('l')
  const target = `${ident('target')} as (select ${keys} from ${tableRef(model)} as ${t} where ${where} order by ${keys} for update of ${t})`
  const join = model.primaryKey.map((f) => `${t}.${ident(f.column)} = ${l}.${ident(f.column)}`).join(' and ')
  const from = action.kind === 'delete' ? 'using' : 'from'
  return { ctes: [target], write: `${head} ${from} ${ident('target')} as ${l} where ${join} ${returned}` }
}

/**
 * Whether payload SQL reads the model's table itself (a relation back to it): there, one
 * statement's snapshot shows the table as it was before the write.
 */
export function rereadsTable(model: Model, columns: readonly string[]): boolean {
  return readsTable(tableRef(model), columns)
}

/** Whether SQL expressions read the table `table` (quoted, as {@link tableRef} writes it). */
export function readsTable(table: string, columns: readonly string[]): boolean {
  // The table's name where a FROM or JOIN names it: not after `.` or `"` (a column, or a longer
  // quoted name). A false match only costs the transaction.
  const escaped = table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const read = new RegExp(`(?<![."])${escaped}(?![."])`)
  return columns.some((column) => read.test(column))
}
