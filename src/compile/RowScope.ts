import { ident } from './sql.js'

/** Where a model's row can be read in SQL: an alias, and how to reference one of its columns. */
export interface RowScope {
  readonly alias: string
  /** SQL expression for a column of this row. */
  column(name: string): string
}

/** A row read straight from a table alias. */
export function tableScope(alias: string): RowScope {
  return { alias, column: (name) => `${ident(alias)}.${ident(name)}` }
}

/**
 * A row read from a subquery that only projects what is used: every column asked for is
 * recorded, so the subquery reads the selected columns and nothing else.
 */
export class ProjectedScope implements RowScope {
  readonly used = new Set<string>()

  constructor(readonly alias: string) {}

  column(name: string): string {
    this.used.add(name)
    return `${ident(this.alias)}.${ident(name)}`
  }
}
