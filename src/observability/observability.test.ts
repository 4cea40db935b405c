import { createClient } from 'graphql-ws'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { PGliteDatabase } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { ConfigError } from '../errors.js'
import { SchemaBuilder } from '../schema/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import { shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { resolveLogLevel } from './index.js'

/** A pino destination that keeps each JSON line, parsed. */
function captureLogs() {
  const lines: Array<Record<string, unknown>> = []
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }
  return { lines, logger: pino({ level: 'info' }, stream) }
}

/** The value of one sample of the Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    const labelText = line.slice(name.length).split(' ')[0] ?? ''
    if (wanted.every((pair) => labelText.includes(pair))) return Number(line.split(' ').at(-1))
  }
  return undefined
}

describe.each(testDatabases())('logs and metrics on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let server: AutoGenServer
  let url: string
  let dispose: () => Promise<void>
  const logs = captureLogs()

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, { scale: 0.05 })
    server = createServer({ schema: shop.schema, logger: logs.logger })
    url = await server.listen(0, '127.0.0.1')
  })
  afterAll(async () => {
    await server.close()
    await dispose()
  })

  const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })

  it('writes one JSON line per operation with request id, name, type, cost, statements, duration and outcome', async () => {
    logs.lines.length = 0
    const response = await post(
      { query: 'query TopUsers { users(first: 2) { nodes { username orders(first: 1) { totalCount } } } }' },
      { 'x-request-id': 'req-logs-1' },
    )
    expect(response.status).toBe(200)
    const line = logs.lines.find((entry) => entry['requestId'] === 'req-logs-1')
    expect(line).toMatchObject({
      level: 30,
      msg: 'graphql operation',
      operationName: 'TopUsers',
      operationType: 'query',
      // One root field compiles to one statement, nested connection included.
      sqlStatements: 1,
      outcome: 'success',
    })
    expect(line!['durationMs']).toBeGreaterThan(0)
    // Two users, each with a page of orders: the requested cost counts both levels.
    expect(line!['cost']).toBeGreaterThan(2)
    expect(line).not.toHaveProperty('errorCodes')
    expect(logs.lines.filter((entry) => entry['requestId'] === 'req-logs-1')).toHaveLength(1)
  })

  it('logs error codes, and counts the statements of a mutation', async () => {
    logs.lines.length = 0
    await post({ query: '{ user(id: "bm9wZQ==") { username } }' }, { 'x-request-id': 'req-bad-id' })
    expect(logs.lines.find((entry) => entry['requestId'] === 'req-bad-id')).toMatchObject({
      level: 40,
      // `data: { user: null }` beside the error.
      outcome: 'partial',
      operationType: 'query',
      errorCodes: ['BAD_USER_INPUT'],
    })
    await post({ query: '{ users(first: 1) { nodes { nope } } }' }, { 'x-request-id': 'req-invalid' })
    expect(logs.lines.find((entry) => entry['requestId'] === 'req-invalid')).toMatchObject({
      outcome: 'error',
      sqlStatements: 0,
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
    })
    const created = await post(
      {
        query:
          'mutation AddTag($name: String!) { createTag(input: { name: $name }) { success tag { name } } }',
        variables: { name: 'observability-tag' },
      },
      { 'x-request-id': 'req-mutation' },
    )
    const createdBody = (await created.json()) as { data: { createTag: { success: boolean } } }
    expect(createdBody.data.createTag.success).toBe(true)
    const line = logs.lines.find((entry) => entry['requestId'] === 'req-mutation')
    expect(line).toMatchObject({ operationName: 'AddTag', operationType: 'mutation', outcome: 'success' })
    expect(line!['sqlStatements']).toBeGreaterThanOrEqual(1)
  })

  it('serves Prometheus metrics with operations, latency, statements and errors counted', async () => {
    const scrape = async () => {
      const response = await fetch(url.replace('/graphql', '/metrics'))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toContain('text/plain')
      return response.text()
    }
    const before = await scrape()
    const count = (text: string, name: string, labels: Record<string, string>) =>
      sample(text, name, labels) ?? 0
    for (let i = 0; i < 3; i++) await post({ query: 'query Tags { tags(first: 2) { nodes { name } } }' })
    await post({ query: 'query Broken { user(id: "bm9wZQ==") { username } }' })
    await post({ query: '{ nope }' })
    const after = await scrape()
    const ops = 'graphql_auto_gen_operations_total'
    expect(
      count(after, ops, { operation_name: 'Tags', operation_type: 'query', outcome: 'success' }) -
        count(before, ops, { operation_name: 'Tags', operation_type: 'query', outcome: 'success' }),
    ).toBe(3)
    expect(
      count(after, ops, { operation_name: 'Broken', outcome: 'partial' }) -
        count(before, ops, { operation_name: 'Broken', outcome: 'partial' }),
    ).toBe(1)
    expect(
      count(after, ops, { operation_name: '(invalid)', outcome: 'error' }) -
        count(before, ops, { operation_name: '(invalid)', outcome: 'error' }),
    ).toBe(1)
    const errors = 'graphql_auto_gen_errors_total'
    expect(
      count(after, errors, { code: 'BAD_USER_INPUT' }) - count(before, errors, { code: 'BAD_USER_INPUT' }),
    ).toBe(1)
    expect(
      count(after, errors, { code: 'GRAPHQL_VALIDATION_FAILED' }) -
        count(before, errors, { code: 'GRAPHQL_VALIDATION_FAILED' }),
    ).toBe(1)
    // Three tag pages, one statement each; the refused operations sent none.
    const statements = 'graphql_auto_gen_sql_statements_total'
    expect(
      count(after, statements, { operation_type: 'query' }) -
        count(before, statements, { operation_type: 'query' }),
    ).toBe(3)
    const latency = 'graphql_auto_gen_operation_duration_seconds_count'
    expect(
      count(after, latency, { operation_type: 'query', outcome: 'success' }) -
        count(before, latency, { operation_type: 'query', outcome: 'success' }),
    ).toBe(3)
    expect(after).toContain('# TYPE graphql_auto_gen_operation_duration_seconds histogram')
    expect(after).toContain('# TYPE graphql_auto_gen_active_subscriptions gauge')
    if (entry.name === 'pg')
      expect(sample(after, 'graphql_auto_gen_db_pool_connections', { state: 'total' })).toBeGreaterThan(0)
  })

  it('counts requests refused before any operation ran', async () => {
    const scrape = async () => (await fetch(url.replace('/graphql', '/metrics'))).text()
    const name = 'graphql_auto_gen_http_requests_rejected_total'
    const before = sample(await scrape(), name, { status: '400' }) ?? 0
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    })
    expect(response.status).toBe(400)
    expect(sample(await scrape(), name, { status: '400' })).toBe(before + 1)
  })
})

describe('masked errors and per-server registries', () => {
  let database: PGliteDatabase
  beforeAll(async () => {
    database = new PGliteDatabase()
    await withShop(database, { seed: false })
  })
  afterAll(async () => {
    await database.close()
  })

  it('logs a masked internal error with its id, request id, message and stack, and sends the client none', async () => {
    const logs = captureLogs()
    // The schema still names the table, so its SQL fails inside the database: an internal error.
    await database.exec('ALTER TABLE tags RENAME TO tags_gone')
    const server = createServer({
      schema: new SchemaBuilder(shopConfig, { database }).build(),
      logger: logs.logger,
    })
    const url = await server.listen(0, '127.0.0.1')
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-masked' },
        body: JSON.stringify({ query: '{ tags(first: 1) { totalCount } }' }),
      })
      const text = await response.text()
      expect(text).not.toMatch(/tags_gone|does not exist|relation/)
      const body = JSON.parse(text) as { errors: Array<{ extensions: { code: string; errorId: string } }> }
      const { code, errorId } = body.errors[0]!.extensions
      expect(code).toBe('INTERNAL_SERVER_ERROR')
      const masked = logs.lines.find((line) => line['errorId'] === errorId)
      expect(masked).toMatchObject({
        level: 50,
        requestId: 'req-masked',
        msg: 'internal error (masked for the client)',
      })
      const err = masked!['err'] as { message: string; stack: string }
      expect(err.message).toContain('relation "tags" does not exist')
      expect(err.stack).toContain('does not exist')
      expect(logs.lines.find((line) => line['msg'] === 'graphql operation')).toMatchObject({
        requestId: 'req-masked',
        outcome: 'error',
        errorCodes: ['INTERNAL_SERVER_ERROR'],
        errorIds: [errorId],
      })
    } finally {
      await database.exec('ALTER TABLE tags_gone RENAME TO tags')
      await new Promise<void>((resolve) => server.http.close(() => resolve()))
    }
  })

  it('counts open WebSocket subscriptions and logs each socket operation', async () => {
    const logs = captureLogs()
    const config = { ...shopConfig, subscriptions: { enabled: true, channelPrefix: `t_${process.pid}_obs` } }
    const server = createServer({
      schema: new SchemaBuilder(config, { database }).build(),
      logger: logs.logger,
    })
    const url = await server.listen(0, '127.0.0.1')
    const client = createClient({
      url: url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
    })
    const gauge = async () =>
      sample(
        await (await fetch(url.replace('/graphql', '/metrics'))).text(),
        'graphql_auto_gen_active_subscriptions',
      )
    const until = async (wanted: number) => {
      for (let i = 0; i < 100 && (await gauge()) !== wanted; i++)
        await new Promise((resolve) => setTimeout(resolve, 20))
      return gauge()
    }
    try {
      expect(await gauge()).toBe(0)
      const stop = client.subscribe(
        { query: 'subscription NewTags { tagCreated { name } }', operationName: 'NewTags' },
        { next: () => {}, error: () => {}, complete: () => {} },
      )
      expect(await until(1)).toBe(1)
      stop()
      expect(await until(0)).toBe(0)
      expect(logs.lines.find((line) => line['operationName'] === 'NewTags')).toMatchObject({
        msg: 'graphql operation',
        operationType: 'subscription',
        outcome: 'success',
      })
    } finally {
      await client.dispose()
      // The database belongs to this describe block: close HTTP only.
      server.http.closeAllConnections()
      await new Promise<void>((resolve) => server.http.close(() => resolve()))
    }
  })

  it('gives each server its own registry, and serves no /metrics when metrics are off', async () => {
    const build = (metrics: boolean) =>
      createServer({
        schema: new SchemaBuilder({ ...shopConfig, server: { metrics } }, { database }).build(),
      })
    const first = build(true)
    const second = build(true)
    const off = build(false)
    const urls = await Promise.all([first, second, off].map((server) => server.listen(0, '127.0.0.1')))
    try {
      const query = JSON.stringify({ query: 'query Once { __typename }' })
      await fetch(urls[0]!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query })
      const metricsOf = async (url: string) => fetch(url.replace('/graphql', '/metrics'))
      const firstText = await (await metricsOf(urls[0]!)).text()
      const secondText = await (await metricsOf(urls[1]!)).text()
      expect(sample(firstText, 'graphql_auto_gen_operations_total', { operation_name: 'Once' })).toBe(1)
      expect(
        sample(secondText, 'graphql_auto_gen_operations_total', { operation_name: 'Once' }),
      ).toBeUndefined()
      expect((await metricsOf(urls[2]!)).status).toBe(404)
    } finally {
      for (const server of [first, second, off])
        await new Promise<void>((resolve) => server.http.close(() => resolve()))
    }
  })
})

describe('log level', () => {
  it('takes server.logLevel, then LOG_LEVEL, then silent under tests and info otherwise', () => {
    expect(resolveLogLevel('debug', { LOG_LEVEL: 'error' })).toBe('debug')
    expect(resolveLogLevel(undefined, { LOG_LEVEL: 'Warn' })).toBe('warn')
    expect(resolveLogLevel(undefined, { NODE_ENV: 'test' })).toBe('silent')
    expect(resolveLogLevel(undefined, {})).toBe('info')
    expect(() => resolveLogLevel(undefined, { LOG_LEVEL: 'loud' })).toThrow(ConfigError)
  })
})
