import type { Database } from '../database/index.js'
import { AutoGenError, ErrorCodes } from '../errors.js'
import type { DatabaseCatalog, ModelGraph } from '../models/index.js'

/**
 * Reads from the live database what the models file cannot say: `COMMENT ON` tables, columns and
 * enum types, and which tables are partitions of a partitioned table (one statement). A database
 * that cannot be reached (or refuses the login, or does not exist) yields an empty catalog: the
 * startup check reports it, and the schema is then built from the models alone.
 */
export async function readCatalog(database: Database, graph: ModelGraph): Promise<DatabaseCatalog> {
  const catalog = emptyCatalog()
  if (graph.models.length === 0) return catalog
  let rows: CatalogRow[]
  try {
    rows = (
      await database.query<CatalogRow>({
        text: CATALOG_SQL,
        values: [
          graph.models.map((m) => m.name),
          graph.models.map(tableRef),
          graph.enums.map((e) => e.sqlName),
        ],
      })
    ).rows
  } catch (error) {
    if (cannotConnect(error)) return catalog
    throw error
  }
  for (const row of rows) {
    if (row.enum_name !== null) {
      if (row.comment !== null) catalog.enumComments.set(row.enum_name, row.comment)
      continue
    }
    const model = row.model!
    catalog.tables.set(model, {
      ...(row.comment !== null ? { comment: row.comment } : {}),
      columnComments: new Map(Object.entries(row.column_comments ?? {})),
    })
    if (row.parent_table !== null) {
      const own = graph.models.find((m) => m.name === model)
      catalog.partitionOf.set(model, {
        table: row.parent_table,
        ...(row.parent_comment !== null ? { comment: row.parent_comment } : {}),
        columnComments: new Map(Object.entries(row.parent_column_comments ?? {})),
        // Named with its schema only when the partition model is, or the parent lives elsewhere.
        ...(own?.schema !== undefined || row.parent_schema !== row.own_schema
          ? { schema: row.parent_schema! }
          : {}),
      })
    }
  }
  return catalog
}

/** A catalogue that knows nothing: no comments, no partitions. */
export function emptyCatalog(): DatabaseCatalog {
  return { tables: new Map(), enumComments: new Map(), partitionOf: new Map() }
}

/** The database is away, refuses our credentials or does not exist (the startup check says which). */
function cannotConnect(error: unknown): boolean {
  if (error instanceof AutoGenError) return error.code === ErrorCodes.SERVICE_UNAVAILABLE
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^(08|28|3D)/.test(code)
}

interface CatalogRow {
  model: string | null
  enum_name: string | null
  comment: string | null
  column_comments: Record<string, string> | null
  own_schema: string | null
  parent_schema: string | null
  parent_table: string | null
  parent_comment: string | null
  parent_column_comments: Record<string, string> | null
}

const CATALOG_SQL = `select m.model, null::text as enum_name, obj_description(c.oid, 'pg_class') as comment,
  (select json_object_agg(a.attname, col_description(c.oid, a.attnum)) from pg_attribute a
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      and col_description(c.oid, a.attnum) is not null) as column_comments,
  n.nspname as own_schema, pn.nspname as parent_schema, pc.relname as parent_table,
  obj_description(pc.oid, 'pg_class') as parent_comment,
  (select json_object_agg(a.attname, col_description(pc.oid, a.attnum)) from pg_attribute a
    where a.attrelid = pc.oid and a.attnum > 0 and not a.attisdropped
      and col_description(pc.oid, a.attnum) is not null) as parent_column_comments
from unnest($1::text[], $2::text[]) as m(model, ref)
join pg_class c on c.oid = to_regclass(m.ref)
join pg_namespace n on n.oid = c.relnamespace
left join pg_inherits i on i.inhrelid = c.oid
left join pg_class pc on pc.oid = i.inhparent and pc.relkind = 'p'
left join pg_namespace pn on pn.oid = pc.relnamespace
union all
select null, e.name, obj_description(to_regtype(e.name), 'pg_type'), null, null, null, null, null, null
from unnest($3::text[]) as e(name)
where to_regtype(e.name) is not null`

function tableRef(model: { table: string; schema?: string }): string {
  const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`
  return model.schema !== undefined ? `${ident(model.schema)}.${ident(model.table)}` : ident(model.table)
}
