// The fast path (the database's JSON text sent as `data`, no graphql-js walk) must answer every
// query exactly as graphql-js does. A corpus of queries runs, for three callers, through two
// servers over the same database that differ only in `performance.enableAutomaticOptimization`;
// the parsed bodies must be equal, the fast server must have taken the fast path wherever the
// operation allows it, and each root field must still cost one statement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { permissionRequired } from '../auth/index.js'
import type { AuthUser, RowPolicy } from '../auth/index.js'
import type { UserConfig } from '../schema/index.js'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import type { ModelOptions } from '../models/index.js'
import { encodeGlobalId } from '../naming/index.js'
import type { PipelineOperation, Plugin, RequestContext } from '../plugins/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

type Caller = 'anonymous' | 'customer' | 'staff'
const CUSTOMER_ID = '3'
const USERS: Record<Caller, Partial<AuthUser> | null> = {
  anonymous: null,
  customer: { id: CUSTOMER_ID, isAuthenticated: true },
  staff: { id: '1', isAuthenticated: true, isStaff: true, permissions: ['users.view_user'] },
}

/** One corpus entry: a document, its variables, and whether the fast path may answer it for `staff`. */
interface Case {
  name: string
  query: string
  variables?: Record<string, unknown>
  /** Expected fallback reason (substring) for every caller; absent: fast for staff. */
  fallback?: string
}

const userId = (pk: number): string => encodeGlobalId('User', String(pk))

const CORPUS: Case[] = [
  {
    name: 'first page, scalars',
    query: '{ users(first: 5) { nodes { id pk username isActive createdAt lastLogin } } }',
  },
  {
    name: 'edges, cursors, pageInfo, totalCount, orderBy',
    query: `{ users(first: 3, orderBy: [{username: DESC}]) { totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { pk username } } } }`,
  },
  {
    name: 'nested relations (the bench Q2 shape)',
    query: `{ users(first: 4) { nodes { id: pk username profile { firstName lastName bio birthDate }
      orders(first: 2, orderBy: [{pk: ASC}]) { totalCount nodes { id: pk status total createdAt note
        items { nodes { quantity unitPrice product { id: pk name price sku stock weightGrams attributes } } } } } } } }`,
  },
  {
    name: 'filters on enums, decimals and relations',
    query: `{ orders(first: 5, filter: {status: {in: [PAID, SHIPPED]}, total: {gte: "10"}, user: {isActive: true}}) {
      totalCount nodes { pk status total user { username } } } }`,
  },
  {
    name: 'aliases and two root fields',
    query: `{ a: users(first: 2) { nodes { x: pk y: username } }
      b: products(first: 2, orderBy: [{price: DESC}, {pk: ASC}]) { nodes { name cost: price } } }`,
  },
  {
    name: 'named and inline fragments',
    query: `query Frag { users(first: 2) { ...Page } }
      fragment Page on UserConnection { nodes { ...Person ... on User { isStaff } } }
      fragment Person on User { pk username profile { ...Names } }
      fragment Names on Profile { firstName lastName }`,
  },
  {
    name: 'variables for page size and filter',
    query: `query ($n: Int!, $name: String) { users(first: $n, filter: {username: {icontains: $name}}) {
      totalCount nodes { username } } }`,
    variables: { n: 3, name: 'a' },
  },
  {
    name: 'node(id) on a user with fragments per type',
    query: `query ($id: ID!) { node(id: $id) { __typename id
      ... on User { username orders(first: 2) { nodes { status } } } ... on Product { name } } }`,
    variables: { id: userId(3) },
  },
  {
    name: 'node(id) on a product',
    query: `query ($id: ID!) { node(id: $id) { id ... on Product { name price tags(first: 3) { nodes { name } } } } }`,
    variables: { id: encodeGlobalId('Product', '2') },
  },
  {
    name: 'one row by id',
    query: `{ user(id: "${userId(3)}") { pk username orders(last: 2) { nodes { pk } } } }`,
  },
  { name: 'a row that does not exist', query: `{ user(id: "${userId(999_999)}") { pk username } }` },
  {
    name: '__typename at every depth',
    query: `{ __typename users(first: 2) { __typename edges { __typename node { __typename pk } }
      pageInfo { __typename hasNextPage } } }`,
  },
  {
    name: 'a tree and a many-to-many',
    query: `{ categories(first: 3, orderBy: [{pk: ASC}]) { nodes { name parent { name } children(first: 2) { nodes { name } } } }
      products(first: 3) { nodes { name tags(first: 3) { totalCount nodes { name } } } } }`,
  },
  {
    name: 'last/before and backwards pageInfo',
    query: `{ orders(last: 3) { edges { cursor node { pk } } pageInfo { hasPreviousPage hasNextPage startCursor } } }`,
  },
  {
    name: '@skip and @include with variables',
    query: `query ($skip: Boolean!, $with: Boolean!) { users(first: 2) { nodes { pk username @skip(if: $skip)
      email @include(if: $with) } } }`,
    variables: { skip: true, with: false },
  },
  {
    name: 'one response key, two field nodes',
    query: '{ users(first: 2) { nodes { pk } } users(first: 2) { totalCount } }',
  },
  {
    name: 'a guarded field',
    query: '{ users(first: 3) { nodes { pk email } } }',
  },
  {
    name: 'bad global id',
    query: '{ user(id: "nope") { pk } }',
    fallback: 'refuses this caller or these arguments',
  },
  {
    name: 'negative page size',
    query: '{ users(first: -1) { totalCount } }',
    fallback: 'refuses this caller or these arguments',
  },
  {
    name: 'variables that do not coerce',
    query: 'query ($n: Int!) { users(first: $n) { totalCount } }',
    variables: { n: 'many' },
    fallback: 'variables do not coerce',
  },
  { name: 'introspection', query: '{ __schema { queryType { name } } }', fallback: 'introspection' },
]

/** The shop with row policies for customers and a field permission on `email`. */
function corpusConfig(fast: boolean, capture: Plugin): UserConfig {
  const models = { ...(shopConfig.models as Record<string, ModelOptions | ModelOptions['table']>) }
  const own: RowPolicy = (user) =>
    user.isStaff ? true : user.id === null ? false : { user: { pk: { exact: user.id } } }
  models['users'] = {
    table: models['users'] as ModelOptions['table'],
    rowPolicy: (user) => (user.isAuthenticated ? true : { isActive: true }),
    fields: { email: { permission: permissionRequired('users.view_user') } },
  }
  models['orders'] = { ...(models['orders'] as ModelOptions), rowPolicy: own }
  return {
    ...shopConfig,
    models,
    security: {
      permissionClasses: ['AllowAny'],
      authenticate: (request) => {
        const header = request.headers.get('x-test-user')
        return header ? (JSON.parse(header) as Partial<AuthUser>) : null
      },
    },
    performance: { ...shopConfig.performance, enableAutomaticOptimization: fast },
    limits: { costInResponse: true },
    plugins: [capture],
  }
}

/** A server and the context of the latest operation it ran. */
interface Served {
  server: AutoGenServer
  url: string
  last: { context?: RequestContext; operation?: PipelineOperation }
}

describe.each(testDatabases())('fast path on $name', (entry: TestDatabase) => {
  let database: Database
  let dispose: () => Promise<void>
  let fast: Served
  let slow: Served

  async function serve(isFast: boolean): Promise<Served> {
    const last: Served['last'] = {}
    const capture: Plugin = {
      name: 'test:capture',
      request: (context) => void (last.context = context),
      server: () => ({ operation: { report: (operation) => void (last.operation = operation) } }),
    }
    const server = createServer({
      schema: buildShopSchema(sharedDatabase(database), corpusConfig(isFast, capture)),
    })
    return { server, url: await server.listen(0, '127.0.0.1'), last }
  }

  beforeAll(async () => {
    const created = await entry.create()
    database = created.database
    dispose = created.dispose
    await withShop(database, { scale: 0.1 })
    fast = await serve(true)
    slow = await serve(false)
  }, 120_000)
  afterAll(async () => {
    await fast?.server.close()
    await slow?.server.close()
    await dispose()
  })

  async function post(served: Served, caller: Caller, body: unknown) {
    const user = USERS[caller]
    const { result, count } = await countStatements(database, async () => {
      const response = await fetch(served.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(user ? { 'x-test-user': JSON.stringify(user) } : {}),
        },
        body: JSON.stringify(body),
      })
      return { status: response.status, text: await response.text() }
    })
    return {
      ...result,
      body: JSON.parse(result.text) as Record<string, unknown>,
      statements: count,
      path: routeOf(served.last.operation),
    }
  }

  for (const caller of ['staff', 'customer', 'anonymous'] as const) {
    it.each(CORPUS)(`answers "$name" as graphql-js does, for ${caller}`, async (c) => {
      const body = { query: c.query, variables: c.variables }
      const expected = await post(slow, caller, body)
      const actual = await post(fast, caller, body)
      expect(actual.status).toBe(expected.status)
      expect(actual.body).toEqual(expected.body)
      if (c.fallback) expect(actual.path).toContain(c.fallback)
      else if (caller === 'staff') {
        expect(actual.path).toBe('fast')
        expect(actual.body['errors']).toBeUndefined()
      }
      if (actual.path === 'fast') expect(actual.statements).toBe(expected.statements)
      // Second time: every cache (cost, statements, plans) is warm and the answer is the same.
      expect((await post(fast, caller, body)).body).toEqual(expected.body)
    })
  }

  it('takes the fast path for a guarded field only for callers allowed to read it', async () => {
    const body = { query: '{ users(first: 3) { nodes { pk email } } }' }
    expect((await post(fast, 'staff', body)).path).toBe('fast')
    const customer = await post(fast, 'customer', body)
    expect(customer.path).toBe('the caller may not read users.email')
    expect((customer.body['errors'] as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe(
      'FORBIDDEN',
    )
  })

  it('sends one statement per root field', async () => {
    const posted = await post(fast, 'staff', { query: CORPUS[4]!.query })
    expect(posted.path).toBe('fast')
    expect(posted.statements).toBe(2)
    const nested = await post(fast, 'staff', { query: CORPUS[2]!.query })
    expect(nested.statements).toBe(1)
  })

  it('answers a keyset page after a cursor as graphql-js does', async () => {
    const first = await post(slow, 'staff', { query: '{ users(first: 3) { pageInfo { endCursor } } }' })
    const cursor = (first.body['data'] as { users: { pageInfo: { endCursor: string } } }).users.pageInfo
      .endCursor
    const body = {
      query: `query ($after: String) { users(first: 3, after: $after) { totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { pk } } } }`,
      variables: { after: cursor },
    }
    const expected = await post(slow, 'staff', body)
    const actual = await post(fast, 'staff', body)
    expect(actual.path).toBe('fast')
    expect(actual.body).toEqual(expected.body)
    expect(
      (actual.body['data'] as { users: { pageInfo: { hasPreviousPage: boolean } } }).users.pageInfo
        .hasPreviousPage,
    ).toBe(true)
  })

  it('writes enum names, not their SQL values', async () => {
    const posted = await post(fast, 'staff', { query: '{ orders(first: 3) { nodes { status } } }' })
    expect(posted.path).toBe('fast')
    expect(posted.text).toMatch(/"status" ?: ?"(PENDING|PAID|SHIPPED|DELIVERED|CANCELLED)"/)
  })

  it('caches per caller: the same document gives each caller its own rows', async () => {
    const body = { query: '{ orders(first: 50) { totalCount nodes { user { pk } } } }' }
    const staff = await post(fast, 'staff', body)
    const customer = await post(fast, 'customer', body)
    const again = await post(fast, 'staff', body)
    expect([staff.path, customer.path, again.path]).toEqual(['fast', 'fast', 'fast'])
    const owners = (posted: typeof staff) =>
      new Set(
        (posted.body['data'] as { orders: { nodes: Array<{ user: { pk: number } }> } }).orders.nodes.map(
          (n) => n.user.pk,
        ),
      )
    expect(owners(customer)).toEqual(new Set([Number(CUSTOMER_ID)]))
    expect(owners(staff).size).toBeGreaterThan(1)
    expect(again.body).toEqual(staff.body)
    expect((await post(fast, 'anonymous', body)).body['data']).toEqual({
      orders: { totalCount: 0, nodes: [] },
    })
  })
})

/** `fast` when the compiled route answered the operation alone, else why graphql-js did. */
function routeOf(operation: PipelineOperation | undefined): string | undefined {
  const route = operation?.route
  return route && (route.route === 'compiled' ? 'fast' : route.reason)
}
