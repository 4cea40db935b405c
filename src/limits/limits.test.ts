// Integration tests over HTTP (createServer on the shop example): cost in extensions, the
// rateLimit field and RateLimit-* headers with the memory store, and abusive requests, each
// refused with a coded error before any SQL runs.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from '../schema/index.js'
import { resolveConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import { codeOf, startTestServer } from '../testing/testServer.js'
import type { Posted, TestServer } from '../testing/testServer.js'

/** Refusals must be quick: far below any query's time, generous for a loaded 2-core machine. */
const QUICK_MS = 3_000

function limited(points: number, extra: Partial<UserConfig> = {}): UserConfig {
  return {
    ...shopConfig,
    // A low limit, so the refusals below need only small documents.
    performance: { maxQueryComplexity: 1000 },
    security: { rateLimiting: { points, durationSeconds: 60, keyPrefix: `gag:test:${randomUUID()}` } },
    limits: { fieldSuggestions: false, costInResponse: true },
    ...extra,
  }
}

describe.each(testDatabases())('limits over HTTP on $name', ({ create }) => {
  let database: Database
  let dispose: () => Promise<void>
  let api: TestServer
  let small: TestServer

  beforeAll(async () => {
    const created = await create()
    database = created.database
    dispose = created.dispose
    await withShop(database, { scale: 0.05 })
    api = await startTestServer(buildShopSchema(sharedDatabase(database), limited(100_000)), database)
    small = await startTestServer(buildShopSchema(sharedDatabase(database), limited(30)), database)
  }, 120_000)
  afterAll(async () => {
    await api?.server.close()
    await small?.server.close()
    await dispose()
  })

  it('reports requested and actual cost, the rateLimit field and RateLimit-* headers', async () => {
    const source =
      '{ users(first: 4) { nodes { id orders(first: 3) { nodes { id } } } } rateLimit { cost limit remaining used resetAt } }'
    const first = await api.post({ query: source })
    expect(first.status).toBe(200)
    expect(first.body.errors).toBeUndefined()
    expect(first.statements).toBe(1)
    // requested: users 1 + 4 × (row 1 + orders (1 + 3 × 1)) = 1 + 4 × 5 = 21
    type Data = {
      users: { nodes: Array<{ orders: { nodes: unknown[] } }> }
      rateLimit: Record<string, unknown>
    }
    const data = first.body.data as unknown as Data
    const actual = 1 + data.users.nodes.reduce((sum, user) => sum + 2 + user.orders.nodes.length, 0)
    const cost = first.body.extensions?.['cost'] as Record<string, unknown>
    expect(cost).toMatchObject({ requestedQueryCost: 21, actualQueryCost: actual, maximumQueryCost: 1000 })
    expect(data.rateLimit).toMatchObject({ cost: 21, limit: 100_000, remaining: 100_000 - 21, used: 21 })
    expect(Date.parse(String(data.rateLimit['resetAt']))).toBeGreaterThan(Date.now())
    expect(cost['throttleStatus']).toMatchObject({ limit: 100_000, remaining: 100_000 - 21 })
    expect(first.headers.get('ratelimit-limit')).toBe('100000')
    expect(first.headers.get('ratelimit-remaining')).toBe(String(100_000 - 21))
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0)
    expect(Number(first.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(60)

    // rateLimit alone costs nothing and reads the same budget.
    const free = await api.post({ query: '{ rateLimit { cost remaining } }' })
    expect(free.statements).toBe(0)
    expect(free.body.data?.['rateLimit']).toEqual({ cost: 0, remaining: 100_000 - 21 })
  })

  it('refuses a request over the budget with RATE_LIMITED, Retry-After and no SQL; cheaper ones still pass', async () => {
    // 30 points: users (default page 20) costs 21 → 9 left.
    const spent = await small.post({ query: '{ users { nodes { id } } }' })
    expect(spent.body.errors).toBeUndefined()
    expect(spent.headers.get('ratelimit-remaining')).toBe('9')
    const refused = await small.post({ query: '{ users(first: 10) { nodes { id } } }' })
    expect(refused.status).toBe(429)
    expect(codeOf(refused)).toBe(ErrorCodes.RATE_LIMITED)
    expect(refused.statements).toBe(0)
    const retryAfter = refused.body.errors![0]!.extensions['retryAfter'] as number
    expect(retryAfter).toBeGreaterThan(0)
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter))
    expect(refused.headers.get('ratelimit-remaining')).toBe('9')
    expect(refused.body.errors![0]!.extensions).toMatchObject({ cost: 11, remaining: 9 })
    // A refused request spends nothing: 6 points still fit in the 9 left.
    const cheap = await small.post({ query: '{ users(first: 5) { nodes { id } } }' })
    expect(cheap.body.errors).toBeUndefined()
    expect(cheap.statements).toBe(1)
    expect(cheap.headers.get('ratelimit-remaining')).toBe('3')
  })

  const deepCycle = (hops: number, page: number) =>
    `{ users(first: ${page}) { nodes { ${'orders(first: 1) { nodes { user { '.repeat(hops)}id${' } } }'.repeat(hops)} } } }`

  const abusive: Array<{
    name: string
    body: () => unknown
    code: string
    limit?: string
    status?: number
    init?: RequestInit
  }> = [
    {
      name: 'alias bomb',
      body: () => ({
        query: `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: users(first: 1) { nodes { id } }`).join(' ')} }`,
      }),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'aliases',
    },
    {
      name: 'deep relation cycle',
      body: () => ({ query: deepCycle(8, 1) }),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'depth',
    },
    {
      name: 'costly relation cycle (shallow enough, pages too big)',
      body: () => ({ query: deepCycle(3, 100).replaceAll('first: 1)', 'first: 50)') }),
      code: ErrorCodes.QUERY_TOO_COMPLEX,
    },
    {
      name: 'huge first',
      body: () => ({ query: '{ users(first: 2000000000) { nodes { id } } }' }),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'pageSize',
    },
    {
      name: 'huge first in a variable',
      body: () => ({
        query: 'query($n: Int) { users { nodes { orders(first: $n) { nodes { id } } } } }',
        variables: { n: 100_000 },
      }),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'pageSize',
    },
    {
      name: 'negative first',
      body: () => ({ query: '{ users(first: -1) { nodes { id } } }' }),
      code: ErrorCodes.BAD_USER_INPUT,
    },
    {
      name: 'circular fragments',
      body: () => ({
        query:
          '{ users { ...A } } fragment A on UserConnection { nodes { id } ...B } fragment B on UserConnection { ...A }',
      }),
      code: ErrorCodes.GRAPHQL_VALIDATION_FAILED,
    },
    {
      name: 'directive bomb',
      body: () => ({ query: `{ __typename ${'@include(if: true) '.repeat(60)} }` }),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'directives',
    },
    {
      name: 'too many tokens',
      body: () => ({ query: `{ ${'a '.repeat(6000)}}` }),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'tokens',
    },
    {
      name: 'oversized document',
      body: () => ({ query: `{ __typename }${' '.repeat(30_000)}` }),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'documentLength',
    },
    {
      name: 'oversized body (Content-Length)',
      body: () => ({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_000_000) } }),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'requestBytes',
      status: 413,
    },
    {
      name: 'oversized body (chunked, no Content-Length)',
      body: () =>
        streamOf(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_000_000) } })),
      init: { duplex: 'half' } as RequestInit,
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'requestBytes',
      status: 413,
    },
    {
      name: 'too many batched operations',
      body: () => Array.from({ length: 11 }, () => ({ query: '{ users { nodes { id } } }' })),
      code: ErrorCodes.QUERY_LIMIT_EXCEEDED,
      limit: 'batchedOperations',
      status: 413,
    },
    {
      name: 'malformed document',
      body: () => ({ query: '{ users(first: ) { nodes { id } }' }),
      code: ErrorCodes.GRAPHQL_PARSE_FAILED,
    },
    {
      name: 'malformed JSON',
      body: () => '{"query": "{ users { nodes { id } } }"',
      code: ErrorCodes.BAD_REQUEST,
      status: 400,
    },
    {
      name: 'variables not an object',
      body: () => ({ query: '{ users { nodes { id } } }', variables: '[1]' }),
      code: ErrorCodes.BAD_REQUEST,
      status: 400,
    },
    {
      name: 'variable of the wrong type',
      body: () => ({
        query: 'query($n: Int) { users(first: $n) { nodes { id } } }',
        variables: { n: { $gt: 1 } },
      }),
      code: ErrorCodes.BAD_USER_INPUT,
    },
  ]

  for (const c of abusive) {
    it(`refuses ${c.name} quickly with ${c.code}${c.limit ? ` (${c.limit})` : ''} and runs no SQL`, async () => {
      const posted: Posted = await api.post(c.body(), c.init)
      expect(codeOf(posted), JSON.stringify(posted.body)).toBe(c.code)
      if (c.limit) expect(posted.body.errors![0]!.extensions['limit']).toBe(c.limit)
      if (c.status) expect(posted.status).toBe(c.status)
      expect(posted.body.data ?? null).toBeNull()
      expect(posted.statements).toBe(0)
      expect(posted.elapsedMs).toBeLessThan(QUICK_MS)
    })
  }

  it('states cost and limit in QUERY_TOO_COMPLEX', async () => {
    // The orders of each order's user repeat rows, so no table size bounds the last list:
    // users 1 + 32 (20 rows price as 32) + orders 32 + 64 (60 rows) + user 64
    // + orders 64 + 64 × 100 = 6657.
    const posted = await api.post({
      query: `{ users(first: 100) { nodes { orders(first: 100) { nodes {
        user { orders(first: 100) { nodes { id } } } } } } } }`,
    })
    expect(posted.body.errors![0]).toMatchObject({
      message: expect.stringContaining('6657') as unknown,
      extensions: { code: ErrorCodes.QUERY_TOO_COMPLEX, cost: 6657, maxCost: 1000 },
    })
    expect(posted.body.errors![0]!.message).toContain('1000')
    expect(posted.body.extensions?.['cost']).toMatchObject({ requestedQueryCost: 6657, actualQueryCost: 0 })
    expect(posted.statements).toBe(0)
  })

  it('hides "Did you mean" hints when suggestions are off, and turns them off by default in production', async () => {
    const posted = await api.post({ query: '{ usrs { nodes { id } } }' })
    expect(codeOf(posted)).toBe(ErrorCodes.GRAPHQL_VALIDATION_FAILED)
    expect(posted.body.errors![0]!.message).toBe('Cannot query field "usrs" on type "Query".')
    const previous = process.env['NODE_ENV']
    try {
      process.env['NODE_ENV'] = 'production'
      expect(resolveConfig(shopConfig).limits.fieldSuggestions).toBe(false)
      process.env['NODE_ENV'] = 'development'
      expect(resolveConfig(shopConfig).limits.fieldSuggestions).toBe(true)
    } finally {
      process.env['NODE_ENV'] = previous
    }
  })

  it('runs batched operations within the limit, each priced', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: '{ users(first: 2) { nodes { id } } }' },
        { query: '{ users(first: 3) { nodes { id } } }' },
      ]),
    })
    const results = (await response.json()) as Array<{ extensions: { cost: { requestedQueryCost: number } } }>
    expect(results.map((r) => r.extensions.cost.requestedQueryCost)).toEqual([3, 4])
    expect(response.headers.get('ratelimit-limit')).toBe('100000')
  })
})

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  let offset = 0
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + 65_536))
      offset += 65_536
    },
  })
}
