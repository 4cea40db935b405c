// Tables as they are: views, materialized views, tables without a primary key, arrays and
// description sources, read into the ModelGraph (no database needed: this is the reading alone;
// what the API does with them is tested in src/schema/tablesAsTheyAre.test.ts).
import { sql } from 'drizzle-orm'
import {
  integer,
  jsonb,
  pgEnum,
  pgMaterializedView,
  pgSequence,
  pgTable,
  pgView,
  serial,
  text,
  unique,
} from 'drizzle-orm/pg-core'
import { relations } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import { drizzleNonModelKind, getModel, isModelSource, readModels } from './index.js'
import type { DescriptionSource, ModelOptions } from './index.js'

const authors = pgTable('authors', { id: serial('id').primaryKey(), name: text('name').notNull() })
const stats = pgView('author_stats', { id: integer().notNull(), books: integer() }).as(
  sql`select a.id, count(*)::int as books from authors a group by a.id`,
)
const existing = pgView('legacy_report', { day: text('day').notNull(), total: integer('total') }).existing()
const titles = pgMaterializedView('book_titles', { id: integer('id').notNull(), title: text('title') }).as(
  sql`select 1 as id, 'x' as title`,
)
const fromBuilder = pgView('author_names').as((qb) => qb.select().from(authors))
const events = pgTable('events', { kind: text('kind').notNull(), payload: jsonb('payload') })
const readings = pgTable(
  'readings',
  { sensor: text('sensor').notNull(), taken: integer('taken').notNull(), note: text('note').unique() },
  (t) => [unique().on(t.sensor, t.taken)],
)

const read = (models: Record<string, ModelOptions>): ReturnType<typeof readModels> =>
  readModels(Object.entries(models).map(([name, options]) => ({ name, options })))

describe('model sources', () => {
  it('reads views and materialized views, in every form drizzle-kit pull and users write, as read-only', () => {
    const graph = read({
      authors: { table: authors },
      stats: { table: stats },
      existing: { table: existing },
      titles: { table: titles },
      fromBuilder: { table: fromBuilder },
    })
    const summary = (name: string): unknown => {
      const model = getModel(graph, name)
      return {
        kind: model.kind,
        table: model.table,
        readOnly: model.readOnly,
        fields: model.fields.map((f) => `${f.key}:${f.column}:${f.kind}${f.nullable ? '?' : ''}`),
        primaryKey: model.primaryKey.map((f) => f.key),
      }
    }
    expect(summary('authors')).toMatchObject({ kind: 'table', readOnly: false, primaryKey: ['id'] })
    expect(summary('stats')).toEqual({
      kind: 'view',
      table: 'author_stats',
      readOnly: true,
      fields: ['id:id:Int', 'books:books:Int?'],
      primaryKey: [],
    })
    expect(summary('existing')).toMatchObject({ kind: 'view', table: 'legacy_report', primaryKey: [] })
    expect(summary('titles')).toMatchObject({
      kind: 'materializedView',
      table: 'book_titles',
      readOnly: true,
    })
    // A view selecting a table copies its columns, primary-key flag included; a view enforces no
    // key, so none is taken from it.
    expect(summary('fromBuilder')).toEqual({
      kind: 'view',
      table: 'author_names',
      readOnly: true,
      fields: ['id:id:Int', 'name:name:String'],
      primaryKey: [],
    })
    expect(getModel(graph, 'fromBuilder').rowKey).toEqual([])
  })

  it('takes a declared primaryKey on a view as its key, and refuses bad declarations readably', () => {
    const graph = read({ stats: { table: stats, primaryKey: ['id'] } })
    const model = getModel(graph, 'stats')
    expect(model.primaryKey.map((f) => f.key)).toEqual(['id'])
    expect(model.rowKey.map((f) => f.key)).toEqual(['id'])
    expect(model.readOnly).toBe(true)
    const error = (options: ModelOptions): string => {
      try {
        read({ authors: { table: authors }, x: options })
      } catch (caught) {
        expect(caught).toBeInstanceOf(ConfigError)
        return (caught as Error).message
      }
      throw new Error('expected a ConfigError')
    }
    expect(error({ table: stats, primaryKey: ['idd'] })).toBe(
      'models.x.primaryKey: no column `idd`. Did you mean `id`?',
    )
    expect(error({ table: stats, primaryKey: ['books'] })).toContain(
      'column `books` cannot identify a row: a key column must be declared `.notNull()`',
    )
    expect(error({ table: stats, primaryKey: [] })).toContain('expected a non-empty list')
    expect(error({ table: authors, primaryKey: ['name'] })).toBe(
      'models.x.primaryKey: table `authors` already has a primary key (id); `primaryKey` is only for views and tables without one.',
    )
  })

  it('links a view to a model through a declared reference, and refuses bad ones readably', () => {
    const graph = read({
      authors: { table: authors },
      stats: { table: stats, relations: { id: { references: 'authors', name: 'author' } } },
    })
    const relation = (model: string): unknown =>
      getModel(graph, model).relations.map((r) => ({
        kind: r.kind,
        target: r.target,
        columns: r.sourceColumns,
      }))
    expect(relation('stats')).toEqual([{ kind: 'toOne', target: 'authors', columns: ['id'] }])
    expect(relation('authors')).toEqual([{ kind: 'toMany', target: 'stats', columns: ['id'] }])
    const error = (models: Record<string, ModelOptions>): string => {
      try {
        read(models)
      } catch (caught) {
        expect(caught).toBeInstanceOf(ConfigError)
        return (caught as Error).message
      }
      throw new Error('expected a ConfigError')
    }
    expect(
      error({
        authors: { table: authors },
        stats: { table: stats, relations: { id: { references: 'author' } } },
      }),
    ).toBe('models.stats.relations.id.references: no model `author`. Did you mean `authors`?')
    expect(
      error({
        events: { table: events },
        stats: { table: stats, relations: { id: { references: 'events' } } },
      }),
    ).toBe(
      'models.stats.relations.id.references: model `events` has no single-column key to refer to (declare its `primaryKey`).',
    )
    expect(error({ authors: { table: authors, relations: { name: { references: 'authors' } } } })).toContain(
      'declare the foreign key in the database',
    )
  })

  it('tells rows of a keyless table apart by a unique NOT NULL key when it has one', () => {
    const graph = read({ events: { table: events }, readings: { table: readings } })
    expect(getModel(graph, 'events')).toMatchObject({ readOnly: true, primaryKey: [], rowKey: [] })
    const model = getModel(graph, 'readings')
    expect(model).toMatchObject({ kind: 'table', readOnly: true, primaryKey: [] })
    // `note` is unique but nullable (NULLs never collide), so the composite key is the one.
    expect(model.rowKey.map((f) => f.key)).toEqual(['sensor', 'taken'])
  })

  it('types array elements nullable unless the element is declared notNull', () => {
    const lists = pgTable('lists', {
      id: serial('id').primaryKey(),
      loose: text('loose').array(),
      strictList: text('strict_list').array().notNull(),
      strictItems: text('strict_items').notNull().array(),
    })
    const fields = getModel(read({ lists: { table: lists } }), 'lists').fields
    const shape = (key: string): unknown => {
      const field = fields.find((f) => f.key === key)!
      return { isList: field.isList, itemsNullable: field.itemsNullable, nullable: field.nullable }
    }
    expect(shape('loose')).toEqual({ isList: true, itemsNullable: true, nullable: true })
    expect(shape('strictList')).toEqual({ isList: true, itemsNullable: true, nullable: false })
    expect(shape('strictItems')).toEqual({ isList: true, itemsNullable: false, nullable: true })
    expect(shape('id')).toEqual({ isList: false, itemsNullable: false, nullable: false })
  })

  it('recognises models and the non-model exports of a drizzle-kit module', () => {
    const mood = pgEnum('mood', ['happy', 'sad'])
    const counter = pgSequence('counter')
    const authorRelations = relations(authors, () => ({}))
    expect([authors, stats, titles].map(isModelSource)).toEqual([true, true, true])
    expect([mood, counter, authorRelations, 'x', {}].map(isModelSource)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ])
    expect([mood, counter, authorRelations, 'x', {}, authors].map(drizzleNonModelKind)).toEqual([
      'enum',
      'sequence',
      'relations',
      undefined,
      undefined,
      undefined,
    ])
  })

  it('takes descriptions from sources in precedence order, config first', () => {
    const mood = pgEnum('mood', ['happy', 'sad'])
    const diary = pgTable('diary', { id: serial('id').primaryKey(), mood: mood('mood'), note: text('note') })
    const source = (name: string, text: string): DescriptionSource => ({
      name,
      table: (t) => (t.name === 'diary' ? `${text} table` : undefined),
      column: (_t, c) => (c.key === 'note' || c.name === 'mood' ? `${text} ${c.key}` : undefined),
      enum: (sqlName) => (sqlName === 'mood' ? `${text} enum` : undefined),
    })
    const silent: DescriptionSource = {
      name: 'silent',
      table: () => undefined,
      column: () => '',
      enum: () => undefined,
    }
    const graph = readModels(
      [{ name: 'diary', options: { table: diary, fields: { note: { description: 'from config' } } } }],
      { descriptions: [silent, source('tsdoc', 'TSDoc'), source('comments', 'COMMENT')] },
    )
    const model = getModel(graph, 'diary')
    expect(model.description).toBe('TSDoc table')
    expect(model.fields.map((f) => f.description)).toEqual([undefined, 'TSDoc mood', 'from config'])
    expect(graph.enums).toEqual([{ sqlName: 'mood', values: ['happy', 'sad'], description: 'TSDoc enum' }])
    const configWins = readModels([{ name: 'diary', options: { table: diary, description: 'config' } }], {
      descriptions: [source('tsdoc', 'TSDoc')],
    })
    expect(getModel(configWins, 'diary').description).toBe('config')
  })
})
