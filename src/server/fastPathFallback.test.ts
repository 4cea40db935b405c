// What the fast path must not answer (it falls back to graphql-js, with the same result), and
// what its caches must not skip: authentication, row policies, cost and rate limits per caller.
import { randomUUID } from 'node:crypto'
import { doublePrecision, integer, numeric, pgEnum, pgTable, real, serial, text } from 'drizzle-orm/pg-core'
import type { GraphQLObjectType, GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthUser } from '../auth/index.js'
import type { UserConfig } from '../schema/index.js'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import type { ModelOptions } from '../models/index.js'
import type { PipelineOperation, Plugin, RequestContext } from '../plugins/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

const mood = pgEnum('fp_mood', ['happy', 'sad-ish'])
const readings = pgTable('fp_readings', {
  id: serial('id').primaryKey(),
  value: doublePrecision('value'),
  ratio: real('ratio'),
  amounts: numeric('amounts').array(),
  moods: mood('moods').array(),
  mood: mood('mood'),
  labels: text('labels').array(),
  counts: integer('counts').array(),
})
const READINGS_SQL = `
  CREATE TYPE fp_mood AS ENUM ('happy', 'sad-ish');
  CREATE TABLE fp_readings (id serial PRIMARY KEY, value double precision, ratio real, amounts numeric[],
    moods fp_mood[], mood fp_mood, labels text[], counts integer[]);
  INSERT INTO fp_readings (value, ratio, amounts, moods, mood, labels, counts) VALUES
    (1.5, 0.25, '{1.50,2}', '{happy,sad-ish}', 'sad-ish', '{a,"b c"}', '{1,2}'),
    (1e300, 1e10, '{}', '{}', 'happy', '{}', '{}'),
    ('NaN', -0.5, NULL, NULL, NULL, NULL, NULL);`

/** A server and what the latest operation's context recorded. */
interface Served {
  server: AutoGenServer
  url: string
  last: { context?: RequestContext; operation?: PipelineOperation }
}

/** The caller as a test header (read by `security.authenticate`). */
const callerHeader = (user: Partial<AuthUser> | undefined): Record<string, string> =>
  user ? { 'x-test-user': JSON.stringify(user) } : {}

const authenticate = (request: Request): Partial<AuthUser> | null => {
  const header = request.headers.get('x-test-user')
  return header ? (JSON.parse(header) as Partial<AuthUser>) : null
}

describe.each(testDatabases())('fast path fallbacks and caches on $name', (entry: TestDatabase) => {
  let database: Database
  let dispose: () => Promise<void>
  const servers: AutoGenServer[] = []

  async function serve(schemaOf: (capture: Plugin) => GraphQLSchema): Promise<Served> {
    const last: Served['last'] = {}
    const capture: Plugin = {
      name: 'test:capture',
      request: (context) => void (last.context = context),
      server: () => ({ operation: { report: (operation) => void (last.operation = operation) } }),
    }
    const server = createServer({ schema: schemaOf(capture) })
    servers.push(server)
    return { server, url: await server.listen(0, '127.0.0.1'), last }
  }

  function shop(fast: boolean, extra: Partial<UserConfig> = {}) {
    return (capture: Plugin): GraphQLSchema =>
      buildShopSchema(sharedDatabase(database), {
        ...shopConfig,
        performance: { ...shopConfig.performance, enableAutomaticOptimization: fast },
        ...extra,
        plugins: [capture, ...(extra.plugins ?? [])],
      })
  }

  async function post(served: Served, body: unknown, user?: Partial<AuthUser>) {
    const { result, count, statements } = await countStatements(database, async () => {
      const response = await fetch(served.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...callerHeader(user) },
        body: JSON.stringify(body),
      })
      return { status: response.status, text: await response.text() }
    })
    return {
      ...result,
      // Masked errors carry a fresh id each time: compare them without it.
      body: JSON.parse(
        result.text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'),
      ) as {
        data?: Record<string, unknown> | null
        errors?: Array<{ extensions: Record<string, unknown> }>
        extensions?: Record<string, unknown>
      },
      statements,
      count,
      path: routeOf(served.last.operation),
    }
  }

  /** Posts to both servers and checks the answers are equal; returns the fast server's. */
  async function same(fast: Served, slow: Served, body: unknown, user?: Partial<AuthUser>) {
    const expected = await post(slow, body, user)
    const actual = await post(fast, body, user)
    expect(actual.status).toBe(expected.status)
    expect(actual.body).toEqual(expected.body)
    return actual
  }

  beforeAll(async () => {
    const created = await entry.create()
    database = created.database
    dispose = created.dispose
    await withShop(database, { scale: 0.05 })
    await database.exec(READINGS_SQL)
  }, 120_000)
  afterAll(async () => {
    for (const server of servers) await server.close()
    await dispose()
  })

  it('falls back for mutations, plugin fields and resolvers a plugin wrapped', async () => {
    const shout: Plugin = {
      name: 'test:shout',
      schema(schema) {
        const field = (schema.getType('User') as GraphQLObjectType).getFields()['username']!
        const inner = field.resolve!
        field.resolve = async (...args) => String(await inner(...args)).toUpperCase()
        return schema
      },
    }
    const extra: Partial<UserConfig> = {
      plugins: [shout],
      security: { rateLimiting: { points: 100_000, keyPrefix: `gag:test:${randomUUID()}` } },
    }
    const fast = await serve(shop(true, extra))
    const slow = await serve(shop(false, extra))
    const wrapped = await same(fast, slow, { query: '{ users(first: 2) { nodes { pk username } } }' })
    expect(wrapped.path).toBe('User.username has its own resolver')
    const names = (wrapped.body.data!['users'] as { nodes: Array<{ username: string }> }).nodes
    expect(names.every((n) => n.username === n.username.toUpperCase())).toBe(true)
    expect((await post(fast, { query: '{ users(first: 2) { nodes { pk } } }' })).path).toBe('fast')
    const rate = await post(fast, { query: '{ users(first: 1) { totalCount } rateLimit { cost } }' })
    expect(rate.path).toBe('Query.rateLimit has its own resolver')
    expect(rate.body.data!['rateLimit']).toEqual({ cost: 1 })
    const created = await post(fast, {
      query: 'mutation { createOrder(input: {userId: 1, total: "1.00"}) { order { pk } } }',
    })
    expect(created.path).toBe('a mutation')
    expect(created.body.errors).toBeUndefined()
  })

  it('answers floats, enums with renamed values and arrays as graphql-js does, or falls back', async () => {
    const schemaOf = (fast: boolean) => (capture: Plugin) =>
      new SchemaBuilder(
        {
          models: { readings },
          performance: { enableAutomaticOptimization: fast },
          plugins: [capture],
        },
        { database: sharedDatabase(database) },
      ).build()
    const fast = await serve(schemaOf(true))
    const slow = await serve(schemaOf(false))
    const fine = await same(fast, slow, {
      query: '{ fpReadings(first: 2, orderBy: [{pk: ASC}]) { nodes { value ratio mood labels counts } } }',
    })
    expect(fine.path).toBe('fast')
    expect(fine.body.data).toEqual({
      fpReadings: {
        nodes: [
          { value: 1.5, ratio: 0.25, mood: 'SAD_ISH', labels: ['a', 'b c'], counts: [1, 2] },
          { value: 1e300, ratio: 1e10, mood: 'HAPPY', labels: [], counts: [] },
        ],
      },
    })
    const nan = await same(fast, slow, { query: '{ fpReadings(first: 3) { nodes { pk value } } }' })
    // graphql-js answers from the rows the compiled statement read: it runs once, not again.
    expect(nan.path).toBe('a Float may be NaN or infinite: graphql-js over the rows read')
    expect(nan.count).toBe(1)
    expect(nan.body.errors).toHaveLength(1)
    const decimals = await same(fast, slow, { query: '{ fpReadings(first: 3) { nodes { amounts } } }' })
    expect(decimals.path).toBe('FpReading.amounts: list of Decimal')
    const moods = await same(fast, slow, { query: '{ fpReadings(first: 3) { nodes { moods } } }' })
    expect(moods.path).toBe('FpReading.moods: list of enum values')
  })

  it('charges every request and keeps each caller to its own rows and budget on cache hits', async () => {
    const models = { ...(shopConfig.models as Record<string, ModelOptions | ModelOptions['table']>) }
    models['orders'] = {
      ...(models['orders'] as ModelOptions),
      rowPolicy: (user) => (user.id === null ? false : { user: { pk: { exact: user.id } } }),
    }
    const config = (points: number): Partial<UserConfig> => ({
      models,
      security: { authenticate, rateLimiting: { points, keyPrefix: `gag:test:${randomUUID()}` } },
      limits: { costInResponse: true },
    })
    const api = await serve(shop(true, config(1_000)))
    const body = { query: '{ orders(first: 5) { nodes { user { pk } } } }' }
    const a = { id: '2', isAuthenticated: true }
    const b = { id: '3', isAuthenticated: true }
    const first = await post(api, body, a)
    const again = await post(api, body, a)
    const other = await post(api, body, b)
    for (const posted of [first, again, other]) {
      expect(posted.path).toBe('fast')
      expect(posted.count).toBe(1)
    }
    const owners = (posted: typeof first) =>
      (posted.body.data!['orders'] as { nodes: Array<{ user: { pk: number } }> }).nodes.map((n) => n.user.pk)
    expect(new Set(owners(first))).toEqual(new Set([2]))
    expect(new Set(owners(other))).toEqual(new Set([3]))
    // cost 1 + 5 × (1 + 1) = 11, charged on every request, to the caller who sent it
    const remaining = (posted: typeof first) =>
      (posted.body.extensions!['cost'] as { throttleStatus: { remaining: number } }).throttleStatus.remaining
    expect([remaining(first), remaining(again), remaining(other)]).toEqual([989, 978, 989])
    expect(first.body.extensions!['cost']).toMatchObject({
      requestedQueryCost: 11,
      actualQueryCost: 1 + owners(first).length * 2,
    })
    // Another page size is another price, even for the same document.
    const pages = { query: 'query ($n: Int!) { orders(first: $n) { nodes { pk } } }' }
    const pageCost = async (n: number) =>
      (
        (await post(api, { ...pages, variables: { n } }, a)).body.extensions!['cost'] as {
          requestedQueryCost: number
        }
      ).requestedQueryCost
    expect([await pageCost(3), await pageCost(7), await pageCost(3)]).toEqual([4, 8, 4])

    const small = await serve(shop(true, config(15)))
    expect((await post(small, body, a)).path).toBe('fast')
    const refused = await post(small, body, a)
    expect(refused.body.errors![0]!.extensions['code']).toBe('RATE_LIMITED')
    expect(refused.count).toBe(0)
    expect((await post(small, body, b)).body.errors).toBeUndefined()
  })

  it('sends the database text as data, with no extensions unless costInResponse', async () => {
    const plain = await serve(shop(true))
    const posted = await post(plain, { query: '{ users(first: 1, orderBy: [{pk: ASC}]) { nodes { pk } } }' })
    expect(posted.path).toBe('fast')
    expect(posted.text).toMatch(/^\{"data":\{"users":\{"nodes" ?: ?\[\{"pk" ?: ?1\}\]\}\}\}$/)
    if (entry.name === 'pg') expect(posted.statements[0]!.name).toMatch(/^gag_[0-9a-f]{24}$/)
  })

  it('parses and validates a document once (pipeline cache): every request executes the same object', async () => {
    const documents: unknown[] = []
    const spy: Plugin = {
      name: 'test:documents',
      server: () => ({ operation: { admit: (operation) => void documents.push(operation.document) } }),
    }
    const served = await serve(shop(true, { plugins: [spy] }))
    const body = { query: '{ users(first: 1) { totalCount } }' }
    await post(served, body)
    await post(served, body)
    expect(documents).toHaveLength(2)
    expect(documents[0]).toBe(documents[1])
  })
})

/** `fast` when the compiled route answered the operation alone, else why graphql-js did. */
function routeOf(operation: PipelineOperation | undefined): string | undefined {
  const route = operation?.route
  return route && (route.route === 'compiled' ? 'fast' : route.reason)
}
