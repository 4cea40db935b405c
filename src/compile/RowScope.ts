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

/** A row a relation can be read from without a lookup: its to-one rows an ordering joined. */
export interface JoiningScope extends RowScope {
  /** The row joined for relation `field` of this row, read through the subquery's columns. */
  joined(field: string): { scope: JoiningScope; join: JoinedRow } | undefined
}

/**
 * A row read from a subquery that only projects what is used: every column asked for is
 * recorded, so the subquery reads the selected columns and nothing else. The subquery's row is
 * `source`; to-one rows it joins (for its ordering), at any depth, can be read through it too
 * ({@link joined}).
 */
export class ProjectedScope implements JoiningScope {
  /** Select items of the subquery, by the name they have in it: the source's columns used. */
  readonly used = new Map<string, string>()

  constructor(
    readonly alias: string,
    private readonly source: string,
    private readonly joins: readonly JoinedRow[] = [],
  ) {}

  column(name: string): string {
    return this.project(name, `${ident(this.source)}.${ident(name)}`)
  }

  joined(field: string): { scope: JoiningScope; join: JoinedRow } | undefined {
    return this.joinedTo(this.source, field)
  }

  /** The row joined for relation `field` of the row under `parent` (the source or a joined row). */
  private joinedTo(parent: string, field: string): { scope: JoiningScope; join: JoinedRow } | undefined {
    const join = this.joins.find((j) => j.parent === parent && j.field === field)
    if (!join) return undefined
    const scope: JoiningScope = {
      alias: this.alias,
      column: (name) => this.project(`${join.alias}.${name}`, `${ident(join.alias)}.${ident(name)}`),
      joined: (next) => this.joinedTo(join.alias, next),
    }
    return { scope, join }
  }

  private project(name: string, expr: string): string {
    this.used.set(name, name.includes('.') ? `${expr} as ${ident(name)}` : expr)
    return `${ident(this.alias)}.${ident(name)}`
  }
}

/** Whether relations of the row can be read from joins ({@link JoiningScope}). */
export function isJoiningScope(scope: RowScope): scope is JoiningScope {
  return 'joined' in scope
}

/** A to-one row a subquery joins: its relation field, alias, and whether it may be missing. */
export interface JoinedRow {
  /** The relation's field name on the row under `parent`. */
  field: string
  /** Alias of the row it is joined to: the subquery's row, or another joined row. */
  parent: string
  alias: string
  /** An inner join: the row is always there. */
  inner: boolean
  /** A column of the related row that is never NULL when a left join found it. */
  marker: string
}
