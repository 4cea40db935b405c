// The `postgres` subscriptions broker across a PostgreSQL restart (a private cluster): an open
// subscription is told events may have been missed (SERVICE_UNAVAILABLE, reason brokerLost) and
// completed; one started while PostgreSQL is down is refused (brokerUnavailable), not left open
// waiting for events that cannot come; once PostgreSQL is back, new subscriptions get events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../../src/database/index.js'
import { ErrorCodes } from '../../src/errors.js'
import { getSchemaRuntime, SchemaBuilder } from '../../src/schema/index.js'
import type { GraphQLSchema } from 'graphql'
import { createServer } from '../../src/server/index.js'
import type { AutoGenServer } from '../../src/server/index.js'
import { record, uniquePrefix, wsClient } from '../../src/testing/subscriptionHelpers.js'
import { shopConfig, withShop } from '../../src/testing/shopFixture.js'
import { startPrivatePostgres } from './privatePostgres.js'
import type { PrivatePostgres } from './privatePostgres.js'
import { waitFor } from './reliabilityTesting.js'

const TAG_CREATED = 'subscription { tagCreated { name } }'

describe("pubsub: 'postgres' across a PostgreSQL restart", () => {
  let cluster: PrivatePostgres
  let server: AutoGenServer
  let schema: GraphQLSchema
  let url: string

  beforeAll(async () => {
    cluster = await startPrivatePostgres()
    const setup = new PgDatabase({ url: cluster.url })
    await withShop(setup, { seed: false })
    await setup.close()
    schema = new SchemaBuilder({
      ...shopConfig,
      database: { url: cluster.url },
      subscriptions: { enabled: true, pubsub: 'postgres', channelPrefix: uniquePrefix() },
    }).build()
    server = createServer({ schema })
    url = await server.listen(0, '127.0.0.1')
  }, 120_000)
  afterAll(async () => {
    await server?.close()
    await cluster?.destroy()
  })

  const createTag = async (name: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { createTag(input: { name: "${name}" }) { success } }` }),
    })
    return (await response.json()) as { data?: { createTag?: { success: boolean } } }
  }
  const active = () => getSchemaRuntime(schema).changes!.active

  it('ends open subscriptions with brokerLost, refuses new ones while down, recovers after', async () => {
    const client = wsClient(url)
    try {
      const before = record(client, TAG_CREATED)
      await waitFor(() => active() === 1, 'the subscription to LISTEN', 10_000)
      expect((await createTag('before'))?.data?.createTag?.success).toBe(true)
      await before.waitFor(1)

      await cluster.stop('fast')
      await waitFor(() => before.completed, 'the open subscription to end', 10_000)
      expect(before.errors).toMatchObject([
        { extensions: { code: ErrorCodes.SERVICE_UNAVAILABLE, reason: 'brokerLost' } },
      ])
      expect(active()).toBe(0)

      const during = record(client, TAG_CREATED)
      await waitFor(
        () => during.errors.length > 0 || during.completed,
        'the new subscription to be refused',
        10_000,
      )
      // Refused, whichever part notices first that PostgreSQL is down: the pipeline's first
      // statement (databaseUnavailable) or the broker's LISTEN (brokerUnavailable).
      expect(during.errors).toMatchObject([{ extensions: { code: ErrorCodes.SERVICE_UNAVAILABLE } }])
      const refusal = during.errors[0] as { extensions?: Record<string, unknown> }
      expect(['databaseUnavailable', 'brokerUnavailable']).toContain(refusal.extensions?.['reason'])
      expect(active()).toBe(0)

      await cluster.start()
      let after = record(client, TAG_CREATED)
      await waitFor(
        () => {
          if (active() === 1) return true
          if (after.completed || after.errors.length > 0) after = record(client, TAG_CREATED)
          return false
        },
        'a new subscription to LISTEN again',
        15_000,
      )
      await waitFor(
        async () => (await createTag(`after-${Date.now()}`))?.data?.createTag?.success === true,
        'a write to succeed',
        15_000,
      )
      await after.waitFor(1)
      expect(after.data[0]).toMatchObject({ tagCreated: { name: expect.stringMatching(/^after-/) } })
    } finally {
      await client.dispose()
    }
  }, 90_000)
})
