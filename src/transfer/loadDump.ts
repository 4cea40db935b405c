import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import type { Database, Queryable } from '../database/index.js'
import type { ModelGraph } from '../models/index.js'
import { DUMP_FORMAT, DUMP_VERSION, splitRowLine } from './dumpFormat.js'
import type { DumpHeader, DumpModel, DumpTrailer } from './dumpFormat.js'
import type { Progress } from './progress.js'
import { qualifiedName, quote } from './transferOrder.js'

/** Options of {@link loadDump}. */
export interface LoadOptions {
  /** Empty the dump's tables first (one TRUNCATE) instead of refusing non-empty ones. */
  truncate?: boolean
  /** Rows per INSERT (default 1000). */
  batchSize?: number
  progress?: (total: number) => Progress
}

/** A dump that cannot be loaded: bad format, unknown model, non-empty tables, a cut-off file. */
export class LoadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LoadError'
  }
}

/**
 * Loads a dump written by `dumpDatabase` in ONE transaction: multi-row INSERTs of `batchSize`
 * rows (each batch one JSON parameter through json_populate_recordset, so PostgreSQL parses every
 * value with its own input function), deferred foreign keys set once all rows are in, sequences
 * set to their dumped state. Refuses tables that hold rows unless `truncate`. Streams the input
 * line by line, so memory stays constant. Returns rows loaded per model.
 */
export async function loadDump(
  database: Database,
  graph: ModelGraph,
  input: Readable,
  options: LoadOptions = {},
): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? 1000
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]()
  const first = await lines.next()
  const header = parseHeader(first.done === true ? undefined : first.value)
  const models = new Map(header.models.map((m) => [m.name, resolveTarget(m, graph)]))
  if (options.truncate !== true) await refuseNonEmpty(database, [...models.values()])
  const loaded: Record<string, number> = Object.fromEntries(header.models.map((m) => [m.name, 0]))
  const progress = options.progress?.(header.models.reduce((sum, m) => sum + m.rows, 0))
  await database.transaction(async (tx) => {
    if (options.truncate === true && models.size > 0) {
      await tx.query({ text: `TRUNCATE ${[...models.values()].map(qualifiedName).join(', ')}`, values: [] })
    }
    const staging = new Map<string, string>()
    for (const [index, model] of [...models.values()].entries()) {
      if (model.deferred.length === 0) continue
      const name = `graphql_auto_gen_load_${index}`
      const columns = [...model.primaryKey, ...model.deferred].map(quote).join(', ')
      await tx.query({
        text: `CREATE TEMPORARY TABLE ${name} ON COMMIT DROP AS SELECT ${columns} FROM ${qualifiedName(model)} WITH NO DATA`,
        values: [],
      })
      staging.set(model.name, name)
    }
    let batch: string[] = []
    let batchModel: DumpModel | undefined
    const flush = async (): Promise<void> => {
      if (!batchModel || batch.length === 0) return
      await insertBatch(tx, batchModel, `[${batch.join(',')}]`, staging.get(batchModel.name))
      loaded[batchModel.name]! += batch.length
      progress?.tick(batch.length)
      batch = []
    }
    let trailer: DumpTrailer | undefined
    let lineNumber = 1
    for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
      lineNumber++
      const line = next.value
      if (line.trim() === '') continue
      if (trailer) throw new LoadError(`line ${lineNumber}: data after the end marker.`)
      const split = splitRowLine(line) ?? parseOther(line, lineNumber)
      if ('end' in split) {
        trailer = split
        continue
      }
      const model = models.get(split.model)
      if (!model)
        throw new LoadError(`line ${lineNumber}: model "${split.model}" is not in the dump's header.`)
      if (model !== batchModel || batch.length >= batchSize) {
        await flush()
        batchModel = model
      }
      batch.push(split.row)
    }
    await flush()
    if (!trailer)
      throw new LoadError('The dump ends without its end marker: the file was cut short. Nothing was loaded.')
    for (const model of models.values()) {
      if (loaded[model.name] !== model.rows) {
        throw new LoadError(
          `Model ${model.name}: the header announces ${model.rows} rows, the file holds ${loaded[model.name]}. Nothing was loaded.`,
        )
      }
      const table = staging.get(model.name)
      if (table !== undefined) {
        const set = model.deferred.map((c) => `${quote(c)} = f.${quote(c)}`).join(', ')
        const match = model.primaryKey.map((c) => `t.${quote(c)} = f.${quote(c)}`).join(' AND ')
        await tx.query({
          text: `UPDATE ${qualifiedName(model)} AS t SET ${set} FROM ${table} AS f WHERE ${match}`,
          values: [],
        })
      }
      for (const sequence of model.sequences) {
        await tx.query({
          text: 'SELECT setval(pg_get_serial_sequence($1, $2), $3::bigint, $4)',
          values: [qualifiedName(model), sequence.column, sequence.lastValue, sequence.isCalled],
        })
      }
    }
  })
  progress?.done()
  return loaded
}

/** One INSERT … SELECT over json_populate_recordset; deferred references go in as NULL and are staged. */
async function insertBatch(
  tx: Queryable,
  model: DumpModel,
  json: string,
  staging: string | undefined,
): Promise<void> {
  const table = qualifiedName(model)
  const columns = model.columns.map(quote).join(', ')
  const values = model.columns.map((c) => (model.deferred.includes(c) ? 'NULL' : `r.${quote(c)}`)).join(', ')
  await tx.query({
    text: `INSERT INTO ${table} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${values} FROM json_populate_recordset(NULL::${table}, $1::json) AS r`,
    values: [json],
  })
  if (staging !== undefined) {
    const kept = [...model.primaryKey, ...model.deferred].map((c) => `r.${quote(c)}`).join(', ')
    const notNull = model.deferred.map((c) => `r.${quote(c)} IS NOT NULL`).join(' OR ')
    await tx.query({
      text: `INSERT INTO ${staging} SELECT ${kept} FROM json_populate_recordset(NULL::${table}, $1::json) AS r WHERE ${notNull}`,
      values: [json],
    })
  }
}

function parseHeader(line: string | undefined): DumpHeader {
  let header: Partial<DumpHeader> | undefined
  try {
    header = line === undefined ? undefined : (JSON.parse(line) as Partial<DumpHeader>)
  } catch {
    header = undefined
  }
  if (header?.format !== DUMP_FORMAT || !Array.isArray(header.models)) {
    throw new LoadError(
      `Not a graphql-auto-gen dump: the first line must be its header ({"format":"${DUMP_FORMAT}",…}).`,
    )
  }
  if (header.version !== DUMP_VERSION) {
    throw new LoadError(
      `Dump format version ${String(header.version)} is not supported (this version reads ${DUMP_VERSION}).`,
    )
  }
  return header as DumpHeader
}

/** The dump's model, pointed at the table the config names for it (the target may use another schema). */
function resolveTarget(model: DumpModel, graph: ModelGraph): DumpModel {
  const target = graph.models.find((m) => m.name === model.name)
  if (!target) {
    throw new LoadError(
      `The dump holds model "${model.name}", which the config does not define (it has ${graph.models.map((m) => m.name).join(', ')}).`,
    )
  }
  const known = new Set(target.fields.map((f) => f.column))
  const missing = model.columns.filter((c) => !known.has(c))
  if (missing.length > 0) {
    throw new LoadError(
      `Model "${model.name}": the dump has columns the config's table lacks: ${missing.join(', ')}.`,
    )
  }
  const { schema: _schema, ...rest } = model
  return { ...rest, table: target.table, ...(target.schema !== undefined ? { schema: target.schema } : {}) }
}

async function refuseNonEmpty(database: Database, models: readonly DumpModel[]): Promise<void> {
  const full: string[] = []
  for (const model of models) {
    const { rows } = await database.query<{ any: boolean }>({
      text: `SELECT EXISTS (SELECT 1 FROM ${qualifiedName(model)}) AS "any"`,
      values: [],
    })
    if (rows[0]?.any === true) full.push(model.table)
  }
  if (full.length > 0) {
    throw new LoadError(
      `Refusing to load into tables that already hold rows: ${full.join(', ')}. Empty them, or pass --truncate to replace their contents.`,
    )
  }
}

/** A line that is not a plain row line: the trailer, or a row written by another tool. */
function parseOther(line: string, lineNumber: number): { model: string; row: string } | DumpTrailer {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw new LoadError(`line ${lineNumber}: not JSON.`)
  }
  if (typeof value === 'object' && value !== null && (value as DumpTrailer).end === true)
    return value as DumpTrailer
  const row = value as { model?: unknown; row?: unknown }
  if (typeof row.model !== 'string' || typeof row.row !== 'object' || row.row === null) {
    throw new LoadError(`line ${lineNumber}: expected {"model": …, "row": {…}}.`)
  }
  return { model: row.model, row: JSON.stringify(row.row) }
}
