// Unit tests of the cost model over the shop schema. Each expectation is worked out by hand next
// to its document, with the default weights: scalar 0, object 1, connection 1, mutation 10; the
// shop config's page sizes: defaultPageSize 20, maxPageSize 100.
import { graphql, parse } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { buildShopSchema, shopConfig, shopConfigWith, withShop } from '../testing/shopFixture.js'
import { actualQueryCost, requestedQueryCost } from './index.js'
import type { CostModel } from './index.js'

const model: CostModel = {
  weights: resolveConfig(shopConfig).limits.costWeights,
  defaultPageSize: 20,
  maxPageSize: 100,
}

function costOf(
  schema: GraphQLSchema,
  source: string,
  variables?: Record<string, unknown>,
  custom: CostModel = model,
) {
  return requestedQueryCost({ schema, document: parse(source), variables }, custom)
}

describe('requested query cost (relay pagination)', () => {
  let schema: GraphQLSchema
  let dispose: () => Promise<void>
  beforeAll(async () => {
    const created = await testDatabases()[0]!.create()
    dispose = created.dispose
    schema = buildShopSchema(created.database)
  })
  afterAll(() => dispose())

  const cases: Array<{
    name: string
    source: string
    variables?: Record<string, unknown>
    expected: number
  }> = [
    // users: connection 1 + 10 rows × (nodes row 1 + id 0 + username 0) = 1 + 10 = 11
    {
      name: 'one connection, scalars only',
      source: '{ users(first: 10) { nodes { id username } } }',
      expected: 11,
    },
    // no first → defaultPageSize 20: 1 + 20 × 1 = 21
    { name: 'default page size', source: '{ users { nodes { id } } }', expected: 21 },
    // last: 5 → 1 + 5 × 1 = 6
    { name: 'last', source: '{ users(last: 5) { nodes { id } } }', expected: 6 },
    // edges are free wrappers, node costs 1, cursor 0; totalCount 0; pageInfo object 1:
    // 1 + 10 × (0 + node 1) + pageInfo 1 = 12
    {
      name: 'edges, pageInfo, totalCount',
      source:
        '{ users(first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }',
      expected: 12,
    },
    // users 1 + 10 × (row 1 + orders (1 + 5 × (row 1 + items (1 + 3 × row 1)))):
    // items = 1 + 3 = 4; order row = 1 + 4 = 5; orders = 1 + 5 × 5 = 26; user row = 1 + 26 = 27;
    // users = 1 + 10 × 27 = 271
    {
      name: 'three nested connections',
      source:
        '{ users(first: 10) { nodes { id orders(first: 5) { nodes { id items(first: 3) { nodes { quantity } } } } } } }',
      expected: 271,
    },
    // to-one objects cost 1 each: orders 1 + 4 × (row 1 + user 1 + profile 1) = 1 + 12 = 13
    {
      name: 'to-one objects',
      source: '{ orders(first: 4) { nodes { user { profile { bio } } } } }',
      expected: 13,
    },
    // single row by id: user 1 + orders (1 + 20 × 1) = 22
    {
      name: 'single root object',
      source: '{ user(id: "VXNlcjox") { orders { nodes { id } } } }',
      expected: 22,
    },
    // variables: $n = 7 → 1 + 7 × (1 + orders(1 + 2 × 1) = 4) = 1 + 7 × 4 = 29
    {
      name: 'variables',
      source:
        'query($n: Int, $m: Int = 2) { users(first: $n) { nodes { orders(first: $m) { nodes { id } } } } }',
      variables: { n: 7 },
      expected: 29,
    },
    // named fragment on the row, inline fragment on the connection: same as 'three nested' with
    // pages 2/2/2: items = 1 + 2 = 3; order row = 1 + 3 = 4; orders = 1 + 2 × 4 = 9;
    // user row = 1 + 9 = 10; users = 1 + 2 × 10 = 21
    {
      name: 'named and inline fragments',
      source: `
        query { users(first: 2) { ... on UserConnection { nodes { ...U } } } }
        fragment U on User { orders(first: 2) { nodes { ...O } } }
        fragment O on Order { id items(first: 2) { nodes { id } } }`,
      expected: 21,
    },
    // a fragment spread twice in one selection set runs once: 1 + 3 × 1 = 4
    {
      name: 'repeated fragment counts once',
      source: 'query { users(first: 3) { nodes { ...U ...U id } } } fragment U on User { username }',
      expected: 4,
    },
    // aliases are separate fields: (1 + 2 × 1) + (1 + 3 × 1) = 3 + 4 = 7
    {
      name: 'aliases',
      source: '{ a: users(first: 2) { nodes { id } } b: users(first: 3) { nodes { id } } }',
      expected: 7,
    },
    // @skip/@include honour variables: only the included connection counts: 1 + 4 × 1 = 5
    {
      name: 'skip and include',
      source:
        'query($no: Boolean!) { a: users(first: 4) { nodes { id } } b: users(first: 50) @include(if: $no) { nodes { id } } }',
      variables: { no: false },
      expected: 5,
    },
    // pages above maxPageSize are priced at the cap: 1 + 100 × 1 = 101
    {
      name: 'huge first is priced at the cap',
      source: '{ users(first: 100000) { nodes { id } } }',
      expected: 101,
    },
    // node(id:) is abstract: the most expensive member. As Order: 1 + user 1 = 2; as User:
    // 1 + orders(1 + 20 × 1) = 22 → 22
    {
      name: 'abstract type takes the dearest member',
      source: '{ node(id: "x") { ... on Order { user { id } } ... on User { orders { nodes { id } } } } }',
      expected: 22,
    },
    // introspection and __typename are free
    {
      name: 'introspection is free',
      source: '{ __typename __schema { types { name fields { name } } } }',
      expected: 0,
    },
  ]

  for (const c of cases) {
    it(c.name, () => {
      expect(costOf(schema, c.source, c.variables).cost).toBe(c.expected)
    })
  }

  it('reports the first page argument above maxPageSize', () => {
    const report = costOf(
      schema,
      'query($n: Int) { users(first: 5) { nodes { orders(last: $n) { nodes { id } } } } }',
      { n: 500 },
    )
    expect(report.oversizedPage).toEqual({ field: 'User.orders', argument: 'last', value: 500 })
    expect(costOf(schema, '{ users(first: 100) { nodes { id } } }').oversizedPage).toBeUndefined()
  })

  it('uses configured weights and per-field weights', () => {
    const custom: CostModel = {
      ...model,
      weights: { scalar: 1, object: 2, connection: 5, mutation: 10, fields: { 'User.email': 50 } },
    }
    // users 5 + 3 × (row 2 + id 1 + email 50) = 5 + 3 × 53 = 164
    expect(costOf(schema, '{ users(first: 3) { nodes { id email } } }', undefined, custom).cost).toBe(164)
  })

  it('prices a mutation root field with the mutation weight', () => {
    // createUser 10 + user object 1 (+ scalars 0) + errors list (1 row × 1) = 12
    const source =
      'mutation { createUser(input: { username: "a", email: "a@b.c" }) { success user { id } errors { field } } }'
    expect(costOf(schema, source).cost).toBe(12)
  })
})

describe('requested query cost (legacy lists)', () => {
  let schema: GraphQLSchema
  let dispose: () => Promise<void>
  beforeAll(async () => {
    const created = await testDatabases()[0]!.create()
    dispose = created.dispose
    schema = buildShopSchema(created.database, shopConfigWith({ pagination: 'legacy' }))
  })
  afterAll(() => dispose())

  it('multiplies by limit, or by maxPageSize when absent (as the compiler reads it)', () => {
    // users(limit: 10): 1 + 10 × (row 1 + orders(limit: 3): 1 + 3 × 1 = 4) = 1 + 50 = 51
    expect(costOf(schema, '{ users(limit: 10) { id orders(limit: 3) { id } } }').cost).toBe(51)
    // no limit → maxPageSize 100: 1 + 100 × 1 = 101
    expect(costOf(schema, '{ users { id } }').cost).toBe(101)
  })
})

describe.each(testDatabases())('actual query cost on $name', ({ create }) => {
  let database: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema
  beforeAll(async () => {
    const created = await create()
    database = created.database
    dispose = created.dispose
    schema = (await withShop(database, { scale: 0.05 })).schema
  })
  afterAll(() => dispose())

  it('counts the rows the result holds, with the same formula', async () => {
    const source = '{ users(first: 10) { edges { node { id orders(first: 5) { nodes { id } } } } } }'
    const result = await graphql({ schema, source })
    expect(result.errors).toBeUndefined()
    type Data = { users: { edges: Array<{ node: { orders: { nodes: unknown[] } } }> } }
    const edges = (result.data as Data).users.edges
    // users 1 + per user (node 1 + orders 1 + one per order row)
    const expected = 1 + edges.reduce((sum, edge) => sum + 2 + edge.node.orders.nodes.length, 0)
    const actual = actualQueryCost({ schema, document: parse(source) }, model, result.data)
    expect(actual).toBe(expected)
    // Seeded users do not all have five orders, so the actual cost is below the requested 1 + 10 × 7 = 71.
    expect(actual).toBeLessThan(costOf(schema, source).cost)
  })
})
