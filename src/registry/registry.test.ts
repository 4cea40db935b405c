import { buildSchema } from 'graphql'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PgDatabase } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import {
  getSchemaVersion,
  LEGACY_REGISTRY_TABLE,
  listSchemaVersions,
  recordSchema,
  REGISTRY_TABLE,
  schemaSdl,
} from './index.js'

/** Starting PGlite (WASM) can take a minute when the machine is busy. */
const START_TIMEOUT = 300_000

const V1 = buildSchema('type Query { users: [User!]! }\ntype User { id: ID!, name: String }')
const V2 = buildSchema('type Query { users: [User!]! }\ntype User { id: ID!, name: String, email: String }')

describe.each(testDatabases())('schema registry on $name', ({ name, create }) => {
  let database: Database
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ database, dispose } = await create())
    // PGlite starts on first use, which takes long on a busy machine: start it here.
    await database.ping()
  }, START_TIMEOUT)

  afterAll(async () => {
    await dispose()
  })

  beforeEach(async () => {
    // The registry table is shared by every schema of the database: clear this scope's rows only.
    await database.exec(
      `do $$ begin if to_regclass('${REGISTRY_TABLE}') is not null then delete from ${REGISTRY_TABLE} where scope = current_schema(); end if; end $$`,
    )
  })

  it('creates its table on demand and adds a version only when the SDL changed', async () => {
    expect(await listSchemaVersions(database)).toEqual([])
    expect(await getSchemaVersion(database, 'latest')).toBeUndefined()
    expect(await recordSchema(database, V1, 'hash-a')).toEqual({ changed: true, version: 1 })
    expect(await recordSchema(database, V1, 'hash-b')).toEqual({ changed: false, version: 1 })
    // The same schema built again (another object, same SDL) is no change either.
    expect(await recordSchema(database, buildSchema(schemaSdl(V1)), 'hash-a')).toEqual({
      changed: false,
      version: 1,
    })
    expect(await recordSchema(database, V2, 'hash-c')).toEqual({ changed: true, version: 2 })
    // Going back is a change too: the registry compares with the latest version only.
    expect(await recordSchema(database, V1, 'hash-a')).toEqual({ changed: true, version: 3 })
    const versions = await listSchemaVersions(database)
    expect(versions.map((v) => [v.version, v.configHash, v.sdl])).toEqual([
      [1, 'hash-a', schemaSdl(V1)],
      [2, 'hash-c', schemaSdl(V2)],
      [3, 'hash-a', schemaSdl(V1)],
    ])
    for (const version of versions) {
      expect(Math.abs(Date.parse(version.createdAt) - Date.now())).toBeLessThan(60_000)
    }
    expect((await getSchemaVersion(database, 'latest'))?.version).toBe(3)
    expect((await getSchemaVersion(database, 2))?.sdl).toBe(schemaSdl(V2))
    expect(await getSchemaVersion(database, 9)).toBeUndefined()
    const { rows } = await database.query<{ count: string }>({
      text: `select count(*)::text as count from ${REGISTRY_TABLE} where scope = current_schema()`,
      values: [],
    })
    expect(rows[0]?.count).toBe('3')
  })

  it('adds one version when several callers record the same new schema at once', async () => {
    // On PostgreSQL the callers use separate connection pools, as separate server processes
    // would; on PGlite (one connection) they interleave on one database.
    const others: Database[] = []
    if (name === 'pg') {
      const { rows } = await database.query<{ schema: string }>({
        text: 'select current_schema() as schema',
        values: [],
      })
      for (let i = 0; i < 2; i++) {
        others.push(
          new PgDatabase({ url: process.env['DATABASE_URL']!, searchPath: rows[0]!.schema, max: 4 }),
        )
      }
    }
    const callers = others.length > 0 ? others : [database, database]
    try {
      // Twice: first while the table does not exist yet (concurrent CREATE TABLE IF NOT EXISTS
      // races on its own), then with a new schema over an existing version.
      for (const [schema, expected] of [
        [V1, 1],
        [V2, 2],
      ] as const) {
        const results = await Promise.all(
          callers.flatMap((db) => Array.from({ length: 4 }, () => recordSchema(db, schema, 'hash'))),
        )
        expect(results.filter((r) => r.changed)).toEqual([{ changed: true, version: expected }])
        expect(results.every((r) => r.version === expected)).toBe(true)
      }
      expect((await listSchemaVersions(database)).map((v) => v.version)).toEqual([1, 2])
    } finally {
      await Promise.all(others.map((db) => db.close()))
    }
  })

  it('keeps its table in schema graphql_auto_gen, nothing in the application schema', async () => {
    await recordSchema(database, V1, 'hash-a')
    const { rows } = await database.query<{ schema: string; name: string }>({
      text: `select n.nspname as schema, c.relname as name from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname in (current_schema(), 'graphql_auto_gen') and c.relkind = 'r'
  and (c.relname like '%graphql_auto_gen%' or c.relname = 'schema_versions') order by 1, 2`,
      values: [],
    })
    expect(rows.filter((r) => r.name === 'schema_versions' || r.name.startsWith('graphql_auto_gen'))).toEqual(
      [{ schema: 'graphql_auto_gen', name: 'schema_versions' }],
    )
  })

  it('moves a legacy graphql_auto_gen_schema table with its rows into graphql_auto_gen, once', async () => {
    await database.exec(`create table ${LEGACY_REGISTRY_TABLE} (
  version integer primary key, config_hash text not null, sdl text not null,
  created_at timestamptz not null default now())`)
    await database.query({
      text: `insert into ${LEGACY_REGISTRY_TABLE} (version, config_hash, sdl, created_at) values
(1, 'old-1', $1, '2024-01-02T03:04:05Z'), (2, 'old-2', $2, '2024-02-03T04:05:06Z')`,
      values: [schemaSdl(V1), schemaSdl(V2)],
    })
    // Readers see the legacy rows before anything migrates them.
    expect((await listSchemaVersions(database)).map((v) => v.configHash)).toEqual(['old-1', 'old-2'])
    // The next recording migrates, then compares with the migrated latest version (V2).
    expect(await recordSchema(database, V2, 'hash-new')).toEqual({ changed: false, version: 2 })
    expect(await recordSchema(database, V1, 'hash-new')).toEqual({ changed: true, version: 3 })
    const { rows } = await database.query<{ legacy: string | null }>({
      text: `select to_regclass($1)::text as legacy`,
      values: [LEGACY_REGISTRY_TABLE],
    })
    expect(rows[0]?.legacy).toBeNull()
    expect(
      (await listSchemaVersions(database)).map((v) => [v.version, v.configHash, v.createdAt.slice(0, 19)]),
    ).toEqual([
      [1, 'old-1', '2024-01-02T03:04:05'],
      [2, 'old-2', '2024-02-03T04:05:06'],
      [3, 'hash-new', expect.any(String)],
    ])
  })
})
