// SIGTERM and SIGINT to the real CLI (`graphql-auto-gen serve` in a child process, the shop models
// on PostgreSQL) while it is busy: it stops accepting at once, every request it had received is
// answered in full (with `Connection: close`), the WebSocket gets 1001 (going away), the database
// pool is closed, and the process exits 0 without waiting for idle keep-alive connections.
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from 'graphql-ws'
import pg from 'pg'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../../src/cli/testing/runCli.js'
import { PgDatabase } from '../../src/database/index.js'
import { SchemaBuilder } from '../../src/schema/index.js'
import { createServer } from '../../src/server/index.js'
import { shopConfig } from '../../src/testing/shopFixture.js'
import { waitFor } from './reliabilityTesting.js'
import { shopPostgresForTest } from './testPostgres.js'
import type { TestPostgres } from './testPostgres.js'

/** Requests in flight when the signal arrives. */
const IN_FLIGHT = 32
/** A deliberately heavy read: four levels of to-many relations over the seeded shop. */
const HEAVY = `{ users(first: 50) { totalCount nodes { username orders(first: 20) { totalCount nodes { total
  items(first: 20) { nodes { quantity product { name category { name parent { name } } tags(first: 10) { nodes { name } } } } } } } } } }`

interface Answered {
  status: number
  connection: string | undefined
  users: number
  endedAt: number
}

describe('graceful shutdown of `graphql-auto-gen serve`', () => {
  let postgres: TestPostgres
  let dir: string

  beforeAll(async () => {
    postgres = await shopPostgresForTest(1)
    dir = mkdtempSync(join(tmpdir(), 'gag-shutdown-'))
    const shop = join(repoRoot, 'examples', 'shop', 'graphql-auto-gen.config.ts')
    writeFileSync(
      join(dir, 'graphql-auto-gen.config.ts'),
      `import shop from ${JSON.stringify(shop)}
export default {
  ...shop,
  database: { url: ${JSON.stringify(postgres.url)}, poolSize: 4 },
  subscriptions: { enabled: true },
  performance: { maxQueryComplexity: 10_000_000 },
  server: { shutdownTimeoutMs: 60_000 },
}
`,
    )
  }, 180_000)
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    await postgres?.dispose()
  })

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s under load: stops accepting, answers every received request, closes the WebSocket with 1001, exits 0',
    async (signal) => {
      const cli = await runCli(['serve', '--port', '0'], {
        cwd: dir,
        until: (out) => /GraphQL \+ GraphiQL: (\S+)/.test(out),
      })
      const url = /GraphQL \+ GraphiQL: (\S+)/.exec(cli.stdout)?.[1]
      expect(url, cli.stderr).toBeDefined()
      const { port } = new URL(url!)
      const exited =
        cli.child.exitCode === null ? once(cli.child, 'exit') : Promise.resolve([cli.child.exitCode])

      // A subscriber, confirmed by receiving an event.
      let closeCode: number | undefined
      const client = createClient({
        url: url!.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        on: { closed: (event) => (closeCode = (event as { code: number }).code) },
      })
      const events: unknown[] = []
      client.subscribe(
        { query: 'subscription { tagCreated { name } }' },
        {
          next: (value) => events.push(value),
          error: () => undefined,
          complete: () => undefined,
        },
      )
      await waitFor(
        async () => {
          await post(
            port,
            `mutation { createTag(input: { name: "probe-${events.length}-${Date.now()}" }) { success } }`,
          )
          return events.length > 0
        },
        'the subscription to receive an event',
        20_000,
      )

      // Answered once first, so the in-flight copies take the server's direct lane (node:http).
      expect((await post(port, HEAVY)).status).toBe(200)
      // Heavy requests on keep-alive connections, all written before the signal; a /health
      // answered on a later connection proves the server has taken every one of them.
      const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT })
      const written: Array<Promise<void>> = []
      const answers = Array.from({ length: IN_FLIGHT }, () => {
        const { sent, answered } = send(port, agent, HEAVY)
        written.push(sent)
        return answered
      })
      await Promise.all(written)
      expect((await get(port, '/health')).status).toBe(200)

      // When the server said it began shutting down: a response written before that (the signal
      // takes a moment to reach a busy process) may still keep its connection alive.
      let shutdownSeenAt = Infinity
      cli.child.stdout!.on('data', () => {
        if (shutdownSeenAt === Infinity && cli.stdout.includes(`Received ${signal}`))
          shutdownSeenAt = performance.now()
      })
      const signalledAt = performance.now()
      cli.child.kill(signal)
      // Stops accepting: a new connection is refused soon after the signal.
      await waitFor(
        async () =>
          (await get(port, '/health').then(
            () => 'open',
            (error: NodeJS.ErrnoException) => error.code,
          )) === 'ECONNREFUSED',
        'new connections to be refused',
        2_000,
      )

      const results = await Promise.all(answers)
      const [code] = (await exited) as [number | null]
      const exitedAt = performance.now()
      agent.destroy()

      // Every request it had received was answered in full, none cut off.
      expect(results.map((r) => r.status)).toEqual(Array(IN_FLIGHT).fill(200))
      expect(results.every((r) => r.users === 50)).toBe(true)
      // They really were in flight: most finished after the signal, telling the client to close.
      const afterSignal = results.filter((r) => r.endedAt > signalledAt)
      expect(afterSignal.length).toBeGreaterThan(0)
      const afterShutdown = results.filter((r) => r.endedAt > shutdownSeenAt)
      expect(afterShutdown.length).toBeGreaterThan(0)
      expect(afterShutdown.every((r) => r.connection === 'close')).toBe(true)
      expect(closeCode).toBe(1001)
      expect(code).toBe(0)
      expect(cli.stdout).toContain(`Received ${signal}, shutting down…`)
      expect(cli.stdout).toContain(
        'Stopped: in-flight requests finished, connections and database pool closed.',
      )
      // Idle keep-alive connections did not hold the exit (Node's keep-alive timeout is 5 s).
      const lastAnswer = Math.max(...results.map((r) => r.endedAt))
      expect(exitedAt - lastAnswer).toBeLessThan(3_000)
      await client.dispose()
    },
    120_000,
  )
})

describe('the shutdown deadline (createServer)', () => {
  let postgres: TestPostgres
  beforeAll(async () => {
    postgres = await shopPostgresForTest(0.02)
  }, 180_000)
  afterAll(async () => {
    await postgres?.dispose()
  })

  it('cuts a request still running at shutdownTimeoutMs, then closes once its statement is cancelled', async () => {
    const schema = new SchemaBuilder({
      ...shopConfig,
      database: { url: postgres.url, statementTimeoutMs: 1_500 },
      server: { shutdownTimeoutMs: 300 },
    }).build()
    const server = createServer({ schema })
    const url = await server.listen(0, '127.0.0.1')
    const { port } = new URL(url)
    // Another session locks the table, so the request's statement waits (until statement_timeout).
    const locker = new pg.Client({ connectionString: postgres.url })
    await locker.connect()
    const admin = new PgDatabase({ url: postgres.url })
    try {
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE tags IN ACCESS EXCLUSIVE MODE')
      const stuck = post(port, '{ tags(first: 1) { nodes { name } } }').then(
        () => 'answered',
        (error: NodeJS.ErrnoException) => error.code,
      )
      await waitFor(
        async () => {
          // Not on the locker: inside a transaction, pg_stat_activity is a snapshot of its start.
          const { rows } = await admin.query({
            text: `select 1 from pg_stat_activity where wait_event_type = 'Lock'`,
            values: [],
          })
          return rows.length > 0
        },
        'the request to wait for the lock',
        10_000,
      )
      const started = performance.now()
      const closed = server.close()
      expect(await stuck).toBe('ECONNRESET')
      const cutAfter = performance.now() - started
      expect(cutAfter).toBeGreaterThanOrEqual(280)
      expect(cutAfter).toBeLessThan(1_500)
      // The pool closes once the cut request's statement was cancelled at the deadline.
      await closed
      expect(performance.now() - started).toBeLessThan(5_000)
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined)
      await locker.end()
      await admin.close()
    }
  })
})

/** POSTs `query` on its own connection. */
function post(port: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify({ query }))
  })
}

/** GETs `path` on a new connection. */
function get(port: string, path: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Sends `query` through `agent`: `sent` once the request is written, `answered` with what came back. */
function send(
  port: string,
  agent: Agent,
  query: string,
): { sent: Promise<void>; answered: Promise<Answered> } {
  let onSent!: () => void
  const sent = new Promise<void>((resolve) => (onSent = resolve))
  const answered = new Promise<Answered>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      },
      (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => {
          const parsed = JSON.parse(body) as { data?: { users?: { nodes?: unknown[] } } }
          resolve({
            status: res.statusCode ?? 0,
            connection: res.headers.connection,
            users: parsed.data?.users?.nodes?.length ?? 0,
            endedAt: performance.now(),
          })
        })
      },
    )
    req.on('error', reject)
    req.on('finish', onSent)
    req.end(JSON.stringify({ query }))
  })
  return { sent, answered }
}
