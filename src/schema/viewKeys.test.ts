// A view whose declared key has several columns: the global id, `pk` and `node` work through
// every declared column, exactly as for a table's composite primary key.
import { sql } from 'drizzle-orm'
import { integer, pgView, text } from 'drizzle-orm/pg-core'
import { graphql } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { SchemaBuilder } from './index.js'

const scores = pgView('scores', {
  team: text('team').notNull(),
  round: integer('round').notNull(),
  points: integer('points'),
}).as(sql`select * from raw_scores`)

describe.each(testDatabases())('a view with a declared composite key (on $name)', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(`
      create table raw_scores (team text not null, round int not null, points int);
      insert into raw_scores values ('red', 1, 3), ('red', 2, 0), ('blue', 1, 1), ('blue', 2, null);
      create view scores as select * from raw_scores;
    `)
    schema = new SchemaBuilder(
      { models: { scores: { table: scores, primaryKey: ['team', 'round'] } } },
      { database: db },
    ).build()
  })

  afterAll(async () => {
    await dispose()
  })

  it('reads each row back by its id through node and score(id), and only that row', async () => {
    const list = await graphql({
      schema,
      source: '{ scores(orderBy: [{ points: DESC_NULLS_LAST }]) { nodes { id pk { team round } points } } }',
    })
    expect(list.errors ?? []).toEqual([])
    const nodes = (list.data as { scores: { nodes: Array<Record<string, unknown>> } }).scores.nodes
    const expected = (
      await db.query({
        text: 'select team, round, points from scores order by points desc nulls last, team, round',
        values: [],
      })
    ).rows
    expect(nodes.map((n) => ({ ...(n['pk'] as object), points: n['points'] }))).toEqual(expected)
    for (const node of nodes) {
      const one = await graphql({
        schema,
        source: `{ node(id: "${String(node['id'])}") { ... on Score { pk { team round } points } } score(id: "${String(node['id'])}") { points } }`,
      })
      expect(one.errors ?? []).toEqual([])
      expect(one.data).toEqual({
        node: { pk: node['pk'], points: node['points'] },
        score: { points: node['points'] },
      })
    }
    expect(new Set(nodes.map((n) => n['id'])).size).toBe(4)
  })
})
