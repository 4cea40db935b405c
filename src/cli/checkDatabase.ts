import type { Database } from '../database/index.js'
import { probeConnection } from '../database/index.js'
import type { Model, ModelField, ModelGraph } from '../models/index.js'

/** A mismatch between the models and the live database, or a database that cannot be reached. */
export interface DatabaseProblem {
  kind: 'database-unreachable' | 'database-mismatch'
  /** `database` or the model (`models.orders`). */
  where: string
  message: string
  fix: string
}

const PUSH_FIX =
  'Run `npm run db:push` (drizzle-kit push) so the database matches the models, or change the model to match the database (`drizzle-kit pull` writes models from it).'

/**
 * Checks the live database against the models, as `serve`, `load` and `doctor` do on start:
 * the server answers at all (for PostgreSQL, with host:port and the driver's reason when not),
 * every model's table or view exists, and each of its columns exists with a type the model's
 * column can read and write (and is NOT NULL when the model says so). Returns every problem found.
 */
export async function checkDatabase(
  database: Database,
  graph: ModelGraph,
  url?: string,
): Promise<DatabaseProblem[]> {
  if (database.kind === 'pg' && url !== undefined) {
    const unreachable = await probeConnection(url)
    if (unreachable !== undefined) {
      return [
        {
          kind: 'database-unreachable',
          where: 'database',
          message: unreachable,
          fix: 'Start PostgreSQL or correct database.url / DATABASE_URL (host, port, user, password, database name).',
        },
      ]
    }
  }
  const catalog = await readCatalog(database, graph.models)
  return graph.models.flatMap((model) => modelProblems(model, catalog.get(tableRef(model))))
}

/** A table's columns as the database has them, by name. */
interface CatalogTable {
  kind: string
  columns: Map<string, CatalogColumn>
}

interface CatalogColumn {
  type: string
  typeName: string
  typeType: string
  isArray: boolean
  notNull: boolean
}

async function readCatalog(database: Database, models: readonly Model[]): Promise<Map<string, CatalogTable>> {
  const { rows } = await database.query<{
    ref: string
    kind: string
    column: string | null
    type: string | null
    type_name: string | null
    type_type: string | null
    is_array: boolean | null
    not_null: boolean | null
  }>({
    text: `select r.ref, c.relkind::text as kind, a.attname as "column", format_type(a.atttypid, a.atttypmod) as type,
  coalesce(e.typname, t.typname) as type_name, coalesce(e.typtype, t.typtype)::text as type_type,
  e.oid is not null as is_array, a.attnotnull as not_null
from unnest($1::text[]) as r(ref)
join pg_class c on c.oid = to_regclass(r.ref)
left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
left join pg_type t on t.oid = a.atttypid
left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'`,
    values: [models.map(tableRef)],
  })
  const tables = new Map<string, CatalogTable>()
  for (const row of rows) {
    let table = tables.get(row.ref)
    if (!table) tables.set(row.ref, (table = { kind: row.kind, columns: new Map() }))
    if (row.column === null) continue
    table.columns.set(row.column, {
      type: row.type ?? '',
      typeName: row.type_name ?? '',
      typeType: row.type_type ?? '',
      isArray: row.is_array === true,
      notNull: row.not_null === true,
    })
  }
  return tables
}

function modelProblems(model: Model, table: CatalogTable | undefined): DatabaseProblem[] {
  const where = `models.${model.name}`
  const shown = tableRef(model)
  if (!table) {
    return [
      {
        kind: 'database-mismatch',
        where,
        message: `Table ${shown} does not exist in the database (looked up through its search_path).`,
        fix: PUSH_FIX,
      },
    ]
  }
  const isView = table.kind === 'v' || table.kind === 'm'
  const problems: DatabaseProblem[] = []
  for (const field of model.fields) {
    const column = table.columns.get(field.column)
    const message = !column
      ? `Column ${shown}.${field.column} does not exist in the database.`
      : columnMismatch(field, column, isView)
    if (message !== undefined)
      problems.push({
        kind: 'database-mismatch',
        where,
        message: column ? `Column ${shown}.${field.column}: ${message}` : message,
        fix: PUSH_FIX,
      })
  }
  return problems
}

/** PostgreSQL type names (`pg_type.typname`) each kind of model column reads and writes. */
const TYPES_BY_KIND: Record<string, readonly string[]> = {
  Int: ['int2', 'int4'],
  BigInt: ['int2', 'int4', 'int8'],
  Float: ['float4', 'float8'],
  Decimal: ['numeric'],
  Boolean: ['bool'],
  DateTime: ['timestamp', 'timestamptz'],
  Date: ['date'],
  Time: ['time', 'timetz'],
  JSON: ['json', 'jsonb'],
  UUID: ['uuid'],
}

const TEXT_TYPES = ['text', 'varchar', 'bpchar', 'name', 'citext']

/** Why a column cannot back the model's field, or undefined when it can. */
function columnMismatch(field: ModelField, column: CatalogColumn, isView: boolean): string | undefined {
  const declared = `the model declares ${field.sqlType}${field.isList ? '[]' : ''}`
  if (field.isList !== column.isArray) return `the database has ${column.type}, ${declared}.`
  if (!typeFits(field, column)) return `the database has ${column.type}, ${declared}.`
  // A view's columns are never marked NOT NULL in the catalog, whatever they hold.
  if (!field.nullable && !column.notNull && !isView)
    return `the database allows NULL, the model says notNull() (reads of a NULL would fail).`
  return undefined
}

function typeFits(field: ModelField, column: CatalogColumn): boolean {
  if (field.kind === 'Enum') return column.typeType === 'e' && column.typeName === field.enum?.sqlName
  const types = TYPES_BY_KIND[field.kind]
  if (types) return types.includes(column.typeName)
  // String: a text column, or any other type the model names itself (bytea, inet, a domain…).
  const base = field.sqlType.replace(/\[\]$/, '').split('(')[0]!.trim().toLowerCase()
  if (/^(text|varchar|char|character)/.test(base)) return TEXT_TYPES.includes(column.typeName)
  return true
}

function tableRef(model: Pick<Model, 'schema' | 'table'>): string {
  const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`
  return model.schema !== undefined ? `${ident(model.schema)}.${ident(model.table)}` : ident(model.table)
}

/**
 * Readiness that holds until the database matches: the startup check's result, re-checked at
 * most every `intervalMs` while it fails (so `npm run db:push` on a running server turns `/ready`
 * green without a restart). Resolves to a short reason when not ready.
 */
export function databaseReadiness(
  check: () => Promise<DatabaseProblem[]>,
  first: DatabaseProblem[],
  intervalMs = 5000,
): () => Promise<string | undefined> {
  let problems = first
  let checkedAt = Date.now()
  let running: Promise<void> | undefined
  return async () => {
    if (problems.length > 0 && Date.now() - checkedAt >= intervalMs) {
      running ??= check()
        .then(
          (found) => void (problems = found),
          () => {},
        )
        .finally(() => {
          checkedAt = Date.now()
          running = undefined
        })
      await running
    }
    if (problems.length === 0) return undefined
    return problems[0]!.kind === 'database-unreachable' ? 'database unreachable' : 'database schema mismatch'
  }
}

/** The lines `serve`, `load` and `doctor`-like callers print for problems: each, then each fix once. */
export function problemLines(problems: readonly DatabaseProblem[]): string[] {
  const unreachable = problems.find((p) => p.kind === 'database-unreachable')
  const head = unreachable
    ? unreachable.message
    : `The database does not match the models: ${problems.length} problem${problems.length === 1 ? '' : 's'}.`
  const lines = unreachable ? [] : problems.map((p) => `  ✗ ${p.where}: ${p.message}`)
  const fixes = [...new Set(problems.map((p) => p.fix))]
  return [head, ...lines, ...fixes.map((fix) => `  fix: ${fix}`)]
}
