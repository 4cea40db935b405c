import { isObjectType } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import type { Database } from '../database/index.js'
import { rowSourceOf } from './rowSource.js'

/** Rows counted per table at most: past this a table counts as "large" and bounds nothing. */
export const ROW_COUNT_CAP = 65_536
/** Counts older than this are refreshed in the background when pricing next reads them. */
const REFRESH_MS = 60_000

/**
 * How many rows each table behind a schema's list fields holds, for pricing: a nested list under
 * distinct parents can return no more rows than its table has. Counts stop at
 * {@link ROW_COUNT_CAP} and are rounded up to a power of two, so a refused operation's cost says
 * no more about a table's size than its order of magnitude (row policies never apply to it).
 */
export class TableRowCounts {
  private counts = new Map<string, number>()
  private loadedAt = 0
  private loading: Promise<void> | undefined
  /** Bumped by every load, so cached prices computed from older counts are recomputed. */
  version = 0

  constructor(
    private readonly database: Database,
    private readonly tables: readonly string[],
  ) {}

  /** Whether counts were loaded at least once. */
  get loaded(): boolean {
    return this.version > 0
  }

  /** The rounded row count of `table`, or undefined when unknown or larger than the cap. */
  rows(table: string): number | undefined {
    if (this.loaded && Date.now() - this.loadedAt > REFRESH_MS) void this.load()
    return this.counts.get(table)
  }

  /** Counts every table (one statement); a table that cannot be counted stays unbounded. */
  load(): Promise<void> {
    this.loading ??= this.countAll().finally(() => {
      this.loading = undefined
      this.loadedAt = Date.now()
      this.version++
    })
    return this.loading
  }

  private async countAll(): Promise<void> {
    if (this.tables.length === 0) return
    try {
      this.counts = await this.countTables(this.tables)
    } catch {
      // One missing table (the database is behind the models) fails the whole statement:
      // count the rest one by one so the tables that exist still bound their lists.
      const counts = new Map<string, number>()
      for (const table of this.tables) {
        try {
          for (const [key, value] of await this.countTables([table])) counts.set(key, value)
        } catch {
          // Unknown size: priced as unbounded, as before counting.
        }
      }
      this.counts = counts
    }
  }

  private async countTables(tables: readonly string[]): Promise<Map<string, number>> {
    const columns = tables.map(
      (table, i) => `(select count(*) from (select from ${table} limit ${ROW_COUNT_CAP + 1}) as r) as c${i}`,
    )
    const { rows } = await this.database.query<Record<string, unknown>>({
      text: `select ${columns.join(', ')}`,
      values: [],
    })
    const counts = new Map<string, number>()
    tables.forEach((table, i) => {
      const count = Number(rows[0]?.[`c${i}`])
      if (Number.isFinite(count) && count <= ROW_COUNT_CAP) counts.set(table, roundUpToPowerOfTwo(count))
    })
    return counts
  }
}

const bySchema = new WeakMap<GraphQLSchema, TableRowCounts>()

/**
 * The row counts of a schema's tables, made on first use with `database` (the schema's own).
 * Servers load them once at start, so every request is priced with them.
 */
export function tableRowCounts(schema: GraphQLSchema, database: Database): TableRowCounts {
  let counts = bySchema.get(schema)
  if (!counts) bySchema.set(schema, (counts = new TableRowCounts(database, rowSourceTables(schema))))
  return counts
}

/** Every table some list field of the schema reads rows from. */
function rowSourceTables(schema: GraphQLSchema): string[] {
  const tables = new Set<string>()
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.values(type.getFields())) {
      const source = rowSourceOf(field)
      if (source) tables.add(source.table)
    }
  }
  return [...tables].sort()
}

function roundUpToPowerOfTwo(count: number): number {
  return count <= 1 ? count : 2 ** Math.ceil(Math.log2(count))
}
