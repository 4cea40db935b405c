// Schema build time and memory for a generated 200-model schema. Run in its own process with
// --expose-gc (run.ts does), or directly: node --expose-gc --import tsx bench/schemaBuild.ts
import {
  boolean,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  varchar,
} from 'drizzle-orm/pg-core'
import type { PgTableWithColumns } from 'drizzle-orm/pg-core'
import { SchemaBuilder } from '../src/index.js'
import { median } from './report.js'

/** What the schema build measurement reports. */
export interface SchemaBuildResult {
  models: number
  relations: number
  types: number
  firstBuildMs: number
  medianBuildMs: number
  builds: number
  heapPerInstanceBytes: number
  instances: number
}

/** Builds `models` tables; table i has a foreign key to table i-1 and to table ⌊i/2⌋ (when distinct). */
export function generateModels(models: number): { tables: Record<string, unknown>; relations: number } {
  const tables: Record<string, unknown> = {}
  // Typed loosely on purpose: the column set is generated, not declared.
  const made: PgTableWithColumns<never>[] = []
  let relations = 0
  for (let i = 0; i < models; i++) {
    const previous = made[i - 1]
    const half = made[Math.floor(i / 2)]
    const refs: Record<string, ReturnType<typeof integer>> = {}
    if (previous !== undefined) {
      refs['parentId'] = integer(`parent_id`).references(() => previous['id' as never])
      relations++
    }
    if (half !== undefined && Math.floor(i / 2) !== i - 1 && i > 0) {
      refs['ownerId'] = integer(`owner_id`).references(() => half['id' as never])
      relations++
    }
    const table = pgTable(`entity_${String(i).padStart(3, '0')}`, {
      id: serial('id').primaryKey(),
      name: varchar('name', { length: 200 }).notNull(),
      description: text('description'),
      amount: numeric('amount', { precision: 12, scale: 2 }),
      quantity: integer('quantity').notNull().default(0),
      isActive: boolean('is_active').notNull().default(true),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
      data: jsonb('data'),
      ...refs,
    })
    made.push(table as unknown as PgTableWithColumns<never>)
    tables[`entity${String(i).padStart(3, '0')}`] = table
  }
  return { tables, relations }
}

/** Measures build time (first and median of `builds`) and retained heap per built schema. */
export function measureSchemaBuild(models = 200, builds = 5, instances = 5): SchemaBuildResult {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with node --expose-gc')
  const { tables, relations } = generateModels(models)
  // The URL is never dialled: the database connects lazily, on the first query.
  const config = {
    models: tables as never,
    database: { url: 'postgres://bench@127.0.0.1:1/never' },
    queries: { pagination: 'relay', filtering: 'advanced', ordering: true },
  } as const
  const build = (): ReturnType<SchemaBuilder['build']> => new SchemaBuilder(config).build()
  let started = performance.now()
  const first = build()
  const firstBuildMs = performance.now() - started
  const times: number[] = []
  for (let i = 0; i < builds; i++) {
    started = performance.now()
    build()
    times.push(performance.now() - started)
  }
  gc()
  const before = process.memoryUsage().heapUsed
  const kept = Array.from({ length: instances }, build)
  gc()
  const after = process.memoryUsage().heapUsed
  return {
    models,
    relations,
    types: Object.keys(first.getTypeMap()).length,
    firstBuildMs,
    medianBuildMs: median(times),
    builds,
    heapPerInstanceBytes: (after - before) / instances,
    // Read after the second measurement so the kept schemas stay reachable until then.
    instances: kept.length,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`BENCH_SCHEMA_BUILD ${JSON.stringify(measureSchemaBuild())}\n`)
  process.exit(0)
}
