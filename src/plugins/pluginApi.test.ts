// The plugin API end to end on the shop example: a plugin adds a type and a Query field (read
// with plain graphql() and over the HTTP server), and before/after order holds for every hook
// kind, built-ins included.
import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLString, printSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { getSchemaRuntime } from '../schema/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { addQueryFields, definePlugin } from './index.js'
import type { Plugin } from './index.js'

/** Adds `shopStats: ShopStats!` (a new type) whose resolver counts users in the bound database. */
const shopStats = definePlugin({
  name: 'shop-stats',
  version: '1.2.0',
  configSchema: {
    type: 'object',
    properties: { label: { type: 'string', minLength: 1 } },
    required: ['label'],
    additionalProperties: false,
  },
  config: { label: 'Main shop' },
  setup(config) {
    return {
      schema(schema) {
        const { database } = getSchemaRuntime(schema)
        const ShopStats = new GraphQLObjectType({
          name: 'ShopStats',
          fields: {
            label: { type: new GraphQLNonNull(GraphQLString) },
            userCount: { type: new GraphQLNonNull(GraphQLInt) },
          },
        })
        return addQueryFields(schema, {
          shopStats: {
            type: new GraphQLNonNull(ShopStats),
            resolve: async () => {
              const { rows } = await database.query<{ n: number }>({
                text: 'select count(*)::int as n from users',
                values: [],
              })
              return { label: config.label, userCount: rows[0]!.n }
            },
          },
        })
      },
    }
  },
})

/** Records, in `calls`, each hook of each plugin as it runs. */
function recorder(calls: string[], name: string, order: Pick<Plugin, 'before' | 'after'>): Plugin {
  return definePlugin({
    name,
    ...order,
    models(graph) {
      calls.push(`models:${name}`)
      return graph
    },
    schema(schema) {
      calls.push(`schema:${name}`)
      return schema
    },
    request(context) {
      calls.push(`request:${name}:${context.user ? 'user' : 'no-user'}`)
    },
    beforeMutation() {
      calls.push(`beforeMutation:${name}`)
    },
  })
}

describe.each(testDatabases())('plugin API on $name', (entry: TestDatabase) => {
  const calls: string[] = []
  let shop: ShopFixture
  let server: AutoGenServer
  let url: string
  let dispose: () => Promise<void>

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, {
      scale: 0.05,
      configure: (config) => ({
        ...config,
        // Given in the "wrong" order on purpose: before/after must win over the array order.
        plugins: [
          recorder(calls, 'late', { after: ['early'] }),
          shopStats,
          recorder(calls, 'early', {}),
          recorder(calls, 'pre-auth', { before: ['graphql-auto-gen:auth'] }),
        ],
      }),
    })
    server = createServer({ schema: shop.schema })
    url = await server.listen(0, '127.0.0.1')
  })
  afterAll(async () => {
    await server.close()
    await dispose()
  })

  it('adds a type and a Query field that plain graphql() can read', async () => {
    expect(printSchema(shop.schema)).toContain('type ShopStats {\n  label: String!\n  userCount: Int!\n}')
    const [count] = await shop.rows<{ n: number }>('select count(*)::int as n from users')
    const data = await shop.data<{ shopStats: { label: string; userCount: number } }>(
      '{ shopStats { label userCount } }',
    )
    expect(data.shopStats).toEqual({ label: 'Main shop', userCount: count!.n })
  })

  it('serves the added field over HTTP next to generated ones', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ shopStats { userCount } users(first: 1) { totalCount } }' }),
    })
    const body = (await response.json()) as {
      data: { shopStats: { userCount: number }; users: { totalCount: number } }
    }
    expect(response.status).toBe(200)
    expect(body.data.shopStats.userCount).toBe(body.data.users.totalCount)
    expect(body.data.shopStats.userCount).toBeGreaterThan(0)
  })

  it('orders built-in and user plugins by before/after, the same for every hook', async () => {
    const names = getSchemaRuntime(shop.schema).plugins.map((p) => p.name)
    expect(names).toEqual([
      'graphql-auto-gen:request-id',
      'pre-auth',
      'graphql-auto-gen:auth',
      'graphql-auto-gen:limits',
      // late comes first in `plugins` and waits for early, which is pulled in just ahead of it.
      'early',
      'late',
      'shop-stats',
    ])
    expect(calls.filter((c) => c.startsWith('models:'))).toEqual([
      'models:pre-auth',
      'models:early',
      'models:late',
    ])
    expect(calls.filter((c) => c.startsWith('schema:'))).toEqual([
      'schema:pre-auth',
      'schema:early',
      'schema:late',
    ])
    calls.length = 0
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    })
    // pre-auth runs before the auth plugin sets context.user; the others after it.
    expect(calls).toEqual(['request:pre-auth:no-user', 'request:early:user', 'request:late:user'])
    calls.length = 0
    const created = await shop.data<{ createTag: { success: boolean } }>(
      `mutation { createTag(input: {name: "plugin-order-${entry.name}"}) { success } }`,
    )
    expect(created.createTag.success).toBe(true)
    expect(calls).toEqual(['beforeMutation:pre-auth', 'beforeMutation:early', 'beforeMutation:late'])
  })
})
