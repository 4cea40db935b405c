// What the schema learns from the live database at buildAsync: COMMENT ON descriptions, and
// partitioned tables folded into one model (drizzle-kit pull emits every partition, no parent).
import { graphql } from 'graphql'
import type { GraphQLEnumType, GraphQLObjectType, GraphQLSchema } from 'graphql'
import { foreignKey, integer, pgEnum, pgTable, serial, text } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { SchemaBuilder } from './index.js'

// As `drizzle-kit pull` (0.31) wrote them for the tables created below (formatting aside).
const users = pgTable('users', {
  id: serial().primaryKey().notNull(),
  name: text().notNull(),
})
const eventsHigh = pgTable(
  'events_high',
  { id: integer().primaryKey().notNull(), userId: integer('user_id'), kind: text().notNull() },
  (table) => [
    foreignKey({ columns: [table.userId], foreignColumns: [users.id], name: 'events_user_id_fkey' }),
  ],
)
const eventsLow = pgTable(
  'events_low',
  { id: integer().primaryKey().notNull(), userId: integer('user_id'), kind: text().notNull() },
  (table) => [
    foreignKey({ columns: [table.userId], foreignColumns: [users.id], name: 'events_user_id_fkey' }),
  ],
)
// The parent, as a user declares it by hand.
const events = pgTable('events', {
  id: integer().primaryKey().notNull(),
  userId: integer('user_id').references(() => users.id),
  kind: text().notNull(),
})

const mood = pgEnum('mood', ['happy', 'sad'])
const authors = pgTable('authors', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  bio: text('bio'),
  mood: mood('mood'),
})

const DDL = `
create table users (id serial primary key, name text not null);
create table events (id integer not null, user_id integer references users (id), kind text not null, primary key (id))
  partition by range (id);
create table events_low partition of events for values from (0) to (100);
create table events_high partition of events for values from (100) to (1000);
comment on table events is 'Things that happened';
comment on column events.kind is 'What kind of thing';
insert into users (name) values ('ada');
insert into events (id, user_id, kind) values (5, 1, 'low'), (150, 1, 'high'), (7, null, 'low');

create type mood as enum ('happy', 'sad');
create table authors (id serial primary key, name text not null, bio text, mood mood);
comment on table authors is 'People who write';
comment on column authors.name is 'Full name, from the database';
comment on column authors.bio is 'Bio, from the database';
comment on type mood is 'How an author feels';
`

describe.each(testDatabases())('database catalog on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(DDL)
  })
  afterAll(async () => {
    await dispose()
  })

  async function run(schema: GraphQLSchema, source: string): Promise<Record<string, unknown>> {
    const result = await graphql({ schema, source })
    expect(result.errors).toBeUndefined()
    return result.data as Record<string, unknown>
  }

  it('takes descriptions from COMMENT ON where config gives none, config winning', async () => {
    const schema = await new SchemaBuilder(
      {
        models: {
          authors: { table: authors, fields: { bio: { description: 'Bio, from config' } } },
        },
      },
      { database: db },
    ).buildAsync()
    const author = schema.getType('Author') as GraphQLObjectType
    expect(author.description).toBe('People who write')
    expect(author.getFields()['name']!.description).toBe('Full name, from the database')
    expect(author.getFields()['bio']!.description).toBe('Bio, from config')
    expect((schema.getType('Mood') as GraphQLEnumType).description).toBe('How an author feels')
    // The synchronous build does not ask the database.
    const sync = new SchemaBuilder({ models: { authors } }, { database: db }).build()
    expect((sync.getType('Author') as GraphQLObjectType).description ?? undefined).not.toBe(
      'People who write',
    )
  })

  it('serves the pulled partitions as one model of their parent, reading and writing every partition', async () => {
    const schema = await new SchemaBuilder(
      { models: { users, eventsHigh, eventsLow } },
      { database: db },
    ).buildAsync()
    const queryFields = Object.keys(schema.getQueryType()!.getFields())
    expect(queryFields.filter((f) => /event/i.test(f)).sort()).toEqual(['event', 'events'])
    expect(schema.getType('EventsHigh')).toBeUndefined()
    expect(schema.getType('EventsLow')).toBeUndefined()
    const event = schema.getType('Event') as GraphQLObjectType
    expect(event.description).toBe('Things that happened')
    expect(event.getFields()['kind']!.description).toBe('What kind of thing')
    const read = await run(
      schema,
      '{ events { totalCount nodes { id kind user { name } } } users { nodes { name events { totalCount } } } }',
    )
    expect(read).toEqual({
      events: {
        totalCount: 3,
        nodes: [
          { id: expect.any(String), kind: 'low', user: { name: 'ada' } },
          { id: expect.any(String), kind: 'low', user: null },
          { id: expect.any(String), kind: 'high', user: { name: 'ada' } },
        ],
      },
      users: { nodes: [{ name: 'ada', events: { totalCount: 2 } }] },
    })
    const created = await run(
      schema,
      'mutation { createEvent(input: {pk: 500, kind: "made"}) { success errors { message } event { kind } } }',
    )
    expect(created).toEqual({ createEvent: { success: true, errors: [], event: { kind: 'made' } } })
    // PostgreSQL routed the row to its partition.
    const { rows } = await db.query<{ partition: string }>({
      text: `select tableoid::regclass::text as partition from events where id = 500`,
      values: [],
    })
    expect(rows).toEqual([{ partition: 'events_high' }])
    await db.exec('delete from events where id = 500')
  })

  it('keeps the partitions out when the parent is declared as a model', async () => {
    const schema = await new SchemaBuilder(
      { models: { users, events, eventsHigh, eventsLow } },
      { database: db },
    ).buildAsync()
    const types = Object.keys(schema.getTypeMap()).filter(
      (t) => /^Event/.test(t) && !/(Connection|Edge|Filter|OrderBy|Payload|Input)$/.test(t),
    )
    expect(types).toEqual(['Event'])
    expect(await run(schema, '{ events { totalCount } }')).toEqual({ events: { totalCount: 3 } })
  })
})
