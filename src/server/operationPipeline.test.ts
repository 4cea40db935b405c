// Every operation goes through one pipeline, whichever transport brought it and whichever route
// executes it. Each test compares a server whose queries take the compiled route against the same
// server with `performance.enableAutomaticOptimization: false` (graphql-js), over one database:
// answers must agree byte for byte (body, status, headers), and every plugin's per-operation work
// must run exactly once (request hooks, rate limit charges, log lines).
import { connect } from 'node:net'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { permissionRequired } from '../auth/index.js'
import type { AuthUser } from '../auth/index.js'
import type { UserConfig } from '../schema/index.js'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import type { ModelOptions } from '../models/index.js'
import type { PipelineOperation, Plugin, RequestContext } from '../plugins/index.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

const Q1 = { query: '{ users(first: 5) { nodes { pk username email } } }' }
const Q4 = {
  query: 'query One($id: ID!) { user(id: $id) { pk username profile { firstName } } }',
  operationName: 'One',
  variables: { id: 'VXNlcjoz' },
}

/** A server, the contexts and operations it ran, and its log lines. */
interface Served {
  server: AutoGenServer
  url: string
  contexts: RequestContext[]
  operations: PipelineOperation[]
  logs: Array<Record<string, unknown>>
}

interface Posted {
  status: number
  headers: Record<string, string>
  text: string
  statements: number
  /** The route of the request's (last) operation: `compiled`, or why graphql-js ran it. */
  route: string | undefined
}

/** Headers both routes must agree on (Date and Connection are the HTTP server's). */
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

describe.each(testDatabases())('operation pipeline on $name', (entry: TestDatabase) => {
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
    compiled: boolean,
    config: Partial<UserConfig> = {},
    plugins: Plugin[] = [],
  ): Promise<Served> {
    const contexts: RequestContext[] = []
    const operations: PipelineOperation[] = []
    const logs: Array<Record<string, unknown>> = []
    const capture: Plugin = {
      name: 'test:capture',
      request: (context) => void contexts.push(context),
      server: () => ({ operation: { report: (operation) => void operations.push(operation) } }),
    }
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
      performance: {
        ...shopConfig.performance,
        ...config.performance,
        enableAutomaticOptimization: compiled,
      },
      plugins: [capture, ...plugins],
    })
    const stream = { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) }
    const server = createServer({ schema, logger: pino({ level: 'info' }, stream) })
    running.push(server)
    return { server, url: await server.listen(0, '127.0.0.1'), contexts, operations, logs }
  }

  async function post(served: Served, body: unknown, headers: Record<string, string> = {}): Promise<Posted> {
    const before = served.operations.length
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
    const operation = served.operations.length > before ? served.operations.at(-1) : undefined
    const route = operation?.route
    return {
      ...result,
      statements: count,
      route: route && (route.route === 'compiled' ? 'compiled' : route.reason),
    }
  }

  /** Sends `body` twice to each server; both answers must be the same; returns the compiled server's second. */
  async function expectSameAnswers(
    compiled: Served,
    graphqlJs: Served,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Posted> {
    const expected = [await post(graphqlJs, body, headers), await post(graphqlJs, body, headers)]
    const actual = [await post(compiled, body, headers), await post(compiled, body, headers)]
    for (const [i, posted] of actual.entries()) expect(comparable(posted)).toEqual(comparable(expected[i]!))
    return actual[1]!
  }

  it('answers first and repeat requests on the compiled route as graphql-js does, in one statement', async () => {
    const compiled = await serve(true)
    const graphqlJs = await serve(false)
    const first = await post(compiled, Q1)
    expect(first).toMatchObject({ route: 'compiled', statements: 1 })
    const second = await expectSameAnswers(compiled, graphqlJs, Q1)
    expect(second.route).toBe('compiled')
    expect(second.statements).toBe(1)
    expect(JSON.parse(second.text).data.users.nodes).toHaveLength(5)
    expect((await post(graphqlJs, Q1)).route).toBe('performance.enableAutomaticOptimization is off')
    expect((await expectSameAnswers(compiled, graphqlJs, Q4)).route).toBe('compiled')
    // The default CORS answer (any origin) is the same too.
    expect((await expectSameAnswers(compiled, graphqlJs, Q1, { origin: 'https://app.example' })).route).toBe(
      'compiled',
    )
  })

  it('gives each set of variables of one document its own rows', async () => {
    const compiled = await serve(true)
    const graphqlJs = await serve(false)
    for (const id of ['VXNlcjox', 'VXNlcjoy', 'VXNlcjo5OTk5OQ==']) {
      const body = { ...Q4, variables: { id } }
      const [actual, expected] = [await post(compiled, body), await post(graphqlJs, body)]
      expect(actual.route).toBe('compiled')
      expect(comparable(actual)).toEqual(comparable(expected))
    }
  })

  it('charges the rate limit once per request, on either route, and refuses before any SQL', async () => {
    // Q1 costs 6 (1 + 5 rows); 20 points give three requests, the fourth is refused.
    const rateLimiting = { points: 20, durationSeconds: 60, store: 'memory' as const }
    const compiled = await serve(true, { security: { rateLimiting } })
    const graphqlJs = await serve(false, { security: { rateLimiting } })
    const actual: Posted[] = []
    const expected: Posted[] = []
    for (let i = 0; i < 4; i++) actual.push(await post(compiled, Q1))
    for (let i = 0; i < 4; i++) expected.push(await post(graphqlJs, Q1))
    expect(actual.map((p) => p.headers['ratelimit-remaining'])).toEqual(['14', '8', '2', '2'])
    expect(actual.map((p) => p.status)).toEqual([200, 200, 200, 429])
    expect(actual.map((p) => p.route)).toEqual(['compiled', 'compiled', 'compiled', undefined])
    expect(actual.map((p) => p.statements)).toEqual([1, 1, 1, 0])
    expect(JSON.parse(actual[3]!.text).errors[0].extensions.code).toBe('RATE_LIMITED')
    for (const [i, posted] of actual.entries()) expect(comparable(posted)).toEqual(comparable(expected[i]!))
  })

  it('sends a caller denied a guarded field to graphql-js, charged and hooked once', async () => {
    const rateLimiting = { points: 100, durationSeconds: 60, store: 'memory' as const }
    const models = { ...(shopConfig.models as Record<string, ModelOptions | ModelOptions['table']>) }
    models['users'] = {
      table: models['users'] as ModelOptions['table'],
      fields: { email: { permission: permissionRequired('users.view_user') } },
    }
    const compiled = await serve(true, { models, security: { rateLimiting } })
    const staff = {
      'x-test-user': JSON.stringify({ id: '1', isAuthenticated: true, permissions: ['users.view_user'] }),
    }
    const customer = { 'x-test-user': JSON.stringify({ id: '3', isAuthenticated: true }) }
    expect((await post(compiled, Q1, staff)).route).toBe('compiled')
    const refused = await post(compiled, Q1, customer)
    expect(refused.route).toBe('the caller may not read users.email')
    expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('FORBIDDEN')
    expect(refused.headers['ratelimit-remaining']).toBe('94')
    expect((await post(compiled, Q1, customer)).headers['ratelimit-remaining']).toBe('88')
    // One context and one operation per request.
    expect(compiled.contexts).toHaveLength(3)
    expect(compiled.operations).toHaveLength(3)
  })

  it('refuses anonymous callers where authentication is required, as graphql-js does', async () => {
    const security = { authenticationRequired: true }
    const compiled = await serve(true, { security })
    const graphqlJs = await serve(false, { security })
    const user = { 'x-test-user': JSON.stringify({ id: '1', isAuthenticated: true }) }
    expect((await expectSameAnswers(compiled, graphqlJs, Q1, user)).route).toBe('compiled')
    const anonymous = await expectSameAnswers(compiled, graphqlJs, Q1)
    expect(anonymous.route).toBeUndefined()
    expect(anonymous.status).toBe(401)
    expect(JSON.parse(anonymous.text).errors[0].extensions.code).toBe('UNAUTHENTICATED')
  })

  it('writes one log line per operation, with the caller’s request id', async () => {
    const compiled = await serve(true)
    const posted = await post(compiled, Q4, { 'x-request-id': 'pipeline-test-1' })
    expect(posted.route).toBe('compiled')
    const lines = compiled.logs.filter((line) => line['msg'] === 'graphql operation')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      requestId: 'pipeline-test-1',
      operationName: 'One',
      operationType: 'query',
      cost: 2,
      sqlStatements: 1,
      outcome: 'success',
    })
  })

  it('runs the same steps for every transport: POST, batch, GET, graphql-response+json, malformed bodies', async () => {
    const steps: string[] = []
    const counting: Plugin = {
      name: 'test:steps',
      server: () => ({
        operation: {
          admit: () => void steps.push('admit'),
          respond: () => void steps.push('respond'),
          report: (operation) => void steps.push(`report:${operation.route?.route ?? '-'}`),
        },
      }),
    }
    const compiled = await serve(true, { limits: { maxBatchedOperations: 5 } }, [counting])
    const graphqlJs = await serve(false, { limits: { maxBatchedOperations: 5 } })
    const cases: Array<[unknown, Record<string, string>, string[]]> = [
      [Q1, {}, ['admit', 'respond', 'report:compiled']],
      [[Q1, Q4], {}, ['admit', 'respond', 'report:compiled', 'admit', 'respond', 'report:compiled']],
      [Q1, { accept: 'application/graphql-response+json' }, ['admit', 'respond', 'report:compiled']],
      [
        { ...Q1, extensions: { persistedQuery: { version: 1 } } },
        {},
        ['admit', 'respond', 'report:compiled'],
      ],
      [{ ...Q1, unexpected: true }, {}, []], // refused by the transport: no operation
      // Read by graphql-yoga's parser (the front takes UTF-8 only), then the same pipeline.
      [Q1, { 'content-type': 'application/json; charset=latin1' }, ['admit', 'respond', 'report:compiled']],
      [JSON.stringify(Q1).slice(0, -1), {}, []], // not JSON
      [{ ...Q1, variables: [1] }, {}, []],
      [{ query: '{ users(first: 1) { nope } }' }, {}, ['respond', 'report:-']], // invalid: nothing admitted
      [{ ...Q1, operationName: 'Missing' }, {}, ['admit', 'respond', 'report:graphql-js']],
    ]
    for (const [body, headers, expectedSteps] of cases) {
      steps.length = 0
      const [actual, expected] = [await post(compiled, body, headers), await post(graphqlJs, body, headers)]
      expect(comparable(actual, false)).toEqual(comparable(expected, false))
      expect({ body, steps }).toEqual({ body, steps: expectedSteps })
    }
    steps.length = 0
    const get = await fetch(`${compiled.url}?${new URLSearchParams({ query: Q1.query }).toString()}`)
    const getExpected = await fetch(`${graphqlJs.url}?${new URLSearchParams({ query: Q1.query }).toString()}`)
    expect([get.status, await get.json()]).toEqual([getExpected.status, await getExpected.json()])
    expect(steps).toEqual(['admit', 'respond', 'report:compiled'])
  })

  it('survives a client that leaves in the middle of its body', async () => {
    const compiled = await serve(true)
    const { hostname, port } = new URL(compiled.url)
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
    const after = await post(compiled, Q1)
    expect(after.status).toBe(200)
    expect(after.route).toBe('compiled')
  })
})

/**
 * What both routes must agree on: status, headers and the parsed body (the compiled route sends
 * PostgreSQL's JSON text, whose spacing differs, so not its bytes or length) and, unless told
 * otherwise, the number of statements.
 */
function comparable(posted: Posted, statements = true) {
  const { 'content-length': _length, ...headers } = posted.headers
  let body: unknown
  try {
    body = JSON.parse(posted.text)
  } catch {
    body = posted.text
  }
  return { status: posted.status, headers, body, ...(statements ? { statements: posted.statements } : {}) }
}
