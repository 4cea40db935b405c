// Read replicas with a REAL streaming replica (initdb + pg_basebackup -R, both private clusters):
// plain reads go to the replica (shown by pausing its WAL replay: a new row is not there), a
// caller's reads right after their own write go to the primary (they see it, others do not),
// a replica lagging past maxReplicaLagMs is skipped, and stopping the replica mid-load fails no
// request (its reads are retried on the primary and it is skipped from then on).
import type { GraphQLSchema } from 'graphql'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase, ReplicatedDatabase } from '../../src/database/index.js'
import { getSchemaRuntime, SchemaBuilder } from '../../src/schema/index.js'
import { createServer } from '../../src/server/index.js'
import type { AutoGenServer } from '../../src/server/index.js'
import { shopConfig, withShop } from '../../src/testing/shopFixture.js'
import { runLoad } from './loadDriver.js'
import { startPrivatePostgres, startPrivateReplica } from './privatePostgres.js'
import type { PrivatePostgres } from './privatePostgres.js'
import { waitFor } from './reliabilityTesting.js'

const READ_YOUR_WRITES_MS = 1_500
const MAX_LAG_MS = 3_000

describe('database.replicas with a streaming replica', () => {
  let primary: PrivatePostgres
  let replica: PrivatePostgres
  let server: AutoGenServer
  let schema: GraphQLSchema
  let url: string

  beforeAll(async () => {
    primary = await startPrivatePostgres()
    const setup = new PgDatabase({ url: primary.url })
    await withShop(setup, { scale: 0.02 })
    await setup.close()
    replica = await startPrivateReplica(primary.url)
    schema = new SchemaBuilder({
      ...shopConfig,
      database: {
        url: primary.url,
        replicas: [replica.url],
        readYourWritesMs: READ_YOUR_WRITES_MS,
        maxReplicaLagMs: MAX_LAG_MS,
        acquireTimeoutMs: 2_000,
      },
      security: {
        permissionClasses: ['AllowAny'],
        authenticate: (request: Request) => {
          const match = /^User (\d+)$/.exec(request.headers.get('authorization') ?? '')
          return match ? { id: match[1]! } : null
        },
      },
    }).build()
    server = createServer({ schema })
    url = await server.listen(0, '127.0.0.1')
  }, 180_000)
  afterAll(async () => {
    await server?.close()
    await replica?.destroy()
    await primary?.destroy()
  })

  const post = async (user: number, query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `User ${user}` },
      body: JSON.stringify({ query }),
    })
    return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] }
  }
  const createTag = async (user: number, name: string) =>
    expect((await post(user, `mutation { createTag(input: { name: "${name}" }) { success } }`)).data).toEqual(
      {
        createTag: { success: true },
      },
    )
  const sees = async (user: number, name: string): Promise<boolean> => {
    const answer = await post(user, `{ tags(filter: { name: { exact: "${name}" } }) { totalCount } }`)
    expect(answer.errors).toBeUndefined()
    return (answer.data as { tags: { totalCount: number } }).tags.totalCount === 1
  }
  const onReplica = async (sql: string) => {
    const client = new pg.Client({ connectionString: replica.url })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  const replicated = () => getSchemaRuntime(schema).database as ReplicatedDatabase

  it('routes reads to the replica, a writer’s reads to the primary, and skips a lagging replica', async () => {
    expect(replicated()).toBeInstanceOf(ReplicatedDatabase)
    await waitFor(
      () => replicated().healthyReplicas().length === 1,
      'the replica to be checked healthy',
      10_000,
    )
    // Replication works: a row written through the API reaches the replica.
    await createTag(1, 'replicated')
    await waitFor(() => sees(2, 'replicated'), 'the row to reach the replica', 10_000)

    await onReplica('select pg_wal_replay_pause()')
    try {
      await createTag(1, 'fresh')
      // The writer reads their own write (primary); another caller reads the paused replica.
      expect(await sees(1, 'fresh')).toBe(true)
      expect(await sees(2, 'fresh')).toBe(false)
      // Once the writer's window has passed, their reads go back to the replica.
      await new Promise((resolve) => setTimeout(resolve, READ_YOUR_WRITES_MS + 100))
      expect(await sees(1, 'fresh')).toBe(false)
      // Past maxReplicaLagMs the replica is skipped: every caller reads the primary.
      await waitFor(
        () => replicated().healthyReplicas().length === 0,
        'the lagging replica to be skipped',
        15_000,
      )
      expect(await sees(2, 'fresh')).toBe(true)
    } finally {
      await onReplica('select pg_wal_replay_resume()')
    }
    await waitFor(() => replicated().healthyReplicas().length === 1, 'the replica to catch up', 15_000)
    expect(await sees(2, 'fresh')).toBe(true)
  }, 90_000)

  it('stopping the replica mid-load fails no request', async () => {
    await waitFor(() => replicated().healthyReplicas().length === 1, 'the replica to be healthy', 10_000)
    let end = Infinity
    const load = runLoad({
      url,
      connections: 4,
      operations: [
        { name: 'read', body: () => ({ query: '{ tags(first: 5) { totalCount nodes { name } } }' }) },
      ],
      done: () => performance.now() > end,
    })
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    await replica.stop('fast')
    end = performance.now() + 2_000
    const outcomes = await load
    expect(outcomes.length).toBeGreaterThan(0)
    expect(outcomes.filter((o) => !o.ok).map((o) => `${o.status} ${o.codes.join(',')}`)).toEqual([])
    expect(replicated().healthyReplicas()).toEqual([])
  }, 60_000)
})
