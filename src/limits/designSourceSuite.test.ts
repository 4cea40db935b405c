// The design source's own post-migration test suite (MigrationTestCase and
// PerformanceComparisonTest: seven documents), run over HTTP against the example as `npm start`
// seeds it, under the DEFAULT limits: in legacy mode (v1/v2 shapes: plain lists, basic filters)
// and in relay mode (the same documents as `migrate` writes them). Wall times are not asserted;
// each root field must run as one SQL statement instead. The cost attacks below must still fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import { codeOf, startTestServer } from '../testing/testServer.js'
import type { TestServer } from '../testing/testServer.js'

/** The example's config with nothing about limits: the library defaults apply. */
const defaults = (queries: UserConfig['queries'] = {}): UserConfig => ({
  ...shopConfig,
  queries: { ...shopConfig.queries, ...queries },
})

const profile = 'profile { firstName lastName }'
const items = (list: string) => `items${list} { id product { name price } }`

/** [name, legacy document, relay document, root fields]. */
const cases: Array<[string, string, string, number]> = [
  [
    'test_schema_compatibility',
    '{ users { id username email } }',
    '{ users(first: 100) { nodes { id username email } } }',
    1,
  ],
  [
    'test_mutation_compatibility',
    `mutation { createUser(input: { username: "testuser", email: "test@example.com", password: "testpass123" }) {
      user { id username } success errors { field message } } }`,
    `mutation { createUser(input: { username: "testuser2", email: "test2@example.com", password: "testpass123" }) {
      user { id username } success errors { field message } } }`,
    -1,
  ],
  [
    'test_filtering_compatibility',
    '{ users(filter: { username: "testuser" }) { id username } }',
    '{ users(first: 100, filter: { username: { exact: "testuser" } }) { nodes { id username } } }',
    1,
  ],
  [
    'test_pagination_compatibility',
    '{ users(limit: 10) { id username } }',
    '{ users(first: 10) { edges { node { id username } } pageInfo { hasNextPage endCursor } } }',
    1,
  ],
  [
    'test_performance_regression',
    `{ users { id username ${profile} } }`,
    `{ users(first: 100) { nodes { id username ${profile} } } }`,
    1,
  ],
  [
    'test_simple_query_performance',
    '{ users { id username } }',
    '{ users(first: 100) { nodes { id username } } }',
    1,
  ],
  [
    'test_complex_query_performance',
    `{ users { id username ${profile} orders { id total ${items('')} } } }`,
    `{ users(first: 100) { nodes { id username ${profile}
      orders(first: 100) { nodes { id total items(first: 100) { nodes { id product { name price } } } } } } } }`,
    1,
  ],
]

describe.each(testDatabases())("the design source's test suite on $name", ({ create }) => {
  let database: Database
  let dispose: () => Promise<void>
  let legacy: TestServer
  let relay: TestServer
  let attacked: TestServer

  beforeAll(async () => {
    const created = await create()
    database = created.database
    dispose = created.dispose
    await withShop(database, { scale: 1 })
    const shared = sharedDatabase(database)
    legacy = await startTestServer(
      buildShopSchema(shared, defaults({ pagination: 'legacy', filtering: 'basic' })),
      database,
    )
    relay = await startTestServer(buildShopSchema(shared, defaults()), database)
    attacked = relay
  }, 240_000)
  afterAll(async () => {
    await legacy.server.close()
    await relay.server.close()
    await dispose()
  })

  it.each(cases)('%s passes in legacy mode and in relay mode', async (_name, old, migrated, roots) => {
    for (const [server, source] of [
      [legacy, old],
      [relay, migrated],
    ] as const) {
      const posted = await server.post({ query: source })
      expect(posted.body.errors, source).toBeUndefined()
      expect(posted.body.data, source).toBeTruthy()
      // One statement per root field for reads; a write runs in its own transaction.
      if (roots > 0) expect(posted.statements, source).toBe(roots)
    }
  })

  it('returns the same users in both modes for the nested query', async () => {
    const [, old, migrated] = cases.find(([name]) => name === 'test_complex_query_performance')!
    const before = (await legacy.post({ query: old })).body.data!['users'] as Array<{ id: string }>
    const after = (await relay.post({ query: migrated })).body.data!['users'] as {
      nodes: Array<{ id: string }>
    }
    expect(after.nodes.map((u) => u.id)).toEqual(before.map((u) => u.id))
    expect(before.length).toBeGreaterThan(50)
  })

  it.each([
    [
      'a cycle through a to-one hop',
      `{ users(first: 100) { nodes { orders(first: 100) { nodes { user {
          orders(first: 100) { nodes { user { orders(first: 100) { nodes { id } } } } } } } } } } }`,
    ],
    [
      'many-to-many both ways',
      `{ products(first: 100) { nodes { tags(first: 100) { nodes {
          products(first: 100) { nodes { tags(first: 100) { nodes { id } } } } } } } } }`,
    ],
    [
      'aliases of a wide cycle',
      `{ ${Array.from(
        { length: 5 },
        (_, i) =>
          `a${i}: orders(first: 100) { nodes { user { orders(first: 100) { nodes { user { orders(first: 100) { nodes { id } } } } } } } }`,
      ).join(' ')} }`,
    ],
  ])('still refuses a cost attack: %s', async (_name, source) => {
    const posted = await attacked.post({ query: source })
    expect(codeOf(posted)).toBe(ErrorCodes.QUERY_TOO_COMPLEX)
    expect(posted.statements).toBe(0)
  })
})
