// Pricing bounded by the rows tables really hold: a list under distinct parent rows that follows a
// foreign key (or a root list) returns no more rows than its table has; a to-one hop or a junction
// repeats rows, so nothing bounds lists below it. Expectations worked out by hand per document
// with the default weights (scalar 0, object 1, connection 1) and defaultPageSize 20.
import { isObjectType, parse, validate } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { buildShopSchema, shopConfig, shopConfigWith, withShop } from '../testing/shopFixture.js'
import { costCache } from './costCache.js'
import { requestedQueryCost } from './queryCost.js'
import type { CostModel } from './queryCost.js'
import { rowSourceOf } from './rowSource.js'
import { structuralRules } from './structuralRules.js'
import { ROW_COUNT_CAP, TableRowCounts, tableRowCounts } from './tableRowCounts.js'

const weights = resolveConfig(shopConfig).limits.costWeights

/** The SQL table a list field reads, as the schema builder marked it. */
function tableOf(schema: GraphQLSchema, typeName: string, fieldName: string): string {
  const type = schema.getType(typeName)
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`)
  const source = rowSourceOf(type.getFields()[fieldName]!)
  if (!source) throw new Error(`${typeName}.${fieldName} has no row source`)
  return source.table
}

describe('pricing bounded by table rows', () => {
  let schema: GraphQLSchema
  let legacy: GraphQLSchema
  let dispose: () => Promise<void>
  let model: CostModel
  beforeAll(async () => {
    const created = await testDatabases()[0]!.create()
    dispose = created.dispose
    schema = buildShopSchema(created.database)
    legacy = buildShopSchema(created.database, shopConfigWith({ pagination: 'legacy' }))
    const sizes = new Map([
      [tableOf(schema, 'Query', 'users'), 8],
      [tableOf(schema, 'Query', 'orders'), 16],
      [tableOf(schema, 'Query', 'products'), 4],
      [tableOf(schema, 'Query', 'tags'), 2],
      [tableOf(schema, 'Query', 'orderItems'), 64],
    ])
    model = { weights, defaultPageSize: 20, maxPageSize: 100, tableRows: (table) => sizes.get(table) }
  })
  afterAll(() => dispose())

  const cost = (target: GraphQLSchema, source: string, custom: CostModel = model) =>
    requestedQueryCost({ schema: target, document: parse(source) }, custom).cost

  it('marks root lists and foreign-key lists distinct, junction lists not', () => {
    expect(rowSourceOf(schema.getQueryType()!.getFields()['users']!)).toMatchObject({ distinct: true })
    const user = schema.getType('User')
    const product = schema.getType('Product')
    if (!isObjectType(user) || !isObjectType(product)) throw new Error('shop types missing')
    expect(rowSourceOf(user.getFields()['orders']!)).toMatchObject({ distinct: true })
    expect(rowSourceOf(product.getFields()['tags']!)).toMatchObject({ distinct: false })
  })

  it('prices a connection that selects no rows at its own weight only', () => {
    // users 1 + 10 rows × (row 1 + orders connection 1 + totalCount 0) = 21, table sizes aside
    const source = '{ users(first: 10) { nodes { orders { totalCount } } } }'
    expect(cost(schema, source, { ...model, tableRows: () => undefined })).toBe(21)
  })

  it('bounds root and foreign-key lists by their tables under distinct parents', () => {
    // users min(20, 8) = 8: 1 + 8; orders connection 8 + rows min(8 × 20, 16) = 16 → 33
    expect(cost(schema, '{ users { nodes { orders { nodes { id } } } } }')).toBe(33)
    // unbounded (no counts): 1 + 20 × (1 + 1 + 20) = 441
    const unbounded = { ...model, tableRows: () => undefined }
    expect(cost(schema, '{ users { nodes { orders { nodes { id } } } } }', unbounded)).toBe(441)
  })

  it('stops bounding below a to-one hop, where rows repeat', () => {
    // orders min(20, 16) = 16: 1 + 16; user 16; orders connection 16 + rows 16 × 20 = 320 → 369
    expect(cost(schema, '{ orders { nodes { user { orders { nodes { id } } } } } }')).toBe(369)
  })

  it('does not bound lists through a junction table', () => {
    // products min(20, 4) = 4: 1 + 4; tags connection 4 + rows 4 × 20 = 80 → 89
    expect(cost(schema, '{ products { nodes { tags { nodes { id } } } } }')).toBe(89)
  })

  it("prices the design source's nested legacy query by the rows it can return", () => {
    const source = `{ users { id username profile { firstName lastName }
      orders { id total items { id product { name price } } } } }`
    // legacy lists without limit fetch maxPageSize (100): users 1 + min(100, 8) = 8;
    // profile 8; orders 8 + min(800, 16) = 16; items 16 + min(1600, 64) = 64; product 64 → 185
    expect(cost(legacy, source)).toBe(185)
    // with no table sizes known: 1 + 100 × (1 + 1 + 1 + 100 × (1 + 1 + 100 × (1 + 1)))
    expect(cost(legacy, source, { ...model, tableRows: () => undefined })).toBe(2_020_301)
  })
})

describe.each(testDatabases())('table row counts on $name', ({ create }) => {
  let database: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema
  beforeAll(async () => {
    const created = await create()
    database = created.database
    dispose = created.dispose
    await withShop(database, { scale: 0.05 })
    schema = buildShopSchema(database)
  }, 120_000)
  afterAll(() => dispose())

  it('counts every table behind a list field in one statement, rounded up to a power of two', async () => {
    const counts = new TableRowCounts(database, [tableOf(schema, 'Query', 'users')])
    const statements: string[] = []
    const stop = database.onStatement((statement) => statements.push(statement.text))
    await counts.load()
    stop()
    const [{ n }] = (
      await database.query<{ n: number }>({ text: 'select count(*)::int as n from users', values: [] })
    ).rows as [{ n: number }]
    expect(n).toBe(20)
    expect(counts.rows(tableOf(schema, 'Query', 'users'))).toBe(32)
    expect(statements).toHaveLength(1)
  })

  it('leaves a table past the cap, or one that does not exist, unbounded and counts the rest', async () => {
    await database.exec(
      `create table big_rows as select g as id from generate_series(1, ${ROW_COUNT_CAP + 1}) as g`,
    )
    try {
      const counts = new TableRowCounts(database, ['"big_rows"', '"no_such_table"', '"orders"'])
      await counts.load()
      expect(counts.rows('"big_rows"')).toBeUndefined()
      expect(counts.rows('"no_such_table"')).toBeUndefined()
      expect(counts.rows('"orders"')).toBe(64)
    } finally {
      await database.exec('drop table big_rows')
    }
  })

  it('reprices a cached operation once the counts change', async () => {
    const counts = tableRowCounts(schema, database)
    await counts.load()
    const priced = costCache({ weights, defaultPageSize: 100, maxPageSize: 100 })
    const input = { schema, document: parse('{ users { nodes { id } } }') }
    expect(priced(input, counts).cost).toBe(1 + 32)
    await database.exec(
      `insert into users (username, email)
       select 'extra' || g, 'extra' || g || '@example.com' from generate_series(1, 20) as g`,
    )
    await counts.load()
    expect(priced(input, counts).cost).toBe(1 + 64)
  })
})

describe('depth through fragments', () => {
  let schema: GraphQLSchema
  let dispose: () => Promise<void>
  beforeAll(async () => {
    const created = await testDatabases()[0]!.create()
    dispose = created.dispose
    schema = buildShopSchema(created.database)
  })
  afterAll(() => dispose())

  const inline = `{ users { nodes { orders { nodes { items { nodes { product { name } } } } } } } }`
  const split = `
    query { users { ...UserRow } }
    fragment UserRow on UserConnection { nodes { ...UserOrders } }
    fragment UserOrders on User { orders { nodes { ...OrderItems } } }
    fragment OrderItems on Order { items { nodes { ...ItemProduct } } }
    fragment ItemProduct on OrderItem { product { ... on Product { name } } }`

  it('counts a selection split into named and inline fragments as the same selection inline', () => {
    const limits = (maxDepth: number) => ({ ...resolveConfig(shopConfig).limits, maxDepth })
    for (const maxDepth of [7, 8]) {
      const verdict = (source: string) =>
        validate(schema, parse(source), structuralRules(limits(maxDepth))).map((e) => e.extensions['code'])
      expect(verdict(split)).toEqual(verdict(inline))
    }
    // The inline selection is 8 deep: refused at 7, accepted at 8.
    expect(validate(schema, parse(inline), structuralRules(limits(7)))).toHaveLength(1)
    expect(validate(schema, parse(split), structuralRules(limits(8)))).toEqual([])
  })
})
