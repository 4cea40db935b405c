// Subscriptions are priced like queries: over the cost limit they are refused with
// QUERY_TOO_COMPLEX before anything subscribes, and each start spends the caller's budget.
import { randomUUID } from 'node:crypto'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import { getSchemaRuntime, SchemaBuilder } from '../schema/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { createShopSchema } from '../../examples/shop/ddl.js'
import {
  record,
  subscriptionConfig,
  uniquePrefix,
  waitForSubscribers,
  waitUntil,
  wsClient,
} from '../testing/subscriptionHelpers.js'

const [pglite] = testDatabases()

describe('subscription cost', () => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema
  let server: AutoGenServer
  let url: string

  beforeAll(async () => {
    const created = await pglite!.create()
    db = created.database
    dispose = created.dispose
    await createShopSchema(db)
    const config = subscriptionConfig({ channelPrefix: uniquePrefix(), authenticationRequired: true })
    schema = new SchemaBuilder(
      {
        ...config,
        performance: { maxQueryComplexity: 100 },
        // The cheap subscription below costs 1 point (one object, scalars free): a budget of 2 starts.
        security: {
          ...config.security,
          rateLimiting: { points: 2, durationSeconds: 60, keyPrefix: `gag:test:${randomUUID()}` },
        },
      },
      { database: db },
    ).build()
    server = createServer({ schema })
    url = await server.listen(0, '127.0.0.1')
  })
  afterAll(async () => {
    await server.close()
    await dispose()
  })

  it('refuses a subscription over the cost limit with QUERY_TOO_COMPLEX and subscribes nothing', async () => {
    const client = wsClient(url, { authorization: 'Staff 1' })
    // userCreated → orders (page 50) → items (page 50): far over 100 points.
    const expensive = record(
      client,
      'subscription { userCreated { id orders(first: 50) { nodes { id items(first: 50) { nodes { id } } } } } }',
    )
    await waitUntil(() => expensive.errors.length > 0 || expensive.completed)
    expect(expensive.data).toEqual([])
    expect(codes(expensive.errors)).toEqual([ErrorCodes.QUERY_TOO_COMPLEX])
    expect(getSchemaRuntime(schema).changes!.active).toBe(0)
    await client.dispose()
  })

  it('charges each start to the caller budget and refuses starts past it with RATE_LIMITED', async () => {
    const client = wsClient(url, { authorization: 'User 7' })
    const cheap = 'subscription { userCreated { id username } }'
    const first = record(client, cheap)
    const second = record(client, cheap)
    await waitForSubscribers(schema, 2)
    const third = record(client, cheap)
    await waitUntil(() => third.errors.length > 0 || third.completed)
    expect(codes(third.errors)).toEqual([ErrorCodes.RATE_LIMITED])
    expect(first.errors).toEqual([])
    expect(second.errors).toEqual([])
    expect(getSchemaRuntime(schema).changes!.active).toBe(2)
    // Another caller has a budget of their own.
    const other = wsClient(url, { authorization: 'User 8' })
    const theirs = record(other, cheap)
    await waitForSubscribers(schema, 3)
    expect(theirs.errors).toEqual([])
    first.dispose()
    second.dispose()
    theirs.dispose()
    await client.dispose()
    await other.dispose()
  })
})

function codes(errors: readonly unknown[]): unknown[] {
  return errors.flatMap((error) =>
    Array.isArray(error)
      ? error.map((e: { extensions?: { code?: unknown } }) => e.extensions?.code)
      : [(error as { extensions?: { code?: unknown } }).extensions?.code],
  )
}
