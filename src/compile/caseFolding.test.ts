// Case-insensitive filters are `ILIKE` on the bare column (compileFilter.ts). This checks, on the
// same Unicode strings, that ILIKE folds case exactly as `lower(col) LIKE lower(pattern)` did on
// each database, and that PGlite and PostgreSQL give the same matches (docs/performance.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import { escapeLike } from './compileFilter.js'
import type { Database } from '../database/index.js'

const WORDS = [
  'ÉCOLE',
  'école',
  'straße',
  'STRASSE',
  'İstanbul',
  'istanbul',
  'ΣΊΣΥΦΟΣ',
  'σίσυφος',
  'Ärger',
  'DŽungla',
  'ǆungla',
  'plain',
  'İ42-7',
  'Σ 42_7',
  'x42%7',
  'K42',
]
const PATTERNS = ['éco', 'ÉCO', 'ß', 'SS', 'istanbul', 'İSTANBUL', 'σίσυφος', 'ΣΊΣΥΦ', 'är', 'ǅ', 'PLAIN']
// Values without letters, which compileFilter compares with LIKE instead of ILIKE.
const CASELESS_PATTERNS = ['42', '-7', ' 42', '2_7', '2%7', '4', '@', '']

interface Match {
  pattern: string
  ilike: string[]
  lowered: string[]
  like: string[]
}

async function matches(db: Database): Promise<Match[]> {
  await db.exec(`create table words (id serial primary key, word text not null)`)
  for (const word of WORDS) await db.query({ text: 'insert into words (word) values ($1)', values: [word] })
  const found: Match[] = []
  for (const pattern of [...PATTERNS, ...CASELESS_PATTERNS]) {
    const like = `%${escapeLike(pattern)}%`
    const read = async (condition: string): Promise<string[]> =>
      (
        await db.query<{ word: string }>({
          text: `select word from words where ${condition} order by id`,
          values: [like],
        })
      ).rows.map((r) => r.word)
    found.push({
      pattern,
      ilike: await read(`word ilike $1 escape '\\'`),
      lowered: await read(`lower(word) like lower($1) escape '\\'`),
      like: await read(`word like $1 escape '\\'`),
    })
  }
  return found
}

describe('case folding of ILIKE', () => {
  const databases = testDatabases()
  const results = new Map<string, Match[]>()
  const disposers: Array<() => Promise<void>> = []

  beforeAll(async () => {
    for (const { name, create } of databases) {
      const { database, dispose } = await create()
      disposers.push(dispose)
      results.set(name, await matches(database))
    }
  })

  afterAll(async () => {
    for (const dispose of disposers) await dispose()
  })

  it.each(databases.map((d) => d.name))(
    'on %s: ILIKE matches exactly what lower() LIKE lower() matched',
    (name) => {
      const found = results.get(name)!
      for (const match of found) expect(match.ilike, match.pattern).toEqual(match.lowered)
      // Folding works beyond ASCII (É/é, Σ/σ, Ä/ä) on this database.
      expect(found.find((m) => m.pattern === 'ÉCO')!.ilike).toEqual(['ÉCOLE', 'école'])
      expect(found.find((m) => m.pattern === 'ΣΊΣΥΦ')!.ilike).toEqual(['ΣΊΣΥΦΟΣ', 'σίσυφος'])
      expect(found.find((m) => m.pattern === 'är')!.ilike).toEqual(['Ärger'])
      // lower() maps one character to one: ß never matches SS, and a capital Σ lowers to σ, never
      // to the final ς, so 'ΣΊΣΥΦΟΣ' does not find 'σίσυφος' (the same on both databases).
      expect(found.find((m) => m.pattern === 'SS')!.ilike).toEqual(['STRASSE'])
      expect(found.find((m) => m.pattern === 'σίσυφος')!.ilike).toEqual(['σίσυφος'])
    },
  )

  it.each(databases.map((d) => d.name))(
    'on %s: for a value without letters, LIKE matches exactly what ILIKE matches',
    (name) => {
      const found = results.get(name)!.filter((m) => CASELESS_PATTERNS.includes(m.pattern))
      expect(found).toHaveLength(CASELESS_PATTERNS.length)
      for (const match of found) expect(match.like, match.pattern).toEqual(match.ilike)
      // Text with letters that fold (İ, Σ, K) around the digits is still found.
      expect(found.find((m) => m.pattern === '42')!.like).toEqual(['İ42-7', 'Σ 42_7', 'x42%7', 'K42'])
      expect(found.find((m) => m.pattern === '2_7')!.like).toEqual(['Σ 42_7'])
    },
  )

  it('PGlite and PostgreSQL fold case the same way', () => {
    const pg = results.get('pg')
    // Without DATABASE_URL there is only PGlite to compare with itself.
    expect(results.get('pglite')).toEqual(pg ?? results.get('pglite'))
  })
})
