// A socket that never sends `connection_init` is closed with 4408 after
// `subscriptions.connectionInitTimeoutMs`, by default 3000 ms as in graphql-ws (it was 10 s:
// an idle socket held a server slot three times as long).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { resolveConfig } from '../schema/index.js'
import { PGliteDatabase } from '../database/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { createShopSchema } from '../../examples/shop/ddl.js'
import { shopConfig } from '../testing/shopFixture.js'
import { subscriptionConfig, uniquePrefix } from '../testing/subscriptionHelpers.js'

describe('connection_init timeout', () => {
  const db = new PGliteDatabase()
  let server: AutoGenServer
  let url: string

  beforeAll(async () => {
    await createShopSchema(db)
    const schema = new SchemaBuilder(subscriptionConfig({ channelPrefix: uniquePrefix() }), {
      database: db,
    }).build()
    server = createServer({ schema })
    url = await server.listen(0, '127.0.0.1')
  })
  afterAll(async () => server.close())

  it('defaults to 3000 ms', () => {
    const config = resolveConfig({ models: shopConfig.models, subscriptions: { enabled: true } })
    expect(config.subscriptions.connectionInitTimeoutMs).toBe(3_000)
  })

  it('closes a silent socket with 4408 at the default', async () => {
    const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws')
      socket.on('error', reject)
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    })
    expect(closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' })
  }, 8_000)
})
