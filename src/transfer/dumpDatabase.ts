import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { Database, Queryable } from '../database/index.js'
import type { ModelGraph } from '../models/index.js'
import { DUMP_FORMAT, DUMP_VERSION, rowPrefix } from './dumpFormat.js'
import type { DumpHeader, DumpModel, SequenceState } from './dumpFormat.js'
import type { Progress } from './progress.js'
import { qualifiedName, quote, transferOrder } from './transferOrder.js'

/** Options of {@link dumpDatabase}. */
export interface DumpOptions {
  /** Model names to dump (default: all, junction tables included). */
  models?: readonly string[]
  /** Rows fetched per round trip (default 1000); memory stays bounded by one batch. */
  batchSize?: number
  progress?: (total: number) => Progress
}

/**
 * Writes every row of the models as NDJSON: a header line (format, version, models in
 * foreign-key order with row counts and sequence states), one `{"model","row"}` line per row,
 * and a trailer line. Values are text-faithful JSON as PostgreSQL renders them: bigint and
 * numeric as strings, timestamps in ISO 8601 (UTC), json as JSON. Everything is read in one
 * REPEATABLE READ transaction (a consistent snapshot) through cursors, and written with
 * backpressure, so memory stays constant however many rows there are. Returns the row count.
 */
export async function dumpDatabase(
  database: Database,
  graph: ModelGraph,
  out: Writable,
  options: DumpOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 1000
  const models = transferOrder(graph, options.models)
  return database.transaction(async (tx) => {
    await tx.query({ text: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY', values: [] })
    await tx.query({ text: "SET LOCAL TimeZone = 'UTC'", values: [] })
    const described: DumpModel[] = []
    for (const model of models) {
      const { rows } = await tx.query<{ count: string }>({
        text: `SELECT count(*)::text AS count FROM ${qualifiedName(model)}`,
        values: [],
      })
      described.push({ ...model, rows: Number(rows[0]!.count), sequences: await sequences(tx, model) })
    }
    const header: DumpHeader = {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      createdAt: new Date().toISOString(),
      models: described,
    }
    await write(out, JSON.stringify(header) + '\n')
    const progress = options.progress?.(described.reduce((sum, m) => sum + m.rows, 0))
    let total = 0
    for (const [index, model] of described.entries()) {
      const cursor = `graphql_auto_gen_dump_${index}`
      const columns = model.columns
        .map((c) => (model.textColumns.includes(c) ? `${quote(c)}::text AS ${quote(c)}` : quote(c)))
        .join(', ')
      const order = model.primaryKey.map(quote).join(', ')
      await tx.query({
        text: `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT row_to_json(r)::text AS line FROM (SELECT ${columns} FROM ${qualifiedName(model)}${order === '' ? '' : ` ORDER BY ${order}`}) r`,
        values: [],
      })
      const prefix = rowPrefix(model.name)
      for (;;) {
        const { rows } = await tx.query<{ line: string }>({
          text: `FETCH FORWARD ${batchSize} FROM ${cursor}`,
          values: [],
        })
        if (rows.length > 0) await write(out, rows.map((r) => `${prefix}${r.line}}\n`).join(''))
        total += rows.length
        progress?.tick(rows.length)
        if (rows.length < batchSize) break
      }
      await tx.query({ text: `CLOSE ${cursor}`, values: [] })
    }
    await write(out, JSON.stringify({ end: true, rows: total }) + '\n')
    progress?.done()
    return total
  })
}

/** The serial/identity sequences behind a model's columns and their current state. */
async function sequences(
  tx: Queryable,
  model: DumpModel | Omit<DumpModel, 'rows' | 'sequences'>,
): Promise<SequenceState[]> {
  const found: SequenceState[] = []
  for (const column of model.columns) {
    const { rows } = await tx.query<{ sequence: string | null }>({
      text: 'SELECT pg_get_serial_sequence($1, $2) AS sequence',
      values: [qualifiedName(model), column],
    })
    const sequence = rows[0]?.sequence
    if (sequence === null || sequence === undefined) continue
    // The name comes from the catalog, already quoted and qualified as needed.
    const state = await tx.query<{ lastValue: string; isCalled: boolean }>({
      text: `SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${sequence}`,
      values: [],
    })
    found.push({ column, lastValue: state.rows[0]!.lastValue, isCalled: state.rows[0]!.isCalled })
  }
  return found
}

/** Writes and waits for the stream to drain when its buffer is full (backpressure). */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain')
}
