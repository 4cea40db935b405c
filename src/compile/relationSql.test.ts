// Which to-one lookups may drop `limit 1`: only those whose columns the database itself keeps
// unique in the target table (a table's primary key, or a unique column), never a key that config
// declares for a view or a keyless table (two rows there would fail the scalar subquery).
import { integer, pgTable, pgView, serial, text } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import { getModel, readModels } from '../models/index.js'
import type { NamedModelInput } from '../models/index.js'
import { atMostOneRow } from './relationSql.js'

const authors = pgTable('authors', { id: serial('id').primaryKey(), name: text('name').notNull() })
const profiles = pgTable('profiles', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id')
    .notNull()
    .unique()
    .references(() => authors.id),
})
const books = pgTable('books', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id')
    .notNull()
    .references(() => authors.id),
})
// No primary key: config names one, which PostgreSQL does not enforce.
const notes = pgTable('notes', { authorId: integer('author_id').notNull(), body: text('body') })
const stats = pgView('author_stats', { id: integer('id').notNull(), books: integer('books') }).existing()

const graph = readModels([
  { name: 'authors', options: { table: authors } },
  { name: 'profiles', options: { table: profiles } },
  { name: 'books', options: { table: books } },
  {
    name: 'notes',
    options: { table: notes, primaryKey: ['authorId'], relations: { authorId: { references: 'authors' } } },
  },
  {
    name: 'stats',
    options: { table: stats, primaryKey: ['id'], relations: { id: { references: 'authors' } } },
  },
] as NamedModelInput[])

function lookup(from: string, to: string): boolean {
  const relation = getModel(graph, from).relations.find((r) => r.target === to && r.kind === 'toOne')
  if (!relation) throw new Error(`no to-one ${from} → ${to}`)
  return atMostOneRow(relation, getModel(graph, to))
}

describe('atMostOneRow', () => {
  it('holds for a foreign key to a primary key and for the reverse side of a unique foreign key', () => {
    expect(lookup('books', 'authors')).toBe(true)
    expect(lookup('profiles', 'authors')).toBe(true)
    expect(lookup('authors', 'profiles')).toBe(true)
  })

  it('does not hold for a key that config declares (a view, a table without a primary key)', () => {
    expect(lookup('authors', 'stats')).toBe(false)
    expect(lookup('authors', 'notes')).toBe(false)
    // Their references to a real table's primary key still do.
    expect(lookup('stats', 'authors')).toBe(true)
    expect(lookup('notes', 'authors')).toBe(true)
  })
})
