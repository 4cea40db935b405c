// cachedField: once per request for the same row and arguments; across requests with a TTL, in
// memory or Redis (shared by two schemas, as two instances would), per caller scope.
import { randomUUID } from 'node:crypto'
import { graphql } from 'graphql'
import type { ExecutionResult, GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisUrl, tierAvailable } from '../testing/tiers.js'
import { toAuthUser } from '../auth/index.js'
import type { UserConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { defineResolvers, field } from '../models/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { profiles } from '../../examples/shop/models.js'
import { cachedField, memoryCacheStore, redisCacheStore } from './index.js'
import type { CacheStore } from './index.js'

const REDIS_URL = redisUrl()

function run(schema: GraphQLSchema, source: string, contextValue?: object): Promise<ExecutionResult> {
  return graphql({ schema, source, ...(contextValue ? { contextValue } : {}) })
}

function ok(result: ExecutionResult): Record<string, unknown> {
  expect(result.errors).toBeUndefined()
  return result.data as Record<string, unknown>
}

describe.each(testDatabases())('cachedField on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let dispose: () => Promise<void>
  let clock = 1_000_000
  const clockStore = memoryCacheStore({ now: () => clock })
  const stores: CacheStore[] = []
  const calls = new Map<string, number>()
  const count = (name: string): void => void calls.set(name, (calls.get(name) ?? 0) + 1)
  const callsOf = (name: string): number => calls.get(name) ?? 0
  const cached = defineResolvers(profiles, {
    perRequest: cachedField(
      field({
        type: 'String!',
        needs: ['firstName', 'lastName'],
        args: { greeting: { type: 'String', defaultValue: 'Hi' } },
        resolve: async (p, args) => {
          count('perRequest')
          await new Promise((resolve) => setImmediate(resolve))
          return `${String(args['greeting'])} ${p.firstName} ${p.lastName}`
        },
      }),
    ),
    lasting: cachedField(
      {
        type: 'String!',
        needs: ['firstName', 'lastName'],
        resolve: (p) => {
          count('lasting')
          return `${p.firstName} ${p.lastName}`
        },
      },
      { ttlSeconds: 30, store: clockStore, scope: 'shared' },
    ),
    viewer: cachedField(
      (_p, _args, context) => {
        count('viewer')
        return `seen by ${context.user?.id ?? 'anonymous'}`
      },
      { ttlSeconds: 60 },
    ),
  })
  const configure = (config: UserConfig): UserConfig => ({
    ...config,
    resolvers: [...(config.resolvers ?? []), cached],
  })

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, { scale: 0.05, configure })
  })
  afterAll(async () => {
    for (const store of stores) await store.close()
    await dispose()
  })

  it('runs once per request for the same row and arguments, however often it is selected', async () => {
    const before = callsOf('perRequest')
    const source = `{
      a: profiles(first: 3, orderBy: [{ pk: ASC }]) { nodes { x: perRequest y: perRequest fullName } }
      b: profiles(first: 3, orderBy: [{ pk: ASC }]) { edges { node { perRequest } } }
      c: profiles(first: 3, orderBy: [{ pk: ASC }]) { nodes { perRequest(greeting: "Hello") } }
    }`
    const data = ok(await run(shop.schema, source, {})) as {
      a: { nodes: Array<{ x: string; y: string; fullName: string }> }
      b: { edges: Array<{ node: { perRequest: string } }> }
      c: { nodes: Array<{ perRequest: string }> }
    }
    // Three rows × two distinct argument sets.
    expect(callsOf('perRequest') - before).toBe(6)
    data.a.nodes.forEach((node, i) => {
      expect(node.x).toBe(`Hi ${node.fullName}`)
      expect(node.y).toBe(node.x)
      expect(data.b.edges[i]!.node.perRequest).toBe(node.x)
      expect(data.c.nodes[i]!.perRequest).toBe(`Hello ${node.fullName}`)
    })
    // Without a TTL nothing outlives the request; plain graphql() (no context) memoises too.
    await run(shop.schema, source)
    expect(callsOf('perRequest') - before).toBe(12)
  })

  it('keeps results across requests for ttlSeconds, and a changed row is a new key', async () => {
    const source = '{ profiles(first: 2, orderBy: [{ pk: ASC }]) { nodes { id lasting } } }'
    const before = callsOf('lasting')
    const first = ok(await run(shop.schema, source, {})) as { profiles: { nodes: Array<{ id: string }> } }
    expect(callsOf('lasting') - before).toBe(2)
    expect(ok(await run(shop.schema, source, {}))).toEqual(first)
    expect(callsOf('lasting') - before).toBe(2)
    const id = first.profiles.nodes[0]!.id
    ok(
      await run(
        shop.schema,
        `mutation { updateProfile(id: "${id}", input: { lastName: "Renamed" }) { success } }`,
      ),
    )
    const changed = ok(await run(shop.schema, source, {})) as {
      profiles: { nodes: Array<{ lasting: string }> }
    }
    expect(changed.profiles.nodes[0]!.lasting).toMatch(/ Renamed$/)
    expect(callsOf('lasting') - before).toBe(3)
    // After the TTL, values are computed again.
    clock += 31_000
    ok(await run(shop.schema, source, {}))
    expect(callsOf('lasting') - before).toBe(5)
  })

  it('keeps results per caller scope unless shared', async () => {
    const source = '{ profiles(first: 1, orderBy: [{ pk: ASC }]) { nodes { viewer } } }'
    const as = (id: string, permissions: string[] = []) => ({ user: toAuthUser({ id, permissions }) })
    const before = callsOf('viewer')
    const viewer = async (context: object) =>
      (ok(await run(shop.schema, source, context)) as { profiles: { nodes: Array<{ viewer: string }> } })
        .profiles.nodes[0]!.viewer
    expect(await viewer(as('7'))).toBe('seen by 7')
    expect(await viewer(as('8'))).toBe('seen by 8')
    expect(await viewer(as('7'))).toBe('seen by 7')
    expect(await viewer({})).toBe('seen by anonymous')
    expect(callsOf('viewer') - before).toBe(3)
    // Same id, other permissions: another scope.
    expect(await viewer(as('7', ['shop.view_order']))).toBe('seen by 7')
    expect(callsOf('viewer') - before).toBe(4)
  })

  it.runIf(tierAvailable('redis'))(
    'shares results through Redis between two schemas (two instances)',
    async () => {
      const prefix = `test:cf:${randomUUID()}`
      const storeA = redisCacheStore({ url: REDIS_URL })
      const storeB = redisCacheStore({ url: REDIS_URL })
      stores.push(storeA, storeB)
      let calls = 0
      const make =
        (store: CacheStore) =>
        (config: UserConfig): UserConfig => ({
          ...config,
          resolvers: [
            ...(config.resolvers ?? []),
            defineResolvers(profiles, {
              shared: cachedField(
                {
                  needs: ['firstName'],
                  resolve: (p) => {
                    calls++
                    return p.firstName.toUpperCase()
                  },
                },
                { ttlSeconds: 60, store, keyPrefix: prefix },
              ),
            }),
          ],
        })
      const schemaA = buildShopSchema(shop.db, make(storeA)(shopConfig))
      const schemaB = buildShopSchema(shop.db, make(storeB)(shopConfig))
      const source = '{ profiles(first: 3, orderBy: [{ pk: ASC }]) { nodes { firstName shared } } }'
      const a = ok(await run(schemaA, source, {})) as {
        profiles: { nodes: Array<{ firstName: string; shared: string }> }
      }
      expect(calls).toBe(3)
      for (const node of a.profiles.nodes) expect(node.shared).toBe(node.firstName.toUpperCase())
      expect(ok(await run(schemaB, source, {}))).toEqual(a)
      expect(calls).toBe(3)
    },
  )
})
