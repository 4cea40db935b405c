// Plan tests: for the common read shapes, PostgreSQL's EXPLAIN of the statement we compile uses the
// index a careful hand-written statement gets, and never sorts a whole table when an index serves
// the order. The shop is seeded with enough rows (10k users, 40k orders) and ANALYZEd so the
// planner's choices are the ones a real database gets. Runs on PGlite (PostgreSQL 18's planner)
// and on PostgreSQL 15 when DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database, SqlStatement } from '../database/index.js'
import { createShopSchema } from '../../examples/shop/ddl.js'
import { buildShopSchema, fixtureFor, shopConfig } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

/** One node of `EXPLAIN (FORMAT JSON)`. */
interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Index Cond'?: string
  'Scan Direction'?: string
  'Actual Rows'?: number
  'Actual Loops'?: number
  Plans?: PlanNode[]
}

const USERS = 10_000
const ORDERS = 40_000

// Deterministic rows (no random()): created_at is a permutation of the id, so its order differs
// from the key's; orders spread over users; an index on users.created_at, as the app would have.
const SEED = `
insert into users (id, username, email, is_active, is_staff, created_at)
select i, 'user' || lpad(i::text, 5, '0'), 'user' || i || '@example.com', i % 10 <> 0, i % 100 = 0,
       timestamptz '2023-01-01 00:00:00+00' + ((i * 7919) % ${USERS}) * interval '47 minutes'
from generate_series(1, ${USERS}) i;
insert into profiles (id, user_id, first_name, last_name)
select i, i, 'First' || i % 13, 'Last' || i % 17 from generate_series(1, ${USERS}) i;
insert into orders (id, user_id, status, total, created_at)
select i, 1 + (i * 7) % ${USERS}, (array['pending','paid','shipped','delivered','cancelled'])[1 + i % 5]::order_status,
       5 + ((i * 7877) % 500000) / 100.0,
       timestamptz '2023-06-01 00:00:00+00' + ((i::bigint * 104729) % ${ORDERS}) * interval '9 minutes'
from generate_series(1, ${ORDERS}) i;
create index users_created_at_idx on users (created_at);
analyze;
`

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)]
}

/** Sorts that read a whole table: a Sort over a full scan, with no Limit in between. */
function fullTableSorts(plan: PlanNode): PlanNode[] {
  const readsWholeTable = (node: PlanNode): boolean => {
    if (node['Node Type'] === 'Limit') return false
    if (node['Node Type'] === 'Seq Scan') return true
    if (/Index (Only )?Scan/.test(node['Node Type']) && node['Index Cond'] === undefined) return true
    return (node.Plans ?? []).some(readsWholeTable)
  }
  return nodes(plan).filter((n) => n['Node Type'] === 'Sort' && (n.Plans ?? []).some(readsWholeTable))
}

/** The index scans of a plan, as `index name (direction)`. */
function indexScans(plan: PlanNode): string[] {
  return nodes(plan)
    .filter((n) => /Index (Only )?Scan|Bitmap Index Scan/.test(n['Node Type']))
    .map((n) => n['Index Name']!)
}

function scansOf(plan: PlanNode, table: string): PlanNode[] {
  return nodes(plan).filter((n) => n['Relation Name'] === table || n['Index Name']?.startsWith(`${table}_`))
}

describe.each(testDatabases())('query plans on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await createShopSchema(db)
    await db.exec(SEED)
    shop = fixtureFor(db, buildShopSchema(db), { users: USERS } as ShopFixture['summary'], shopConfig)
  })

  afterAll(async () => {
    await dispose()
  })

  async function statementOf(source: string, variables: Record<string, unknown> = {}): Promise<SqlStatement> {
    const { result, statements } = await countStatements(db, () => shop.run(source, variables))
    expect(result.errors?.map((e) => e.message)).toBeUndefined()
    expect(statements).toHaveLength(1)
    return statements[0]!
  }

  async function explain(statement: SqlStatement, analyze = false): Promise<PlanNode> {
    const { rows } = await db.query<{ 'QUERY PLAN': unknown }>({
      text: `explain (${analyze ? 'analyze, ' : ''}format json) ${statement.text}`,
      values: statement.values,
    })
    const raw = rows[0]!['QUERY PLAN']
    const json = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }]
    return json[0].Plan
  }

  it('filtered, ranged, newest-first page: walks the created_at index backwards like the hand-written page', async () => {
    const ours = await explain(
      await statementOf(`{ users(first: 20, filter: { isActive: true, username: { icontains: "42" },
        createdAt: { gte: "2023-03-01", lt: "2023-09-01" } }, orderBy: [{ createdAt: DESC }]) { nodes { pk username createdAt } } }`),
    )
    const hand = await explain({
      text: `select id, username, created_at from users
             where is_active and username ilike $1 and created_at >= $2 and created_at < $3
             order by created_at desc limit 20`,
      values: ['%42%', '2023-03-01T00:00:00Z', '2023-09-01T00:00:00Z'],
    })
    expect(indexScans(hand)).toContain('users_created_at_idx')
    expect(indexScans(ours)).toContain('users_created_at_idx')
    const scan = nodes(ours).find((n) => n['Index Name'] === 'users_created_at_idx')!
    expect(scan['Scan Direction']).toBe('Backward')
    expect(fullTableSorts(ours)).toEqual([])
    expect(nodes(ours).some((n) => n['Node Type'] === 'Seq Scan')).toBe(false)
  })

  it('keyset page 500 of 20 (newest first): seeks to the cursor in the index and reads one page', async () => {
    const [{ id } = { id: 0 }] = await shop.rows<{ id: number }>(
      'select id from users order by created_at desc, id desc offset 9979 limit 1',
    )
    const order = 'orderBy: [{ createdAt: DESC }]'
    const data = await shop.data<{ users: { edges: { cursor: string }[] } }>(
      `{ users(first: 1, filter: { pk: { exact: ${id} } }, ${order}) { edges { cursor } } }`,
    )
    const statement = await statementOf(
      `query ($after: String) { users(first: 20, after: $after, ${order}) { nodes { pk } pageInfo { hasNextPage } } }`,
      { after: data.users.edges[0]!.cursor },
    )
    const ours = await explain(statement, true)
    const scans = scansOf(ours, 'users')
    expect(scans.some((n) => n['Node Type'] === 'Seq Scan')).toBe(false)
    const seek = scans.filter((n) => n['Index Name'] !== undefined)
    expect(seek.map((n) => n['Index Name'])).toEqual(['users_created_at_idx'])
    expect(seek[0]!['Index Cond']).toMatch(/created_at/)
    // Seeks: every scan reads the page and the extra row (ties on created_at aside), not 9,980 rows.
    for (const scan of scans) expect(scan['Actual Rows']).toBeLessThanOrEqual(25)
    expect(fullTableSorts(ours)).toEqual([])
    const result = await db.query<{ data: string }>(statement)
    expect(JSON.parse(result.rows[0]!.data).nodes).toHaveLength(20)
  })

  it('page ordered by a to-one relation column: joined, driven by the related index, no sort of all orders', async () => {
    const statement = await statementOf(
      `{ orders(first: 20, orderBy: [{ user: { username: ASC } }]) { nodes { pk user { username } } } }`,
    )
    const ours = await explain(statement, true)
    const hand = await explain(
      {
        text: `select o.id, u.username from orders o join users u on u.id = o.user_id order by u.username, o.id limit 21`,
        values: [],
      },
      true,
    )
    expect(indexScans(hand)).toContain('users_username_unique')
    expect(indexScans(ours)).toContain('users_username_unique')
    expect(indexScans(ours)).toContain('orders_user_id_idx')
    expect(fullTableSorts(ours)).toEqual([])
    expect(nodes(ours).some((n) => n['Node Type'] === 'Seq Scan')).toBe(false)
    // The same answer as the hand-written statement.
    const rows = await shop.rows<{ id: number; username: string }>(
      'select o.id, u.username from orders o join users u on u.id = o.user_id order by u.username, o.id limit 20',
    )
    const result = await db.query<{ data: string }>(statement)
    expect(JSON.parse(result.rows[0]!.data).nodes).toEqual(
      rows.map((r) => ({ pk: r.id, user: { username: r.username } })),
    )
    // Each order's user is read from that join, not looked up again per order.
    expect(scansOf(ours, 'users')).toHaveLength(1)
    // Two levels down: ordered by the user's profile, each order's user and profile are read from
    // the joins (one scan of each table), not by a lookup per order.
    const deep = await explain(
      await statementOf(
        `{ orders(first: 20, orderBy: [{ user: { profile: { lastName: DESC } } }]) { nodes { pk user { username profile { lastName } } } } }`,
      ),
      true,
    )
    expect(scansOf(deep, 'users')).toHaveLength(1)
    expect(scansOf(deep, 'profiles')).toHaveLength(1)
  })

  it('page without hasNextPage: the plan of the hand-written page (no window, no InitPlan), whatever the nesting', async () => {
    const shapeOf = (plan: PlanNode): string[] =>
      nodes(plan)
        .map((n) => n['Node Type'])
        .filter((type) => type !== 'Subquery Scan' && type !== 'Result')
    const ours = await explain(
      await statementOf(`{ users(first: 50) { nodes { pk username email } } }`),
      true,
    )
    const hand = await explain(
      {
        text: `select coalesce(json_agg(json_build_object('pk', u.id, 'username', u.username, 'email', u.email) order by u.id), '[]')::text
               from (select id, username, email from users order by id limit 50) u`,
        values: [],
      },
      true,
    )
    expect(shapeOf(ours)).toEqual(shapeOf(hand))
    expect(shapeOf(ours)).toEqual(['Aggregate', 'Limit', 'Index Scan'])
    const nested = await explain(
      await statementOf(
        `{ users(first: 20) { nodes { pk orders(first: 5) { nodes { pk items { nodes { quantity } } } } } } }`,
      ),
      true,
    )
    expect(nodes(nested).filter((n) => /WindowAgg|Result/.test(n['Node Type']))).toEqual([])
    // With hasNextPage the extra row is read and numbered by a window over that page alone.
    const next = await explain(
      await statementOf(`{ users(first: 50) { pageInfo { hasNextPage } nodes { pk } } }`),
      true,
    )
    const windows = nodes(next).filter((n) => n['Node Type'] === 'WindowAgg')
    expect(windows).toHaveLength(1)
    expect(windows[0]!['Actual Rows']).toBe(51)
  })

  it("nested to-many page: each user's orders through the foreign-key index, limited per parent", async () => {
    const ours = await explain(
      await statementOf(`{ users(first: 20) { nodes { pk orders(first: 5) { nodes { pk total } } } } }`),
      true,
    )
    const orderScans = scansOf(ours, 'orders')
    expect(orderScans.length).toBeGreaterThan(0)
    for (const scan of orderScans) expect(scan['Node Type']).not.toBe('Seq Scan')
    expect(new Set(orderScans.flatMap((n) => n['Index Name'] ?? []))).toEqual(new Set(['orders_user_id_idx']))
    // Per parent: never more rows than one user's orders (4 each here), so no window over all orders.
    for (const scan of orderScans) expect(scan['Actual Rows']!).toBeLessThanOrEqual(8)
    expect(nodes(ours).filter((n) => n['Node Type'] === 'WindowAgg').length).toBeLessThanOrEqual(21)
    expect(fullTableSorts(ours)).toEqual([])
  })

  it('to-one lookups by a key: the plan of the hand-written lookup, no Limit per looked-up row', async () => {
    const shapeOf = (plan: PlanNode): string[] =>
      nodes(plan).map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`.trim())
    // One user by id and its profile (the reverse side of a unique foreign key).
    const user = await explain(
      await statementOf(
        `query ($id: ID!) { user(id: $id) { pk username createdAt profile { firstName lastName } } }`,
        {
          id: Buffer.from('User:4242').toString('base64'),
        },
      ),
      true,
    )
    const hand = await explain(
      {
        text: `select json_build_object('pk', u.id, 'username', u.username, 'createdAt', u.created_at,
                 'profile', (select json_build_object('firstName', p.first_name, 'lastName', p.last_name)
                             from profiles p where p.user_id = u.id))::text
               from users u where u.id = $1`,
        values: [4242],
      },
      true,
    )
    expect(shapeOf(user)).toEqual(shapeOf(hand))
    expect(shapeOf(user)).toEqual(['Index Scan users_pkey', 'Index Scan profiles_user_id_unique'])
    // Per page row: the order's user (a foreign key to the primary key) and that user's profile.
    const page = await explain(
      await statementOf(
        `{ orders(first: 20, orderBy: [{ pk: ASC }]) { nodes { pk user { username profile { firstName } } } } }`,
      ),
      true,
    )
    expect(nodes(page).filter((n) => n['Node Type'] === 'Limit')).toHaveLength(1)
    const lookups = nodes(page).filter((n) => n['Actual Loops'] === 20)
    expect(lookups.map((n) => `${n['Node Type']} ${n['Index Name']}`)).toEqual([
      'Index Scan users_pkey',
      'Index Scan profiles_user_id_unique',
    ])
  })

  it('a lookup by key is one prepared statement whose generic plan is reused, not planned per request', async () => {
    const lookup = `query ($id: ID!) { user(id: $id) { pk createdAt profile { firstName birthDate } } }`
    const variables = (id: number) => ({ id: Buffer.from(`User:${id}`).toString('base64') })
    const statement = await statementOf(lookup, variables(4242))
    // Not tied to its values: every id runs the same statement (docs/performance.md), named on
    // PostgreSQL (PGlite runs every statement unnamed: one session, nothing to share).
    expect(statement.customPlan).toBeFalsy()
    const other = await statementOf(lookup, variables(17))
    expect(other.text).toBe(statement.text)
    if (db.kind === 'pg') expect(other.name).toBe(statement.name!)
    // On one connection, as the pool hands it out: after PostgreSQL's five custom plans the
    // statement keeps one generic plan, so the database no longer plans it per request (the
    // hand-written server's unnamed statement is parsed and planned on every request).
    const { answers, plans } = await db.transaction(async (tx) => {
      const answers: unknown[] = []
      for (let i = 0; i < 8; i++) {
        const result = await tx.query<{ data: string }>({ ...statement, values: [String(4242 + i)] })
        answers.push((JSON.parse(result.rows[0]!.data) as { pk: number }).pk)
      }
      const plans =
        db.kind === 'pg'
          ? (
              await tx.query<{ generic: number; custom: number }>({
                text: `select generic_plans::int as generic, custom_plans::int as custom
                       from pg_prepared_statements where name = $1`,
                values: [statement.name],
              })
            ).rows
          : undefined
      return { answers, plans }
    })
    expect(answers).toEqual([4242, 4243, 4244, 4245, 4246, 4247, 4248, 4249])
    // (The lookups above may have run on this connection too: at least the last three were generic.)
    if (db.kind === 'pg') {
      expect(plans).toHaveLength(1)
      expect(plans![0]!.custom).toBe(5)
      expect(plans![0]!.generic).toBeGreaterThanOrEqual(3)
    } else expect(plans).toBeUndefined()
  })

  it('count only: one scan of the table, like the hand-written count, and the page is not read', async () => {
    const ours = await explain(
      await statementOf(
        `{ users(filter: { isActive: true, username: { icontains: "42" } }) { totalCount } }`,
      ),
    )
    const hand = await explain({
      text: `select count(*) from users where is_active and username ilike $1`,
      values: ['%42%'],
    })
    const shape = (plan: PlanNode): string[] =>
      scansOf(plan, 'users').map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`)
    expect(shape(ours)).toEqual(shape(hand))
    expect(nodes(ours).some((n) => /Sort|WindowAgg/.test(n['Node Type']))).toBe(false)
  })
})
