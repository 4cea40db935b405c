// The config hash sees what shapes the schema in views too: their columns, not only their name.
import { sql } from 'drizzle-orm'
import { integer, pgTable, pgView, serial, text } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import { SchemaConfig } from '../schema/index.js'
import { configHash } from './configHash.js'

const authors = pgTable('authors', { id: serial('id').primaryKey() })
const hashOf = (view: unknown): string =>
  configHash(new SchemaConfig({ models: { authors, view: view as typeof authors } }).resolved)

describe('configHash of views', () => {
  it('changes with a view column, its nullability or the view name, and is stable otherwise', () => {
    const base = pgView('stats', { id: integer('id').notNull() }).as(sql`select 1 as id`)
    const same = pgView('stats', { id: integer('id').notNull() }).as(sql`select 1 as id`)
    const hashes = [
      hashOf(base),
      hashOf(pgView('stats', { id: integer('id') }).as(sql`select 1 as id`)),
      hashOf(pgView('stats', { id: integer('id').notNull(), name: text('name') }).as(sql`select 1 as id`)),
      hashOf(pgView('stats2', { id: integer('id').notNull() }).as(sql`select 1 as id`)),
    ]
    expect(hashOf(same)).toBe(hashes[0])
    expect(new Set(hashes).size).toBe(4)
  })
})
