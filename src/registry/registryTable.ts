import { INTERNAL_SCHEMA } from '../database/index.js'
import type { Queryable } from '../database/index.js'

/**
 * The registry table, in our own PostgreSQL schema. Several applications may share one database
 * (each in its own schema, on its own `search_path`): a row's `scope` is the application's
 * current schema, so each keeps its own versions, as when the table lived beside its tables.
 */
export const REGISTRY_TABLE = `${INTERNAL_SCHEMA}.schema_versions`

/** Where versions 0.1 kept the registry: a table in the application's schema (found by search path). */
export const LEGACY_REGISTRY_TABLE = 'graphql_auto_gen_schema'

/** The calling application's scope: its current schema. */
const SCOPE = `coalesce(current_schema(), '')`

/** The registry rows of the calling application, as a FROM item aliased `r`. */
export const REGISTRY_ROWS = `(select version, config_hash, sdl, created_at from ${REGISTRY_TABLE} where scope = ${SCOPE}) as r`

/**
 * Creates the registry table when it does not exist yet, and moves the rows of a legacy
 * `graphql_auto_gen_schema` table (in the search path) into it, dropping that table: it runs once.
 * Call inside `withInternalSchema` (the schema exists and concurrent callers wait their turn).
 */
export async function ensureRegistryTable(tx: Queryable): Promise<void> {
  await tx.query({
    text: `create table if not exists ${REGISTRY_TABLE} (
  scope text not null,
  version integer not null,
  config_hash text not null,
  sdl text not null,
  created_at timestamptz not null default now(),
  primary key (scope, version)
)`,
    values: [],
  })
  const legacy = await legacyTable(tx)
  if (legacy === undefined) return
  await tx.query({
    text: `insert into ${REGISTRY_TABLE} (scope, version, config_hash, sdl, created_at)
select $1, version, config_hash, sdl, created_at from ${legacy.ref}
on conflict do nothing`,
    values: [legacy.schema],
  })
  await tx.query({ text: `drop table ${legacy.ref}`, values: [] })
}

/**
 * The FROM item readers select from: the calling application's rows, or a legacy table not yet
 * migrated (readers never write); undefined when there is no registry yet.
 */
export async function registryRows(db: Queryable): Promise<string | undefined> {
  // A legacy table still present has not been migrated: it holds this application's versions.
  const legacy = await legacyTable(db)
  if (legacy !== undefined) return `${legacy.ref} as r`
  const { rows } = await db.query<{ exists: boolean }>({
    text: `select to_regclass($1) is not null as "exists"`,
    values: [REGISTRY_TABLE],
  })
  return rows[0]?.exists === true ? REGISTRY_ROWS : undefined
}

/** The legacy registry table in the search path, when there is one (and it is not ours). */
async function legacyTable(db: Queryable): Promise<{ schema: string; ref: string } | undefined> {
  const { rows } = await db.query<{ schema: string }>({
    text: `select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.oid = to_regclass($1) and n.nspname <> $2`,
    values: [LEGACY_REGISTRY_TABLE, INTERNAL_SCHEMA],
  })
  const schema = rows[0]?.schema
  if (schema === undefined) return undefined
  return { schema, ref: `"${schema.replaceAll('"', '""')}".${LEGACY_REGISTRY_TABLE}` }
}
