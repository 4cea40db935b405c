import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { and, IsAdminUser, IsAuthenticated, or } from './index.js'
import type { PermissionClass } from './index.js'

const SECRET = 'server-test-secret-long-enough-for-hs256-tokens'
const key = new TextEncoder().encode(SECRET)
const token = (
  sub: string,
  claims: Record<string, unknown> = {},
  exp: string | number = '5m',
): Promise<string> =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime(exp)
    .setIssuer('tests')
    .sign(key)

/** Owner may act on an order that is theirs (DRF's classic object permission). */
const IsOwner: PermissionClass = {
  name: 'IsOwner',
  message: 'Only the owner may do this.',
  hasObjectPermission: (ctx, row) => String(row['userId']) === ctx.user.id,
}

interface Body {
  data?: Record<string, unknown> | null
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: string[] }>
}

describe.each(testDatabases())('auth over HTTP on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let dispose: () => Promise<void>
  const servers: AutoGenServer[] = []

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, { scale: 0.05 })
  })
  afterAll(async () => {
    // Servers share the fixture's database: close their HTTP side only, then the database once.
    for (const server of servers) await new Promise<void>((resolve) => server.http.close(() => resolve()))
    await dispose()
  })

  async function serve(
    security: Record<string, unknown>,
    models?: Record<string, unknown>,
  ): Promise<(body: unknown, auth?: string) => Promise<{ status: number; body: Body }>> {
    const config = {
      ...shopConfig,
      ...(models ? { models: { ...(shopConfig.models as Record<string, unknown>), ...models } } : {}),
      security: { jwt: { secret: SECRET, issuer: 'tests' }, ...security },
    }
    const server = createServer({ schema: buildShopSchema(shop.db, config as typeof shopConfig) })
    servers.push(server)
    const url = await server.listen(0, '127.0.0.1')
    return async (body, auth) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json()) as Body }
    }
  }

  it('refuses bad tokens with UNAUTHENTICATED and HTTP 401, and serves good ones', async () => {
    const post = await serve({})
    const query = { query: '{ users(first: 1) { totalCount } }' }
    for (const auth of [
      `Bearer ${await token('1', {}, Math.floor(Date.now() / 1000) - 60)}`,
      'Bearer abc.def.ghi',
      'Basic x',
    ]) {
      const { status, body } = await post(query, auth)
      expect(status, auth).toBe(401)
      expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHENTICATED'])
      expect(JSON.stringify(body)).not.toContain('"http"')
    }
    const ok = await post(query, `Bearer ${await token('1')}`)
    expect(ok.status).toBe(200)
    expect(ok.body.errors).toBeUndefined()
    expect((await post(query)).status).toBe(200)
  })

  it('authenticationRequired refuses anonymous operations and introspection unless allowed', async () => {
    const strict = await serve({ authenticationRequired: true })
    const introspection = { query: '{ __schema { queryType { name } } }' }
    const anonymous = await strict({ query: '{ products(first: 1) { totalCount } }' })
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHENTICATED'])
    expect((await strict(introspection)).body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED')
    const signedIn = await strict(
      { query: '{ products(first: 1) { totalCount } }' },
      `Bearer ${await token('3')}`,
    )
    expect(signedIn.body.errors).toBeUndefined()
    const lenient = await serve({ authenticationRequired: true, allowAnonymousIntrospection: true })
    expect((await lenient(introspection)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } })
    expect((await lenient({ query: '{ products(first: 1) { totalCount } }' })).status).toBe(401)
  })

  it('turns introspection off when told', async () => {
    const closed = await serve({ introspection: false })
    const result = await closed({ query: '{ __schema { types { name } } }' })
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED')
    expect(result.body.errors?.[0]?.message).toContain('introspection')
    expect((await closed({ query: '{ products(first: 1) { totalCount } }' })).body.errors).toBeUndefined()
  })

  it('checks combined classes and object permissions with the user from the token', async () => {
    const [order] = await shop.rows<{ id: number; user_id: number }>(
      'select id, user_id from orders order by id limit 1',
    )
    const ordersModel = (shopConfig.models as unknown as Record<string, Record<string, unknown>>)['orders']!
    const post = await serve(
      {},
      {
        orders: {
          ...ordersModel,
          permissions: { view: [IsAuthenticated], change: [and(IsAuthenticated, or(IsAdminUser, IsOwner))] },
        },
      },
    )
    const id = Buffer.from(`Order:${order!.id}`).toString('base64')
    const mutation = {
      query: `mutation($id: ID!) { updateOrder(id: $id, input: { note: "by owner" }) { success } }`,
      variables: { id },
    }
    const owner = await post(mutation, `Bearer ${await token(String(order!.user_id))}`)
    expect(owner.body.data).toEqual({ updateOrder: { success: true } })
    const stranger = await post(mutation, `Bearer ${await token(String(order!.user_id + 1))}`)
    expect(stranger.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN'])
    expect(stranger.body.data).toBeNull()
    const staff = await post(
      mutation,
      `Bearer ${await token(String(order!.user_id + 1), { is_staff: true })}`,
    )
    expect(staff.body.data).toEqual({ updateOrder: { success: true } })
    const anonymous = await post({ query: '{ orders(first: 1) { totalCount } }' })
    expect(anonymous.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHENTICATED'])
  })
})
