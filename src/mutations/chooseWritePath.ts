import type { ModelNames } from '../naming/index.js'
import { hasMutationHooks } from '../plugins/index.js'
import type { MutationCall, MutationSettings } from './MutationSettings.js'
import type { ParsedInput } from './parseInput.js'

/**
 * How a mutation runs: `statement` is ONE data-modifying statement (the write, its checks in SQL
 * and the payload's read, atomic on its own, sent without BEGIN/COMMIT); `transaction` runs
 * several statements with JS between them in BEGIN … COMMIT. `reason` says why, for logs and tests.
 */
export interface WritePath {
  path: 'statement' | 'transaction'
  reason: string
}

/** What a call's write needs, as far as the choice of path is concerned. */
export interface WriteFacts {
  operation: 'create' | 'update' | 'delete' | 'restore'
  /** The parsed create inputs or update patch (none for delete and restore). */
  inputs: readonly ParsedInput[]
  /** Statements the write itself takes (a bulk create past one statement's bound values takes several). */
  statements?: number
  /** The payload's selection or the row policy's check reads the written table again (through a relation). */
  rereadsTable?: boolean
  /** The payload's selection or the row policy's check reads a junction table whose links the write changes. */
  rereadsLinks?: boolean
}

/**
 * The ONE place that decides whether a mutation is one statement or a transaction, and says why.
 * What forces a transaction is JS work that needs the database between the write and its commit:
 * plugins' `beforeMutation`/`afterMutation` hooks (they see `tx` and the rows, and may roll back),
 * object permission classes (`hasObjectPermission` judges the target rows in JS), many-to-many
 * links (their own statements after the row), a write that takes several statements, an update
 * that changes no column, and a payload that reads the written table again (one statement's
 * snapshot would not show the write there). Password hashing does NOT force one: it runs in JS
 * before any SQL. Nor does the caller's row policy on the written model: targets are found by it
 * in the statement's WHERE, and written rows are checked in the same statement, which fails
 * (undoing the write) for a row outside it (see rowPolicyCheck). Nor do to-one inputs that need a
 * lookup (soft-deletable targets, non-primary keys) or point at rows under a row policy: each value
 * is a subquery of the statement that reads the visible row (share-locked for lookups) or fails it
 * (see referenceCell).
 */
export function chooseWritePath(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  facts: WriteFacts,
): WritePath {
  const transaction = (reason: string): WritePath => ({ path: 'transaction', reason })
  if (hasMutationHooks(settings.plugins, 'before'))
    return transaction('a plugin has a beforeMutation hook, which runs inside the transaction')
  if (hasMutationHooks(settings.plugins, 'after'))
    return transaction('a plugin has an afterMutation hook, which sees the written rows before commit')
  if (call.checkRows) return transaction('object permission classes judge the target rows in JS first')
  const rowFilters = call.access?.rowFilters
  const restricted = (model: string): boolean => {
    const policy = rowFilters?.get(model)
    return policy !== undefined && policy !== null && policy !== true
  }
  for (const input of facts.inputs) {
    // To-one ids (with a `key`) are checked against policies in the statement; link targets are not.
    const guarded = input.pointsAt.find((row) => row.key === undefined && restricted(row.target.model.name))
    if (guarded)
      return transaction(`\`${guarded.inputName}\` links ${guarded.target.typeName} rows under a row policy`)
    const junctions = input.links.map((link) => link.relation.through?.table)
    const twice = input.links.find((link, i) => junctions.indexOf(link.relation.through?.table) !== i)
    // Two changes of one junction in one statement would both see it as it was, not one after the other.
    if (twice)
      return transaction(
        `\`${twice.inputName}\` changes links another input field changes too, one after the other`,
      )
    if (input.links.length > 0 && facts.operation === 'create' && facts.inputs.length > 1)
      return transaction(
        `\`${input.links[0]!.inputName}\` links the rows of a bulk create, each to its own targets`,
      )
  }
  const changesNothing = (input: ParsedInput): boolean =>
    Object.keys(input.values).length === 0 && input.references.length === 0 && input.links.length === 0
  if (facts.operation === 'update' && facts.inputs.every(changesNothing))
    return transaction('the patch changes no column: the row is only locked and read')
  if ((facts.statements ?? 1) > 1)
    return transaction(`the write takes ${facts.statements} statements (more values than one binds)`)
  if (facts.rereadsLinks)
    return transaction('the payload or the row policy reads many-to-many links the write changes')
  if (facts.rereadsTable)
    return transaction(
      `the payload or the row policy reads ${names.typeName} again through a relation, after the write`,
    )
  return { path: 'statement', reason: 'no JS work between the write and its commit' }
}
