import { parse, subscribe } from 'graphql'
import type { ExecutionResult, GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toAuthUser } from '../auth/index.js'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { encodeGlobalId } from '../naming/index.js'
import { getSchemaRuntime, SchemaBuilder } from '../schema/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { createShopSchema } from '../../examples/shop/ddl.js'
import { channelFor } from './index.js'
import {
  pause,
  record,
  subscriptionConfig,
  uniquePrefix,
  waitForSubscribers,
  waitUntil,
  wsClient,
} from '../testing/subscriptionHelpers.js'

/** Waits until earlier tests' subscriptions have ended; returns the count (0). */
async function settled(schema: GraphQLSchema): Promise<number> {
  const feed = getSchemaRuntime(schema).changes!
  await waitUntil(() => feed.active === 0)
  return feed.active
}

describe.each(testDatabases())('subscriptions on $name', (entry: TestDatabase) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema
  let server: AutoGenServer
  let url: string
  const prefix = uniquePrefix()
  const userIds: number[] = []

  beforeAll(async () => {
    const created = await entry.create()
    db = created.database
    dispose = created.dispose
    await createShopSchema(db)
    for (const name of ['ann', 'bob', 'cid']) {
      const { rows } = await db.query<{ id: number }>({
        text: `insert into users (username, email) values ($1, $2) returning id`,
        values: [name, `${name}@example.com`],
      })
      userIds.push(rows[0]!.id)
    }
    schema = new SchemaBuilder(subscriptionConfig({ channelPrefix: prefix, maxSubscriptionsPerSocket: 3 }), {
      database: db,
    }).build()
    server = createServer({ schema })
    url = await server.listen(0, '127.0.0.1')
  })
  afterAll(async () => {
    await server.close()
    await dispose()
  })

  const staff = { authorization: 'Staff 999' }
  const post = async (
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = staff,
  ) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    })
    const body = (await response.json()) as ExecutionResult
    expect(body.errors).toBeUndefined()
    return body.data as Record<string, Record<string, unknown>>
  }

  it('delivers userCreated only for rows matching the filter, in the selection shape', async () => {
    const client = wsClient(url, staff)
    const base = await settled(schema)
    const filtered = record(
      client,
      'subscription { userCreated(filter: {username: {startswith: "al"}}) { username who: email } }',
    )
    const all = record(client, 'subscription { userCreated { pk } }')
    await waitForSubscribers(schema, base + 2)
    await post('mutation { createUser(input: {username: "alice", email: "a@x.io"}) { success } }')
    await post('mutation { createUser(input: {username: "boris", email: "b@x.io"}) { success } }')
    await all.waitFor(2)
    await filtered.waitFor(1)
    await pause(100)
    expect(filtered.data).toEqual([{ userCreated: { username: 'alice', who: 'a@x.io' } }])
    const rows = (
      await db.query<{ id: number }>({
        text: `select id from users where username in ('alice', 'boris') order by id`,
        values: [],
      })
    ).rows
    expect(all.data).toEqual(rows.map((r) => ({ userCreated: { pk: r.id } })))
    await client.dispose()
  })

  it("sends a customer their own new orders and never another customer's", async () => {
    const [ann, bob] = userIds as [number, number]
    const annClient = wsClient(url, { authorization: `User ${ann}` })
    const bobClient = wsClient(url, { authorization: `User ${bob}` })
    const query = 'subscription { orderCreated { pk total user { username } } }'
    const base = await settled(schema)
    const annOrders = record(annClient, query)
    const bobOrders = record(bobClient, query)
    await waitForSubscribers(schema, base + 2)
    for (const [user, total] of [
      [ann, '10.00'],
      [bob, '20.00'],
      [ann, '30.00'],
    ] as const) {
      await post('mutation($input: CreateOrderInput!) { createOrder(input: $input) { success } }', {
        input: { userId: encodeGlobalId('User', String(user)), total },
      })
    }
    await annOrders.waitFor(2)
    await bobOrders.waitFor(1)
    await pause(100)
    const orders = async (user: number) =>
      (
        await db.query<{ id: number; total: string }>({
          text: 'select id, total from orders where user_id = $1 order by id',
          values: [user],
        })
      ).rows
    const shape = (username: string) => (row: { id: number; total: string }) => ({
      orderCreated: { pk: row.id, total: row.total, user: { username } },
    })
    expect(annOrders.data).toEqual((await orders(ann)).map(shape('ann')))
    expect(bobOrders.data).toEqual((await orders(bob)).map(shape('bob')))
    await Promise.all([annClient.dispose(), bobClient.dispose()])
  })

  it('publishes nothing for a failed bulk mutation, and one event per row after commit', async () => {
    const client = wsClient(url, staff)
    const base = await settled(schema)
    const created = record(
      client,
      'subscription { userCreated(filter: {username: {startswith: "bulk"}}) { username } }',
    )
    await waitForSubscribers(schema, base + 1)
    // "ann" exists: the whole bulk rolls back, its first two rows included.
    const failed = await post(
      'mutation($inputs: [CreateUserInput!]!) { bulkCreateUsers(inputs: $inputs) { success errors { code index } } }',
      { inputs: ['bulk1', 'bulk2', 'ann'].map((username) => ({ username, email: 'e@x.io' })) },
    )
    expect(failed['bulkCreateUsers']).toEqual({ success: false, errors: [{ code: 'UNIQUE', index: 2 }] })
    const ok = await post(
      'mutation($inputs: [CreateUserInput!]!) { bulkCreateUsers(inputs: $inputs) { success } }',
      { inputs: ['bulk3', 'bulk4', 'bulk5'].map((username) => ({ username, email: 'e@x.io' })) },
    )
    expect(ok['bulkCreateUsers']).toEqual({ success: true })
    await created.waitFor(3)
    await pause(150)
    expect(created.data.map((d) => (d['userCreated'] as { username: string }).username)).toEqual([
      'bulk3',
      'bulk4',
      'bulk5',
    ])
    await client.dispose()
  })

  it('sends updates, and deletions matched on the deleted row’s last values', async () => {
    const client = wsClient(url, staff)
    const base = await settled(schema)
    const updated = record(
      client,
      'subscription { userUpdated(filter: {email: {endswith: "@new.io"}}) { username email } }',
    )
    const deletedBob = record(
      client,
      'subscription { userDeleted(filter: {username: {exact: "boris"}}) { id typeName } }',
    )
    await waitForSubscribers(schema, base + 2)
    const { rows } = await db.query<{ id: number; username: string }>({
      text: `select id, username from users where username in ('alice', 'boris') order by username`,
      values: [],
    })
    const [alice, boris] = [rows[0]!, rows[1]!]
    await post('mutation($id: ID!) { updateUser(id: $id, input: {email: "alice@new.io"}) { success } }', {
      id: encodeGlobalId('User', String(alice.id)),
    })
    await post('mutation($id: ID!) { updateUser(id: $id, input: {email: "alice@old.io"}) { success } }', {
      id: encodeGlobalId('User', String(alice.id)),
    })
    await post('mutation($id: ID!) { deleteUser(id: $id) { success } }', {
      id: encodeGlobalId('User', String(alice.id)),
    })
    await post('mutation($id: ID!) { deleteUser(id: $id) { success } }', {
      id: encodeGlobalId('User', String(boris.id)),
    })
    await updated.waitFor(1)
    await deletedBob.waitFor(1)
    await pause(100)
    expect(updated.data).toEqual([{ userUpdated: { username: 'alice', email: 'alice@new.io' } }])
    expect(deletedBob.data).toEqual([
      { userDeleted: { id: encodeGlobalId('User', String(boris.id)), typeName: 'User' } },
    ])
    await client.dispose()
  })

  it('reports parse and validation errors as protocol errors and keeps the socket open', async () => {
    const client = wsClient(url, staff)
    const broken = record(client, 'subscription { userCreated { ')
    const invalid = record(client, 'subscription { userCreated { nope } }')
    await waitUntil(() => broken.errors.length > 0 && invalid.errors.length > 0)
    expect(broken.errors).toMatchObject([[{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]])
    expect(invalid.errors).toMatchObject([
      [{ message: expect.stringContaining('nope'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    ])
    // The same socket still serves operations.
    const result = await new Promise<unknown>((resolve, reject) =>
      client.subscribe(
        { query: '{ users(first: 1) { totalCount } }' },
        { next: resolve, error: reject, complete: () => {} },
      ),
    )
    expect(result).toMatchObject({ data: { users: { totalCount: expect.any(Number) } } })
    await client.dispose()
  })

  it('refuses subscriptions past maxSubscriptionsPerSocket with a coded error', async () => {
    const client = wsClient(url, staff)
    const base = await settled(schema)
    const open = [0, 1, 2].map(() => record(client, 'subscription { userCreated { pk } }'))
    await waitForSubscribers(schema, base + 3)
    const refused = record(client, 'subscription { userUpdated { pk } }')
    await waitUntil(() => refused.errors.length > 0)
    expect(refused.errors).toMatchObject([
      [{ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'subscriptionsPerSocket', maximum: 3 } }],
    ])
    open[0]!.dispose()
    await waitUntil(() => getSchemaRuntime(schema).changes!.active === base + 2)
    const again = record(client, 'subscription { userUpdated { pk } }')
    await waitForSubscribers(schema, base + 3)
    expect(again.errors).toEqual([])
    await client.dispose()
  })

  it('serves subscriptions over SSE with the same permissions', async () => {
    const [ann] = userIds as [number]
    const controller = new AbortController()
    const base = await settled(schema)
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `User ${ann}`,
      },
      body: JSON.stringify({ query: 'subscription { orderCreated { total } }' }),
      signal: controller.signal,
    })
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    await waitForSubscribers(schema, base + 1)
    for (const [user, total] of [
      [userIds[1]!, '1.00'],
      [ann, '2.00'],
    ] as const) {
      await post('mutation($input: CreateOrderInput!) { createOrder(input: $input) { success } }', {
        input: { userId: encodeGlobalId('User', String(user)), total },
      })
    }
    const reader = response.body!.getReader()
    let text = ''
    while (!text.includes('"total"')) text += new TextDecoder().decode((await reader.read()).value)
    controller.abort()
    const events = text
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => JSON.parse(line.slice(5)) as unknown)
    expect(events).toEqual([{ data: { orderCreated: { total: '2.00' } } }])
  })

  it('spends one re-read statement per (selection, permission scope) group for 200 subscribers', async () => {
    await settled(schema)
    const [ann, bob] = userIds as [number, number]
    const a = parse('subscription { orderCreated { pk total } }')
    const b = parse('subscription { orderCreated { total status user { username } } }')
    const groups = [
      { document: a, user: toAuthUser({ id: String(ann) }), count: 100 },
      { document: b, user: toAuthUser({ id: String(ann) }), count: 50 },
      { document: a, user: toAuthUser({ id: String(bob) }), count: 30 },
      { document: a, user: toAuthUser({ id: '0', isStaff: true }), count: 20 },
    ]
    const streams: Array<Array<AsyncIterableIterator<ExecutionResult>>> = []
    for (const group of groups) {
      const members: Array<AsyncIterableIterator<ExecutionResult>> = []
      for (let i = 0; i < group.count; i++) {
        const stream = await subscribe({
          schema,
          document: group.document,
          contextValue: { user: group.user },
        })
        if (!(Symbol.asyncIterator in stream)) throw new Error(JSON.stringify(stream))
        members.push(stream)
      }
      streams.push(members)
    }
    const [annA, annB, bobA, staffA] = streams as [
      (typeof streams)[0],
      (typeof streams)[0],
      (typeof streams)[0],
      (typeof streams)[0],
    ]
    const { rows } = await db.query<{ id: number }>({
      text: `insert into orders (user_id, total) values ($1, 5) returning id`,
      values: [ann],
    })
    const pk = String(rows[0]!.id)
    const feed = getSchemaRuntime(schema).changes!
    const { result: delivered, count } = await countStatements(db, async () => {
      const firsts = [...annA, ...annB, ...staffA].map((stream) => stream.next())
      let bobReceived = 0
      for (const stream of bobA) void stream.next().then((result) => (bobReceived += result.done ? 0 : 1))
      await feed.pubsub.publish(channelFor(prefix, 'orders', 'created'), {
        model: 'orders',
        op: 'created',
        pk,
      })
      const results = await Promise.all(firsts)
      // Bob's 30 subscribers read the event too (one shared statement) and get nothing.
      await pause(200)
      expect(bobReceived).toBe(0)
      return results
    })
    // ann×a, ann×b, bob×a, staff×a: four groups, four statements for 200 subscribers.
    expect(count).toBe(4)
    expect(delivered.map((r) => r.value)).toEqual([
      ...Array(100).fill({ data: { orderCreated: { pk: Number(pk), total: '5.00' } } }),
      ...Array(50).fill({
        data: { orderCreated: { total: '5.00', status: 'PENDING', user: { username: 'ann' } } },
      }),
      ...Array(20).fill({ data: { orderCreated: { pk: Number(pk), total: '5.00' } } }),
    ])
    await Promise.all(streams.flat().map((stream) => stream.return?.()))
    await settled(schema)
  })
})
