import type { Queryable } from '../database/index.js'
import { registryRows } from './registryTable.js'

/** One recorded version of the schema. */
export interface SchemaVersion {
  version: number
  configHash: string
  sdl: string
  /** ISO 8601, UTC. */
  createdAt: string
}

/** Every recorded version, oldest first (none when the registry table does not exist yet). */
export async function listSchemaVersions(db: Queryable): Promise<SchemaVersion[]> {
  const from = await registryRows(db)
  if (from === undefined) return []
  const { rows } = await db.query<Row>({
    text: `select version, config_hash, sdl, created_at from ${from} order by version`,
    values: [],
  })
  return rows.map(toVersion)
}

/** One version by number, or the latest when `version` is `'latest'`; undefined when absent. */
export async function getSchemaVersion(
  db: Queryable,
  version: number | 'latest',
): Promise<SchemaVersion | undefined> {
  const from = await registryRows(db)
  if (from === undefined) return undefined
  const { rows } = await db.query<Row>(
    version === 'latest'
      ? {
          text: `select version, config_hash, sdl, created_at from ${from} order by version desc limit 1`,
          values: [],
        }
      : {
          text: `select version, config_hash, sdl, created_at from ${from} where version = $1`,
          values: [version],
        },
  )
  return rows[0] && toVersion(rows[0])
}

interface Row {
  version: number
  config_hash: string
  sdl: string
  created_at: Date | string
}

function toVersion(row: Row): SchemaVersion {
  return {
    version: Number(row.version),
    configHash: row.config_hash,
    sdl: row.sdl,
    createdAt: new Date(row.created_at).toISOString(),
  }
}
