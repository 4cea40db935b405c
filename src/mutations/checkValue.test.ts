// Column checks and password hashing need no database: every limit is tested at and past its edge.
import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import type { ModelField } from '../models/index.js'
import { checkValue } from './checkValue.js'
import { hashPassword, verifyPassword } from './passwords.js'

function field(overrides: Partial<ModelField>): ModelField {
  return {
    key: 'f',
    column: 'f',
    kind: 'String',
    sqlType: 'text',
    isList: false,
    itemsNullable: false,
    nullable: true,
    hasDefault: false,
    isPrimaryKey: false,
    isUnique: false,
    withTimezone: true,
    hidden: false,
    writeOnly: false,
    readOnly: false,
    isForeignKey: false,
    ...overrides,
  }
}

describe('checkValue', () => {
  it('counts characters, not UTF-16 units, against varchar lengths', () => {
    const varchar3 = field({ sqlType: 'varchar(3)', maxLength: 3 })
    expect(checkValue(varchar3, '😀😀😀')).toEqual({ ok: true, value: '😀😀😀' })
    expect(checkValue(varchar3, 'abcd')).toEqual({
      ok: false,
      code: ErrorCodes.TOO_LONG,
      message: 'At most 3 characters (got 4).',
    })
    expect(checkValue(field({}), 'a\u0000')).toMatchObject({ ok: false, code: ErrorCodes.INVALID_VALUE })
  })

  it('holds integers to their column type', () => {
    const small = field({ kind: 'Int', sqlType: 'smallint' })
    expect(checkValue(small, 32767)).toEqual({ ok: true, value: 32767 })
    expect(checkValue(small, 32768)).toMatchObject({ ok: false, code: ErrorCodes.INVALID_VALUE })
    expect(checkValue(small, -32768)).toEqual({ ok: true, value: -32768 })
    const big = field({ kind: 'BigInt', sqlType: 'bigint' })
    expect(checkValue(big, '9223372036854775807')).toEqual({ ok: true, value: '9223372036854775807' })
    expect(checkValue(big, '9223372036854775808')).toMatchObject({ ok: false })
  })

  it('checks decimal digits and places like Django', () => {
    const money = field({ kind: 'Decimal', sqlType: 'numeric(5, 2)', precision: 5, scale: 2 })
    expect(checkValue(money, '999.99')).toEqual({ ok: true, value: '999.99' })
    expect(checkValue(money, '0999.990')).toEqual({ ok: true, value: '0999.990' })
    expect(checkValue(money, '1000')).toMatchObject({
      ok: false,
      message: 'At most 3 digits before the decimal point.',
    })
    expect(checkValue(money, '1.001')).toMatchObject({ ok: false, message: 'At most 2 decimal places.' })
    expect(checkValue(field({ kind: 'Decimal', sqlType: 'numeric' }), '1.23456789')).toMatchObject({
      ok: true,
    })
  })

  it('accepts only real dates and times, and binds a plain date as midnight UTC', () => {
    const date = field({ kind: 'Date', sqlType: 'date' })
    expect(checkValue(date, '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' })
    expect(checkValue(date, '2023-02-29')).toMatchObject({ ok: false })
    const dateTime = field({ kind: 'DateTime', sqlType: 'timestamp with time zone' })
    expect(checkValue(dateTime, '2023-01-01')).toEqual({ ok: true, value: '2023-01-01T00:00:00Z' })
    expect(checkValue(dateTime, '2023-04-31T00:00:00Z')).toMatchObject({ ok: false })
    const time = field({ kind: 'Time', sqlType: 'time' })
    expect(checkValue(time, '23:59:59')).toMatchObject({ ok: true })
    expect(checkValue(time, '24:00:00')).toMatchObject({ ok: true })
    expect(checkValue(time, '24:00:01')).toMatchObject({ ok: false })
  })

  it('serialises JSON as text and refuses NUL anywhere in it', () => {
    const json = field({ kind: 'JSON', sqlType: 'jsonb' })
    expect(checkValue(json, [1, { a: 'b' }])).toEqual({ ok: true, value: '[1,{"a":"b"}]' })
    expect(checkValue(json, { 'k\u0000': 1 })).toMatchObject({ ok: false })
  })

  it('checks every item of a list column', () => {
    const list = field({ isList: true, sqlType: 'varchar(2)[]', maxLength: 2 })
    expect(checkValue(list, ['ab', 'c'])).toEqual({ ok: true, value: ['ab', 'c'] })
    expect(checkValue(list, ['ab', 'cde'])).toMatchObject({ ok: false, code: ErrorCodes.TOO_LONG })
  })
})

describe('passwords', () => {
  it('hash with scrypt and a fresh salt, and verify only the right password', async () => {
    const first = await hashPassword('hunter2')
    const second = await hashPassword('hunter2')
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$/)
    expect(first).not.toBe(second)
    expect(await verifyPassword('hunter2', first)).toBe(true)
    expect(await verifyPassword('hunter3', first)).toBe(false)
    expect(await verifyPassword('hunter2', 'plain-text')).toBe(false)
    expect(await verifyPassword('hunter2', 'scrypt$0$8$1$AA==$AA==')).toBe(false)
  })
})
