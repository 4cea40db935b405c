import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { SchemaBuilder } from '../schema/index.js'
import { shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

describe.each(testDatabases())('server on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let server: AutoGenServer
  let url: string
  let dispose: () => Promise<void>

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, { scale: 0.1 })
    server = createServer({ schema: shop.schema, defaultQuery: '{ users(first: 1) { totalCount } }' })
    url = await server.listen(0, '127.0.0.1')
  })
  afterAll(async () => {
    await server.close()
    await dispose()
  })

  const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })

  it('answers GraphQL over HTTP with the same data as direct reads', async () => {
    const response = await post({ query: '{ users(first: 3) { totalCount nodes { pk username } } }' })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { data: { users: { totalCount: number; nodes: unknown[] } } }
    const rows = await shop.rows<{ pk: number; username: string }>(
      'select id as pk, username from users order by id limit 3',
    )
    const [counted] = await shop.rows<{ count: string }>('select count(*)::text as count from users')
    expect(body.data.users.nodes).toEqual(rows)
    expect(body.data.users.totalCount).toBe(Number(counted!.count))
  })

  it('reports health and readiness', async () => {
    const health = await fetch(url.replace('/graphql', '/health'))
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await fetch(url.replace('/graphql', '/ready'))
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready' })
  })

  it('serves GraphiQL to browsers with the example query prefilled', async () => {
    const response = await fetch(url, { headers: { accept: 'text/html' } })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<title>graphql-auto-gen</title>')
    expect(html).toContain('users(first: 1)')
  })

  it('sends coded errors, masking nothing a client may see and leaking nothing else', async () => {
    const response = await post({ query: '{ user(id: "bm9wZQ==") { username } }' })
    const body = (await response.json()) as {
      errors: Array<{ message: string; extensions: { code: string } }>
    }
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT')
    expect(body.errors[0]!.message).toContain('Invalid global id')
  })

  it('echoes a safe x-request-id and replaces an unsafe one', async () => {
    const seen: string[] = []
    const probe = createServer({
      schema: new SchemaBuilder(
        {
          ...shopConfig,
          plugins: [
            {
              name: 'probe',
              request(context) {
                seen.push(context.requestId)
              },
            },
          ],
        },
        { database: shop.db },
      ).build(),
    })
    const probeUrl = await probe.listen(0, '127.0.0.1')
    try {
      const query = JSON.stringify({ query: '{ __typename }' })
      const headers = { 'content-type': 'application/json' }
      await fetch(probeUrl, {
        method: 'POST',
        headers: { ...headers, 'x-request-id': 'abc-123' },
        body: query,
      })
      await fetch(probeUrl, {
        method: 'POST',
        headers: { ...headers, 'x-request-id': 'bad id\n' },
        body: query,
      })
    } finally {
      // The database belongs to the outer fixture: closing the probe must not close it, so close HTTP only.
      await new Promise<void>((resolve) => probe.http.close(() => resolve()))
    }
    expect(seen[0]).toBe('abc-123')
    expect(seen[1]).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('readiness without a database', () => {
  it('reports 503 while the database is unreachable, and stays up', async () => {
    const database = new PgDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 })
    const server = createServer({ schema: new SchemaBuilder(shopConfig, { database }).build() })
    const url = await server.listen(0, '127.0.0.1')
    try {
      const ready = await fetch(url.replace('/graphql', '/ready'))
      expect(ready.status).toBe(503)
      const health = await fetch(url.replace('/graphql', '/health'))
      expect(health.status).toBe(200)
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ users(first: 1) { totalCount } }' }),
      })
      const body = (await response.json()) as {
        errors: Array<{ message: string; extensions: { code: string; reason?: string } }>
      }
      // A database that is away is a coded, retryable condition, not an internal error.
      expect(body.errors[0]!.extensions).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        reason: 'databaseUnavailable',
      })
      expect(body.errors[0]!.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/)
    } finally {
      await server.close()
    }
  })
})
