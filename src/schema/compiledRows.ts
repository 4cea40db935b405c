/** What one root field's compiled statement gave: the database's JSON text, or its error. */
export type CompiledRow = { text: string | null } | { error: unknown }

const rowsByContext = new WeakMap<object, ReadonlyMap<string, CompiledRow>>()

/**
 * Hands the rows the compiled route already read to graphql-js for this operation's context:
 * root resolvers answer from them instead of running their statement again (the compiled route
 * finishing on graphql-js after a statement failed or a Float was NaN).
 */
export function useCompiledRows(context: object, rows: ReadonlyMap<string, CompiledRow>): void {
  rowsByContext.set(context, rows)
}

/** The row the compiled route read for this root field (by response key), if it read one. */
export function compiledRowOf(context: unknown, responseKey: string): CompiledRow | undefined {
  return typeof context === 'object' && context !== null
    ? rowsByContext.get(context)?.get(responseKey)
    : undefined
}
