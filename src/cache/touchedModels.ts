import { tableRef } from '../compile/index.js'
import type { ModelGraph } from '../models/index.js'

/** Which models the SQL of an operation read or wrote, and what a write to a model may change. */
export interface TouchedModels {
  /** Every model whose table a statement mentions (reads and writes). */
  read(text: string): string[]
  /** Models a statement INSERTs into, UPDATEs or DELETEs from. */
  written(text: string): string[]
  /**
   * A written model and the models whose rows its write may change too: rows whose foreign keys
   * point at it (ON DELETE CASCADE / SET NULL), junctions included.
   */
  affectedBy(model: string): readonly string[]
}

/** Matches the table a write statement (or a writing CTE) targets, as the compiler quotes it. */
const WRITE = /\b(?:insert\s+into|update|delete\s+from)\s+((?:"(?:[^"]|"")+"\.)?"(?:[^"]|"")+")/gi

/** Reads table references out of statement text, for the models of `graph`. */
export function touchedModels(graph: ModelGraph): TouchedModels {
  const refs = graph.models.map((model) => [tableRef(model), model.name] as const)
  const byRef = new Map(refs)
  const byTable = new Map(graph.models.map((model) => [tableRef(model), model.name]))
  // Models holding a foreign key to each model (junctions included): a write there may cascade.
  const referencing = new Map<string, string[]>()
  for (const model of graph.models) {
    const names: string[] = []
    for (const relation of model.relations) {
      if (relation.kind === 'manyToMany' && relation.through) {
        const junction = byTable.get(
          tableRef({ table: relation.through.table, schema: relation.through.schema }),
        )
        if (junction) names.push(junction)
      } else if (!relation.isForward) {
        // The inverse side lives on the referenced model and leads to the model holding the key.
        names.push(relation.target)
      }
    }
    referencing.set(model.name, names)
  }
  const affected = new Map<string, string[]>()
  for (const model of graph.models) {
    // Cascades chain (users → orders → order items), so follow references all the way.
    const reached = new Set([model.name])
    for (const name of reached) for (const next of referencing.get(name) ?? []) reached.add(next)
    affected.set(model.name, [...reached])
  }
  return {
    read: (text) => refs.filter(([ref]) => text.includes(ref)).map(([, name]) => name),
    written: (text) => [...text.matchAll(WRITE)].flatMap((match) => byRef.get(match[1]!) ?? []),
    affectedBy: (model) => affected.get(model) ?? [model],
  }
}
