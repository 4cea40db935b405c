// A delete refused because other rows still reference the target must not reveal rows the caller
// cannot see: with the referencing rows outside the caller's row policy, the PROTECTED answer
// names neither their model nor anything about them; with every referencing row visible, it
// names the model only to a caller no row policy restricts on that model (who could list them).
import { graphql } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthUser } from '../auth/index.js'
import type { UserConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import type { ModelOptions } from '../models/index.js'
import { encodeGlobalId } from '../naming/index.js'
import { withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

const customer = (id: string): AuthUser => ({
  id,
  isAuthenticated: true,
  isStaff: false,
  isSuperuser: false,
  permissions: [],
  groups: [],
})

/** Order items are visible only to the customer whose order holds them; products to everyone. */
function policyConfig(config: UserConfig): UserConfig {
  const models = config.models as Record<string, ModelOptions | ModelOptions['table']>
  const orderItems = models['orderItems']!
  const options: ModelOptions =
    'table' in orderItems && !('getSQL' in orderItems)
      ? { ...(orderItems as ModelOptions) }
      : { table: orderItems as ModelOptions['table'] }
  options.rowPolicy = (user) => (user.isStaff ? true : { order: { user: { pk: { exact: user.id } } } })
  return {
    ...config,
    models: { ...models, orderItems: options },
    security: { permissionClasses: ['AllowAny'] },
  }
}

describe.each(testDatabases())('PROTECTED delete and row policies on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture
  let owner: string
  let stranger: string
  let productId: number

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    shop = await withShop(db, { seed: false, configure: policyConfig })
    const [a, b] = await shop.rows<{ id: number }>(
      `insert into users (username, email) values ('owner', 'o@example.com'), ('stranger', 's@example.com') returning id`,
    )
    owner = String(a!.id)
    stranger = String(b!.id)
    const [product] = await shop.rows<{ id: number }>(
      `insert into products (name, sku, price, stock) values ('Chair', '00000000-0000-4000-8000-000000000001', 10, 1) returning id`,
    )
    productId = product!.id
    const [order] = await shop.rows<{ id: number }>(
      `insert into orders (user_id, total) values ($1, 10) returning id`,
      [owner],
    )
    await shop.rows(
      `insert into order_items (order_id, product_id, quantity, unit_price) values ($1, $2, 1, 10)`,
      [order!.id, productId],
    )
  })
  afterAll(async () => dispose())

  const run = async (user: AuthUser, source: string) => {
    const result = await graphql({ schema: shop.schema, source, contextValue: { user } })
    expect(result.errors).toBeUndefined()
    return JSON.parse(JSON.stringify(result.data)) as Record<string, unknown>
  }
  const deleteProduct = (user: AuthUser) =>
    run(
      user,
      `mutation { deleteProduct(id: "${encodeGlobalId('Product', productId)}") { success errors { field code message } } }`,
    )

  it('says nothing about referencing rows the caller cannot see', async () => {
    // The stranger sees no order item of this product…
    const seen = await run(
      customer(stranger),
      `{ product(id: "${encodeGlobalId('Product', productId)}") { orderItems { totalCount } } }`,
    )
    expect(seen).toEqual({ product: { orderItems: { totalCount: 0 } } })
    // …so the refusal names no model, no count, and nothing "referenced by".
    const refused = (await deleteProduct(customer(stranger)))['deleteProduct'] as {
      success: boolean
      errors: Array<{ field: string | null; code: string; message: string }>
    }
    expect(refused.success).toBe(false)
    expect(refused.errors).toEqual([
      {
        field: null,
        code: ErrorCodes.PROTECTED,
        message: 'This Product cannot be deleted: other data depends on it.',
      },
    ])
    expect(await shop.rows('select id from products where id = $1', [productId])).toHaveLength(1)
  })

  it('is as generic for a caller who sees some of those rows through a row policy', async () => {
    const seen = await run(
      customer(owner),
      `{ product(id: "${encodeGlobalId('Product', productId)}") { orderItems { totalCount } } }`,
    )
    expect(seen).toEqual({ product: { orderItems: { totalCount: 1 } } })
    const refused = (await deleteProduct(customer(owner)))['deleteProduct'] as {
      errors: Array<{ code: string; message: string }>
    }
    expect(refused.errors.map((e) => e.message)).toEqual([
      'This Product cannot be deleted: other data depends on it.',
    ])
  })

  it('names the referencing model to a caller no row policy restricts on it', async () => {
    const refused = (await deleteProduct({ ...customer(owner), isStaff: true }))['deleteProduct'] as {
      errors: Array<{ code: string; message: string }>
    }
    expect(refused.errors).toEqual([
      {
        field: null,
        code: ErrorCodes.PROTECTED,
        message: 'This Product is still referenced by OrderItem rows; delete or reassign them first.',
      },
    ])
  })
})
