// A PostgreSQL database URL for one test file: a fresh schema on DATABASE_URL (search_path set
// through the URL's `options`, so configs and child processes use it unchanged), or a private
// cluster when DATABASE_URL is not set — the test runs either way, it never skips.
import { randomBytes } from 'node:crypto'
import { runAdmin } from '../../src/testing/runAdmin.js'
import { PgDatabase } from '../../src/database/index.js'
import { withShop } from '../../src/testing/shopFixture.js'
import { startPrivatePostgres } from './privatePostgres.js'

/** A database URL of the test's own, and how to drop it. */
export interface TestPostgres {
  url: string
  dispose(): Promise<void>
}

/** See the file comment. */
export async function postgresForTest(): Promise<TestPostgres> {
  const shared = process.env['DATABASE_URL']
  if (shared === undefined || shared === '') {
    const cluster = await startPrivatePostgres()
    return { url: cluster.url, dispose: () => cluster.destroy() }
  }
  // Random hex needs no quoting, and is all lower case, as PostgreSQL folds names.
  const schema = `t_${randomBytes(8).toString('hex')}`
  await runAdmin(shared, `CREATE SCHEMA ${schema}`)
  const url = new URL(shared)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return { url: url.toString(), dispose: () => runAdmin(shared, `DROP SCHEMA IF EXISTS ${schema} CASCADE`) }
}

/** {@link postgresForTest} with the shop example's tables and rows (`scale` as in `withShop`). */
export async function shopPostgresForTest(scale: number): Promise<TestPostgres> {
  const postgres = await postgresForTest()
  const database = new PgDatabase({ url: postgres.url })
  try {
    await withShop(database, { scale })
  } finally {
    await database.close()
  }
  return postgres
}
