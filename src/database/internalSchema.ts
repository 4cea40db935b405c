import type { Database, Queryable } from './Database.js'

/**
 * The PostgreSQL schema that holds everything graphql-auto-gen creates in a user's database (the
 * schema registry, the NOTIFY trigger function). Outside `public`, so `drizzle-kit pull` never
 * turns our objects into models and `drizzle-kit push` never offers to drop them.
 */
export const INTERNAL_SCHEMA = 'graphql_auto_gen'

/**
 * Runs `work` in a transaction that holds the internal schema's advisory lock, after creating the
 * schema when it is missing. Concurrent `CREATE SCHEMA/TABLE/FUNCTION … IF NOT EXISTS / OR REPLACE`
 * race in PostgreSQL (unique violations, "tuple concurrently updated"); under one lock, servers
 * starting together take turns.
 */
export async function withInternalSchema<T>(
  database: Database,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return database.transaction(async (tx) => {
    await tx.query({ text: 'select pg_advisory_xact_lock(hashtext($1))', values: [INTERNAL_SCHEMA] })
    await tx.query({ text: `create schema if not exists ${INTERNAL_SCHEMA}`, values: [] })
    return work(tx)
  })
}
