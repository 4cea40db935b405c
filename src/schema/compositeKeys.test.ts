// Composite primary keys end to end, on every test database: ids name exactly one row, every
// mutation and bulk mutation touches exactly the rows it names (the other rows compared byte for
// byte before and after), lookups, keyset paging both ways, relations through a two-column
// foreign key, and refused ids. Expected values come from hand-written SQL over the same tables.
import { randomBytes } from 'node:crypto'
import { graphql, isInputObjectType, isObjectType, parse, subscribe } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { PermissionClass } from '../auth/index.js'
import { ErrorCodes } from '../errors.js'
import { compositeKeysConfig, orderDetails, withCompositeKeys } from '../testing/compositeKeysFixture.js'
import { chooseRoute } from './chooseRoute.js'
import { compiledRead } from './compiledRead.js'
import { SchemaBuilder } from './SchemaBuilder.js'
import { getSchemaRuntime } from './SchemaRuntime.js'
import type { CompositeKeysFixture } from '../testing/compositeKeysFixture.js'

/** A global id as the docs spell it: base64 of `Type:` + the key (JSON array of texts when composite). */
const gid = (type: string, key: number | string | ReadonlyArray<string | number>): string =>
  Buffer.from(
    `${type}:${Array.isArray(key) ? JSON.stringify(key.map(String)) : String(key as number | string)}`,
    'utf8',
  ).toString('base64')

/** The id of an order detail row. */
const detailId = (orderId: number, productId: number): string => gid('OrderDetail', [orderId, productId])

const TABLES = ['orders', 'products', 'order_details', 'shipment_lines', 'labels'] as const

type Dump = Record<(typeof TABLES)[number], string[]>

interface FieldError {
  field: string | null
  code: string
  message: string
}
interface Payload {
  success: boolean
  errors: FieldError[]
  count?: number
  ids?: string[]
  deletedId?: string | null
  [key: string]: unknown
}

interface Connection {
  nodes: Array<{ id: string }>
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string }
}

interface DetailRow {
  order_id: number
  product_id: number
  quantity: number
  note: string | null
}

describe.each(testDatabases())('composite primary keys on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let fx: CompositeKeysFixture

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    fx = await withCompositeKeys(db)
  })

  afterAll(async () => {
    await dispose()
  })

  beforeEach(async () => {
    await fx.reset()
  })

  async function dumpAll(): Promise<Dump> {
    const entries = await Promise.all(TABLES.map(async (table) => [table, await fx.dump(table)] as const))
    return Object.fromEntries(entries) as Dump
  }

  /**
   * Asserts that between two dumps only `table` changed, and there exactly: rows `removed` are
   * gone, `added` are new, every other row is byte-identical. Returns the added rows.
   */
  function expectChanged(
    before: Dump,
    after: Dump,
    table: (typeof TABLES)[number],
    change: { removed: number; added: number },
  ): Array<Record<string, unknown>> {
    for (const other of TABLES) if (other !== table) expect(after[other]).toEqual(before[other])
    const kept = before[table].filter((row) => after[table].includes(row))
    expect(before[table].length - kept.length).toBe(change.removed)
    const added = after[table].filter((row) => !before[table].includes(row))
    expect(added).toHaveLength(change.added)
    return added.map((row) => JSON.parse(row) as Record<string, unknown>)
  }

  async function mutate(source: string, variables?: Record<string, unknown>): Promise<Payload> {
    const data = await fx.data<Record<string, Payload>>(source, variables)
    return Object.values(data)[0]!
  }

  async function details(where = 'true'): Promise<DetailRow[]> {
    return fx.rows<DetailRow>(
      `select order_id, product_id, quantity, note from order_details where ${where} order by order_id, product_id`,
    )
  }

  describe('ids', () => {
    it('give every row its own id, made of every key column, as the docs spell it', async () => {
      const data = await fx.data<{
        orderDetails: { nodes: Array<{ id: string; pk: { orderId: number; productId: number } }> }
      }>(`{ orderDetails(first: 100) { nodes { id pk { orderId productId } } } }`)
      const expected = (await details()).map((r) => ({
        id: detailId(r.order_id, r.product_id),
        pk: { orderId: r.order_id, productId: r.product_id },
      }))
      expect(data.orderDetails.nodes).toEqual(expected)
      // The rows that shared an id before: four details of order 1.
      expect(new Set(data.orderDetails.nodes.map((n) => n.id)).size).toBe(7)
    })

    it('round-trip key values full of separators, quotes and line breaks', async () => {
      const data = await fx.data<{
        labels: { nodes: Array<{ id: string; pk: { scope: string; name: string; kind: string } }> }
      }>(`{ labels(first: 100) { nodes { id pk { scope name kind } } } }`)
      const rows = await fx.rows<{ scope: string; name: string; kind: string }>(
        `select scope, name, kind::text as kind from labels`,
      )
      const ids = new Set(data.labels.nodes.map((n) => n.id))
      expect(ids.size).toBe(rows.length)
      for (const row of rows) expect(ids.has(gid('Label', [row.scope, row.name, row.kind]))).toBe(true)
      for (const node of data.labels.nodes) {
        const found = await fx.data<{ label: { pk: { scope: string; name: string } } }>(
          `query ($id: ID!) { label(id: $id) { pk { scope name } } }`,
          { id: node.id },
        )
        expect(found.label.pk).toEqual({ scope: node.pk.scope, name: node.pk.name })
      }
    })

    it('pk is an object of every shown key column, named by naming; one-column keys keep the scalar', () => {
      const fieldsOf = (name: string): Record<string, string> => {
        const type = fx.schema.getType(name)
        if (!isObjectType(type)) throw new Error(`${name} is not an object type`)
        return Object.fromEntries(Object.values(type.getFields()).map((f) => [f.name, String(f.type)]))
      }
      expect(fieldsOf('OrderDetailPk')).toEqual({ orderId: 'Int!', productId: 'Int!' })
      expect(fieldsOf('LabelPk')).toEqual({ scope: 'String!', name: 'String!', kind: 'LabelKind!' })
      expect(fieldsOf('OrderDetail')['pk']).toBe('OrderDetailPk!')
      expect(fieldsOf('Order')['pk']).toBe('Int!')
      // Not a filter or orderBy entry: `id` and the columns filter instead.
      for (const input of ['OrderDetailFilter', 'OrderDetailOrderBy']) {
        const type = fx.schema.getType(input)
        expect(isInputObjectType(type) && Object.keys(type.getFields())).not.toContain('pk')
      }
    })

    it('stay byte-identical for one-column keys, whose pk stays the scalar', async () => {
      const data = await fx.data<{ orders: { nodes: Array<{ id: string; pk: number }> } }>(
        `{ orders(first: 10) { nodes { id pk } } }`,
      )
      expect(data.orders.nodes).toEqual([
        { id: Buffer.from('Order:1').toString('base64'), pk: 1 },
        { id: Buffer.from('Order:2').toString('base64'), pk: 2 },
        { id: Buffer.from('Order:3').toString('base64'), pk: 3 },
      ])
    })
  })

  describe('lookups', () => {
    it('node(id) and orderDetail(id) read exactly the row named', async () => {
      for (const row of await details()) {
        const id = detailId(row.order_id, row.product_id)
        const data = await fx.data<{
          node: { id: string; quantity: number; note: string | null } | null
          orderDetail: { id: string; quantity: number; note: string | null } | null
        }>(
          `query ($id: ID!) {
            node(id: $id) { ... on OrderDetail { id quantity note } }
            orderDetail(id: $id) { id quantity note }
          }`,
          { id },
        )
        const expected = { id, quantity: row.quantity, note: row.note }
        expect(data).toEqual({ node: expected, orderDetail: expected })
      }
    })

    it('an id of no row reads null', async () => {
      const data = await fx.data<{ orderDetail: unknown; node: unknown }>(
        `query ($id: ID!) { orderDetail(id: $id) { id } node(id: $id) { id } }`,
        { id: detailId(1, 4) },
      )
      expect(data).toEqual({ orderDetail: null, node: null })
    })

    it('filters by id and by a list of ids match exactly those rows, never the cross product', async () => {
      const data = await fx.data<{
        one: { nodes: Array<{ id: string }> }
        two: { nodes: Array<{ id: string }> }
      }>(
        `query ($one: ID!, $two: [ID!]) {
          one: orderDetails(filter: {id: {exact: $one}}) { nodes { id } }
          two: orderDetails(filter: {id: {in: $two}}) { nodes { id } }
        }`,
        { one: detailId(1, 23), two: [detailId(1, 1), detailId(2, 23), gid('Order', 1)] },
      )
      expect(data.one.nodes).toEqual([{ id: detailId(1, 23) }])
      // (1,23) and (2,1) share a column with the pairs asked for, and must not match.
      expect(data.two.nodes).toEqual([{ id: detailId(1, 1) }, { id: detailId(2, 23) }])
    })
  })

  describe('refused ids', () => {
    const malformed: Array<[string, string]> = [
      ['one value for two columns', gid('OrderDetail', 1)],
      ['a one-element array', Buffer.from('OrderDetail:["1"]').toString('base64')],
      ['three values for two columns', gid('OrderDetail', [1, 2, 3])],
      ['numbers instead of texts', Buffer.from('OrderDetail:[1,2]').toString('base64')],
      ['a spelling the API never makes', Buffer.from('OrderDetail:["1", "2"]').toString('base64')],
      ['a value the column cannot hold', gid('OrderDetail', ['x', '1'])],
      ['an integer out of range', gid('OrderDetail', ['1', '99999999999'])],
      ['not JSON', Buffer.from('OrderDetail:[1').toString('base64')],
    ]

    it.each(malformed)('%s: lookups fail with BAD_USER_INPUT', async (_, id) => {
      for (const field of ['orderDetail', 'node']) {
        const result = await fx.run(`query ($id: ID!) { ${field}(id: $id) { id } }`, { id })
        expect(result.errors?.[0]?.extensions?.['code']).toBe(ErrorCodes.BAD_USER_INPUT)
        expect(result.data?.[field]).toBeNull()
      }
    })

    it.each(malformed)('%s: update and delete fail with INVALID_ID and change nothing', async (_, id) => {
      const before = await dumpAll()
      const updated = await mutate(
        `mutation ($id: ID!) { updateOrderDetail(id: $id, input: {quantity: 99}) { success errors { field code } } }`,
        { id },
      )
      const deleted = await mutate(
        `mutation ($id: ID!) { deleteOrderDetail(id: $id) { success errors { field code } } }`,
        { id },
      )
      for (const payload of [updated, deleted])
        expect(payload).toEqual({ success: false, errors: [{ field: 'id', code: ErrorCodes.INVALID_ID }] })
      expect(await dumpAll()).toEqual(before)
    })

    it('an enum key value outside the enum is refused', async () => {
      const result = await fx.run(`query ($id: ID!) { label(id: $id) { id } }`, {
        id: gid('Label', ['a', 'a', 'nope']),
      })
      expect(result.errors?.[0]?.extensions?.['code']).toBe(ErrorCodes.BAD_USER_INPUT)
    })
  })

  describe('mutations by id', () => {
    it('updateOrderDetail changes that one row and nothing else', async () => {
      const before = await dumpAll()
      const payload = await mutate(
        `mutation ($id: ID!) {
          updateOrderDetail(id: $id, input: {quantity: 99, note: "changed"}) {
            success errors { code } orderDetail { id quantity note pk { orderId productId } }
          }
        }`,
        { id: detailId(1, 23) },
      )
      expect(payload).toEqual({
        success: true,
        errors: [],
        orderDetail: {
          id: detailId(1, 23),
          quantity: 99,
          note: 'changed',
          pk: { orderId: 1, productId: 23 },
        },
      })
      const [added] = expectChanged(before, await dumpAll(), 'order_details', { removed: 1, added: 1 })
      expect(added).toMatchObject({ order_id: 1, product_id: 23, quantity: 99, note: 'changed' })
    })

    it('deleteOrderDetail deletes that one row and nothing else', async () => {
      const before = await dumpAll()
      const payload = await mutate(
        `mutation ($id: ID!) { deleteOrderDetail(id: $id) { success errors { code } deletedId } }`,
        { id: detailId(1, 2) },
      )
      expect(payload).toEqual({ success: true, errors: [], deletedId: detailId(1, 2) })
      expectChanged(before, await dumpAll(), 'order_details', { removed: 1, added: 0 })
      expect(await details('order_id = 1 and product_id = 2')).toEqual([])
    })

    it('a row still referenced through the composite foreign key is PROTECTED, and nothing changes', async () => {
      const before = await dumpAll()
      const payload = await mutate(
        `mutation ($id: ID!) { deleteOrderDetail(id: $id) { success errors { code } } }`,
        { id: detailId(1, 1) },
      )
      expect(payload).toEqual({ success: false, errors: [{ code: ErrorCodes.PROTECTED }] })
      expect(await dumpAll()).toEqual(before)
    })

    it('an id of no row is NOT_FOUND, and nothing changes', async () => {
      const before = await dumpAll()
      const payload = await mutate(
        `mutation ($id: ID!) { updateOrderDetail(id: $id, input: {quantity: 1}) { success errors { code } } }`,
        { id: detailId(3, 1) },
      )
      expect(payload).toEqual({ success: false, errors: [{ code: ErrorCodes.NOT_FOUND }] })
      expect(await dumpAll()).toEqual(before)
    })

    it('soft delete and restore of a label with an awkward three-column key touch that row only', async () => {
      const [target] = await fx.rows<{ scope: string; name: string; kind: string }>(
        `select scope, name, kind::text as kind from labels where scope = 'a","b' order by name, kind limit 1`,
      )
      const id = gid('Label', [target!.scope, target!.name, target!.kind])
      const before = await dumpAll()
      const deleted = await mutate(
        `mutation ($id: ID!) { deleteLabel(id: $id) { success errors { code } deletedId } }`,
        { id },
      )
      expect(deleted).toEqual({ success: true, errors: [], deletedId: id })
      const [softDeleted] = expectChanged(before, await dumpAll(), 'labels', { removed: 1, added: 1 })
      expect(softDeleted).toMatchObject({ scope: target!.scope, name: target!.name, kind: target!.kind })
      expect(softDeleted!['deleted_at']).not.toBeNull()
      const gone = await fx.data<{ label: unknown }>(`query ($id: ID!) { label(id: $id) { id } }`, { id })
      expect(gone.label).toBeNull()

      const restored = await mutate(
        `mutation ($id: ID!) { restoreLabel(id: $id) { success errors { code } label { id pk { scope name } } } }`,
        { id },
      )
      expect(restored).toEqual({
        success: true,
        errors: [],
        label: { id, pk: { scope: target!.scope, name: target!.name } },
      })
      expect(await dumpAll()).toEqual(before)
    })
  })

  describe('bulk mutations', () => {
    it('bulkUpdate by a list of ids changes exactly those rows', async () => {
      const before = await dumpAll()
      const payload = await mutate(
        `mutation ($ids: [ID!]) {
          bulkUpdateOrderDetails(filter: {id: {in: $ids}}, input: {note: "bulk"}) { success errors { code } count ids }
        }`,
        { ids: [detailId(1, 1), detailId(2, 23)] },
      )
      expect(payload).toEqual({
        success: true,
        errors: [],
        count: 2,
        ids: [detailId(1, 1), detailId(2, 23)],
      })
      const added = expectChanged(before, await dumpAll(), 'order_details', { removed: 2, added: 2 })
      expect(added.map((r) => [r['order_id'], r['product_id'], r['note']]).sort()).toEqual([
        [1, 1, 'bulk'],
        [2, 23, 'bulk'],
      ])
    })

    it('bulkDelete by a filter matching one row reports one and deletes one', async () => {
      const before = await dumpAll()
      const payload = await mutate(
        `mutation { bulkDeleteOrderDetails(filter: {quantity: {exact: 13}}) { success errors { code } count ids } }`,
      )
      expect(payload).toEqual({ success: true, errors: [], count: 1, ids: [detailId(1, 3)] })
      expectChanged(before, await dumpAll(), 'order_details', { removed: 1, added: 0 })
    })

    it('bulkUpdate and bulkDelete by a relation filter count what SQL counts', async () => {
      const matching = await details(`order_id = 1 and quantity >= 11`)
      const before = await dumpAll()
      const updated = await mutate(
        `mutation { bulkUpdateOrderDetails(filter: {order: {pk: {exact: 1}}, quantity: {gte: 11}}, input: {quantity: 7}) { success count ids } }`,
      )
      expect(updated).toEqual({
        success: true,
        count: matching.length,
        ids: matching.map((r) => detailId(r.order_id, r.product_id)),
      })
      expectChanged(before, await dumpAll(), 'order_details', {
        removed: matching.length,
        added: matching.length,
      })
      expect(await details(`quantity = 7`)).toHaveLength(matching.length)

      const unreferenced = await details(
        `not exists (select 1 from shipment_lines s where s.order_id = order_details.order_id and s.product_id = order_details.product_id)`,
      )
      const beforeDelete = await dumpAll()
      const deleted = await mutate(
        `mutation { bulkDeleteOrderDetails(filter: {shipmentLines: {none: {}}}) { success count ids } }`,
      )
      expect(deleted).toEqual({
        success: true,
        count: unreferenced.length,
        ids: unreferenced.map((r) => detailId(r.order_id, r.product_id)),
      })
      expectChanged(beforeDelete, await dumpAll(), 'order_details', {
        removed: unreferenced.length,
        added: 0,
      })
    })

    it('bulk soft delete of labels by filter touches the matching rows only', async () => {
      const [{ n }] = (await fx.rows<{ n: number }>(
        `select count(*)::int as n from labels where scope = 'x\\y' and kind = 'tag'`,
      )) as [{ n: number }]
      expect(n).toBeGreaterThan(0)
      const before = await dumpAll()
      const payload = await mutate(
        `mutation ($scope: String!) { bulkDeleteLabels(filter: {scope: {exact: $scope}, kind: {exact: TAG}}) { success count } }`,
        { scope: 'x\\y' },
      )
      expect(payload).toEqual({ success: true, count: n })
      expectChanged(before, await dumpAll(), 'labels', { removed: n, added: n })
    })
  })

  describe('creates', () => {
    it('read back the created row by its whole key', async () => {
      const before = await dumpAll()
      const payload = await mutate(
        `mutation ($order: ID!, $product: ID!) {
          createOrderDetail(input: {orderId: $order, productId: $product, quantity: 4}) {
            success errors { code } orderDetail { id pk { orderId productId } quantity order { id } }
          }
        }`,
        { order: gid('Order', 1), product: gid('Product', 4) },
      )
      expect(payload).toEqual({
        success: true,
        errors: [],
        orderDetail: {
          id: detailId(1, 4),
          pk: { orderId: 1, productId: 4 },
          quantity: 4,
          order: { id: gid('Order', 1) },
        },
      })
      expectChanged(before, await dumpAll(), 'order_details', { removed: 0, added: 1 })
    })

    it('aliased creates after a failing one keep their committed data in the response', async () => {
      const result = await fx.run(
        `mutation ($o1: ID!, $o3: ID!, $p1: ID!, $p9: ID!) {
          a: createOrderDetail(input: {orderId: $o3, productId: $p9, quantity: 1}) { success orderDetail { id quantity } }
          b: createOrderDetail(input: {orderId: $o1, productId: $p1, quantity: 2}) { success errors { code } orderDetail { id } }
          c: createOrderDetail(input: {orderId: $o1, productId: $p9, quantity: 3}) { success orderDetail { id quantity } }
        }`,
        { o1: gid('Order', 1), o3: gid('Order', 3), p1: gid('Product', 1), p9: gid('Product', 9) },
      )
      expect(result.errors).toBeUndefined()
      expect(JSON.parse(JSON.stringify(result.data))).toEqual({
        a: { success: true, orderDetail: { id: detailId(3, 9), quantity: 1 } },
        // (1,1) exists: a payload error, and the neighbours are untouched by it.
        b: { success: false, errors: [{ code: ErrorCodes.UNIQUE }], orderDetail: null },
        c: { success: true, orderDetail: { id: detailId(1, 9), quantity: 3 } },
      })
      expect(await details(`(order_id, product_id) in ((3, 9), (1, 9))`)).toHaveLength(2)
    })

    it('bulkCreate returns every new id in input order', async () => {
      const payload = await mutate(
        `mutation ($inputs: [CreateOrderDetailInput!]!) { bulkCreateOrderDetails(inputs: $inputs) { success count ids } }`,
        {
          inputs: [
            { orderId: gid('Order', 2), productId: gid('Product', 7), quantity: 1 },
            { orderId: gid('Order', 2), productId: gid('Product', 2), quantity: 1 },
          ],
        },
      )
      expect(payload).toEqual({ success: true, count: 2, ids: [detailId(2, 7), detailId(2, 2)] })
    })

    it('a label with an awkward key reads back through its id', async () => {
      const scope = 'new ","\\ [x]'
      const payload = await mutate(
        `mutation ($scope: String!) { createLabel(input: {scope: $scope, name: "n:1", kind: FLAG, value: 5}) { success label { id pk { scope name kind } } } }`,
        { scope },
      )
      expect(payload).toEqual({
        success: true,
        label: { id: gid('Label', [scope, 'n:1', 'flag']), pk: { scope, name: 'n:1', kind: 'FLAG' } },
      })
    })
  })

  describe('keyset paging', () => {
    const orderings: Array<[string, string, string]> = [
      ['the key', '', 'order_id, product_id'],
      // The key breaks ties in the last order key's direction (one index serves the whole order).
      ['quantity DESC', '{quantity: DESC}', 'quantity desc, order_id desc, product_id desc'],
      ['note (nullable)', '{note: ASC}', 'note asc nulls last, order_id, product_id'],
      [
        'the order note',
        '{order: {note: DESC}}',
        '(select note from orders o where o.id = d.order_id) desc nulls first, order_id desc, product_id desc',
      ],
      ['unit price, shared values', '{unitPrice: ASC}', 'unit_price, order_id, product_id'],
    ]

    it.each(orderings)(
      'by %s: forward and backward walks see every row once, in SQL order',
      async (_, orderBy, sql) => {
        const expected = (
          await fx.rows<{ order_id: number; product_id: number }>(
            `select order_id, product_id from order_details as d order by ${sql}`,
          )
        ).map((r) => detailId(r.order_id, r.product_id))
        const walk = async (direction: 'forward' | 'backward'): Promise<string[]> => {
          const seen: string[] = []
          let cursor: string | null = null
          for (let page = 0; page < 20; page++) {
            const args: string =
              direction === 'forward'
                ? `first: 2${cursor ? `, after: ${JSON.stringify(cursor)}` : ''}`
                : `last: 2${cursor ? `, before: ${JSON.stringify(cursor)}` : ''}`
            const order = orderBy === '' ? '' : `, orderBy: [${orderBy}]`
            const data: { orderDetails: Connection } = await fx.data(
              `{ orderDetails(${args}${order}) { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
            )
            const { nodes, pageInfo } = data.orderDetails
            if (direction === 'forward') {
              seen.push(...nodes.map((n) => n.id))
              if (!pageInfo.hasNextPage) return seen
              cursor = pageInfo.endCursor
            } else {
              seen.unshift(...nodes.map((n) => n.id))
              if (!pageInfo.hasPreviousPage) return seen
              cursor = pageInfo.startCursor
            }
          }
          throw new Error('the walk did not end')
        }
        expect(await walk('forward')).toEqual(expected)
        expect(await walk('backward')).toEqual(expected)
      },
    )

    it('walks labels with awkward text keys forward in SQL order', async () => {
      const expected = (
        await fx.rows<{ scope: string; name: string; kind: string }>(
          `select scope, name, kind::text as kind from labels order by scope, name, kind`,
        )
      ).map((r) => gid('Label', [r.scope, r.name, r.kind]))
      const seen: string[] = []
      let after: string | null = null
      for (;;) {
        const data: {
          labels: {
            edges: Array<{ cursor: string; node: { id: string } }>
            pageInfo: { hasNextPage: boolean }
          }
        } = await fx.data(
          `query ($after: String) { labels(first: 7, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage } } }`,
          {
            after,
          },
        )
        seen.push(...data.labels.edges.map((e) => e.node.id))
        if (!data.labels.pageInfo.hasNextPage) break
        after = data.labels.edges.at(-1)!.cursor
      }
      expect(seen).toEqual(expected)
    })
  })

  it('the fast path answers composite-key reads exactly as graphql-js does', async () => {
    const queries: Array<[string, Record<string, unknown>?]> = [
      [
        `{ orderDetails(first: 3, orderBy: [{quantity: DESC}]) { edges { cursor node { id pk { orderId productId } quantity } } pageInfo { endCursor } } }`,
      ],
      [`{ labels(first: 5) { nodes { id pk { kind scope name } value } } }`],
      [
        `query ($id: ID!, $label: ID!) { node(id: $id) { id ... on OrderDetail { pk { productId } shipmentLines { nodes { pk } } } } label(id: $label) { pk { kind } } }`,
        { id: detailId(1, 1), label: gid('Label', ['a', 'a', 'tag']) },
      ],
      [`{ shipmentLines(first: 5) { nodes { pk orderDetail { id pk { orderId } } } } }`],
    ]
    for (const [source, variableValues] of queries) {
      const choice = await chooseRoute({ schema: fx.schema, document: parse(source), variableValues })
      expect(choice.route).toBe('compiled')
      if (choice.route !== 'compiled') continue
      const fast = await compiledRead(choice.plan)
      expect(fast).toHaveProperty('data')
      const slow = await graphql({ schema: fx.schema, source, variableValues })
      expect(slow.errors).toBeUndefined()
      // Every field asked for exists: a pair of nulls would prove nothing.
      expect(JSON.stringify(slow.data)).not.toContain('null')
      expect(JSON.parse((fast as { data: string }).data)).toEqual(JSON.parse(JSON.stringify(slow.data)))
    }
  })

  it('object permissions judge exactly the row an id names', async () => {
    // Refuses only (1,2): a lookup that also read the other rows of order 1 would refuse them all.
    const NotOneTwo: PermissionClass = {
      name: 'NotOneTwo',
      message: 'Not that one.',
      hasObjectPermission: (_ctx, row) => !(row['orderId'] === 1 && row['productId'] === 2),
    }
    const schema = new SchemaBuilder(
      {
        ...compositeKeysConfig,
        models: {
          ...(compositeKeysConfig.models as Record<string, unknown>),
          orderDetails: { table: orderDetails, permissions: { view: [NotOneTwo], change: [NotOneTwo] } },
        },
      } as typeof compositeKeysConfig,
      { database: db },
    ).build()
    const read = (id: string) =>
      graphql({
        schema,
        source: `query ($id: ID!) { orderDetail(id: $id) { quantity } }`,
        variableValues: { id },
      })
    expect(JSON.parse(JSON.stringify(await read(detailId(1, 23))))).toEqual({
      data: { orderDetail: { quantity: 11 } },
    })
    // graphql() with no context is an anonymous caller, whom DRF refuses as UNAUTHENTICATED.
    const refused = await read(detailId(1, 2))
    expect(refused.errors?.[0]?.extensions?.['code']).toBe(ErrorCodes.UNAUTHENTICATED)

    const before = await dumpAll()
    const update = (id: string) =>
      graphql({
        schema,
        source: `mutation ($id: ID!) { updateOrderDetail(id: $id, input: {note: "judged"}) { success } }`,
        variableValues: { id },
      })
    const denied = await update(detailId(1, 2))
    expect(JSON.stringify(denied)).toContain(ErrorCodes.UNAUTHENTICATED)
    expect(await dumpAll()).toEqual(before)
    expect(JSON.parse(JSON.stringify(await update(detailId(1, 3))))).toEqual({
      data: { updateOrderDetail: { success: true } },
    })
    expectChanged(before, await dumpAll(), 'order_details', { removed: 1, added: 1 })
  })

  describe('subscriptions', () => {
    type Stream = AsyncGenerator<{ data?: unknown; errors?: unknown }>

    function subscriptionSchema(pubsub: 'memory' | 'postgres'): GraphQLSchema {
      const channelPrefix = `t_${randomBytes(6).toString('hex')}`
      const subscriptions = { enabled: true, pubsub, databaseTriggers: pubsub === 'postgres', channelPrefix }
      return new SchemaBuilder({ ...compositeKeysConfig, subscriptions }, { database: db }).build()
    }

    async function open(schema: GraphQLSchema, source: string): Promise<Stream> {
      const stream = await subscribe({ schema, document: parse(source) })
      if (!(Symbol.asyncIterator in stream)) throw new Error(JSON.stringify(stream.errors))
      return stream as Stream
    }

    const UPDATED = `subscription { orderDetailUpdated { id pk { orderId productId } quantity } }`
    const DELETED = `subscription { orderDetailDeleted { id typeName } }`

    it('API mutations publish composite-key rows by their whole key', async () => {
      const schema = subscriptionSchema('memory')
      const updated = await open(schema, UPDATED)
      const deleted = await open(schema, DELETED)
      try {
        const run = (source: string, id: string) => graphql({ schema, source, variableValues: { id } })
        await run(
          `mutation ($id: ID!) { updateOrderDetail(id: $id, input: {quantity: 78}) { success } }`,
          detailId(2, 1),
        )
        expect((await updated.next()).value).toEqual({
          data: {
            orderDetailUpdated: { id: detailId(2, 1), pk: { orderId: 2, productId: 1 }, quantity: 78 },
          },
        })
        await run(`mutation ($id: ID!) { deleteOrderDetail(id: $id) { success } }`, detailId(1, 3))
        expect((await deleted.next()).value).toEqual({
          data: { orderDetailDeleted: { id: detailId(1, 3), typeName: 'OrderDetail' } },
        })
      } finally {
        await updated.return(undefined)
        await deleted.return(undefined)
        await getSchemaRuntime(schema).changes!.close()
      }
    })

    it('the database trigger names rows written with plain SQL by their whole key', async () => {
      const schema = subscriptionSchema('postgres')
      const updated = await open(schema, UPDATED)
      const deleted = await open(schema, DELETED)
      try {
        await db.exec(`update order_details set quantity = 77 where order_id = 1 and product_id = 23`)
        expect((await updated.next()).value).toEqual({
          data: {
            orderDetailUpdated: { id: detailId(1, 23), pk: { orderId: 1, productId: 23 }, quantity: 77 },
          },
        })
        await db.exec(`delete from order_details where order_id = 1 and product_id = 2`)
        expect((await deleted.next()).value).toEqual({
          data: { orderDetailDeleted: { id: detailId(1, 2), typeName: 'OrderDetail' } },
        })
      } finally {
        await updated.return(undefined)
        await deleted.return(undefined)
        await getSchemaRuntime(schema).changes!.close()
      }
    })
  })

  describe('relations through a composite foreign key', () => {
    it('to-one and to-many fields match the join in SQL', async () => {
      const data = await fx.data<{
        shipmentLines: { nodes: Array<{ pk: number; orderDetail: { id: string; quantity: number } }> }
        orderDetails: {
          nodes: Array<{ id: string; shipmentLines: { totalCount: number; nodes: Array<{ pk: number }> } }>
        }
      }>(`{
        shipmentLines(first: 100) { nodes { pk orderDetail { id quantity } } }
        orderDetails(first: 100) { nodes { id shipmentLines(first: 100) { totalCount nodes { pk } } } }
      }`)
      const lines = await fx.rows<{ id: number; order_id: number; product_id: number; quantity: number }>(
        `select s.id, s.order_id, s.product_id, d.quantity from shipment_lines s join order_details d using (order_id, product_id) order by s.id`,
      )
      expect(data.shipmentLines.nodes).toEqual(
        lines.map((l) => ({
          pk: l.id,
          orderDetail: { id: detailId(l.order_id, l.product_id), quantity: l.quantity },
        })),
      )
      const perDetail = await fx.rows<{ order_id: number; product_id: number; lines: number[] }>(
        `select d.order_id, d.product_id, coalesce(array_agg(s.id order by s.id) filter (where s.id is not null), '{}') as lines
         from order_details d left join shipment_lines s using (order_id, product_id)
         group by d.order_id, d.product_id order by d.order_id, d.product_id`,
      )
      expect(data.orderDetails.nodes).toEqual(
        perDetail.map((d) => ({
          id: detailId(d.order_id, d.product_id),
          shipmentLines: { totalCount: d.lines.length, nodes: d.lines.map((pk) => ({ pk })) },
        })),
      )
    })

    it('filters and orders through the composite relation as SQL does', async () => {
      const data = await fx.data<{ shipmentLines: { nodes: Array<{ pk: number }> } }>(`{
        shipmentLines(filter: {orderDetail: {quantity: {gte: 11}}}, orderBy: [{orderDetail: {quantity: DESC}}]) { nodes { pk } }
      }`)
      const expected = await fx.rows<{ id: number }>(
        `select s.id from shipment_lines s join order_details d using (order_id, product_id)
         where d.quantity >= 11 order by d.quantity desc, s.id`,
      )
      expect(data.shipmentLines.nodes).toEqual(expected.map((r) => ({ pk: r.id })))
    })

    it('moving a shipment line to another detail writes both foreign-key columns', async () => {
      const before = await dumpAll()
      const payload = await mutate(
        `mutation ($id: ID!) { updateShipmentLine(id: $id, input: {orderId: 2, productId: 23}) { success shipmentLine { orderDetail { id } } } }`,
        { id: gid('ShipmentLine', 5) },
      )
      expect(payload).toEqual({ success: true, shipmentLine: { orderDetail: { id: detailId(2, 23) } } })
      const [moved] = expectChanged(before, await dumpAll(), 'shipment_lines', { removed: 1, added: 1 })
      expect(moved).toEqual({ id: 5, order_id: 2, product_id: 23, shipped: 1 })
    })
  })
})
