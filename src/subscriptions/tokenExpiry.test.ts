// A subscription does not outlive its caller's credentials: when the JWT expires the socket is
// closed with 4403 and a coded reason, and no event created after the expiry reaches it; with
// `reauthenticateIntervalMs`, a caller whose credentials are revoked meanwhile is closed too.
import { graphql, parse, subscribe as subscribeToSchema } from 'graphql'
import type { ExecutionResult, GraphQLSchema } from 'graphql'
import { createClient } from 'graphql-ws'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createShopSchema } from '../../examples/shop/ddl.js'
import { PGliteDatabase } from '../database/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { createServer } from '../server/index.js'
import { shopConfig } from '../testing/shopFixture.js'
import { CREDENTIALS_REVOKED_REASON, TOKEN_EXPIRED_REASON } from './credentialWatch.js'
import { pause, uniquePrefix, waitForSubscribers, waitUntil } from '../testing/subscriptionHelpers.js'

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!'
const STAFF = {
  id: '1',
  isAuthenticated: true,
  isStaff: true,
  isSuperuser: true,
  permissions: [],
  groups: [],
}

/** A socket subscribed to tagCreated: the names it received, and how it closed. */
function subscribe(url: string, authorization: string) {
  const seen: { names: string[]; errors: unknown[]; closed?: { code: number; reason: string } } = {
    names: [],
    errors: [],
  }
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization },
    on: { closed: (event) => (seen.closed = event as { code: number; reason: string }) },
  })
  client.subscribe(
    { query: 'subscription { tagCreated { name } }' },
    {
      next: (result) => {
        if (result.errors) seen.errors.push(...result.errors)
        const tag = (result.data as { tagCreated?: { name: string } } | undefined)?.tagCreated
        if (tag) seen.names.push(tag.name)
      },
      error: (error) => seen.errors.push(error),
      complete: () => undefined,
    },
  )
  return { seen, dispose: () => client.dispose() }
}

/** A server on `db` whose sockets authenticate with `security` (subscriptions on, every model open). */
async function startServer(db: PGliteDatabase, security: Record<string, unknown>) {
  const schema = new SchemaBuilder(
    {
      ...shopConfig,
      subscriptions: { enabled: true, channelPrefix: uniquePrefix(), reauthenticateIntervalMs: 100 },
      security: { permissionClasses: ['AllowAny'], ...security },
    },
    { database: db },
  ).build()
  const server = createServer({ schema })
  return { schema, server, url: await server.listen(0, '127.0.0.1') }
}

describe('subscriptions and credentials', () => {
  const db = new PGliteDatabase()
  const revoked = new Set<string>()
  let jwt: Awaited<ReturnType<typeof startServer>>
  let custom: Awaited<ReturnType<typeof startServer>>

  beforeAll(async () => {
    await createShopSchema(db)
    jwt = await startServer(db, { jwt: { secret: SECRET } })
    custom = await startServer(db, {
      authenticate: (request: Request) => {
        const match = /^User (\d+)$/.exec(request.headers.get('authorization') ?? '')
        if (!match) return null
        if (revoked.has(match[1]!)) throw new Error('revoked')
        return { id: match[1]! }
      },
    })
  })
  afterAll(async () => {
    await jwt.server.close()
    await custom.server.close()
  })

  const createTag = async (schema: GraphQLSchema, name: string): Promise<void> => {
    const result = await graphql({
      schema,
      source: `mutation($name: String!) { createTag(input: { name: $name }) { success } }`,
      variableValues: { name },
      contextValue: { user: STAFF },
    })
    expect(result.errors).toBeUndefined()
  }

  it('closes with 4403 at token expiry and delivers nothing created after it', async () => {
    // exp has whole-second precision: at least 1.5 s of validity to see events before it.
    const exp = Math.ceil(Date.now() / 1000 + 1.5)
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('7')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(SECRET))
    const socket = subscribe(jwt.url, `Bearer ${token}`)
    await waitForSubscribers(jwt.schema, 1)
    // Tags created across the expiry, each named after when it was created.
    let n = 0
    while (Date.now() < exp * 1000 + 700) {
      await createTag(jwt.schema, `t${n++}-${Date.now()}`)
      await pause(20)
    }
    await waitUntil(() => socket.seen.closed !== undefined, 3_000)
    expect(socket.seen.closed).toMatchObject({ code: 4403, reason: TOKEN_EXPIRED_REASON })
    const createdAt = socket.seen.names.map((name) => Number(name.split('-')[1]))
    // Events before the expiry arrived; none created at or after it did.
    expect(createdAt.length).toBeGreaterThan(0)
    expect(createdAt.filter((t) => t >= exp * 1000)).toEqual([])
    socket.dispose()
  }, 15_000)

  it('closes with 4403 when a periodic re-authentication no longer accepts the caller', async () => {
    const socket = subscribe(custom.url, 'User 42')
    await waitForSubscribers(custom.schema, 1)
    await createTag(custom.schema, `before-${Date.now()}`)
    await waitUntil(() => socket.seen.names.length === 1)
    revoked.add('42')
    await waitUntil(() => socket.seen.closed !== undefined, 3_000)
    expect(socket.seen.closed).toMatchObject({ code: 4403, reason: CREDENTIALS_REVOKED_REASON })
    await createTag(custom.schema, `after-${Date.now()}`)
    await pause(200)
    expect(socket.seen.names).toHaveLength(1)
    socket.dispose()
  }, 15_000)

  it('stops delivering at token expiry on any transport (the subscribe resolver checks each event)', async () => {
    // As over SSE: no socket, just the schema's subscription with a caller whose token expires.
    const exp = Math.ceil(Date.now() / 1000 + 1)
    const user = { ...STAFF, id: '9', claims: { sub: '9', exp } }
    const stream = (await subscribeToSchema({
      schema: jwt.schema,
      document: parse('subscription { tagCreated { name } }'),
      contextValue: { user },
    })) as AsyncIterableIterator<ExecutionResult>
    await waitForSubscribers(jwt.schema, 1)
    await createTag(jwt.schema, `valid-${Date.now()}`)
    const first = await stream.next()
    expect(first.value?.data).toMatchObject({ tagCreated: { name: expect.stringMatching(/^valid-/) } })
    await pause(Math.max(0, exp * 1000 - Date.now()) + 50)
    await createTag(jwt.schema, `expired-${Date.now()}`)
    const refused = await stream.next()
    const result = refused.value as ExecutionResult
    expect(result.data).toBeNull()
    expect(result.errors?.map((e) => e.extensions['code'])).toEqual(['UNAUTHENTICATED'])
    expect((await stream.next()).done).toBe(true)
  }, 15_000)
})
