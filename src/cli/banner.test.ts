// What `serve` prints about tables as they are: ONE warning naming every table served read-only
// because it has no primary key (views and keyed tables are not named), and none when all have keys.
import { sql } from 'drizzle-orm'
import { integer, pgTable, pgView, serial, text } from 'drizzle-orm/pg-core'
import { afterAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { readModels } from '../models/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { tablesWithoutPrimaryKey } from './diagnose.js'
import { banner } from './serve.js'

const authors = pgTable('authors', { id: serial('id').primaryKey(), name: text('name').notNull() })
const logLines = pgTable('log_lines', { line: text('line') })
const visits = pgTable('visits', { path: text('path').notNull(), hits: integer('hits') })
const stats = pgView('author_stats', { id: integer('id').notNull() }).as(sql`select id from authors`)

describe('the read-only warning', () => {
  const database = new PGliteDatabase()
  afterAll(() => database.close())

  it('is one line naming every table without a primary key', () => {
    const schema = new SchemaBuilder({ models: { authors, logLines, visits, stats } }, { database }).build()
    const lines = banner(schema, 'http://localhost:4000/graphql', false)
    const warnings = lines.filter((line) => line.startsWith('  ! '))
    expect(warnings).toEqual([
      '  ! models: Tables without a primary key, served read-only (no mutations, no node): `log_lines`, `visits`.',
    ])
    expect(lines).toContain('1 warning (details: graphql-auto-gen doctor):')
  })

  it('names the model when there is one, and is absent when every table has a key', () => {
    const one = tablesWithoutPrimaryKey(
      readModels([
        { name: 'authors', options: { table: authors } },
        { name: 'logs', options: { table: logLines } },
      ]),
    )
    expect(one.map((p) => [p.kind, p.where, p.message])).toEqual([
      [
        'missing-primary-key',
        'models.logs',
        'Table without a primary key, served read-only (no mutations, no node): `log_lines`.',
      ],
    ])
    const schema = new SchemaBuilder({ models: { authors, stats } }, { database }).build()
    expect(banner(schema, 'http://localhost:4000/graphql', false).some((l) => l.includes('!'))).toBe(false)
  })
})
