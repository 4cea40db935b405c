// Test helper: the databases every database-touching test runs on (never part of the build).
import { randomBytes } from 'node:crypto'
import { PgDatabase, PGliteDatabase } from '../database/index.js'
import type { Database } from '../database/index.js'
import { runAdmin } from './runAdmin.js'

/** One database a test suite runs against: `create` makes a fresh, empty one each call. */
export interface TestDatabase {
  /** Which backend this entry creates; handy as a `describe.each` title. */
  name: 'pglite' | 'pg'
  /** Creates a fresh database; `dispose` closes it and deletes everything it held. */
  create: () => Promise<{ database: Database; dispose: () => Promise<void> }>
}

/**
 * The databases every database-touching test runs on: always a fresh in-memory PGlite, plus
 * PostgreSQL when `DATABASE_URL` is set. Each PostgreSQL database lives in its own new schema
 * (`search_path` points there), so test files running in parallel never see each other's tables
 * or enum types.
 */
export function testDatabases(): TestDatabase[] {
  const entries: TestDatabase[] = [
    {
      name: 'pglite',
      create: async () => {
        const database = new PGliteDatabase()
        return { database, dispose: () => database.close() }
      },
    },
  ]
  const url = process.env['DATABASE_URL']
  if (url !== undefined && url !== '') {
    entries.push({
      name: 'pg',
      create: async () => {
        // Random hex needs no quoting, and is all lower case, as PostgreSQL folds names.
        const schema = `t_${randomBytes(8).toString('hex')}`
        await runAdmin(url, `CREATE SCHEMA ${schema}`)
        const database = new PgDatabase({ url, searchPath: schema, max: 4 })
        return {
          database,
          dispose: async () => {
            await database.close()
            // The schema registry keeps its rows in graphql_auto_gen, scoped by schema name.
            await runAdmin(
              url,
              `DROP SCHEMA IF EXISTS ${schema} CASCADE; DO $$ BEGIN IF to_regclass('graphql_auto_gen.schema_versions') IS NOT NULL THEN DELETE FROM graphql_auto_gen.schema_versions WHERE scope = '${schema}'; END IF; END $$`,
            )
          },
        }
      },
    })
  }
  return entries
}
