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
 * recorded, so the subquery reads the selected columns and nothing else. The subquery's row is
 * `source`; to-one rows it joins (for its ordering) can be read through it too ({@link joined}).
 */
export class ProjectedScope implements RowScope {
  /** Select items of the subquery, by the name they have in it: the source's columns used. */
  readonly used = new Map<string, string>()
  private readonly joins: ReadonlyMap<string, JoinedRow>

  constructor(
    readonly alias: string,
    private readonly source: string,
    joins: readonly JoinedRow[] = [],
  ) {
    this.joins = new Map(joins.map((join) => [join.field, join]))
  }

  column(name: string): string {
    return this.project(name, `${ident(this.source)}.${ident(name)}`)
  }

  /** The row the subquery joined for relation `field`, read through the subquery's columns. */
  joined(field: string): { scope: RowScope; join: JoinedRow } | undefined {
    const join = this.joins.get(field)
    if (!join) return undefined
    const scope: RowScope = {
      alias: this.alias,
      column: (name) => this.project(`${join.alias}.${name}`, `${ident(join.alias)}.${ident(name)}`),
    }
    return { scope, join }
  }

  private project(name: string, expr: string): string {
    this.used.set(name, name.includes('.') ? `${expr} as ${ident(name)}` : expr)
    return `${ident(this.alias)}.${ident(name)}`
  }
}

/** A to-one row a subquery joins: its relation field, alias, and whether it may be missing. */
export interface JoinedRow {
  field: string
  alias: string
  /** An inner join: the row is always there. */
  inner: boolean
  /** A column of the row that is never NULL when a left join found it. */
  marker: string
}
