// Property tests: random valid operations over the shop example must never produce an internal
// error: every failure is a coded client error and every statement the compiler emits runs.
// CI uses a fixed seed; FUZZ_RUNS=5000 (and FUZZ_SEED=<n>) explore further locally, and
// FUZZ_STATS=1 prints how often each error came up (to see what the generator reaches).
import fc from 'fast-check'
import { graphql, isObjectType } from 'graphql'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../../src/testing/testDatabases.js'
import type { TestDatabase } from '../../src/testing/testDatabases.js'
import { createServer } from '../../src/server/index.js'
import type { AutoGenServer } from '../../src/server/index.js'
import { withShop } from '../../src/testing/shopFixture.js'
import type { ShopFixture } from '../../src/testing/shopFixture.js'
import { operationArbitrary } from './operationArbitrary.js'
import type { FuzzOperation } from './operationArbitrary.js'

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_260_611)
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300)
/** Room for a slow, shared machine: about 100 ms per operation (they take 10–30 ms), plus shrinking. */
const TIMEOUT = 120_000 + RUNS * 100

/** graphql-js messages for results the server itself got wrong (non-null violated, bad scalar output). */
const COMPLETION_BUG =
  /Cannot return null for non-nullable field|cannot represent|Expected Iterable|must resolve to an Object type/i

interface GraphQLResponse {
  data?: unknown
  errors?: Array<{ message: string; extensions?: { code?: string } }>
}

describe.each(testDatabases())('fuzzed operations on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let server: AutoGenServer
  let url: string
  let dispose: () => Promise<void>
  const masked: string[] = []
  const cursors = new Map<string, string[]>()
  const stats = new Map<string, number>()

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, { scale: 0.1 })
    // Only masked internal errors are logged at error level: each one is a finding.
    const logger = pino(
      { level: 'error' },
      {
        write: (line: string) => {
          const { err } = JSON.parse(line) as { err?: { message?: string; code?: string } }
          masked.push(`${err?.code ?? ''} ${err?.message ?? line}`)
        },
      },
    )
    server = createServer({ schema: shop.schema, logger })
    url = await server.listen(0, '127.0.0.1')
    await collectCursors()
  })
  afterAll(async () => {
    if (process.env['FUZZ_STATS']) console.log([...stats].sort((a, b) => b[1] - a[1]))
    await server.close()
    await dispose()
  })

  /** Real cursors of every root connection, in default and reversed order, for replay and forging. */
  async function collectCursors(): Promise<void> {
    for (const field of Object.values(shop.schema.getQueryType()!.getFields())) {
      const type = String(field.type).replace(/!$/, '')
      if (!type.endsWith('Connection')) continue
      for (const orderBy of ['', ', orderBy: [{ pk: DESC }]']) {
        const body = await send({
          query: `{ f: ${field.name}(first: 3${orderBy}) { edges { cursor } } }`,
          variables: {},
        })
        const edges = (body.data as { f?: { edges: Array<{ cursor: string }> } } | undefined)?.f?.edges ?? []
        cursors.set(type, [...(cursors.get(type) ?? []), ...edges.map((edge) => edge.cursor)])
      }
    }
  }

  async function send(operation: FuzzOperation): Promise<GraphQLResponse & { status: number }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(operation),
    })
    return { status: response.status, ...((await response.json()) as GraphQLResponse) }
  }

  /** Sends the operation and fails (for fast-check to shrink) on any sign of a server-side fault. */
  async function check(operation: FuzzOperation): Promise<GraphQLResponse> {
    masked.length = 0
    const body = await send(operation)
    if (process.env['FUZZ_STATS']) {
      const codes = (body.errors ?? []).map(
        (error) =>
          `${error.extensions?.code ?? '?'} ${error.message.replace(/`[^`]*`|"[^"]*"/g, '_').slice(0, 70)}`,
      )
      const key = codes.length === 0 ? 'ok' : [...new Set(codes)].sort().join('+')
      stats.set(key, (stats.get(key) ?? 0) + 1)
    }
    const where = `\n${operation.query}\nvariables: ${JSON.stringify(operation.variables)}`
    expect(masked.join('\n'), `masked internal errors${where}`).toBe('')
    expect(body.status, where).toBeLessThan(500)
    for (const error of body.errors ?? []) {
      expect(error.extensions?.code, `${error.message}${where}`).toBeDefined()
      expect(error.extensions?.code, `${error.message}${where}`).not.toBe('INTERNAL_SERVER_ERROR')
      expect(error.message, where).not.toMatch(COMPLETION_BUG)
    }
    return body
  }

  /** As {@link check}; a query answered without errors must equal what plain graphql-js executes. */
  async function checkQuery(operation: FuzzOperation): Promise<void> {
    const body = await check(operation)
    if (body.errors !== undefined) return
    // The server may answer with the database's JSON text (the fast path); graphql-js walks it.
    const direct = await graphql({
      schema: shop.schema,
      source: operation.query,
      variableValues: operation.variables,
    })
    const where = `\n${operation.query}\nvariables: ${JSON.stringify(operation.variables)}`
    expect(direct.errors, where).toBeUndefined()
    expect(body.data, where).toEqual(JSON.parse(JSON.stringify(direct.data)))
  }

  const settings = { seed: SEED, numRuns: RUNS, endOnFailure: false }

  it(
    'answers random queries (selections, nested connections, filters, orderBy, cursors, variables) without an internal error, as graphql-js would',
    { timeout: TIMEOUT },
    async () => {
      expect(cursors.size).toBeGreaterThan(3)
      const queries = operationArbitrary(shop.schema, { maxDepth: 5, maxInputDepth: 3, cursors })
      await fc.assert(fc.asyncProperty(queries, checkQuery), settings)
    },
  )

  it(
    'answers random mutations (inputs, ids, filters) with payload or client errors, never an internal error',
    { timeout: TIMEOUT },
    async () => {
      const mutations = operationArbitrary(shop.schema, { maxDepth: 2, maxInputDepth: 2, cursors }, true)
      await fc.assert(
        fc.asyncProperty(mutations, async (operation) => void (await check(operation))),
        { ...settings, numRuns: Math.ceil(RUNS / 2) },
      )
      // The server still answers reads afterwards.
      const after = await send({ query: '{ users(first: 1) { totalCount } }', variables: {} })
      expect(after.errors).toBeUndefined()
    },
  )

  it('generates documents that exercise the schema (sanity check of the generator)', () => {
    const sampled = fc.sample(operationArbitrary(shop.schema, { maxDepth: 5, maxInputDepth: 3, cursors }), {
      seed: SEED,
      numRuns: 200,
    })
    const text = sampled.map((operation) => operation.query).join('\n')
    for (const needle of ['filter:', 'orderBy:', 'after:', 'before:', 'edges', 'pageInfo', '... on ']) {
      expect(text).toContain(needle)
    }
    expect(sampled.some((operation) => Object.keys(operation.variables).length > 0)).toBe(true)
    expect(Object.values(shop.schema.getTypeMap()).filter(isObjectType).length).toBeGreaterThan(10)
  })
})
