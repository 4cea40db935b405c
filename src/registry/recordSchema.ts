import type { GraphQLSchema } from 'graphql'
import type { Database } from '../database/index.js'
import { ensureRegistryTable, REGISTRY_TABLE } from './registryTable.js'
import { schemaSdl } from './schemaSdl.js'

/** What {@link recordSchema} did. */
export interface RecordSchemaResult {
  /** True when a new version was added (the SDL differs from the latest version's). */
  changed: boolean
  /** The new version, or the latest one when nothing changed. */
  version: number
}

/**
 * Records the schema as a new registry version when its SDL differs from the latest version's
 * (creating the table on first use). Safe when several processes start at once: a transaction
 * holds an advisory lock for the registry of this schema while it compares and inserts, so two
 * servers starting with the same new schema add one version, not two.
 */
export async function recordSchema(
  db: Database,
  schema: GraphQLSchema,
  configHash: string,
): Promise<RecordSchemaResult> {
  const sdl = schemaSdl(schema)
  return db.transaction(async (tx) => {
    // Keyed on the current schema so registries in different PostgreSQL schemas do not wait for
    // each other. Taken before CREATE TABLE IF NOT EXISTS, which itself races when concurrent.
    await tx.query({
      text: `select pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || '.' || $1))`,
      values: [REGISTRY_TABLE],
    })
    await ensureRegistryTable(tx)
    const { rows } = await tx.query<{ version: number; sdl: string }>({
      text: `select version, sdl from ${REGISTRY_TABLE} order by version desc limit 1`,
      values: [],
    })
    const latest = rows[0]
    if (latest !== undefined && latest.sdl === sdl) return { changed: false, version: latest.version }
    const version = (latest?.version ?? 0) + 1
    await tx.query({
      text: `insert into ${REGISTRY_TABLE} (version, config_hash, sdl) values ($1, $2, $3)`,
      values: [version, configHash, sdl],
    })
    return { changed: true, version }
  })
}
