// The shutdown deadline holds even when a statement would never end on its own: a request blocked
// on a lock (no statement_timeout) is cut at shutdownTimeoutMs, its statement is cancelled with
// pg_cancel_backend, the pool closes while the lock is still held, and the report (and the log
// line `serve` prints from it) says one request was cut, not that requests finished.
import { request } from 'node:http'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../../src/database/index.js'
import { SchemaBuilder } from '../../src/schema/index.js'
import { createServer, stoppedMessage } from '../../src/server/index.js'
import type { ShutdownReport } from '../../src/server/index.js'
import { shopConfig } from '../../src/testing/shopFixture.js'
import { waitFor } from './reliabilityTesting.js'
import { shopPostgresForTest } from './testPostgres.js'
import type { TestPostgres } from './testPostgres.js'

/** Far above the 300 ms deadline plus cancellation, far below "waits for the lock forever". */
const BOUND_MS = 10_000

describe('shutdown deadline with a statement blocked on a lock', () => {
  let postgres: TestPostgres
  beforeAll(async () => {
    postgres = await shopPostgresForTest(0.02)
  }, 180_000)
  afterAll(async () => {
    await postgres?.dispose()
  })

  it('cuts the request, cancels its statement and closes the pool while the lock is held', async () => {
    // No statement timeout: only the shutdown can end the blocked statement.
    const schema = new SchemaBuilder({
      ...shopConfig,
      database: { url: postgres.url },
      server: { shutdownTimeoutMs: 300 },
    }).build()
    const server = createServer({ schema })
    const url = await server.listen(0, '127.0.0.1')
    const locker = new pg.Client({ connectionString: postgres.url })
    await locker.connect()
    const admin = new PgDatabase({ url: postgres.url })
    const waiting = async (): Promise<number> =>
      (
        await admin.query<{ n: number }>({
          text: `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`,
          values: [],
        })
      ).rows[0]!.n
    try {
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE tags IN ACCESS EXCLUSIVE MODE')
      const stuck = post(new URL(url).port, '{ tags(first: 1) { nodes { name } } }').then(
        () => 'answered',
        (error: NodeJS.ErrnoException) => error.code,
      )
      await waitFor(async () => (await waiting()) === 1, 'the request to wait for the lock', 10_000)

      const report = await Promise.race([
        server.close(),
        new Promise<'still closing'>((resolve) => setTimeout(() => resolve('still closing'), BOUND_MS)),
      ])
      expect(report).toEqual({
        cut: 1,
        cancelledStatements: 1,
        databaseClosed: true,
      } satisfies ShutdownReport)
      expect(await stuck).toBe('ECONNRESET')
      // The lock is still held: the statement ended because it was cancelled, not released.
      expect(
        (
          await locker.query<{ n: number }>(
            'select count(*)::int as n from pg_locks where granted and mode = $1',
            ['AccessExclusiveLock'],
          )
        ).rows[0]!.n,
      ).toBeGreaterThan(0)
      expect(await waiting()).toBe(0)
      expect(stoppedMessage(report as ShutdownReport, 300)).toBe(
        'Stopped: 1 request was cut at the 300 ms deadline (not finished), 1 running statement(s) cancelled; connections closed, database pool closed.',
      )
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined)
      await locker.end()
      await admin.close()
    }
  }, 30_000)

  it('says requests finished only when none was cut', () => {
    expect(stoppedMessage({ cut: 0, cancelledStatements: 0, databaseClosed: true }, 300)).toBe(
      'Stopped: in-flight requests finished, connections and database pool closed.',
    )
  })
})

/** POSTs `query` on its own connection. */
function post(port: string, query: string): Promise<number> {
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
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify({ query }))
  })
}
