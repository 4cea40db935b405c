// Timeouts and back-pressure on PostgreSQL: a request that cannot get a pooled connection within
// database.acquireTimeoutMs fails fast with SERVICE_UNAVAILABLE instead of queueing forever; a
// statement past database.statementTimeoutMs is cancelled and answered with SERVICE_UNAVAILABLE;
// oversized bodies and documents are refused before any SQL. The server keeps serving after each.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from '../../src/schema/index.js'
import { countStatements } from '../../src/database/index.js'
import { ErrorCodes } from '../../src/errors.js'
import { getSchemaRuntime, SchemaBuilder } from '../../src/schema/index.js'
import { createServer } from '../../src/server/index.js'
import type { AutoGenServer } from '../../src/server/index.js'
import { shopConfig } from '../../src/testing/shopFixture.js'
import { shopPostgresForTest } from './testPostgres.js'
import type { TestPostgres } from './testPostgres.js'

const PRODUCTS = '{ products(first: 3) { totalCount nodes { name } } }'

interface Answer {
  status: number
  body: {
    data?: Record<string, unknown> | null
    errors?: Array<{ message: string; extensions: Record<string, unknown> }>
  }
  elapsedMs: number
}

describe('timeouts and back-pressure on PostgreSQL', () => {
  let postgres: TestPostgres
  const servers: AutoGenServer[] = []

  /** A server built from the shop config with `database` and `limits` changed, as users configure it. */
  const start = async (database: NonNullable<UserConfig['database']>, limits: UserConfig['limits'] = {}) => {
    const schema = new SchemaBuilder({
      ...shopConfig,
      database: { url: postgres.url, ...database },
      limits,
    }).build()
    const server = createServer({ schema })
    servers.push(server)
    const url = await server.listen(0, '127.0.0.1')
    const post = async (body: unknown): Promise<Answer> => {
      const started = performance.now()
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
      const text = await response.text()
      return {
        status: response.status,
        body: JSON.parse(text) as Answer['body'],
        elapsedMs: performance.now() - started,
      }
    }
    return { schema, url, post, database: getSchemaRuntime(schema).database }
  }

  beforeAll(async () => {
    postgres = await shopPostgresForTest(0.02)
  }, 180_000)
  afterAll(async () => {
    for (const server of servers) await server.close()
    await postgres?.dispose()
  })

  it('fails fast with SERVICE_UNAVAILABLE (poolExhausted) when every pooled connection stays busy, and recovers', async () => {
    const acquireTimeoutMs = 300
    const { post, database } = await start({ poolSize: 2, acquireTimeoutMs })
    expect((await post({ query: PRODUCTS })).body.errors).toBeUndefined()

    // Two transactions hold both connections until the test lets them go.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let holding = 0
    const holders = [0, 1].map(() =>
      database.transaction(async (tx) => {
        await tx.query({ text: 'select 1', values: [] })
        holding++
        await gate
      }),
    )
    while (holding < 2) await new Promise((resolve) => setTimeout(resolve, 10))

    const refused = await Promise.all([post({ query: PRODUCTS }), post({ query: PRODUCTS })])
    for (const answer of refused) {
      expect(answer.status).toBe(200)
      expect(answer.body.data ?? null).toBeNull()
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({
        code: ErrorCodes.SERVICE_UNAVAILABLE,
        reason: 'poolExhausted',
      })
      expect(answer.body.errors?.[0]?.message).toBe('Every database connection is busy; retry shortly.')
      // Bounded: about acquireTimeoutMs, not a hang.
      expect(answer.elapsedMs).toBeGreaterThanOrEqual(acquireTimeoutMs - 20)
      expect(answer.elapsedMs).toBeLessThan(acquireTimeoutMs + 2_000)
    }
    // A mutation waits the same bounded time and writes nothing.
    const create = await post({
      query: 'mutation { createTag(input: { name: "pool-exhausted" }) { success tag { pk } } }',
    })
    expect(create.body.errors?.[0]?.extensions['code']).toBe(ErrorCodes.SERVICE_UNAVAILABLE)

    release()
    await Promise.all(holders)
    const served = await post({ query: PRODUCTS })
    expect(served.status).toBe(200)
    expect(served.body.errors).toBeUndefined()
    const { rows } = await database.query({
      text: `select 1 from tags where name = 'pool-exhausted'`,
      values: [],
    })
    expect(rows).toEqual([])
  })

  it('cancels a statement past statementTimeoutMs with SERVICE_UNAVAILABLE (statementTimeout), reads and writes alike', async () => {
    const statementTimeoutMs = 250
    const { post, database } = await start({ statementTimeoutMs })
    // Another session holds an exclusive lock, so any statement on the table blocks until cancelled.
    const locker = new pg.Client({ connectionString: postgres.url })
    await locker.connect()
    try {
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE products, tags IN ACCESS EXCLUSIVE MODE')
      const read = await post({ query: PRODUCTS })
      expect(read.status).toBe(200)
      expect(read.body.errors?.[0]?.extensions).toMatchObject({
        code: ErrorCodes.SERVICE_UNAVAILABLE,
        reason: 'statementTimeout',
      })
      expect(read.elapsedMs).toBeGreaterThanOrEqual(statementTimeoutMs - 20)
      // No driver text reaches the client.
      expect(JSON.stringify(read.body)).not.toMatch(/canceling statement|57014/i)

      const write = await post({
        query: 'mutation { createTag(input: { name: "timed-out" }) { success tag { pk } } }',
      })
      expect(write.body.errors?.[0]?.extensions).toMatchObject({
        code: ErrorCodes.SERVICE_UNAVAILABLE,
        reason: 'statementTimeout',
      })
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined)
      await locker.end()
    }
    const served = await post({ query: PRODUCTS })
    expect(served.body.errors).toBeUndefined()
    expect(served.body.data?.['products']).toMatchObject({ nodes: [{}, {}, {}] })
    const { rows } = await database.query({ text: `select 1 from tags where name = 'timed-out'`, values: [] })
    expect(rows).toEqual([])
  })

  it('refuses oversized bodies (413) and documents before any SQL, and keeps serving', async () => {
    const { post, database } = await start({}, { maxRequestBytes: 4_096, maxDocumentLength: 1_000 })
    const { result, count } = await countStatements(database, async () => ({
      body: await post({ query: PRODUCTS, variables: { pad: 'x'.repeat(5_000) } }),
      document: await post({ query: `${PRODUCTS}${' '.repeat(1_200)}` }),
    }))
    expect(result.body.status).toBe(413)
    expect(result.body.body.errors?.[0]?.extensions).toMatchObject({
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'requestBytes',
      max: 4_096,
    })
    expect(result.document.body.errors?.[0]?.extensions).toMatchObject({
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'documentLength',
      max: 1_000,
    })
    expect(count).toBe(0)
    expect((await post({ query: PRODUCTS })).body.errors).toBeUndefined()
  })
})
