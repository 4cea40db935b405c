// The cost cache keys a report by the variables the pricing read, not by every variable: a new
// id shares one pricing, a new page size is priced anew, and every answer equals a fresh pricing.
import { parse } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import { buildShopSchema, shopConfig } from '../testing/shopFixture.js'
import { costCache } from './costCache.js'
import { requestedQueryCost } from './index.js'
import type { CostModel } from './index.js'

const model: CostModel = {
  weights: resolveConfig(shopConfig).limits.costWeights,
  defaultPageSize: 20,
  maxPageSize: 100,
}

const userId = (n: number) => Buffer.from(`User:${n}`).toString('base64')

describe('cost cache', () => {
  let schema: GraphQLSchema
  let dispose: () => Promise<void>
  beforeAll(async () => {
    const created = await testDatabases()[0]!.create()
    dispose = created.dispose
    schema = buildShopSchema(created.database)
  })
  afterAll(() => dispose())

  it('prices a new id with the report already computed, a new page size anew', () => {
    const priced = costCache(model)
    const document = parse(
      'query ($id: ID!, $n: Int) { user(id: $id) { username orders(first: $n) { nodes { id } } } }',
    )
    const first = priced({ schema, document, variables: { id: userId(1), n: 5 } })
    const second = priced({ schema, document, variables: { id: userId(2), n: 5 } })
    // One pricing for both: the very same report object.
    expect(second).toBe(first)
    // user 1 + orders connection 1 + 5 rows × 1 = 7
    expect(first.cost).toBe(7)
    const larger = priced({ schema, document, variables: { id: userId(1), n: 50 } })
    expect(larger).not.toBe(first)
    expect(larger.cost).toBe(52)
    const oversized = priced({ schema, document, variables: { id: userId(3), n: 500 } })
    expect(oversized.oversizedPage).toEqual({ field: 'User.orders', argument: 'first', value: 500 })
    // A default (no `n`) is not the same as an explicit null or a value.
    expect(priced({ schema, document, variables: { id: userId(1) } }).cost).toBe(22)
    expect(priced({ schema, document, variables: { id: userId(1), n: null } }).cost).toBe(22)
  })

  it('uses the coerced variables it is given and prices invalid variables apart', () => {
    const priced = costCache(model)
    const document = parse('query ($n: Int!) { users(first: $n) { nodes { id } } }')
    expect(priced({ schema, document, variables: { n: 3 }, variableValues: { n: 3 } }).cost).toBe(4)
    const invalid = priced({ schema, document, variables: { n: 'three' }, variableValues: null })
    expect(invalid.invalidVariables).toBe(true)
    expect(priced({ schema, document, variables: { n: 'three' } })).toBe(invalid)
  })

  it('gives a fresh pricing’s answer for every variable set, whichever @skip/@include hides', () => {
    const priced = costCache(model)
    const source = `query ($all: Boolean!, $n: Int, $m: Int, $id: ID!, $deep: Boolean = false) {
      users(first: $n) @include(if: $all) { nodes { id orders(first: $m) @skip(if: $deep) { nodes { id } } } }
      orders(last: $m) { nodes { id user { username } } }
      user(id: $id) { username }
    }`
    const document = parse(source)
    const sets: Array<Record<string, unknown>> = []
    for (const all of [true, false])
      for (const n of [undefined, null, 1, 7, 101, 1000])
        for (const m of [undefined, 2, 300])
          for (const deep of [undefined, true, false])
            for (const id of [1, 2]) {
              const variables: Record<string, unknown> = { all, id: userId(id) }
              if (n !== undefined) variables['n'] = n
              if (m !== undefined) variables['m'] = m
              if (deep !== undefined) variables['deep'] = deep
              sets.push(variables)
            }
    // Twice, in an order that alternates the shapes, so entries are found and reused.
    const order = [...sets, ...sets].map((set, i) => sets[(i * 37) % sets.length] ?? set)
    for (const variables of order) {
      const fresh = requestedQueryCost({ schema, document, variables }, model)
      expect(priced({ schema, document, variables })).toEqual(fresh)
    }
  })
})
