// Redis stopped mid-load under the response cache and the rate limiter: requests keep being
// answered (no failure) at ≥ 80% of the rate of a twin server whose Redis stays up, because every
// Redis client fails fast (no offline queue, short timeouts, circuit breaker) and no cache write
// is awaited on the response path; once Redis is back, answers are cached again. Both servers
// share one database and run under load in the same time window, so machine noise hits both.
// The load is of queries the cache does not answer (each a lookup, the query, a cache write):
// answers the cache did serve come from the database during an outage, at the database's cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from '../../src/schema/index.js'
import { countStatements, PGliteDatabase } from '../../src/database/index.js'
import type { Database } from '../../src/database/index.js'
import { sharedDatabase } from '../../src/testing/sharedDatabase.js'
import { SchemaBuilder } from '../../src/schema/index.js'
import { createServer } from '../../src/server/index.js'
import type { AutoGenServer } from '../../src/server/index.js'
import { uniquePrefix } from '../../src/testing/subscriptionHelpers.js'
import { startPrivateRedis } from '../../src/testing/privateRedis.js'
import type { PrivateRedis } from '../../src/testing/privateRedis.js'
import { shopConfig, withShop } from '../../src/testing/shopFixture.js'
import { runLoad } from './loadDriver.js'
import type { LoadOperation, LoadOutcome } from './loadDriver.js'
import { waitFor } from './reliabilityTesting.js'

/** How long both servers are measured once Redis is stopped. */
const PHASE_MS = 2_500
const CONNECTIONS = 3
const REPEATED = '{ tags(first: 5, orderBy: [{ name: ASC }]) { nodes { name } } }'
/** A cache miss every time (its marker is in the filter). */
const OPERATIONS: LoadOperation[] = [
  {
    name: 'miss',
    body: (marker) => ({
      query: 'query($m: String!) { users(first: 3, filter: { username: { icontains: $m } }) { totalCount } }',
      variables: { m: marker },
    }),
  },
]

interface Twin {
  redis: PrivateRedis
  server: AutoGenServer
  url: string
}

describe('response cache and rate limiter on Redis, Redis stopped mid-load', () => {
  let database: Database
  const twins: Twin[] = []

  const startTwin = async (): Promise<Twin> => {
    const redis = await startPrivateRedis()
    const config: UserConfig = {
      ...shopConfig,
      cache: { responses: { enabled: true, store: 'redis', redisUrl: redis.url, keyPrefix: uniquePrefix() } },
      security: {
        ...shopConfig.security,
        rateLimiting: { store: 'redis', redisUrl: redis.url, keyPrefix: uniquePrefix(), points: 1_000_000 },
      },
    }
    const server = createServer({
      schema: new SchemaBuilder(config, { database: sharedDatabase(database) }).build(),
    })
    const twin = { redis, server, url: await server.listen(0, '127.0.0.1') }
    twins.push(twin)
    return twin
  }

  beforeAll(async () => {
    database = new PGliteDatabase()
    await withShop(database, { scale: 0.02 })
  }, 120_000)
  afterAll(async () => {
    for (const twin of twins) {
      await twin.server.close()
      await twin.redis.stop()
    }
    await database?.close()
  })

  /** Statements the repeated query runs when asked twice in a row (0 the second time when cached). */
  const repeatedStatements = async (url: string): Promise<number> => {
    const ask = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: REPEATED }),
      }).then((r) => r.json())
    await ask()
    // The write of the first answer is not awaited by the response: let it land.
    await new Promise((resolve) => setTimeout(resolve, 100))
    return (await countStatements(database, ask)).count
  }

  it('keeps ≥ 80% of the twin’s request rate with no failed request, and caches again after', async () => {
    const steady = await startTwin()
    const outage = await startTwin()
    expect(await repeatedStatements(outage.url)).toBe(0)
    let stoppedAt = Infinity
    let end = Infinity
    const load = (twin: Twin) =>
      runLoad({
        url: twin.url,
        connections: CONNECTIONS,
        operations: OPERATIONS,
        done: () => performance.now() > end,
      })
    const loads = Promise.all([load(steady), load(outage)])
    // Mid-load: a second of warm load, then Redis of one twin stops; both are measured after.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    await outage.redis.stop()
    stoppedAt = performance.now()
    end = stoppedAt + PHASE_MS
    const [steadyOutcomes, outageOutcomes] = await loads
    const after = (outcomes: LoadOutcome[]) => outcomes.filter((o) => o.startedAt >= stoppedAt)
    const failed = outageOutcomes.filter((o) => !o.ok)
    expect(failed.map((o) => `${o.status} ${o.codes.join(',')} ${o.networkError ?? ''}`)).toEqual([])
    const [withRedis, withoutRedis] = [after(steadyOutcomes).length, after(outageOutcomes).length]
    console.log(
      `requests in ${PHASE_MS} ms after the stop: Redis up ${withRedis}, Redis stopped ${withoutRedis}`,
    )
    expect(withRedis).toBeGreaterThan(0)
    expect(withoutRedis).toBeGreaterThanOrEqual(0.8 * withRedis)
    // Without Redis nothing is cached: the repeated query runs its statement each time.
    expect(await repeatedStatements(outage.url)).toBe(1)

    await outage.redis.start()
    await waitFor(
      async () => (await repeatedStatements(outage.url)) === 0,
      'answers to be cached again',
      10_000,
    )
  }, 60_000)
})
