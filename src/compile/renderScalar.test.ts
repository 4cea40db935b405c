// Cheaper renderings must be byte for byte what the API sent before: a Date as its own JSON where
// that equals to_char's YYYY-MM-DD (and to_char's text everywhere else: BC, infinity, year 10000+,
// under any DateStyle), and global ids through textsend where that equals base64 of the UTF-8
// text without line breaks (short ASCII keys), checked against naming's encodeGlobalId.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database, Queryable } from '../database/index.js'
import type { ModelField, ScalarKind } from '../models/index.js'
import { encodeGlobalId } from '../naming/index.js'
import { renderGlobalId, renderScalar } from './renderScalar.js'

function field(kind: ScalarKind, column: string, sqlType: string): ModelField {
  return {
    key: column,
    column,
    kind,
    sqlType,
    isList: false,
    itemsNullable: false,
    nullable: true,
    hasDefault: false,
    isPrimaryKey: false,
    isUnique: false,
    withTimezone: false,
    hidden: false,
    writeOnly: false,
    readOnly: false,
    isForeignKey: false,
  }
}

const DATES = [
  '2023-03-15',
  '0001-01-01',
  '9999-12-31',
  '1970-01-01',
  '2000-02-29',
  '0001-12-31 BC',
  '0044-03-15 BC',
  '4713-01-01 BC',
  '10000-01-01',
  'infinity',
  '-infinity',
  null,
]

describe.each(testDatabases())('rendered scalars on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
  })

  afterAll(async () => {
    await dispose()
  })

  async function datesAs(queryable: Queryable, expr: (column: string) => string): Promise<string> {
    const { rows } = await queryable.query<{ data: string }>({
      text: `select json_agg(json_build_object('d', ${expr('"d"')}) order by "i")::text as "data"
             from unnest($1::date[]) with ordinality as v("d", "i")`,
      values: [`{${DATES.map((d) => (d === null ? 'NULL' : `"${d}"`)).join(',')}}`],
    })
    return rows[0]!.data
  }

  it('renders a Date as to_char did, in every range and under any DateStyle', async () => {
    const date = field('Date', 'd', 'date')
    for (const style of ['ISO, MDY', 'SQL, DMY', 'German', 'Postgres, YMD']) {
      const [before, after] = await db.transaction(async (tx) => {
        await tx.query({ text: `set local datestyle = '${style}'`, values: [] })
        return [
          await datesAs(tx, (c) => `to_char(${c}, 'YYYY-MM-DD')`),
          await datesAs(tx, (c) => renderScalar(date, c)),
        ]
      })
      expect(after, style).toBe(before)
      expect(JSON.parse(after)[0]).toEqual({ d: '2023-03-15' })
    }
  })

  const type = (
    name: string,
    ...keys: ModelField[]
  ): { name: string; model: { primaryKey: ModelField[] } } => ({
    name,
    // Each key column is named by its position (c0, c1, …); its values come by its kind.
    model: { primaryKey: keys.map((k, i) => ({ ...k, column: `c${i}`, isPrimaryKey: true })) },
  })
  const int = field('Int', 'a', 'integer')
  const big = field('BigInt', 'b', 'bigint')
  const uuid = field('UUID', 'u', 'uuid')
  const text = field('String', 's', 'text')
  const VALUES: Partial<Record<ScalarKind, unknown[]>> = {
    Int: [0, 1, -1, 42, 2147483647, -2147483648],
    BigInt: ['0', '9223372036854775807', '-9223372036854775808'],
    UUID: ['00000000-0000-0000-0000-000000000000', '123e4567-e89b-12d3-a456-426614174000'],
    String: ['x', 'Ünïcødé ✓', 'a'.repeat(80), 'quote " and \\ backslash'],
  }
  const TYPES = [
    type('User', int),
    type('U', big),
    type('Order', uuid),
    type('Tag', text),
    type('OrderDetail', int, int),
    type('Pair', big, uuid),
    // Type names around the 56-byte limit: the longest key text still fits, or just does not.
    type('T'.repeat(56 - 1 - 20), big),
    type('T'.repeat(57 - 1 - 20), big),
    type('T'.repeat(56 - 1 - 11), int),
    type('T'.repeat(57 - 1 - 11), int),
    type('Mixed', int, text),
  ]

  it('renders global ids as encodeGlobalId makes them, short keys through textsend', async () => {
    let cheap = 0
    for (const { name, model } of TYPES) {
      const tuples = model.primaryKey.reduce<unknown[][]>(
        (acc, key) => acc.flatMap((t) => VALUES[key.kind]!.map((v) => [...t, v])),
        [[]],
      )
      const sql = renderGlobalId(name, model, (column) => `"v"."${column}"`)
      if (sql.includes('textsend')) cheap++
      for (const tuple of tuples) {
        const select = tuple.map((_, i) => `$${i + 1}::${model.primaryKey[i]!.sqlType} as "c${i}"`)
        const { rows } = await db.query<{ id: string }>({
          text: `select ${sql} as "id" from (select ${select.join(', ')}) as "v"`,
          values: tuple,
        })
        const expected = encodeGlobalId(name, tuple.length === 1 ? String(tuple[0]) : tuple.map(String))
        expect(rows[0]!.id, `${name} ${JSON.stringify(tuple)}`).toBe(expected)
      }
    }
    // The short integer, bigint and UUID keys take the cheap form; the long and text ones do not.
    expect(cheap).toBe(6)
  })
})
