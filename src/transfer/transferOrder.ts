import type { Model, ModelGraph } from '../models/index.js'

/** A model as dump and load see it: its table, columns and where it goes in foreign-key order. */
export interface TransferModel {
  name: string
  table: string
  schema?: string
  /** SQL column names, in table order. */
  columns: string[]
  /** Columns written as JSON strings to keep every digit (bigint, numeric). */
  textColumns: string[]
  /** The key columns (for a table without one, its comparable columns): the dump's order. */
  primaryKey: string[]
  /**
   * Foreign-key columns pointing at this model itself or at a model loaded later (a cycle): they
   * are inserted as NULL and set once every row is in, since the constraints are not deferrable.
   */
  deferred: string[]
}

/**
 * The models to transfer, parents first (a topological sort over foreign keys, stable in config
 * order), junction tables included. `names` restricts the set; references to models outside it
 * must already be satisfied in the target. Self references and cycles become `deferred` columns.
 */
export function transferOrder(graph: ModelGraph, names?: readonly string[]): TransferModel[] {
  // Views and materialized views hold no data of their own: their tables carry it.
  const tables = graph.models.filter((m) => m.kind === 'table')
  const selected = names ? tables.filter((m) => names.includes(m.name)) : tables
  const byTable = new Map(graph.models.map((m) => [tableKey(m.table, m.schema), m]))
  const edges = new Map(selected.map((m) => [m.name, dependencies(m, graph, byTable)]))
  const placed = new Set<string>()
  const order: TransferModel[] = []
  const remaining = [...selected]
  while (remaining.length > 0) {
    const inSet = (name: string): boolean => remaining.some((m) => m.name === name)
    let index = remaining.findIndex((m) =>
      edges.get(m.name)!.every((e) => e.target === m.name || placed.has(e.target) || !inSet(e.target)),
    )
    // A cycle between models: take the first one and defer its references into the cycle.
    if (index < 0) index = 0
    const model = remaining.splice(index, 1)[0]!
    const deferred = edges
      .get(model.name)!
      .filter((e) => e.target === model.name || (inSet(e.target) && !placed.has(e.target)))
      .flatMap((e) => e.columns)
    placed.add(model.name)
    order.push(describe(model, [...new Set(deferred)]))
  }
  return order
}

interface Dependency {
  target: string
  columns: readonly string[]
}

/** The models a model's foreign keys point at (for a junction, read from the relations through it). */
function dependencies(model: Model, graph: ModelGraph, byTable: Map<string, Model>): Dependency[] {
  const found: Dependency[] = model.relations
    .filter((r) => r.kind === 'toOne' && r.isForward)
    .map((r) => ({ target: r.target, columns: r.sourceColumns }))
  if (model.isJunction) {
    for (const other of graph.models) {
      for (const relation of other.relations) {
        const through = relation.through
        if (relation.kind !== 'manyToMany' || !through) continue
        if (byTable.get(tableKey(through.table, through.schema)) !== model) continue
        found.push({ target: relation.source, columns: through.sourceColumns })
      }
    }
  }
  return found
}

function describe(model: Model, references: string[]): TransferModel {
  // A NOT NULL reference cannot be inserted as NULL first; its rows must come in order instead.
  const deferred = references.filter((c) => model.fields.find((f) => f.column === c)?.nullable === true)
  return {
    name: model.name,
    table: model.table,
    ...(model.schema !== undefined ? { schema: model.schema } : {}),
    columns: model.fields.map((f) => f.column),
    textColumns: model.fields.filter((f) => f.kind === 'BigInt' || f.kind === 'Decimal').map((f) => f.column),
    // A table without a key is dumped in the order of its comparable columns.
    primaryKey: (model.rowKey.length > 0
      ? model.rowKey
      : model.fields.filter((f) => !f.isList && f.kind !== 'JSON')
    ).map((f) => f.column),
    deferred,
  }
}

function tableKey(table: string, schema: string | undefined): string {
  return `${schema ?? ''}.${table}`
}

/** `"schema"."table"` or `"table"`. */
export function qualifiedName(model: { table: string; schema?: string }): string {
  return model.schema !== undefined ? `${quote(model.schema)}.${quote(model.table)}` : quote(model.table)
}

/** Quotes an SQL identifier. */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
