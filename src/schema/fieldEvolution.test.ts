// Field evolution: a renamed column or relation keeps its former GraphQL name as an @deprecated
// alias that reads, filters and orders like the field; a removed field stays as an always-null
// deprecated field. Old client documents keep validating and returning the same data.
import { findBreakingChanges, isObjectType, parse, validate } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from './index.js'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { AutoGenError, ConfigError, ErrorCodes } from '../errors.js'
import type { ModelOptions } from '../models/index.js'
import { orders, users } from '../../examples/shop/models.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

/** Version 2 of the shop: `username` became `login`, `Order.user` became `buyer`, `User.orders` became `purchases`, `nickname` was dropped. */
function evolvedConfig(extra: Partial<ModelOptions> = {}): UserConfig {
  return {
    ...shopConfig,
    models: {
      ...(shopConfig.models as Record<string, unknown>),
      users: {
        table: users,
        fields: { username: { name: 'login', renamedFrom: 'username' } },
        removedFields: { nickname: { type: 'String' } },
        ...extra,
      },
      orders: {
        table: orders,
        defaultOrderBy: [{ createdAt: 'DESC' }],
        relations: {
          userId: {
            name: 'buyer',
            renamedFrom: 'user',
            relatedName: 'purchases',
            relatedRenamedFrom: 'orders',
          },
        },
      },
    } as UserConfig['models'],
  }
}

function fieldOf(schema: GraphQLSchema, typeName: string, field: string) {
  const type = schema.getType(typeName)
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`)
  return type.getFields()[field]
}

describe.each(testDatabases())('field evolution (on $name)', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    shop = await withShop(db, { scale: 0.1, configure: () => evolvedConfig() })
  })

  afterAll(async () => {
    await dispose()
  })

  it('marks former names @deprecated with the new name in the reason, and keeps current names clean', () => {
    expect(fieldOf(shop.schema, 'User', 'username')?.deprecationReason).toBe('Renamed to `login`.')
    expect(fieldOf(shop.schema, 'User', 'login')?.deprecationReason).toBeUndefined()
    expect(fieldOf(shop.schema, 'User', 'orders')?.deprecationReason).toBe('Renamed to `purchases`.')
    expect(fieldOf(shop.schema, 'Order', 'user')?.deprecationReason).toBe('Renamed to `buyer`.')
    expect(fieldOf(shop.schema, 'User', 'nickname')?.deprecationReason).toMatch(
      /Removed from users; always null/,
    )
    expect(String(fieldOf(shop.schema, 'User', 'nickname')?.type)).toBe('String')
  })

  it('leaves no breaking change for clients of the schema before the renames', () => {
    const before = buildShopSchema(db)
    expect(findBreakingChanges(before, shop.schema).map((change) => change.description)).toEqual([])
  })

  it('accepts former input names in mutations, and refuses both names at once', async () => {
    const created = await shop.data<{
      createUser: { success: boolean; user: { login: string; pk: string } }
    }>(
      `mutation { createUser(input: { username: "evolved_1", email: "e1@example.com" }) { success user { pk login } } }`,
    )
    expect(created.createUser).toMatchObject({ success: true, user: { login: 'evolved_1' } })
    const [row] = await shop.rows<{ username: string }>('select username from users where id = $1', [
      created.createUser.user.pk,
    ])
    expect(row?.username).toBe('evolved_1')
    const both = await shop.data<{
      createUser: { success: boolean; errors: Array<{ field: string; code: string }> }
    }>(
      `mutation { createUser(input: { username: "evolved_2", login: "evolved_3", email: "e2@example.com" }) { success errors { field code } } }`,
    )
    expect(both.createUser).toEqual({
      success: false,
      errors: [{ field: 'username', code: 'INVALID_VALUE' }],
    })
    const missing = await shop.data<{ createUser: { errors: Array<{ field: string; code: string }> } }>(
      `mutation { createUser(input: { email: "e3@example.com" }) { errors { field code } } }`,
    )
    expect(missing.createUser.errors).toEqual([{ field: 'login', code: 'REQUIRED' }])
    const userId = (
      await shop.data<{ users: { nodes: Array<{ id: string }> } }>(`{ users(first: 1) { nodes { id } } }`)
    ).users.nodes[0]!.id
    const order = await shop.data<{ createOrder: { success: boolean; order: { buyer: { id: string } } } }>(
      `mutation($user: ID!) { createOrder(input: { userId: $user, total: "1.00" }) { success order { buyer { id } } } }`,
      { user: userId },
    )
    expect(order.createOrder).toEqual({ success: true, order: { buyer: { id: userId } } })
  })

  it('answers old and new names with the same values, in one statement', async () => {
    const { result, count } = await countStatements(db, () =>
      shop.data<{
        users: {
          nodes: Array<
            Record<string, unknown> & { orders: { totalCount: number }; purchases: { totalCount: number } }
          >
        }
      }>(`{
        users(first: 5, orderBy: [{ pk: ASC }]) {
          nodes {
            login username nickname
            purchases(first: 2) { totalCount nodes { pk buyer { login } user { username } } }
            orders(first: 2) { totalCount nodes { pk } }
          }
        }
      }`),
    )
    expect(count).toBe(1)
    const rows = await shop.rows<{ username: string; orders: number }>(
      `select u.username, (select count(*)::int from orders o where o.user_id = u.id) as orders
       from users u order by u.id limit 5`,
    )
    expect(result.users.nodes.map((n) => n['login'])).toEqual(rows.map((r) => r.username))
    for (const node of result.users.nodes) {
      expect(node['username']).toBe(node['login'])
      expect(node['nickname']).toBeNull()
      expect(node.orders.totalCount).toBe(node.purchases.totalCount)
      const purchases = (
        node.purchases as unknown as { nodes: Array<Record<string, { login?: string; username?: string }>> }
      ).nodes
      for (const order of purchases) expect(order['user']?.username).toBe(order['buyer']?.login)
    }
    expect(result.users.nodes.map((n) => n.orders.totalCount)).toEqual(rows.map((r) => r.orders))
  })

  it('filters and orders by a former name exactly as by the current one', async () => {
    const query = (filter: string, order: string): Promise<{ users: { nodes: Array<{ pk: string }> } }> =>
      shop.data(`{ users(first: 50, filter: ${filter}, orderBy: [${order}]) { nodes { pk } } }`)
    const byOld = await query('{ username: { icontains: "an" } }', '{ username: DESC }')
    const byNew = await query('{ login: { icontains: "an" } }', '{ login: DESC }')
    expect(byOld.users.nodes.length).toBeGreaterThan(1)
    expect(byOld).toEqual(byNew)
    const [buyer] = await shop.rows<{ username: string }>(
      'select username from users where id = (select user_id from orders order by id limit 1)',
    )
    const orderFilter = await shop.data<{ orders: { totalCount: number } }>(
      `query($name: String!) { orders(filter: { user: { username: { exact: $name } } }) { totalCount } }`,
      { name: buyer!.username },
    )
    const [expected] = await shop.rows<{ n: number }>(
      `select count(*)::int as n from orders o join users u on u.id = o.user_id where u.username = $1`,
      [buyer!.username],
    )
    expect(expected!.n).toBeGreaterThan(0)
    expect(orderFilter.orders.totalCount).toBe(expected!.n)
  })

  it('refuses to filter on a removed field with a coded error', async () => {
    const document = parse(`{ users(filter: { nickname: { exact: "x" } }) { totalCount } }`)
    // The removed field has no filter entry, so validation refuses it before any SQL.
    expect(
      validate(shop.schema, document)
        .map((e) => e.message)
        .join(),
    ).toMatch(/nickname/)
  })
})

describe('field evolution config errors', () => {
  it('names the path of a removed field with an unknown type', () => {
    const error = catchError(() =>
      buildShopSchema(
        {} as Database,
        evolvedConfig({ removedFields: { nickname: { type: 'Strin' as 'String' } } }),
      ),
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatch(
      /models\.users\.removedFields\.nickname\.type: expected one of .*Did you mean `String`\?/,
    )
  })

  it('refuses a former name that collides with a current field, naming both', () => {
    const error = catchError(() =>
      buildShopSchema(
        {} as Database,
        evolvedConfig({ fields: { username: { name: 'login', renamedFrom: 'email' } } }),
      ),
    )
    expect(error).toBeInstanceOf(AutoGenError)
    expect((error as AutoGenError).code).toBe(ErrorCodes.NAME_COLLISION)
    expect(error.message).toMatch(
      /`email` is wanted by renamedFrom of column users\.username and by column users\.email/,
    )
  })
})

function catchError(work: () => unknown): Error {
  try {
    work()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}
