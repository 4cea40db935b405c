import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { SchemaBuilder } from '../schema/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { createShopSchema } from '../../examples/shop/ddl.js'
import {
  record,
  subscriptionConfig,
  uniquePrefix,
  waitForSubscribers,
  wsClient,
} from '../testing/subscriptionHelpers.js'

/** Opens a raw graphql-transport-ws socket and resolves with how it closed. */
function closeOf(
  url: string,
  send: (socket: WebSocket) => void = () => {},
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws')
    socket.on('open', () => send(socket))
    socket.on('error', reject)
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}

describe.each(testDatabases())('graphql-ws transport on $name', (entry: TestDatabase) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema
  let server: AutoGenServer
  let url: string

  beforeAll(async () => {
    const created = await entry.create()
    db = created.database
    dispose = created.dispose
    await createShopSchema(db)
    schema = new SchemaBuilder(
      subscriptionConfig({
        channelPrefix: uniquePrefix(),
        authenticationRequired: true,
        maxMessageBytes: 2_000,
        connectionInitTimeoutMs: 300,
      }),
      { database: db },
    ).build()
    server = createServer({ schema })
    url = await server.listen(0, '127.0.0.1')
  })
  afterAll(async () => {
    await server.close()
    await dispose()
  })

  it('refuses anonymous sockets with 4403 when authentication is required', async () => {
    const closed = await closeOf(url, (socket) => socket.send(JSON.stringify({ type: 'connection_init' })))
    expect(closed).toEqual({ code: 4403, reason: 'Forbidden: authentication required' })
  })

  it('refuses bad credentials with 4403 and a reason free of internals', async () => {
    const closed = await closeOf(url, (socket) =>
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer not-a-token' } }),
      ),
    )
    expect(closed.code).toBe(4403)
    expect(closed.reason).toMatch(/^Forbidden/)
  })

  it('accepts an authenticated socket and authenticates it once, at connection_init', async () => {
    const client = wsClient(url, { authorization: 'Staff 1' })
    const created = record(client, 'subscription { userCreated { username } }')
    await waitForSubscribers(schema, 1)
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Staff 1' },
      body: JSON.stringify({
        query: 'mutation { createUser(input: {username: "wsuser", email: "w@x.io"}) { success } }',
      }),
    })
    expect(response.status).toBe(200)
    await created.waitFor(1)
    expect(created.data).toEqual([{ userCreated: { username: 'wsuser' } }])
    await client.dispose()
  })

  it('closes with 1009 on a message over maxMessageBytes', async () => {
    const closed = await closeOf(url, (socket) => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Staff 1' } }))
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: `{ __typename ${' '.repeat(3_000)} }` },
        }),
      )
    })
    expect(closed.code).toBe(1009)
  })

  it('closes with 4408 when connection_init never comes', async () => {
    const closed = await closeOf(url)
    expect(closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' })
  })

  it('closes open sockets with 1001 (going away) on shutdown', async () => {
    // A database of its own: closing a server closes its database.
    const fresh = await entry.create()
    await createShopSchema(fresh.database)
    const own = createServer({
      schema: new SchemaBuilder(subscriptionConfig({ channelPrefix: uniquePrefix() }), {
        database: fresh.database,
      }).build(),
    })
    const ownUrl = await own.listen(0, '127.0.0.1')
    const socket = new WebSocket(ownUrl.replace(/^http/, 'ws'), 'graphql-transport-ws')
    const acknowledged = new Promise<void>((resolve) => socket.on('message', () => resolve()))
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Staff 1' } })),
    )
    await acknowledged
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
    const started = Date.now()
    const [, code] = await Promise.all([own.close(), closed])
    expect(code).toBe(1001)
    expect(Date.now() - started).toBeLessThan(5_000)
    await fresh.dispose()
  })
})
