// Unit checks of the SQL a filter compiles to (semantics are tested against the database in
// src/schema/filtering.test.ts): values are always bound, constants fold, limits hold.
import { describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { getSchemaRuntime } from '../schema/index.js'
import { buildShopSchema } from '../testing/shopFixture.js'
import { compileFilter, escapeLike } from './compileFilter.js'
import type { FilterContext } from './compileFilter.js'
import { SqlParams } from './sql.js'

// The database connects lazily and is never queried here.
const names = getSchemaRuntime(buildShopSchema(new PGliteDatabase())).names
const users = names.models.get('users')!

function compile(
  filter: unknown,
  options: FilterContext['options'] = {},
): { sql: string; values: unknown[] } {
  let n = 0
  const ctx: FilterContext = { params: new SqlParams(), nextAlias: (prefix) => `${prefix}${n++}`, options }
  return { sql: compileFilter(ctx, users, filter, 't'), values: ctx.params.values }
}

describe('compileFilter', () => {
  it('binds every value as a parameter with a cast, never in the SQL text', () => {
    const evil = "'; drop table users; --"
    const { sql, values } = compile({
      username: { exact: evil, icontains: evil },
      createdAt: { gte: '2023-01-01' },
    })
    expect(sql).not.toContain('drop table')
    expect(sql).toContain('$1::text')
    expect(values).toEqual([evil, `%${evil}%`, '2023-01-01T00:00:00Z'])
  })

  it('escapes LIKE wildcards and uses an explicit ESCAPE', () => {
    expect(escapeLike('50%_off\\x')).toBe('50\\%\\_off\\\\x')
    const { sql, values } = compile({ username: { startswith: '%_' } })
    expect(sql).toMatch(/like \$1::text escape '\\'/)
    expect(values).toEqual(['\\%\\_%'])
  })

  it('compares a value without letters with LIKE (same matches as ILIKE, bytes compared), others with ILIKE', () => {
    expect(compile({ username: { icontains: '42' } }).sql).toBe(`"t"."username" like $1::text escape '\\'`)
    expect(compile({ username: { istartswith: '+1 (555)' } }).sql).toMatch(/ like \$1/)
    expect(compile({ username: { iexact: '2023-01-01' } }).sql).toMatch(/ like \$1/)
    expect(compile({ username: { icontains: 'a42' } }).sql).toMatch(/ ilike \$1/)
    expect(compile({ username: { iendswith: 'é' } }).sql).toMatch(/ ilike \$1/)
    expect(compile({ username: { icontains: '4\u0130' } }).sql).toMatch(/ ilike \$1/)
  })

  it('binds a repeated value once', () => {
    const { values } = compile({ or: [{ username: { exact: 'a' } }, { email: { exact: 'a' } }] })
    expect(values).toEqual(['a'])
  })

  it('folds constants: in: [], or: [], NUL strings, empty filters', () => {
    expect(compile({ username: { in: [] } }).sql).toBe('false')
    expect(compile({ or: [] }).sql).toBe('false')
    expect(compile({ and: [] }).sql).toBe('true')
    expect(compile({}).sql).toBe('true')
    expect(compile(null).sql).toBe('true')
    expect(compile({ username: { contains: 'a\u0000' } })).toEqual({ sql: 'false', values: [] })
    expect(compile({ not: { username: { exact: '\u0000' } } }).sql).toBe('true')
  })

  it('still references every bound value when a part folds away (PostgreSQL refuses unused parameters)', () => {
    // Found by the fuzz tests: `false and $1` folded to `false` left $1 bound but unused.
    const cases = [
      { id: { in: [] }, pk: { gte: 0 } },
      { or: [{}, { pk: { gt: 1 } }] },
      { profile: { user: { id: { in: [] }, pk: { lt: 5 } } } },
      { not: { and: [{ username: { contains: 'a\u0000' } }, { email: { exact: 'b' } }] } },
    ]
    for (const filter of cases) {
      const { sql, values } = compile(filter)
      expect(values.length, JSON.stringify(filter)).toBeGreaterThan(0)
      values.forEach((_, i) => expect(sql, JSON.stringify(filter)).toContain(`$${i + 1}::`))
    }
  })

  it('uses EXISTS / NOT EXISTS for relations, never joins', () => {
    const { sql } = compile({
      orders: { some: { pk: { gt: 1 } }, every: { total: { gte: '1' } }, none: {} },
      profile: null,
    })
    expect(sql).not.toMatch(/\bjoin\b/i)
    expect(sql.match(/not exists/g)?.length).toBe(3)
  })

  it('refuses bad values and too-deep nesting with BAD_USER_INPUT', () => {
    const code = (filter: unknown, options?: FilterContext['options']): unknown => {
      try {
        compile(filter, options)
        return undefined
      } catch (error) {
        return (error as { code?: unknown }).code
      }
    }
    expect(code({ createdAt: { range: ['2023-01-01'] } })).toBe('BAD_USER_INPUT')
    expect(code({ createdAt: { exact: '2023-13-01' } })).toBe('BAD_USER_INPUT')
    expect(code({ username: { regex: 'a\u0000' } })).toBe('BAD_USER_INPUT')
    expect(code({ username: { gt: 'a' } })).toBe('BAD_USER_INPUT')
    expect(code({ nope: { exact: 1 } })).toBe('BAD_USER_INPUT')
    expect(code({ not: { not: { isActive: true } } }, { maxFilterDepth: 2 })).toBe('BAD_USER_INPUT')
    expect(code({ not: { isActive: true } }, { maxFilterDepth: 2 })).toBeUndefined()
  })
})
