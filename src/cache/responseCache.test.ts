// The response cache over HTTP: hits run no SQL, answers never cross permission scopes, errors
// are never kept, and a mutation on one instance invalidates the answers of another via Redis.
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisUrl, tierAvailable } from '../testing/tiers.js'
import { permissionRequired } from '../auth/index.js'
import type { RowPolicy } from '../auth/index.js'
import type { UserConfig } from '../schema/index.js'
import { countStatements, PgDatabase } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { ErrorCodes } from '../errors.js'
import type { ModelOptions } from '../models/index.js'
import { createServer } from '../server/index.js'
import type { RequestContext } from '../plugins/index.js'
import type { AutoGenServer } from '../server/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { memoryCacheStore, responseCache } from './index.js'
import { sharedDatabase as shared } from '../testing/sharedDatabase.js'

const SECRET = 'response-cache-test-secret-long-enough-for-hs256'
const REDIS_URL = redisUrl()
const EMAIL = 'shop.view_email'
/** Every key this file writes starts with this, so it can delete them when done. */
const RUN = `test:rc:${randomUUID()}`
const key = new TextEncoder().encode(SECRET)
const bearer = async (sub: string, permissions: string[] = []): Promise<string> =>
  `Bearer ${await new SignJWT({ permissions })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('5m')
    .setIssuer('tests')
    .sign(key)}`

/** Each user sees only their own orders; anonymous callers see none. */
const ownOrders: RowPolicy = (user) => (user.id === null ? false : { user: { pk: { exact: user.id } } })

/** The orders of the customer an `X-Customer` header names (a gateway's header); none without it. */
const customerHeader: RowPolicy = (_user, context) => {
  const customer = (context as RequestContext).request?.headers.get('x-customer')
  return customer ? { user: { pk: { exact: customer } } } : false
}

interface Body {
  data?: Record<string, unknown> | null
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>
}

/** The shop config with JWT auth, the orders row policy, a guarded email and `cache`. */
function cachedConfig(cache: UserConfig['cache'], plugins: UserConfig['plugins'] = []): UserConfig {
  const models = shopConfig.models as Record<string, ModelOptions['table'] | ModelOptions>
  const options = (input: ModelOptions['table'] | ModelOptions): ModelOptions =>
    'table' in input && !('getSQL' in input)
      ? { ...(input as ModelOptions) }
      : { table: input as ModelOptions['table'] }
  return {
    ...shopConfig,
    models: {
      ...models,
      orders: { ...options(models['orders']!), rowPolicy: ownOrders },
      users: { ...options(models['users']!), fields: { email: { permission: permissionRequired(EMAIL) } } },
    },
    security: { permissionClasses: ['AllowAny'], jwt: { secret: SECRET, issuer: 'tests' } },
    ...(cache ? { cache } : {}),
    plugins,
  }
}

describe.each(testDatabases())('response cache on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let dispose: () => Promise<void>
  const servers: AutoGenServer[] = []
  let buyer = ''
  let other = ''

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, { scale: 0.05 })
    // The two users with the most orders (they differ in count), as JWT subjects.
    const rows = await shop.rows<{ user_id: number }>(
      'select user_id from orders group by user_id order by count(*) desc, user_id limit 2',
    )
    ;[buyer, other] = rows.map((r) => String(r.user_id)) as [string, string]
  })
  afterAll(async () => {
    for (const server of servers) await server.close()
    await dispose()
    // Model versions never expire in a real deployment; a test's should not outlive it.
    if (!tierAvailable('redis')) return
    const redis = new Redis(REDIS_URL)
    const keys = await redis.keys(`${RUN}:*`)
    if (keys.length > 0) await redis.del(...keys)
    await redis.quit()
  })

  async function serve(config: UserConfig, database: Database = shared(shop.db)) {
    const server = createServer({ schema: buildShopSchema(database, config) })
    servers.push(server)
    const url = await server.listen(0, '127.0.0.1')
    return async (
      query: string,
      auth?: string | Record<string, string>,
      variables?: Record<string, unknown>,
    ) => {
      const headers = typeof auth === 'string' ? { authorization: auth } : (auth ?? {})
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      })
      return (await response.json()) as Body
    }
  }

  /** Runs `work` and returns its result with the number of statements it sent to the database. */
  const counted = async <T>(work: () => Promise<T>) => {
    const { result, count } = await countStatements(shop.db, work)
    return { body: result, count }
  }

  it('serves a repeated query from the cache, and never to another caller scope', async () => {
    const post = await serve(
      cachedConfig({ responses: { enabled: true, keyPrefix: `${RUN}:${randomUUID()}` } }),
    )
    const orders = '{ orders(first: 50) { totalCount nodes { id } } }'
    const [one, two] = [await bearer(buyer), await bearer(other)]
    const expected = async (userId: string) =>
      Number(
        (await shop.rows<{ n: string }>('select count(*) as n from orders where user_id = $1', [userId]))[0]!
          .n,
      )
    const first = await counted(() => post(orders, one))
    expect(first.count).toBe(1)
    expect((first.body.data!['orders'] as { totalCount: number }).totalCount).toBe(await expected(buyer))
    const again = await counted(() => post(orders, one))
    expect(again.count).toBe(0)
    expect(again.body).toEqual(first.body)
    // Another user, and anonymous callers, are other scopes: their own answer, from the database.
    const theirs = await counted(() => post(orders, two))
    expect(theirs.count).toBe(1)
    expect((theirs.body.data!['orders'] as { totalCount: number }).totalCount).toBe(await expected(other))
    expect(theirs.body).not.toEqual(first.body)
    const anonymous = await counted(() => post(orders))
    expect(anonymous.count).toBe(1)
    expect(anonymous.body.data).toEqual({ orders: { totalCount: 0, nodes: [] } })
    // Variables are part of the key.
    const paged = 'query($n: Int) { orders(first: $n) { totalCount nodes { id } } }'
    const small = await post(paged, one, { n: 1 })
    expect((small.data!['orders'] as { nodes: unknown[] }).nodes).toHaveLength(1)
    expect(((await post(paged, one, { n: 2 })).data!['orders'] as { nodes: unknown[] }).nodes).toHaveLength(2)
  })

  describe.each([
    { store: 'memory' as const, declared: false },
    { store: 'memory' as const, declared: true },
    { store: 'redis' as const, declared: false },
    { store: 'redis' as const, declared: true },
  ])('a row policy reading a request header ($store store, declared: $declared)', ({ store, declared }) => {
    it.runIf(store === 'memory' || tierAvailable('redis'))(
      'keeps answers per header value, and serves the same caller from the cache',
      async () => {
        const policy: RowPolicy = declared
          ? Object.assign(customerHeader.bind(null), { reads: { headers: ['X-Customer'] } })
          : customerHeader
        const config = cachedConfig({
          responses: { enabled: true, store, redisUrl: REDIS_URL, keyPrefix: `${RUN}:${randomUUID()}` },
        })
        const models = config.models as Record<string, ModelOptions>
        const post = await serve({
          ...config,
          models: { ...models, orders: { ...models['orders']!, rowPolicy: policy } },
        })
        const orders = '{ orders(first: 100) { totalCount nodes { id } } }'
        const total = (body: Body) => (body.data!['orders'] as { totalCount: number }).totalCount
        const expected = async (userId: string) =>
          Number(
            (
              await shop.rows<{ n: string }>('select count(*) as n from orders where user_id = $1', [userId])
            )[0]!.n,
          )
        // Two anonymous callers from the same address, told apart only by the header the policy reads.
        const first = await counted(() => post(orders, { 'x-customer': buyer }))
        expect(first.count).toBe(1)
        expect(total(first.body)).toBe(await expected(buyer))
        const second = await counted(() => post(orders, { 'x-customer': other }))
        expect(second.count).toBe(1)
        expect(total(second.body)).toBe(await expected(other))
        expect(second.body).not.toEqual(first.body)
        const none = await counted(() => post(orders))
        expect(none.count).toBe(1)
        expect(total(none.body)).toBe(0)
        // The same caller again: from the cache.
        const again = await counted(() => post(orders, { 'x-customer': buyer }))
        expect(again.count).toBe(0)
        expect(again.body).toEqual(first.body)
        // Another header the policy does not read: a declared policy still hits; an undeclared
        // one may read any header, so the answer is kept per whole request.
        const traced = await counted(() => post(orders, { 'x-customer': buyer, 'x-trace': randomUUID() }))
        expect(traced.count).toBe(declared ? 0 : 1)
        expect(traced.body).toEqual(first.body)
      },
    )
  })

  it('keeps answers per permissions too: the same user without a permission is another scope', async () => {
    const post = await serve(
      cachedConfig({ responses: { enabled: true, keyPrefix: `${RUN}:${randomUUID()}` } }),
    )
    const emails = '{ users(first: 2, orderBy: [{ pk: ASC }]) { nodes { email } } }'
    const allowed = await post(emails, await bearer('3', [EMAIL]))
    expect(allowed.errors).toBeUndefined()
    expect((allowed.data!['users'] as { nodes: Array<{ email: string }> }).nodes[0]!.email).toContain('@')
    const denied = await counted(async () => post(emails, await bearer('3')))
    expect(denied.count).toBe(1)
    expect(denied.body.errors?.[0]?.extensions?.['code']).toBe(ErrorCodes.FORBIDDEN)
    expect((denied.body.data!['users'] as { nodes: Array<{ email: null }> }).nodes[0]!.email).toBeNull()
  })

  it('never keeps an answer with errors', async () => {
    const post = await serve(
      cachedConfig({ responses: { enabled: true, keyPrefix: `${RUN}:${randomUUID()}` } }),
    )
    const emails = '{ users(first: 1) { nodes { username email } } }'
    const auth = await bearer('4')
    for (let i = 0; i < 2; i++) {
      const { body, count } = await counted(() => post(emails, auth))
      expect(body.errors?.[0]?.extensions?.['code']).toBe(ErrorCodes.FORBIDDEN)
      expect(count).toBe(1)
    }
  })

  it('a mutation invalidates the answers it may change; the TTL ends the others', async () => {
    let clock = 5_000_000
    const store = memoryCacheStore({ now: () => clock })
    const post = await serve(cachedConfig(undefined, [responseCache({ store, ttlSeconds: 10 })]))
    const auth = await bearer(buyer)
    const orders = '{ orders(first: 1, orderBy: [{ pk: ASC }]) { nodes { id note } } }'
    const tags = '{ tags(first: 1) { totalCount } }'
    const first = await post(orders, auth)
    await post(tags, auth)
    expect((await counted(() => post(orders, auth))).count).toBe(0)
    const id = (first.data!['orders'] as { nodes: Array<{ id: string }> }).nodes[0]!.id
    const note = `changed ${randomUUID()}`
    const updated = await post(
      `mutation { updateOrder(id: "${id}", input: { note: "${note}" }) { success } }`,
      auth,
    )
    expect(updated.errors).toBeUndefined()
    const after = await counted(() => post(orders, auth))
    expect(after.count).toBe(1)
    expect((after.body.data!['orders'] as { nodes: Array<{ note: string }> }).nodes[0]!.note).toBe(note)
    // Tags were not written: still cached, until the TTL runs out.
    expect((await counted(() => post(tags, auth))).count).toBe(0)
    clock += 11_000
    expect((await counted(() => post(tags, auth))).count).toBe(1)
  })

  it.runIf(tierAvailable('redis'))(
    'a mutation on one instance invalidates cached answers of another, through Redis',
    async () => {
      const cache = {
        responses: {
          enabled: true,
          store: 'redis' as const,
          redisUrl: REDIS_URL,
          keyPrefix: `${RUN}:${randomUUID()}`,
        },
      }
      // Two instances, each with its own connection to the same database (PGlite: the same one).
      const second =
        entry.name === 'pg'
          ? new PgDatabase({
              url: process.env['DATABASE_URL']!,
              searchPath: (await shop.rows<{ schema: string }>('select current_schema() as schema'))[0]!
                .schema,
              max: 2,
            })
          : shared(shop.db)
      const postA = await serve(cachedConfig(cache))
      const postB = await serve(cachedConfig(cache), second)
      const auth = await bearer(other)
      const orders = '{ orders(first: 100) { totalCount } }'
      const before = await postB(orders, auth)
      const total = (before.data!['orders'] as { totalCount: number }).totalCount
      // Cached on B: answered without SQL (B's own connection is not counted here, so ask A's
      // cache the same: both instances share the store).
      expect((await counted(() => postA(orders, auth))).count).toBe(0)
      const userId = Buffer.from(`User:${other}`).toString('base64')
      const created = await postA(
        `mutation { createOrder(input: { userId: "${userId}", total: "12.50" }) { success } }`,
        auth,
      )
      expect(created.errors).toBeUndefined()
      const after = await postB(orders, auth)
      expect((after.data!['orders'] as { totalCount: number }).totalCount).toBe(total + 1)
    },
  )
})
