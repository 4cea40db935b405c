import { getTableName } from 'drizzle-orm'
import { getTableConfig } from 'drizzle-orm/pg-core'
import type { PgTable } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../../src/testing/testDatabases.js'
import type { Database, Queryable } from '../../src/database/index.js'
import type { TestDatabase } from '../../src/testing/testDatabases.js'
import { readFileSync, writeFileSync } from 'node:fs'
import { createShopSchema, SHOP_SCHEMA_FILE, shopDdl } from './ddl.js'
import { shopTables } from './models.js'
import { seedShop } from './seed.js'
import type { SeedSummary } from './seed.js'

const tableEntries = Object.entries(shopTables) as [keyof SeedSummary, PgTable][]

interface Seeded {
  db: Database
  summary: SeedSummary
}

async function freshSeeded(
  testDatabase: TestDatabase,
  disposers: (() => Promise<void>)[],
  scale: number,
): Promise<Seeded> {
  const { database, dispose } = await testDatabase.create()
  disposers.push(dispose)
  await createShopSchema(database)
  return { db: database, summary: await seedShop(database, { scale }) }
}

async function scalar(db: Queryable, text: string, values: readonly unknown[] = []): Promise<unknown> {
  const { rows } = await db.query<Record<string, unknown>>({ text, values })
  return Object.values(rows[0] ?? {})[0]
}

async function count(db: Queryable, text: string): Promise<number> {
  return Number(await scalar(db, text))
}

/**
 * One md5 per table over every row in primary-key order. Session settings that change how values
 * print are pinned, so hashes from PGlite and from a PostgreSQL server are comparable too.
 */
async function tableHashes(db: Database): Promise<Record<string, string>> {
  return db.transaction(async (tx) => {
    await tx.query({ text: "set local time zone 'UTC'", values: [] })
    await tx.query({ text: "set local datestyle = 'ISO, MDY'", values: [] })
    const hashes: Record<string, string> = {}
    for (const [, table] of tableEntries) {
      const { name, columns, primaryKeys } = getTableConfig(table)
      const keyColumns = [
        ...columns.filter((column) => column.primary).map((column) => column.name),
        ...primaryKeys.flatMap((key) => key.columns.map((column) => column.name)),
      ]
      const orderBy = keyColumns.map((column) => `t."${column}"`).join(', ')
      hashes[name] = String(
        await scalar(
          tx,
          `select md5(coalesce(string_agg(t::text, '|' order by ${orderBy}), '')) from "${name}" t`,
        ),
      )
    }
    return hashes
  })
}

/** Counts of the awkward cases the data set promises at any scale; every one must be positive. */
const EDGE_CASES: Record<string, string> = {
  'users without profile':
    'select count(*) from users u where not exists (select 1 from profiles p where p.user_id = u.id)',
  'users without orders':
    'select count(*) from users u where not exists (select 1 from orders o where o.user_id = u.id)',
  'users with orders': 'select count(distinct user_id) from orders',
  'inactive users': 'select count(*) from users where not is_active',
  'staff users': 'select count(*) from users where is_staff',
  'users never logged in': 'select count(*) from users where last_login is null',
  'at least 5 usernames containing john (any case)':
    "select count(*) - 4 from users where username ilike '%john%'",
  'usernames with John capitalised': "select count(*) from users where username like '%John%'",
  'users sharing created_at':
    'select count(*) from users a join users b on a.created_at = b.created_at and a.id < b.id',
  'profiles with null bio': 'select count(*) from profiles where bio is null',
  'profiles with null birth_date': 'select count(*) from profiles where birth_date is null',
  'profiles whose id differs from user_id': 'select count(*) from profiles where id <> user_id',
  'profiles sharing first_name':
    'select count(*) from profiles a join profiles b on a.first_name = b.first_name and a.id < b.id',
  'child categories': 'select count(*) from categories where parent_id is not null',
  'root categories': 'select count(*) from categories where parent_id is null',
  'products with null weight': 'select count(*) from products where weight_grams is null',
  'products heavier than 2^53 - 1': 'select count(*) from products where weight_grams > 9007199254740991',
  'products with null category': 'select count(*) from products where category_id is null',
  'products with null attributes': 'select count(*) from products where attributes is null',
  'products with nested attributes': "select count(*) from products where attributes ? 'dimensions'",
  'products with null description': 'select count(*) from products where description is null',
  'products out of stock': 'select count(*) from products where stock = 0',
  'products sharing a price':
    'select count(*) from products a join products b on a.price = b.price and a.id < b.id',
  'products without tags':
    'select count(*) from products p where not exists (select from product_tags t where t.product_id = p.id)',
  'tags without products':
    'select count(*) from tags t where not exists (select 1 from product_tags pt where pt.tag_id = t.id)',
  'all 5 order statuses': 'select count(distinct status) - 4 from orders',
  'orders with null note': 'select count(*) from orders where note is null',
  'orders with empty note': "select count(*) from orders where note = ''",
  'orders sharing created_at':
    'select count(*) from orders a join orders b on a.created_at = b.created_at and a.id < b.id',
  'users with 6 orders':
    'select count(*) from (select user_id from orders group by user_id having count(*) = 6) s',
  'orders with several items':
    'select count(*) from (select order_id from order_items group by order_id having count(*) > 1) s',
}

describe.each(testDatabases())('shop seed on $name', (testDatabase) => {
  const disposers: (() => Promise<void>)[] = []
  let first: Seeded
  let second: Seeded
  let small: Seeded

  beforeAll(async () => {
    ;[first, second, small] = await Promise.all([
      freshSeeded(testDatabase, disposers, 1),
      freshSeeded(testDatabase, disposers, 1),
      freshSeeded(testDatabase, disposers, 0.1),
    ])
  })

  afterAll(async () => {
    await Promise.all(disposers.map((dispose) => dispose()))
  })

  it('creates every shop table, unqualified, in the current schema', async () => {
    const { rows } = await first.db.query<{ table_name: string }>({
      text: `select table_name from information_schema.tables
             where table_schema = current_schema() order by 1`,
      values: [],
    })
    const expected = tableEntries.map(([, table]) => getTableName(table)).sort()
    expect(rows.map((row) => row.table_name)).toEqual(expected)
    expect(await shopDdl()).not.toMatch(/public/i)
  })

  it('matches the Drizzle column definitions (names, nullability, foreign keys)', async () => {
    for (const [, table] of tableEntries) {
      const config = getTableConfig(table)
      const { rows } = await first.db.query<{ column_name: string; is_nullable: string }>({
        text: `select column_name, is_nullable from information_schema.columns
               where table_schema = current_schema() and table_name = $1 order by ordinal_position`,
        values: [config.name],
      })
      expect(rows).toEqual(
        config.columns.map((column) => ({
          column_name: column.name,
          is_nullable: column.notNull ? 'NO' : 'YES',
        })),
      )
    }
    const foreignKeys = tableEntries.reduce(
      (sum, [, table]) => sum + getTableConfig(table).foreignKeys.length,
      0,
    )
    expect(
      await count(
        first.db,
        `select count(*) from pg_constraint
         where contype = 'f' and connamespace = current_schema()::regnamespace`,
      ),
    ).toBe(foreignKeys)
  })

  it('reports the row counts it inserted', async () => {
    for (const seeded of [first, small]) {
      for (const [key, table] of tableEntries) {
        expect(await count(seeded.db, `select count(*) from "${getTableName(table)}"`), key).toBe(
          seeded.summary[key],
        )
      }
    }
  })

  it('has the documented size at scale 1 and shrinks with scale', () => {
    const { summary } = first
    expect(summary).toMatchObject({
      users: 400,
      profiles: 360,
      categories: 12,
      products: 250,
      orders: 1200,
      tags: 25,
    })
    expect(summary.orderItems).toBeGreaterThan(3000)
    expect(summary.orderItems).toBeLessThan(4000)
    expect(summary.productTags).toBeGreaterThan(400)
    expect(summary.productTags).toBeLessThan(600)
    for (const [key] of tableEntries) expect(small.summary[key], key).toBeLessThanOrEqual(summary[key])
    expect(small.summary.users).toBe(40)
  })

  it('produces identical rows in two fresh databases', async () => {
    const [a, b] = await Promise.all([tableHashes(first.db), tableHashes(second.db)])
    expect(Object.keys(a)).toHaveLength(tableEntries.length)
    expect(a).toEqual(b)
  })

  it('keeps every foreign key satisfied', async () => {
    for (const seeded of [first, small]) {
      for (const [, table] of tableEntries) {
        for (const foreignKey of getTableConfig(table).foreignKeys) {
          const { columns, foreignColumns } = foreignKey.reference()
          const child = getTableName(table)
          const parent = getTableName(foreignColumns[0]?.table ?? table)
          const join = columns
            .map((column, i) => `p."${foreignColumns[i]?.name}" = c."${column.name}"`)
            .join(' and ')
          const notNull = columns.map((column) => `c."${column.name}" is not null`).join(' and ')
          const orphans = await count(
            seeded.db,
            `select count(*) from "${child}" c
             where ${notNull} and not exists (select 1 from "${parent}" p where ${join})`,
          )
          expect(orphans, `${child} → ${parent}`).toBe(0)
        }
      }
      expect(
        await count(
          seeded.db,
          `select count(*) from orders o
           where o.total <> (select sum(i.quantity * i.unit_price)
                             from order_items i where i.order_id = o.id)`,
        ),
      ).toBe(0)
      expect(
        await count(
          seeded.db,
          `select count(*) from order_items i join products p on p.id = i.product_id
           where i.unit_price <> p.price`,
        ),
      ).toBe(0)
    }
  })

  it.each(Object.entries(EDGE_CASES))('has %s at scale 1 and at scale 0.1', async (_, sql) => {
    expect(await count(first.db, sql)).toBeGreaterThan(0)
    expect(await count(small.db, sql)).toBeGreaterThan(0)
  })

  it('returns bigints above 2^53 exactly, as strings', async () => {
    const { rows } = await first.db.query<{ weight_grams: unknown }>({
      text: `select weight_grams from products where weight_grams > 9007199254740991
             order by weight_grams limit 1`,
      values: [],
    })
    expect(rows[0]?.weight_grams).toBe('9007199254740993')
  })

  it('leaves every serial sequence just past the highest id', async () => {
    const inserted = await scalar(
      small.db,
      'insert into users (username, email) values ($1, $2) returning id',
      ['new_user', 'new_user@example.com'],
    )
    expect(Number(inserted)).toBe(small.summary.users + 1)
    for (const [, table] of tableEntries) {
      const name = getTableName(table)
      if (name === 'users' || name === 'product_tags') continue
      const next = await scalar(small.db, `select nextval(pg_get_serial_sequence($1, 'id'))`, [name])
      expect(Number(next), name).toBe(Number(await scalar(small.db, `select max(id) from "${name}"`)) + 1)
    }
  })

  it('rolls back completely when seeding a database that already holds the data', async () => {
    const before = await count(small.db, 'select count(*) from products')
    await expect(seedShop(small.db, { scale: 0.1 })).rejects.toThrow()
    expect(await count(small.db, 'select count(*) from products')).toBe(before)
  })
})

describe.runIf(testDatabases().length > 1)('shop seed across backends', () => {
  const disposers: (() => Promise<void>)[] = []
  afterAll(async () => {
    await Promise.all(disposers.map((dispose) => dispose()))
  })

  it('produces the same rows on PGlite and on PostgreSQL', async () => {
    const seeded = await Promise.all(testDatabases().map((entry) => freshSeeded(entry, disposers, 0.1)))
    const hashes = await Promise.all(seeded.map(({ db }) => tableHashes(db)))
    expect(hashes[1]).toEqual(hashes[0])
  })
})

describe('seedShop options', () => {
  it('rejects a scale that is not a positive number', async () => {
    const db = { transaction: () => Promise.reject(new Error('must not be reached')) } as unknown as Database
    for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(seedShop(db, { scale })).rejects.toThrow(RangeError)
    }
  })
})

describe('schema.sql', () => {
  it('equals the DDL drizzle-kit generates from models.ts (regenerate with UPDATE_SNAPSHOTS=1)', async () => {
    const generated = await shopDdl()
    if (process.env['UPDATE_SNAPSHOTS'] === '1') writeFileSync(SHOP_SCHEMA_FILE, generated)
    expect(readFileSync(SHOP_SCHEMA_FILE, 'utf8')).toBe(generated)
  })
})
