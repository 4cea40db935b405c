// Subscription fan-out: how long a committed change takes to reach 1, 10, 100 and 1000 graphql-ws
// subscribers on loopback (p50/p99 from the mutation's send to each subscriber's receipt). Every
// subscriber shares one selection and permission scope, so each event costs ONE re-read statement.
// Run: node --import tsx bench/subscriptionFanout.ts [events per size, default 20]
// (embedded PGlite and the in-memory broker; set DATABASE_URL to use PostgreSQL).
import { createClient } from 'graphql-ws'
import type { Client } from 'graphql-ws'
import WebSocket from 'ws'
import { countStatements, createDatabase, PgDatabase } from '../src/database/index.js'
import { getSchemaRuntime, SchemaBuilder } from '../src/schema/index.js'
import { createServer } from '../src/server/index.js'
import { createShopSchema } from '../examples/shop/ddl.js'
import shopConfig from '../examples/shop/graphql-auto-gen.config.js'

const SIZES = [1, 10, 100, 1000]
const EVENTS = Number(process.argv[2] ?? 20)
/** Unmeasured events first, so JIT warm-up and first connections do not count. */
const WARMUP = 3

async function main(): Promise<void> {
  const url = process.env['DATABASE_URL']
  const schemaName = `bench_fanout_${process.pid}`
  const database = url ? new PgDatabase({ url, searchPath: schemaName, max: 4 }) : createDatabase({})
  if (url) await database.exec(`create schema if not exists ${schemaName}`)
  await createShopSchema(database)
  const schema = new SchemaBuilder(
    { ...shopConfig, subscriptions: { enabled: true, maxSubscriptionsPerSocket: 1 } },
    { database },
  ).build()
  const server = createServer({ schema })
  const endpoint = await server.listen(0, '127.0.0.1')
  const feed = getSchemaRuntime(schema).changes!
  console.log(`database ${database.kind}, ${EVENTS} events per size (after ${WARMUP} unmeasured)`)
  console.log('subscribers  deliveries  p50 ms  p99 ms  max ms  re-read statements/event')
  let serial = 0
  for (const size of SIZES) {
    const received: number[][] = Array.from({ length: WARMUP + EVENTS }, () => [])
    const clients: Client[] = []
    for (let i = 0; i < size; i++) {
      const client = createClient({
        url: endpoint.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
      })
      client.subscribe(
        { query: 'subscription { userCreated { pk username email } }' },
        {
          next: (result) => {
            const name = (result.data?.['userCreated'] as { username: string } | undefined)?.username ?? ''
            const index = Number(/^u\d+_(\d+)$/.exec(name)?.[1] ?? -1)
            received[index]?.push(performance.now())
          },
          error: (error) => console.error(error),
          complete: () => {},
        },
      )
      clients.push(client)
    }
    while (feed.active < size) await new Promise((resolve) => setTimeout(resolve, 10))
    const latencies: number[] = []
    let statements = 0
    for (let event = 0; event < WARMUP + EVENTS; event++) {
      const sent = performance.now()
      const { count } = await countStatements(database, async () => {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `mutation { createUser(input: {username: "u${serial++}_${event}", email: "b@x.io"}) { success } }`,
          }),
        })
        await response.json()
        while (received[event]!.length < size) await new Promise((resolve) => setImmediate(resolve))
      })
      if (event < WARMUP) continue
      // The mutation itself costs one INSERT; the rest are re-reads.
      statements += count - 1
      latencies.push(...received[event]!.map((at) => at - sent))
    }
    latencies.sort((a, b) => a - b)
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1)
    console.log(
      `${String(size).padStart(11)}  ${String(latencies.length).padStart(10)}  ${at(0.5).padStart(6)}  ${at(0.99).padStart(6)}  ${at(1).padStart(6)}  ${(statements / EVENTS).toFixed(1).padStart(24)}`,
    )
    await Promise.all(clients.map((client) => client.dispose()))
    while (feed.active > 0) await new Promise((resolve) => setTimeout(resolve, 10))
  }
  await server.close()
  if (url) {
    const admin = new PgDatabase({ url })
    await admin.exec(`drop schema if exists ${schemaName} cascade`)
    await admin.close()
  }
}

await main()
