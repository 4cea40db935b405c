// A foreign key input says what the mutation enforces: a NOT NULL key is Required on create and
// cannot be cleared on update; only a nullable key is "null clears it".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isInputObjectType } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { PGliteDatabase } from '../database/index.js'
import { withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'

function inputFieldDescription(schema: GraphQLSchema, type: string, field: string): string | undefined {
  const input = schema.getType(type)
  if (!isInputObjectType(input)) throw new Error(`${type} is not an input type`)
  return input.getFields()[field]?.description ?? undefined
}

describe('foreign key inputs', () => {
  let db: PGliteDatabase
  let shop: ShopFixture
  beforeAll(async () => {
    db = new PGliteDatabase()
    shop = await withShop(db, { scale: 0.02 })
  })
  afterAll(async () => db.close())

  it('describe a NOT NULL key as Required on create and not clearable on update', () => {
    expect(inputFieldDescription(shop.schema, 'CreateOrderInput', 'userId')).toBe(
      'Global id of the related User. Required.',
    )
    expect(inputFieldDescription(shop.schema, 'UpdateOrderInput', 'userId')).toBe(
      'Global id of the related User (cannot be null).',
    )
  })

  it('describe a nullable key as cleared by null', () => {
    // categories.parent_id is nullable (the root of the tree has no parent).
    expect(inputFieldDescription(shop.schema, 'CreateCategoryInput', 'parentId')).toBe(
      'Global id of the related Category (null clears it).',
    )
  })

  it('behave as described: a missing NOT NULL key is REQUIRED, null is refused on update', async () => {
    const created = await shop.data<{ createOrder: { success: boolean; errors: unknown[] } }>(
      'mutation { createOrder(input: {total: "1.00"}) { success errors { field code } } }',
    )
    expect(created.createOrder).toEqual({ success: false, errors: [{ field: 'userId', code: 'REQUIRED' }] })
    const [order] = await shop
      .data<{ orders: { nodes: Array<{ id: string }> } }>('{ orders(first: 1) { nodes { id } } }')
      .then((d) => d.orders.nodes)
    const cleared = await shop.data<{ updateOrder: { success: boolean; errors: unknown[] } }>(
      'mutation($id: ID!) { updateOrder(id: $id, input: {userId: null}) { success errors { field code } } }',
      { id: order!.id },
    )
    expect(cleared.updateOrder).toEqual({ success: false, errors: [{ field: 'userId', code: 'REQUIRED' }] })
  })
})
