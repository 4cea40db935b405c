// Tables as they are, through the API: views and materialized views (read-only, `node` only with
// a declared key), tables without a primary key (read-only; keyset walks see every row once, even
// identical rows), arrays with NULL elements, and names whose plural is the singular. Every
// result is compared with hand-written SQL over the same database.
import { sql } from 'drizzle-orm'
import {
  integer,
  jsonb,
  numeric,
  pgMaterializedView,
  pgTable,
  pgView,
  serial,
  text,
  unique,
} from 'drizzle-orm/pg-core'
import { graphql, isNonNullType, printType } from 'graphql'
import type { GraphQLObjectType, GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { SchemaBuilder } from './index.js'

const authors = pgTable('authors', { id: serial('id').primaryKey(), name: text('name').notNull() })
const books = pgTable('books', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id')
    .notNull()
    .references(() => authors.id),
  title: text('title').notNull(),
  tags: text('tags').array(),
  scores: integer('scores')
    .notNull()
    .array()
    .notNull()
    .default(sql`'{}'`),
})
const events = pgTable('events', {
  kind: text('kind').notNull(),
  at: integer('at').notNull(),
  payload: jsonb('payload'),
  authorId: integer('author_id').references(() => authors.id),
})
const readings = pgTable(
  'readings',
  { sensor: text('sensor').notNull(), taken: integer('taken').notNull(), value: numeric('value') },
  (t) => [unique().on(t.sensor, t.taken)],
)
const authorStats = pgView('author_stats', {
  id: integer('id').notNull(),
  name: text('name').notNull(),
  books: integer('books').notNull(),
}).as(
  sql`select a.id, a.name, count(b.id)::int as books from authors a left join books b on b.author_id = a.id group by a.id, a.name`,
)
const bookTitles = pgMaterializedView('book_titles', {
  id: integer('id').notNull(),
  title: text('title').notNull(),
  tags: text('tags').array(),
}).existing()
const visits = pgTable('visits', {
  path: text('path').notNull(),
  secret: text('secret'),
  password: text('password'),
})
const staff = pgTable('staff', { id: serial('id').primaryKey(), name: text('name').notNull() })

const DDL = `
create table authors (id serial primary key, name text not null);
create table books (id serial primary key, author_id int not null references authors(id), title text not null,
  tags text[], scores int[] not null default '{}');
create table events (kind text not null, at int not null, payload jsonb, author_id int references authors(id));
create table readings (sensor text not null, taken int not null, value numeric, unique (sensor, taken));
create table staff (id serial primary key, name text not null);
create table visits (path text not null, secret text, password text);
-- Rows that differ only in columns the API never shows.
insert into visits select '/p' || (i % 3), 'secret-' || i, 'pw-' || i from generate_series(1, 11) i;
insert into authors (name) values ('Ann'), ('Bob'), ('Cid');
insert into books (author_id, title, tags, scores) values
  (1, 'One', '{a,NULL}', '{1,2}'), (1, 'Two', NULL, '{}'), (2, 'Three', '{NULL}', '{3}'), (2, 'Four', '{b,c}', '{}');
-- Every event twice and some three times: identical rows a cursor must still tell apart.
insert into events select (array['a','b','c'])[1 + i % 3], i % 4,
  case when i % 5 = 0 then null else jsonb_build_object('x', i % 2) end, case when i % 7 = 0 then null else 1 + i % 3 end
  from generate_series(1, 20) i, generate_series(1, 2) copy;
insert into events select kind, at, payload, author_id from events where at = 1 and kind = 'b';
insert into readings select 's' || (i % 3), i, case when i % 4 = 0 then null else i * 1.5 end from generate_series(1, 17) i;
insert into staff (name) values ('Dee');
create view author_stats as select a.id, a.name, count(b.id)::int as books
  from authors a left join books b on b.author_id = a.id group by a.id, a.name;
create materialized view book_titles as select id, title, tags from books;
`

const MODELS = {
  authors,
  books,
  events,
  readings,
  // A view has no foreign keys: config declares its key and the reference it makes.
  authorStats: {
    table: authorStats,
    primaryKey: ['id'],
    relations: { id: { references: 'authors', name: 'author', relatedName: 'stats' } },
  },
  bookTitles,
  staff,
  visits: { table: visits, fields: { secret: { hidden: true } } },
}

interface Connection {
  totalCount: number
  pageInfo: {
    hasNextPage: boolean
    hasPreviousPage: boolean
    startCursor: string | null
    endCursor: string | null
  }
  nodes: Array<Record<string, unknown>>
}

describe.each(testDatabases())('tables as they are (on $name)', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema

  const run = async (source: string): Promise<Record<string, unknown>> => {
    const result = await graphql({ schema, source })
    expect(result.errors ?? []).toEqual([])
    return result.data as Record<string, unknown>
  }
  const rows = async (text: string): Promise<Array<Record<string, unknown>>> =>
    (await db.query({ text, values: [] })).rows

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(DDL)
    schema = new SchemaBuilder({ models: MODELS, enableSubscriptions: false }, { database: db }).build()
  })

  afterAll(async () => {
    await dispose()
  })

  it('gives views, materialized views and keyless tables no mutations, and an id only with a key', () => {
    const mutations = Object.keys(schema.getMutationType()!.getFields())
    expect(mutations.filter((f) => f.startsWith('create'))).toEqual([
      'createAuthor',
      'createBook',
      'createStaff',
    ])
    expect(mutations.some((f) => /Event|Reading|AuthorStat|BookTitle/.test(f))).toBe(false)
    const query = Object.keys(schema.getQueryType()!.getFields())
    expect(query).toEqual([
      'node',
      'author',
      'authors',
      'book',
      'books',
      'events',
      'readings',
      'authorStat',
      'authorStats',
      'bookTitles',
      'staff',
      'staffList',
      'visits',
    ])
    const type = (name: string): GraphQLObjectType => schema.getType(name) as GraphQLObjectType
    expect(
      type('AuthorStat')
        .getInterfaces()
        .map((i) => i.name),
    ).toEqual(['Node'])
    for (const keyless of ['Event', 'Reading', 'BookTitle']) expect(type(keyless).getInterfaces()).toEqual([])
    expect(type('Event').getFields()['id']).toBeUndefined()
    // Without a key a column named `id` is just that column, not a global id.
    expect(String(type('BookTitle').getFields()['id']!.type)).toBe('Int!')
    expect(printType(type('Event'))).toBe(
      'type Event {\n  kind: String!\n  at: Int!\n  payload: JSON\n\n  """From foreign key events(author_id) → authors(id)."""\n  author: Author\n}',
    )
  })

  it('gives read-only models no subscriptions', async () => {
    const other = new PGliteDatabase()
    try {
      const withSubscriptions = new SchemaBuilder(
        { models: MODELS, enableSubscriptions: true },
        { database: other },
      ).build()
      const fields = Object.keys(withSubscriptions.getSubscriptionType()!.getFields())
      expect(fields.filter((f) => f.endsWith('Created'))).toEqual([
        'authorCreated',
        'bookCreated',
        'staffCreated',
      ])
    } finally {
      await other.close()
    }
  })

  it('types array elements as nullable unless declared notNull, and returns NULL elements as null', async () => {
    const fields = (schema.getType('Book') as GraphQLObjectType).getFields()
    expect(String(fields['tags']!.type)).toBe('[String]')
    expect(String(fields['scores']!.type)).toBe('[Int!]!')
    expect(String((schema.getType('BookTitle') as GraphQLObjectType).getFields()['tags']!.type)).toBe(
      '[String]',
    )
    expect(isNonNullType(fields['title']!.type)).toBe(true)
    const data = await run('{ books { nodes { title tags scores } } bookTitles { nodes { title tags } } }')
    const expected = await rows(`select title, tags, scores from books order by id`)
    expect((data['books'] as Connection).nodes).toEqual(expected)
    expect((data['bookTitles'] as Connection).nodes).toEqual(
      (await rows('select title, tags from book_titles order by id')).map((r) => r),
    )
  })

  it('writes NULL array elements only where the element may be NULL', async () => {
    const created = await graphql({
      schema,
      source: `mutation { createBook(input: { authorId: "${Buffer.from('Author:3').toString('base64')}", title: "Five", tags: [null, "z"], scores: [4] }) { success errors { field message } book { tags scores } } }`,
    })
    expect(created.errors ?? []).toEqual([])
    expect(created.data).toEqual({
      createBook: { success: true, errors: [], book: { tags: [null, 'z'], scores: [4] } },
    })
    expect(await rows(`select tags, scores from books where title = 'Five'`)).toEqual([
      { tags: [null, 'z'], scores: [4] },
    ])
    const refused = await graphql({
      schema,
      source: `mutation { createBook(input: { authorId: "${Buffer.from('Author:3').toString('base64')}", title: "Six", scores: [null] }) { success } }`,
    })
    expect(refused.errors?.[0]?.message).toContain('Int!')
    expect(await rows(`select count(*)::int as n from books where title = 'Six'`)).toEqual([{ n: 0 }])
    await db.query({ text: `delete from books where title = 'Five'`, values: [] })
  })

  it('lists a view with filters and ordering exactly as SELECT from the view', async () => {
    const data = await run(
      '{ authorStats(filter: { books: { gte: 1 } }, orderBy: [{ books: DESC }, { name: ASC }]) { totalCount nodes { pk name books } } }',
    )
    const expected = await rows(
      'select id as pk, name, books from author_stats where books >= 1 order by books desc, name asc',
    )
    expect(data['authorStats']).toEqual({ totalCount: expected.length, nodes: expected })
  })

  it('reads a view row by its declared key through node(id) and authorStat(id)', async () => {
    const list = await run('{ authorStats(orderBy: [{ name: DESC }]) { nodes { id name books } } }')
    const first = (list['authorStats'] as Connection).nodes[0]!
    expect(first['name']).toBe('Cid')
    const data = await run(
      `{ node(id: "${String(first['id'])}") { ... on AuthorStat { name books } } authorStat(id: "${String(first['id'])}") { name } }`,
    )
    expect(data).toEqual({ node: { name: 'Cid', books: 0 }, authorStat: { name: 'Cid' } })
    const [cid] = await rows(`select id from author_stats where name = 'Cid'`)
    expect(Buffer.from(String(first['id']), 'base64').toString()).toBe(`AuthorStat:${String(cid!['id'])}`)
  })

  it('follows a relation config declares on a view, both ways, as SQL joins it', async () => {
    const data = await run(
      '{ authors { nodes { name stats { books author { name } } } } authorStats(orderBy: [{ books: ASC }, { name: ASC }]) { nodes { books author { name } } } }',
    )
    const expected = await rows(
      `select a.name, json_build_object('books', s.books, 'author', json_build_object('name', a.name)) as stats
       from authors a left join author_stats s on s.id = a.id order by a.id`,
    )
    expect((data['authors'] as Connection).nodes).toEqual(expected)
    expect((data['authorStats'] as Connection).nodes).toEqual(
      await rows(
        `select s.books, json_build_object('name', a.name) as author from author_stats s join authors a on a.id = s.id order by s.books, s.name`,
      ),
    )
  })

  it('refuses node(id) for a type without a key', async () => {
    const result = await graphql({
      schema,
      source: `{ node(id: "${Buffer.from('Event:1').toString('base64')}") { __typename } }`,
    })
    expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT')
  })

  const EVENT_SQL =
    'select kind, at, payload, (select name from authors a where a.id = e.author_id) as author from events e'
  const ORDERINGS: Array<
    [string, string, (a: Record<string, unknown>, b: Record<string, unknown>) => number]
  > = [
    ['', '', () => 0],
    ['{ kind: ASC }', 'kind', (a, b) => String(a['kind']).localeCompare(String(b['kind']))],
    ['{ at: DESC }', 'at', (a, b) => Number(b['at']) - Number(a['at'])],
    ['{ author: { name: ASC_NULLS_FIRST } }', 'author', () => 0],
  ]

  /** Walks a connection by cursors, forward or backward, and returns every node seen. */
  async function walk(
    field: string,
    selection: string,
    orderBy: string,
    direction: 'forward' | 'backward',
  ): Promise<Array<Record<string, unknown>>> {
    const seen: Array<Record<string, unknown>> = []
    let cursor: string | null = null
    for (let page = 0; page < 100; page++) {
      const window: string =
        direction === 'forward'
          ? `first: 4${cursor ? `, after: "${cursor}"` : ''}`
          : `last: 4${cursor ? `, before: "${cursor}"` : ''}`
      const order = orderBy === '' ? '' : `, orderBy: [${orderBy}]`
      const data = await run(
        `{ ${field}(${window}${order}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { ${selection} } } }`,
      )
      const connection = data[field] as Connection
      if (direction === 'forward') {
        seen.push(...connection.nodes)
        if (!connection.pageInfo.hasNextPage) return seen
        cursor = connection.pageInfo.endCursor
      } else {
        seen.unshift(...connection.nodes)
        if (!connection.pageInfo.hasPreviousPage) return seen
        cursor = connection.pageInfo.startCursor
      }
    }
    throw new Error('the walk did not end')
  }

  const canonical = (list: Array<Record<string, unknown>>): string[] =>
    list.map((row) => JSON.stringify(row)).sort()

  it.each(ORDERINGS)(
    'walks a table with no key and identical rows by cursors, seeing every row once (orderBy %s)',
    async (orderBy, _label, compare) => {
      const expected = canonical(await rows(EVENT_SQL))
      expect(new Set(expected).size).toBeLessThan(expected.length)
      const selection = 'kind at payload author { name }'
      for (const direction of ['forward', 'backward'] as const) {
        const seen = (await walk('events', selection, orderBy, direction)).map((node) => ({
          ...node,
          author: (node['author'] as { name: string } | null)?.name ?? null,
        }))
        expect(canonical(seen)).toEqual(expected)
        // The walk keeps the requested order across pages.
        for (let i = 1; i < seen.length; i++) expect(compare(seen[i - 1]!, seen[i]!)).toBeLessThanOrEqual(0)
      }
    },
  )

  it("keeps hidden and write-only columns out of a keyless table's cursors", async () => {
    const cursors: string[] = []
    let after = ''
    const seen: Array<Record<string, unknown>> = []
    for (;;) {
      const data = await run(
        `{ visits(first: 2${after}) { edges { cursor node { path } } pageInfo { hasNextPage endCursor } } }`,
      )
      const page = data['visits'] as {
        edges: Array<{ cursor: string; node: Record<string, unknown> }>
        pageInfo: { hasNextPage: boolean; endCursor: string }
      }
      for (const edge of page.edges) {
        cursors.push(Buffer.from(edge.cursor, 'base64').toString())
        seen.push(edge.node)
      }
      if (!page.pageInfo.hasNextPage) break
      after = `, after: "${page.pageInfo.endCursor}"`
    }
    expect(canonical(seen)).toEqual(canonical(await rows('select path from visits')))
    expect(cursors.join('\n')).not.toMatch(/secret-|pw-/)
  })

  it('walks a keyless table by its unique NOT NULL key, in both directions', async () => {
    const expected = await rows(
      'select sensor, taken, r.value::text as value from readings r order by r.value desc nulls first, r.sensor desc, r.taken desc',
    )
    for (const direction of ['forward', 'backward'] as const) {
      const seen = await walk('readings', 'sensor taken value', '{ value: DESC }', direction)
      expect(seen).toEqual(expected)
    }
  })

  it('pages a keyless relation (author.events) with the same guarantees', async () => {
    const data = await run(
      '{ authors { nodes { name events(first: 50, orderBy: [{ kind: DESC }]) { totalCount nodes { kind at } } } } }',
    )
    for (const author of (data['authors'] as Connection).nodes) {
      const expected = await rows(
        `select kind, at from events e join authors a on a.id = e.author_id where a.name = '${String(author['name'])}'`,
      )
      const connection = author['events'] as Connection
      expect(connection.totalCount).toBe(expected.length)
      expect(canonical(connection.nodes)).toEqual(canonical(expected))
    }
  })

  it('names a model whose plural equals its singular with a List suffix', async () => {
    const data = await run('{ staffList { nodes { id name } } }')
    const node = (data['staffList'] as Connection).nodes[0]!
    expect(node['name']).toBe('Dee')
    expect(await run(`{ staff(id: "${String(node['id'])}") { name } }`)).toEqual({ staff: { name: 'Dee' } })
  })
})
