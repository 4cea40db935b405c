// Bad arguments are client errors (BAD_USER_INPUT) refused before any SQL is sent: no crash, no
// rows, no SQL text in the message. Anything unexpected is masked as INTERNAL_SERVER_ERROR.
import { graphql } from 'graphql'
import type { ExecutionResult } from 'graphql'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

const MAX_PAGE = shopConfig.queries?.maxPageSize ?? 1000

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')
const gid = (type: string, pk: number | string): string => b64(`${type}:${pk}`)

/** A cursor with one element replaced, as a client forging cursors would make it. */
function forge(cursor: string, index: number, value: unknown): string {
  const parts = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as unknown[]
  parts[index] = value
  return b64(JSON.stringify(parts))
}

/** The one error of a result, checked to be a clean client error that leaked nothing. */
function expectClientError(result: ExecutionResult, code: string, message?: RegExp): void {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1)
  const [error] = result.errors!
  expect(error!.extensions?.['code']).toBe(code)
  if (message) expect(error!.message).toMatch(message)
  expect(error!.message).not.toMatch(/\bselect\b|\bfrom\b|\$\d|json_build|"t\d"/i)
  expect(JSON.stringify(error!.extensions ?? {})).not.toMatch(/\bselect\b|stack/i)
}

describe.each(testDatabases())('bad input on $name', ({ create }) => {
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

  /** Runs a document that must fail before reaching the database. */
  async function refused(source: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
    const { result, count } = await countStatements(db, () => shop.run(source, variables))
    expect(count, 'statements sent for refused input').toBe(0)
    return result
  }

  async function usersCursor(orderBy: unknown = null): Promise<string> {
    const data = await shop.data<{ users: { pageInfo: { endCursor: string } } }>(
      'query ($orderBy: [UserOrderBy!]) { users(first: 3, orderBy: $orderBy) { pageInfo { endCursor } } }',
      { orderBy },
    )
    return data.users.pageInfo.endCursor
  }

  const PAGE_QUERY = `query ($after: String, $before: String, $orderBy: [UserOrderBy!]) {
    users(first: 3, after: $after, before: $before, orderBy: $orderBy) { totalCount edges { cursor node { pk username } } }
  }`

  describe('cursors', () => {
    it('refuses garbage as a cursor', async () => {
      for (const after of ['garbage!!', 'not a cursor', '', '====', 'W10=', b64('null'), b64('{"a":1}')]) {
        const result = await refused(PAGE_QUERY, { after })
        expectClientError(result, 'BAD_USER_INPUT', /cursor/i)
        expect(result.data).toBeNull()
      }
    })

    it('refuses base64 of something that is not JSON', async () => {
      for (const before of [b64('hello world'), b64('["unterminated'), b64('\u0000\u0001binary')]) {
        expectClientError(await refused(PAGE_QUERY, { before }), 'BAD_USER_INPUT', /cursor/i)
      }
    })

    it('refuses a cursor made for another orderBy', async () => {
      const byUsername = await usersCursor([{ username: 'ASC' }])
      // Same number of keys: the message says why.
      for (const orderBy of [[{ email: 'ASC' }], [{ username: 'DESC' }], [{ username: 'ASC_NULLS_FIRST' }]]) {
        expectClientError(
          await refused(PAGE_QUERY, { after: byUsername, orderBy }),
          'BAD_USER_INPUT',
          /orderBy/,
        )
      }
      for (const orderBy of [null, [{ username: 'ASC' }, { email: 'ASC' }]]) {
        expectClientError(
          await refused(PAGE_QUERY, { after: byUsername, orderBy }),
          'BAD_USER_INPUT',
          /cursor/,
        )
      }
      const byDefault = await usersCursor()
      expectClientError(
        await refused(PAGE_QUERY, { after: byDefault, orderBy: [{ username: 'ASC' }] }),
        'BAD_USER_INPUT',
      )
      // The same cursor still works with its own ordering.
      const ok = await shop.run(PAGE_QUERY, { after: byUsername, orderBy: [{ username: 'ASC' }] })
      expect(ok.errors).toBeUndefined()
    })

    it('refuses forged cursor values the column cannot hold, before they reach SQL', async () => {
      const byId = await usersCursor()
      const byCreatedAt = await usersCursor([{ createdAt: 'ASC' }])
      const byLastLogin = await usersCursor([{ lastLogin: 'DESC' }, { isActive: 'ASC' }])
      const forged: Array<[string, unknown]> = [
        [forge(byId, 1, '2147483648'), [{ pk: 'ASC' }]],
        [forge(byId, 1, '-2147483649'), null],
        [forge(byId, 1, '99999999999'), null],
        [forge(byId, 1, 'abc'), null],
        [forge(byId, 1, 5), null],
        [forge(byId, 1, null), null],
        [forge(byId, 2, '5'), null],
        [forge(byCreatedAt, 1, '2023-02-30 10:00:00+00'), [{ createdAt: 'ASC' }]],
        [forge(byCreatedAt, 1, '2023-01-01 25:00:00+00'), [{ createdAt: 'ASC' }]],
        [forge(byCreatedAt, 1, '2023-01-01 10:00:00+16'), [{ createdAt: 'ASC' }]],
        [forge(byCreatedAt, 1, 'yesterday'), [{ createdAt: 'ASC' }]],
        [forge(byCreatedAt, 2, '1.5'), [{ createdAt: 'ASC' }]],
        [forge(byLastLogin, 2, 'maybe'), [{ lastLogin: 'DESC' }, { isActive: 'ASC' }]],
        [forge(byLastLogin, 2, null), [{ lastLogin: 'DESC' }, { isActive: 'ASC' }]],
      ]
      for (const [after, orderBy] of forged) {
        expectClientError(await refused(PAGE_QUERY, { after, orderBy }), 'BAD_USER_INPUT', /cursor/i)
      }
      // Values that are valid for the column are accepted (a cursor need not name an existing row).
      const fine = await shop.run(PAGE_QUERY, {
        after: forge(byLastLogin, 1, null),
        orderBy: [{ lastLogin: 'DESC' }, { isActive: 'ASC' }],
      })
      expect(fine.errors).toBeUndefined()
    })

    it('refuses a bad cursor in a nested connection', async () => {
      const result = await refused(
        `{ users(first: 2) { nodes { orders(after: "garbage") { totalCount } } } }`,
      )
      expectClientError(result, 'BAD_USER_INPUT', /cursor/i)
      expect(result.data).toBeNull()
    })
  })

  describe('page sizes', () => {
    it('refuses first and last together', async () => {
      expectClientError(
        await refused('{ users(first: 2, last: 2) { totalCount } }'),
        'BAD_USER_INPUT',
        /first.*last/,
      )
      expectClientError(
        await refused('{ user(id: "VXNlcjox") { orders(first: 1, last: 1) { totalCount } } }'),
        'BAD_USER_INPUT',
        /first.*last/,
      )
    })

    it('refuses a negative first or last', async () => {
      expectClientError(await refused('{ users(first: -1) { totalCount } }'), 'BAD_USER_INPUT', /first/)
      expectClientError(
        await refused('query ($n: Int) { users(last: $n) { totalCount } }', { n: -5 }),
        'BAD_USER_INPUT',
        /last/,
      )
      expectClientError(
        await refused('{ products(first: 1) { nodes { tags(last: -1) { totalCount } } } }'),
        'BAD_USER_INPUT',
        /last/,
      )
    })

    it('caps a huge first or last to maxPageSize', async () => {
      const [{ n }] = (await shop.rows<{ n: number }>('select count(*)::int as n from orders')) as [
        { n: number },
      ]
      expect(n).toBeGreaterThan(MAX_PAGE)
      for (const args of ['first: 100000', 'last: 2147483647']) {
        const data = await shop.data<{
          orders: { edges: unknown[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean } }
        }>(`{ orders(${args}) { edges { node { pk } } pageInfo { hasNextPage hasPreviousPage } } }`)
        expect(data.orders.edges).toHaveLength(MAX_PAGE)
        expect(data.orders.pageInfo.hasNextPage || data.orders.pageInfo.hasPreviousPage).toBe(true)
      }
    })
  })

  describe('global ids', () => {
    const USER = 'query ($id: ID!) { user(id: $id) { pk username } }'
    const NODE = 'query ($id: ID!) { node(id: $id) { id ... on User { username } } }'

    it('refuses garbage ids', async () => {
      for (const id of [
        'garbage',
        '',
        '!!!',
        'VXNlcjox!',
        b64('User'),
        b64('User:'),
        b64(':1'),
        'VXNlcjox\n',
      ]) {
        for (const source of [USER, NODE]) {
          const result = await refused(source, { id })
          expectClientError(result, 'BAD_USER_INPUT', /id/)
          expect(plain(result.data)).toEqual({ [source === USER ? 'user' : 'node']: null })
        }
      }
    })

    it('refuses an id of an unknown type', async () => {
      for (const source of [USER, NODE])
        expectClientError(await refused(source, { id: gid('Nope', 1) }), 'BAD_USER_INPUT', /Nope/)
      // Junction tables are not types.
      expectClientError(await refused(NODE, { id: gid('ProductTag', 1) }), 'BAD_USER_INPUT')
    })

    it('refuses an id of another type for user(id)', async () => {
      for (const id of [gid('Product', 1), gid('Order', 1), gid('Profile', 1)]) {
        expectClientError(await refused(USER, { id }), 'BAD_USER_INPUT', /User/)
      }
    })

    it('refuses a primary key the column cannot hold', async () => {
      for (const pk of [
        'abc',
        '1.5',
        '1e3',
        ' 1',
        '2147483648',
        '-2147483649',
        '99999999999',
        '1;drop table users',
      ]) {
        for (const source of [USER, NODE])
          expectClientError(await refused(source, { id: gid('User', pk) }), 'BAD_USER_INPUT')
      }
    })

    it('returns null for a well-formed id of a row that does not exist', async () => {
      const source =
        'query ($id: ID!) { node(id: $id) { id } asUser: node(id: $id) { ... on User { pk } } user(id: $id) { pk } }'
      for (const pk of [2147483647, 0, -1, 100000]) {
        const result = await shop.run(source, { id: gid('User', pk) })
        expect(result.errors).toBeUndefined()
        expect(plain(result.data)).toEqual({ node: null, asUser: null, user: null })
      }
      const tag = await shop.run('query ($id: ID!) { tag(id: $id) { pk } node(id: $id) { id } }', {
        id: gid('Tag', 999),
      })
      expect(tag.errors).toBeUndefined()
      expect(plain(tag.data)).toEqual({ tag: null, node: null })
    })
  })

  describe('orderBy', () => {
    it('refuses an orderBy item with two keys or none', async () => {
      for (const orderBy of [
        [{ username: 'ASC', email: 'DESC' }],
        [{}],
        [{ pk: 'ASC' }, {}],
        [{ profile: {} }],
        [{ profile: { lastName: 'ASC', firstName: 'ASC' } }],
      ]) {
        const result = await refused(
          'query ($o: [UserOrderBy!]) { users(first: 2, orderBy: $o) { totalCount } }',
          { o: orderBy },
        )
        expectClientError(result, 'BAD_USER_INPUT', /orderBy/)
        expect(result.data).toBeNull()
      }
      const literal = await refused('{ users(orderBy: [{ username: ASC, email: DESC }]) { totalCount } }')
      expectClientError(literal, 'BAD_USER_INPUT', /exactly one key/)
    })
  })

  describe('internal errors', () => {
    it('masks an unexpected error with an error id and no SQL or driver text', async () => {
      const failing: Database = {
        kind: db.kind,
        query: () =>
          Promise.reject(
            new Error('relation "users" violates: SELECT secret FROM users WHERE password = $1'),
          ),
        transaction: () => Promise.reject(new Error('SELECT secret')),
        exec: () => Promise.reject(new Error('SELECT secret')),
        onStatement: () => () => {},
        ping: () => Promise.resolve(false),
        close: () => Promise.resolve(),
      }
      const schema = buildShopSchema(failing)
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
      try {
        for (const source of [
          '{ users(first: 1) { nodes { pk } } }',
          `{ user(id: "${gid('User', 1)}") { pk } }`,
        ]) {
          const result = await graphql({ schema, source })
          expectClientError(result, 'INTERNAL_SERVER_ERROR')
          const [error] = result.errors!
          const errorId = error!.extensions?.['errorId']
          expect(errorId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/))
          expect(error!.message).toContain(String(errorId))
          expect(error!.message).not.toMatch(/SELECT|secret|password|relation/)
          expect(error!.stack ?? '').not.toContain('secret')
          // The details are logged for operators, under the same id.
          expect(
            logged.mock.calls.some((call) => call.some((arg) => String(arg).includes(String(errorId)))),
          ).toBe(true)
        }
      } finally {
        logged.mockRestore()
      }
    })
  })
})

/** graphql-js results use null-prototype objects; compare plain JSON. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T
}
