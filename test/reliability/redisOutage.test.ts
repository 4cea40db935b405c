// Redis goes away and comes back: a PRIVATE redis-server backs rate limiting (two instances
// sharing one budget, one failing open and one closed) and the subscriptions broker. While it is
// away each feature shows its documented fail mode (docs/operations.md) and nothing crashes; once
// it is back both recover by themselves.
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from '../../src/schema/index.js'
import { PGliteDatabase } from '../../src/database/index.js'
import type { Database } from '../../src/database/index.js'
import { ErrorCodes } from '../../src/errors.js'
import { sharedDatabase } from '../../src/testing/sharedDatabase.js'
import { getSchemaRuntime, SchemaBuilder } from '../../src/schema/index.js'
import { createServer } from '../../src/server/index.js'
import type { AutoGenServer } from '../../src/server/index.js'
import { record, uniquePrefix, wsClient } from '../../src/testing/subscriptionHelpers.js'
import { shopConfig, withShop } from '../../src/testing/shopFixture.js'
import { startPrivateRedis } from '../../src/testing/privateRedis.js'
import type { PrivateRedis } from '../../src/testing/privateRedis.js'
import { waitFor } from './reliabilityTesting.js'

/** Both features must work again this soon after Redis answers again (ioredis retries every ≤ 2 s). */
const RECOVERY_MS = 6_000
const USERS = { query: '{ users(first: 10) { nodes { id } } }' } // costs 11
const TAG_CREATED = 'subscription { tagCreated { name } }'

interface Instance {
  server: AutoGenServer
  schema: GraphQLSchema
  url: string
  post(body: unknown): Promise<{ status: number; headers: Headers; body: Answer }>
}
interface Answer {
  data?: Record<string, unknown> | null
  errors?: Array<{ message: string; extensions: Record<string, unknown> }>
}

describe('Redis stopped and started again', () => {
  let redis: PrivateRedis
  let database: Database
  const instances: Instance[] = []

  const start = async (failMode: 'open' | 'closed', keyPrefix: string, channelPrefix: string) => {
    const config: UserConfig = {
      ...shopConfig,
      security: {
        ...shopConfig.security,
        rateLimiting: {
          store: 'redis',
          redisUrl: redis.url,
          keyPrefix,
          failMode,
          points: 100,
          durationSeconds: 60,
        },
      },
      subscriptions: { enabled: true, pubsub: 'redis', redisUrl: redis.url, channelPrefix },
    }
    const schema = new SchemaBuilder(config, { database: sharedDatabase(database) }).build()
    const server = createServer({ schema })
    const url = await server.listen(0, '127.0.0.1')
    const instance: Instance = {
      server,
      schema,
      url,
      async post(body) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        })
        return { status: response.status, headers: response.headers, body: (await response.json()) as Answer }
      },
    }
    instances.push(instance)
    return instance
  }
  const createTag = (instance: Instance, name: string) =>
    instance.post({ query: `mutation { createTag(input: { name: "${name}" }) { success tag { pk } } }` })
  const activeSubscriptions = (instance: Instance) => getSchemaRuntime(instance.schema).changes!.active

  beforeAll(async () => {
    redis = await startPrivateRedis()
    database = new PGliteDatabase()
    await withShop(database, { scale: 0.02 })
  }, 120_000)
  afterAll(async () => {
    for (const instance of instances) await instance.server.close()
    await database?.close()
    await redis?.stop()
  })

  it('rate limiting fails open or closed as configured, subscriptions end with SERVICE_UNAVAILABLE; both recover', async () => {
    const keyPrefix = `gag:test:${uniquePrefix()}`
    const channelPrefix = uniquePrefix()
    const open = await start('open', keyPrefix, channelPrefix)
    const closed = await start('closed', keyPrefix, channelPrefix)

    // Healthy: one budget in Redis for both instances, and events cross instances.
    expect((await open.post(USERS)).headers.get('ratelimit-remaining')).toBe('89')
    expect((await closed.post(USERS)).headers.get('ratelimit-remaining')).toBe('78')
    const client = wsClient(open.url)
    try {
      const before = record(client, TAG_CREATED)
      await waitFor(
        () => activeSubscriptions(open) === 1,
        'the subscription to be confirmed by Redis',
        10_000,
      )
      expect((await createTag(closed, 'before-outage')).body.data?.['createTag']).toMatchObject({
        success: true,
      })
      await before.waitFor(1)
      expect(before.data).toEqual([{ tagCreated: { name: 'before-outage' } }])

      await redis.stop()

      // The open subscription is told that events may be lost, then completed.
      await waitFor(() => before.completed, 'the subscription to end', 10_000)
      expect(before.errors).toMatchObject([
        { extensions: { code: ErrorCodes.SERVICE_UNAVAILABLE, reason: 'brokerLost' } },
      ])
      expect(activeSubscriptions(open)).toBe(0)

      // failMode 'open': served, on this instance's own memory budget (full: 100 − 11).
      const served = await open.post(USERS)
      expect(served.status).toBe(200)
      expect(served.body.errors).toBeUndefined()
      expect(served.headers.get('ratelimit-remaining')).toBe('89')
      // failMode 'closed': refused with 503 and SERVICE_UNAVAILABLE, quickly.
      const started = performance.now()
      const refused = await closed.post(USERS)
      expect(refused.status).toBe(503)
      expect(refused.body.errors?.[0]?.extensions['code']).toBe(ErrorCodes.SERVICE_UNAVAILABLE)
      expect(performance.now() - started).toBeLessThan(3_000)

      // A new subscription is refused with a coded error, not left waiting for events.
      const during = record(client, TAG_CREATED)
      await waitFor(
        () => during.errors.length > 0 || during.completed,
        'the new subscription to be refused',
        10_000,
      )
      expect(during.errors).toMatchObject([
        { extensions: { code: ErrorCodes.SERVICE_UNAVAILABLE, reason: 'brokerUnavailable' } },
      ])
      // Writes still succeed (their events are lost, which is why subscribers were told).
      const written = await createTag(open, 'during-outage')
      expect(written.body.data?.['createTag']).toMatchObject({ success: true })
      const { rows } = await database.query({
        text: `select 1 from tags where name = 'during-outage'`,
        values: [],
      })
      expect(rows).toHaveLength(1)
      expect((await fetch(new URL('/health', open.url))).status).toBe(200)

      await redis.start()
      const back = performance.now()

      // Rate limiting is shared through Redis again (empty after the restart: 100 − 11).
      await waitFor(
        async () => (await closed.post(USERS)).status === 200,
        'the closed instance to serve',
        RECOVERY_MS,
      )
      // Subscriptions work again, across instances.
      let after = record(client, TAG_CREATED)
      await waitFor(
        () => {
          if (activeSubscriptions(open) === 1) return true
          if (after.completed || after.errors.length > 0) after = record(client, TAG_CREATED)
          return false
        },
        'a new subscription to be confirmed',
        RECOVERY_MS,
      )
      expect(performance.now() - back).toBeLessThan(RECOVERY_MS)
      expect((await createTag(closed, 'after-outage')).body.data?.['createTag']).toMatchObject({
        success: true,
      })
      await after.waitFor(1)
      expect(after.data).toEqual([{ tagCreated: { name: 'after-outage' } }])
      const shared = await open.post(USERS)
      expect(Number(shared.headers.get('ratelimit-remaining'))).toBeLessThan(89)
    } finally {
      await client.dispose()
    }
  }, 60_000)
})
