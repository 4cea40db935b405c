// Reads through the generated API on every test database, checked against rows read directly with
// SQL: nesting, one statement per root field, fragments/aliases/directives, relations, scalars,
// plain graphql-js use and the deprecated legacy lists.
import { execute, graphql, parse } from 'graphql'
import type { ExecutionResult } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countStatements } from '../database/index.js'
import { resetDeprecations } from '../deprecations.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { buildShopSchema, fixtureFor, shopConfig, shopConfigWith, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

// The legacy-pagination deprecation is emitted once per process, so listen before anything builds.
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

const DEFAULT_PAGE = shopConfig.queries?.defaultPageSize ?? 100
const MAX_PAGE = shopConfig.queries?.maxPageSize ?? 1000

/** Global id as the API documents it: base64 of `Type:pk`. */
const gid = (type: string, pk: number | string): string =>
  Buffer.from(`${type}:${pk}`, 'utf8').toString('base64')

/** graphql-js results use null-prototype objects; compare plain JSON. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/** Groups rows by a key, keeping row order within each group. */
function groupBy<Row, K>(rows: readonly Row[], key: (row: Row) => K): Map<K, Row[]> {
  const groups = new Map<K, Row[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group) group.push(row)
    else groups.set(k, [row])
  }
  return groups
}

function expectNoErrors(result: ExecutionResult): void {
  expect(result.errors?.map((e) => e.message)).toBeUndefined()
}

const SEED_DOCUMENT = `{ users(first: 50) { edges { node { username profile { firstName lastName } orders { nodes { items { nodes { product { name price } } } } } } } } }`

describe.each(testDatabases())('queries on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    shop = await withShop(db, { scale: 1 })
  })

  afterAll(async () => {
    await dispose()
  })

  describe('the seed document', () => {
    it('returns the data a reconstruction from direct SQL reads gives', async () => {
      const users = await shop.rows<{ id: number; username: string }>(
        'select id, username from users order by id limit 50',
      )
      const profiles = await shop.rows<{ user_id: number; first_name: string; last_name: string }>(
        'select user_id, first_name, last_name from profiles order by user_id',
      )
      const orders = await shop.rows<{ id: number; user_id: number }>(
        'select id, user_id from orders order by created_at desc, id desc',
      )
      const items = await shop.rows<{ id: number; order_id: number; product_id: number }>(
        'select id, order_id, product_id from order_items order by id',
      )
      const products = await shop.rows<{ id: number; name: string; price: string }>(
        'select id, name, price from products',
      )
      const profileByUser = new Map(profiles.map((p) => [p.user_id, p]))
      const ordersByUser = groupBy(orders, (o) => o.user_id)
      const itemsByOrder = groupBy(items, (i) => i.order_id)
      const productById = new Map(products.map((p) => [p.id, p]))
      expect(users).toHaveLength(50)

      const expected = {
        users: {
          edges: users.map((user) => {
            const profile = profileByUser.get(user.id)
            return {
              node: {
                username: user.username,
                profile: profile ? { firstName: profile.first_name, lastName: profile.last_name } : null,
                orders: {
                  nodes: (ordersByUser.get(user.id) ?? []).slice(0, DEFAULT_PAGE).map((order) => ({
                    items: {
                      nodes: (itemsByOrder.get(order.id) ?? []).slice(0, DEFAULT_PAGE).map((item) => {
                        const product = productById.get(item.product_id)!
                        return { product: { name: product.name, price: product.price } }
                      }),
                    },
                  })),
                },
              },
            }
          }),
        },
      }
      // The reconstruction must cover the interesting cases, or the comparison proves little.
      expect(expected.users.edges.some((e) => e.node.profile === null)).toBe(true)
      expect(expected.users.edges.some((e) => e.node.orders.nodes.length === 0)).toBe(true)
      expect(expected.users.edges.some((e) => e.node.orders.nodes.length > 1)).toBe(true)

      const result = await shop.run(SEED_DOCUMENT)
      expectNoErrors(result)
      expect(plain(result.data)).toEqual(expected)
    })
  })

  describe('one SQL statement per root field', () => {
    it('sends exactly one statement for the nested seed document', async () => {
      const { result, count } = await countStatements(db, () => shop.run(SEED_DOCUMENT))
      expectNoErrors(result)
      expect(count).toBe(1)
    })

    it('sends one statement per root field for three root fields', async () => {
      const source = `query Three($id: ID!) {
        users(first: 3) { totalCount nodes { username orders(first: 2) { nodes { items { nodes { product { name tags { nodes { name } } } } } } } } }
        products(first: 2, orderBy: [{ price: DESC }]) { edges { cursor node { name category { name parent { name } } } } }
        node(id: $id) { id ... on User { username profile { firstName } } }
      }`
      const { result, count, statements } = await countStatements(db, () =>
        shop.run(source, { id: gid('User', 1) }),
      )
      expectNoErrors(result)
      expect(count).toBe(3)
      for (const statement of statements) expect(statement.text.match(/^select /i)).not.toBeNull()
    })

    it('sends one statement per root field with the same field aliased twice', async () => {
      const { result, count } = await countStatements(db, () =>
        shop.run('{ a: users(first: 1) { totalCount } b: users(last: 1) { totalCount } }'),
      )
      expectNoErrors(result)
      expect(count).toBe(2)
    })
  })

  describe('single rows, node, fragments, aliases and directives', () => {
    interface Picked {
      id: number
      username: string
      email: string
      first_name: string
      last_name: string
    }
    let picked: Picked
    let pickedOrders: number[]

    beforeAll(async () => {
      const [row] = await shop.rows<Picked>(
        `select u.id, u.username, u.email, p.first_name, p.last_name
         from users u join profiles p on p.user_id = u.id
         where (select count(*) from orders o where o.user_id = u.id) >= 3
         order by u.id limit 1`,
      )
      picked = row!
      pickedOrders = (
        await shop.rows<{ id: number }>(
          'select id from orders where user_id = $1 order by created_at desc, id desc',
          [picked.id],
        )
      ).map((r) => r.id)
    })

    const USER_DOCUMENT = `
      query One($id: ID!, $withProfile: Boolean!, $skipOrders: Boolean!) {
        user(id: $id) {
          __typename
          ...UserBits
          name: username
          again: username
          profile @include(if: $withProfile) { ...ProfileBits }
          a: orders(first: 1) { nodes { pk } }
          b: orders(last: 1) { nodes { pk } }
          orders @skip(if: $skipOrders) { totalCount }
          ... on User { isActive }
          ... on Node { id }
        }
      }
      fragment UserBits on User { pk email }
      fragment ProfileBits on Profile { firstName lastName user { username } }
    `

    it('reads user(id) with named and inline fragments, aliases and __typename', async () => {
      const [active] = await shop.rows<{ is_active: boolean }>('select is_active from users where id = $1', [
        picked.id,
      ])
      const data = await shop.data(USER_DOCUMENT, {
        id: gid('User', picked.id),
        withProfile: true,
        skipOrders: false,
      })
      expect(plain(data)).toEqual({
        user: {
          __typename: 'User',
          pk: picked.id,
          email: picked.email,
          name: picked.username,
          again: picked.username,
          profile: {
            firstName: picked.first_name,
            lastName: picked.last_name,
            user: { username: picked.username },
          },
          a: { nodes: [{ pk: pickedOrders[0] }] },
          b: { nodes: [{ pk: pickedOrders.at(-1) }] },
          orders: { totalCount: pickedOrders.length },
          isActive: active!.is_active,
          id: gid('User', picked.id),
        },
      })
    })

    it('honours @skip and @include driven by variables', async () => {
      const data = await shop.data<{ user: Record<string, unknown> }>(USER_DOCUMENT, {
        id: gid('User', picked.id),
        withProfile: false,
        skipOrders: true,
      })
      expect(Object.keys(data.user)).not.toContain('profile')
      expect(Object.keys(data.user)).not.toContain('orders')
      expect(data.user['a']).toEqual({ nodes: [{ pk: pickedOrders[0] }] })
      const literal = await shop.data<{ user: Record<string, unknown> }>(
        `{ user(id: "${gid('User', picked.id)}") { pk username @skip(if: true) email @include(if: false) profile @include(if: true) { pk @skip(if: false) } } }`,
      )
      expect(Object.keys(literal.user).sort()).toEqual(['pk', 'profile'])
    })

    it('reads node(id) for several types, resolving the concrete type', async () => {
      const [product] = await shop.rows<{ id: number; name: string; price: string; category: string | null }>(
        `select p.id, p.name, p.price, c.name as category from products p join categories c on c.id = p.category_id order by p.id limit 1`,
      )
      const [order] = await shop.rows<{ id: number; total: string; status: string; username: string }>(
        `select o.id, o.total, o.status::text as status, u.username from orders o join users u on u.id = o.user_id order by o.id desc limit 1`,
      )
      const source = `
        query Nodes($user: ID!, $product: ID!, $order: ID!) {
          u: node(id: $user) { __typename id ... on User { username profile { lastName } } ... on Product { name } ...NodeId }
          p: node(id: $product) { __typename ... on Product { name price category { name } } ... on User { username } }
          o: node(id: $order) { __typename ...OrderBits }
        }
        fragment NodeId on Node { id }
        fragment OrderBits on Order { pk total status user { username } }
      `
      const vars = {
        user: gid('User', picked.id),
        product: gid('Product', product!.id),
        order: gid('Order', order!.id),
      }
      const { result, count } = await countStatements(db, () => shop.run(source, vars))
      expectNoErrors(result)
      expect(count).toBe(3)
      expect(plain(result.data)).toEqual({
        u: {
          __typename: 'User',
          id: vars.user,
          username: picked.username,
          profile: { lastName: picked.last_name },
        },
        p: {
          __typename: 'Product',
          name: product!.name,
          price: product!.price,
          category: { name: product!.category },
        },
        o: {
          __typename: 'Order',
          pk: order!.id,
          total: order!.total,
          status: order!.status.toUpperCase(),
          user: { username: order!.username },
        },
      })
    })

    it('returns different pages for the same connection under different aliases and arguments', async () => {
      const { user: data } = await shop.data<{ user: unknown }>(
        `query ($id: ID!, $n: Int!) { user(id: $id) {
          a: orders(first: 1) { nodes { pk } }
          b: orders(last: 1) { nodes { pk } }
          c: orders(first: $n, orderBy: [{ pk: DESC }]) { nodes { pk } pageInfo { hasNextPage hasPreviousPage } }
          orders(first: 2) { nodes { pk } }
        } }`,
        { id: gid('User', picked.id), n: 2 },
      )
      const descending = [...pickedOrders].sort((x, y) => y - x)
      expect(plain(data)).toEqual({
        a: { nodes: [{ pk: pickedOrders[0] }] },
        b: { nodes: [{ pk: pickedOrders.at(-1) }] },
        c: {
          nodes: descending.slice(0, 2).map((pk) => ({ pk })),
          pageInfo: { hasNextPage: true, hasPreviousPage: false },
        },
        orders: { nodes: pickedOrders.slice(0, 2).map((pk) => ({ pk })) },
      })
    })

    it('merges repeated selections of one response key', async () => {
      const data = await shop.data<{ user: Record<string, unknown> }>(
        `query ($id: ID!) { user(id: $id) { profile { firstName } profile { lastName } ...P } }
         fragment P on User { profile { firstName pk } orders { totalCount } orders { nodes { pk } } }`,
        { id: gid('User', picked.id) },
      )
      const [profile] = await shop.rows<{ id: number }>('select id from profiles where user_id = $1', [
        picked.id,
      ])
      expect(plain(data.user)).toEqual({
        profile: { firstName: picked.first_name, lastName: picked.last_name, pk: profile!.id },
        orders: { totalCount: pickedOrders.length, nodes: pickedOrders.map((pk) => ({ pk })) },
      })
    })

    it('follows fragments on connection, edge, PageInfo and Node types', async () => {
      const users = await shop.rows<{ id: number; orders: string }>(
        'select u.id, (select count(*) from orders o where o.user_id = u.id)::text as orders from users u order by u.id limit 2',
      )
      const [{ n }] = (await shop.rows<{ n: string }>('select count(*)::text as n from users')) as [
        { n: string },
      ]
      const result = await shop.run(
        `query ($skip: Boolean!) {
          users(first: 2) {
            ...Count
            pageInfo { ... on PageInfo { hasNextPage } ...Info }
            edges { ... on UserEdge { cursor @skip(if: $skip) node { ... on Node { id } __typename orders { ... on OrderConnection { totalCount } } } } }
          }
        }
        fragment Count on UserConnection { totalCount }
        fragment Info on PageInfo { hasPreviousPage }`,
        { skip: true },
      )
      expectNoErrors(result)
      expect(plain(result.data)).toEqual({
        users: {
          totalCount: Number(n),
          pageInfo: { hasNextPage: true, hasPreviousPage: false },
          edges: users.map((u) => ({
            node: { id: gid('User', u.id), __typename: 'User', orders: { totalCount: Number(u.orders) } },
          })),
        },
      })
    })

    it('returns null for a well-formed id of a missing row', async () => {
      const [{ max }] = (await shop.rows<{ max: number }>('select max(id) as max from users')) as [
        { max: number },
      ]
      const data = await shop.data(`query ($id: ID!) { user(id: $id) { pk } node(id: $id) { id } }`, {
        id: gid('User', max + 1000),
      })
      expect(plain(data)).toEqual({ user: null, node: null })
    })
  })

  describe('relations', () => {
    it('reads many-to-many products { tags } against product_tags', async () => {
      const links = await shop.rows<{ product_id: number; tag_id: number; name: string }>(
        'select pt.product_id, pt.tag_id, t.name from product_tags pt join tags t on t.id = pt.tag_id order by pt.product_id, pt.tag_id',
      )
      const products = await shop.rows<{ id: number }>(
        `select id from products order by id limit ${MAX_PAGE}`,
      )
      const byProduct = groupBy(links, (l) => l.product_id)
      const data = await shop.data<{ products: { nodes: unknown[] } }>(
        `{ products(first: ${MAX_PAGE}) { nodes { pk tags(first: ${MAX_PAGE}) { totalCount nodes { pk name } } } } }`,
      )
      const expected = products.map((p) => {
        const tags = byProduct.get(p.id) ?? []
        return {
          pk: p.id,
          tags: { totalCount: tags.length, nodes: tags.map((t) => ({ pk: t.tag_id, name: t.name })) },
        }
      })
      expect(expected.some((p) => p.tags.totalCount === 0)).toBe(true)
      expect(expected.some((p) => p.tags.totalCount > 1)).toBe(true)
      expect(plain(data.products.nodes)).toEqual(expected)
    })

    it('reads many-to-many tags { products } against product_tags', async () => {
      const links = await shop.rows<{ product_id: number; tag_id: number }>(
        'select product_id, tag_id from product_tags order by tag_id, product_id',
      )
      const tags = await shop.rows<{ id: number; name: string }>('select id, name from tags order by id')
      const byTag = groupBy(links, (l) => l.tag_id)
      const data = await shop.data<{ tags: { nodes: unknown[] } }>(
        `{ tags(first: ${MAX_PAGE}) { nodes { pk name products(first: ${MAX_PAGE}) { totalCount nodes { pk } } } } }`,
      )
      const expected = tags.map((t) => {
        const products = byTag.get(t.id) ?? []
        return {
          pk: t.id,
          name: t.name,
          products: {
            totalCount: products.length,
            nodes: products.slice(0, MAX_PAGE).map((p) => ({ pk: p.product_id })),
          },
        }
      })
      expect(expected.some((t) => t.products.totalCount === 0)).toBe(true)
      expect(plain(data.tags.nodes)).toEqual(expected)
    })

    it('reads one-to-one user.profile (null without a profile) and profile.user', async () => {
      const users = await shop.rows<{ id: number; profile_id: number | null; first_name: string | null }>(
        `select u.id, p.id as profile_id, p.first_name from users u left join profiles p on p.user_id = u.id order by u.id limit ${MAX_PAGE}`,
      )
      const usersData = await shop.data<{ users: { nodes: unknown[] } }>(
        `{ users(first: ${MAX_PAGE}) { nodes { pk profile { pk firstName } } } }`,
      )
      expect(users.some((u) => u.profile_id === null)).toBe(true)
      expect(plain(usersData.users.nodes)).toEqual(
        users.map((u) => ({
          pk: u.id,
          profile: u.profile_id === null ? null : { pk: u.profile_id, firstName: u.first_name },
        })),
      )

      const profiles = await shop.rows<{ id: number; user_id: number; username: string }>(
        `select p.id, p.user_id, u.username from profiles p join users u on u.id = p.user_id order by p.id limit ${MAX_PAGE}`,
      )
      const profilesData = await shop.data<{ profiles: { nodes: unknown[] } }>(
        `{ profiles(first: ${MAX_PAGE}) { nodes { pk user { pk username profile { pk } } } } }`,
      )
      expect(plain(profilesData.profiles.nodes)).toEqual(
        profiles.map((p) => ({
          pk: p.id,
          user: { pk: p.user_id, username: p.username, profile: { pk: p.id } },
        })),
      )
    })

    it('reads category.parent and category.children', async () => {
      const categories = await shop.rows<{ id: number; name: string; parent_id: number | null }>(
        'select id, name, parent_id from categories order by id',
      )
      const byId = new Map(categories.map((c) => [c.id, c]))
      const data = await shop.data<{ categories: { nodes: unknown[] } }>(
        `{ categories(first: ${MAX_PAGE}) { nodes { pk name parent { pk name } children(first: ${MAX_PAGE}) { totalCount nodes { pk name } } } } }`,
      )
      const expected = categories.map((c) => {
        const parent = c.parent_id === null ? null : byId.get(c.parent_id)!
        const children = categories.filter((child) => child.parent_id === c.id)
        return {
          pk: c.id,
          name: c.name,
          parent: parent ? { pk: parent.id, name: parent.name } : null,
          children: {
            totalCount: children.length,
            nodes: children.map((child) => ({ pk: child.id, name: child.name })),
          },
        }
      })
      expect(expected.some((c) => c.parent !== null && c.children.totalCount > 0)).toBe(true)
      expect(plain(data.categories.nodes)).toEqual(expected)
    })

    it('reads to-many and to-one relations of order items from both sides', async () => {
      const [order] = await shop.rows<{ id: number }>(
        'select order_id as id from order_items group by order_id having count(*) > 2 order by order_id limit 1',
      )
      const items = await shop.rows<{
        id: number
        quantity: number
        unit_price: string
        product_id: number
        name: string
      }>(
        `select i.id, i.quantity, i.unit_price, i.product_id, p.name from order_items i join products p on p.id = i.product_id
         where i.order_id = $1 order by i.id`,
        [order!.id],
      )
      const data = await shop.data<{ order: unknown }>(
        `query ($id: ID!) { order(id: $id) { pk items { totalCount nodes { pk quantity unitPrice order { pk } product { pk name } } } } }`,
        { id: gid('Order', order!.id) },
      )
      expect(plain(data.order)).toEqual({
        pk: order!.id,
        items: {
          totalCount: items.length,
          nodes: items.map((i) => ({
            pk: i.id,
            quantity: i.quantity,
            unitPrice: i.unit_price,
            order: { pk: order!.id },
            product: { pk: i.product_id, name: i.name },
          })),
        },
      })
    })
  })

  describe('scalars', () => {
    it('renders Decimal and BigInt as exact strings, also above 2^53', async () => {
      const heavy = await shop.rows<{ id: number; weight: string; price: string }>(
        'select id, weight_grams::text as weight, price::text as price from products where weight_grams > 9007199254740991 order by id',
      )
      expect(heavy.length).toBeGreaterThan(0)
      // 2^53 + 1 is the first integer a double cannot hold: it proves the value never was a number.
      expect(heavy.map((h) => h.weight)).toContain('9007199254740993')
      for (const row of heavy) {
        const data = await shop.data<{ product: { weightGrams: string; price: string } }>(
          `query ($id: ID!) { product(id: $id) { weightGrams price } }`,
          { id: gid('Product', row.id) },
        )
        expect(data.product).toEqual({ weightGrams: row.weight, price: row.price })
        expect(typeof data.product.weightGrams).toBe('string')
      }
      const all = await shop.rows<{ id: number; weight: string | null; price: string }>(
        `select p.id, p.weight_grams::text as weight, p.price::text as price from products p order by p.id limit ${MAX_PAGE}`,
      )
      const data = await shop.data<{ products: { nodes: unknown[] } }>(
        `{ products(first: ${MAX_PAGE}) { nodes { pk weightGrams price } } }`,
      )
      expect(plain(data.products.nodes)).toEqual(
        all.map((p) => ({ pk: p.id, weightGrams: p.weight, price: p.price })),
      )
      expect(all.some((p) => p.weight === null)).toBe(true)
    })

    it('renders DateTime as ISO-8601 UTC with milliseconds and Z, and null as null', async () => {
      const users = await shop.rows<{ id: number; created_at: Date; last_login: Date | null }>(
        `select id, created_at, last_login from users order by id limit ${MAX_PAGE}`,
      )
      const data = await shop.data<{
        users: { nodes: Array<{ pk: number; createdAt: string; lastLogin: string | null }> }
      }>(`{ users(first: ${MAX_PAGE}) { nodes { pk createdAt lastLogin } } }`)
      for (const user of data.users.nodes)
        expect(user.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      expect(plain(data.users.nodes)).toEqual(
        users.map((u) => ({
          pk: u.id,
          createdAt: new Date(u.created_at).toISOString(),
          lastLogin: u.last_login === null ? null : new Date(u.last_login).toISOString(),
        })),
      )
      expect(users.some((u) => u.last_login === null)).toBe(true)
    })

    it('renders Date as YYYY-MM-DD', async () => {
      const profiles = await shop.rows<{ id: number; birth_date: string | null }>(
        `select id, birth_date::text as birth_date from profiles order by id limit ${MAX_PAGE}`,
      )
      const data = await shop.data<{ profiles: { nodes: Array<{ pk: number; birthDate: string | null }> } }>(
        `{ profiles(first: ${MAX_PAGE}) { nodes { pk birthDate } } }`,
      )
      expect(plain(data.profiles.nodes)).toEqual(profiles.map((p) => ({ pk: p.id, birthDate: p.birth_date })))
      expect(profiles.some((p) => p.birth_date === null)).toBe(true)
      for (const p of data.profiles.nodes)
        if (p.birthDate !== null) expect(p.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    })

    it('renders enum values as their GraphQL names', async () => {
      const orders = await shop.rows<{ id: number; status: string }>(
        `select id, status::text as status from orders order by id limit ${MAX_PAGE}`,
      )
      const data = await shop.data<{ orders: { nodes: Array<{ pk: number; status: string }> } }>(
        `{ orders(first: ${MAX_PAGE}, orderBy: [{ pk: ASC }]) { nodes { pk status } } }`,
      )
      expect(plain(data.orders.nodes)).toEqual(
        orders.map((o) => ({ pk: o.id, status: o.status.toUpperCase() })),
      )
      expect(new Set(data.orders.nodes.map((o) => o.status))).toEqual(
        new Set(['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED']),
      )
    })

    it('renders JSON equal to the jsonb value, and UUID, Boolean, Int as is', async () => {
      const products = await shop.rows<{ id: number; attributes: unknown; sku: string; stock: number }>(
        `select id, attributes, sku::text as sku, stock from products order by id limit ${MAX_PAGE}`,
      )
      const data = await shop.data<{ products: { nodes: unknown[] } }>(
        `{ products(first: ${MAX_PAGE}) { nodes { pk attributes sku stock } } }`,
      )
      expect(plain(data.products.nodes)).toEqual(
        products.map((p) => ({ pk: p.id, attributes: p.attributes, sku: p.sku, stock: p.stock })),
      )
      expect(products.some((p) => p.attributes === null)).toBe(true)
      expect(
        products.some(
          (p) => typeof p.attributes === 'object' && p.attributes !== null && 'dimensions' in p.attributes,
        ),
      ).toBe(true)
      const users = await shop.rows<{ id: number; is_active: boolean; is_staff: boolean }>(
        `select id, is_active, is_staff from users order by id limit ${MAX_PAGE}`,
      )
      const usersData = await shop.data<{ users: { nodes: unknown[] } }>(
        `{ users(first: ${MAX_PAGE}) { nodes { pk isActive isStaff } } }`,
      )
      expect(plain(usersData.users.nodes)).toEqual(
        users.map((u) => ({ pk: u.id, isActive: u.is_active, isStaff: u.is_staff })),
      )
    })

    it('renders global ids as base64 of Type:pk', async () => {
      const data = await shop.data<{ tags: { nodes: Array<{ id: string; pk: number }> } }>(
        '{ tags(first: 5) { nodes { id pk } } }',
      )
      expect(data.tags.nodes.length).toBe(5)
      for (const tag of data.tags.nodes) expect(tag.id).toBe(gid('Tag', tag.pk))
    })
  })

  describe('connections without aggregated fields', () => {
    // Regression: a page of several rows with nothing aggregated over it returned one row per page
    // row ("more than one row returned by a subquery"), and an empty page returned no row at all.
    it('answers a connection that selects only totalCount or __typename, whatever the page size', async () => {
      const counts = await shop.rows<{ id: number; n: string }>(
        `select u.id, (select count(*) from orders o where o.user_id = u.id)::text as n from users u order by u.id limit 30`,
      )
      const [total] = await shop.rows<{ n: string }>('select count(*)::text as n from users')
      const data = await shop.data<{
        a: unknown
        b: unknown
        c: unknown
        users: { nodes: Array<{ pk: number; orders: { totalCount: number; __typename: string } }> }
      }>(`{
        a: users(first: 5) { totalCount }
        b: users(last: 0) { __typename totalCount }
        c: users { totalCount }
        users(first: 30) { nodes { pk orders { totalCount __typename } } }
      }`)
      expect(plain(data.a)).toEqual({ totalCount: Number(total!.n) })
      expect(plain(data.b)).toEqual({ __typename: 'UserConnection', totalCount: Number(total!.n) })
      expect(plain(data.c)).toEqual({ totalCount: Number(total!.n) })
      expect(counts.some((c) => c.n === '0')).toBe(true)
      expect(plain(data.users.nodes)).toEqual(
        counts.map((c) => ({ pk: c.id, orders: { totalCount: Number(c.n), __typename: 'OrderConnection' } })),
      )
    })
  })

  describe('plain graphql-js', () => {
    it('runs with graphql({ schema, source }) and execute() and no context at all', async () => {
      const [first] = await shop.rows<{ username: string }>('select username from users order by id limit 1')
      const viaGraphql = await graphql({
        schema: shop.schema,
        source: '{ users(first: 1) { nodes { username } } }',
      })
      expectNoErrors(viaGraphql)
      expect(plain(viaGraphql.data)).toEqual({ users: { nodes: [{ username: first!.username }] } })
      const viaExecute = await execute({
        schema: shop.schema,
        document: parse('{ users(first: 1) { nodes { username } } }'),
      })
      expect(plain(viaExecute)).toEqual(plain(viaGraphql))
      const withEmptyContext = await graphql({
        schema: shop.schema,
        source: '{ users(first: 1) { nodes { username } } }',
        contextValue: {},
      })
      expect(plain(withEmptyContext)).toEqual(plain(viaGraphql))
    })

    it('answers introspection next to compiled fields', async () => {
      const result = await graphql({
        schema: shop.schema,
        source:
          '{ __typename users(first: 1) { __typename nodes { __typename } pageInfo { __typename } edges { __typename } } }',
      })
      expectNoErrors(result)
      expect(plain(result.data)).toEqual({
        __typename: 'Query',
        users: {
          __typename: 'UserConnection',
          nodes: [{ __typename: 'User' }],
          pageInfo: { __typename: 'PageInfo' },
          edges: [{ __typename: 'UserEdge' }],
        },
      })
    })
  })

  describe('legacy pagination (deprecated)', () => {
    let legacy: ShopFixture

    beforeAll(() => {
      const config = shopConfigWith({ pagination: 'legacy' })
      legacy = fixtureFor(db, buildShopSchema(db, config), shop.summary, config)
    })

    it('emits one GraphQLDeprecationWarning GAG_LEGACY_PAGINATION per process', async () => {
      await new Promise((resolve) => setImmediate(resolve))
      const legacyWarnings = deprecationWarnings.filter((w) => w.code === 'GAG_LEGACY_PAGINATION')
      expect(legacyWarnings).toHaveLength(1)
      expect(legacyWarnings[0]!.name).toBe('GraphQLDeprecationWarning')
      expect(legacyWarnings[0]!.message).toMatch(/legacy/)
    })

    it('types users(orderBy, limit, offset) as [User!]!', () => {
      const field = legacy.schema.getQueryType()!.getFields()['users']!
      expect(String(field.type)).toBe('[User!]!')
      expect(field.args.map((a) => a.name).sort()).toEqual(['filter', 'limit', 'offset', 'orderBy'])
      const orders = legacy.schema.getType('User')!
      expect(
        String(
          (orders as unknown as { getFields(): Record<string, { type: unknown }> }).getFields()['orders']!
            .type,
        ),
      ).toBe('[Order!]!')
    })

    it('returns the right slice with nested lists', async () => {
      const users = await legacy.rows<{ id: number; username: string }>(
        'select id, username from users order by username desc, id desc limit 5 offset 3',
      )
      const orders = await legacy.rows<{ id: number; user_id: number; total: string }>(
        'select id, user_id, total from orders where user_id = any($1) order by total desc, id desc',
        [users.map((u) => u.id)],
      )
      const items = await legacy.rows<{ id: number; order_id: number }>(
        'select id, order_id from order_items order by id',
      )
      const ordersByUser = groupBy(orders, (o) => o.user_id)
      const itemsByOrder = groupBy(items, (i) => i.order_id)
      const { result, count } = await countStatements(db, () =>
        legacy.run(`{ users(orderBy: [{ username: DESC }], limit: 5, offset: 3) {
          pk username orders(orderBy: [{ total: DESC }], limit: 2) { pk total items { pk } }
        } }`),
      )
      expectNoErrors(result)
      expect(count).toBe(1)
      expect(plain(result.data)).toEqual({
        users: users.map((u) => ({
          pk: u.id,
          username: u.username,
          orders: (ordersByUser.get(u.id) ?? []).slice(0, 2).map((o) => ({
            pk: o.id,
            total: o.total,
            items: (itemsByOrder.get(o.id) ?? []).map((i) => ({ pk: i.id })),
          })),
        })),
      })
    })

    it('uses the default ordering and caps limit at maxPageSize', async () => {
      const orders = await legacy.rows<{ id: number }>(
        `select id from orders order by created_at desc, id desc limit ${MAX_PAGE} offset 10`,
      )
      const data = await legacy.data<{ orders: Array<{ pk: number }> }>(
        `{ orders(limit: ${MAX_PAGE * 10}, offset: 10) { pk } }`,
      )
      expect(data.orders.map((o) => o.pk)).toEqual(orders.map((o) => o.id))
      expect(data.orders).toHaveLength(MAX_PAGE)
    })

    it('refuses a negative limit or offset as BAD_USER_INPUT', async () => {
      for (const args of ['limit: -1', 'offset: -1']) {
        const result = await legacy.run(`{ users(${args}) { pk } }`)
        expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT')
      }
    })

    it('still serves user(id) and node(id)', async () => {
      const data = await legacy.data(
        `query ($id: ID!) { user(id: $id) { pk orders(limit: 1) { pk } } node(id: $id) { id } }`,
        {
          id: gid('User', 2),
        },
      )
      const orders = await legacy.rows<{ id: number }>(
        'select id from orders where user_id = 2 order by created_at desc, id desc limit 1',
      )
      expect(plain(data)).toEqual({
        user: { pk: 2, orders: orders.map((o) => ({ pk: o.id })) },
        node: { id: gid('User', 2) },
      })
    })
  })
})
