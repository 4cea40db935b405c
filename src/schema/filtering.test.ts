// Filters through the generated API on every test database. Expected ids are never written by
// hand: every filter is also evaluated in TypeScript, by a small interpreter of the filter language
// (filterOracle below), over all rows read directly with SQL, and the two id lists must be equal.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { countStatements } from '../database/index.js'
import { resetDeprecations } from '../deprecations.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { ModelField, Relation } from '../models/index.js'
import { encodeGlobalId } from '../naming/index.js'
import type { ModelNames, SchemaNames } from '../naming/index.js'
import { getSchemaRuntime } from './SchemaRuntime.js'
import { buildShopSchema, fixtureFor, shopConfigWith, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

type Row = Record<string, unknown>
type Filter = Record<string, unknown>

/** Rows with awkward text: LIKE wildcards, backslashes, quotes, mixed case, unicode, SQL. */
const SPECIAL_USERNAMES = [
  '50%_off\\deal',
  'under_score',
  'percent%sign',
  'back\\slash',
  'Café_Owner',
  'CAFÉ_ÜBER',
  'naïve☕',
  "o'brien'; drop table users; --",
  'MiXeD_CaSe',
]

const BIG_PAGE = 100_000

/** Every model of the shop example that has rows of its own. */
const SHOP_MODELS = ['users', 'profiles', 'categories', 'products', 'orders', 'orderItems', 'tags']

// Deprecations are emitted once per process, so listen before any schema is built.
const deprecationWarnings: Array<Error & { code?: string }> = []
const onWarning = (warning: Error & { code?: string }): void => {
  if (warning.name === 'GraphQLDeprecationWarning') deprecationWarnings.push(warning)
}
process.on('warning', onWarning)
// Test files share worker processes (vitest.config.ts): forget what files before this one emitted.
resetDeprecations()
afterAll(() => {
  process.off('warning', onWarning)
})

describe.each(testDatabases())('filtering on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture
  let names: SchemaNames
  let oracle: FilterOracle

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    shop = await withShop(db, {
      scale: 0.25,
      configure: () => shopConfigWith({ maxPageSize: BIG_PAGE, defaultPageSize: BIG_PAGE }),
    })
    for (const [i, username] of SPECIAL_USERNAMES.entries()) {
      const { rows } = await db.query<{ id: number }>({
        text: `insert into users (username, email, is_active, created_at, last_login) values ($1, $2, $3, $4, $5) returning id`,
        values: [
          username,
          `${username.toUpperCase()}@Example.COM`,
          i % 2 === 0,
          `2023-0${1 + (i % 9)}-15T10:00:0${i}Z`,
          i % 3 === 0 ? null : '2023-12-31T23:59:59Z',
        ],
      })
      await db.query({
        text: `insert into profiles (user_id, first_name, last_name, bio) values ($1, $2, $3, $4)`,
        values: [rows[0]!.id, username.slice(0, 5), username.toLowerCase(), i % 2 === 0 ? username : null],
      })
    }
    names = getSchemaRuntime(shop.schema).names
    oracle = await FilterOracle.load(db, names)
  })

  afterAll(async () => {
    await dispose()
  })

  /** Runs a filter on a model's root list; returns the sorted pks and totalCount. */
  async function query(
    model: string,
    filter: unknown,
    extra = '',
  ): Promise<{ pks: number[]; totalCount: number }> {
    const m = names.models.get(model)!
    const source = `query($f: ${m.filterTypeName}) { list: ${m.listField}(filter: $f, first: ${BIG_PAGE}${extra}) { totalCount nodes { pk } } }`
    const data = await shop.data<{ list: { totalCount: number; nodes: Array<{ pk: number }> } }>(source, {
      f: filter,
    })
    return { pks: data.list.nodes.map((n) => n.pk).sort((a, b) => a - b), totalCount: data.list.totalCount }
  }

  async function expectMatchesOracle(model: string, filter: Filter): Promise<void> {
    const expected = oracle.ids(model, filter)
    const actual = await query(model, filter)
    expect({ filter, pks: actual.pks }).toEqual({ filter, pks: expected })
    expect(actual.totalCount).toBe(expected.length)
  }

  it('covers every model of the shop example', () => {
    expect([...names.models.keys()].filter((m) => !SHOP_MODELS.includes(m))).toEqual([])
  })

  it.each(SHOP_MODELS)(
    'runs every operator on every column of %s and agrees with the TypeScript oracle',
    async (model) => {
      const cases = operatorCases(names.models.get(model)!, oracle)
      let nonEmpty = 0
      for (const filter of cases) {
        await expectMatchesOracle(model, filter)
        if (oracle.ids(model, filter).length > 0) nonEmpty++
      }
      // The cases really exercise the data: many of them select some rows, but not all.
      expect(cases.length).toBeGreaterThan(20)
      expect(nonEmpty / cases.length).toBeGreaterThan(0.3)
    },
  )

  it('combines conditions with and / or / not, nesting freely', async () => {
    const filters: Filter[] = [
      { and: [{ username: { icontains: 'john' } }, { isActive: true }] },
      { or: [{ username: { startswith: 'J' } }, { lastLogin: null }] },
      { not: { username: { icontains: 'a' } } },
      { not: { lastLogin: { gte: '2024-01-01' } } },
      {
        or: [
          { and: [{ isStaff: true }] },
          { not: { or: [{ isActive: true }, { email: { endswith: '.org' } }] } },
        ],
      },
      { or: [] },
      { and: [] },
      {},
      { not: {} },
      { username: { contains: 'o', icontains: 'J', endswith: 'n' } },
      { not: { not: { profile: { bio: null } } } },
    ]
    for (const filter of filters) await expectMatchesOracle('users', filter)
  })

  it('answers the design-source document', async () => {
    const source = `{ users(filter: {username: {contains: "John", icontains: "john"}, createdAt: {gte: "2023-01-01", lte: "2023-12-31"}, isActive: true}) { totalCount edges { node { username } } } }`
    const data = await shop.data<{
      users: { totalCount: number; edges: Array<{ node: { username: string } }> }
    }>(source)
    const expected = oracle.rows('users', {
      username: { contains: 'John', icontains: 'john' },
      createdAt: { gte: '2023-01-01', lte: '2023-12-31' },
      isActive: true,
    })
    expect(data.users.totalCount).toBe(expected.length)
    expect(data.users.edges.map((e) => e.node.username).sort()).toEqual(
      expected.map((r) => r['username']).sort(),
    )
    // The literal query must be evaluated with the date-only bounds as midnight UTC.
    expect(
      oracle.ids('users', { createdAt: { gte: '2023-01-01T00:00:00Z', lte: '2023-12-31T00:00:00Z' } }),
    ).toEqual(oracle.ids('users', { createdAt: { gte: '2023-01-01', lte: '2023-12-31' } }))
  })

  it('filters through relations: nested to-one, some / every / none, many-to-many, empty relations', async () => {
    const cases: Array<[string, Filter]> = [
      ['users', { profile: { lastName: { exact: 'Smith' } } }],
      ['users', { profile: { firstName: { istartswith: 'jo' }, birthDate: { lt: '1980-01-01' } } }],
      ['users', { profile: null }],
      ['users', { profile: {} }],
      ['users', { not: { profile: { bio: { isnull: false } } } }],
      ['users', { orders: { some: { status: { exact: 'PAID' } } } }],
      ['users', { orders: { every: { status: { in: ['DELIVERED', 'SHIPPED'] } } } }],
      ['users', { orders: { none: { total: { gt: '500' } } } }],
      ['users', { orders: { every: { total: { gte: '0' } } } }],
      ['users', { orders: null }],
      ['users', { orders: { some: {}, every: { status: { exact: 'PAID' } } } }],
      [
        'users',
        {
          orders: { some: { items: { some: { product: { tags: { some: { name: { exact: 'sale' } } } } } } } },
        },
      ],
      ['orders', { user: { isActive: false } }],
      ['orders', { user: { profile: { lastName: { iexact: 'SMITH' } } }, status: { exact: 'DELIVERED' } }],
      ['orders', { items: { every: { quantity: { gte: 2 } } } }],
      [
        'orders',
        { items: { some: { product: { price: { range: ['10', '50'] } } }, none: { quantity: { gt: 3 } } } },
      ],
      ['products', { tags: { some: { name: { in: ['sale', 'eco'] } } } }],
      ['products', { tags: { every: { name: { startswith: 's' } } } }],
      ['products', { tags: { none: {} } }],
      ['products', { tags: null }],
      ['products', { category: { parent: { name: { exact: 'Electronics' } } } }],
      ['products', { category: null }],
      ['tags', { products: { every: { stock: { gt: 0 } } } }],
      ['tags', { products: { none: {} } }],
      [
        'tags',
        { products: { some: { orderItems: { some: { order: { status: { exact: 'CANCELLED' } } } } } } },
      ],
      ['categories', { parent: null }],
      ['categories', { children: { none: {} } }],
      ['categories', { children: { every: { products: { some: { stock: { exact: 0 } } } } } }],
      ['profiles', { user: { orders: { none: {} } } }],
    ]
    for (const [model, filter] of cases) await expectMatchesOracle(model, filter)
    // `every` over no rows is true: users without orders satisfy any `every`.
    const without = oracle.ids('users', { orders: null })
    expect(without.length).toBeGreaterThan(0)
    const everyImpossible = await query('users', { orders: { every: { pk: { lt: 0 } } } })
    expect(everyImpossible.pks).toEqual(without)
    expect(oracle.ids('tags', { products: { none: {} } }).length).toBeGreaterThan(0)
  })

  it('filters nested to-many connections, and the count obeys the filter', async () => {
    const data = await shop.data<{
      users: { nodes: Array<{ pk: number; orders: { totalCount: number; nodes: Array<{ pk: number }> } }> }
    }>(
      `{ users(first: ${BIG_PAGE}, filter: {orders: {some: {}}}) { nodes { pk orders(first: 2, filter: {status: {in: [PAID, SHIPPED]}, total: {gte: "50"}}) { totalCount nodes { pk } } } } }`,
    )
    const inner: Filter = { status: { in: ['PAID', 'SHIPPED'] }, total: { gte: '50' } }
    for (const user of data.users.nodes) {
      const expected = oracle.rows('orders', inner).filter((o) => o['user_id'] === user.pk)
      expect(user.orders.totalCount).toBe(expected.length)
      expect(user.orders.nodes.length).toBe(Math.min(2, expected.length))
      for (const order of user.orders.nodes) expect(expected.map((o) => o['id'])).toContain(order.pk)
    }
  })

  it('pages through a filtered, ordered set forward and backward, each matching row exactly once', async () => {
    const filter: Filter = {
      or: [{ status: { in: ['PAID', 'PENDING'] } }, { note: { isnull: false } }],
      total: { gt: '20' },
    }
    const expected = oracle.ids('orders', filter)
    expect(expected.length).toBeGreaterThan(20)
    for (const orderBy of [
      [{ total: 'DESC' }],
      [{ note: 'ASC_NULLS_FIRST' }, { createdAt: 'DESC' }],
      [{ user: { username: 'ASC' } }],
    ]) {
      type Page = {
        totalCount: number
        pageInfo: {
          hasNextPage: boolean
          hasPreviousPage: boolean
          startCursor: string | null
          endCursor: string | null
        }
        nodes: Array<{ pk: number }>
      }
      const run = async (args: string, variables: Record<string, unknown>): Promise<Page> =>
        (
          await shop.data<{ orders: Page }>(
            `query($f: OrderFilter, $o: [OrderOrderBy!], $c: String) { orders(filter: $f, orderBy: $o, ${args}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { pk } } }`,
            { f: filter, o: orderBy, ...variables },
          )
        ).orders
      const forward: number[] = []
      let cursor: string | null = null
      for (;;) {
        const page: Page = await run('first: 7, after: $c', { c: cursor })
        expect(page.totalCount).toBe(expected.length)
        forward.push(...page.nodes.map((n) => n.pk))
        if (!page.pageInfo.hasNextPage) break
        cursor = page.pageInfo.endCursor
      }
      expect([...forward].sort((a, b) => a - b)).toEqual(expected)
      const backward: number[] = []
      cursor = null
      for (;;) {
        const page: Page = await run('last: 6, before: $c', { c: cursor })
        expect(page.totalCount).toBe(expected.length)
        backward.unshift(...page.nodes.map((n) => n.pk))
        if (!page.pageInfo.hasPreviousPage) break
        cursor = page.pageInfo.startCursor
      }
      expect(backward).toEqual(forward)
    }
  })

  it('still sends exactly one statement per root field with filters at several levels', async () => {
    const source = `{
      a: users(first: 5, filter: {username: {icontains: "o"}, orders: {some: {items: {every: {quantity: {lte: 4}}}}}, profile: {bio: {isnull: false}}}) {
        totalCount pageInfo { hasNextPage }
        nodes { username orders(first: 2, filter: {status: {in: [PAID, DELIVERED]}, items: {some: {product: {tags: {none: {name: {exact: "sale"}}}}}}}) {
          totalCount nodes { items(filter: {quantity: {gte: 1}}) { totalCount nodes { product { name } } } } } }
      }
      b: products(first: 3, filter: {tags: {some: {name: {startswith: "s"}}}, or: [{price: {lt: "20"}}, {weightGrams: null}]}) { totalCount nodes { name tags(filter: {name: {regex: "^[a-s]"}}) { totalCount } } }
    }`
    const { result, count, statements } = await countStatements(db, () => shop.run(source))
    expect(result.errors).toBeUndefined()
    expect(count).toBe(2)
    // Values are bound, never part of the statement text.
    for (const statement of statements) expect(statement.text).not.toContain('sale')
  })

  it('works with deprecated legacy lists too', async () => {
    const config = shopConfigWith({ pagination: 'legacy', maxPageSize: BIG_PAGE })
    const fixture = fixtureFor(db, buildShopSchema(db, config), shop.summary, config)
    const filter: Filter = { username: { istartswith: 'J' }, orders: { some: {} } }
    const data = await fixture.data<{ users: Array<{ pk: number; orders: Array<{ status: string }> }> }>(
      `query($f: UserFilter) { users(filter: $f, limit: ${BIG_PAGE}) { pk orders(filter: {status: {exact: PAID}}) { status } } }`,
      { f: filter },
    )
    expect(data.users.map((u) => u.pk).sort((a, b) => a - b)).toEqual(oracle.ids('users', filter))
    for (const user of data.users) {
      expect(user.orders.length).toBe(
        oracle.rows('orders', { status: { exact: 'PAID' } }).filter((o) => o['user_id'] === user.pk).length,
      )
    }
  })

  describe('bad input', () => {
    it('refuses unknown fields and operators as GraphQL validation errors', async () => {
      for (const filter of [
        '{nope: {exact: 1}}',
        '{username: {like: "x"}}',
        '{isActive: {exact: true}}',
        '{orders: {any: {}}}',
      ]) {
        const result = await shop.run(`{ users(filter: ${filter}) { totalCount } }`)
        expect(result.data).toBeUndefined()
        expect(result.errors?.[0]?.message).toMatch(
          /not defined|cannot represent|expected type|Expected type/i,
        )
      }
    })

    it('matches nothing for in: [] (not an error, not every row)', async () => {
      expect((await query('users', { username: { in: [] } })).totalCount).toBe(0)
      expect((await query('orders', { status: { in: [] } })).totalCount).toBe(0)
      expect((await query('users', { not: { username: { in: [] } } })).totalCount).toBe(
        oracle.ids('users', {}).length,
      )
    })

    async function expectBadInput(source: string, variables?: Record<string, unknown>): Promise<string> {
      const result = await shop.run(source, variables)
      expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT')
      return result.errors![0]!.message
    }

    it('refuses range with other than two values', async () => {
      await expectBadInput(`{ products(filter: {price: {range: ["1"]}}) { totalCount } }`)
      await expectBadInput(`{ products(filter: {price: {range: ["1", "2", "3"]}}) { totalCount } }`)
      await expectBadInput(`{ users(filter: {createdAt: {range: "2023-01-01"}}) { totalCount } }`)
    })

    it('reports an invalid regex as BAD_USER_INPUT without PostgreSQL text', async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
      try {
        for (const op of ['regex', 'iregex']) {
          const message = await expectBadInput(
            `query($r: String) { users(filter: {username: {${op}: $r}}) { totalCount } }`,
            { r: '(' },
          )
          expect(message).not.toMatch(/parenthes|invalid regular expression:|ERROR|2201B/)
        }
        // A valid regex that is not valid JavaScript still works (PostgreSQL syntax).
        await expectMatchesOracle('users', { username: { regex: '^j' } })
        const classes = await query('users', { username: { regex: '^[[:upper:]]' } })
        expect(classes.pks).toEqual(oracle.ids('users', { username: { regex: '^[A-ZÀ-Þ]' } }))
      } finally {
        errors.mockRestore()
      }
    })

    it('treats NUL bytes, 1 MB strings and SQL fragments as data', async () => {
      const all = oracle.ids('users', {}).length
      for (const value of [
        'a\u0000b',
        '\u0000',
        'x'.repeat(1024 * 1024),
        "'; drop table users; --",
        '"); drop table users; --',
        '$1',
      ]) {
        for (const op of ['exact', 'iexact', 'contains', 'icontains', 'startswith', 'iendswith']) {
          await expectMatchesOracle('users', { username: { [op]: value } })
          await expectMatchesOracle('users', { not: { email: { [op]: value } } })
        }
        await expectMatchesOracle('users', { username: { in: [value, 'admin'] } })
        await expectMatchesOracle('products', { attributes: { contains: { color: value } } })
        await expectMatchesOracle('products', { attributes: { hasKey: value } })
      }
      expect((await query('users', { not: { username: { exact: 'a\u0000b' } } })).totalCount).toBe(all)
      expect(
        (await query('users', { username: { contains: "o'brien'; drop table users; --" } })).totalCount,
      ).toBe(1)
      const [{ count } = { count: '' }] = await shop.rows<{ count: string }>(
        'select count(*)::text as count from users',
      )
      expect(Number(count)).toBe(all)
      await expectBadInput(`query($r: String) { users(filter: {username: {regex: $r}}) { totalCount } }`, {
        r: 'a\u0000',
      })
    })

    it('refuses values the column type cannot hold instead of failing in SQL', async () => {
      await expectBadInput(`{ users(filter: {createdAt: {gte: "2023-02-30"}}) { totalCount } }`)
      await expectBadInput(`{ profiles(filter: {birthDate: {exact: "2023-02-29"}}) { totalCount } }`)
      await expectBadInput(`{ products(filter: {weightGrams: {gt: "9999999999999999999"}}) { totalCount } }`)
      await expectBadInput(`{ users(filter: {username: {contains: null}}) { totalCount } }`)
      await expectBadInput(`{ users(filter: {and: null}) { totalCount } }`)
      expect((await query('profiles', { birthDate: { exact: '2000-02-29' } })).totalCount).toBe(
        oracle.ids('profiles', { birthDate: { exact: '2000-02-29' } }).length,
      )
    })

    it('refuses filters nested deeper than queries.maxFilterDepth', async () => {
      const nest = (levels: number): Filter => {
        let filter: Filter = { isActive: true }
        for (let i = 1; i < levels; i++) filter = i % 2 === 0 ? { not: filter } : { and: [filter] }
        return filter
      }
      await expectMatchesOracle('users', nest(10))
      const message = await expectBadInput(`query($f: UserFilter) { users(filter: $f) { totalCount } }`, {
        f: nest(11),
      })
      expect(message).toMatch(/10 levels/)
      // Relations count as a level too.
      await expectBadInput(`query($f: UserFilter) { users(filter: $f) { totalCount } }`, {
        f: {
          orders: {
            some: {
              user: {
                orders: {
                  some: {
                    user: {
                      orders: {
                        some: {
                          user: {
                            orders: { some: { user: { orders: { some: { user: { isActive: true } } } } } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      })
      const config = shopConfigWith({ maxFilterDepth: 2 })
      const shallow = fixtureFor(db, buildShopSchema(db, config), shop.summary, config)
      expect(
        (await shallow.run(`{ users(filter: {not: {isActive: true}}) { totalCount } }`)).errors,
      ).toBeUndefined()
      const deep = await shallow.run(`{ users(filter: {not: {not: {isActive: true}}}) { totalCount } }`)
      expect(deep.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT')
    })

    it('basic mode: equality only, with a deprecation warning naming the replacement', async () => {
      const config = shopConfigWith({ filtering: 'basic', maxPageSize: BIG_PAGE })
      const basic = fixtureFor(db, buildShopSchema(db, config), shop.summary, config)
      // Warnings are delivered on a later tick, once per process (by the first build).
      await new Promise((resolve) => setImmediate(resolve))
      const warning = deprecationWarnings.find((w) => w.code === 'GAG_BASIC_FILTERING')
      expect(warning?.message).toMatch(/use 'advanced'/)
      const data = await basic.data<{ users: { nodes: Array<{ username: string }> } }>(
        `{ users(filter: {username: "JohnDoe", isActive: true}) { nodes { username } } }`,
      )
      expect(data.users.nodes.map((n) => n.username)).toEqual(
        oracle.rows('users', { username: { exact: 'JohnDoe' }, isActive: true }).map((r) => r['username']),
      )
      const status = await basic.data<{ orders: { totalCount: number } }>(
        `{ orders(filter: {status: PAID}) { totalCount } }`,
      )
      expect(status.orders.totalCount).toBe(oracle.ids('orders', { status: { exact: 'PAID' } }).length)
      const refused = await basic.run(`{ users(filter: {username: {exact: "JohnDoe"}}) { totalCount } }`)
      expect(refused.errors?.length).toBeGreaterThan(0)
    })
  })
})

// ---------------------------------------------------------------------------------------------------
// The oracle: every table read with SQL, and the filter language interpreted in TypeScript.

class FilterOracle {
  private constructor(
    private readonly names: SchemaNames,
    private readonly tables: Map<string, Row[]>,
  ) {}

  static async load(db: Database, names: SchemaNames): Promise<FilterOracle> {
    const tables = new Map<string, Row[]>()
    const models = [...names.models.values()].map((m) => m.model)
    const junctions = new Set<string>()
    for (const m of names.models.values())
      for (const r of m.model.relations) if (r.through) junctions.add(r.through.table)
    for (const model of models) {
      const columns = model.fields.map((f) => `${textOf(f)} as "${f.column}"`)
      const { rows } = await db.query<Record<string, string | null>>({
        text: `select ${columns.join(', ')} from "${model.table}"`,
        values: [],
      })
      tables.set(
        model.table,
        rows.map((row) =>
          Object.fromEntries(model.fields.map((f) => [f.column, parseCell(f, row[f.column] ?? null)])),
        ),
      )
    }
    for (const table of junctions) {
      const { rows } = await db.query<Row>({ text: `select * from "${table}"`, values: [] })
      tables.set(table, rows)
    }
    return new FilterOracle(names, tables)
  }

  /** All rows of a model (by model name) that match. */
  rows(model: string, filter: Filter): Row[] {
    const names = this.names.models.get(model)!
    return this.tables.get(names.model.table)!.filter((row) => this.matches(names, row, filter))
  }

  ids(model: string, filter: Filter): number[] {
    return this.rows(model, filter)
      .map((r) => r['id'] as number)
      .sort((a, b) => a - b)
  }

  /** Distinct non-null values of a column, sorted. */
  values(model: ModelNames, field: ModelField): unknown[] {
    const seen = new Map<string, unknown>()
    for (const row of this.tables.get(model.model.table)!) {
      const value = row[field.column]
      if (value !== null && value !== undefined)
        seen.set(
          JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)),
          value,
        )
    }
    return [...seen.values()].sort(compare)
  }

  private matches(names: ModelNames, row: Row, filter: Filter): boolean {
    return Object.entries(filter).every(([key, value]) => {
      if (value === undefined) return true
      if (key === 'and') return (value as Filter[]).every((f) => this.matches(names, row, f))
      if (key === 'or') return (value as Filter[]).some((f) => this.matches(names, row, f))
      if (key === 'not') return !this.matches(names, row, value as Filter)
      const binding = names.fields.get(key)!
      switch (binding.kind) {
        case 'globalId': {
          const id = encodeGlobalId(names.typeName, row['id'] as number)
          if (value === null) return false
          return Object.entries(value as Filter).every(([op, v]) =>
            op === 'exact' ? v === id : op === 'in' ? (v as string[]).includes(id) : v === false,
          )
        }
        case 'primaryKey':
        case 'column':
          return fieldMatches(this.names, binding.field, row[binding.field.column], value)
        case 'relation': {
          const related = this.related(binding.relation, binding.target, row)
          if (value === null) return related.length === 0
          if (binding.relation.kind === 'toOne')
            return related.some((r) => this.matches(binding.target, r, value as Filter))
          const q = value as { some?: Filter; every?: Filter; none?: Filter }
          return (
            (q.some === undefined || related.some((r) => this.matches(binding.target, r, q.some!))) &&
            (q.every === undefined || related.every((r) => this.matches(binding.target, r, q.every!))) &&
            (q.none === undefined || !related.some((r) => this.matches(binding.target, r, q.none!)))
          )
        }
      }
    })
  }

  private related(relation: Relation, target: ModelNames, row: Row): Row[] {
    const targets = this.tables.get(target.model.table)!
    const through = relation.through
    if (through) {
      const links = this.tables
        .get(through.table)!
        .filter((j) => through.sourceColumns.every((c, i) => j[c] === row[through.sourceKeys[i]!]))
      return targets.filter((t) =>
        links.some((j) => through.targetColumns.every((c, i) => j[c] === t[through.targetKeys[i]!])),
      )
    }
    return targets.filter((t) =>
      relation.targetColumns.every(
        (c, i) => row[relation.sourceColumns[i]!] !== null && t[c] === row[relation.sourceColumns[i]!],
      ),
    )
  }
}

function textOf(field: ModelField): string {
  if (field.kind === 'DateTime')
    return `to_char("${field.column}" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  return `"${field.column}"::text`
}

function parseCell(field: ModelField, text: string | null): unknown {
  if (text === null) return null
  switch (field.kind) {
    case 'Int':
    case 'Float':
    case 'Decimal':
      return Number(text)
    case 'BigInt':
      return BigInt(text)
    case 'Boolean':
      return text === 'true'
    case 'JSON':
      return JSON.parse(text) as unknown
    case 'DateTime':
      return Date.parse(text)
    default:
      return text
  }
}

/** A filter input value as the oracle compares it with a parsed cell. */
function parseInput(names: SchemaNames, field: ModelField, value: unknown): unknown {
  switch (field.kind) {
    case 'Decimal':
      return Number(value)
    case 'BigInt':
      return BigInt(value as string)
    case 'DateTime':
      return Date.parse(
        /^\d{4}-\d{2}-\d{2}$/.test(value as string) ? `${value as string}T00:00:00Z` : (value as string),
      )
    case 'UUID':
      return (value as string).toLowerCase()
    case 'Enum': {
      const values = names.enums.get(field.enum!.sqlName)!.values
      return [...values].find(([, name]) => name === value)?.[0]
    }
    default:
      return value
  }
}

function compare(a: unknown, b: unknown): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
}

function fieldMatches(names: SchemaNames, field: ModelField, cell: unknown, entry: unknown): boolean {
  if (entry === null) return cell === null
  if (field.kind === 'Boolean') return cell === entry
  return Object.entries(entry as Filter).every(([op, raw]) => {
    if (raw === undefined) return true
    if (op === 'isnull') return (cell === null) === raw
    if ((op === 'exact' || op === 'iexact') && raw === null) return cell === null
    if (cell === null) return false
    const input = (v: unknown): unknown => parseInput(names, field, v)
    if (field.kind === 'JSON') {
      switch (op) {
        case 'exact':
          return jsonEqual(cell, raw)
        case 'contains':
          return jsonContains(cell, raw)
        case 'hasKey':
          return hasKey(cell, raw as string)
        case 'hasKeys':
          return (raw as string[]).every((k) => hasKey(cell, k))
        case 'hasAnyKeys':
          return (raw as string[]).some((k) => hasKey(cell, k))
      }
      throw new Error(`oracle: JSON ${op}`)
    }
    if (field.kind === 'String') {
      const text = cell as string
      const v = raw as string
      switch (op) {
        case 'exact':
          return text === v
        case 'iexact':
          return text.toLowerCase() === v.toLowerCase()
        case 'contains':
          return text.includes(v)
        case 'icontains':
          return text.toLowerCase().includes(v.toLowerCase())
        case 'startswith':
          return text.startsWith(v)
        case 'istartswith':
          return text.toLowerCase().startsWith(v.toLowerCase())
        case 'endswith':
          return text.endsWith(v)
        case 'iendswith':
          return text.toLowerCase().endsWith(v.toLowerCase())
        case 'in':
          return (raw as string[]).includes(text)
        case 'regex':
          return new RegExp(v, 'su').test(text)
        case 'iregex':
          return new RegExp(v, 'isu').test(text)
      }
      throw new Error(`oracle: String ${op}`)
    }
    switch (op) {
      case 'exact':
        return compare(cell, input(raw)) === 0
      case 'in':
        return (raw as unknown[]).some((v) => compare(cell, input(v)) === 0)
      case 'gt':
        return compare(cell, input(raw)) > 0
      case 'gte':
        return compare(cell, input(raw)) >= 0
      case 'lt':
        return compare(cell, input(raw)) < 0
      case 'lte':
        return compare(cell, input(raw)) <= 0
      case 'range': {
        const [low, high] = raw as unknown[]
        return compare(cell, input(low)) >= 0 && compare(cell, input(high)) <= 0
      }
    }
    throw new Error(`oracle: ${field.kind} ${op}`)
  })
}

function hasKey(json: unknown, key: string): boolean {
  if (Array.isArray(json)) return json.includes(key)
  return typeof json === 'object' && json !== null && Object.hasOwn(json, key)
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b))
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
    )
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    return jsonEqual(ka, kb) && ka.every((k) => jsonEqual((a as Row)[k], (b as Row)[k]))
  }
  return a === b
}

function jsonContains(a: unknown, b: unknown): boolean {
  if (Array.isArray(b)) return Array.isArray(a) && b.every((item) => a.some((x) => jsonContains(x, item)))
  if (typeof b === 'object' && b !== null) {
    return (
      typeof a === 'object' &&
      a !== null &&
      !Array.isArray(a) &&
      Object.entries(b).every(([k, v]) => Object.hasOwn(a, k) && jsonContains((a as Row)[k], v))
    )
  }
  return a === b
}

/**
 * Filters for every operator of every column of a model, with values drawn from the data (low,
 * quartiles, median, high), their case variants and substrings, and values with wildcards,
 * quotes, unicode and NULLs.
 */
function operatorCases(model: ModelNames, oracle: FilterOracle): Filter[] {
  const cases: Filter[] = []
  const add = (name: string, entry: unknown): void => {
    cases.push({ [name]: entry })
  }
  for (const [name, binding] of model.fields) {
    if (binding.kind === 'globalId') {
      const pks = oracle.ids(model.model.name, {})
      const [a, b] = [pks[0]!, pks[Math.floor(pks.length / 2)]!]
      add(name, { exact: encodeGlobalId(model.typeName, a) })
      add(name, {
        in: [encodeGlobalId(model.typeName, a), encodeGlobalId(model.typeName, b), encodeGlobalId('Nope', a)],
      })
      add(name, { exact: encodeGlobalId('Other', a) })
      add(name, { isnull: false })
      continue
    }
    if (binding.kind !== 'column' && binding.kind !== 'primaryKey') continue
    const field = binding.field
    const values = oracle.values(model, field)
    if (values.length === 0) continue
    const pick = (q: number): unknown => values[Math.floor(q * (values.length - 1))]
    const nullable = [null, { isnull: true }, { isnull: false }, { exact: null }]
    switch (field.kind) {
      case 'Boolean':
        for (const v of [true, false, null]) add(name, v)
        break
      case 'String': {
        for (const q of [0, 0.3, 0.5, 0.8, 1]) {
          const v = pick(q) as string
          const mid = v.slice(1, Math.max(2, Math.min(v.length - 1, 4)))
          add(name, { exact: v })
          add(name, { exact: v.toUpperCase() })
          add(name, { iexact: swapCase(v) })
          add(name, { contains: mid })
          add(name, { icontains: swapCase(mid) })
          add(name, { startswith: v.slice(0, 2) })
          add(name, { istartswith: swapCase(v.slice(0, 2)) })
          add(name, { endswith: v.slice(-2) })
          add(name, { iendswith: swapCase(v.slice(-2)) })
          add(name, { contains: mid, startswith: v.slice(0, 1), iendswith: v.slice(-1) })
        }
        add(name, { in: [pick(0), pick(0.5), pick(1), 'no such value'] })
        add(name, { in: [] })
        for (const special of [
          '%',
          '_',
          '\\',
          '50%',
          'o_s',
          "'",
          '',
          'café',
          'É',
          'CAFÉ',
          '☕',
          '%_%',
          '\\%',
        ]) {
          add(name, { contains: special })
          add(name, { icontains: special })
          add(name, { startswith: special })
          add(name, { iendswith: special })
        }
        add(name, { iexact: 'café_owner' })
        for (const regex of ['^[a-m]', '[0-9]$', '^J', 'o.*n', '^[^aeiou]+$', '_', '\\.']) {
          add(name, { regex })
          add(name, { iregex: regex })
        }
        for (const n of nullable) add(name, n)
        break
      }
      case 'JSON': {
        for (const entry of [
          { contains: { color: 'red' } },
          { contains: { color: 'blue', size: 'M' } },
          { contains: { features: ['bluetooth'] } },
          {
            contains: {
              dimensions: {
                widthCm: (pick(0.5) as { dimensions?: { widthCm?: number } }).dimensions?.widthCm ?? 10,
              },
            },
          },
          { contains: {} },
          { exact: { color: 'red' } },
          { exact: pick(0.5) },
          { hasKey: 'size' },
          { hasKeys: ['size', 'color'] },
          { hasAnyKeys: ['fragile', 'rating'] },
          { hasAnyKeys: [] },
          { hasKey: 'size', contains: { color: 'black' } },
          ...nullable,
        ]) {
          add(name, entry)
        }
        break
      }
      case 'UUID':
      case 'Enum': {
        const gql = (v: unknown): unknown => (field.kind === 'Enum' ? enumName(v) : v)
        for (const v of values) add(name, { exact: gql(v) })
        if (field.kind === 'UUID') add(name, { exact: (pick(0.5) as string).toUpperCase() })
        add(name, { in: [gql(pick(0)), gql(pick(1))] })
        add(name, { in: [] })
        for (const n of nullable) add(name, n)
        break
      }
      default: {
        // Int, Decimal, BigInt, Date, DateTime (and Float, Time): ordered operators.
        const gql = (v: unknown): unknown => toInput(field, v)
        for (const q of [0, 0.25, 0.5, 0.75, 1]) {
          const v = gql(pick(q))
          add(name, { exact: v })
          add(name, { gt: v })
          add(name, { gte: v })
          add(name, { lt: v })
          add(name, { lte: v })
        }
        add(name, { in: [gql(pick(0)), gql(pick(0.5)), gql(pick(1))] })
        add(name, { in: [] })
        add(name, { range: [gql(pick(0.25)), gql(pick(0.75))] })
        add(name, { range: [gql(pick(0.75)), gql(pick(0.25))] })
        add(name, { gt: gql(pick(0.2)), lte: gql(pick(0.6)) })
        if (field.kind === 'DateTime') {
          for (const day of ['2023-01-01', '2023-06-15', '2024-02-29']) {
            add(name, { gte: day })
            add(name, { lt: day })
            add(name, { exact: day })
          }
          add(name, { gte: '2023-01-01', lte: '2023-12-31' })
          add(name, { range: ['2023-01-01', '2023-12-31T12:30:00+02:00'] })
        }
        for (const n of nullable) add(name, n)
      }
    }
  }
  return cases
}

/** The GraphQL enum value name of an SQL enum value (the default inflection). */
function enumName(value: unknown): string {
  return String(value)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
}

/** A parsed cell turned back into the GraphQL input the filter takes. */
function toInput(field: ModelField, value: unknown): unknown {
  switch (field.kind) {
    case 'Decimal':
      return String(value)
    case 'BigInt':
      return String(value)
    case 'DateTime':
      return new Date(value as number).toISOString()
    default:
      return value
  }
}

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')
}
