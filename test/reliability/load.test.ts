// The load test of CI: 32 keep-alive connections on loopback for GAG_LOAD_SECONDS (default 60) of
// mixed reads and creates against createServer on PostgreSQL (a fresh schema on DATABASE_URL, or a
// private cluster). Passes when no response is a 5xx (or anything but a clean 200) and every
// create the server reported is in the database under the pk it answered — and no other row is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../../src/database/index.js'
import { SchemaBuilder } from '../../src/schema/index.js'
import { createServer } from '../../src/server/index.js'
import { shopConfig, withShop } from '../../src/testing/shopFixture.js'
import { runLoad, shopOperations } from './loadDriver.js'
import { createdRowsReport } from './reliabilityTesting.js'
import { postgresForTest } from './testPostgres.js'
import type { TestPostgres } from './testPostgres.js'

const CONNECTIONS = 32
const SECONDS = loadSeconds()

describe('load: 32 connections of mixed queries and mutations', () => {
  let postgres: TestPostgres
  let userPks: string[]
  let rowsBefore: { orders: number; tags: number }

  beforeAll(async () => {
    postgres = await postgresForTest()
    const admin = new PgDatabase({ url: postgres.url })
    try {
      await withShop(admin, { scale: 0.25 })
      const { rows } = await admin.query<{ id: number }>({
        text: 'select id from users order by id',
        values: [],
      })
      userPks = rows.map((row) => String(row.id))
      rowsBefore = await rowCounts(admin)
    } finally {
      await admin.close()
    }
  }, 180_000)
  afterAll(async () => {
    await postgres?.dispose()
  })

  it(
    `runs ${SECONDS} s with zero 5xx, and every reported create is in the database`,
    async () => {
      // 32 connections share 10 pooled ones, so requests queue for a connection by design. On a
      // busy CI machine that wait can pass the 5 s default of acquireTimeoutMs; this test is about
      // losing nothing under sustained load (back-pressure has its own test), so it waits longer.
      const schema = new SchemaBuilder({
        ...shopConfig,
        database: { url: postgres.url, poolSize: 10, acquireTimeoutMs: 30_000 },
      }).build()
      const server = createServer({ schema })
      const url = await server.listen(0, '127.0.0.1')
      const endAt = performance.now() + SECONDS * 1_000
      let outcomes
      try {
        outcomes = await runLoad({
          url,
          connections: CONNECTIONS,
          operations: shopOperations(userPks),
          done: () => performance.now() >= endAt,
        })
      } finally {
        await server.close()
      }

      const latencies = outcomes.map((o) => o.endedAt - o.startedAt).sort((a, b) => a - b)
      const quantile = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0)
      console.log(
        `load: ${outcomes.length} requests in ${SECONDS} s (${Math.round(outcomes.length / SECONDS)}/s), ` +
          `p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms, max ${quantile(1)} ms`,
      )
      expect(outcomes.filter((o) => o.networkError !== undefined)).toEqual([])
      expect(outcomes.filter((o) => o.status >= 500)).toEqual([])
      // Stricter than "no 5xx": nothing failed at all.
      expect(outcomes.filter((o) => !o.ok)).toEqual([])
      const perOperation = new Map<string, number>()
      for (const o of outcomes) perOperation.set(o.operation, (perOperation.get(o.operation) ?? 0) + 1)
      expect([...perOperation.keys()].sort()).toEqual(
        ['createOrder', 'createTag', 'ordersWithItems', 'productsFiltered', 'usersWithOrders'].sort(),
      )

      const report = await createdRowsReport(postgres.url, outcomes)
      expect(report.missing).toEqual([])
      expect(report.unexpected).toEqual([])
      expect(report.created).toBe(perOperation.get('createOrder')! + perOperation.get('createTag')!)
      // And nothing else was written: the tables grew by exactly the reported creates.
      const admin = new PgDatabase({ url: postgres.url })
      try {
        const after = await rowCounts(admin)
        expect(after.orders - rowsBefore.orders).toBe(perOperation.get('createOrder'))
        expect(after.tags - rowsBefore.tags).toBe(perOperation.get('createTag'))
      } finally {
        await admin.close()
      }
    },
    SECONDS * 1_000 + 120_000,
  )
})

async function rowCounts(database: PgDatabase): Promise<{ orders: number; tags: number }> {
  const { rows } = await database.query<{ orders: string; tags: string }>({
    text: 'select (select count(*) from orders) as orders, (select count(*) from tags) as tags',
    values: [],
  })
  return { orders: Number(rows[0]!.orders), tags: Number(rows[0]!.tags) }
}

/** GAG_LOAD_SECONDS (a positive number), else 60. */
function loadSeconds(): number {
  const raw = process.env['GAG_LOAD_SECONDS']
  if (raw === undefined || raw === '') return 60
  const seconds = Number(raw)
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`GAG_LOAD_SECONDS must be a positive number of seconds, got "${raw}".`)
  }
  return seconds
}
