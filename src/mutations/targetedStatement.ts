import { SqlParams } from '../compile/index.js'
import type { Queryable, SqlStatement } from '../database/index.js'
import type { Model } from '../models/index.js'
import type { InlineRead, ReadBack } from './MutationSettings.js'
import { rereadsTable, targetedWriteSql, writtenStatement } from './writeSql.js'
import type { TargetedAction } from './writeSql.js'
import type { StatementLinks } from './statementLinks.js'

/** An update, delete or restore compiled to ONE statement, ready to run. */
export interface TargetedStatement {
  statement: SqlStatement
  /** The payload's read or the row check reaches the written table again (see rereadsTable). */
  rereads: boolean
  /** The payload's and the row check's SQL, for other questions of what they read. */
  reads: string[]
  /** Runs it and returns the written rows (`__pk`, and every column with `rows: 'rows'`), handing the payload its JSON. */
  run(db: Queryable): Promise<Array<Record<string, unknown>>>
}

/**
 * The write of the rows `conditions` (over alias `t`, bound to `values`) select, as ONE
 * statement: rows locked in key order first on bulk calls, returned in key order, and the
 * payload's selection of the (first) written row read over its `RETURNING *`.
 */
export function targetedStatement(
  model: Model,
  action: TargetedAction,
  conditions: readonly string[],
  values: readonly unknown[],
  options: {
    bulk: boolean
    rows: 'rows' | 'keys'
    readBack?: ReadBack
    /** Makes the check of each written row (see rowPolicyCheck) over alias `w`, binding into the statement's parameters. */
    check?: (params: SqlParams, alias: string) => string | undefined
    /** Many-to-many changes of the written rows, as CTEs after the write (see statementLinks). */
    links?: (params: SqlParams) => StatementLinks
  },
): TargetedStatement {
  const params = new SqlParams()
  params.values.push(...values)
  const { ctes, write } = targetedWriteSql(model, action, conditions, params, options.bulk)
  const inline: InlineRead | undefined = options.readBack?.inline(params, 'w')
  const check = options.check?.(params, 'w')
  const links = options.links?.(params)
  const linked = links !== undefined && links.ctes.length > 0
  const statement =
    !inline && check === undefined && !options.bulk && options.rows === 'rows' && !linked
      ? { text: write, values: params.values }
      : writtenStatement(model, write, params, {
          rows: options.rows,
          ordered: options.bulk,
          ctes,
          ...(inline ? { columns: inline.columns } : {}),
          ...(check !== undefined ? { check } : {}),
          ...(linked ? { after: links.ctes, checks: links.checks } : {}),
        })
  const reads = [...(inline?.columns ?? []), ...(check !== undefined ? [check] : [])]
  return {
    statement,
    reads,
    rereads: rereadsTable(model, reads),
    async run(db) {
      const { rows } = await db.query<Record<string, unknown>>(statement)
      const first = rows[0]
      if (inline && first)
        inline.take(inline.columns.map((_, i) => (first[`__n${i}`] ?? null) as string | null))
      return rows
    },
  }
}
