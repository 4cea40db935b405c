// PostgreSQL goes away under load and comes back: a PRIVATE cluster (own directory and port) is
// stopped while 8 connections send reads and creates to createServer. Every request during the
// outage must get a coded SERVICE_UNAVAILABLE (never a 5xx, a masked internal error or a dropped
// connection), /ready must say 503, and service must resume by itself once the cluster is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../../src/database/index.js'
import { ErrorCodes } from '../../src/errors.js'
import { SchemaBuilder } from '../../src/schema/index.js'
import { createServer } from '../../src/server/index.js'
import type { AutoGenServer } from '../../src/server/index.js'
import { shopConfig, withShop } from '../../src/testing/shopFixture.js'
import { runLoad, shopOperations } from './loadDriver.js'
import type { LoadOutcome } from './loadDriver.js'
import { startPrivatePostgres } from './privatePostgres.js'
import type { PrivatePostgres } from './privatePostgres.js'
import { createdRowsReport, waitFor } from './reliabilityTesting.js'

/** Service must resume this soon after the cluster accepts connections again. */
const RECOVERY_MS = 5_000

describe('PostgreSQL restarted under load', () => {
  let cluster: PrivatePostgres
  let userPks: string[]

  beforeAll(async () => {
    cluster = await startPrivatePostgres()
    const admin = new PgDatabase({ url: cluster.url })
    try {
      await withShop(admin, { scale: 0.05 })
      const { rows } = await admin.query<{ id: number }>({
        text: 'select id from users order by id',
        values: [],
      })
      userPks = rows.map((row) => String(row.id))
    } finally {
      await admin.close()
    }
  }, 180_000)
  afterAll(async () => {
    await cluster?.destroy()
  })

  it.each(['fast', 'immediate'] as const)(
    'pg_ctl stop -m %s: SERVICE_UNAVAILABLE while away, /ready 503, no 5xx, resumes by itself',
    async (mode) => {
      const schema = new SchemaBuilder({
        ...shopConfig,
        database: { url: cluster.url, poolSize: 4, acquireTimeoutMs: 1_000, statementTimeoutMs: 10_000 },
      }).build()
      const server: AutoGenServer = createServer({ schema })
      const url = await server.listen(0, '127.0.0.1')
      const origin = new URL(url).origin
      const status = async (path: string) => (await fetch(origin + path)).status
      let phase: 'before' | 'outage' | 'after' = 'before'
      const counts = { before: 0, outage: 0, after: 0 }
      let stopLoad = false
      let stoppedAt = 0
      let restartingAt = 0
      let restartedAt = 0
      let firstRecovered: LoadOutcome | undefined
      try {
        const load = runLoad({
          url,
          connections: 8,
          operations: shopOperations(userPks),
          done: () => stopLoad,
          pauseAfterFailureMs: 20,
          onOutcome: (outcome) => {
            counts[phase]++
            if (phase === 'after' && outcome.ok && outcome.startedAt >= restartedAt)
              firstRecovered ??= outcome
          },
        })
        await waitFor(() => counts.before >= 40, 'requests before the stop', 30_000)
        expect(await status('/ready')).toBe(200)

        await cluster.stop(mode)
        stoppedAt = performance.now()
        phase = 'outage'
        await waitFor(async () => (await status('/ready')) === 503, '/ready to report 503', 10_000)
        await waitFor(() => counts.outage >= 40, 'requests during the outage', 30_000)
        expect(await status('/health')).toBe(200)

        // The cluster accepts connections a little before pg_ctl returns: the outage ends here.
        restartingAt = performance.now()
        await cluster.start()
        restartedAt = performance.now()
        phase = 'after'
        await waitFor(
          () => firstRecovered !== undefined,
          'a request to succeed after the restart',
          RECOVERY_MS,
        )
        await waitFor(async () => (await status('/ready')) === 200, '/ready to report 200', RECOVERY_MS)
        const recoveredAt = performance.now()
        await waitFor(() => counts.after >= 80, 'requests after the restart', 30_000)
        stopLoad = true
        const outcomes = await load

        // Nothing crashed and nothing was cut: every response is a 200 with a body.
        expect(outcomes.filter((o) => o.status !== 200)).toEqual([])
        const failed = outcomes.filter((o) => !o.ok)
        const failedCodes = new Set(failed.flatMap((o) => o.codes))
        expect([...failedCodes]).toEqual([ErrorCodes.SERVICE_UNAVAILABLE])
        const duringOutage = outcomes.filter((o) => o.startedAt > stoppedAt && o.endedAt < restartingAt)
        expect(duringOutage.length).toBeGreaterThan(0)
        expect(duringOutage.filter((o) => o.codes[0] !== ErrorCodes.SERVICE_UNAVAILABLE)).toEqual([])
        expect(new Set(duringOutage.flatMap((o) => o.reasons))).toEqual(new Set(['databaseUnavailable']))
        // Once one request got through after the restart, every later one does: no broken
        // connection lingers in the pool.
        const later = outcomes.filter((o) => o.startedAt > firstRecovered!.endedAt)
        expect(later.filter((o) => !o.ok)).toEqual([])
        expect(firstRecovered!.endedAt - restartedAt).toBeLessThan(RECOVERY_MS)
        expect(recoveredAt - restartedAt).toBeLessThan(RECOVERY_MS)

        // Every create the server reported is in the database; a request that failed left no row
        // unless its COMMIT got no answer (then the client was told the outcome is unknown).
        const report = await createdRowsReport(cluster.url, outcomes)
        expect(report.missing).toEqual([])
        expect(report.unexpected).toEqual([])
        expect(report.created).toBeGreaterThan(0)
      } finally {
        stopLoad = true
        await server.close()
      }
    },
    120_000,
  )
})
