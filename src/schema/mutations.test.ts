// Mutations through the generated schema on the shop example, on every test database: each kind
// of mutation and each kind of bad input, always checked against the rows in the database, plus
// the one-statement read-back, all-or-nothing bulk calls and concurrent writers.
import type { ExecutionResult } from 'graphql'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import { verifyPassword } from '../mutations/index.js'
import { buildShopSchema, fixtureFor, shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

/** Global id as the API documents it: base64 of `Type:pk`. */
const gid = (type: string, pk: number | string): string =>
  Buffer.from(`${type}:${pk}`, 'utf8').toString('base64')

/** graphql-js results use null-prototype objects; compare plain JSON. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

interface FieldError {
  field: string | null
  message: string
  code: string
  index?: number | null
}
interface Payload {
  success: boolean
  errors: FieldError[]
  [key: string]: unknown
}

const VERBATIM = `mutation { createUser(input: {username: "testuser", email: "test@example.com", password: "testpass123"}) { user { id username } success errors { field message } } }`

const SKU = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

describe.each(testDatabases())('mutations on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    shop = await withShop(db, { seed: false })
  })

  afterAll(async () => {
    await dispose()
  })

  beforeEach(async () => {
    await db.exec(
      'truncate users, profiles, categories, products, orders, order_items, tags, product_tags restart identity cascade',
    )
  })

  /** Runs a mutation and returns its payload (fails on GraphQL errors). */
  async function mutate(source: string, variables?: Record<string, unknown>): Promise<Payload> {
    const data = await shop.data<Record<string, Payload>>(source, variables)
    return plain(Object.values(data)[0]!)
  }

  async function count(table: string): Promise<number> {
    const [row] = await shop.rows<{ n: number }>(`select count(*)::int as n from ${table}`)
    return row!.n
  }

  async function addUser(username: string): Promise<number> {
    const [row] = await shop.rows<{ id: number }>(
      `insert into users (username, email) values ($1, $2) returning id`,
      [username, `${username}@example.com`],
    )
    return row!.id
  }

  async function addTags(...names: string[]): Promise<number[]> {
    const ids: number[] = []
    for (const name of names) {
      const [row] = await shop.rows<{ id: number }>('insert into tags (name) values ($1) returning id', [
        name,
      ])
      ids.push(row!.id)
    }
    return ids
  }

  async function addProduct(name: string, sku = SKU(1)): Promise<number> {
    const [row] = await shop.rows<{ id: number }>(
      `insert into products (sku, name, price) values ($1, $2, '9.99') returning id`,
      [sku, name],
    )
    return row!.id
  }

  describe('create', () => {
    it('runs the design-source document verbatim and stores the password as a verifiable scrypt hash', async () => {
      const result = await shop.run(VERBATIM)
      expect(result.errors).toBeUndefined()
      const rows = await shop.rows<{ id: number; username: string; email: string; password: string }>(
        'select id, username, email, password from users',
      )
      expect(rows).toHaveLength(1)
      const row = rows[0]!
      expect(plain(result.data)).toEqual({
        createUser: { user: { id: gid('User', row.id), username: 'testuser' }, success: true, errors: [] },
      })
      expect(row.email).toBe('test@example.com')
      expect(row.password).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
      expect(row.password).not.toContain('testpass123')
      expect(await verifyPassword('testpass123', row.password)).toBe(true)
      expect(await verifyPassword('testpass124', row.password)).toBe(false)
    })

    it('never shows the write-only password in output types', async () => {
      const result = await shop.run('{ users { nodes { password } } }')
      expect(result.errors?.[0]?.message).toMatch(/Cannot query field "password"/)
    })

    it('sets a to-one relation by global id and many-to-many links by ids, and reads back nested relations', async () => {
      const userId = await addUser('alice')
      const [red, blue] = await addTags('red', 'blue')
      const order = await mutate(
        `mutation($u: ID!) { createOrder(input: {userId: $u, total: "12.50"}) { order { id status total user { username } } success errors { field code message } } }`,
        { u: gid('User', userId) },
      )
      const [orderRow] = await shop.rows<{ id: number; user_id: number; status: string; total: string }>(
        'select id, user_id, status, total from orders',
      )
      expect(order).toEqual({
        order: {
          id: gid('Order', orderRow!.id),
          status: 'PENDING',
          total: '12.50',
          user: { username: 'alice' },
        },
        success: true,
        errors: [],
      })
      expect(orderRow).toMatchObject({ user_id: userId, status: 'pending', total: '12.50' })

      const product = await mutate(
        `mutation($tags: [ID!]) { createProduct(input: {sku: "${SKU(7)}", name: "Lamp", price: "19.99", attributes: {watts: 40}, tagIds: $tags}) { product { name attributes tags { nodes { name } } } success errors { field code message } } }`,
        { tags: [gid('Tag', red!), gid('Tag', blue!)] },
      )
      expect(product.success).toBe(true)
      expect(product['product']).toEqual({
        name: 'Lamp',
        attributes: { watts: 40 },
        tags: { nodes: [{ name: 'red' }, { name: 'blue' }] },
      })
      const links = await shop.rows<{ tag_id: number }>('select tag_id from product_tags order by tag_id')
      expect(links.map((l) => l.tag_id)).toEqual([red, blue])
    })

    it('reads the written row back with exactly one statement, whatever the nesting', async () => {
      const userId = await addUser('bob')
      const bare = await countStatements(db, () =>
        shop.run(
          `mutation { createProfile(input: {userId: "${gid('User', userId)}", firstName: "Bo", lastName: "B"}) { success } }`,
        ),
      )
      expect(bare.result.errors).toBeUndefined()
      await db.exec('delete from profiles')
      const nested = await countStatements(db, () =>
        shop.run(
          `mutation { createProfile(input: {userId: "${gid('User', userId)}", firstName: "Bo", lastName: "B"}) { profile { firstName user { username profile { lastName } orders { totalCount nodes { id } } } } success } }`,
        ),
      )
      expect(nested.result.errors).toBeUndefined()
      expect(plain(nested.result.data)).toEqual({
        createProfile: {
          profile: {
            firstName: 'Bo',
            user: { username: 'bob', profile: { lastName: 'B' }, orders: { totalCount: 0, nodes: [] } },
          },
          success: true,
        },
      })
      expect(bare.count).toBe(1)
      expect(nested.count).toBe(bare.count + 1)
      expect(nested.statements.filter((s) => /^\s*select/i.test(s.text))).toHaveLength(1)
    })
  })

  describe('update', () => {
    it('is a patch: absent keys stay, explicit null clears, and many-to-many links are set, added and removed', async () => {
      const userId = await addUser('carol')
      await db.query({
        text: `update users set last_login = '2024-01-01T00:00:00Z', password = 'x' where id = $1`,
        values: [userId],
      })
      const payload = await mutate(
        `mutation($id: ID!) { updateUser(id: $id, input: {email: "c@new.example", lastLogin: null}) { user { username email lastLogin } success errors { field code message } } }`,
        { id: gid('User', userId) },
      )
      expect(payload).toEqual({
        user: { username: 'carol', email: 'c@new.example', lastLogin: null },
        success: true,
        errors: [],
      })
      const [row] = await shop.rows<Record<string, unknown>>(
        'select username, email, last_login, password, is_active from users',
      )
      expect(row).toEqual({
        username: 'carol',
        email: 'c@new.example',
        last_login: null,
        password: 'x',
        is_active: true,
      })

      const productId = await addProduct('Desk')
      const [a, b, c] = await addTags('a', 'b', 'c')
      const links = async (): Promise<number[]> =>
        (await shop.rows<{ tag_id: number }>('select tag_id from product_tags order by tag_id')).map(
          (r) => r.tag_id,
        )
      const update = (input: string): Promise<Payload> =>
        mutate(
          `mutation { updateProduct(id: "${gid('Product', productId)}", input: ${input}) { success errors { field code message } } }`,
        )
      expect(await update(`{tagIds: ["${gid('Tag', a!)}", "${gid('Tag', b!)}"]}`)).toEqual({
        success: true,
        errors: [],
      })
      expect(await links()).toEqual([a, b])
      expect(
        await update(
          `{addTagIds: ["${gid('Tag', c!)}", "${gid('Tag', a!)}"], removeTagIds: ["${gid('Tag', b!)}"]}`,
        ),
      ).toEqual({ success: true, errors: [] })
      expect(await links()).toEqual([a, c])
      expect(await update(`{tagIds: []}`)).toEqual({ success: true, errors: [] })
      expect(await links()).toEqual([])
      const [product] = await shop.rows<{ name: string; price: string }>('select name, price from products')
      expect(product).toEqual({ name: 'Desk', price: '9.99' })
    })

    it('clears a nullable to-one relation with null and refuses null for a required one', async () => {
      const parent = (
        await shop.rows<{ id: number }>(`insert into categories (name) values ('root') returning id`)
      )[0]!.id
      const child = (
        await shop.rows<{ id: number }>(
          `insert into categories (name, parent_id) values ('leaf', $1) returning id`,
          [parent],
        )
      )[0]!.id
      expect(
        await mutate(
          `mutation { updateCategory(id: "${gid('Category', child)}", input: {parentId: null}) { category { parent { name } } success } }`,
        ),
      ).toEqual({
        category: { parent: null },
        success: true,
      })
      expect((await shop.rows('select parent_id from categories where id = $1', [child]))[0]).toEqual({
        parent_id: null,
      })
      const userId = await addUser('dan')
      const orderId = (
        await shop.rows<{ id: number }>(`insert into orders (user_id, total) values ($1, 1) returning id`, [
          userId,
        ])
      )[0]!.id
      const refused = await mutate(
        `mutation { updateOrder(id: "${gid('Order', orderId)}", input: {userId: null}) { success errors { field code } } }`,
      )
      expect(refused).toEqual({ success: false, errors: [{ field: 'userId', code: ErrorCodes.REQUIRED }] })
      expect((await shop.rows('select user_id from orders'))[0]).toEqual({ user_id: userId })
    })
  })

  describe('delete', () => {
    it('removes the row and returns its id', async () => {
      const userId = await addUser('erin')
      expect(
        await mutate(
          `mutation { deleteUser(id: "${gid('User', userId)}") { deletedId success errors { code } } }`,
        ),
      ).toEqual({
        deletedId: gid('User', userId),
        success: true,
        errors: [],
      })
      expect(await count('users')).toBe(0)
    })

    it('refuses a row still referenced by a restricting foreign key (PROTECTED) and keeps it', async () => {
      const productId = await addProduct('Chair')
      const userId = await addUser('fay')
      const orderId = (
        await shop.rows<{ id: number }>(`insert into orders (user_id, total) values ($1, 1) returning id`, [
          userId,
        ])
      )[0]!.id
      await db.query({
        text: `insert into order_items (order_id, product_id, quantity, unit_price) values ($1, $2, 1, 1)`,
        values: [orderId, productId],
      })
      const payload = await mutate(
        `mutation { deleteProduct(id: "${gid('Product', productId)}") { deletedId success errors { field code message } } }`,
      )
      expect(payload.success).toBe(false)
      expect(payload['deletedId']).toBeNull()
      expect(payload.errors).toEqual([
        { field: null, code: ErrorCodes.PROTECTED, message: expect.stringContaining('OrderItem') },
      ])
      expect(await count('products')).toBe(1)
    })
  })

  describe('bad input', () => {
    it('unknown ids and ids of another type are payload errors and change nothing', async () => {
      const userId = await addUser('gus')
      const unknown = await mutate(
        `mutation { updateUser(id: "${gid('User', 999)}", input: {email: "x@y.z"}) { user { id } success errors { field code } } }`,
      )
      expect(unknown).toEqual({
        user: null,
        success: false,
        errors: [{ field: 'id', code: ErrorCodes.NOT_FOUND }],
      })
      const other = await mutate(
        `mutation { deleteUser(id: "${gid('Tag', userId)}") { success errors { field code message } } }`,
      )
      expect(other).toEqual({
        success: false,
        errors: [{ field: 'id', code: ErrorCodes.INVALID_ID, message: 'Expected a User id, got a Tag id.' }],
      })
      const garbage = await mutate(
        `mutation { deleteUser(id: "not-an-id") { success errors { field code } } }`,
      )
      expect(garbage).toEqual({ success: false, errors: [{ field: 'id', code: ErrorCodes.INVALID_ID }] })
      const wrongRelation = await mutate(
        `mutation { createOrder(input: {userId: "${gid('Product', userId)}", total: "1"}) { success errors { field code } } }`,
      )
      expect(wrongRelation).toEqual({
        success: false,
        errors: [{ field: 'userId', code: ErrorCodes.INVALID_ID }],
      })
      expect(await shop.rows('select username, email from users')).toEqual([
        { username: 'gus', email: 'gus@example.com' },
      ])
      expect(await count('orders')).toBe(0)
    })

    it('foreign keys to missing rows are INVALID_REFERENCE on the relation field, and nothing is written', async () => {
      const missingUser = await mutate(
        `mutation { createOrder(input: {userId: "${gid('User', 4242)}", total: "1"}) { order { id } success errors { field code message } } }`,
      )
      expect(missingUser).toEqual({
        order: null,
        success: false,
        errors: [{ field: 'userId', code: ErrorCodes.INVALID_REFERENCE, message: 'No User with this id.' }],
      })
      const missingTag = await mutate(
        `mutation { createProduct(input: {sku: "${SKU(2)}", name: "Pen", price: "1.00", tagIds: ["${gid('Tag', 77)}"]}) { success errors { field code message } } }`,
      )
      expect(missingTag).toEqual({
        success: false,
        errors: [
          {
            field: 'tagIds',
            code: ErrorCodes.INVALID_REFERENCE,
            message: `No Tag with id ${gid('Tag', 77)} (it does not exist or was deleted).`,
          },
        ],
      })
      expect(await count('orders')).toBe(0)
      expect(await count('products')).toBe(0)
      expect(await count('product_tags')).toBe(0)
    })

    it('missing required fields, oversize strings, NUL bytes and out-of-range numbers are caught before SQL', async () => {
      const { count: statements, result } = await countStatements(db, () =>
        shop.run(
          `mutation { createProduct(input: {name: "${'x'.repeat(201)}", price: "123456789.5", stock: 1, description: "a\\u0000b"}) { success errors { field code message } } }`,
        ),
      )
      expect(statements).toBe(0)
      expect(plain(result.data)).toEqual({
        createProduct: {
          success: false,
          errors: [
            { field: 'sku', code: ErrorCodes.REQUIRED, message: 'This field is required.' },
            { field: 'name', code: ErrorCodes.TOO_LONG, message: 'At most 200 characters (got 201).' },
            { field: 'description', code: ErrorCodes.INVALID_VALUE, message: expect.stringContaining('NUL') },
            {
              field: 'price',
              code: ErrorCodes.INVALID_VALUE,
              message: 'At most 8 digits before the decimal point.',
            },
          ],
        },
      })
      // Characters, not UTF-16 units: 200 emoji fit a varchar(200).
      const emoji = '😀'.repeat(200)
      const fits = await mutate(
        `mutation { createProduct(input: {sku: "${SKU(3)}", name: "${emoji}", price: "0.5"}) { product { name } success } }`,
      )
      expect(fits).toEqual({ product: { name: emoji }, success: true })
      expect(await shop.rows('select name from products')).toEqual([{ name: emoji }])
    })

    it('wrong types are GraphQL errors and write nothing', async () => {
      const result: ExecutionResult = await shop.run(
        `mutation { createProduct(input: {sku: "${SKU(4)}", name: "Cup", price: "1.00", stock: "many"}) { success } }`,
      )
      expect(result.errors?.[0]?.message).toMatch(/Int cannot represent/)
      const badDate = await shop.run(
        `mutation { updateUser(id: "${gid('User', 1)}", input: {lastLogin: "yesterday"}) { success } }`,
      )
      expect(badDate.errors?.[0]?.message).toMatch(/DateTime/)
      const impossible = await mutate(
        `mutation { createUser(input: {username: "h", email: "h@x", lastLogin: "2023-02-30T10:00:00Z"}) { success errors { field code } } }`,
      )
      expect(impossible).toEqual({
        success: false,
        errors: [{ field: 'lastLogin', code: ErrorCodes.INVALID_VALUE }],
      })
      expect(await count('products')).toBe(0)
      expect(await count('users')).toBe(0)
    })

    it('duplicate unique values are UNIQUE on the field, on create and update', async () => {
      await addUser('ivy')
      const joeId = await addUser('joe')
      const dup = await mutate(
        `mutation { createUser(input: {username: "ivy", email: "other@x"}) { user { id } success errors { field code message } } }`,
      )
      expect(dup).toEqual({
        user: null,
        success: false,
        errors: [
          {
            field: 'username',
            code: ErrorCodes.UNIQUE,
            message: 'A User with this username already exists.',
          },
        ],
      })
      const dupUpdate = await mutate(
        `mutation { updateUser(id: "${gid('User', joeId)}", input: {username: "ivy"}) { success errors { field code } } }`,
      )
      expect(dupUpdate).toEqual({ success: false, errors: [{ field: 'username', code: ErrorCodes.UNIQUE }] })
      expect(await shop.rows('select username, email from users order by id')).toEqual([
        { username: 'ivy', email: 'ivy@example.com' },
        { username: 'joe', email: 'joe@example.com' },
      ])
    })
  })

  describe('bulk', () => {
    it('creates many in one call and reports count and ids in input order', async () => {
      const inputs = Array.from({ length: 25 }, (_, i) => ({ username: `bulk${i}`, email: `b${i}@x` }))
      const payload = await mutate(
        `mutation($inputs: [CreateUserInput!]!) { bulkCreateUsers(inputs: $inputs) { ids count success errors { index field code } } }`,
        { inputs },
      )
      const rows = await shop.rows<{ id: number; username: string }>(
        'select id, username from users order by id',
      )
      expect(rows.map((r) => r.username)).toEqual(inputs.map((i) => i.username))
      expect(payload).toEqual({
        ids: rows.map((r) => gid('User', r.id)),
        count: 25,
        success: true,
        errors: [],
      })
    })

    it('writes nothing when the LAST input fails in the database, and names its index', async () => {
      await addUser('taken')
      const inputs = [
        ...Array.from({ length: 9 }, (_, i) => ({ username: `ok${i}`, email: `ok${i}@x` })),
        { username: 'taken', email: 't@x' },
      ]
      const payload = await mutate(
        `mutation($inputs: [CreateUserInput!]!) { bulkCreateUsers(inputs: $inputs) { ids count success errors { index field code } } }`,
        { inputs },
      )
      expect(payload).toEqual({
        ids: [],
        count: 0,
        success: false,
        errors: [{ index: 9, field: 'username', code: ErrorCodes.UNIQUE }],
      })
      expect(await shop.rows('select username from users')).toEqual([{ username: 'taken' }])
      // A duplicate inside the batch itself: the second occurrence is the one that fails.
      const inBatch = await mutate(
        `mutation { bulkCreateUsers(inputs: [{username: "p", email: "p@x"}, {username: "q", email: "q@x"}, {username: "p", email: "p2@x"}]) { success errors { index field code } } }`,
      )
      expect(inBatch).toEqual({
        success: false,
        errors: [{ index: 2, field: 'username', code: ErrorCodes.UNIQUE }],
      })
      expect(await count('users')).toBe(1)
    })

    it('reports every invalid input with its index before any SQL', async () => {
      const { count: statements, result } = await countStatements(db, () =>
        shop.run(
          `mutation { bulkCreateUsers(inputs: [{username: "a", email: "a@x"}, {email: "b@x"}, {username: "${'c'.repeat(151)}", email: "c@x"}]) { success errors { index field code } } }`,
        ),
      )
      expect(statements).toBe(0)
      expect(plain(result.data)).toEqual({
        bulkCreateUsers: {
          success: false,
          errors: [
            { index: 1, field: 'username', code: ErrorCodes.REQUIRED },
            { index: 2, field: 'username', code: ErrorCodes.TOO_LONG },
          ],
        },
      })
      expect(await count('users')).toBe(0)
    })

    it('refuses more inputs than mutations.maxBulkSize', async () => {
      const schema = buildShopSchema(db, {
        ...shopConfig,
        mutations: { ...shopConfig.mutations, maxBulkSize: 3 },
      })
      const small = fixtureFor(db, schema, shop.summary, shop.config)
      const inputs = Array.from({ length: 4 }, (_, i) => ({ username: `m${i}`, email: `m${i}@x` }))
      const result = await small.data<{ bulkCreateUsers: Payload }>(
        `mutation($inputs: [CreateUserInput!]!) { bulkCreateUsers(inputs: $inputs) { count success errors { index field code message } } }`,
        { inputs },
      )
      expect(plain(result.bulkCreateUsers)).toEqual({
        count: 0,
        success: false,
        errors: [
          {
            index: null,
            field: 'inputs',
            code: ErrorCodes.TOO_MANY_ITEMS,
            message: 'At most 3 inputs per call (got 4).',
          },
        ],
      })
      expect(await count('users')).toBe(0)
      const three = await small.data<{ bulkCreateUsers: Payload }>(
        `mutation($inputs: [CreateUserInput!]!) { bulkCreateUsers(inputs: $inputs) { count success } }`,
        { inputs: inputs.slice(0, 3) },
      )
      expect(plain(three.bulkCreateUsers)).toEqual({ count: 3, success: true })
      expect(await count('users')).toBe(3)
    })

    it('updates and deletes what a filter matches, and refuses a missing or empty filter unless all: true', async () => {
      for (const name of ['ann', 'andy', 'bea', 'bill']) await addUser(name)
      const noFilter = await mutate(
        `mutation { bulkUpdateUsers(input: {isActive: false}) { count success errors { index field code } } }`,
      )
      expect(noFilter).toEqual({
        count: 0,
        success: false,
        errors: [{ index: null, field: 'filter', code: ErrorCodes.FILTER_REQUIRED }],
      })
      const emptyFilter = await mutate(
        `mutation { bulkDeleteUsers(filter: {}) { count success errors { field code } } }`,
      )
      expect(emptyFilter).toEqual({
        count: 0,
        success: false,
        errors: [{ field: 'filter', code: ErrorCodes.FILTER_REQUIRED }],
      })
      expect(await shop.rows('select count(*)::int as n from users where is_active')).toEqual([{ n: 4 }])

      const updated = await mutate(
        `mutation { bulkUpdateUsers(filter: {username: {startswith: "an"}}, input: {isActive: false}) { ids count success errors { code } } }`,
      )
      const inactive = await shop.rows<{ id: number; username: string }>(
        'select id, username from users where not is_active order by id',
      )
      expect(inactive.map((r) => r.username)).toEqual(['ann', 'andy'])
      expect(updated).toEqual({
        ids: inactive.map((r) => gid('User', r.id)),
        count: 2,
        success: true,
        errors: [],
      })

      const none = await mutate(
        `mutation { bulkUpdateUsers(filter: {username: {exact: "nobody"}}, input: {isActive: false}) { count success } }`,
      )
      expect(none).toEqual({ count: 0, success: true })

      const dupAll = await mutate(
        `mutation { bulkUpdateUsers(all: true, input: {username: "same"}) { count success errors { index field code } } }`,
      )
      expect(dupAll).toEqual({
        count: 0,
        success: false,
        errors: [{ index: null, field: 'username', code: ErrorCodes.UNIQUE }],
      })
      expect(
        (await shop.rows<{ username: string }>('select username from users order by id')).map(
          (r) => r.username,
        ),
      ).toEqual(['ann', 'andy', 'bea', 'bill'])

      const deleted = await mutate(
        `mutation { bulkDeleteUsers(filter: {isActive: false}) { count success } }`,
      )
      expect(deleted).toEqual({ count: 2, success: true })
      expect(
        (await shop.rows<{ username: string }>('select username from users order by id')).map(
          (r) => r.username,
        ),
      ).toEqual(['bea', 'bill'])
      const everything = await mutate(`mutation { bulkDeleteUsers(all: true) { count success } }`)
      expect(everything).toEqual({ count: 2, success: true })
      expect(await count('users')).toBe(0)
    })
  })

  describe('concurrency', () => {
    it('200 parallel creates of one username: exactly one succeeds, 199 get UNIQUE', async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          mutate(
            `mutation { createUser(input: {username: "race", email: "r${i}@x"}) { user { username } success errors { field code } } }`,
          ),
        ),
      )
      const winners = results.filter((r) => r.success)
      expect(winners).toEqual([{ user: { username: 'race' }, success: true, errors: [] }])
      const losers = results.filter((r) => !r.success)
      expect(losers).toHaveLength(199)
      for (const loser of losers)
        expect(loser).toEqual({
          user: null,
          success: false,
          errors: [{ field: 'username', code: ErrorCodes.UNIQUE }],
        })
      expect(await shop.rows('select username from users')).toEqual([{ username: 'race' }])
    })

    it('200 parallel updates, each of its own row and field, all land', async () => {
      const inputs = Array.from({ length: 200 }, (_, i) => ({ username: `w${i}`, email: `w${i}@old` }))
      const created = await mutate(
        `mutation($inputs: [CreateUserInput!]!) { bulkCreateUsers(inputs: $inputs) { ids success } }`,
        { inputs },
      )
      const ids = created['ids'] as string[]
      expect(ids).toHaveLength(200)
      const results = await Promise.all(
        ids.map((id, i) =>
          mutate(
            `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { success errors { code } } }`,
            { id, input: i % 2 === 0 ? { email: `w${i}@new` } : { isStaff: true } },
          ),
        ),
      )
      expect(results.every((r) => r.success)).toBe(true)
      const rows = await shop.rows<{ username: string; email: string; is_staff: boolean }>(
        'select username, email, is_staff from users order by id',
      )
      expect(rows).toEqual(
        inputs.map((input, i) => ({
          username: input.username,
          email: i % 2 === 0 ? `w${i}@new` : input.email,
          is_staff: i % 2 === 1,
        })),
      )
    })
  })
})
