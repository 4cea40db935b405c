import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import type { Database, SqlStatement } from './index.js'
import { countStatements, createDatabase, PgDatabase, PGliteDatabase } from './index.js'
import { testDatabases } from '../testing/testDatabases.js'

const sql = (text: string, ...values: unknown[]): SqlStatement => ({ text, values })

/** A promise plus the function that settles it, to hold a transaction open on purpose. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((settle) => {
    resolve = settle
  })
  return { promise, resolve }
}

describe.each(testDatabases())('$name database', ({ name, create }) => {
  let database: Database
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ database, dispose } = await create())
  })

  afterAll(async () => {
    await dispose()
  })

  it('reports its kind', () => {
    expect(database.kind).toBe(name)
  })

  it('binds strings with odd characters, numbers, booleans and nulls as values', async () => {
    const odd = `it's "quoted" \\ back\\slash; $1 -- not a comment\nnew line, tab\t, ünïcødé, 🐘, '); DROP TABLE x; --`
    const { rows } = await database.query(
      sql(
        'SELECT $1::text AS s, $2::int AS i, $3::float8 AS f, $4::text AS n, $5::boolean AS b, $6::text AS e',
        odd,
        42,
        -1.5,
        null,
        true,
        '',
      ),
    )
    expect(rows).toEqual([{ s: odd, i: 42, f: -1.5, n: null, b: true, e: '' }])
  })

  it('round-trips bound strings through a table', async () => {
    await database.exec('CREATE TABLE binding_words (id serial PRIMARY KEY, word text)')
    const words = ["O'Brien", 'a"b', 'back\\slash', '%_like_%', '   spaced   ']
    for (const word of words) {
      const inserted = await database.query(sql('INSERT INTO binding_words (word) VALUES ($1)', word))
      expect(inserted.rowCount).toBe(1)
    }
    const { rows } = await database.query<{ word: string }>(sql('SELECT word FROM binding_words ORDER BY id'))
    expect(rows.map((row) => row.word)).toEqual(words)
    const matched = await database.query(sql('SELECT id FROM binding_words WHERE word = $1', "O'Brien"))
    expect(matched.rowCount).toBe(1)
  })

  it('returns numeric and bigint (and their arrays) as exact strings', async () => {
    const { rows } = await database.query(
      sql(
        `SELECT 12345678901234567890.123456789::numeric AS n, 9007199254740993::int8 AS b,
                ARRAY[1.10, 2.25]::numeric[] AS na, ARRAY[9007199254740993, -1]::int8[] AS ba,
                count(*) AS c, 7::int4 AS i, '0123'::text AS t`,
      ),
    )
    expect(rows).toEqual([
      {
        n: '12345678901234567890.123456789',
        b: '9007199254740993',
        na: ['1.10', '2.25'],
        ba: ['9007199254740993', '-1'],
        c: '1',
        i: 7,
        t: '0123',
      },
    ])
  })

  it('stores and returns numeric and bigint columns without precision loss', async () => {
    await database.exec('CREATE TABLE money_rows (amount numeric(30, 10), big bigint)')
    await database.query(
      sql('INSERT INTO money_rows VALUES ($1, $2)', '98765432109876543210.0123456789', '9223372036854775807'),
    )
    const { rows } = await database.query(sql('SELECT amount, big FROM money_rows'))
    expect(rows).toEqual([{ amount: '98765432109876543210.0123456789', big: '9223372036854775807' }])
  })

  it('returns json and jsonb columns parsed', async () => {
    await database.exec('CREATE TABLE documents (id int PRIMARY KEY, body jsonb, raw json)')
    const body = { name: "it's", tags: ['a', 'b'], nested: { n: 1.5, none: null } }
    await database.query(
      sql('INSERT INTO documents VALUES ($1, $2::jsonb, $3::json)', 1, JSON.stringify(body), '[1,"x"]'),
    )
    const { rows } = await database.query(sql('SELECT body, raw FROM documents WHERE id = $1', 1))
    expect(rows).toEqual([{ body, raw: [1, 'x'] }])
    const built = await database.query(sql("SELECT json_build_object('k', $1::text) AS j", 'v'))
    expect(built.rows).toEqual([{ j: { k: 'v' } }])
  })

  it('reports affected rows for writes and returned rows for reads', async () => {
    await database.exec('CREATE TABLE counted (id int)')
    expect((await database.query(sql('INSERT INTO counted VALUES (1), (2), (3)'))).rowCount).toBe(3)
    expect((await database.query(sql('UPDATE counted SET id = id + 10 WHERE id > $1', 1))).rowCount).toBe(2)
    expect((await database.query(sql('DELETE FROM counted WHERE id = $1', 999))).rowCount).toBe(0)
    const selected = await database.query(sql('SELECT id FROM counted ORDER BY id'))
    expect(selected.rowCount).toBe(3)
    expect(selected.rows).toEqual([{ id: 1 }, { id: 12 }, { id: 13 }])
  })

  it('runs multi-statement scripts with exec but only one statement per query', async () => {
    await database.exec(`
      CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE TABLE people (id int PRIMARY KEY, mood mood NOT NULL);
      INSERT INTO people VALUES (1, 'happy'), (2, 'sad');
    `)
    const { rows } = await database.query(sql('SELECT mood FROM people WHERE id = $1', 2))
    expect(rows).toEqual([{ mood: 'sad' }])
    await expect(database.query(sql('SELECT 1; SELECT 2'))).rejects.toThrow(/multiple commands/)
  })

  it('commits a transaction and returns its result', async () => {
    await database.exec('CREATE TABLE committed (id int PRIMARY KEY)')
    const result = await database.transaction(async (tx) => {
      await tx.query(sql('INSERT INTO committed VALUES ($1)', 1))
      await tx.query(sql('INSERT INTO committed VALUES ($1)', 2))
      return (await tx.query(sql('SELECT count(*) AS c FROM committed'))).rows[0]
    })
    expect(result).toEqual({ c: '2' })
    const { rows } = await database.query(sql('SELECT id FROM committed ORDER BY id'))
    expect(rows).toEqual([{ id: 1 }, { id: 2 }])
  })

  it('rolls a transaction back when work throws, and rethrows that error', async () => {
    await database.exec('CREATE TABLE rolled_back (id int PRIMARY KEY)')
    const failure = new Error('work failed')
    await expect(
      database.transaction(async (tx) => {
        await tx.query(sql('INSERT INTO rolled_back VALUES ($1)', 1))
        throw failure
      }),
    ).rejects.toBe(failure)
    const { rows } = await database.query(sql('SELECT id FROM rolled_back'))
    expect(rows).toEqual([])
  })

  it('does not commit a transaction whose failed statement was swallowed', async () => {
    await database.exec('CREATE TABLE half_done (id int PRIMARY KEY)')
    await expect(
      database.transaction(async (tx) => {
        await tx.query(sql('INSERT INTO half_done VALUES ($1)', 1))
        await tx.query(sql('INSERT INTO half_done VALUES ($1)', 1)).catch(() => undefined)
        return 'done'
      }),
    ).rejects.toThrow(/rolled back/)
    expect((await database.query(sql('SELECT id FROM half_done'))).rows).toEqual([])
  })

  it('refuses a transaction handle used after the transaction ended', async () => {
    let leaked: { query: Database['query'] } | undefined
    await database.transaction(async (tx) => {
      leaked = tx
    })
    const statements: SqlStatement[] = []
    const unsubscribe = database.onStatement((statement) => statements.push(statement))
    await expect(leaked?.query(sql('SELECT 1'))).rejects.toThrow(/ended/)
    unsubscribe()
    expect(statements).toEqual([])
  })

  it('reports exactly the user statements to onStatement, until unsubscribed', async () => {
    const seen: SqlStatement[] = []
    const unsubscribe = database.onStatement((statement) => seen.push(statement))
    const select = sql('SELECT $1::int AS x', 1)
    await database.query(select)
    await database.transaction(async (tx) => {
      await tx.query(sql('SELECT 2'))
      await tx.query(sql('SELECT 3'))
    })
    await database
      .transaction(async (tx) => {
        await tx.query(sql('SELECT 4'))
        throw new Error('roll back')
      })
      .catch(() => undefined)
    await database.exec('SELECT 5; SELECT 6')
    expect(await database.ping()).toBe(true)
    expect(seen).toEqual([
      select,
      sql('SELECT 2'),
      sql('SELECT 3'),
      sql('SELECT 4'),
      { text: 'SELECT 5; SELECT 6', values: [] },
    ])
    expect(seen[0]).toBe(select)
    unsubscribe()
    unsubscribe()
    await database.query(sql('SELECT 7'))
    expect(seen).toHaveLength(5)
  })

  it('calls each subscription, even of the same function, and unsubscribes them separately', async () => {
    let calls = 0
    const listener = (): void => {
      calls += 1
    }
    const first = database.onStatement(listener)
    const second = database.onStatement(listener)
    await database.query(sql('SELECT 1'))
    expect(calls).toBe(2)
    first()
    await database.query(sql('SELECT 1'))
    expect(calls).toBe(3)
    second()
    await database.query(sql('SELECT 1'))
    expect(calls).toBe(3)
  })

  it('counts statements with countStatements', async () => {
    const counted = await countStatements(database, async () => {
      await database.query(sql('SELECT 1'))
      return database.transaction(async (tx) => {
        await tx.query(sql('SELECT $1::text AS v', 'a'))
        return 'result'
      })
    })
    expect(counted).toEqual({
      result: 'result',
      count: 2,
      statements: [sql('SELECT 1'), sql('SELECT $1::text AS v', 'a')],
    })
    // The listener is gone afterwards, even when work throws.
    await expect(
      countStatements(database, async () => {
        await database.query(sql('SELECT 1'))
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    const after = await countStatements(database, async () => undefined)
    expect(after.count).toBe(0)
  })

  it('pings', async () => {
    expect(await database.ping()).toBe(true)
  })

  it('keeps plain queries outside a transaction that is open at the same time', async () => {
    await database.exec('CREATE TABLE interleaved (id int PRIMARY KEY)')
    const inserted = deferred()
    const gate = deferred()
    const transaction = database.transaction(async (tx) => {
      await tx.query(sql('INSERT INTO interleaved VALUES ($1)', 1))
      inserted.resolve()
      await gate.promise
      throw new Error('undo')
    })
    await inserted.promise
    let outsideDone = false
    const outside = database.query<{ c: string }>(sql('SELECT count(*) AS c FROM interleaved'))
    const others = Promise.all([database.query(sql('SELECT 1 AS one')), database.ping()])
    void outside.then(() => {
      outsideDone = true
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    // PGlite has one connection: the plain query waits for the transaction. pg uses another
    // connection and answers at once. Either way it must not see the uncommitted row.
    expect(outsideDone).toBe(name === 'pg')
    gate.resolve()
    await expect(transaction).rejects.toThrow('undo')
    expect((await outside).rows).toEqual([{ c: '0' }])
    expect(await others).toEqual([{ rows: [{ one: 1 }], rowCount: 1 }, true])

    // And after a commit the waiting query sees the row.
    const committedGate = deferred()
    const committed = database.transaction(async (tx) => {
      await tx.query(sql('INSERT INTO interleaved VALUES ($1)', 2))
      await committedGate.promise
    })
    const later = database.query(sql('SELECT id FROM interleaved'))
    committedGate.resolve()
    await committed
    const seen = (await later).rows
    expect(seen).toEqual(name === 'pg' ? expect.any(Array) : [{ id: 2 }])
    expect((await database.query(sql('SELECT id FROM interleaved'))).rows).toEqual([{ id: 2 }])
  })

  it('gives every created database its own tables and types', async () => {
    const a = await create()
    const b = await create()
    try {
      for (const [own, label] of [
        [a.database, 'a'],
        [b.database, 'b'],
      ] as const) {
        await own.exec(`CREATE TYPE side AS ENUM ('a', 'b'); CREATE TABLE shared_name (side side NOT NULL)`)
        await own.query(sql('INSERT INTO shared_name VALUES ($1)', label))
      }
      expect((await a.database.query(sql('SELECT side FROM shared_name'))).rows).toEqual([{ side: 'a' }])
      expect((await b.database.query(sql('SELECT side FROM shared_name'))).rows).toEqual([{ side: 'b' }])
      // Neither leaks into the suite's own database.
      await expect(database.query(sql('SELECT side FROM shared_name'))).rejects.toThrow(/shared_name/)
    } finally {
      await a.dispose()
      await b.dispose()
    }
  })

  it('closes idempotently, after which ping is false and queries fail', async () => {
    const own = await create()
    expect(await own.database.ping()).toBe(true)
    await Promise.all([own.database.close(), own.database.close()])
    expect(await own.database.ping()).toBe(false)
    await expect(own.database.query(sql('SELECT 1'))).rejects.toThrow()
    await own.dispose()
  })
})

describe('createDatabase', () => {
  it('uses PGlite without a url', async () => {
    const database = createDatabase({})
    expect(database).toBeInstanceOf(PGliteDatabase)
    expect(database.kind).toBe('pglite')
    expect((await database.query(sql('SELECT 1 AS one'))).rows).toEqual([{ one: 1 }])
    await database.close()
  })

  it('uses pg for postgres:// and postgresql:// urls without connecting yet', async () => {
    for (const url of ['postgres://u@127.0.0.1:1/db', 'postgresql://u@127.0.0.1:1/db', 'POSTGRES://h/db']) {
      const database = createDatabase({ url, max: 2, statementTimeoutMs: 100, searchPath: 'app' })
      expect(database).toBeInstanceOf(PgDatabase)
      expect(database.kind).toBe('pg')
      await database.close()
    }
  })

  it('rejects other schemes with a ConfigError naming database.url, without echoing secrets', () => {
    for (const url of ['mysql://root:s3cret@host/db', 'localhost:5432', '']) {
      let caught: unknown
      try {
        createDatabase({ url })
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(ConfigError)
      const error = caught as ConfigError
      expect(error.message).toContain('database.url')
      expect(error.message).toContain('postgres://')
      expect(error.message).not.toContain('s3cret')
      expect(error.details).toEqual({ path: 'database.url' })
    }
  })
})

describe('PGliteDatabase', () => {
  it('does not start PGlite until first used, and closes cleanly when never used', async () => {
    const database = new PGliteDatabase()
    await database.close()
    await expect(database.query(sql('SELECT 1'))).rejects.toThrow(/closed/)
    expect(await database.ping()).toBe(false)
  })
})

describe('PgDatabase', () => {
  it('pings false, quickly, when the server is unreachable', async () => {
    const database = new PgDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 })
    const started = Date.now()
    expect(await database.ping()).toBe(false)
    expect(Date.now() - started).toBeLessThan(2_500)
    await database.close()
    await database.close()
  })

  const url = process.env['DATABASE_URL']
  describe.skipIf(url === undefined || url === '')('on a server', () => {
    const serverUrl = url ?? ''

    it('applies statementTimeoutMs to every connection', async () => {
      const database = new PgDatabase({ url: serverUrl, statementTimeoutMs: 150, max: 2 })
      try {
        expect((await database.query(sql('SHOW statement_timeout'))).rows).toEqual([
          { statement_timeout: '150ms' },
        ])
        await expect(database.query(sql('SELECT pg_sleep(2)'))).rejects.toThrow(/statement timeout/)
        await expect(database.transaction((tx) => tx.query(sql('SELECT pg_sleep(2)')))).rejects.toThrow(
          /statement timeout/,
        )
        expect(await database.ping()).toBe(true)
      } finally {
        await database.close()
      }
    })

    it('prepares named statements once per connection, but sends filter statements unnamed', async () => {
      const database = new PgDatabase({ url: serverUrl, max: 1 })
      const prepared = async (): Promise<string[]> =>
        (
          await database.query<{ name: string }>(
            sql("SELECT name FROM pg_prepared_statements WHERE name LIKE 'gag_test_%' ORDER BY name"),
          )
        ).rows.map((row) => row.name)
      try {
        const keyed: SqlStatement = { text: 'SELECT $1::int + 1 AS n', values: [1], name: 'gag_test_keyed' }
        const filtered: SqlStatement = {
          text: "SELECT $1::text ILIKE '%a%' AS n",
          values: ['bar'],
          name: 'gag_test_filtered',
          customPlan: true,
        }
        for (let i = 0; i < 3; i++) {
          expect((await database.query(keyed)).rows).toEqual([{ n: 2 }])
          expect((await database.query(filtered)).rows).toEqual([{ n: true }])
        }
        expect(await prepared()).toEqual(['gag_test_keyed'])
      } finally {
        await database.close()
      }
    })

    it('quotes searchPath schema names, keeping URL options', async () => {
      const schema = `we ird"s ${Math.random().toString(16).slice(2)}`
      const quoted = `"${schema.replaceAll('"', '""')}"`
      const admin = new pg.Client({ connectionString: serverUrl })
      await admin.connect()
      try {
        await admin.query(`CREATE SCHEMA ${quoted}`)
        const withOptions = new URL(serverUrl)
        withOptions.searchParams.set('options', '-c application_name=from_url')
        const database = new PgDatabase({ url: withOptions.toString(), searchPath: `${schema}, public` })
        try {
          const { rows } = await database.query(
            sql("SELECT current_schema() AS s, current_setting('application_name') AS app"),
          )
          expect(rows).toEqual([{ s: schema, app: 'from_url' }])
          await database.exec('CREATE TABLE landed (id int)')
          const where = await admin.query(
            'SELECT table_schema FROM information_schema.tables WHERE table_name = $1',
            ['landed'],
          )
          expect(where.rows.map((row: { table_schema: string }) => row.table_schema)).toContain(schema)
        } finally {
          await database.close()
        }
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`)
        await admin.end()
      }
    })
  })
})
