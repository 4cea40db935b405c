import type { GraphQLField } from 'graphql'

/**
 * Where a list field's rows come from, kept in the field's `extensions.rowSource` by the schema
 * builder so that pricing can bound a list by the rows its table really holds.
 */
export interface RowSource {
  /** The SQL table reference (as the compiler writes it) the rows are read from. */
  table: string
  /**
   * Under distinct parent rows, each row of this list appears at most once: true for root lists
   * and for to-many relations through a foreign key, false through a junction table.
   */
  distinct: boolean
}

/** The `extensions` entry that marks a list field's row source. */
export function rowSourceExtension(source: RowSource): { rowSource: RowSource } {
  return { rowSource: source }
}

/** The row source a list field declares, if any. */
export function rowSourceOf(definition: GraphQLField<unknown, unknown>): RowSource | undefined {
  const source = (definition.extensions as Record<string, unknown> | undefined)?.['rowSource']
  if (typeof source !== 'object' || source === null) return undefined
  const { table, distinct } = source as Partial<RowSource>
  return typeof table === 'string' && typeof distinct === 'boolean' ? { table, distinct } : undefined
}
