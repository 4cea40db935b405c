// Shared test fixture: the shop example (DDL, deterministic seed, config) on a test database, with
// the schema built exactly as users build it from examples/shop/graphql-auto-gen.config.ts.
import { graphql } from 'graphql'
import type { ExecutionResult, GraphQLSchema } from 'graphql'
import type { UserConfig } from '../schema/index.js'
import type { Database } from '../database/index.js'
import { SchemaBuilder } from '../schema/index.js'
// Test fixtures reach the bundled example on purpose: the example is what the tests exercise.
// eslint-disable-next-line no-restricted-imports
import shopConfig from '../../examples/shop/graphql-auto-gen.config.js'
// eslint-disable-next-line no-restricted-imports
import { createShopSchema } from '../../examples/shop/ddl.js'
// eslint-disable-next-line no-restricted-imports
import { seedShop } from '../../examples/shop/seed.js'
// eslint-disable-next-line no-restricted-imports
import type { SeedSummary } from '../../examples/shop/seed.js'

export { shopConfig }
export type { SeedSummary }

/** Options for {@link withShop}. */
export interface ShopOptions {
  /** Seed scale (1 ≈ 6,000 rows); absent → 0.25. */
  scale?: number
  /** Skip seeding: only create the tables (for tests that never read rows). */
  seed?: boolean
  /** Changes to the example config before the schema is built (e.g. legacy pagination). */
  configure?: (config: UserConfig) => UserConfig
}

/** A seeded shop database with its schema and small helpers for tests. */
export interface ShopFixture {
  db: Database
  schema: GraphQLSchema
  /** Rows inserted per table (all zero when not seeded). */
  summary: SeedSummary
  /** The config the schema was built from. */
  config: UserConfig
  /** Runs a document with plain graphql-js (no context), as any graphql-js user would. */
  run(source: string, variableValues?: Record<string, unknown>): Promise<ExecutionResult>
  /** Runs a document and fails on errors; returns `data`. */
  data<T = Record<string, unknown>>(source: string, variableValues?: Record<string, unknown>): Promise<T>
  /** Reads rows straight from the database. */
  rows<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>
}

const EMPTY_SUMMARY: SeedSummary = {
  users: 0,
  profiles: 0,
  categories: 0,
  products: 0,
  orders: 0,
  orderItems: 0,
  tags: 0,
  productTags: 0,
}

/** The example's config with `queries` changed (keeps every other key). */
export function shopConfigWith(queries: NonNullable<UserConfig['queries']>): UserConfig {
  return { ...shopConfig, queries: { ...shopConfig.queries, ...queries } }
}

/** Builds the shop schema from the example config over `db` (never opens a database of its own). */
export function buildShopSchema(db: Database, config: UserConfig = shopConfig): GraphQLSchema {
  return new SchemaBuilder(config, { database: db }).build()
}

/** Creates the shop tables in `db`, seeds them (scale 0.25 unless told) and builds the schema. */
export async function withShop(db: Database, options: ShopOptions = {}): Promise<ShopFixture> {
  await createShopSchema(db)
  const summary =
    options.seed === false ? EMPTY_SUMMARY : await seedShop(db, { scale: options.scale ?? 0.25 })
  const config = options.configure ? options.configure(shopConfig) : shopConfig
  const schema = buildShopSchema(db, config)
  return fixtureFor(db, schema, summary, config)
}

/** Test helpers around an already built schema. */
export function fixtureFor(
  db: Database,
  schema: GraphQLSchema,
  summary: SeedSummary,
  config: UserConfig,
): ShopFixture {
  const run = (source: string, variableValues?: Record<string, unknown>): Promise<ExecutionResult> =>
    graphql({ schema, source, ...(variableValues ? { variableValues } : {}) })
  return {
    db,
    schema,
    summary,
    config,
    run,
    async data<T>(source: string, variableValues?: Record<string, unknown>): Promise<T> {
      const result = await run(source, variableValues)
      if (result.errors?.length) {
        throw new Error(
          `GraphQL errors: ${JSON.stringify(
            result.errors.map((e) => e.toJSON()),
            null,
            1,
          )}`,
        )
      }
      return result.data as T
    },
    async rows<Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
      return (await db.query<Row>({ text, values })).rows
    },
  }
}

/** The value of `process.env.UPDATE_SNAPSHOTS === '1'`: snapshot tests may (re)write their files. */
export function updatingSnapshots(): boolean {
  return process.env['UPDATE_SNAPSHOTS'] === '1'
}
