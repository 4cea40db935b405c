// `server.debugSql`: every answer carries `extensions.sql` (the statements PostgreSQL received,
// their values, the route of the operation and of each root field) on both routes and over every
// HTTP transport; off, and under NODE_ENV=production, nothing is added.
import { createClient } from 'graphql-ws'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { formatSql } from '../compile/index.js'
import type { UserConfig } from '../schema/index.js'
import { countStatements } from '../database/index.js'
import type { SqlStatement } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { buildShopSchema, withShop } from '../testing/shopFixture.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'
import type { SqlDebugExtension } from './index.js'

/** A pino logger that keeps each JSON line, parsed. */
function captureLogs() {
  const lines: Array<Record<string, unknown>> = []
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }
  return { lines, logger: pino({ level: 'info' }, stream) }
}

const debugOn = (config: UserConfig): UserConfig => ({
  ...config,
  server: { ...config.server, debugSql: true },
  limits: { ...config.limits, costInResponse: true },
})

interface Answer {
  data?: Record<string, unknown>
  errors?: unknown[]
  extensions?: { sql?: SqlDebugExtension; cost?: unknown }
}

const COMPILED = '{ users(first: 2, filter: {username: {icontains: "a"}}) { nodes { username } } }'
const MIXED = '{ people: profiles(first: 2) { nodes { fullName } } users(first: 1) { totalCount } }'

describe.each(testDatabases())('extensions.sql on $name', (entry: TestDatabase) => {
  let database: Awaited<ReturnType<TestDatabase['create']>>
  let on: AutoGenServer
  let off: AutoGenServer
  let onUrl: string
  let offUrl: string
  const logs = captureLogs()

  beforeAll(async () => {
    database = await entry.create()
    const shop = await withShop(database.database, { scale: 0.05, configure: debugOn })
    on = createServer({ schema: shop.schema, logger: logs.logger })
    off = createServer({ schema: buildShopSchema(database.database), logger: captureLogs().logger })
    onUrl = await on.listen(0, '127.0.0.1')
    offUrl = await off.listen(0, '127.0.0.1')
  })
  afterAll(async () => {
    await on?.close()
    await off?.close()
    await database?.dispose()
  })

  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(200)
    return (await response.json()) as unknown
  }
  /** The answer, and every statement the database itself received meanwhile (nothing else runs). */
  const received = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const { result, statements } = await countStatements(database.database, () => post(url, body, headers))
    return { answer: result as Answer, statements }
  }
  const expectSameStatements = (sql: SqlDebugExtension, statements: SqlStatement[]): void => {
    expect(sql.statements.map((s) => s.sql)).toEqual(statements.map((s) => formatSql(s.text)))
    expect(sql.statements.map((s) => s.values)).toEqual(statements.map((s) => [...s.values]))
    // Laid out one clause a line, otherwise the very text PostgreSQL received.
    for (const [i, statement] of sql.statements.entries()) {
      expect(statement.sql).toMatch(/\n\s*from /)
      expect(statement.sql.replace(/\s+/g, '')).toBe(statements[i]!.text.replace(/\s+/g, ''))
    }
  }

  it('logs a warning at startup that SQL is sent to clients', () => {
    expect(logs.lines.some((line) => line['level'] === 40 && String(line['msg']).includes('debugSql'))).toBe(
      true,
    )
  })

  it('compiled route: the statement PostgreSQL received, its values and the route; data unchanged', async () => {
    const { answer, statements } = await received(onUrl, { query: COMPILED })
    const plain = (await post(offUrl, { query: COMPILED })) as Answer
    expect(plain).not.toHaveProperty('extensions')
    expect(answer.data).toEqual(plain.data)
    const sql = answer.extensions!.sql!
    expect(statements).toHaveLength(1)
    expectSameStatements(sql, statements)
    expect(sql.statements[0]!.values).toEqual(['%a%'])
    expect(sql.statements[0]).not.toHaveProperty('plan')
    expect(sql).toMatchObject({
      route: 'compiled',
      reason: 'every field is compiled SQL',
      fields: { users: { route: 'compiled', reason: 'every field is compiled SQL' } },
    })
    // Merged with the other extensions, not replacing them.
    expect(answer.extensions).toHaveProperty('cost')
  })

  it('graphql-js route: each root field says its route and why (a computed field)', async () => {
    const { answer, statements } = await received(onUrl, { query: MIXED })
    const plain = (await post(offUrl, { query: MIXED })) as Answer
    expect(answer.errors).toBeUndefined()
    expect(answer.data).toEqual(plain.data)
    const sql = answer.extensions!.sql!
    expect(statements).toHaveLength(2)
    expectSameStatements(sql, statements)
    expect(sql.route).toBe('graphql-js')
    expect(sql.reason).toBe('Profile.fullName has its own resolver')
    expect(sql.fields).toEqual({
      people: { route: 'graphql-js', reason: 'Profile.fullName has its own resolver' },
      users: { route: 'compiled', reason: 'every field is compiled SQL' },
    })
    expect(Object.keys(sql.fields)).toEqual(['people', 'users'])
  })

  it('a batch: each operation carries its own statements', async () => {
    const { answer, statements } = await received(onUrl, [{ query: COMPILED }, { query: MIXED }])
    const [first, second] = answer as unknown as Answer[]
    expect(statements).toHaveLength(3)
    expectSameStatements(first!.extensions!.sql!, statements.slice(0, 1))
    expectSameStatements(second!.extensions!.sql!, statements.slice(1))
    expect(first!.extensions!.sql!.route).toBe('compiled')
    expect(second!.extensions!.sql!.route).toBe('graphql-js')
  })

  it('GET (read by graphql-yoga) carries it too', async () => {
    const response = await fetch(`${onUrl}?query=${encodeURIComponent(COMPILED)}`, {
      headers: { accept: 'application/json' },
    })
    const answer = (await response.json()) as Answer
    expect(answer.extensions?.sql?.route).toBe('compiled')
    expect(answer.extensions?.sql?.statements[0]?.values).toEqual(['%a%'])
  })

  it('SSE (read by graphql-yoga) and graphql-ws carry it too', async () => {
    const response = await fetch(onUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: MIXED }),
    })
    const event = /^data: (.+)$/m.exec(await response.text())![1]!
    expect((JSON.parse(event) as Answer).extensions?.sql?.fields['people']?.route).toBe('graphql-js')
    const client = createClient({
      url: onUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    })
    try {
      const answer = await new Promise<Answer>((resolve, reject) => {
        let last: Answer | undefined
        client.subscribe(
          { query: COMPILED },
          { next: (value) => void (last = value as Answer), error: reject, complete: () => resolve(last!) },
        )
      })
      expect(answer.extensions?.sql?.route).toBe('compiled')
      expect(answer.extensions?.sql?.statements[0]?.values).toEqual(['%a%'])
    } finally {
      await client.dispose()
    }
  })

  it('a mutation: its statements, transaction included', async () => {
    const query = 'mutation { createTag(input: {name: "debug-sql"}) { success tag { name } } }'
    const { answer, statements } = await received(onUrl, { query })
    expect(answer.data).toMatchObject({ createTag: { success: true, tag: { name: 'debug-sql' } } })
    const sql = answer.extensions!.sql!
    expect(sql.route).toBe('graphql-js')
    expect(sql.fields['createTag']).toEqual({ route: 'graphql-js', reason: 'a mutation' })
    expect(sql.statements.some((s) => /^insert into/i.test(s.sql))).toBe(true)
    // The database's listener also hears transaction control; every statement sent through the
    // operation's database is listed, in order.
    const listed = sql.statements.map((s) => s.sql.replace(/\s+/g, ''))
    const sent = statements.map((s) => s.text.replace(/\s+/g, ''))
    expect(sent.filter((text) => listed.includes(text))).toEqual(listed)
  })

  it('x-debug-sql: explain adds the plan of each statement, without running it again', async () => {
    const { answer, statements } = await received(onUrl, { query: COMPILED }, { 'x-debug-sql': 'explain' })
    const plan = answer.extensions!.sql!.statements[0]!.plan!
    expect(plan.join('\n')).toMatch(/Scan .*on users/)
    expect(plan.join('\n')).not.toMatch(/actual time/)
    // The operation's statement, and the EXPLAIN of it (sent outside the operation's own list).
    expect(statements.map((s) => s.text.split(' ')[0])).toEqual(['select', 'explain'])
    expect(answer.extensions!.sql!.statements).toHaveLength(1)
  })
})

describe('server.debugSql under NODE_ENV=production', () => {
  let server: AutoGenServer | undefined
  let dispose: (() => Promise<void>) | undefined
  afterAll(async () => {
    await server?.close()
    await dispose?.()
    vi.unstubAllEnvs()
  })

  it('is ignored with a startup warning: no SQL in answers', async () => {
    const entry = testDatabases()[0]!
    const created = await entry.create()
    dispose = created.dispose
    const shop = await withShop(created.database, { scale: 0.02, configure: debugOn })
    const logs = captureLogs()
    vi.stubEnv('NODE_ENV', 'production')
    server = createServer({ schema: shop.schema, logger: logs.logger })
    vi.unstubAllEnvs()
    const warning = logs.lines.find((line) => line['level'] === 40)
    expect(warning?.['msg']).toBe(
      'server.debugSql is ignored under NODE_ENV=production: SQL is never sent to clients in production',
    )
    const url = await server.listen(0, '127.0.0.1')
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: COMPILED }),
    })
    const answer = (await response.json()) as Answer
    expect(answer.data).toBeDefined()
    expect(answer.extensions).not.toHaveProperty('sql')
  })
})
