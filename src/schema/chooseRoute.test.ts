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

  it('a new key re-derives only its target: its own key bound, the same text; a bad key still refused', async () => {
    const schema = build()
    const document = parse('query ($id: ID!) { user(id: $id) { pk username } }')
    const id = (type: string, pk: number) => Buffer.from(`${type}:${pk}`).toString('base64')
    const routeFor = (variables: Record<string, unknown>) =>
      chooseRoute({ schema, document, variableValues: variables, contextValue: { state: {} } })
    const statementOf = (choice: Awaited<ReturnType<typeof routeFor>>) => {
      if (choice.route !== 'compiled') throw new Error(`expected the compiled route: ${choice.reason}`)
      const field = choice.plan.fields[0]!
      if ('text' in field) throw new Error('expected a statement')
      return { pk: field.target.kind === 'single' ? field.target.pk : undefined, ...field.statement }
    }
    const first = statementOf(await routeFor({ id: id('User', 1) }))
    expect(first.pk).toBe('1')
    for (const pk of [2, 3, 40]) {
      const next = statementOf(await routeFor({ id: id('User', pk) }))
      expect(next.pk).toBe(String(pk))
      expect(next.text).toBe(first.text)
      expect(next.values).toContain(String(pk))
      expect(next.values).not.toContain('1')
    }
    // Keys that do not derive a user's target are decided again, and refused as always.
    const refused = { route: 'graphql-js', reason: 'Query.user refuses this caller or these arguments' }
    expect(await routeFor({ id: 'not an id' })).toEqual(refused)
    expect(await routeFor({ id: id('Tag', 2) })).toEqual(refused)
    expect(statementOf(await routeFor({ id: id('User', 1) })).pk).toBe('1')
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
