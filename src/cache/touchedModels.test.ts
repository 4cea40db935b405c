// Which models a statement reads or writes, and how far a write may cascade.
import { describe, expect, it } from 'vitest'
import { readModels } from '../models/index.js'
import { resolveConfig } from '../schema/index.js'
import { shopConfig } from '../testing/shopFixture.js'
import { touchedModels } from './touchedModels.js'

const tables = touchedModels(readModels(resolveConfig(shopConfig).models))

describe('touchedModels', () => {
  it('finds every table a read mentions, junctions included', () => {
    const text =
      'select json_build_object(\'tags\', (select 1 from "product_tags" as "j" join "tags" as "t1" on true)) from "products" as "t0"'
    expect(tables.read(text).sort()).toEqual(['productTags', 'products', 'tags'])
    expect(tables.written(text)).toEqual([])
  })

  it('finds the tables a write targets, in plain statements and writing CTEs', () => {
    expect(tables.written('insert into "orders" ("user_id") values ($1) returning *')).toEqual(['orders'])
    expect(tables.written('update "users" set "email" = $1 where "id" = any($2)')).toEqual(['users'])
    expect(
      tables.written('with removed as (delete from "product_tags" as j using src returning 1) select 1'),
    ).toEqual(['productTags'])
    // Row locks are not writes.
    expect(tables.written('select "t"."id" from "orders" as "t" order by 1 for update of "t"')).toEqual([])
  })

  it('follows foreign keys that may cascade, all the way down', () => {
    expect([...tables.affectedBy('users')].sort()).toEqual(['orderItems', 'orders', 'profiles', 'users'])
    expect([...tables.affectedBy('products')].sort()).toEqual(['orderItems', 'productTags', 'products'])
    expect([...tables.affectedBy('orderItems')]).toEqual(['orderItems'])
  })
})
