import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { readModels } from '../models/index.js'
import type { ModelGraph } from '../models/index.js'
import { resolveConfig } from '../schema/index.js'
import { repoRoot, runCli } from '../cli/testing/runCli.js'
import { shopConfig } from '../testing/shopFixture.js'
import { createShopSchema } from '../../examples/shop/ddl.js'
import { seedShop } from '../../examples/shop/seed.js'
import type { SeedSummary } from '../../examples/shop/seed.js'
import { dumpDatabase, loadDump, transferOrder } from './index.js'
import type { DumpHeader } from './index.js'

const LONG = 600_000
const graph: ModelGraph = readModels(resolveConfig(shopConfig).models)

/** Every row of every model as PostgreSQL renders it, in primary-key order, plus sequence states. */
async function snapshot(db: Database): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {}
  for (const model of graph.models) {
    const order = model.primaryKey.map((f) => `"${f.column}"`).join(', ')
    const { rows } = await db.query<{ line: string }>({
      text: `SELECT row_to_json(t)::text AS line FROM "${model.table}" t ORDER BY ${order}`,
      values: [],
    })
    result[model.name] = rows.map((r) => r.line)
    for (const field of model.fields) {
      const { rows: found } = await db.query<{ sequence: string | null }>({
        text: 'SELECT pg_get_serial_sequence($1, $2) AS sequence',
        values: [`"${model.table}"`, field.column],
      })
      const sequence = found[0]?.sequence
      if (sequence === null || sequence === undefined) continue
      const { rows: state } = await db.query<{ state: string }>({
        text: `SELECT last_value::text || ':' || is_called::text AS state FROM ${sequence}`,
        values: [],
      })
      result[`${model.name}.${field.column}.sequence`] = [state[0]!.state]
    }
  }
  return result
}

async function dumpToString(db: Database, batchSize?: number): Promise<string> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  await dumpDatabase(db, graph, out, batchSize !== undefined ? { batchSize } : {})
  out.end()
  return Buffer.concat(chunks).toString()
}

const disposers: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const dispose of disposers.reverse()) await dispose()
})

describe('transfer order', () => {
  it('puts parents before children, includes the junction table, and defers the self reference', () => {
    const order = transferOrder(graph)
    const position = (name: string): number => order.findIndex((m) => m.name === name)
    expect(order.map((m) => m.name).sort()).toEqual(graph.models.map((m) => m.name).sort())
    for (const model of graph.models) {
      for (const relation of model.relations) {
        if (relation.kind === 'toOne' && relation.isForward && relation.target !== model.name) {
          expect(position(relation.target), `${relation.target} before ${model.name}`).toBeLessThan(
            position(model.name),
          )
        }
        if (relation.kind === 'manyToMany') {
          const junction = graph.models.find((m) => m.table === relation.through!.table)!
          expect(junction.isJunction).toBe(true)
          expect(position(relation.source)).toBeLessThan(position(junction.name))
        }
      }
    }
    const selfReferencing = graph.models.filter((m) =>
      m.relations.some((r) => r.kind === 'toOne' && r.isForward && r.target === m.name),
    )
    expect(selfReferencing.length).toBeGreaterThan(0)
    for (const model of selfReferencing) {
      const columns = model.relations
        .filter((r) => r.kind === 'toOne' && r.isForward && r.target === model.name)
        .flatMap((r) => r.sourceColumns)
      expect(order.find((m) => m.name === model.name)!.deferred).toEqual(columns)
    }
  })
})

/** Rows of the seeded shop: every table, column type and sequence (see the source's test below). */
const SCALE = 0.1

describe.each(testDatabases())('dump and load on $name', (testDatabase) => {
  async function fresh(): Promise<Database> {
    const { database, dispose } = await testDatabase.create()
    disposers.push(dispose)
    await createShopSchema(database)
    return database
  }

  // One seeded source for both tests (they only read it), so the shop is seeded once per backend.
  let seeded: Promise<{ source: Database; summary: SeedSummary }> | undefined
  const seededSource = (): Promise<{ source: Database; summary: SeedSummary }> =>
    (seeded ??= (async () => {
      const source = await fresh()
      const summary = await seedShop(source, { scale: SCALE })
      // A row whose parent has a higher id, so the self reference needs the deferred update.
      await source.exec(`INSERT INTO categories (id, name, parent_id) VALUES (900, 'late child', NULL);
        INSERT INTO categories (id, name, parent_id) VALUES (901, 'late parent', NULL);
        UPDATE categories SET parent_id = 901 WHERE id = 900;
        UPDATE products SET attributes = '{"big": 123456789012345678901234567890, "nested": {"a": [1.10, "x"]}}' WHERE id = (SELECT min(id) FROM products)`)
      return { source, summary }
    })())

  it(
    'a dump loaded into an empty database reproduces every row and sequence exactly',
    async () => {
      const { source, summary } = await seededSource()
      // A small shop still has every case the round trip must keep: rows in every table (each
      // column type and NULLs), a weight above 2^53, and a table larger than a dump batch (97).
      for (const [model, rows] of Object.entries(summary)) expect(rows, model).toBeGreaterThan(0)
      expect(summary.orders).toBeGreaterThan(97)
      const text = await dumpToString(source, 97)
      const lines = text.trimEnd().split('\n')
      const weights = lines
        .filter((l) => l.startsWith('{"model":"products"'))
        .map((l) => (JSON.parse(l) as { row: { weight_grams: string | null } }).row.weight_grams)
      expect(weights.some((w) => w !== null && BigInt(w) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true)
      const header = JSON.parse(lines[0]!) as DumpHeader
      expect(header.models.map((m) => m.name)).toEqual(transferOrder(graph).map((m) => m.name))
      const total = Object.values(summary).reduce((a, b) => a + b, 0) + 2
      expect(lines).toHaveLength(total + 2)
      expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ end: true, rows: total })
      // Text-faithful values: numeric and bigint as strings, timestamps in UTC ISO form.
      const product = JSON.parse(lines.find((l) => l.startsWith('{"model":"products"'))!) as {
        row: Record<string, unknown>
      }
      expect(typeof product.row['price']).toBe('string')
      expect(product.row['created_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/)
      expect(text).toContain('123456789012345678901234567890')

      const target = await fresh()
      const loaded = await loadDump(target, graph, Readable.from([text]), { batchSize: 50 })
      expect(Object.values(loaded).reduce((a, b) => a + b, 0)).toBe(total)
      expect(await snapshot(target)).toEqual(await snapshot(source))
    },
    LONG,
  )

  it(
    'refuses a non-empty target, replaces it with truncate, and loads nothing from a cut-off file',
    async () => {
      const { source } = await seededSource()
      const text = await dumpToString(source)
      const target = await fresh()
      await target.exec(`INSERT INTO tags (id, name) VALUES (1000, 'already here')`)
      await expect(loadDump(target, graph, Readable.from([text]))).rejects.toThrow(/already hold rows: tags/)
      const cut = text.slice(0, text.lastIndexOf('{"end"'))
      await expect(loadDump(target, graph, Readable.from([cut]), { truncate: true })).rejects.toThrow(
        /cut short/,
      )
      const { rows } = await target.query<{ name: string }>({ text: 'SELECT name FROM tags', values: [] })
      expect(rows).toEqual([{ name: 'already here' }])
      await loadDump(target, graph, Readable.from([text]), { truncate: true })
      expect(await snapshot(target)).toEqual(await snapshot(source))
    },
    LONG,
  )
})

describe('dump and load from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gag-transfer-'))
  // The config users would write: the shop's models, the database from the environment.
  writeFileSync(
    join(dir, 'graphql-auto-gen.config.ts'),
    `import shop from ${JSON.stringify(pathToFileURL(join(repoRoot, 'examples/shop/graphql-auto-gen.config.ts')).href)}
const url = process.env.TRANSFER_URL
export default { ...shop, database: url ? { url } : { dataDir: process.env.TRANSFER_DATA_DIR } }
`,
  )

  it(
    'round-trips the seeded shop through files on PGlite (file-based data directories)',
    async () => {
      // A new PGlite data directory costs an initdb (seconds of CPU, more than the rest of a CLI
      // run): make one, and copy it (closed) for the other two databases instead.
      const from = join(dir, 'pglite-from')
      const empty = join(dir, 'pglite-empty')
      const to = join(dir, 'pglite-to')
      const initialised = new PGliteDatabase({ dataDir: from })
      await initialised.query({ text: 'SELECT 1', values: [] })
      await initialised.close()
      cpSync(from, empty, { recursive: true })
      const withTables = new PGliteDatabase({ dataDir: from })
      await createShopSchema(withTables)
      await withTables.close()
      cpSync(from, to, { recursive: true })
      const source = new PGliteDatabase({ dataDir: from })
      await seedShop(source, { scale: SCALE })
      // Taken before the CLI opens the directory (one process at a time); nothing changes it after.
      const expected = await snapshot(source)
      await source.close()
      const dump = await runCli(['dump', '--out', 'pglite.ndjson'], {
        cwd: dir,
        env: { TRANSFER_DATA_DIR: from },
      })
      expect(dump.code, dump.stderr).toBe(0)
      // A database whose tables were never created: the startup check names every missing table
      // and the fix before anything is loaded, and no driver stack follows.
      const missing = await runCli(['load', 'pglite.ndjson'], { cwd: dir, env: { TRANSFER_DATA_DIR: empty } })
      expect(missing.code).toBe(2)
      const lines = missing.stderr.trim().split('\n')
      expect(lines[0]).toBe('error: The database does not match the models: 8 problems.')
      expect(lines.filter((line) => line.includes('does not exist in the database'))).toHaveLength(8)
      expect(lines.at(-1)).toMatch(/^ {2}fix: Run `npm run db:push`/)
      expect(missing.stderr).not.toMatch(/^\s+at /m)
      const load = await runCli(['load', 'pglite.ndjson'], { cwd: dir, env: { TRANSFER_DATA_DIR: to } })
      expect(load.code, load.stderr).toBe(0)
      // Piped stderr: a summary line and no progress bar.
      expect(load.stderr).not.toMatch(/\r|\[#/)
      expect(load.stderr).toMatch(/^Loaded \d+ rows/)
      const loaded = new PGliteDatabase({ dataDir: to })
      try {
        expect(await snapshot(loaded)).toEqual(expected)
      } finally {
        await loaded.close()
      }
    },
    LONG,
  )

  const url = process.env['DATABASE_URL']
  it.runIf(url !== undefined && url !== '')(
    'round-trips the seeded shop on PostgreSQL through stdout, refuses a second load, exits 2',
    async () => {
      const pg = testDatabases().find((d) => d.name === 'pg')!
      const open = async (): Promise<{ db: Database; url: string }> => {
        const { database, dispose } = await pg.create()
        disposers.push(dispose)
        const { rows } = await database.query<{ schema: string }>({
          text: 'SELECT current_schema() AS schema',
          values: [],
        })
        const withPath = new URL(url!)
        withPath.searchParams.set('options', `-c search_path=${rows[0]!.schema}`)
        return { db: database, url: withPath.toString() }
      }
      const source = await open()
      await createShopSchema(source.db)
      await seedShop(source.db, { scale: SCALE })
      const target = await open()
      await createShopSchema(target.db)
      const started = Date.now()
      const dump = await runCli(['dump'], { cwd: dir, env: { TRANSFER_URL: source.url } })
      expect(dump.code, dump.stderr).toBe(0)
      writeFileSync(join(dir, 'pg.ndjson'), dump.stdout)
      const load = await runCli(['load', 'pg.ndjson'], { cwd: dir, env: { TRANSFER_URL: target.url } })
      expect(load.code, load.stderr).toBe(0)
      console.log(
        `CLI dump + load of ${dump.stdout.split('\n').length - 3} rows on PostgreSQL: ${Date.now() - started} ms`,
      )
      expect(await snapshot(target.db)).toEqual(await snapshot(source.db))
      const again = await runCli(['load', 'pg.ndjson'], { cwd: dir, env: { TRANSFER_URL: target.url } })
      expect(again.code).toBe(2)
      expect(again.stderr).toMatch(/already hold rows.*--truncate/)
      const models = await runCli(['dump', '--models', 'users,nope'], {
        cwd: dir,
        env: { TRANSFER_URL: source.url },
      })
      expect(models.code).toBe(2)
      expect(models.stderr).toMatch(/unknown model\(s\) nope/)
      const users = await runCli(['dump', '--models', 'users'], {
        cwd: dir,
        env: { TRANSFER_URL: source.url },
      })
      const header = JSON.parse(users.stdout.split('\n')[0]!) as DumpHeader
      expect(header.models.map((m) => m.name)).toEqual(['users'])
      expect(readFileSync(join(dir, 'pg.ndjson'), 'utf8').length).toBeGreaterThan(0)
    },
    LONG,
  )
})
