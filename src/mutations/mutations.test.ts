// Soft delete, restore, guarded hard delete, check constraints and lifecycle hooks, on a
// test-only model (accounts with a nullable `deleted_at`), on every test database.
import { graphql } from 'graphql'
import type { ExecutionResult, GraphQLSchema } from 'graphql'
import { integer, numeric, pgTable, serial, smallint, text, timestamp, varchar } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { UserConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import type { MutationEvent, Plugin } from '../plugins/index.js'
import { SchemaBuilder } from '../schema/index.js'

const accounts = pgTable('accounts', {
  id: serial('id').primaryKey(),
  handle: varchar('handle', { length: 30 }).notNull().unique(),
  score: smallint('score').notNull().default(0),
  balance: numeric('balance', { precision: 6, scale: 2 }),
  password: text('password'),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
})

const notes = pgTable('notes', {
  id: serial('id').primaryKey(),
  accountId: integer('account_id')
    .notNull()
    .references(() => accounts.id),
  body: text('body').notNull(),
})

const DDL = `
  create table accounts (
    id serial primary key,
    handle varchar(30) not null unique,
    score smallint not null default 0 constraint score_nonneg check (score >= 0),
    balance numeric(6, 2),
    password text,
    deleted_at timestamptz
  );
  create table notes (id serial primary key, account_id integer not null references accounts (id), body text not null);
  create table audit_log (id serial primary key, entry text not null);
`

const gid = (type: string, pk: number | string): string =>
  Buffer.from(`${type}:${pk}`, 'utf8').toString('base64')
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/** Events the hook plugin saw, in order (phase, operation, pks, handles). */
const seen: Array<{ phase: string; operation: string; bulk: boolean; pks: string[]; handles: unknown[] }> = []

/**
 * A plugin using both hooks as Django signals would: normalises input, vetoes some, aborts some,
 * and writes an audit row through the mutation's own transaction.
 */
const auditPlugin: Plugin = {
  name: 'test-audit',
  beforeMutation(event: MutationEvent) {
    seen.push({
      phase: 'before',
      operation: event.operation,
      bulk: event.bulk,
      pks: event.pks,
      handles: event.values.map((v) => v['handle']),
    })
    for (const [index, values] of event.values.entries()) {
      if (typeof values['handle'] === 'string') values['handle'] = values['handle'].toLowerCase()
      if (values['handle'] === 'forbidden')
        event.addError({
          field: 'handle',
          message: 'Not this one.',
          code: 'RESERVED',
          ...(event.bulk ? { index } : {}),
        })
      if (values['handle'] === 'abort') event.abort('Stopped by policy.')
    }
  },
  async afterMutation(event: MutationEvent) {
    seen.push({
      phase: 'after',
      operation: event.operation,
      bulk: event.bulk,
      pks: event.pks,
      handles: event.rows.map((r) => r['handle']),
    })
    if (event.typeName !== 'Account') return
    for (const row of event.rows) {
      await event.tx.query({
        text: 'insert into audit_log (entry) values ($1)',
        values: [`${event.operation} ${String(row['handle'])}`],
      })
    }
    if (event.rows.some((r) => r['handle'] === 'late'))
      event.addError({ field: null, message: 'Vetoed after writing.', code: 'VETOED' })
  },
}

function config(mutations: UserConfig['mutations'] = {}): UserConfig {
  return {
    models: { accounts: { table: accounts, softDelete: 'deletedAt' }, notes },
    mutations: { softDelete: true, ...mutations },
    plugins: [auditPlugin],
  }
}

describe.each(testDatabases())('soft delete and hooks on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(DDL)
    schema = new SchemaBuilder(config(), { database: db }).build()
  })

  afterAll(async () => {
    await dispose()
  })

  beforeEach(async () => {
    seen.length = 0
    await db.exec('truncate accounts, notes, audit_log restart identity cascade')
  })

  const run = (source: string, on: GraphQLSchema = schema): Promise<ExecutionResult> =>
    graphql({ schema: on, source })
  async function payload(source: string, on: GraphQLSchema = schema): Promise<Record<string, unknown>> {
    const result = await run(source, on)
    expect(result.errors).toBeUndefined()
    return plain(Object.values(result.data!)[0] as Record<string, unknown>)
  }
  const rows = async <Row = Record<string, unknown>>(text: string): Promise<Row[]> =>
    (await db.query<Row>({ text, values: [] })).rows

  async function addAccount(handle: string): Promise<number> {
    const created = await payload(
      `mutation { createAccount(input: {handle: "${handle}"}) { account { pk } success errors { code message } } }`,
    )
    expect(created['success']).toBe(true)
    return (created['account'] as { pk: number }).pk
  }

  describe('soft delete', () => {
    it('sets the timestamp, and the row vanishes from single, list, count, node and relations', async () => {
      const id = await addAccount('ada')
      await db.query({ text: 'insert into notes (account_id, body) values ($1, $2)', values: [id, 'hi'] })
      expect(
        await payload(
          `mutation { deleteAccount(id: "${gid('Account', id)}") { deletedId success errors { code } } }`,
        ),
      ).toEqual({
        deletedId: gid('Account', id),
        success: true,
        errors: [],
      })
      const [row] = await rows<{ handle: string; deleted_at: Date | string | null }>(
        'select handle, deleted_at from accounts',
      )
      expect(row!.handle).toBe('ada')
      expect(row!.deleted_at).not.toBeNull()
      const read = await run(
        `{ account(id: "${gid('Account', id)}") { id } accounts { totalCount nodes { id } } node(id: "${gid('Account', id)}") { id } notes { nodes { body account { handle } } } }`,
      )
      expect(plain(read.data)).toEqual({
        account: null,
        accounts: { totalCount: 0, nodes: [] },
        node: null,
        notes: { nodes: [{ body: 'hi', account: null }] },
      })
    })

    it('treats soft-deleted ids as gone: update, delete and references fail and change nothing', async () => {
      const id = await addAccount('bo')
      await payload(`mutation { deleteAccount(id: "${gid('Account', id)}") { success } }`)
      const before = await rows('select * from accounts')
      expect(
        await payload(
          `mutation { updateAccount(id: "${gid('Account', id)}", input: {score: 5}) { account { id } success errors { field code } } }`,
        ),
      ).toEqual({
        account: null,
        success: false,
        errors: [{ field: 'id', code: ErrorCodes.NOT_FOUND }],
      })
      expect(
        await payload(
          `mutation { deleteAccount(id: "${gid('Account', id)}") { success errors { field code } } }`,
        ),
      ).toEqual({
        success: false,
        errors: [{ field: 'id', code: ErrorCodes.NOT_FOUND }],
      })
      expect(
        await payload(
          `mutation { createNote(input: {accountId: "${gid('Account', id)}", body: "x"}) { note { id } success errors { field code message } } }`,
        ),
      ).toEqual({
        note: null,
        success: false,
        errors: [
          {
            field: 'accountId',
            code: ErrorCodes.INVALID_REFERENCE,
            message: 'No Account with this id (it does not exist or was deleted).',
          },
        ],
      })
      expect(await rows('select * from accounts')).toEqual(before)
      expect(await rows('select * from notes')).toEqual([])
    })

    it('keeps unique values of deleted rows (UNIQUE with a hint), and restore brings the row back', async () => {
      const id = await addAccount('cy')
      await payload(`mutation { deleteAccount(id: "${gid('Account', id)}") { success } }`)
      const again = await payload(
        `mutation { createAccount(input: {handle: "cy"}) { success errors { field code message } } }`,
      )
      expect(again).toEqual({
        success: false,
        errors: [
          {
            field: 'handle',
            code: ErrorCodes.UNIQUE,
            message: expect.stringContaining('Deleted Account rows keep their unique values'),
          },
        ],
      })
      expect(await rows('select count(*)::int as n from accounts')).toEqual([{ n: 1 }])
      expect(
        await payload(
          `mutation { restoreAccount(id: "${gid('Account', id)}") { account { handle } success errors { code } } }`,
        ),
      ).toEqual({
        account: { handle: 'cy' },
        success: true,
        errors: [],
      })
      expect(await rows('select handle, deleted_at from accounts')).toEqual([
        { handle: 'cy', deleted_at: null },
      ])
      expect(
        await payload(
          `mutation { restoreAccount(id: "${gid('Account', id)}") { success errors { field code } } }`,
        ),
      ).toEqual({
        success: false,
        errors: [{ field: 'id', code: ErrorCodes.NOT_FOUND }],
      })
    })

    it('guards hard delete with mutations.allowHardDelete', async () => {
      const id = await addAccount('dee')
      const refused = await run(
        `mutation { deleteAccount(id: "${gid('Account', id)}", hard: true) { success } }`,
      )
      expect(refused.errors?.map((e) => e.extensions['code'])).toEqual([ErrorCodes.FORBIDDEN])
      const bulkRefused = await run(`mutation { bulkDeleteAccounts(all: true, hard: true) { count } }`)
      expect(bulkRefused.errors?.map((e) => e.extensions['code'])).toEqual([ErrorCodes.FORBIDDEN])
      expect(await rows('select handle, deleted_at from accounts')).toEqual([
        { handle: 'dee', deleted_at: null },
      ])

      const purging = new SchemaBuilder(config({ allowHardDelete: true }), { database: db }).build()
      await payload(`mutation { deleteAccount(id: "${gid('Account', id)}") { success } }`, purging)
      expect(await rows('select count(*)::int as n from accounts where deleted_at is not null')).toEqual([
        { n: 1 },
      ])
      // By id, a hard delete also purges a row that is already soft-deleted.
      expect(
        await payload(
          `mutation { deleteAccount(id: "${gid('Account', id)}", hard: true) { deletedId success } }`,
          purging,
        ),
      ).toEqual({
        deletedId: gid('Account', id),
        success: true,
      })
      expect(await rows('select * from accounts')).toEqual([])
    })

    it('bulk delete soft-deletes what the filter matches', async () => {
      for (const handle of ['e1', 'e2', 'f1']) await addAccount(handle)
      expect(
        await payload(
          `mutation { bulkDeleteAccounts(filter: {handle: {startswith: "e"}}) { count success } }`,
        ),
      ).toEqual({ count: 2, success: true })
      expect(await rows('select handle from accounts where deleted_at is not null order by handle')).toEqual([
        { handle: 'e1' },
        { handle: 'e2' },
      ])
      expect(await rows('select count(*)::int as n from accounts')).toEqual([{ n: 3 }])
    })
  })

  describe('validation and constraints', () => {
    it('range and decimal checks before SQL, a check constraint after it, each on its GraphQL field', async () => {
      expect(
        await payload(
          `mutation { createAccount(input: {handle: "g", score: 40000, balance: "1.234"}) { success errors { field code message } } }`,
        ),
      ).toEqual({
        success: false,
        errors: [
          { field: 'score', code: ErrorCodes.INVALID_VALUE, message: 'Must be between -32768 and 32767.' },
          { field: 'balance', code: ErrorCodes.INVALID_VALUE, message: 'At most 2 decimal places.' },
        ],
      })
      expect(
        await payload(
          `mutation { createAccount(input: {handle: "g", score: -1}) { success errors { field code message } } }`,
        ),
      ).toEqual({
        success: false,
        errors: [
          {
            field: 'score',
            code: ErrorCodes.CONSTRAINT_VIOLATION,
            message: 'The value breaks the rule `score_nonneg` of Account.',
          },
        ],
      })
      expect(await rows('select * from accounts')).toEqual([])
    })

    it('hashes write-only passwords with the configured hasher', async () => {
      const custom = new SchemaBuilder(
        { ...config(), mutations: { softDelete: true, passwordHasher: (p: string) => `custom:${p.length}` } },
        { database: db },
      ).build()
      await payload(
        `mutation { createAccount(input: {handle: "h", password: "secret"}) { success } }`,
        custom,
      )
      expect(await rows('select password from accounts')).toEqual([{ password: 'custom:6' }])
      expect(() =>
        new SchemaBuilder(
          { ...config(), mutations: { passwordHasher: 'md5' as never } },
          { database: db },
        ).build(),
      ).toThrow(/mutations.passwordHasher: expected a function/)
    })
  })

  describe('lifecycle hooks', () => {
    it('run before and after inside the transaction; before-hooks may change values', async () => {
      const created = await payload(
        `mutation { createAccount(input: {handle: "MiXeD"}) { account { pk handle } success } }`,
      )
      expect(created).toEqual({ account: { pk: 1, handle: 'mixed' }, success: true })
      await payload(`mutation { updateAccount(id: "${gid('Account', 1)}", input: {score: 3}) { success } }`)
      await payload(`mutation { deleteAccount(id: "${gid('Account', 1)}") { success } }`)
      expect(seen).toEqual([
        { phase: 'before', operation: 'create', bulk: false, pks: [], handles: ['MiXeD'] },
        { phase: 'after', operation: 'create', bulk: false, pks: ['1'], handles: ['mixed'] },
        { phase: 'before', operation: 'update', bulk: false, pks: ['1'], handles: [undefined] },
        { phase: 'after', operation: 'update', bulk: false, pks: ['1'], handles: ['mixed'] },
        { phase: 'before', operation: 'delete', bulk: false, pks: ['1'], handles: [] },
        { phase: 'after', operation: 'delete', bulk: false, pks: ['1'], handles: ['mixed'] },
      ])
      expect(await rows('select entry from audit_log order by id')).toEqual([
        { entry: 'create mixed' },
        { entry: 'update mixed' },
        { entry: 'delete mixed' },
      ])
    })

    it('errors added by hooks and aborts roll everything back', async () => {
      expect(
        await payload(
          `mutation { createAccount(input: {handle: "Forbidden"}) { account { id } success errors { field code message } } }`,
        ),
      ).toEqual({
        account: null,
        success: false,
        errors: [{ field: 'handle', code: 'RESERVED', message: 'Not this one.' }],
      })
      expect(
        await payload(
          `mutation { createAccount(input: {handle: "abort"}) { success errors { field code message } } }`,
        ),
      ).toEqual({
        success: false,
        errors: [{ field: null, code: ErrorCodes.ABORTED, message: 'Stopped by policy.' }],
      })
      // The after-hook wrote its audit row, then vetoed: both the account and the audit row go.
      expect(
        await payload(
          `mutation { createAccount(input: {handle: "late"}) { success errors { field code } } }`,
        ),
      ).toEqual({
        success: false,
        errors: [{ field: null, code: 'VETOED' }],
      })
      expect(
        await payload(
          `mutation { bulkCreateAccounts(inputs: [{handle: "ok"}, {handle: "forbidden"}]) { count success errors { index field code } } }`,
        ),
      ).toEqual({
        count: 0,
        success: false,
        errors: [{ index: 1, field: 'handle', code: 'RESERVED' }],
      })
      expect(await rows('select * from accounts')).toEqual([])
      expect(await rows('select * from audit_log')).toEqual([])
    })
  })
})
