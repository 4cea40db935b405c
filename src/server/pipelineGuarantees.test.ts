// Two promises of the one pipeline that used to break in the seams between paths:
// - a statement that fails on the compiled route (here: hits statement_timeout) runs once, and
//   its failure is that field's error (no silent re-run on another path);
// - the `rateLimit` field is never served from the response cache: never another caller's
//   budget, never a stale one, whatever route or cache state.
import { randomBytes } from 'node:crypto'
import { pgTable, serial, text } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthUser } from '../auth/index.js'
import { countStatements, PgDatabase } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import type { PipelineOperation, Plugin } from '../plugins/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

interface Answer {
  status: number
  body: {
    data?: Record<string, unknown> | null
    errors?: Array<{ message: string; extensions: Record<string, unknown> }>
  }
  statements: number
}

async function post(
  database: Database,
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const { result, count } = await countStatements(database, async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    })
    return { status: response.status, body: (await response.json()) as Answer['body'] }
  })
  return { ...result, statements: count }
}

const databaseUrl = process.env['DATABASE_URL'] ?? ''

describe.skipIf(databaseUrl === '')('a compiled statement that hits statement_timeout on PostgreSQL', () => {
  const schemaName = `t_${randomBytes(8).toString('hex')}`
  const naps = pgTable('naps', { id: serial('id').primaryKey(), label: text('label') })
  let database: PgDatabase
  let server: AutoGenServer
  let url: string
  const operations: PipelineOperation[] = []
  const admin = () =>
    new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schemaName}` })

  beforeAll(async () => {
    const client = admin()
    await client.connect()
    await client.query(`CREATE SCHEMA ${schemaName}`)
    await client.query(
      `CREATE TABLE naps (id serial PRIMARY KEY, label text); INSERT INTO naps (label) VALUES ('a')`,
    )
    await client.end()
    database = new PgDatabase({ url: databaseUrl, searchPath: schemaName, max: 2, statementTimeoutMs: 300 })
    const capture: Plugin = {
      name: 'test:capture',
      server: () => ({ operation: { report: (operation) => void operations.push(operation) } }),
    }
    server = createServer({
      schema: new SchemaBuilder({ models: { naps }, plugins: [capture] }, { database }).build(),
    })
    url = await server.listen(0, '127.0.0.1')
  })
  afterAll(async () => {
    await server?.close()
    const client = admin()
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schemaName} CASCADE`)
    await client.end()
  })

  it('runs exactly once, and its failure is the error of that field', async () => {
    const query = '{ naps(first: 1) { nodes { label } } }'
    const fine = await post(database, url, query)
    expect(fine).toMatchObject({ statements: 1, body: { data: { naps: { nodes: [{ label: 'a' }] } } } })
    expect(operations.at(-1)!.route?.route).toBe('compiled')
    // Another session holds the table: the read waits for the lock until statement_timeout.
    const locker = admin()
    await locker.connect()
    await locker.query('BEGIN; LOCK TABLE naps IN ACCESS EXCLUSIVE MODE')
    let timedOut: Answer
    try {
      timedOut = await post(database, url, query)
    } finally {
      await locker.query('ROLLBACK')
      await locker.end()
    }
    expect(timedOut.statements).toBe(1)
    expect(operations.at(-1)!.route).toEqual({
      route: 'graphql-js',
      reason: 'a statement failed: graphql-js over the rows read',
    })
    // `naps` is non-null, so its error nulls `data`, exactly as graphql-js resolving it would.
    expect(timedOut.body.data).toBeNull()
    expect(timedOut.body.errors).toHaveLength(1)
    expect(timedOut.body.errors![0]).toMatchObject({
      path: ['naps'],
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'statementTimeout' },
    })
    expect(await post(database, url, query)).toMatchObject({ statements: 1, body: fine.body })
  })
})

describe.each(testDatabases())('rateLimit with the response cache on $name', (entry: TestDatabase) => {
  let database: Database
  let dispose: () => Promise<void>
  let server: AutoGenServer
  let url: string

  beforeAll(async () => {
    const created = await entry.create()
    database = created.database
    dispose = created.dispose
    await withShop(database, { scale: 0.05 })
    const schema = buildShopSchema(sharedDatabase(database), {
      ...shopConfig,
      security: {
        rateLimiting: { points: 100, durationSeconds: 60, store: 'memory', trustProxy: true },
        authenticate: (request: Request) => {
          const header = request.headers.get('x-test-user')
          return header ? (JSON.parse(header) as Partial<AuthUser>) : null
        },
      },
      cache: { responses: { enabled: true } },
    })
    server = createServer({ schema })
    url = await server.listen(0, '127.0.0.1')
  }, 120_000)
  afterAll(async () => {
    await server?.close()
    await dispose()
  })

  const user = (id: string) => ({ 'x-test-user': JSON.stringify({ id, isAuthenticated: true }) })
  const from = (address: string) => ({ 'x-forwarded-for': address })
  const BUDGET = '{ rateLimit { cost remaining used } users(first: 1) { nodes { pk } } }'
  const remaining = (answer: Answer) => (answer.body.data?.['rateLimit'] as { remaining: number }).remaining

  it('caches answers that do not depend on the caller (the control)', async () => {
    const query = '{ users(first: 1) { nodes { pk } } }'
    expect((await post(database, url, query, user('1'))).statements).toBe(1)
    const again = await post(database, url, query, user('1'))
    expect(again).toMatchObject({ statements: 0, body: { data: { users: { nodes: [{ pk: 1 }] } } } })
  })

  it('never serves rateLimit stale or shared, to users or to anonymous callers', async () => {
    // Each costs 2 (1 + one row); every request spends and reports its own caller's budget.
    const a1 = await post(database, url, BUDGET, user('10'))
    const a2 = await post(database, url, BUDGET, user('10'))
    const b1 = await post(database, url, BUDGET, user('11'))
    const x1 = await post(database, url, BUDGET, from('10.0.0.1'))
    const y1 = await post(database, url, BUDGET, from('10.0.0.2'))
    const x2 = await post(database, url, BUDGET, from('10.0.0.1'))
    expect([a1, a2, b1, x1, y1, x2].map(remaining)).toEqual([98, 96, 98, 98, 98, 96])
    expect(a2.body.data?.['rateLimit']).toEqual({ cost: 2, remaining: 96, used: 4 })
    // None of them came from the cache: each ran its statement.
    expect([a1, a2, b1, x1, y1, x2].map((answer) => answer.statements)).toEqual([1, 1, 1, 1, 1, 1])
  })

  it('recognises rateLimit behind aliases and fragments', async () => {
    const query =
      '{ ...Budget users(first: 1) { nodes { pk } } } fragment Budget on Query { left: rateLimit { remaining } }'
    const first = await post(database, url, query, from('10.0.0.3'))
    const second = await post(database, url, query, from('10.0.0.3'))
    expect(
      [first, second].map((answer) => (answer.body.data?.['left'] as { remaining: number }).remaining),
    ).toEqual([98, 96])
  })
})
