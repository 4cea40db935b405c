import type { Model, ModelGraph, Relation } from './ModelGraph.js'

/** What the live database says about the models' tables (read by the schema stage at build). */
export interface DatabaseCatalog {
  /** Per model name: its table's `COMMENT ON TABLE` and `COMMENT ON COLUMN`s (by column name). */
  tables: Map<string, { comment?: string; columnComments: Map<string, string> }>
  /** Per enum SQL name: its `COMMENT ON TYPE`. */
  enumComments: Map<string, string>
  /**
   * Per model name: the partitioned table it is a partition of (`drizzle-kit pull` emits only
   * partitions), with the parent's comments.
   */
  partitionOf: Map<
    string,
    { table: string; schema?: string; comment?: string; columnComments: Map<string, string> }
  >
}

/**
 * Applies the database's catalog to a graph: PostgreSQL comments become descriptions where
 * nothing else gave one (config, then TSDoc, win), and partitions fold into their partitioned
 * parent. A parent declared as a model keeps its partitions out of the API; a parent that is
 * not a model (what `drizzle-kit pull` writes: every partition, no parent) becomes one, shaped
 * like its first partition (they all share the parent's columns) and named after its table.
 * Partitions are hidden either way: rows are read and written through the parent.
 */
export function applyCatalog(graph: ModelGraph, catalog: DatabaseCatalog): ModelGraph {
  // Folded first: a parent made from a partition takes the parent's comments, not the partition's.
  const folded = foldPartitions(graph, catalog)
  const models = folded.models.map((model) => describe(model, catalog))
  const enums = folded.enums.map((e) => {
    const comment = catalog.enumComments.get(e.sqlName)
    return e.description === undefined && comment !== undefined ? { ...e, description: comment } : e
  })
  return { ...folded, models, enums }
}

function describe(model: Model, catalog: DatabaseCatalog): Model {
  const table = catalog.tables.get(model.name)
  if (!table) return model
  return {
    ...model,
    description: model.description ?? table.comment,
    fields: model.fields.map((field) => {
      const comment = table.columnComments.get(field.column)
      return field.description === undefined && comment !== undefined
        ? { ...field, description: comment }
        : field
    }),
  }
}

function foldPartitions(graph: ModelGraph, catalog: DatabaseCatalog): ModelGraph {
  if (catalog.partitionOf.size === 0) return graph
  const key = (t: { table: string; schema?: string }): string => `${t.schema ?? ''}.${t.table}`
  const byTable = new Map(graph.models.map((m) => [key(m), m]))
  /** Partition model name → the model that stands for its parent (undefined: hidden). */
  const renamed = new Map<string, string>()
  const hidden = new Set<string>()
  const parents = new Map<string, Model>()
  for (const model of graph.models) {
    const parent = catalog.partitionOf.get(model.name)
    if (!parent) continue
    hidden.add(model.name)
    // A parent in another schema than its partition must be named with it; in the same one, not.
    const where = { table: parent.table, ...(parent.schema !== undefined ? { schema: parent.schema } : {}) }
    if (byTable.has(key(where)) || parents.has(key(where))) continue
    const name = uniqueName(camelCase(parent.table), graph.models)
    const described = describe(model, { ...catalog, tables: new Map([[model.name, parent]]) })
    parents.set(key(where), {
      ...described,
      name,
      table: where.table,
      schema: where.schema,
      isJunction: false,
    })
    renamed.set(model.name, name)
  }
  const keep = (relation: Relation): boolean =>
    ![relation.source, relation.target, relation.origin].some((m) => hidden.has(m) && !renamed.has(m))
  const rename = (relation: Relation): Relation => ({
    ...relation,
    source: renamed.get(relation.source) ?? relation.source,
    target: renamed.get(relation.target) ?? relation.target,
    origin: renamed.get(relation.origin) ?? relation.origin,
  })
  const models = [...graph.models.filter((m) => !hidden.has(m.name)), ...parents.values()].map((model) => ({
    ...model,
    relations: model.relations.filter(keep).map(rename),
  }))
  return { ...graph, models }
}

function camelCase(table: string): string {
  return table.replace(/[_\s-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

function uniqueName(name: string, models: readonly Model[]): string {
  let candidate = name
  for (let i = 2; models.some((m) => m.name === candidate); i++) candidate = `${name}${i}`
  return candidate
}
