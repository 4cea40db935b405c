// The shared Redis client fails fast: with Redis stopped a command fails at once (no offline
// queue), and with a Redis that accepts commands but does not answer (CLIENT PAUSE), three
// command timeouts open the circuit breaker, which then refuses commands without sending them.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BREAKER_FAILURES, createRedisClient, RedisUnavailable } from './redisClient.js'
import type { FailFastRedis } from './redisClient.js'
import { startPrivateRedis } from './testing/privateRedis.js'
import type { PrivateRedis } from './testing/privateRedis.js'

describe('createRedisClient', () => {
  let redis: PrivateRedis
  let client: FailFastRedis
  let admin: Redis

  beforeAll(async () => {
    redis = await startPrivateRedis()
    client = createRedisClient(redis.url)
    admin = new Redis(redis.url)
  })
  afterAll(async () => {
    await client?.close()
    admin?.disconnect()
    await redis?.stop()
  })

  it('opens the breaker after repeated timeouts and refuses without sending', async () => {
    expect(await client.run((r) => r.ping())).toBe('PONG')
    await admin.client('PAUSE', 4_000, 'ALL')
    for (let i = 0; i < BREAKER_FAILURES; i++) {
      const error = await client.run((r) => r.get('k')).catch((e: unknown) => e)
      // Sent, and timed out: the cause is ioredis's timeout.
      expect(error).toBeInstanceOf(RedisUnavailable)
      expect((error as RedisUnavailable).cause).toBeInstanceOf(Error)
    }
    expect(client.available()).toBe(false)
    let sent = false
    const refused = await client
      .run(async (r) => {
        sent = true
        return r.get('k')
      })
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(RedisUnavailable)
    expect(sent).toBe(false)
  }, 15_000)

  it('fails at once while Redis is stopped, and works again once it is back', async () => {
    await redis.stop()
    const error = await client.run((r) => r.get('k')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedisUnavailable)
    // The breaker the test above opened may refuse the command without sending it, and the
    // socket's close can arrive a moment after the server has exited: then the client learns the
    // drop from that close, shortly, rather than from a failed command.
    await vi.waitFor(() => expect(client.lost).toBe(true), { timeout: 2_000, interval: 20 })
    await redis.start()
    const deadline = Date.now() + 10_000
    let answer: unknown
    while (Date.now() < deadline) {
      answer = await client.run((r) => r.ping()).catch(() => undefined)
      if (answer === 'PONG') break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(answer).toBe('PONG')
  }, 20_000)
})
