// The one route decision, and the two query options it and the schema read.
import { parse } from 'graphql'
import { afterAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { shopConfig } from '../testing/shopFixture.js'
import { chooseRoute, SchemaBuilder } from './index.js'

describe('chooseRoute and the query options', () => {
  const database = new PGliteDatabase()
  afterAll(() => database.close())
  const build = (queries: Record<string, unknown> = {}) =>
    new SchemaBuilder({ ...shopConfig, queries: { ...shopConfig.queries, ...queries } }, { database }).build()
  const route = (schema: ReturnType<typeof build>, source: string) =>
    chooseRoute({ schema, document: parse(source), contextValue: { state: {} } })

  it('gives the route and why, deciding before any SQL', async () => {
    const schema = build()
    const compiled = await route(schema, '{ users(first: 2) { nodes { pk } } }')
    expect(compiled).toMatchObject({ route: 'compiled', reason: 'every field is compiled SQL' })
    expect(await route(schema, 'mutation { deleteTag(id: "VGFnOjE=") { success } }')).toEqual({
      route: 'graphql-js',
      reason: 'a mutation',
    })
    expect(await route(schema, '{ __schema { queryType { name } } }')).toEqual({
      route: 'graphql-js',
      reason: 'introspection (__schema)',
    })
    expect(await route(schema, '{ user(id: "not an id") { pk } }')).toEqual({
      route: 'graphql-js',
      reason: 'Query.user refuses this caller or these arguments',
    })
  })

  it('queries.queryOptimization: false sends every operation to graphql-js', async () => {
    expect(await route(build({ queryOptimization: false }), '{ users(first: 2) { nodes { pk } } }')).toEqual({
      route: 'graphql-js',
      reason: 'queries.queryOptimization is off',
    })
  })

  it('queries.ordering: false leaves orderBy out of every list', () => {
    const ordered = build().getQueryType()!.getFields()['users']!
    const unordered = build({ ordering: false }).getQueryType()!.getFields()['users']!
    expect(ordered.args.map((a) => a.name)).toContain('orderBy')
    expect(unordered.args.map((a) => a.name)).not.toContain('orderBy')
    expect(unordered.args.map((a) => a.name)).toEqual(['first', 'after', 'last', 'before', 'filter'])
  })
})
