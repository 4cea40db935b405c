// Golden SQL: the statement each representative root field compiles to, captured from real runs
// and compared with committed files under __snapshots__/ (rewrite them with UPDATE_SNAPSHOTS=1).
// Also checks that user-supplied values are bound as parameters and never enter the SQL text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database, SqlStatement } from '../database/index.js'
import type { UserConfig } from '../schema/index.js'
import { buildShopSchema, fixtureFor, shopConfig, shopConfigWith, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { formatSql } from './formatSql.js'

interface GoldenCase {
  name: string
  description: string
  source: string
  /** Variables; functions get the fixture so they can fetch real cursors first. */
  variables?: (shop: ShopFixture) => Promise<Record<string, unknown>>
  /** The schema to run on: the shop's (default), legacy lists, a row policy, or soft delete. */
  fixture?: 'legacy' | 'policy' | 'softDelete'
  /** Values the client supplied that must be bound and must not appear in the SQL text. */
  userValues?: (variables: Record<string, unknown>) => unknown[]
  /** `limit` clauses the page sizes become: integers written into the text (checked, capped). */
  limits?: string[]
}

const gid = (type: string, pk: number): string => Buffer.from(`${type}:${pk}`).toString('base64')

/** Cursor parts (signature, key values) as the client sent them inside the opaque cursor. */
const cursorValues = (cursor: unknown): unknown[] =>
  (JSON.parse(Buffer.from(String(cursor), 'base64').toString('utf8')) as unknown[])
    .slice(1)
    .filter((v) => v !== null)

async function endCursor(shop: ShopFixture, source: string): Promise<string> {
  const data = await shop.data<Record<string, { pageInfo: { endCursor: string } }>>(source)
  return Object.values(data)[0]!.pageInfo.endCursor
}

const CASES: GoldenCase[] = [
  {
    name: 'connection-orderby-after',
    description: 'root connection with a two-key orderBy (one through a to-one relation) and an after cursor',
    source: `query ($after: String) {
      users(first: 37, after: $after, orderBy: [{ lastLogin: DESC_NULLS_LAST }, { profile: { lastName: ASC } }]) {
        totalCount
        edges { cursor node { id pk username createdAt } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`,
    variables: async (shop) => ({
      after: await endCursor(
        shop,
        '{ users(first: 3, orderBy: [{ lastLogin: DESC_NULLS_LAST }, { profile: { lastName: ASC } }]) { pageInfo { endCursor } } }',
      ),
    }),
    userValues: (v) => cursorValues(v['after']),
    limits: ['limit 38'],
  },
  {
    name: 'connection-last-before',
    description: 'root connection paged backward with last and a before cursor, default ordering',
    source: `query ($before: String) {
      orders(last: 23, before: $before) { nodes { pk status total } pageInfo { hasNextPage hasPreviousPage startCursor } }
    }`,
    variables: async (shop) => ({
      before: await endCursor(shop, '{ orders(first: 50) { pageInfo { endCursor } } }'),
    }),
    userValues: (v) => cursorValues(v['before']),
    limits: ['limit 24'],
  },
  {
    name: 'nested-relations',
    description: 'to-one, one-to-one, to-many and many-to-many relations nested in one root field',
    source: `{
      orders(first: 3, orderBy: [{ total: DESC }]) {
        nodes {
          pk total createdAt
          user { username profile { firstName birthDate } }
          items(first: 2) { totalCount nodes { quantity unitPrice product { name weightGrams attributes tags(first: 4) { nodes { name } } category { name parent { name } } } } }
        }
      }
    }`,
  },
  {
    name: 'node-by-id',
    description: 'node(id) with inline and named fragments, aliases and __typename',
    source: `query ($id: ID!) {
      node(id: $id) {
        __typename id
        ... on User { name: username recent: orders(first: 2) { nodes { pk } } oldest: orders(last: 1) { nodes { pk } } }
        ... on Product { name }
        ...UserProfile
      }
    }
    fragment UserProfile on User { profile { ...on Profile { lastName } } }`,
    variables: async () => ({ id: gid('User', 73) }),
    userValues: () => ['73'],
  },
  {
    name: 'single-by-id',
    description: 'user(id) with a connection and a to-one relation',
    source: `query ($id: ID!) { user(id: $id) { pk email isActive lastLogin profile { bio } orders(first: 2) { totalCount } } }`,
    variables: async () => ({ id: gid('User', 58) }),
    userValues: () => ['58'],
  },
  {
    name: 'legacy-list',
    description: 'deprecated legacy list with orderBy, limit and offset, and a nested legacy list',
    fixture: 'legacy',
    source: `{ users(orderBy: [{ username: DESC }], limit: 29, offset: 41) { pk username orders(orderBy: [{ total: ASC }], limit: 3) { pk total } } }`,
    userValues: () => [41],
    limits: ['limit 29 offset', 'limit 3 offset'],
  },
  {
    name: 'filter-page',
    description:
      'filtered, ranged, newest-first page: ILIKE on the bare column, a range, a boolean, no window over matches',
    source: `{
      users(first: 20, filter: { isActive: true, username: { icontains: "4_%" }, createdAt: { gte: "2023-01-01", lt: "2024-01-01" } }, orderBy: [{ createdAt: DESC }]) {
        nodes { pk username } pageInfo { hasNextPage endCursor }
      }
    }`,
    limits: ['limit 21'],
  },
  {
    name: 'filter-relations',
    description: 'relation filters (to-one, to-many some, not) and every string operator, count only',
    source: `{
      orders(filter: {
        user: { username: { iexact: "Ada" }, email: { iendswith: ".ORG" } }
        items: { some: { quantity: { gte: 2 } }, none: { product: { name: { startswith: "x" } } } }
        not: { note: { isnull: true } }
        or: [{ status: { in: [PAID, SHIPPED] } }, { total: { range: ["10", "20"] } }]
      }) { totalCount }
    }`,
  },
  {
    name: 'relation-order',
    description:
      'page ordered by a to-one relation column: a join, not a subquery per row; cursors and keyset',
    source: `query ($after: String) {
      orders(first: 5, after: $after, orderBy: [{ user: { username: ASC } }]) { edges { cursor node { pk } } pageInfo { hasPreviousPage } }
    }`,
    variables: async (shop) => ({
      after: await endCursor(
        shop,
        '{ orders(first: 5, orderBy: [{ user: { username: ASC } }]) { pageInfo { endCursor } } }',
      ),
    }),
    userValues: (v) => cursorValues(v['after']),
    limits: ['limit 5'],
  },
  {
    name: 'relation-order-selected',
    description:
      'page ordered by to-one relation columns that also selects those relations: read from the joins, not looked up again',
    source: `{
      orders(first: 4, orderBy: [{ user: { username: ASC } }]) { nodes { pk total user { username profile { firstName } } } }
    }`,
    limits: ['limit 4'],
  },
  {
    name: 'relation-order-optional',
    description:
      'page ordered by an optional to-one relation (a left join) that also selects it: NULL when the join found no row',
    source: `{
      users(first: 3, orderBy: [{ profile: { lastName: DESC } }]) { nodes { pk profile { firstName lastName } } }
    }`,
    limits: ['limit 3'],
  },
  {
    name: 'page-without-next',
    description:
      'pages without hasNextPage read exactly n rows, no window; cursors at both ends, a nested page and a count-only connection',
    source: `{
      products(first: 6, orderBy: [{ price: DESC }]) {
        edges { cursor node { pk name } }
        pageInfo { startCursor endCursor hasPreviousPage }
        nodes { pk tags(first: 2) { nodes { name } } productTags: tags { totalCount } }
      }
    }`,
    limits: ['limit 6', 'limit 2'],
  },
  {
    name: 'row-policy',
    description:
      'row policies on orders and users (one reaching profiles): root page, nested pages, counts, relation order by two keys through one join',
    fixture: 'policy',
    source: `{
      users(first: 3) { nodes { pk orders(first: 2, orderBy: [{ user: { email: DESC } }, { user: { username: ASC } }]) { totalCount nodes { pk user { pk } } } } }
    }`,
  },
  {
    name: 'soft-delete',
    description:
      'soft delete on users (lastLogin stands in for a deleted-at column): gone from pages, relations and counts',
    fixture: 'softDelete',
    source: `{
      orders(first: 2, filter: { user: { isStaff: false } }) { totalCount nodes { pk user { pk } } }
    }`,
  },
]

/** The shop's config with model options changed for one model. */
function withModel(
  name: string,
  options: Record<string, unknown>,
  base: UserConfig = shopConfig,
): UserConfig {
  const models = base.models as Record<string, unknown>
  const current = models[name] as { table?: unknown }
  const table = current.table ?? current
  return {
    ...base,
    models: { ...models, [name]: { ...(current.table ? current : {}), table, ...options } },
  } as UserConfig
}

describe.each(testDatabases())('compiled SQL on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture
  let legacy: ShopFixture
  let policy: ShopFixture
  let softDelete: ShopFixture

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    shop = await withShop(db, { scale: 0.25 })
    const config = shopConfigWith({ pagination: 'legacy' })
    legacy = fixtureFor(db, buildShopSchema(db, config), shop.summary, config)
    const ordersPolicy = withModel('orders', {
      rowPolicy: () => ({ total: { gte: '50' }, user: { isActive: true } }),
    })
    // Users are visible when their profile says so: a policy reaching a related model.
    const policyConfig = withModel(
      'users',
      { rowPolicy: () => ({ profile: { lastName: { istartswith: 'a' } } }) },
      ordersPolicy,
    )
    policy = fixtureFor(db, buildShopSchema(db, policyConfig), shop.summary, policyConfig)
    const softConfig = withModel('users', { softDelete: 'lastLogin' })
    softDelete = fixtureFor(db, buildShopSchema(db, softConfig), shop.summary, softConfig)
  })

  afterAll(async () => {
    await dispose()
  })

  async function capture(
    c: GoldenCase,
  ): Promise<{ statement: SqlStatement; variables: Record<string, unknown> }> {
    const variables = c.variables ? await c.variables(shop) : {}
    const target = c.fixture ? { legacy, policy, softDelete }[c.fixture] : shop
    const { result, statements } = await countStatements(db, () => target.run(c.source, variables))
    expect(result.errors?.map((e) => e.message)).toBeUndefined()
    expect(statements).toHaveLength(1)
    return { statement: statements[0]!, variables }
  }

  it('marks statements with filter values to be planned for their values, and only those', async () => {
    const customPlan = async (source: string): Promise<boolean | undefined> => {
      const { result, statements } = await countStatements(db, () => shop.run(source, {}))
      expect(result.errors).toBeUndefined()
      return statements[0]!.customPlan
    }
    expect(
      await customPlan('{ users(first: 3, filter: { username: { icontains: "a" } }) { totalCount } }'),
    ).toBe(true)
    expect(await customPlan(`{ user(id: "${gid('User', 5)}") { pk orders(first: 2) { totalCount } } }`)).toBe(
      undefined,
    )
    expect(await customPlan('{ orders(first: 3, orderBy: [{ total: DESC }]) { nodes { pk } } }')).toBe(
      undefined,
    )
  })

  describe.each(CASES)('$name', (c) => {
    it('matches the golden SQL', async () => {
      const { statement } = await capture(c)
      const file = [
        `-- ${c.description}`,
        `-- parameters: ${statement.values.length}`,
        ...c.source
          .trim()
          .split('\n')
          .map((line) => `-- ${line.trim()}`.trimEnd()),
        formatSql(statement.text),
        '',
      ].join('\n')
      await expect(file).toMatchFileSnapshot(`./__snapshots__/${c.name}.sql`)
    })

    it('writes page sizes as integer literals, so a statement without other values keeps its plan', async () => {
      const { statement } = await capture(c)
      for (const limit of c.limits ?? []) expect(statement.text).toContain(limit)
      // Every limit in the text is a plain integer: nothing else is ever written there.
      for (const [, value] of statement.text.matchAll(/ limit ([^\s)]+)/g)) expect(value).toMatch(/^\d+$/)
      // No window over every matching row: a window numbers only a page already limited.
      for (const [index] of [...statement.text.matchAll(/row_number\(\) over/g)].map((m) => [m.index]))
        expect(statement.text.slice(index!)).toMatch(/^row_number\(\) over \(order by "p\d+_rows"\./)
      expect(statement.text).not.toContain('group by ()')
      expect(statement.text).not.toMatch(/lower\("/)
    })

    it('binds every other client value as a parameter, never as SQL text', async () => {
      const { statement, variables } = await capture(c)
      for (const value of c.userValues?.(variables) ?? []) {
        expect(statement.values.map(String), `bound ${String(value)}`).toContain(String(value))
        const text = String(value)
        const pattern = new RegExp(
          `(^|[^0-9A-Za-z_$])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^0-9A-Za-z_])`,
        )
        expect(statement.text, `SQL text contains ${text}`).not.toMatch(pattern)
      }
      for (const value of Object.values(variables)) expect(statement.text).not.toContain(String(value))
      // The only literals in the text are names and constants the compiler made.
      for (const [, literal] of statement.text.matchAll(/'((?:[^']|'')*)'/g)) {
        expect(literal, 'SQL literal').toMatch(/^[A-Za-z0-9_:". \-\\[\]]*$/)
      }
      // Every placeholder has a value and every value a placeholder.
      const placeholders = new Set([...statement.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))
      expect([...placeholders].sort((a, b) => a - b)).toEqual(statement.values.map((_, i) => i + 1))
    })
  })
})
