// The one statement cache against fresh compiles: for every query and variable set (ids of every
// type, composite keys, filters with icontains/in/ranges, cursors, first/last, @skip/@include,
// enums, nulls, row policies that bind values before the key), the statement the cache gives —
// re-bound from a template for a new id, or found — has exactly the text and values a fresh
// compile gives, on both routes (enum names for the compiled route, values for graphql-js).
import { getOperationAST, getVariableValues, parse } from 'graphql'
import type { DocumentNode, GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from './index.js'
import { collectFields } from '../compile/index.js'
import type { RowPolicy } from '../auth/index.js'
import type { ModelOptions } from '../models/index.js'
import type { SqlStatement } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import { withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { withCompositeKeys } from '../testing/compositeKeysFixture.js'
import type { CompositeKeysFixture } from '../testing/compositeKeysFixture.js'
import { chooseRoute } from './chooseRoute.js'
import { rootFieldStatement } from './readRootField.js'
import { getSchemaRuntime } from './SchemaRuntime.js'
import { cachedStatement, statementKey } from './statementCache.js'

const gid = (type: string, key: number | string | ReadonlyArray<string | number>): string =>
  Buffer.from(
    `${type}:${Array.isArray(key) ? JSON.stringify(key.map(String)) : String(key as number | string)}`,
    'utf8',
  ).toString('base64')

type Variables = Record<string, unknown>

/** Anonymous callers see active users, and user 12 by name, so `'12'` is bound before any key. */
function policedShop(config: UserConfig): UserConfig {
  const policy: RowPolicy = (user) =>
    user.isAuthenticated ? true : { or: [{ isActive: true }, { username: { exact: '12' } }] }
  const models = { ...(config.models as Record<string, ModelOptions | ModelOptions['table']>) }
  models['users'] = {
    table: models['users'] as ModelOptions['table'],
    rowPolicy: policy,
  }
  return { ...config, models }
}

/**
 * Runs each (document, variables) in turn, twice over in a shuffled order, and compares every
 * root field's cached statement with a fresh compile, on both routes. Returns how many fields
 * went through the compiled route (so a corpus that silently fell back would fail).
 */
async function compareAll(
  schema: GraphQLSchema,
  cases: ReadonlyArray<{ source: string; sets: readonly Variables[] }>,
): Promise<number> {
  const runtime = getSchemaRuntime(schema)
  const runs: Array<[DocumentNode, Variables]> = []
  for (const { source, sets } of cases) {
    const document = parse(source)
    for (const variables of sets) runs.push([document, variables])
  }
  const order = [...runs, ...runs].map((_, i, all) => all[(i * 7) % all.length]!)
  let compiled = 0
  for (const [document, variables] of order) {
    const choice = await chooseRoute({ schema, document, variableValues: variables, contextValue: {} })
    const label = `${JSON.stringify(variables)} ${document.loc?.source.body.slice(0, 60)}`
    expect(choice.route, `${label}: ${choice.reason}`).toBe('compiled')
    if (choice.route !== 'compiled') continue
    const operation = getOperationAST(document)!
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables)
    const variableValues = coerced.coerced!
    const fragments = {}
    const request = { schema, fragments, variableValues }
    const nodes = new Map(
      collectFields(request, 'Query', [operation.selectionSet]).map((field) => [
        field.responseKey,
        field.nodes,
      ]),
    )
    for (const field of choice.plan.fields) {
      if (!('statement' in field)) continue
      compiled++
      const read = { ...request, fieldNodes: nodes.get(field.key)! }
      const fresh = rootFieldStatement(runtime, read, field.target, field.access, undefined, true)
      expect(textAndValues(field.statement), label).toEqual(textAndValues(fresh))
      // The graphql-js route's resolver: the same cache, values rendered as graphql-js wants them.
      const key = statementKey(
        operation,
        fragments,
        field.key,
        variableValues,
        field.access,
        false,
        field.target,
      )
      expect(key).toBeDefined()
      const cached = rootFieldStatement(runtime, read, field.target, field.access, key, false)
      const freshValues = rootFieldStatement(runtime, read, field.target, field.access, undefined, false)
      expect(textAndValues(cached), label).toEqual(textAndValues(freshValues))
    }
  }
  return compiled
}

function textAndValues(statement: SqlStatement): { text: string; values: unknown[]; customPlan: boolean } {
  return { text: statement.text, values: [...statement.values], customPlan: Boolean(statement.customPlan) }
}

describe.each(testDatabases())('the one statement cache on $name', ({ create }) => {
  let shop: ShopFixture
  let composite: CompositeKeysFixture
  const disposers: Array<() => Promise<void>> = []
  let cursors: string[]

  beforeAll(async () => {
    // Two databases: both fixtures have `orders` and `products` tables.
    const forShop = await create()
    const forComposite = await create()
    disposers.push(forShop.dispose, forComposite.dispose)
    shop = await withShop(forShop.database, { scale: 0.05, configure: policedShop })
    composite = await withCompositeKeys(forComposite.database)
    const page = await shop.data<{ users: { edges: Array<{ cursor: string }> } }>(
      '{ users(first: 5, orderBy: [{username: ASC}]) { edges { cursor } } }',
    )
    cursors = page.users.edges.map((edge) => edge.cursor)
  })
  afterAll(async () => {
    for (const dispose of disposers) await dispose()
  })

  it('gives a fresh compile’s text and values for ids, lists, filters, cursors and directives', async () => {
    const ids = [1, 2, 3, 12, 21, 40]
    const cases = [
      {
        source: `query ($id: ID!) { user(id: $id) { id username email orders(first: 2) { nodes { id status } } } }`,
        sets: ids.map((n) => ({ id: gid('User', n) })),
      },
      {
        source: `query ($id: ID!, $n: Int, $withOrders: Boolean!) {
          user(id: $id) { username orders(first: $n, orderBy: [{createdAt: DESC}]) @include(if: $withOrders) { nodes { id status } } }
        }`,
        sets: ids.flatMap((n) =>
          [null, 1, 3].flatMap((first) =>
            [true, false].map((withOrders) => ({ id: gid('User', n), n: first, withOrders })),
          ),
        ),
      },
      {
        source: `query ($id: ID!) {
          node(id: $id) { id ... on User { username } ... on Product { name price } ... on Order { status createdAt } }
        }`,
        sets: [
          ...ids.map((n) => ({ id: gid('User', n) })),
          ...ids.map((n) => ({ id: gid('Product', n) })),
          ...ids.map((n) => ({ id: gid('Order', n) })),
        ],
      },
      {
        // The same id in two root fields and in a filter: keyed by its value there, still exact.
        source: `query ($id: ID!) {
          a: user(id: $id) { username }
          b: user(id: $id) { email }
          users(filter: {id: {exact: $id}}) { nodes { id } }
        }`,
        sets: ids.map((n) => ({ id: gid('User', n) })),
      },
      {
        source: `query ($q: String, $ids: [ID!], $from: DateTime, $to: DateTime, $active: Boolean, $first: Int, $last: Int) {
          users(first: $first, last: $last, orderBy: [{username: ASC}],
                filter: {username: {icontains: $q}, id: {in: $ids}, createdAt: {gte: $from, lte: $to}, isActive: $active}) {
            totalCount nodes { id username } pageInfo { hasNextPage endCursor }
          }
        }`,
        sets: [
          { q: 'a', first: 3 },
          { q: 'B', last: 2 },
          { ids: [gid('User', 1), gid('User', 12)], first: 5 },
          { ids: [], active: true },
          { from: '2023-01-01', to: '2023-12-31T12:00:00Z', active: false, first: 1 },
          { q: '%_\\', from: '2020-01-01' },
        ],
      },
      {
        source: `query ($after: String, $before: String, $status: [OrderStatus!], $first: Int, $last: Int) {
          users(first: $first, last: $last, after: $after, before: $before, orderBy: [{username: ASC}]) {
            edges { cursor node { username orders(first: 2, filter: {status: {in: $status}}) { nodes { status } } } }
          }
        }`,
        sets: [
          { first: 2, status: ['PAID', 'SHIPPED'] },
          { last: 2, status: ['PENDING'] },
          {},
          ...[0, 1, 2, 3].flatMap((i) => [
            { after: cursors[i], first: 2 },
            { before: cursors[i + 1], last: 1, status: ['DELIVERED'] },
          ]),
        ],
      },
      {
        source: `query ($id: ID!, $skip: Boolean!, $tag: Boolean = true) {
          user(id: $id) { username email @skip(if: $skip) isActive @include(if: $tag) }
        }`,
        sets: ids.flatMap((n) =>
          [true, false].flatMap((skip) => [
            { id: gid('User', n), skip },
            { id: gid('User', n), skip, tag: false },
          ]),
        ),
      },
    ]
    expect(await compareAll(shop.schema, cases)).toBeGreaterThan(200)
  })

  it('compiles a one-row query twice whatever the number of ids (once, then once to verify)', async () => {
    const runtime = getSchemaRuntime(shop.schema)
    const document = parse(`query ($id: ID!) { user(id: $id) { username profile { bio } } }`)
    const operation = getOperationAST(document)!
    let compiles = 0
    const texts = new Set<string>()
    for (let n = 1; n <= 30; n++) {
      const variables = { id: gid('User', n) }
      const choice = await chooseRoute({
        schema: shop.schema,
        document,
        variableValues: variables,
        contextValue: {},
      })
      if (choice.route !== 'compiled') throw new Error(choice.reason)
      const field = choice.plan.fields[0]!
      if (!('statement' in field)) throw new Error('not a statement')
      const request = { schema: shop.schema, fragments: {}, variableValues: variables }
      const read = {
        ...request,
        fieldNodes: collectFields(request, 'Query', [operation.selectionSet])[0]!.nodes,
      }
      const key = statementKey(operation, {}, 'user', variables, field.access, true, field.target)
      // The route's statement is the cache's: asking again compiles nothing.
      const again = cachedStatement(runtime, key, field.target, () => {
        compiles++
        return rootFieldStatement(runtime, read, field.target, field.access, undefined, true)
      })
      expect(again.values).toEqual(field.statement.values)
      texts.add(again.text)
    }
    expect(compiles).toBe(0)
    expect(texts.size).toBe(1)
    // A new operation text: its first id compiles, its second verifies, the rest re-bind.
    const other = parse(`query ($id: ID!) { user(id: $id) { email } }`)
    const otherOperation = getOperationAST(other)!
    const request = { schema: shop.schema, fragments: {}, variableValues: {} }
    const fieldNodes = collectFields(request, 'Query', [otherOperation.selectionSet])[0]!.nodes
    const first = await chooseRoute({
      schema: shop.schema,
      document: other,
      variableValues: { id: gid('User', 1) },
      contextValue: {},
    })
    if (first.route !== 'compiled' || !('statement' in first.plan.fields[0]!)) throw new Error('not compiled')
    const { access } = first.plan.fields[0]
    const model = first.plan.fields[0].target.model
    compiles = 0
    for (let n = 100; n < 130; n++) {
      const target = { kind: 'single' as const, model, pk: String(n) }
      const key = statementKey(otherOperation, {}, 'user', {}, access, false, target)
      cachedStatement(runtime, key, target, () => {
        compiles++
        return rootFieldStatement(runtime, { ...request, fieldNodes }, target, access, undefined, false)
      })
    }
    expect(compiles).toBe(2)
  })

  it('re-binds every column of a composite key, the same texts in two columns included', async () => {
    const details = [
      [1, 1],
      [1, 2],
      [2, 1],
      [3, 3],
      [2, 7],
    ]
    const labels = [
      ['a', 'a', 'tag'],
      ['a', 'b', 'flag'],
      ['x', 'x', 'tag'],
      ['b', 'a', 'flag'],
    ]
    const cases = [
      {
        source: `query ($id: ID!, $label: ID!) {
          node(id: $id) { id ... on OrderDetail { pk { orderId productId } quantity } }
          label(id: $label) { pk { kind scope name } value }
        }`,
        sets: details.flatMap((detail) =>
          labels.map((label) => ({ id: gid('OrderDetail', detail), label: gid('Label', label) })),
        ),
      },
    ]
    expect(await compareAll(composite.schema, cases)).toBe(2 * 2 * details.length * labels.length)
  })
})
