// The direct lane answers repeat JSON POSTs of fast-path queries on node:http. It must answer
// byte for byte as graphql-yoga does (body, status, headers), run every plugin's per-operation
// work exactly once (request hooks, rate limit charges, log lines), and hand to graphql-yoga
// whatever it cannot answer identically. Each test compares a server with the lane against the
// same server with `performance.directLane: false`, over one database.
import { connect } from 'node:net'
import { pino } from 'pino'
import type { Plugin as YogaPlugin } from 'graphql-yoga'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { permissionRequired } from '../auth/index.js'
import type { AuthUser } from '../auth/index.js'
import type { UserConfig } from '../config/index.js'
import { countStatements, testDatabases } from '../database/index.js'
import type { Database, TestDatabase } from '../database/index.js'
import { sharedDatabase } from '../limits/testing.js'
import type { ModelOptions } from '../models/index.js'
import type { Plugin, RequestContext } from '../plugins/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { DIRECT_LANE_STATE } from './directLane.js'
import { FAST_PATH_STATE } from './fastPathPlugin.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

const Q1 = { query: '{ users(first: 5) { nodes { pk username email } } }' }
const Q4 = {
  query: 'query One($id: ID!) { user(id: $id) { pk username profile { firstName } } }',
  operationName: 'One',
  variables: { id: 'VXNlcjoz' },
}

/** A server, the contexts its operations ran with, and its log lines. */
interface Served {
  server: AutoGenServer
  url: string
  contexts: RequestContext[]
  logs: Array<Record<string, unknown>>
}

interface Posted {
  status: number
  headers: Record<string, string>
  text: string
  statements: number
  lane: boolean
}

/** Headers both paths must agree on (Date and Connection are the HTTP server's). */
const COMPARED_HEADERS = [
  'content-type',
  'content-length',
  'ratelimit-limit',
  'ratelimit-remaining',
  'retry-after',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'vary',
]

describe.each(testDatabases())('direct lane on $name', (entry: TestDatabase) => {
  let database: Database
  let dispose: () => Promise<void>
  const running: AutoGenServer[] = []

  beforeAll(async () => {
    const created = await entry.create()
    database = created.database
    dispose = created.dispose
    await withShop(database, { scale: 0.05 })
  }, 120_000)
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()))
  })
  afterAll(async () => {
    await dispose()
  })

  async function serve(
    lane: boolean,
    config: Partial<UserConfig> = {},
    plugins: Plugin[] = [],
  ): Promise<Served> {
    const contexts: RequestContext[] = []
    const logs: Array<Record<string, unknown>> = []
    const capture: Plugin = { name: 'test:capture', request: (context) => void contexts.push(context) }
    const schema = buildShopSchema(sharedDatabase(database), {
      ...shopConfig,
      ...config,
      security: {
        authenticate: (request) => {
          const header = request.headers.get('x-test-user')
          return header ? (JSON.parse(header) as Partial<AuthUser>) : null
        },
        ...config.security,
      },
      performance: { ...shopConfig.performance, ...config.performance, directLane: lane },
      plugins: [capture, ...plugins],
    })
    const stream = { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) }
    const server = createServer({ schema, logger: pino({ level: 'info' }, stream) })
    running.push(server)
    return { server, url: await server.listen(0, '127.0.0.1'), contexts, logs }
  }

  async function post(served: Served, body: unknown, headers: Record<string, string> = {}): Promise<Posted> {
    const before = served.contexts.length
    const { result, count } = await countStatements(database, async () => {
      const response = await fetch(served.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
      const kept: Record<string, string> = {}
      for (const name of COMPARED_HEADERS) {
        const value = response.headers.get(name)
        if (value !== null) kept[name] = value
      }
      return { status: response.status, headers: kept, text: await response.text() }
    })
    const context = served.contexts.at(-1)
    return {
      ...result,
      statements: count,
      lane: served.contexts.length > before && context?.state[DIRECT_LANE_STATE] === true,
    }
  }

  /** Sends `body` twice to each server; both answers must be the same; returns the lane server's second. */
  async function expectSameAnswers(
    laneServer: Served,
    yogaServer: Served,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Posted> {
    const viaYoga = [await post(yogaServer, body, headers), await post(yogaServer, body, headers)]
    const viaLane = [await post(laneServer, body, headers), await post(laneServer, body, headers)]
    for (const [i, posted] of viaLane.entries()) {
      const { lane: _lane, ...rest } = posted
      const { lane: _yogaLane, ...expected } = viaYoga[i]!
      expect(rest).toEqual(expected)
    }
    return viaLane[1]!
  }

  it('answers a repeat query on the lane byte for byte as graphql-yoga, in one statement', async () => {
    const lane = await serve(true)
    const yoga = await serve(false)
    expect((await post(lane, Q1)).lane).toBe(false)
    const second = await expectSameAnswers(lane, yoga, Q1)
    expect(second.lane).toBe(true)
    expect(second.statements).toBe(1)
    expect(JSON.parse(second.text).data.users.nodes).toHaveLength(5)
    expect((await expectSameAnswers(lane, yoga, Q4)).lane).toBe(true)
    // The default CORS answer (any origin) is the same too.
    expect((await expectSameAnswers(lane, yoga, Q1, { origin: 'https://app.example' })).lane).toBe(true)
  })

  it('takes new variables of a known document on the lane, and gives each its own rows', async () => {
    const lane = await serve(true)
    const yoga = await serve(false)
    await post(lane, Q4)
    for (const id of ['VXNlcjox', 'VXNlcjoy', 'VXNlcjo5OTk5OQ==']) {
      const body = { ...Q4, variables: { id } }
      const [viaLane, viaYoga] = [await post(lane, body), await post(yoga, body)]
      expect(viaLane.lane).toBe(true)
      expect(viaLane.text).toBe(viaYoga.text)
    }
  })

  it('charges the rate limit once per request and hands the refusal to graphql-yoga', async () => {
    // Q1 costs 6 (1 + 5 rows); 20 points give three requests, the fourth is refused.
    const rateLimiting = { points: 20, durationSeconds: 60, store: 'memory' as const }
    const lane = await serve(true, { security: { rateLimiting } })
    const yoga = await serve(false, { security: { rateLimiting } })
    const answers = await Promise.all(
      [lane, yoga].map(async (served) => {
        const posted: Posted[] = []
        for (let i = 0; i < 4; i++) posted.push(await post(served, Q1))
        return posted
      }),
    )
    const [viaLane, viaYoga] = answers as [Posted[], Posted[]]
    expect(viaLane.map((p) => p.headers['ratelimit-remaining'])).toEqual(['14', '8', '2', '2'])
    expect(viaLane.map((p) => p.status)).toEqual([200, 200, 200, 429])
    expect(viaLane.map((p) => p.lane)).toEqual([false, true, true, false])
    expect(JSON.parse(viaLane[3]!.text).errors[0].extensions.code).toBe('RATE_LIMITED')
    for (const [i, posted] of viaLane.entries()) {
      expect(posted.text).toBe(viaYoga[i]!.text)
      expect(posted.headers).toEqual(viaYoga[i]!.headers)
    }
  })

  it('hands an admitted operation the fast path cannot answer to graphql-yoga without charging it again', async () => {
    const rateLimiting = { points: 100, durationSeconds: 60, store: 'memory' as const }
    const models = { ...(shopConfig.models as Record<string, ModelOptions | ModelOptions['table']>) }
    models['users'] = {
      table: models['users'] as ModelOptions['table'],
      fields: { email: { permission: permissionRequired('users.view_user') } },
    }
    const guarded: Partial<UserConfig> = { models }
    const lane = await serve(true, { ...guarded, security: { rateLimiting } })
    const staff = {
      'x-test-user': JSON.stringify({ id: '1', isAuthenticated: true, permissions: ['users.view_user'] }),
    }
    const customer = { 'x-test-user': JSON.stringify({ id: '3', isAuthenticated: true }) }
    expect((await post(lane, Q1, staff)).lane).toBe(false)
    // Known document, but this caller may not read `email`: admitted, then handed to graphql-yoga.
    const refused = await post(lane, Q1, customer)
    expect(refused.lane).toBe(false)
    expect(lane.contexts.at(-1)!.state[FAST_PATH_STATE]).toBe('the caller may not read users.email')
    expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('FORBIDDEN')
    expect(refused.headers['ratelimit-remaining']).toBe('94')
    expect((await post(lane, Q1, customer)).headers['ratelimit-remaining']).toBe('88')
    // One context per request: the hand-over did not run the request hooks again.
    expect(lane.contexts).toHaveLength(3)
  })

  it('leaves anonymous callers to graphql-yoga when authentication is required', async () => {
    const security = { authenticationRequired: true }
    const lane = await serve(true, { security })
    const yoga = await serve(false, { security })
    const user = { 'x-test-user': JSON.stringify({ id: '1', isAuthenticated: true }) }
    expect((await expectSameAnswers(lane, yoga, Q1, user)).lane).toBe(true)
    const anonymous = await expectSameAnswers(lane, yoga, Q1)
    expect(anonymous.lane).toBe(false)
    expect(JSON.parse(anonymous.text).errors[0].extensions.code).toBe('UNAUTHENTICATED')
  })

  it('writes one log line per operation on the lane, with the caller’s request id', async () => {
    const lane = await serve(true)
    await post(lane, Q4)
    lane.logs.length = 0
    const posted = await post(lane, Q4, { 'x-request-id': 'lane-test-1' })
    expect(posted.lane).toBe(true)
    const lines = lane.logs.filter((line) => line['msg'] === 'graphql operation')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      requestId: 'lane-test-1',
      operationName: 'One',
      operationType: 'query',
      cost: 2,
      sqlStatements: 1,
      outcome: 'success',
    })
  })

  it('leaves to graphql-yoga what it cannot answer the same way', async () => {
    const lane = await serve(true)
    const yoga = await serve(false)
    await post(lane, Q1)
    const cases: Array<[unknown, Record<string, string>]> = [
      [[Q1, Q1], {}], // a batch
      [{ ...Q1, extensions: { persistedQuery: { version: 1 } } }, {}],
      [{ ...Q1, unexpected: true }, {}],
      [Q1, { accept: 'application/graphql-response+json' }],
      [Q1, { 'content-type': 'application/json; charset=latin1' }],
      [JSON.stringify(Q1).slice(0, -1), {}], // not JSON
      [{ ...Q1, variables: [1] }, {}],
      [{ ...Q1, operationName: 'Missing' }, {}],
    ]
    for (const [body, headers] of cases) {
      const [viaLane, viaYoga] = [await post(lane, body, headers), await post(yoga, body, headers)]
      expect(viaLane.lane).toBe(false)
      const { lane: _a, ...actual } = viaLane
      const { lane: _b, ...expected } = viaYoga
      expect(actual).toEqual(expected)
    }
    // A mutation is never remembered: it runs on graphql-yoga every time.
    const mutation = { query: 'mutation { deleteTag(id: "VGFnOjk5OTk5") { ok } }' }
    expect((await post(lane, mutation)).lane).toBe(false)
    expect((await post(lane, mutation)).lane).toBe(false)
  })

  it('survives a client that leaves in the middle of its body', async () => {
    const lane = await serve(true)
    await post(lane, Q1)
    const { hostname, port } = new URL(lane.url)
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"query":',
        )
        setTimeout(() => socket.destroy(), 50)
      })
      socket.on('close', () => resolve())
      socket.on('error', reject)
    })
    const after = await post(lane, Q1)
    expect(after.status).toBe(200)
    expect(after.lane).toBe(true)
  })

  it('stays off when a plugin brings graphql-yoga hooks without a lane', async () => {
    let executed = 0
    const counting: YogaPlugin<Record<string, unknown>> = { onExecute: () => void (executed += 1) }
    const plugin: Plugin = { name: 'test:yoga-only', server: () => ({ yogaPlugins: [counting] }) }
    const withPlugin = await serve(true, {}, [plugin])
    for (let i = 0; i < 3; i++) expect((await post(withPlugin, Q1)).lane).toBe(false)
    expect(executed).toBe(3)
    // The same plugin with a lane: its hooks run there too.
    let admitted = 0
    let answered = 0
    const laneAware: Plugin = {
      name: 'test:lane-aware',
      server: () => ({
        yogaPlugins: [counting],
        lane: { admit: () => ((admitted += 1), true), answered: () => void (answered += 1) },
      }),
    }
    const withLane = await serve(true, {}, [laneAware])
    executed = 0
    for (let i = 0; i < 3; i++) await post(withLane, Q1)
    expect([executed, admitted, answered]).toEqual([1, 2, 2])
  })
})
