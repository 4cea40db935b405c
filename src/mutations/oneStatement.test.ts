// Issue 17, the write part: a mutation without JS work between its write and its commit is ONE
// statement (a data-modifying CTE with the payload's read), sent without BEGIN/COMMIT. Counted
// statements and transactions, the rows left in the database, catalogue error codes, soft delete
// and change events, on every test database; and the golden SQL of a create.
import { graphql } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { integer, pgTable, primaryKey, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { formatSql } from '../compile/index.js'
import type { UserConfig } from '../schema/index.js'
import { countStatements } from '../database/index.js'
import type { Database, SqlStatement } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { Plugin } from '../plugins/index.js'
import { getSchemaRuntime, SchemaBuilder } from '../schema/index.js'
import type { ChangeEvent } from '../subscriptions/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import { chooseWritePath } from './chooseWritePath.js'
import type { MutationSettings } from './MutationSettings.js'

const writers = pgTable('writers', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 20 }).notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  writerId: integer('writer_id')
    .notNull()
    .references(() => writers.id),
  title: text('title').notNull(),
  // Nullable to Drizzle, NOT NULL in the database: only PostgreSQL refuses a missing value.
  body: text('body'),
  score: integer('score').notNull().default(0),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
})

const DDL = `
  create table writers (id serial primary key, name varchar(20) not null unique, created_at timestamptz not null default now());
  create table posts (
    id serial primary key,
    writer_id integer not null references writers (id),
    title text not null,
    body text not null default 'empty',
    score integer not null default 0 constraint score_small check (score < 1000),
    deleted_at timestamptz
  );
`

const gid = (type: string, pk: number | string): string => Buffer.from(`${type}:${pk}`).toString('base64')
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

function config(extra: Partial<UserConfig> = {}): UserConfig {
  return {
    models: { writers, posts: { table: posts, softDelete: 'deletedAt' } },
    mutations: { softDelete: true, allowHardDelete: true, bulkOperations: true },
    subscriptions: { enabled: true },
    ...extra,
  }
}

/** The database as the schema uses it, counting the transactions it opens (each is BEGIN … COMMIT). */
function counting(db: Database): { database: Database; transactions: () => number } {
  let opened = 0
  const database = new Proxy(db, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target)
      if (key === 'transaction') {
        return (work: Parameters<Database['transaction']>[0]) => {
          opened++
          return target.transaction(work)
        }
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
  return { database, transactions: () => opened }
}

/** What one mutation did: its payload, the statements it sent and the transactions it opened. */
interface Mutated {
  payload: Record<string, unknown>
  statements: SqlStatement[]
  transactions: number
}

/** Runs a mutation that must succeed, counting its statements and transactions. */
async function runMutation(
  db: Database,
  transactions: () => number,
  schema: GraphQLSchema,
  source: string,
): Promise<Mutated> {
  const before = transactions()
  const { result, statements } = await countStatements(db, () => graphql({ schema, source }))
  expect(result.errors).toBeUndefined()
  const payload = plain(Object.values(result.data!)[0] as Record<string, unknown>)
  return { payload, statements, transactions: transactions() - before }
}

describe.each(testDatabases())('mutations as one statement on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema
  let transactions: () => number
  let writerId: number

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(DDL)
    const watched = counting(db)
    transactions = watched.transactions
    schema = new SchemaBuilder(config(), { database: watched.database }).build()
  })
  afterAll(async () => {
    await dispose()
  })
  beforeEach(async () => {
    await db.exec('truncate writers, posts restart identity cascade')
    writerId = (
      await db.query<{ id: number }>({
        text: `insert into writers (name) values ('ann') returning id`,
        values: [],
      })
    ).rows[0]!.id
  })

  const mutate = (source: string, on: GraphQLSchema = schema): Promise<Mutated> =>
    runMutation(db, transactions, on, source)
  const rows = async <Row = Record<string, unknown>>(text: string): Promise<Row[]> =>
    (await db.query<Row>({ text, values: [] })).rows

  it('creates with the payload (a default, a relation) in ONE statement, no transaction', async () => {
    const { payload, statements, transactions } = await mutate(
      `mutation { createPost(input: {writerId: "${gid('Writer', writerId)}", title: "Hi"}) { post { pk title body score writer { name } } success errors { code } } }`,
    )
    expect(payload).toEqual({
      post: { pk: 1, title: 'Hi', body: 'empty', score: 0, writer: { name: 'ann' } },
      success: true,
      errors: [],
    })
    expect(statements).toHaveLength(1)
    expect(transactions).toBe(0)
    expect(statements[0]!.text).toMatch(/^insert into "posts" as "w"/)
    expect(await rows('select id, writer_id, title, body, score from posts')).toEqual([
      { id: 1, writer_id: writerId, title: 'Hi', body: 'empty', score: 0 },
    ])
  })

  it('bulk creates as ONE insert of a JSON parameter (shared values bound once), keys in input order', async () => {
    const inputs = ['a', 'b', 'c']
      .map((title, i) => `{writerId: "${gid('Writer', writerId)}", title: "${title}", score: ${i}}`)
      .join(', ')
    const { payload, statements, transactions } = await mutate(
      `mutation { bulkCreatePosts(inputs: [${inputs}]) { ids count success errors { index code } } }`,
    )
    expect(payload).toEqual({
      ids: [1, 2, 3].map((pk) => gid('Post', pk)),
      count: 3,
      success: true,
      errors: [],
    })
    expect(statements).toHaveLength(1)
    expect(transactions).toBe(0)
    expect(statements[0]!.text).toContain('json_populate_recordset')
    // The writer every row shares is bound once, beside the JSON of the rest.
    expect(statements[0]!.values).toEqual([
      JSON.stringify([
        { title: 'a', score: 0 },
        { title: 'b', score: 1 },
        { title: 'c', score: 2 },
      ]),
      String(writerId),
    ])
    expect(await rows('select id, title, score from posts order by id')).toEqual([
      { id: 1, title: 'a', score: 0 },
      { id: 2, title: 'b', score: 1 },
      { id: 3, title: 'c', score: 2 },
    ])
  })

  it('keeps catalogue codes: unique, foreign key, not null, check; bulk errors name the input', async () => {
    const unique = await mutate(
      `mutation { createWriter(input: {name: "ann"}) { success errors { field code } } }`,
    )
    expect(unique.payload).toEqual({ success: false, errors: [{ field: 'name', code: ErrorCodes.UNIQUE }] })
    expect(unique.transactions).toBe(0)
    const foreign = await mutate(
      `mutation { createPost(input: {writerId: "${gid('Writer', 999)}", title: "x"}) { post { pk } success errors { field code } } }`,
    )
    expect(foreign.payload).toEqual({
      post: null,
      success: false,
      errors: [{ field: 'writerId', code: ErrorCodes.INVALID_REFERENCE }],
    })
    const notNull = await mutate(
      `mutation { createPost(input: {writerId: "${gid('Writer', writerId)}", title: "x", body: null}) { success errors { field code } } }`,
    )
    expect(notNull.payload).toEqual({
      success: false,
      errors: [{ field: 'body', code: ErrorCodes.REQUIRED }],
    })
    const check = await mutate(
      `mutation { createPost(input: {writerId: "${gid('Writer', writerId)}", title: "x", score: 5000}) { success errors { code } } }`,
    )
    expect(check.payload).toEqual({ success: false, errors: [{ code: ErrorCodes.CONSTRAINT_VIOLATION }] })
    const bulk = await mutate(
      `mutation { bulkCreateWriters(inputs: [{name: "bo"}, {name: "ann"}, {name: "cy"}]) { count success errors { index field code } } }`,
    )
    expect(bulk.payload).toEqual({
      count: 0,
      success: false,
      errors: [{ index: 1, field: 'name', code: ErrorCodes.UNIQUE }],
    })
    // Nothing of any failed call was written.
    expect(await rows('select name from writers')).toEqual([{ name: 'ann' }])
    expect(await rows('select id from posts')).toEqual([])
  })

  it('updates by id in ONE statement; an unknown id is NOT_FOUND and changes nothing', async () => {
    await db.exec(`insert into posts (writer_id, title) values (${writerId}, 'old')`)
    const updated = await mutate(
      `mutation { updatePost(id: "${gid('Post', 1)}", input: {title: "new", score: 7}) { post { title score writer { name } } success } }`,
    )
    expect(updated.payload).toEqual({
      post: { title: 'new', score: 7, writer: { name: 'ann' } },
      success: true,
    })
    expect([updated.statements.length, updated.transactions]).toEqual([1, 0])
    expect(await rows('select title, score from posts')).toEqual([{ title: 'new', score: 7 }])
    const missing = await mutate(
      `mutation { updatePost(id: "${gid('Post', 42)}", input: {title: "x"}) { post { title } success errors { field code } } }`,
    )
    expect(missing.payload).toEqual({
      post: null,
      success: false,
      errors: [{ field: 'id', code: ErrorCodes.NOT_FOUND }],
    })
    expect([missing.statements.length, missing.transactions]).toEqual([1, 0])
    const bulk = await mutate(
      `mutation { bulkUpdatePosts(filter: {title: {exact: "new"}}, input: {score: 9}) { count ids } }`,
    )
    expect(bulk.payload).toEqual({ count: 1, ids: [gid('Post', 1)] })
    expect([bulk.statements.length, bulk.transactions]).toEqual([1, 0])
    expect(await rows('select title, score from posts')).toEqual([{ title: 'new', score: 9 }])
  })

  it('soft deletes, restores and hard deletes in ONE statement each; events follow the statement', async () => {
    await db.exec(
      `insert into posts (writer_id, title) values (${writerId}, 'a'), (${writerId}, 'b'), (${writerId}, 'c')`,
    )
    const feed = getSchemaRuntime(schema).changes!
    const deletedEvents = feed.subscribe('posts', 'deleted')
    const createdEvents = feed.subscribe('posts', 'created')
    await Promise.all([deletedEvents.ready, createdEvents.ready])
    try {
      const soft = await mutate(`mutation { deletePost(id: "${gid('Post', 1)}") { deletedId success } }`)
      expect(soft.payload).toEqual({ deletedId: gid('Post', 1), success: true })
      expect([soft.statements.length, soft.transactions]).toEqual([1, 0])
      const deleted = (await deletedEvents.next()).value as ChangeEvent
      expect(deleted).toMatchObject({ model: 'posts', op: 'deleted', pk: '1', row: { title: 'a' } })
      expect(await rows('select id from posts where deleted_at is not null')).toEqual([{ id: 1 }])

      const again = await mutate(
        `mutation { deletePost(id: "${gid('Post', 1)}") { success errors { field code } } }`,
      )
      expect(again.payload).toEqual({ success: false, errors: [{ field: 'id', code: ErrorCodes.NOT_FOUND }] })

      const restored = await mutate(
        `mutation { restorePost(id: "${gid('Post', 1)}") { post { title } success } }`,
      )
      expect(restored.payload).toEqual({ post: { title: 'a' }, success: true })
      expect([restored.statements.length, restored.transactions]).toEqual([1, 0])
      expect(await rows('select id from posts where deleted_at is not null')).toEqual([])

      const hard = await mutate(
        `mutation { bulkDeletePosts(filter: {title: {in: ["b", "c"]}}, hard: true) { ids count } }`,
      )
      expect(hard.payload).toEqual({ ids: [gid('Post', 2), gid('Post', 3)], count: 2 })
      expect([hard.statements.length, hard.transactions]).toEqual([1, 0])
      expect(await rows('select id from posts')).toEqual([{ id: 1 }])

      const created = await mutate(
        `mutation { createPost(input: {writerId: "${gid('Writer', writerId)}", title: "d"}) { success } }`,
      )
      expect(created.transactions).toBe(0)
      expect(((await createdEvents.next()).value as ChangeEvent).pk).toBe('4')
    } finally {
      await deletedEvents.return()
      await createdEvents.return()
    }
  })

  it('a writer still referenced is PROTECTED, in one statement', async () => {
    await db.exec(`insert into posts (writer_id, title) values (${writerId}, 'a')`)
    const result = await mutate(
      `mutation { deleteWriter(id: "${gid('Writer', writerId)}") { success errors { code } } }`,
    )
    expect(result.payload).toEqual({ success: false, errors: [{ code: ErrorCodes.PROTECTED }] })
    expect([result.statements.length, result.transactions]).toEqual([1, 0])
    expect(await rows('select name from writers')).toEqual([{ name: 'ann' }])
  })

  it("checks the caller's row policy on written rows in the same statement: FORBIDDEN undoes the write", async () => {
    const policed = new SchemaBuilder(
      config({
        models: {
          writers,
          posts: { table: posts, softDelete: 'deletedAt', rowPolicy: () => ({ score: { lt: 100 } }) },
        },
      }),
      { database: counting(db).database },
    ).build()
    const writer = gid('Writer', writerId)
    const inside = await mutate(
      `mutation { createPost(input: {writerId: "${writer}", title: "in", score: 5}) { post { title } success } }`,
      policed,
    )
    expect(inside.payload).toEqual({ post: { title: 'in' }, success: true })
    expect(inside.statements).toHaveLength(1)
    const forbidden = { success: false, errors: [{ code: ErrorCodes.FORBIDDEN }] }
    const outside = await mutate(
      `mutation { createPost(input: {writerId: "${writer}", title: "out", score: 500}) { success errors { code } } }`,
      policed,
    )
    expect(outside.payload).toEqual(forbidden)
    expect(outside.statements).toHaveLength(1)
    const bulk = await mutate(
      `mutation { bulkCreatePosts(inputs: [{writerId: "${writer}", title: "a", score: 1}, {writerId: "${writer}", title: "b", score: 200}]) { success errors { index code } } }`,
      policed,
    )
    expect(bulk.payload).toEqual({ success: false, errors: [{ index: null, code: ErrorCodes.FORBIDDEN }] })
    const moved = await mutate(
      `mutation { updatePost(id: "${gid('Post', 1)}", input: {score: 300}) { success errors { code } } }`,
      policed,
    )
    expect(moved.payload).toEqual(forbidden)
    expect(moved.statements).toHaveLength(1)
    // Serial values the refused inserts took are gone: the hidden row's key comes from RETURNING.
    const [{ id: hiddenId }] = (await rows<{ id: number }>(
      `insert into posts (writer_id, title, score) values (${writerId}, 'hidden', 200) returning id`,
    )) as [{ id: number }]
    const hidden = await mutate(
      `mutation { updatePost(id: "${gid('Post', hiddenId)}", input: {title: "x"}) { success errors { field code } } }`,
      policed,
    )
    expect(hidden.payload).toEqual({ success: false, errors: [{ field: 'id', code: ErrorCodes.NOT_FOUND }] })
    expect(await rows('select id, title, score from posts order by id')).toEqual([
      { id: 1, title: 'in', score: 5 },
      { id: hiddenId, title: 'hidden', score: 200 },
    ])
  })

  it('keeps the transaction where a payload reads the written table again, and shows the write there', async () => {
    const { payload, transactions } = await mutate(
      `mutation { createPost(input: {writerId: "${gid('Writer', writerId)}", title: "Hi"}) { post { writer { posts { totalCount } } } } }`,
    )
    expect(payload).toEqual({ post: { writer: { posts: { totalCount: 1 } } } })
    expect(transactions).toBe(1)
  })

  it('keeps the transaction for plugin mutation hooks, which see the rows before commit', async () => {
    const hook: Plugin = {
      name: 'veto',
      afterMutation: (event) => event.addError({ field: null, message: 'no' }),
    }
    const watched = counting(db)
    const hooked = new SchemaBuilder(config({ plugins: [hook] }), { database: watched.database }).build()
    const { payload } = await mutate(
      `mutation { createWriter(input: {name: "bo"}) { success errors { code } } }`,
      hooked,
    )
    expect(payload).toEqual({ success: false, errors: [{ code: ErrorCodes.INVALID_VALUE }] })
    expect(watched.transactions()).toBe(1)
    expect(await rows('select name from writers')).toEqual([{ name: 'ann' }])
  })
})

const comments = pgTable('comments', {
  id: serial('id').primaryKey(),
  postId: integer('post_id')
    .notNull()
    .references(() => posts.id),
  body: text('body').notNull(),
})

/** Refers to a writer by name, a unique key that is not the primary key. */
const notes = pgTable('notes', {
  id: serial('id').primaryKey(),
  writerName: varchar('writer_name', { length: 20 }).references(() => writers.name),
  body: text('body').notNull(),
})

const REFERENCES_DDL = `
  ${DDL}
  create table comments (id serial primary key, post_id integer not null references posts (id), body text not null);
  create table notes (id serial primary key, writer_name varchar(20) references writers (name), body text not null);
`

// Issue 17, inputs that used to need a transaction: a to-one id that needs a lookup (a soft-delete
// target, a key other than the primary key) or points at rows under the caller's row policy is a
// subquery of the ONE statement; errors are the transaction path's (every bad input, with index).
describe.each(testDatabases())('references checked inside the one statement on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema
  let policed: GraphQLSchema
  let transactions: () => number
  const models = { writers, posts: { table: posts, softDelete: 'deletedAt' }, comments, notes }

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(REFERENCES_DDL)
    const watched = counting(db)
    transactions = watched.transactions
    schema = new SchemaBuilder(config({ models }), { database: watched.database }).build()
    // The caller sees one writer only: ann.
    const hidden = { ...models, writers: { table: writers, rowPolicy: () => ({ name: { exact: 'ann' } }) } }
    policed = new SchemaBuilder(config({ models: hidden }), { database: watched.database }).build()
  })
  afterAll(async () => {
    await dispose()
  })
  beforeEach(async () => {
    await db.exec(`truncate writers, posts, comments, notes restart identity cascade;
      insert into writers (name) values ('ann'), ('bo');
      insert into posts (writer_id, title) values (1, 'live'), (1, 'gone'), (2, 'bos');
      update posts set deleted_at = now() where title = 'gone';`)
  })

  const mutate = (source: string, on: GraphQLSchema = schema): Promise<Mutated> =>
    runMutation(db, transactions, on, source)
  const rows = async <Row = Record<string, unknown>>(text: string): Promise<Row[]> =>
    (await db.query<Row>({ text, values: [] })).rows
  const invalid = (field: string, type: string, index?: number) => ({
    ...(index !== undefined ? { index } : {}),
    field,
    code: ErrorCodes.INVALID_REFERENCE,
    message: `No ${type} with this id (it does not exist or was deleted).`,
  })

  it('looks a soft-delete target up FOR SHARE inside the one statement; a deleted one writes nothing', async () => {
    const live = await mutate(
      `mutation { createComment(input: {postId: "${gid('Post', 1)}", body: "hi"}) { comment { body post { title } } success } }`,
    )
    expect(live.payload).toEqual({ comment: { body: 'hi', post: { title: 'live' } }, success: true })
    expect([live.statements.length, live.transactions]).toEqual([1, 0])
    expect(live.statements[0]!.text).toContain('for share of "ref"')
    const deleted = await mutate(
      `mutation { createComment(input: {postId: "${gid('Post', 2)}", body: "x"}) { comment { body } success errors { field code message } } }`,
    )
    expect(deleted.payload).toEqual({ comment: null, success: false, errors: [invalid('postId', 'Post')] })
    expect(deleted.transactions).toBe(0)
    const moved = await mutate(
      `mutation { updateComment(id: "${gid('Comment', 1)}", input: {postId: "${gid('Post', 3)}"}) { comment { post { title } } success } }`,
    )
    expect(moved.payload).toEqual({ comment: { post: { title: 'bos' } }, success: true })
    expect([moved.statements.length, moved.transactions]).toEqual([1, 0])
    const toDeleted = await mutate(
      `mutation { updateComment(id: "${gid('Comment', 1)}", input: {postId: "${gid('Post', 2)}", body: "changed"}) { success errors { field code message } } }`,
    )
    expect(toDeleted.payload).toEqual({ success: false, errors: [invalid('postId', 'Post')] })
    expect(await rows('select id, post_id, body from comments')).toEqual([{ id: 1, post_id: 3, body: 'hi' }])
  })

  it('a bulk create reports every bad reference with its index, as the transaction did, and writes none', async () => {
    const inputs = [1, 2, 99, 3]
      .map((post) => `{postId: "${gid('Post', post)}", body: "b${post}"}`)
      .join(', ')
    const bulk = await mutate(
      `mutation { bulkCreateComments(inputs: [${inputs}]) { count success errors { index field code message } } }`,
    )
    expect(bulk.payload).toEqual({
      count: 0,
      success: false,
      errors: [invalid('postId', 'Post', 1), invalid('postId', 'Post', 2)],
    })
    expect(bulk.transactions).toBe(0)
    expect(await rows('select id from comments')).toEqual([])
    const good = await mutate(
      `mutation { bulkCreateComments(inputs: [{postId: "${gid('Post', 1)}", body: "a"}, {postId: "${gid('Post', 3)}", body: "b"}]) { count success } }`,
    )
    expect(good.payload).toEqual({ count: 2, success: true })
    expect([good.statements.length, good.transactions]).toEqual([1, 0])
    expect(await rows('select post_id, body from comments order by id')).toEqual([
      { post_id: 1, body: 'a' },
      { post_id: 3, body: 'b' },
    ])
  })

  it('a later failure of the statement undoes the rows already written: nothing half-written', async () => {
    // Rows 0-2 resolve and are inserted one by one; row 3 names a deleted post, which fails the
    // statement after them.
    const inputs = [1, 3, 1, 2].map((post) => `{postId: "${gid('Post', post)}", body: "r${post}"}`).join(', ')
    const bulk = await mutate(
      `mutation { bulkCreateComments(inputs: [${inputs}]) { count success errors { index field code } } }`,
    )
    expect(bulk.payload).toEqual({
      count: 0,
      success: false,
      errors: [{ index: 3, field: 'postId', code: ErrorCodes.INVALID_REFERENCE }],
    })
    expect(bulk.transactions).toBe(0)
    expect(await rows('select id from comments')).toEqual([])
  })

  it('looks up a key other than the primary key (a writer by name) inside the statement', async () => {
    const created = await mutate(
      `mutation { createNote(input: {writerNameRelId: "${gid('Writer', 2)}", body: "n"}) { note { body } success errors { field code } } }`,
    )
    expect(created.payload).toEqual({ note: { body: 'n' }, success: true, errors: [] })
    expect([created.statements.length, created.transactions]).toEqual([1, 0])
    expect(await rows('select writer_name, body from notes')).toEqual([{ writer_name: 'bo', body: 'n' }])
    const unknown = await mutate(
      `mutation { createNote(input: {writerNameRelId: "${gid('Writer', 42)}", body: "n"}) { success errors { field code message } } }`,
    )
    expect(unknown.payload).toEqual({ success: false, errors: [invalid('writerNameRelId', 'Writer')] })
    expect(await rows('select count(*)::int as n from notes')).toEqual([{ n: 1 }])
  })

  it("an id pointing at rows under the caller's row policy is checked in the statement: hidden = missing", async () => {
    const visible = await mutate(
      `mutation { createPost(input: {writerId: "${gid('Writer', 1)}", title: "mine"}) { post { title } success } }`,
      policed,
    )
    expect(visible.payload).toEqual({ post: { title: 'mine' }, success: true })
    expect([visible.statements.length, visible.transactions]).toEqual([1, 0])
    const create = (writer: number) =>
      mutate(
        `mutation { createPost(input: {writerId: "${gid('Writer', writer)}", title: "x"}) { post { title } success errors { field code message } } }`,
        policed,
      )
    const hidden = await create(2)
    const missing = await create(42)
    expect(hidden.payload).toEqual({ post: null, success: false, errors: [invalid('writerId', 'Writer')] })
    expect(missing.payload).toEqual(hidden.payload)
    expect([hidden.transactions, missing.transactions]).toEqual([0, 0])
    const moved = await mutate(
      `mutation { updatePost(id: "${gid('Post', 1)}", input: {writerId: "${gid('Writer', 2)}", title: "moved"}) { success errors { field code message } } }`,
      policed,
    )
    expect(moved.payload).toEqual({ success: false, errors: [invalid('writerId', 'Writer')] })
    expect(moved.transactions).toBe(0)
    // The references are judged before the row is looked for, as in the transaction: an unknown
    // post with a hidden writer is about the writer.
    const both = await mutate(
      `mutation { updatePost(id: "${gid('Post', 77)}", input: {writerId: "${gid('Writer', 2)}"}) { success errors { field code } } }`,
      policed,
    )
    expect(both.payload).toEqual({
      success: false,
      errors: [{ field: 'writerId', code: ErrorCodes.INVALID_REFERENCE }],
    })
    expect(await rows('select id, writer_id, title from posts order by id')).toEqual([
      { id: 1, writer_id: 1, title: 'live' },
      { id: 2, writer_id: 1, title: 'gone' },
      { id: 3, writer_id: 2, title: 'bos' },
      { id: 4, writer_id: 1, title: 'mine' },
    ])
  })

  it('references are judged before unique values and checks, as the transaction path judged them', async () => {
    const clash = await mutate(
      `mutation { createPost(input: {writerId: "${gid('Writer', 2)}", title: "x", score: 5000}) { success errors { field code } } }`,
      policed,
    )
    expect(clash.payload).toEqual({
      success: false,
      errors: [{ field: 'writerId', code: ErrorCodes.INVALID_REFERENCE }],
    })
    const check = await mutate(
      `mutation { createPost(input: {writerId: "${gid('Writer', 1)}", title: "x", score: 5000}) { success errors { code } } }`,
      policed,
    )
    expect(check.payload).toEqual({ success: false, errors: [{ code: ErrorCodes.CONSTRAINT_VIOLATION }] })
    expect(check.transactions).toBe(0)
    expect(await rows('select count(*)::int as n from posts')).toEqual([{ n: 3 }])
  })
})

const labels = pgTable('labels', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
})

const postLabels = pgTable(
  'post_labels',
  {
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id),
    labelId: integer('label_id')
      .notNull()
      .references(() => labels.id),
  },
  (t) => [primaryKey({ columns: [t.postId, t.labelId] })],
)

const LINKS_DDL = `
  ${DDL}
  create table labels (id serial primary key, name text not null);
  create table post_labels (
    post_id integer not null references posts (id),
    label_id integer not null references labels (id),
    primary key (post_id, label_id)
  );
`

// Issue 17: many-to-many links change in CTEs of the write's ONE statement, after the written rows.
describe.each(testDatabases())('many-to-many links inside the one statement on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema
  let transactions: () => number

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(LINKS_DDL)
    const watched = counting(db)
    transactions = watched.transactions
    const models = { writers, posts: { table: posts, softDelete: 'deletedAt' }, labels, postLabels }
    schema = new SchemaBuilder(config({ models }), { database: watched.database }).build()
  })
  afterAll(async () => {
    await dispose()
  })
  beforeEach(async () => {
    await db.exec(`truncate writers, posts, labels, post_labels restart identity cascade;
      insert into writers (name) values ('ann');
      insert into labels (name) values ('a'), ('b'), ('c');`)
  })

  const mutate = (source: string): Promise<Mutated> => runMutation(db, transactions, schema, source)
  const links = async (): Promise<Array<{ post_id: number; label_id: number }>> =>
    (
      await db.query<{ post_id: number; label_id: number }>({
        text: 'select post_id, label_id from post_labels order by post_id, label_id',
        values: [],
      })
    ).rows
  const labelIds = (...pks: number[]): string => `[${pks.map((pk) => `"${gid('Label', pk)}"`).join(', ')}]`
  const writer = gid('Writer', 1)

  it('creates a row with its links in ONE statement; a missing label writes neither row nor links', async () => {
    const created = await mutate(
      `mutation { createPost(input: {writerId: "${writer}", title: "t", labelIds: ${labelIds(1, 2)}}) { post { title writer { name } } success } }`,
    )
    expect(created.payload).toEqual({ post: { title: 't', writer: { name: 'ann' } }, success: true })
    expect([created.statements.length, created.transactions]).toEqual([1, 0])
    expect(await links()).toEqual([
      { post_id: 1, label_id: 1 },
      { post_id: 1, label_id: 2 },
    ])
    const missing = await mutate(
      `mutation { createPost(input: {writerId: "${writer}", title: "u", labelIds: ${labelIds(3, 99)}}) { post { title } success errors { field code message } } }`,
    )
    expect(missing.payload).toEqual({
      post: null,
      success: false,
      errors: [
        {
          field: 'labelIds',
          code: ErrorCodes.INVALID_REFERENCE,
          message: `No Label with id ${gid('Label', 99)} (it does not exist or was deleted).`,
        },
      ],
    })
    expect(missing.transactions).toBe(0)
    expect((await db.query({ text: 'select id from posts', values: [] })).rows).toEqual([{ id: 1 }])
    expect(await links()).toHaveLength(2)
  })

  it('sets, adds and removes links of an update in ONE statement (links only: the row is locked and read)', async () => {
    await mutate(
      `mutation { createPost(input: {writerId: "${writer}", title: "t", labelIds: ${labelIds(1)}}) { success } }`,
    )
    const post = gid('Post', 1)
    const set = await mutate(
      `mutation { updatePost(id: "${post}", input: {labelIds: ${labelIds(2, 3)}}) { post { title } success } }`,
    )
    expect(set.payload).toEqual({ post: { title: 't' }, success: true })
    expect([set.statements.length, set.transactions]).toEqual([1, 0])
    expect(await links()).toEqual([
      { post_id: 1, label_id: 2 },
      { post_id: 1, label_id: 3 },
    ])
    const added = await mutate(
      `mutation { updatePost(id: "${post}", input: {title: "t2", addLabelIds: ${labelIds(1, 2)}}) { success } }`,
    )
    expect([added.statements.length, added.transactions]).toEqual([1, 0])
    const removed = await mutate(
      `mutation { updatePost(id: "${post}", input: {removeLabelIds: ${labelIds(3)}}) { success } }`,
    )
    expect([removed.statements.length, removed.transactions]).toEqual([1, 0])
    expect(await links()).toEqual([
      { post_id: 1, label_id: 1 },
      { post_id: 1, label_id: 2 },
    ])
    // A missing label undoes the whole call: the title and the links stay as they were.
    const missing = await mutate(
      `mutation { updatePost(id: "${post}", input: {title: "t3", labelIds: ${labelIds(3, 42)}}) { success errors { field code } } }`,
    )
    expect(missing.payload).toEqual({
      success: false,
      errors: [{ field: 'labelIds', code: ErrorCodes.INVALID_REFERENCE }],
    })
    expect(missing.transactions).toBe(0)
    expect((await db.query({ text: 'select title from posts', values: [] })).rows).toEqual([{ title: 't2' }])
    expect(await links()).toHaveLength(2)
    const unknown = await mutate(
      `mutation { updatePost(id: "${gid('Post', 9)}", input: {labelIds: ${labelIds(1)}}) { success errors { field code } } }`,
    )
    expect(unknown.payload).toEqual({ success: false, errors: [{ field: 'id', code: ErrorCodes.NOT_FOUND }] })
  })

  it('keeps the transaction where the payload reads the links it changes, or a bulk create links rows', async () => {
    const read = await mutate(
      `mutation { createPost(input: {writerId: "${writer}", title: "t", labelIds: ${labelIds(1, 3)}}) { post { labels { nodes { name } } } } }`,
    )
    expect(read.payload).toEqual({ post: { labels: { nodes: [{ name: 'a' }, { name: 'c' }] } } })
    expect(read.transactions).toBe(1)
    const bulk = await mutate(
      `mutation { bulkCreatePosts(inputs: [{writerId: "${writer}", title: "x", labelIds: ${labelIds(1)}}, {writerId: "${writer}", title: "y", labelIds: ${labelIds(2)}}]) { count } }`,
    )
    expect(bulk.payload).toEqual({ count: 2 })
    expect(bulk.transactions).toBe(1)
    expect(await links()).toEqual([
      { post_id: 1, label_id: 1 },
      { post_id: 1, label_id: 3 },
      { post_id: 2, label_id: 1 },
      { post_id: 3, label_id: 2 },
    ])
  })
})

describe.each(testDatabases().filter((entry) => entry.name === 'pg'))(
  'a lost write on $name',
  ({ create }) => {
    it('reports commitOutcomeUnknown when the connection dies during the one statement', async () => {
      const { database, dispose } = await create()
      let release = (): void => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      let holder: Promise<void> | undefined
      try {
        await database.exec(DDL)
        await database.exec(`insert into writers (name) values ('ann')`)
        const schema = new SchemaBuilder(config(), { database }).build()
        // Another writer holds the table, so the mutation's statement waits inside PostgreSQL.
        let locked = (): void => {}
        const isLocked = new Promise<void>((resolve) => (locked = resolve))
        holder = database.transaction(async (tx) => {
          await tx.query({ text: 'lock table posts in exclusive mode', values: [] })
          locked()
          await held
        })
        await isLocked
        const mutation = graphql({
          schema,
          source: `mutation { createPost(input: {writerId: "${gid('Writer', 1)}", title: "x"}) { success } }`,
        })
        let killed = 0
        for (let attempt = 0; attempt < 200 && killed === 0; attempt++) {
          const { rows } = await database.query<{ n: number }>({
            text: `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
                 where state = 'active' and query like 'insert into "posts"%' and pid <> pg_backend_pid()`,
            values: [],
          })
          killed = rows[0]!.n
          if (killed === 0) await new Promise((resolve) => setTimeout(resolve, 20))
        }
        expect(killed).toBe(1)
        const result = await mutation
        expect(result.errors?.map((e) => e.extensions)).toEqual([
          { code: ErrorCodes.SERVICE_UNAVAILABLE, reason: 'commitOutcomeUnknown' },
        ])
      } finally {
        release()
        await holder
        await dispose()
      }
    })
  },
)

describe('chooseWritePath', () => {
  let names: ModelNames
  let dispose: () => Promise<void>
  beforeAll(async () => {
    const created = await testDatabases()[0]!.create()
    dispose = created.dispose
    const schema = new SchemaBuilder(config(), { database: created.database }).build()
    names = getSchemaRuntime(schema).names.models.get('posts')!
  })
  afterAll(async () => {
    await dispose()
  })
  const settings = { plugins: [] } as unknown as MutationSettings
  const call = { database: undefined as unknown as Database, context: undefined }
  const input = {
    values: { title: 'x' },
    references: [],
    links: [],
    pointsAt: [],
    passwords: ['p'],
    errors: [],
  }

  it('says why a write needs a transaction, and that password hashing does not', () => {
    expect(chooseWritePath(settings, call, names, { operation: 'create', inputs: [input] })).toEqual({
      path: 'statement',
      reason: 'no JS work between the write and its commit',
    })
    const policed = { ...call, access: { rowFilters: new Map([['posts', { title: { exact: 'x' } }]]) } }
    // The row policy of the written model is checked in the statement itself.
    expect(chooseWritePath(settings, policed, names, { operation: 'create', inputs: [input] }).path).toBe(
      'statement',
    )
    // So are ids pointing at rows under a row policy, and references that need a lookup.
    const pointing = { ...input, pointsAt: [{ inputName: 'postId', target: names, pk: '1', key: 'postId' }] }
    expect(chooseWritePath(settings, policed, names, { operation: 'create', inputs: [pointing] }).path).toBe(
      'statement',
    )
    const relation = names.model.relations[0]!
    const lookup = {
      ...input,
      values: {},
      references: [{ inputName: 'postId', relation, target: names, key: 'postId', pk: '1' }],
    }
    expect(chooseWritePath(settings, call, names, { operation: 'update', inputs: [lookup] }).path).toBe(
      'statement',
    )
    const linking = {
      ...input,
      links: [
        { inputName: 'tagIds', relation, target: names, action: 'set' as const, pks: [], ids: new Map() },
      ],
    }
    expect(chooseWritePath(settings, call, names, { operation: 'create', inputs: [linking] }).path).toBe(
      'statement',
    )
    expect(
      chooseWritePath(settings, call, names, { operation: 'create', inputs: [linking, linking] }).reason,
    ).toBe('`tagIds` links the rows of a bulk create, each to its own targets')
    expect(
      chooseWritePath(settings, call, names, {
        operation: 'update',
        inputs: [linking],
        rereadsLinks: true,
      }).reason,
    ).toBe('the payload or the row policy reads many-to-many links the write changes')
    const checked = { ...call, checkRows: async () => {} }
    expect(chooseWritePath(settings, checked, names, { operation: 'delete', inputs: [] }).reason).toBe(
      'object permission classes judge the target rows in JS first',
    )
    expect(
      chooseWritePath(settings, call, names, { operation: 'update', inputs: [{ ...input, values: {} }] })
        .reason,
    ).toBe('the patch changes no column: the row is only locked and read')
    expect(
      chooseWritePath(settings, call, names, { operation: 'create', inputs: [input], rereadsTable: true })
        .reason,
    ).toBe('the payload or the row policy reads Post again through a relation, after the write')
  })
})

describe.each(testDatabases().slice(0, 1))('golden write SQL on $name', ({ create }) => {
  it('a create with its payload is one INSERT … RETURNING', async () => {
    const { database, dispose } = await create()
    try {
      await database.exec(DDL)
      await database.exec(`insert into writers (name) values ('ann')`)
      const schema = new SchemaBuilder(config(), { database }).build()
      const source = `mutation { createPost(input: {writerId: "${gid('Writer', 1)}", title: "Hi"}) { post { id title writer { name } } } }`
      const { statements } = await countStatements(database, () => graphql({ schema, source }))
      expect(statements).toHaveLength(1)
      const file = [
        '-- createPost with a payload: one INSERT, the payload compiled into its RETURNING',
        `-- parameters: ${statements[0]!.values.length}`,
        `-- ${source}`,
        formatSql(statements[0]!.text),
        '',
      ].join('\n')
      await expect(file).toMatchFileSnapshot('./__snapshots__/create-one-statement.sql')
    } finally {
      await dispose()
    }
  })

  it('an update of a soft-delete reference and many-to-many links is one statement of CTEs', async () => {
    const { database, dispose } = await create()
    try {
      await database.exec(LINKS_DDL)
      await database.exec(`create table comments (id serial primary key, post_id integer not null references posts (id), body text not null);
        insert into writers (name) values ('ann'); insert into labels (name) values ('a'), ('b');
        insert into posts (writer_id, title) values (1, 'p'), (1, 'q'); insert into comments (post_id, body) values (1, 'c')`)
      const models = {
        writers,
        posts: { table: posts, softDelete: 'deletedAt' },
        labels,
        postLabels,
        comments,
      }
      const schema = new SchemaBuilder(config({ models }), { database }).build()
      const sources = [
        `mutation { updateComment(id: "${gid('Comment', 1)}", input: {postId: "${gid('Post', 2)}"}) { comment { body } } }`,
        `mutation { updatePost(id: "${gid('Post', 1)}", input: {labelIds: ["${gid('Label', 1)}", "${gid('Label', 2)}"]}) { post { title } } }`,
      ]
      const parts = ['-- Inputs checked inside the one statement (see referenceCell, statementLinks)']
      for (const source of sources) {
        const { result, statements } = await countStatements(database, () => graphql({ schema, source }))
        expect(result.errors).toBeUndefined()
        expect(statements).toHaveLength(1)
        parts.push(
          `-- ${source}`,
          `-- parameters: ${statements[0]!.values.length}`,
          formatSql(statements[0]!.text),
          '',
        )
      }
      await expect(parts.join('\n')).toMatchFileSnapshot(
        './__snapshots__/update-references-one-statement.sql',
      )
    } finally {
      await dispose()
    }
  })
})
