// The benchmark's shop database: its own PostgreSQL database (never the tests' one), created from
// the example's committed DDL and filled deterministically by INSERT … SELECT generate_series, so
// every run and every machine measures the same rows. Re-seeded only when the data version changes.
import { readFile } from 'node:fs/promises'
import pg from 'pg'

/** Row counts the issue fixes for the benchmark. */
export const BENCH_SIZES = { users: 10_000, products: 1_000, orders: 50_000, orderItems: 200_000 } as const

/** Bump when the generator changes, so an old database is rebuilt instead of silently reused. */
const DATA_VERSION = 'shop-v2'

/** Where the bench database lives: the server of `adminUrl`, database `name`. */
export interface BenchDatabaseOptions {
  /** A URL to any database on the server (used to CREATE DATABASE). */
  adminUrl: string
  /** Database name for the benchmark data. */
  name: string
  /** Rebuild even when the data version matches. */
  force?: boolean
  log?: (line: string) => void
}

/** Creates and seeds the bench database when needed; returns its URL. */
export async function ensureBenchDatabase(options: BenchDatabaseOptions): Promise<string> {
  const log = options.log ?? (() => {})
  const url = withDatabase(options.adminUrl, options.name)
  const admin = new pg.Client({ connectionString: options.adminUrl })
  await admin.connect()
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [options.name])
    if (exists.rowCount === 0) {
      log(`creating database ${options.name}`)
      await admin.query(`create database ${quoteIdent(options.name)}`)
    }
  } finally {
    await admin.end()
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    if (!options.force && (await currentVersion(client)) === DATA_VERSION) return url
    log('seeding the shop (10k users, 1k products, 50k orders, 200k order items)…')
    const started = performance.now()
    await client.query(
      'drop schema if exists bench cascade; drop schema if exists public cascade; create schema public',
    )
    await client.query(await readFile(new URL('../../examples/shop/schema.sql', import.meta.url), 'utf8'))
    await client.query(`begin; ${SEED_SQL}; commit`)
    // Beyond the example's DDL: the index a newest-first page of users walks (Q3, Q7), as an
    // application serving that page would have.
    await client.query('create index users_created_at_idx on users (created_at)')
    await client.query('vacuum analyze')
    // Outside `public`, so PostGraphile and the others do not expose it as part of the shop.
    await client.query(
      `create schema bench; create table bench.meta (version text not null); insert into bench.meta values ('${DATA_VERSION}')`,
    )
    log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return url
  } finally {
    await client.end()
  }
}

/** Deletes what write queries (Q6) added, so every measurement starts from the seeded rows. */
export async function resetWrites(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const deleted = await client.query('delete from orders where id > $1', [BENCH_SIZES.orders])
    // Dead tuples from a big delete would otherwise slow the next reads until autovacuum runs.
    if ((deleted.rowCount ?? 0) > 0) await client.query('vacuum analyze orders')
  } finally {
    await client.end()
  }
}

/**
 * Waits until no other session runs a statement on the bench database (three quiet polls in a
 * row): requests still in flight when autocannon stops (a 1,000-insert mutation takes seconds)
 * must not spill into the next server's measurement.
 */
export async function waitForIdle(url: string, timeoutMs = 120_000): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const deadline = Date.now() + timeoutMs
    let quiet = 0
    while (quiet < 3 && Date.now() < deadline) {
      const active = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
      )
      quiet = active.rows[0]?.n === 0 ? quiet + 1 : 0
      if (quiet < 3) await new Promise((resolve) => setTimeout(resolve, 200))
    }
  } finally {
    await client.end()
  }
}

/** `postgres://…/other` → `postgres://…/name`. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

async function currentVersion(client: pg.Client): Promise<string | undefined> {
  const found = await client.query<{ ok: boolean }>("select to_regclass('bench.meta') is not null as ok")
  if (found.rows[0]?.ok !== true) return undefined
  const version = await client.query<{ version: string }>('select version from bench.meta')
  return version.rows[0]?.version
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

// Every value is a pure function of the row number: no random(), no now(). Timestamps step from a
// fixed base by a permutation of the id, so created_at order differs from id order. Orders spread
// five per user (user_id = 1 + 7i mod 10000 is a bijection per block) and items four per order.
const SEED_SQL = `
insert into users (id, username, email, password, is_active, is_staff, created_at, last_login)
select i, 'user' || lpad(i::text, 5, '0'), 'user' || i || '@example.com',
       case when i % 7 = 0 then null else md5('pw' || i) end,
       i % 10 <> 0, i % 100 = 0,
       timestamptz '2023-01-01 00:00:00+00' + ((i * 7919) % ${BENCH_SIZES.users}) * interval '47 minutes',
       case when i % 3 = 0 then null else timestamptz '2024-06-01 00:00:00+00' + i * interval '13 minutes' end
from generate_series(1, ${BENCH_SIZES.users}) i;

insert into profiles (id, user_id, first_name, last_name, bio, birth_date)
select i, i, (array['Ada','Alan','Grace','Edsger','Barbara','Donald','Niklaus','Frances'])[1 + i % 8],
       (array['Lovelace','Turing','Hopper','Dijkstra','Liskov','Knuth','Wirth','Allen','Ritchie'])[1 + i % 9],
       case when i % 4 = 0 then null else 'Bio of user ' || i end,
       case when i % 5 = 0 then null else date '1960-01-01' + (i * 37) % 15000 end
from generate_series(1, ${BENCH_SIZES.users}) i;

insert into categories (id, name, parent_id)
select i, 'Category ' || i, case when i <= 5 then null else 1 + i % 5 end from generate_series(1, 20) i;

insert into products (id, sku, name, description, price, stock, weight_grams, category_id, attributes, created_at)
select i, md5('sku' || i)::uuid, 'Product ' || lpad(i::text, 4, '0'),
       case when i % 6 = 0 then null else 'Description of product ' || i end,
       1 + ((i * 3571) % 99900) / 100.0, (i * 17) % 500, case when i % 9 = 0 then null else 100 + (i * 31) % 20000 end,
       case when i % 11 = 0 then null else 1 + i % 20 end,
       jsonb_build_object('color', (array['red','green','blue'])[1 + i % 3], 'size', i % 5),
       timestamptz '2022-01-01 00:00:00+00' + ((i * 211) % ${BENCH_SIZES.products}) * interval '3 hours'
from generate_series(1, ${BENCH_SIZES.products}) i;

insert into orders (id, user_id, status, total, note, created_at)
select i, 1 + (i * 7) % ${BENCH_SIZES.users},
       (array['pending','paid','shipped','delivered','cancelled'])[1 + i % 5]::order_status,
       5 + ((i * 7877) % 500000) / 100.0, case when i % 8 = 0 then 'Note ' || i else null end,
       timestamptz '2023-06-01 00:00:00+00' + ((i::bigint * 104729) % ${BENCH_SIZES.orders}) * interval '9 minutes'
from generate_series(1, ${BENCH_SIZES.orders}) i;

insert into order_items (id, order_id, product_id, quantity, unit_price)
select i, 1 + (i - 1) / 4, 1 + (i * 131) % ${BENCH_SIZES.products}, 1 + i % 5, 1 + ((i * 3571) % 99900) / 100.0
from generate_series(1, ${BENCH_SIZES.orderItems}) i;

insert into tags (id, name) select i, 'tag' || i from generate_series(1, 50) i;

insert into product_tags (product_id, tag_id)
select p, t from generate_series(1, ${BENCH_SIZES.products}) p, lateral (values (1 + p % 50), (1 + (p * 7 + 3) % 50)) v(t)
group by p, t;

select setval(pg_get_serial_sequence(t, 'id'), (select coalesce(max(id), 0) + 1 from users), false) from (values ('users')) v(t);
select setval(pg_get_serial_sequence('profiles', 'id'), ${BENCH_SIZES.users} + 1, false);
select setval(pg_get_serial_sequence('categories', 'id'), 21, false);
select setval(pg_get_serial_sequence('products', 'id'), ${BENCH_SIZES.products} + 1, false);
select setval(pg_get_serial_sequence('orders', 'id'), ${BENCH_SIZES.orders} + 1, false);
select setval(pg_get_serial_sequence('order_items', 'id'), ${BENCH_SIZES.orderItems} + 1, false);
select setval(pg_get_serial_sequence('tags', 'id'), 51, false)
`
