// Keyset pagination over every orderable key: paging forward (first/after) and backward
// (last/before) visits every row exactly once, in exactly the order PostgreSQL gives for the
// equivalent ORDER BY (the primary key as the final tiebreaker, in the last key's direction).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

/** Rows per page in the comparison of lean pages with full ones. */
const PAGE = 7
const ALL_DIRECTIONS = [
  'ASC',
  'DESC',
  'ASC_NULLS_FIRST',
  'ASC_NULLS_LAST',
  'DESC_NULLS_FIRST',
  'DESC_NULLS_LAST',
] as const
type Direction = (typeof ALL_DIRECTIONS)[number]

/** The SQL spelling of an OrderDirection value (plain ASC/DESC keep PostgreSQL's NULLS defaults). */
const sqlDirection = (direction: Direction): string => direction.replaceAll('_', ' ')

/** The primary-key tiebreaker's direction: the last key's, so one index serves the whole order. */
const tieBreaker = (orderBy: string): 'ASC' | 'DESC' =>
  /\bDESC\b/.test(orderBy.split(', ').pop() ?? '') ? 'DESC' : 'ASC'

interface Key {
  /** The orderBy item with a `$` where the direction goes, e.g. `{ user: { username: $ } }`. */
  item: (direction: Direction) => Record<string, unknown>
  /** SQL expression of the key for a row of the table under alias `t`. */
  sql: string
  nullable: boolean
}

interface ModelCase {
  field: 'users' | 'products' | 'orders'
  table: string
  orderByType: string
  /**
   * Rows per page when paging through every row: about eight pages each way (100 users, 63
   * products, 300 orders at scale 0.25). Each page proves one cursor continues the order, and
   * what a cursor can be is the same on every page (a NULL or a value, inside a run of ties or not):
   * more pages repeat that proof. checkBoundaries asserts the cursors still land on each kind.
   */
  pageSize: number
  keys: Record<string, Key>
}

const column = (name: string, sql: string, nullable = false): [string, Key] => [
  name,
  { item: (d) => ({ [name]: d }), sql: `t.${sql}`, nullable },
]

const MODELS: ModelCase[] = [
  {
    field: 'users',
    table: 'users',
    orderByType: 'UserOrderBy',
    pageSize: 13,
    keys: Object.fromEntries([
      column('pk', 'id'),
      column('username', 'username'),
      column('email', 'email'),
      column('isActive', 'is_active'),
      column('isStaff', 'is_staff'),
      column('createdAt', 'created_at'),
      column('lastLogin', 'last_login', true),
      [
        'profile.lastName',
        {
          item: (d) => ({ profile: { lastName: d } }),
          sql: '(select p.last_name from profiles p where p.user_id = t.id)',
          nullable: true,
        },
      ],
      [
        // A left join (not every user has a profile) above a NOT NULL foreign key: users without a
        // profile must stay, ordered as NULL.
        'profile.user.username',
        {
          item: (d) => ({ profile: { user: { username: d } } }),
          sql: '(select u2.username from profiles p join users u2 on u2.id = p.user_id where p.user_id = t.id)',
          nullable: true,
        },
      ],
      [
        'profile.birthDate',
        {
          item: (d) => ({ profile: { birthDate: d } }),
          sql: '(select p.birth_date from profiles p where p.user_id = t.id)',
          nullable: true,
        },
      ],
    ]),
  },
  {
    field: 'products',
    table: 'products',
    orderByType: 'ProductOrderBy',
    pageSize: 8,
    keys: Object.fromEntries([
      column('pk', 'id'),
      column('sku', 'sku'),
      column('name', 'name'),
      column('description', 'description', true),
      column('price', 'price'),
      column('stock', 'stock'),
      column('weightGrams', 'weight_grams', true),
      column('createdAt', 'created_at'),
      [
        'category.name',
        {
          item: (d) => ({ category: { name: d } }),
          sql: '(select c.name from categories c where c.id = t.category_id)',
          nullable: true,
        },
      ],
      [
        'category.parent.name',
        {
          item: (d) => ({ category: { parent: { name: d } } }),
          sql: '(select pc.name from categories pc where pc.id = (select c.parent_id from categories c where c.id = t.category_id))',
          nullable: true,
        },
      ],
    ]),
  },
  {
    field: 'orders',
    table: 'orders',
    orderByType: 'OrderOrderBy',
    pageSize: 37,
    keys: Object.fromEntries([
      column('pk', 'id'),
      column('status', 'status'),
      column('total', 'total'),
      column('note', 'note', true),
      column('createdAt', 'created_at'),
      [
        'user.username',
        {
          item: (d) => ({ user: { username: d } }),
          sql: '(select u.username from users u where u.id = t.user_id)',
          nullable: false,
        },
      ],
      [
        'user.lastLogin',
        {
          item: (d) => ({ user: { lastLogin: d } }),
          sql: '(select u.last_login from users u where u.id = t.user_id)',
          nullable: true,
        },
      ],
      [
        'user.profile.lastName',
        {
          item: (d) => ({ user: { profile: { lastName: d } } }),
          sql: '(select p.last_name from profiles p where p.user_id = (select u.id from users u where u.id = t.user_id))',
          nullable: true,
        },
      ],
    ]),
  },
]

interface OrderingCase {
  model: ModelCase
  title: string
  /** The orderBy argument; null for the model's default ordering. */
  orderBy: Array<Record<string, unknown>> | null
  /** The equivalent ORDER BY, without the final id tiebreaker. */
  sql: string
  /** The one key of a single-key ordering (whose cursors checkBoundaries inspects). */
  key?: Key
}

function keyCase(model: ModelCase, parts: Array<[string, Direction]>): OrderingCase {
  return {
    model,
    title: `${model.field} ${parts.map(([k, d]) => `${k} ${d}`).join(', ')}`,
    orderBy: parts.map(([k, d]) => model.keys[k]!.item(d)),
    sql: parts.map(([k, d]) => `${model.keys[k]!.sql} ${sqlDirection(d)}`).join(', '),
    ...(parts.length === 1 ? { key: model.keys[parts[0]![0]]! } : {}),
  }
}

const [USERS, PRODUCTS, ORDERS] = MODELS as [ModelCase, ModelCase, ModelCase]

const CASES: OrderingCase[] = [
  ...MODELS.flatMap((model) =>
    Object.entries(model.keys).flatMap(([name, key]) =>
      (key.nullable ? ALL_DIRECTIONS : (['ASC', 'DESC'] as const)).map((d) => keyCase(model, [[name, d]])),
    ),
  ),
  // Default orderings: users and products by primary key, orders by createdAt DESC (config).
  { model: USERS, title: 'users default', orderBy: null, sql: 't.id ASC' },
  { model: PRODUCTS, title: 'products default', orderBy: null, sql: 't.id ASC' },
  { model: ORDERS, title: 'orders default (createdAt DESC)', orderBy: null, sql: 't.created_at DESC' },
  // Several keys with mixed directions and nulls placement.
  keyCase(USERS, [
    ['isActive', 'DESC'],
    ['lastLogin', 'ASC_NULLS_FIRST'],
    ['username', 'DESC'],
  ]),
  keyCase(USERS, [
    ['isStaff', 'ASC'],
    ['profile.lastName', 'DESC_NULLS_LAST'],
    ['createdAt', 'ASC'],
  ]),
  keyCase(PRODUCTS, [
    ['category.name', 'DESC_NULLS_LAST'],
    ['price', 'ASC'],
  ]),
  keyCase(PRODUCTS, [
    ['weightGrams', 'ASC_NULLS_FIRST'],
    ['description', 'DESC_NULLS_LAST'],
    ['stock', 'DESC'],
  ]),
  keyCase(ORDERS, [
    ['status', 'ASC'],
    ['total', 'DESC'],
  ]),
  keyCase(ORDERS, [
    ['user.username', 'DESC'],
    ['note', 'ASC_NULLS_FIRST'],
    ['createdAt', 'ASC'],
  ]),
  keyCase(ORDERS, [
    ['pk', 'DESC'],
    ['total', 'ASC'],
  ]),
]

interface Page {
  totalCount: number
  edges: Array<{ cursor: string; node: { pk: number } }>
  pageInfo: {
    hasNextPage: boolean
    hasPreviousPage: boolean
    startCursor: string | null
    endCursor: string | null
  }
}

const PAGE_SELECTION = `totalCount edges { cursor node { pk } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`

/** Checks what every page must satisfy whichever way it was fetched. */
function checkPage(page: Page, total: number, size: number): void {
  expect(page.totalCount).toBe(total)
  expect(page.edges.length).toBeLessThanOrEqual(size)
  expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null)
  expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null)
}

/** Pages forward with `first: size` from the start; returns the edges in visiting order. */
async function pageForward(
  fetch: (vars: Record<string, unknown>) => Promise<Page>,
  total: number,
  size: number,
): Promise<Page['edges']> {
  const seen: Page['edges'] = []
  let after: string | null = null
  for (let index = 0; ; index++) {
    expect(index, 'too many pages').toBeLessThanOrEqual(Math.ceil(total / size) + 1)
    const page = await fetch({ first: size, after })
    checkPage(page, total, size)
    expect(page.pageInfo.hasPreviousPage).toBe(index > 0)
    seen.push(...page.edges)
    if (!page.pageInfo.hasNextPage) break
    expect(page.edges).toHaveLength(size)
    after = page.pageInfo.endCursor
  }
  return seen
}

/** Pages backward with `last: size` from the end; returns the pks in forward order. */
async function pageBackward(
  fetch: (vars: Record<string, unknown>) => Promise<Page>,
  total: number,
  size: number,
): Promise<number[]> {
  const pages: number[][] = []
  let before: string | null = null
  for (let index = 0; ; index++) {
    expect(index, 'too many pages').toBeLessThanOrEqual(Math.ceil(total / size) + 1)
    const page = await fetch({ last: size, before })
    checkPage(page, total, size)
    expect(page.pageInfo.hasNextPage).toBe(index > 0)
    pages.push(page.edges.map((e) => e.node.pk))
    if (!page.pageInfo.hasPreviousPage) break
    expect(page.edges).toHaveLength(size)
    before = page.pageInfo.startCursor
  }
  return pages.reverse().flat()
}

function expectEachOnceInOrder(seen: number[], expected: number[]): void {
  expect(new Set(seen).size).toBe(seen.length)
  expect(seen).toEqual(expected)
}

/**
 * For a single-key ordering, the rows (positions in the SQL order) whose cursors are the delicate
 * ones: each side of every change between NULL and non-NULL keys, and the first row of a run of
 * equal keys (only the primary-key tiebreaker separates it from the next), non-NULL and NULL.
 * Paging with a fixed size reaches them only by chance; they are checked one by one instead.
 */
function delicateRows(keys: unknown[]): number[] {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)
  const rows = new Set<number>()
  for (let at = 0; at + 1 < keys.length; at++) {
    if ((keys[at] === null) !== (keys[at + 1] === null)) rows.add(at).add(at + 1)
  }
  const tie = (isNull: boolean): number =>
    keys.findIndex((key, at) => (key === null) === isNull && at + 1 < keys.length && same(key, keys[at + 1]))
  for (const at of [tie(false), tie(true)]) if (at !== -1) rows.add(at)
  return [...rows].sort((a, b) => a - b)
}
describe.each(testDatabases())('pagination on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    shop = await withShop(db, { scale: 0.25 })
  })

  afterAll(async () => {
    await dispose()
  })

  async function expectedOrder(c: OrderingCase): Promise<number[]> {
    return (await expectedRows(c)).ids
  }

  /** The ids in SQL order, and each row's key when the ordering has one key. */
  async function expectedRows(c: OrderingCase): Promise<{ ids: number[]; keys: unknown[] }> {
    const rows = await shop.rows<{ id: number; k: unknown }>(
      `select t.id, ${c.key?.sql ?? 'null'} as k from ${c.model.table} t order by ${c.sql}, t.id ${tieBreaker(c.sql)}`,
    )
    return { ids: rows.map((r) => r.id), keys: rows.map((r) => r.k) }
  }

  function rootFetcher(c: OrderingCase): (vars: Record<string, unknown>) => Promise<Page> {
    const source = `query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: [${c.model.orderByType}!]) {
      ${c.model.field}(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) { ${PAGE_SELECTION} }
    }`
    return async (vars) => {
      const data = await shop.data<Record<string, Page>>(source, { ...vars, orderBy: c.orderBy })
      return data[c.model.field]!
    }
  }

  it('covers every orderable key of users, products and orders', () => {
    for (const model of MODELS) {
      const type = shop.schema.getType(model.orderByType) as unknown as {
        getFields(): Record<string, unknown>
      }
      const direct = Object.keys(model.keys).map((k) => k.split('.')[0]!)
      for (const name of Object.keys(type.getFields()))
        expect(direct, `${model.orderByType}.${name}`).toContain(name)
    }
  })

  describe.each(CASES)('$title', (c) => {
    it('pages forward with first/after through every row once, in SQL order', async () => {
      const { ids, keys } = await expectedRows(c)
      const size = c.model.pageSize
      expect(ids.length).toBeGreaterThan(size * 2)
      const fetch = rootFetcher(c)
      const edges = await pageForward(fetch, ids.length, size)
      expectEachOnceInOrder(
        edges.map((e) => e.node.pk),
        ids,
      )
      // A nullable key's rows hold NULLs, so the NULL side of its cursors is exercised.
      if (c.key?.nullable) expect(keys).toContain(null)
      // From each delicate row's cursor, both ways: the rows right after it, and right before it.
      for (const at of c.key ? delicateRows(keys) : []) {
        const cursor = edges[at]!.cursor
        const after = await fetch({ first: PAGE, after: cursor })
        expect(
          after.edges.map((e) => e.node.pk),
          `after row ${at}`,
        ).toEqual(ids.slice(at + 1, at + 1 + PAGE))
        const before = await fetch({ last: PAGE, before: cursor })
        expect(
          before.edges.map((e) => e.node.pk),
          `before row ${at}`,
        ).toEqual(ids.slice(Math.max(0, at - PAGE), at))
      }
    })

    it('pages backward with last/before through every row once, in SQL order', async () => {
      const ids = await expectedOrder(c)
      expectEachOnceInOrder(await pageBackward(rootFetcher(c), ids.length, c.model.pageSize), ids)
    })
  })

  // Without hasNextPage (hasPreviousPage backwards) the page reads exactly n rows and no window
  // numbers them: the same rows, order and cursors as the page that reads one row more.
  describe.each(CASES)('$title without the extra row', (c) => {
    it('gives the same edges and start/end cursors as the page that asks for hasNextPage', async () => {
      const lean = `query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: [${c.model.orderByType}!]) {
        ${c.model.field}(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
          edges { cursor node { pk } } nodes { pk } pageInfo { startCursor endCursor }
        }
      }`
      const full = rootFetcher(c)
      const second = (await full({ first: PAGE })).pageInfo.endCursor
      for (const vars of [
        { first: PAGE },
        { first: PAGE, after: second },
        { last: PAGE },
        { last: PAGE, before: second },
      ]) {
        const expected = await full(vars)
        const data = await shop.data<Record<string, Page & { nodes: Array<{ pk: number }> }>>(lean, {
          ...vars,
          orderBy: c.orderBy,
        })
        const page = data[c.model.field]!
        expect(page.edges).toEqual(expected.edges)
        expect(page.nodes).toEqual(expected.edges.map((e) => e.node))
        expect(page.pageInfo.startCursor).toBe(expected.pageInfo.startCursor)
        expect(page.pageInfo.endCursor).toBe(expected.pageInfo.endCursor)
      }
    })
  })

  it('reads a to-one relation the ordering joins from that join: the same related rows, NULL when missing', async () => {
    const orders = await shop.data<{
      orders: {
        nodes: Array<{
          pk: number
          user: { pk: number; username: string; profile: { lastName: string } | null }
        }>
      }
    }>(
      `{ orders(first: 40, orderBy: [{ user: { username: DESC } }]) { nodes { pk user { pk username profile { lastName } } } } }`,
    )
    const expectedOrders = await shop.rows<{
      id: number
      user_id: number
      username: string
      last_name: string | null
    }>(
      `select o.id, u.id as user_id, u.username, p.last_name from orders o join users u on u.id = o.user_id
       left join profiles p on p.user_id = u.id order by u.username desc, o.id desc limit 40`,
    )
    expect(
      orders.orders.nodes.map((n) => [n.pk, n.user.pk, n.user.username, n.user.profile?.lastName ?? null]),
    ).toEqual(expectedOrders.map((r) => [r.id, r.user_id, r.username, r.last_name]))
    // Users without a profile sort first (DESC: NULLS FIRST) and read `profile: null`.
    const users = await shop.data<{
      users: { nodes: Array<{ pk: number; profile: { pk: number; lastName: string } | null }> }
    }>(
      `{ users(first: 60, orderBy: [{ profile: { lastName: DESC } }]) { nodes { pk profile { pk lastName } } } }`,
    )
    const expectedUsers = await shop.rows<{
      id: number
      profile_id: number | null
      last_name: string | null
    }>(
      `select u.id, p.id as profile_id, p.last_name from users u left join profiles p on p.user_id = u.id
       order by p.last_name desc nulls first, u.id desc limit 60`,
    )
    expect(expectedUsers.some((r) => r.profile_id === null)).toBe(true)
    expect(users.users.nodes.map((n) => [n.pk, n.profile?.pk ?? null, n.profile?.lastName ?? null])).toEqual(
      expectedUsers.map((r) => [r.id, r.profile_id, r.last_name]),
    )
  })

  it('gives exactly the rows strictly between an after and a before cursor', async () => {
    const c = CASES.find((x) => x.title === 'orders note ASC_NULLS_FIRST')!
    const expected = await expectedOrder(c)
    const fetch = rootFetcher(c)
    const all: Page['edges'] = []
    for (let after: string | null = null; ;) {
      const page: { orders: Page } = await shop.data<{ orders: Page }>(
        `query ($after: String, $orderBy: [OrderOrderBy!]) { orders(first: 100, after: $after, orderBy: $orderBy) { ${PAGE_SELECTION} } }`,
        { after, orderBy: c.orderBy },
      )
      all.push(...page.orders.edges)
      if (!page.orders.pageInfo.hasNextPage) break
      after = page.orders.pageInfo.endCursor
    }
    expect(all.map((e) => e.node.pk)).toEqual(expected)
    for (const [from, to] of [
      [3, 40],
      [0, 1],
      [10, 11],
      [50, 120],
    ] as const) {
      const forward = await fetch({ first: 100, after: all[from]!.cursor, before: all[to]!.cursor })
      expect(forward.edges.map((e) => e.node.pk)).toEqual(expected.slice(from + 1, to))
      const backward = await fetch({ last: 100, after: all[from]!.cursor, before: all[to]!.cursor })
      expect(backward.edges.map((e) => e.node.pk)).toEqual(expected.slice(from + 1, to))
    }
  })

  describe('nested connections', () => {
    it("pages through a user's orders forward and backward for several orderings", async () => {
      const [user] = await shop.rows<{ user_id: number }>(
        'select user_id from orders group by user_id order by count(*) desc, user_id limit 1',
      )
      const userId = user!.user_id
      const id = Buffer.from(`User:${userId}`).toString('base64')
      for (const [orderBy, sql] of [
        [null, 'o.created_at DESC'],
        [[{ total: 'ASC' }], 'o.total ASC'],
        [[{ note: 'DESC_NULLS_LAST' }, { status: 'ASC' }], 'o.note DESC NULLS LAST, o.status ASC'],
      ] as const) {
        const expected = (
          await shop.rows<{ id: number }>(
            `select o.id from orders o where o.user_id = $1 order by ${sql}, o.id ${tieBreaker(sql)}`,
            [userId],
          )
        ).map((r) => r.id)
        expect(expected.length).toBeGreaterThanOrEqual(4)
        const source = `query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $orderBy: [OrderOrderBy!]) {
          user(id: $id) { orders(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) { ${PAGE_SELECTION} } }
        }`
        const fetch = async (vars: Record<string, unknown>): Promise<Page> => {
          // Pages of 7 would hold all of one user's orders, so nested paging uses pages of 2.
          const sized = { ...vars, ...('first' in vars ? { first: 2 } : { last: 2 }) }
          const data = await shop.data<{ user: { orders: Page } }>(source, { id, orderBy, ...sized })
          return data.user.orders
        }
        const forward: number[] = []
        let after: string | null = null
        do {
          const page = await fetch({ first: 2, after })
          expect(page.totalCount).toBe(expected.length)
          forward.push(...page.edges.map((e) => e.node.pk))
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null
        } while (after !== null)
        expectEachOnceInOrder(forward, expected)
        const backward: number[][] = []
        let before: string | null = null
        do {
          const page = await fetch({ last: 2, before })
          backward.unshift(page.edges.map((e) => e.node.pk))
          before = page.pageInfo.hasPreviousPage ? page.pageInfo.startCursor : null
        } while (before !== null)
        expectEachOnceInOrder(backward.flat(), expected)
      }
    })

    it("pages through a product's tags (many-to-many) one at a time", async () => {
      const [product] = await shop.rows<{ product_id: number }>(
        'select product_id from product_tags group by product_id order by count(*) desc, product_id limit 1',
      )
      const expected = (
        await shop.rows<{ tag_id: number }>(
          'select tag_id from product_tags where product_id = $1 order by tag_id desc',
          [product!.product_id],
        )
      ).map((r) => r.tag_id)
      expect(expected.length).toBeGreaterThan(1)
      const seen: number[] = []
      let after: string | null = null
      do {
        const data: { product: { tags: Page } } = await shop.data(
          `query ($id: ID!, $after: String) { product(id: $id) { tags(first: 1, after: $after, orderBy: [{ pk: DESC }]) { ${PAGE_SELECTION} } } }`,
          { id: Buffer.from(`Product:${product!.product_id}`).toString('base64'), after },
        )
        expect(data.product.tags.totalCount).toBe(expected.length)
        seen.push(...data.product.tags.edges.map((e) => e.node.pk))
        after = data.product.tags.pageInfo.hasNextPage ? data.product.tags.pageInfo.endCursor : null
      } while (after !== null)
      expect(seen).toEqual(expected)
    })

    it('reports pageInfo and totalCount per parent row in a list', async () => {
      const counts = await shop.rows<{ id: number; n: number }>(
        'select u.id, (select count(*) from orders o where o.user_id = u.id)::int as n from users u order by u.id limit 40',
      )
      const firstTwo = await shop.rows<{ id: number; user_id: number }>(
        `select id, user_id from (select o.id, o.user_id, row_number() over (partition by o.user_id order by o.created_at desc, o.id desc) as r
         from orders o) s where r <= 2 order by user_id, r`,
      )
      const data = await shop.data<{
        users: {
          nodes: Array<{
            pk: number
            orders: { totalCount: number; nodes: Array<{ pk: number }>; pageInfo: Page['pageInfo'] }
          }>
        }
      }>(
        `{ users(first: 40) { nodes { pk orders(first: 2) { totalCount nodes { pk } pageInfo { hasNextPage hasPreviousPage } } } } }`,
      )
      expect(counts.some((c) => c.n > 2) && counts.some((c) => c.n === 0)).toBe(true)
      expect(
        data.users.nodes.map((u) => ({
          pk: u.pk,
          totalCount: u.orders.totalCount,
          nodes: u.orders.nodes.map((n) => n.pk),
          hasNextPage: u.orders.pageInfo.hasNextPage,
          hasPreviousPage: u.orders.pageInfo.hasPreviousPage,
        })),
      ).toEqual(
        counts.map((c) => ({
          pk: c.id,
          totalCount: c.n,
          nodes: firstTwo.filter((o) => o.user_id === c.id).map((o) => o.id),
          hasNextPage: c.n > 2,
          hasPreviousPage: false,
        })),
      )
    })
  })
})
