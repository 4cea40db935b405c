// Key text and global ids rendered in SQL equal the ones made in TypeScript, byte for byte, for
// values that stress JSON escaping; key lists match exact tuples only; key text is parsed strictly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { Model, ModelField } from '../models/index.js'
import { encodeGlobalId, encodeKeyText } from '../naming/index.js'
import { keyIn, parseKeyText, renderKeyText } from './primaryKey.js'
import { renderGlobalId } from './renderScalar.js'
import { ident, SqlParams } from './sql.js'

/** Texts JSON must escape (quotes, backslashes, every control character) or must not (DEL, U+2028, astral). */
const AWKWARD = [
  '',
  ' ',
  'plain',
  '"',
  '\\',
  '\\u0041',
  '","',
  '[1]',
  'a:b',
  '\t\n\r\b\f',
  ...Array.from({ length: 32 }, (_, code) => `x${String.fromCharCode(code)}y`).filter(
    (t) => !t.includes('\u0000'),
  ),
  '\u007f',
  '\u2028\u2029',
  'ünï €',
  '😀',
]

function keyField(
  column: string,
  kind: ModelField['kind'],
  sqlType: string,
  extra: Partial<ModelField> = {},
): ModelField {
  return {
    key: column,
    column,
    kind,
    sqlType,
    isList: false,
    itemsNullable: false,
    nullable: false,
    hasDefault: false,
    isPrimaryKey: true,
    isUnique: false,
    withTimezone: false,
    hidden: false,
    writeOnly: false,
    readOnly: false,
    isForeignKey: false,
    ...extra,
  }
}

const textKey: Pick<Model, 'primaryKey'> = {
  primaryKey: [keyField('a', 'String', 'text'), keyField('b', 'String', 'text')],
}
const mixedKey: Pick<Model, 'primaryKey'> = {
  primaryKey: [
    keyField('n', 'Int', 'integer'),
    keyField('k', 'Enum', 'shade', { enum: { sqlName: 'shade', values: ['light', 'dark'] } }),
    keyField('d', 'Date', 'date'),
  ],
}

describe.each(testDatabases())('primary keys in SQL on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(`
      create type shade as enum ('light', 'dark');
      create table pairs (a text not null, b text not null, primary key (a, b));
      create table mixed (n integer not null, k shade not null, d date not null, primary key (n, k, d));
      insert into mixed select n, k, d from generate_series(1, 3) as n,
        unnest(array['light', 'dark']::shade[]) as k,
        unnest(array['2024-01-01', '2024-02-29']::date[]) as d;
    `)
  })

  afterAll(async () => {
    await dispose()
  })

  it('renders key text and global ids exactly as encodeKeyText and encodeGlobalId make them', async () => {
    const pairs = AWKWARD.flatMap((a) =>
      [a, AWKWARD[(AWKWARD.indexOf(a) * 7) % AWKWARD.length]!].map((b) => [a, b] as const),
    )
    const column = (name: string): string => `${ident('p')}.${ident(name)}`
    const { rows } = await db.query<{ a: string; b: string; key: string; id: string }>({
      text: `select p.a, p.b, ${renderKeyText(textKey, column)} as key, ${renderGlobalId('Pair', textKey, column)} as id
             from unnest($1::text[], $2::text[]) as p(a, b)`,
      values: [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    })
    expect(rows).toHaveLength(pairs.length)
    for (const row of rows) {
      expect(row.key).toBe(encodeKeyText([row.a, row.b]))
      expect(row.id).toBe(encodeGlobalId('Pair', [row.a, row.b]))
      expect(parseKeyText(textKey, row.key)).toEqual([row.a, row.b])
    }
  })

  it('keeps one-column ids what they always were: base64 of `Type:value`', async () => {
    const model = { primaryKey: [keyField('id', 'Int', 'integer')] }
    const { rows } = await db.query<{ key: string; id: string }>({
      text: `select ${renderKeyText(model, ident)} as key, ${renderGlobalId('User', model, ident)} as id from (values (42)) as v(id)`,
      values: [],
    })
    expect(rows).toEqual([{ key: '42', id: Buffer.from('User:42').toString('base64') }])
    expect(encodeGlobalId('User', 42)).toBe(rows[0]!.id)
    expect(encodeGlobalId('User', [42])).toBe(rows[0]!.id)
  })

  it('keyIn matches exactly the tuples named, never a mix of their columns', async () => {
    await db.exec(`truncate pairs`)
    // Every combination of three texts: (x, y) and (y, x) both exist, as do (x, x) and (y, y).
    const texts = ['x', 'y', 'a","b']
    await db.query({
      text: `insert into pairs select a, b from unnest($1::text[]) as a, unnest($1::text[]) as b`,
      values: [texts],
    })
    const wanted = [encodeKeyText(['x', 'y']), encodeKeyText(['a","b', 'x'])]
    const params = new SqlParams()
    const { rows } = await db.query<{ a: string; b: string }>({
      text: `select a, b from pairs as t where ${keyIn(textKey, 't', wanted, params)} order by a, b`,
      values: params.values,
    })
    expect(rows).toEqual([
      { a: 'a","b', b: 'x' },
      { a: 'x', b: 'y' },
    ])
    const none = new SqlParams()
    const empty = await db.query({
      text: `select 1 from pairs as t where ${keyIn(textKey, 't', [], none)}`,
      values: none.values,
    })
    expect(empty.rows).toEqual([])
  })

  it('keyIn types each column by inference: integers, enums and dates in one key', async () => {
    const keys = [encodeKeyText(['2', 'dark', '2024-02-29']), encodeKeyText(['3', 'light', '2024-01-01'])]
    for (const alias of ['t', undefined]) {
      const params = new SqlParams()
      const { rows } = await db.query<{ n: number; k: string; d: string }>({
        text: `select n, k::text as k, d::text as d from mixed ${alias === undefined ? '' : 'as t '}where ${keyIn(mixedKey, alias, keys, params)} order by n`,
        values: params.values,
      })
      expect(rows).toEqual([
        { n: 2, k: 'dark', d: '2024-02-29' },
        { n: 3, k: 'light', d: '2024-01-01' },
      ])
    }
  })
})

describe('parseKeyText', () => {
  it('accepts the key text of every column, each valid for its type', () => {
    expect(parseKeyText(mixedKey, '["1","dark","2024-02-29"]')).toEqual(['1', 'dark', '2024-02-29'])
  })

  it.each([
    ['too few values', '["1","dark"]'],
    ['too many values', '["1","dark","2024-02-29","x"]'],
    ['a number instead of text', '[1,"dark","2024-02-29"]'],
    ['null', '["1",null,"2024-02-29"]'],
    ['a non-canonical spelling', '["1", "dark", "2024-02-29"]'],
    ['an escape the encoder would not write', '["\\u0031","dark","2024-02-29"]'],
    ['a value outside the enum', '["1","grey","2024-02-29"]'],
    ['an impossible date', '["1","dark","2023-02-29"]'],
    ['an integer out of range', '["2147483648","dark","2024-02-29"]'],
    ['not an array', '{"n":"1"}'],
    ['not JSON', '1'],
  ])('refuses %s', (_, text) => {
    expect(parseKeyText(mixedKey, text)).toBeUndefined()
  })
})
