import type { Queryable } from '../database/index.js'

/** The registry table's name (in the database's search path, beside the application tables). */
export const REGISTRY_TABLE = 'graphql_auto_gen_schema'

/** Creates the registry table when it does not exist yet. */
export async function ensureRegistryTable(db: Queryable): Promise<void> {
  await db.query({
    text: `create table if not exists ${REGISTRY_TABLE} (
  version integer primary key,
  config_hash text not null,
  sdl text not null,
  created_at timestamptz not null default now()
)`,
    values: [],
  })
}

/** True when the registry table exists (readers do not create it). */
export async function registryTableExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ exists: boolean }>({
    text: `select to_regclass($1) is not null as "exists"`,
    values: [REGISTRY_TABLE],
  })
  return rows[0]?.exists === true
}
