import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { integer, pgEnum, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import { PgDatabase } from '../database/index.js'
import type { Database } from '../database/index.js'
import { readModels } from '../models/index.js'
import { freePort } from '../testing/freePort.js'
import { checkDatabase, databaseReadiness } from './checkDatabase.js'
import { repoModuleUrl, runCli } from './testing/runCli.js'

const mood = pgEnum('mood', ['happy', 'sad'])
const authors = pgTable('authors', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  mood: mood('mood'),
  joinedAt: timestamp('joined_at', { withTimezone: true }),
})
const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').references(() => authors.id),
  title: text('title').notNull(),
})
const graph = readModels([
  { name: 'authors', options: { table: authors } },
  { name: 'posts', options: { table: posts } },
])

describe.each(testDatabases())('checkDatabase on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
  })
  afterAll(async () => {
    await dispose()
  })

  it('names every missing table, missing column and incompatible type, then nothing once they match', async () => {
    expect((await checkDatabase(db, graph)).map((p) => [p.kind, p.where, p.message])).toEqual([
      [
        'database-mismatch',
        'models.authors',
        'Table "authors" does not exist in the database (looked up through its search_path).',
      ],
      [
        'database-mismatch',
        'models.posts',
        'Table "posts" does not exist in the database (looked up through its search_path).',
      ],
    ])
    await db.exec(`create type mood as enum ('happy', 'sad');
create table authors (id serial primary key, name integer, mood text, joined_at timestamptz);
create table posts (id serial primary key, title text not null)`)
    const problems = await checkDatabase(db, graph)
    expect(problems.map((p) => p.message)).toEqual([
      'Column "authors".name: the database has integer, the model declares text.',
      'Column "authors".mood: the database has text, the model declares mood.',
      'Column "posts".author_id does not exist in the database.',
    ])
    for (const problem of problems) expect(problem.fix).toContain('npm run db:push')
    // A readiness that re-checks (interval 0) turns ready once the database is fixed.
    const readiness = databaseReadiness(() => checkDatabase(db, graph), problems, 0)
    expect(await readiness()).toBe('database schema mismatch')
    await db.exec(`alter table authors alter column name type text using name::text;
alter table authors alter column name set not null;
alter table authors alter column mood type mood using mood::mood;
alter table posts add column author_id integer references authors (id)`)
    expect(await checkDatabase(db, graph)).toEqual([])
    expect(await readiness()).toBeUndefined()
    // NOT NULL in the model but NULL allowed in the database: reads of a NULL would fail.
    await db.exec(`alter table posts alter column title drop not null`)
    expect((await checkDatabase(db, graph)).map((p) => p.message)).toEqual([
      'Column "posts".title: the database allows NULL, the model says notNull() (reads of a NULL would fail).',
    ])
  })
})

const pgCore = repoModuleUrl('drizzle-orm/pg-core/index.js')
const CONFIG = `
import { pgTable, serial, text } from '${pgCore}'
const posts = pgTable('posts', { id: serial('id').primaryKey(), title: text('title').notNull() })
export default { models: { posts }, database: { url: process.env['DATABASE_URL'] } }
`

const serverUrl = process.env['DATABASE_URL']

// CLI processes: generous limits, so a busy machine is no failure.
describe('serve, load and doctor check the live database first', { timeout: 240_000 }, () => {
  const project = mkdtempSync(join(tmpdir(), 'gag-check-'))
  writeFileSync(join(project, 'graphql-auto-gen.config.ts'), CONFIG)

  it('names host:port and the driver reason for an unreachable PostgreSQL, and never says serving', async () => {
    const port = await freePort()
    const url = `postgres://postgres@127.0.0.1:${port}/shop`
    const run = await runCli(['serve', '--port', '0'], {
      cwd: project,
      env: { DATABASE_URL: url },
      until: (out) => /Ready:/.test(out),
    })
    try {
      expect(run.stdout, run.stderr).toContain(
        `Cannot connect to PostgreSQL at 127.0.0.1:${port}/shop: ECONNREFUSED`,
      )
      expect(run.stdout).not.toContain('is serving')
      expect(run.stdout).toContain('NOT READY')
      const origin = /Ready: (\S+)\/ready/.exec(run.stdout)![1]!
      const ready = await fetch(`${origin}/ready`)
      expect(ready.status).toBe(503)
      expect(((await fetch(`${origin}/health`)) as Response).status).toBe(200)
    } finally {
      await run.stop()
    }
    // doctor's finding is this check's (doctor's CLI run on a server that refuses is the test
    // below); here the check itself, in process, which saves a CLI start.
    const database = new PgDatabase({ url, max: 1 })
    try {
      const found = await checkDatabase(database, graph, url)
      expect(found.map((p) => p.kind)).toEqual(['database-unreachable'])
      expect(found[0]!.message).toContain(`127.0.0.1:${port}/shop: ECONNREFUSED`)
    } finally {
      await database.close()
    }
  })

  // On PostgreSQL only (a server to ask for an unknown database, and databases of their own).
  if (serverUrl !== undefined && serverUrl !== '')
    it('refuses an unknown database by name, then reports missing tables with the fix and stays not ready', async () => {
      const unknown = new URL(serverUrl!)
      unknown.pathname = '/no_such_database_here'
      const doctor = await runCli(['doctor'], { cwd: project, env: { DATABASE_URL: unknown.toString() } })
      expect(doctor.stdout).toContain(
        'unknown database (3D000): database "no_such_database_here" does not exist',
      )
      expect(doctor.stdout).toContain('✗ [database-unreachable] database:')
      expect(doctor.code).toBe(1)

      // A database of its own, without the tables (db:push not run yet).
      const name = `gag_check_${randomBytes(6).toString('hex')}`
      const admin = new pg.Client({ connectionString: serverUrl })
      await admin.connect()
      await admin.query(`create database ${name}`)
      const url = new URL(serverUrl!)
      url.pathname = `/${name}`
      try {
        const run = await runCli(['serve', '--port', '0'], {
          cwd: project,
          env: { DATABASE_URL: url.toString() },
          until: (out) => /Ready:/.test(out),
        })
        try {
          expect(run.stdout, run.stderr).toContain('The database does not match the models: 1 problem.')
          expect(run.stdout).toContain('✗ models.posts: Table "posts" does not exist in the database')
          expect(run.stdout).toContain('fix: Run `npm run db:push`')
          expect(run.stdout).not.toContain('is serving')
          const origin = /Ready: (\S+)\/ready/.exec(run.stdout)![1]!
          const ready = await fetch(`${origin}/ready`)
          expect({ status: ready.status, body: await ready.json() }).toEqual({
            status: 503,
            body: { status: 'database schema mismatch' },
          })
        } finally {
          await run.stop()
        }
        const dump = join(project, 'posts.ndjson')
        writeFileSync(dump, '')
        const load = await runCli(['load', dump], { cwd: project, env: { DATABASE_URL: url.toString() } })
        expect(load.code).toBe(2)
        expect(load.stderr).toContain('error: The database does not match the models: 1 problem.')
        expect(load.stderr).toContain('  ✗ models.posts: Table "posts" does not exist in the database')
      } finally {
        await admin.query(`drop database ${name} with (force)`)
        await admin.end()
      }
    })
})
