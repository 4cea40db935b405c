// Rate limiting through Redis: two server instances share one budget on the shared Redis
// (REDIS_URL, default redis://127.0.0.1:6379), and a PRIVATE redis-server, stopped mid-test,
// shows both fail modes: open (serve on a per-instance memory budget) and closed
// (SERVICE_UNAVAILABLE, no SQL).
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import { startPrivateRedis } from '../testing/privateRedis.js'
import { redisUrl, tierAvailable } from '../testing/tiers.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import { codeOf, startTestServer } from '../testing/testServer.js'
import type { TestServer } from '../testing/testServer.js'

const REDIS_URL = redisUrl()

function redisConfig(
  redisUrl: string,
  keyPrefix: string,
  failMode: 'open' | 'closed',
  points = 100,
): UserConfig {
  return {
    ...shopConfig,
    security: {
      rateLimiting: { store: 'redis', redisUrl, keyPrefix, failMode, points, durationSeconds: 60 },
    },
  }
}

/** `users(first: n) { nodes { id } }` costs 1 + n (n below the 20 users, which price as 32). */
const usersQuery = (n: number) => ({
  query: `{ users(first: ${n}) { nodes { id } } rateLimit { remaining used } }`,
})

describe.runIf(tierAvailable('redis')).each(testDatabases())(
  'rate limiting through Redis on $name',
  ({ create }) => {
    let database: Database
    let dispose: () => Promise<void>
    const servers: TestServer[] = []
    const start = async (config: UserConfig) => {
      const server = await startTestServer(buildShopSchema(sharedDatabase(database), config), database)
      servers.push(server)
      return server
    }

    beforeAll(async () => {
      const created = await create()
      database = created.database
      dispose = created.dispose
      await withShop(database, { scale: 0.05 })
    }, 120_000)
    afterAll(async () => {
      for (const server of servers) await server.server.close()
      await dispose()
    })

    it('two server instances spend one budget', async () => {
      const keyPrefix = `gag:test:${randomUUID()}`
      const a = await start(redisConfig(REDIS_URL, keyPrefix, 'closed', 80))
      const b = await start(redisConfig(REDIS_URL, keyPrefix, 'closed', 80))
      const first = await a.post(usersQuery(30)) // 31 → 49 left
      expect(first.body.errors).toBeUndefined()
      expect(first.headers.get('ratelimit-remaining')).toBe('49')
      const second = await b.post(usersQuery(31)) // 32 → 17 left, spent on the same budget
      expect(second.body.errors).toBeUndefined()
      expect(second.body.data?.['rateLimit']).toEqual({ remaining: 17, used: 63 })
      expect(second.headers.get('ratelimit-remaining')).toBe('17')
      // The budget lives in Redis: one key per caller, holding the points spent.
      const redis = new Redis(REDIS_URL)
      try {
        const keys = await redis.keys(`${keyPrefix}:*`)
        expect(keys).toEqual([`${keyPrefix}:ip:127.0.0.1`])
        expect(Number(await redis.get(keys[0]!))).toBe(63)
        expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0)
      } finally {
        redis.disconnect()
      }
      // 31 points no longer fit on either instance; nothing runs.
      const refusedOnA = await a.post(usersQuery(30))
      expect(refusedOnA.status).toBe(429)
      expect(codeOf(refusedOnA)).toBe(ErrorCodes.RATE_LIMITED)
      expect(refusedOnA.statements).toBe(0)
      const fitsOnB = await b.post(usersQuery(16)) // 17 → 0 left
      expect(fitsOnB.body.errors).toBeUndefined()
      expect(fitsOnB.headers.get('ratelimit-remaining')).toBe('0')
      const refusedOnB = await b.post(usersQuery(0)) // costs 1, none left
      expect(codeOf(refusedOnB)).toBe(ErrorCodes.RATE_LIMITED)
      expect(refusedOnB.statements).toBe(0)
    })

    it('keeps serving on a per-instance memory budget when Redis stops (failMode open), refuses with SERVICE_UNAVAILABLE (closed)', async () => {
      const redis = await startPrivateRedis()
      try {
        const keyPrefix = `gag:test:${randomUUID()}`
        const open = await start(redisConfig(redis.url, keyPrefix, 'open'))
        const closed = await start(redisConfig(redis.url, keyPrefix, 'closed'))
        // Both share the private Redis while it runs: 11 + 11 points.
        expect((await open.post(usersQuery(10))).headers.get('ratelimit-remaining')).toBe('89')
        expect((await closed.post(usersQuery(10))).headers.get('ratelimit-remaining')).toBe('78')

        await redis.stop()

        const served = await open.post(usersQuery(10))
        expect(served.status).toBe(200)
        expect(served.body.errors).toBeUndefined()
        expect(served.statements).toBe(1)
        // The memory budget of this instance starts full: 100 − 11.
        expect(served.headers.get('ratelimit-remaining')).toBe('89')
        expect(served.body.data?.['rateLimit']).toEqual({ remaining: 89, used: 11 })

        const refused = await closed.post(usersQuery(10))
        expect(refused.status).toBe(503)
        expect(codeOf(refused)).toBe(ErrorCodes.SERVICE_UNAVAILABLE)
        expect(refused.body.data ?? null).toBeNull()
        expect(refused.statements).toBe(0)
        expect(refused.elapsedMs).toBeLessThan(3_000)
      } finally {
        await redis.stop()
      }
    })
  },
)
