// Shared test fixture: tables with composite primary keys (the shape that used to corrupt data:
// rows sharing their first key column), a composite foreign key onto one of them, and a
// three-column key of text and enum values full of separators, on a test database.
import { graphql } from 'graphql'
import type { ExecutionResult, GraphQLSchema } from 'graphql'
import {
  foreignKey,
  integer,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core'
import type { UserConfig } from '../schema/index.js'
import type { Database } from '../database/index.js'
import { SchemaBuilder } from '../schema/index.js'

/** Kinds of label: an enum as the third key column. */
export const labelKind = pgEnum('label_kind', ['tag', 'flag'])

/** Orders (one-column key), referenced by order details. */
export const orders = pgTable('orders', {
  id: serial('id').primaryKey(),
  note: text('note'),
})

/** Products (one-column key), referenced by order details. */
export const products = pgTable('products', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
})

/** Order details: key (order_id, product_id), both foreign keys, plus columns of their own. */
export const orderDetails = pgTable(
  'order_details',
  {
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    unitPrice: numeric('unit_price', { precision: 10, scale: 2 }).notNull().default('0'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] })],
)

/** Shipment lines: a two-column foreign key onto an order detail's composite key. */
export const shipmentLines = pgTable(
  'shipment_lines',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id').notNull(),
    productId: integer('product_id').notNull(),
    shipped: integer('shipped').notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.orderId, t.productId],
      foreignColumns: [orderDetails.orderId, orderDetails.productId],
    }),
  ],
)

/** Labels: a three-column key (text, text, enum) whose values hold quotes, commas and brackets. */
export const labels = pgTable(
  'labels',
  {
    scope: text('scope').notNull(),
    name: text('name').notNull(),
    kind: labelKind('kind').notNull(),
    value: integer('value').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.scope, t.name, t.kind] })],
)

/** The tables above as PostgreSQL DDL. */
const DDL = `
create type label_kind as enum ('tag', 'flag');
create table orders (id serial primary key, note text);
create table products (id serial primary key, name text not null);
create table order_details (
  order_id integer not null references orders (id),
  product_id integer not null references products (id),
  quantity integer not null,
  unit_price numeric(10, 2) not null default 0,
  note text,
  primary key (order_id, product_id)
);
create table shipment_lines (
  id serial primary key,
  order_id integer not null,
  product_id integer not null,
  shipped integer not null,
  foreign key (order_id, product_id) references order_details (order_id, product_id)
);
create table labels (
  scope text not null,
  name text not null,
  kind label_kind not null,
  value integer not null,
  deleted_at timestamptz,
  primary key (scope, name, kind)
);
`

/** Texts that break naive key formats: separators, quotes, escapes, brackets, line breaks, non-ASCII. */
export const AWKWARD_TEXTS = ['a', 'a","b', 'x\\y', '"q"', '[1]', 'k:v', 'line\nbreak', 'ünï €', ' ', '']

/**
 * Rows: order 1 has four details sharing order_id = 1 (the rows one-column ids merged), orders 2
 * and 3 fewer; shipment lines point at several details; labels combine the awkward texts.
 */
const SEED = `
insert into orders (note) values ('first'), ('second'), ('third');
insert into products (name) select 'product ' || n from generate_series(1, 25) as n;
insert into order_details (order_id, product_id, quantity, unit_price, note) values
  (1, 1, 10, 1.50, 'one-one'), (1, 23, 11, 2.50, 'one-twenty-three'), (1, 2, 12, 3.00, null),
  (1, 3, 13, 4.25, 'one-three'), (2, 1, 20, 1.00, 'two-one'), (2, 23, 21, 9.99, null),
  (3, 5, 30, 0.10, 'three-five');
insert into shipment_lines (order_id, product_id, shipped) values
  (1, 1, 5), (1, 1, 5), (1, 23, 11), (2, 1, 20), (3, 5, 1);
`

/** The config the fixture's schema is built from: mutations (bulk, soft delete, hard delete) on. */
export const compositeKeysConfig: UserConfig = {
  models: {
    orders,
    products,
    orderDetails,
    shipmentLines: {
      table: shipmentLines,
      relations: { orderId_productId: { name: 'orderDetail', relatedName: 'shipmentLines' } },
    },
    labels: { table: labels, softDelete: 'deletedAt' },
  },
  mutations: { enabled: true, bulkOperations: true, softDelete: true, allowHardDelete: true },
  queries: {
    pagination: 'relay',
    filtering: 'advanced',
    ordering: true,
    defaultPageSize: 20,
    maxPageSize: 100,
  },
  security: { permissionClasses: ['AllowAny'] },
}

/** The composite-key database with its schema and helpers. */
export interface CompositeKeysFixture {
  schema: GraphQLSchema
  /** Runs a document with plain graphql-js. */
  run(source: string, variableValues?: Record<string, unknown>): Promise<ExecutionResult>
  /** Runs a document and fails on errors; returns `data` as plain JSON. */
  data<T = Record<string, unknown>>(source: string, variableValues?: Record<string, unknown>): Promise<T>
  /** Reads rows straight from the database. */
  rows<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>
  /** Every row of a table as JSON text in key order: compare before/after to see what changed. */
  dump(table: string): Promise<string[]>
  /** Empties every table and seeds it again (sequences restarted). */
  reset(): Promise<void>
}

/** Creates and seeds the tables in `db` and builds the schema (`config` defaults to the fixture's). */
export async function withCompositeKeys(
  db: Database,
  config: UserConfig = compositeKeysConfig,
): Promise<CompositeKeysFixture> {
  await db.exec(DDL)
  const schema = new SchemaBuilder(config, { database: db }).build()
  const labelRows = AWKWARD_TEXTS.flatMap((scope, i) =>
    AWKWARD_TEXTS.filter((_, j) => (i + j) % 3 === 0).map((name, j) => ({
      scope,
      name,
      kind: j % 2 ? 'flag' : 'tag',
      value: i * 100 + j,
    })),
  )
  const reset = async (): Promise<void> => {
    await db.exec('truncate shipment_lines, order_details, orders, products, labels restart identity cascade')
    await db.exec(SEED)
    await db.query({
      text: `insert into labels (scope, name, kind, value) select * from json_to_recordset($1::json) as r(scope text, name text, kind label_kind, value int)`,
      values: [JSON.stringify(labelRows)],
    })
  }
  await reset()
  const run = (source: string, variableValues?: Record<string, unknown>): Promise<ExecutionResult> =>
    graphql({ schema, source, ...(variableValues ? { variableValues } : {}) })
  const rows = async <Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> =>
    (await db.query<Row>({ text, values })).rows
  return {
    schema,
    run,
    async data<T>(source: string, variableValues?: Record<string, unknown>): Promise<T> {
      const result = await run(source, variableValues)
      if (result.errors?.length)
        throw new Error(`GraphQL errors: ${JSON.stringify(result.errors.map((e) => e.toJSON()))}`)
      return JSON.parse(JSON.stringify(result.data)) as T
    },
    rows,
    async dump(table: string): Promise<string[]> {
      const found = await rows<{ row: string }>(
        `select row_to_json(t)::text as row from ${table} as t order by row_to_json(t)::text`,
      )
      return found.map((r) => r.row)
    },
    reset,
  }
}
