import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tierAvailable } from '../testing/tiers.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { SchemaBuilder } from '../schema/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { createShopSchema } from '../../examples/shop/ddl.js'
import type { SubscriptionsOptions } from '../config/index.js'
import {
  pause,
  record,
  subscriptionConfig,
  uniquePrefix,
  waitForSubscribers,
  wsClient,
} from '../testing/subscriptionHelpers.js'

const staff = { authorization: 'Staff 1' }

/** Two API instances over one database, sharing a broker (as two processes behind a load balancer). */
async function twoInstances(db: Database, subscriptions: SubscriptionsOptions) {
  const make = async () => {
    const schema = new SchemaBuilder(subscriptionConfig(subscriptions), { database: db }).build()
    const server = createServer({ schema })
    return { schema, server, url: await server.listen(0, '127.0.0.1') }
  }
  return [await make(), await make()] as const
}

async function mutate(url: string, query: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...staff },
    body: JSON.stringify({ query }),
  })
  const body = (await response.json()) as { errors?: unknown }
  expect(body.errors).toBeUndefined()
}

describe.each(testDatabases())('brokers on $name', (entry: TestDatabase) => {
  let db: Database
  let dispose: () => Promise<void>
  const servers: AutoGenServer[] = []

  beforeAll(async () => {
    const created = await entry.create()
    db = created.database
    dispose = created.dispose
    await createShopSchema(db)
  })
  afterAll(async () => {
    for (const server of servers) await server.close()
    await dispose()
  })

  it.runIf(tierAvailable('redis'))(
    'carries a mutation on instance A to a subscriber on instance B through Redis',
    async () => {
      const [a, b] = await twoInstances(db, { pubsub: 'redis', channelPrefix: uniquePrefix() })
      servers.push(a.server, b.server)
      const client = wsClient(b.url, staff)
      const created = record(
        client,
        'subscription { userCreated(filter: {username: {startswith: "redis"}}) { username } }',
      )
      await waitForSubscribers(b.schema, 1)
      await mutate(
        a.url,
        'mutation { createUser(input: {username: "redis-a", email: "r@x.io"}) { success } }',
      )
      await mutate(a.url, 'mutation { createUser(input: {username: "other", email: "o@x.io"}) { success } }')
      await created.waitFor(1)
      await pause(150)
      expect(created.data).toEqual([{ userCreated: { username: 'redis-a' } }])
      await client.dispose()
    },
  )

  it('delivers rows written with plain SQL through the PostgreSQL trigger, each once', async () => {
    const prefix = uniquePrefix()
    const [a, b] = await twoInstances(db, {
      pubsub: 'postgres',
      databaseTriggers: true,
      channelPrefix: prefix,
    })
    servers.push(a.server, b.server)
    const client = wsClient(b.url, staff)
    const created = record(
      client,
      'subscription { userCreated(filter: {username: {startswith: "sql"}}) { username email } }',
    )
    const updated = record(
      client,
      'subscription { userUpdated(filter: {username: {startswith: "sql"}}) { username email } }',
    )
    const deleted = record(
      client,
      'subscription { userDeleted(filter: {username: {exact: "sql-one"}}) { typeName } }',
    )
    await waitForSubscribers(b.schema, 3)
    // Outside the API: what another service or psql would do. Each step waits for its events:
    // events carry keys and the row is re-read, so a row already deleted again reads as gone.
    await db.exec(
      `insert into users (username, email) values ('sql-one', 'one@x.io'), ('sql-two', 'two@x.io')`,
    )
    await created.waitFor(2)
    await db.exec(`update users set email = 'one@new.io' where username = 'sql-one'`)
    await updated.waitFor(1)
    // Through the API on the other instance: the trigger publishes it, the API does not again.
    await mutate(
      a.url,
      'mutation { createUser(input: {username: "sql-api", email: "api@x.io"}) { success } }',
    )
    await created.waitFor(3)
    // A rolled-back write is never delivered.
    await db.exec(
      `begin; insert into users (username, email) values ('sql-rolled-back', 'rb@x.io'); rollback`,
    )
    await db.exec(`delete from users where username in ('sql-one', 'sql-two')`)
    await deleted.waitFor(1)
    await pause(200)
    expect(created.data.map((d) => (d['userCreated'] as { username: string }).username)).toEqual([
      'sql-one',
      'sql-two',
      'sql-api',
    ])
    expect(updated.data).toEqual([{ userUpdated: { username: 'sql-one', email: 'one@new.io' } }])
    expect(deleted.data).toEqual([{ userDeleted: { typeName: 'User' } }])
    await client.dispose()
  })
  it('drops the triggers once databaseTriggers is turned off: an API mutation arrives once', async () => {
    const prefix = uniquePrefix()
    // A first run with triggers on installs them (on the first subscription) …
    // (The server closes with the shared test database, so it is closed with the others.)
    const [first] = await twoInstances(db, {
      pubsub: 'postgres',
      databaseTriggers: true,
      channelPrefix: prefix,
    })
    const firstClient = wsClient(first.url, staff)
    record(firstClient, 'subscription { userCreated { username } }')
    await waitForSubscribers(first.schema, 1)
    await firstClient.dispose()
    servers.push(first.server)
    expect(await triggerCount(db)).toBeGreaterThan(0)
    // … the next run has them off: the API publishes, and a left-behind trigger would NOTIFY again.
    const [a] = await twoInstances(db, { pubsub: 'postgres', databaseTriggers: false, channelPrefix: prefix })
    servers.push(a.server)
    const client = wsClient(a.url, staff)
    const created = record(
      client,
      'subscription { userCreated(filter: {username: {startswith: "off"}}) { username } }',
    )
    await waitForSubscribers(a.schema, 1)
    await mutate(
      a.url,
      'mutation { createUser(input: {username: "off-one", email: "off@x.io"}) { success } }',
    )
    await created.waitFor(1)
    await pause(300)
    expect(created.data).toEqual([{ userCreated: { username: 'off-one' } }])
    expect(await triggerCount(db)).toBe(0)
    await client.dispose()
  })
})

/** Our NOTIFY triggers on the tables of this test's schema. */
async function triggerCount(db: Database): Promise<number> {
  const { rows } = await db.query<{ count: number }>({
    text: `select count(*)::int as count from pg_trigger t join pg_class c on c.oid = t.tgrelid
where t.tgname = 'graphql_auto_gen_notify' and c.relnamespace = current_schema()::regnamespace`,
    values: [],
  })
  return rows[0]!.count
}
