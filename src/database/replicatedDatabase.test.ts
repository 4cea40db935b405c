import { describe, expect, it } from 'vitest'
import { isReadOnly } from './ReplicatedDatabase.js'

describe('isReadOnly (what a replica may run)', () => {
  it.each([
    'select 1',
    '  SELECT json_agg(t) FROM "tags" t WHERE t."name" ILIKE $1',
    'with x as (select 1) select * from x',
  ])('reads: %s', (text) => {
    expect(isReadOnly({ text, values: [] })).toBe(true)
  })

  it.each([
    'insert into tags (name) values ($1)',
    'with d as (delete from tags returning *) select * from d',
    'select * from tags for update',
    'select pg_notify($1, $2)',
    "select nextval('tags_id_seq')",
    'update tags set name = $1',
    'begin',
  ])('goes to the primary: %s', (text) => {
    expect(isReadOnly({ text, values: [] })).toBe(false)
  })
})
