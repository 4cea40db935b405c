import type { GraphQLSchema } from 'graphql'
import { withInternalSchema } from '../database/index.js'
import type { Database } from '../database/index.js'
import { ensureRegistryTable, REGISTRY_ROWS, REGISTRY_TABLE } from './registryTable.js'
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
 * (creating the table on first use, in schema `graphql_auto_gen`). Safe when several processes
 * start at once: a transaction holds the internal schema's advisory lock while it compares and
 * inserts, so two servers starting with the same new schema add one version, not two.
 */
export async function recordSchema(
  db: Database,
  schema: GraphQLSchema,
  configHash: string,
): Promise<RecordSchemaResult> {
  const sdl = schemaSdl(schema)
  return withInternalSchema(db, async (tx) => {
    await ensureRegistryTable(tx)
    const { rows } = await tx.query<{ version: number; sdl: string }>({
      text: `select version, sdl from ${REGISTRY_ROWS} order by version desc limit 1`,
      values: [],
    })
    const latest = rows[0]
    if (latest !== undefined && latest.sdl === sdl) return { changed: false, version: latest.version }
    const version = (latest?.version ?? 0) + 1
    await tx.query({
      text: `insert into ${REGISTRY_TABLE} (scope, version, config_hash, sdl)\nvalues (coalesce(current_schema(), ''), $1, $2, $3)`,
      values: [version, configHash, sdl],
    })
    return { changed: true, version }
  })
}
