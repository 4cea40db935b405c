import { SqlParams } from '../compile/index.js'
import type { Database, Queryable, SqlStatement } from '../database/index.js'
import { chooseWritePath } from './chooseWritePath.js'
import { ErrorCodes } from '../errors.js'
import type { Model } from '../models/index.js'
import type { ModelNames } from '../naming/index.js'
import { hasMutationHooks } from '../plugins/index.js'
import type {
  CommittedChange,
  InlineRead,
  MutationCall,
  MutationResult,
  MutationSettings,
  ReadBack,
} from './MutationSettings.js'
import { parseInput } from './parseInput.js'
import type { ParsedInput } from './parseInput.js'
import { checkReferencedRows, checkRowPolicy } from './policyCheck.js'
import { explainReferenceFailure, statementValues } from './referenceCell.js'
import { rowPolicyCheck } from './rowPolicyCheck.js'
import { applyLinks, hashPasswords, resolveReferences } from './relationWork.js'
import { runHookPhase, runInTransaction, runWrite, toModelRow } from './runInTransaction.js'
import { readsChangedLinks, statementLinks } from './statementLinks.js'
import {
  insertSql,
  insertStatementCount,
  insertStatements,
  payloadSelect,
  rereadsTable,
  writtenStatement,
} from './writeSql.js'

/**
 * Creates rows from create inputs (one for `createX`, many for `bulkCreateXs`), all or nothing:
 * ONE statement where chooseWritePath allows, else one transaction (validation, before-hooks,
 * INSERTs, links, after-hooks, then `readBack` of the first row for the payload). Errors carry
 * `index` in bulk calls.
 */
export async function createRows(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  inputs: ReadonlyArray<Record<string, unknown>>,
  options: { bulk: boolean; readBack?: ReadBack },
): Promise<MutationResult> {
  const { bulk } = options
  if (bulk && inputs.length > settings.maxBulkSize) {
    return failure([
      {
        field: 'inputs',
        code: ErrorCodes.TOO_MANY_ITEMS,
        message: `At most ${settings.maxBulkSize} inputs per call (got ${inputs.length}).`,
        index: null,
      },
    ])
  }
  const parsed = inputs.map((input, index) => parseInput(names, input, 'create', bulk ? index : undefined))
  const errors = parsed.flatMap((p) => p.errors)
  if (errors.length > 0) return failure(errors)
  if (parsed.length === 0) return { success: true, errors: [], pks: [], count: 0 }
  await hashPasswords(settings, parsed)
  const values = parsed.map((p) => p.values)
  const locator = (rows: ReadonlyArray<Record<string, unknown>>) =>
    bulk && rows.length > 1 ? () => locateFailingRow(call.database, names.model, rows) : undefined
  const single = oneStatement(settings, call, names, parsed, { bulk, readBack: options.readBack })
  if (single) {
    const outcome = await runWrite(
      settings,
      call,
      names,
      'write',
      'statement',
      single.work,
      locator(single.values),
    )
    if (!outcome.ok) return failure(outcome.errors)
    return { success: true, errors: [], pks: outcome.value, count: outcome.value.length }
  }
  const locate = locator(values)
  const outcome = await runInTransaction(
    settings,
    call,
    names,
    'write',
    async (tx, committed) => {
      await resolveReferences(tx, parsed, bulk)
      await checkReferencedRows(settings, call, tx, parsed, bulk)
      const hook = { settings, call, names, tx, operation: 'create' as const, bulk, values }
      await runHookPhase('before', { ...hook, pks: [], rows: [] })
      // Whole rows only for after-hooks (`event.rows`); otherwise the keys are all that is read,
      // which on a bulk create saves reading back and converting every column of every row.
      const wantsRows = hasMutationHooks(settings.plugins, 'after')
      const rows: Array<Record<string, unknown>> = []
      for (const statement of insertStatements(names.model, values, wantsRows ? 'rows' : 'keys'))
        rows.push(...(await tx.query(statement)).rows)
      const pks = rows.map((row) => String(row['__pk']))
      for (const [index, input] of parsed.entries()) {
        for (const link of input.links)
          await applyLinks(tx, names, link, [pks[index]!], true, bulk ? index : undefined)
      }
      await checkRowPolicy(settings, call, names, tx, pks)
      await runHookPhase('after', {
        ...hook,
        pks,
        rows: wantsRows ? rows.map((row) => toModelRow(names.model, row)) : [],
      })
      if (options.readBack) await options.readBack.read(tx, pks[0]!)
      committed({ model: names.model, operation: 'create', pks })
      return pks
    },
    locate,
  )
  if (!outcome.ok) return failure(outcome.errors)
  return { success: true, errors: [], pks: outcome.value, count: outcome.value.length }
}

/**
 * The create as ONE statement (the INSERT, with the caller's row policy checked and the payload's
 * selection of the first row compiled into its RETURNING), or undefined when chooseWritePath
 * wants a transaction.
 */
function oneStatement(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  parsed: readonly ParsedInput[],
  options: { bulk: boolean; readBack: ReadBack | undefined },
):
  | {
      work: (db: Queryable, committed: (change: CommittedChange) => void) => Promise<string[]>
      /** The rows' values as the statement writes them (checked references as subqueries). */
      values: Array<Record<string, unknown>>
    }
  | undefined {
  const model = names.model
  const { bulk, readBack } = options
  const values = parsed.map((p, index) => statementValues(settings, call, p, bulk ? index : undefined))
  const facts = {
    operation: 'create' as const,
    inputs: parsed,
    statements: insertStatementCount(model, values),
  }
  if (chooseWritePath(settings, call, names, facts).path !== 'statement') return undefined
  const params = new SqlParams()
  let inline: InlineRead | undefined
  let check: string | undefined
  if (readBack || call.access?.rowFilters?.has(model.name) === true) {
    inline = readBack?.inline(params, 'w')
    check = rowPolicyCheck(settings, call, names, params, 'w')
    const reads = [...(inline?.columns ?? []), ...(check !== undefined ? [check] : [])]
    if (rereadsTable(model, reads)) {
      if (chooseWritePath(settings, call, names, { ...facts, rereadsTable: true }).path !== 'statement')
        return undefined
    }
    if (readsChangedLinks(parsed, reads)) {
      if (chooseWritePath(settings, call, names, { ...facts, rereadsLinks: true }).path !== 'statement')
        return undefined
    }
  }
  // One create's many-to-many links (chooseWritePath keeps bulk ones in a transaction).
  const links = parsed.length === 1 ? statementLinks(parsed[0]!, params, true) : undefined
  let statement: SqlStatement
  if (links && links.ctes.length > 0) {
    // The links read the new row's key: the INSERT goes in a CTE, the payload over its rows.
    statement = writtenStatement(model, insertSql(model, values, params, 'rows'), params, {
      rows: 'keys',
      ...(inline ? { columns: inline.columns } : {}),
      ...(check !== undefined ? { check } : {}),
      after: links.ctes,
      checks: links.checks,
    })
  } else {
    // The payload and the check ride in RETURNING: what a CTE around the INSERT would give,
    // without materializing the CTE.
    const select = payloadSelect(inline?.columns ?? [], check)
    const payload = select.length > 0 ? { alias: 'w', select } : undefined
    statement = { text: insertSql(model, values, params, 'keys', payload), values: params.values }
  }
  // Checked references bind values of their own, which insertStatementCount does not count.
  if (statement.values.length > MAX_BOUND) return undefined
  const work = async (db: Queryable, committed: (change: CommittedChange) => void): Promise<string[]> => {
    const { rows } = await db.query<Record<string, unknown>>(statement).catch(async (error: unknown) => {
      await explainReferenceFailure(settings, call, parsed, bulk, error)
      throw error
    })
    const pks = rows.map((row) => String(row['__pk']))
    if (inline && rows[0]) {
      const row = rows[0]
      inline.take(inline.columns.map((_, i) => (row[`__n${i}`] ?? null) as string | null))
    }
    committed({ model, operation: 'create', pks })
    return pks
  }
  return { work, values }
}

/** PostgreSQL's limit of bound values in one statement. */
const MAX_BOUND = 65_535

function failure(errors: MutationResult['errors']): MutationResult {
  return { success: false, errors, pks: [], count: 0 }
}

const ROLLBACK = Symbol('rollback')

/**
 * Which row of a failed multi-row insert broke a constraint: replays the rows one statement
 * each in a transaction that is always rolled back, and stops at the first that fails. Runs only
 * after a failure, so successful bulk creates keep their few multi-row statements.
 */
async function locateFailingRow(
  database: Database,
  model: Model,
  values: ReadonlyArray<Record<string, unknown>>,
): Promise<number | undefined> {
  let failedAt: number | undefined
  await database
    .transaction(async (tx) => {
      for (const [index, row] of values.entries()) {
        try {
          for (const statement of insertStatements(model, [row], 'keys')) await tx.query(statement)
        } catch {
          failedAt = index
          break
        }
      }
      throw ROLLBACK
    })
    .catch((error: unknown) => {
      if (error !== ROLLBACK && failedAt === undefined) throw error
    })
  return failedAt
}
