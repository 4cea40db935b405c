import { filterErrorFromDatabase } from '../compile/index.js'
import { commitOutcomeUnknown, statementMayHaveRun } from '../database/index.js'
import type { Queryable } from '../database/index.js'
import { AutoGenError, ErrorCodes, toClientError } from '../errors.js'
import type { Model } from '../models/index.js'
import type { ModelNames } from '../naming/index.js'
import { hasMutationHooks, MutationAborted, runMutationHooks } from '../plugins/index.js'
import type { MutationEvent, MutationOperation } from '../plugins/index.js'
import { fieldErrorFromDatabase } from './databaseErrors.js'
import { isOutsidePolicy, outsidePolicy } from './rowPolicyCheck.js'
import type {
  CommittedChange,
  MutationCall,
  MutationFieldError,
  MutationSettings,
} from './MutationSettings.js'

/** Thrown inside a mutation's transaction to roll it back and report these payload errors. */
export class MutationFailed extends Error {
  constructor(readonly errors: MutationFieldError[]) {
    super('mutation failed')
    this.name = 'MutationFailed'
  }
}

/** The transaction's outcome: the work's value, or the payload errors that rolled it back. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: MutationFieldError[] }

/**
 * Runs `work` in one transaction (READ COMMITTED, the database default: races on unique values
 * are settled by the constraints, and targeted rows are locked FOR UPDATE first). Payload errors
 * (validation, hooks, constraint violations) roll everything back and come back as errors;
 * anything else is rethrown (and masked by the schema). `locate` finds which bulk input a
 * constraint violation belongs to. Changes `work` reports through `committed` are handed to
 * `settings.afterCommit` only once the transaction committed (so a rolled-back call publishes nothing).
 */
export async function runInTransaction<T>(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  operation: 'write' | 'delete',
  work: (tx: Queryable, committed: (change: CommittedChange) => void) => Promise<T>,
  locate?: () => Promise<number | undefined>,
): Promise<Outcome<T>> {
  return runWrite(settings, call, names, operation, 'transaction', work, locate)
}

/**
 * As {@link runInTransaction}, or, on path `statement`, `work` runs its ONE statement on the
 * database itself (atomic without BEGIN/COMMIT; see chooseWritePath): the same errors, and the
 * changes it reports are published once that statement returned.
 */
export async function runWrite<T>(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  operation: 'write' | 'delete',
  path: 'transaction' | 'statement',
  work: (tx: Queryable, committed: (change: CommittedChange) => void) => Promise<T>,
  locate?: () => Promise<number | undefined>,
): Promise<Outcome<T>> {
  try {
    const changes: CommittedChange[] = []
    const committed = (change: CommittedChange): void => void changes.push(change)
    const value =
      path === 'statement'
        ? await work(call.database, committed)
        : await call.database.transaction((tx) => work(tx, committed))
    if (changes.length > 0 && settings.afterCommit) {
      // The write is committed: a failing publisher must not turn it into an error for the caller;
      // toClientError logs it under an error id.
      await settings.afterCommit(changes).catch((error: unknown) => void toClientError(error, call.context))
    }
    return { ok: true, value }
  } catch (error) {
    // A connection lost while the one statement ran leaves it as unknown as a COMMIT without an
    // answer (autocommit may have saved it): say so, as the transaction does for its COMMIT.
    if (path === 'statement' && lostMidStatement(error)) throw commitOutcomeUnknown()
    if (error instanceof MutationFailed) return { ok: false, errors: error.errors }
    if (error instanceof MutationAborted) {
      return { ok: false, errors: [{ field: null, code: ErrorCodes.ABORTED, message: error.message }] }
    }
    if (isOutsidePolicy(error)) return { ok: false, errors: [outsidePolicy(names)] }
    // An invalid regex in a bulk filter is the caller's filter, not a column value.
    const filterError = filterErrorFromDatabase(error)
    if (filterError) throw filterError
    const fieldError = await fieldErrorFromDatabase(
      error,
      settings.names,
      names,
      operation,
      call.database,
      call.access,
    )
    if (!fieldError) throw error
    if (locate) fieldError.index = (await locate()) ?? null
    return { ok: false, errors: [fieldError] }
  }
}

/**
 * Whether the database went away while the one statement may have run (`databaseUnavailable`
 * after a connection was made): its autocommit may have saved the write. A refused connection, a
 * pool timeout or a statement timeout never leaves a statement's write behind.
 */
function lostMidStatement(error: unknown): boolean {
  return (
    error instanceof AutoGenError &&
    error.code === ErrorCodes.SERVICE_UNAVAILABLE &&
    error.details['reason'] === 'databaseUnavailable' &&
    statementMayHaveRun(error)
  )
}

/** What a hook phase needs to build its event. */
export interface HookRun {
  settings: MutationSettings
  call: MutationCall
  names: ModelNames
  tx: Queryable
  operation: MutationOperation
  bulk: boolean
  values: Array<Record<string, unknown>>
  pks: string[]
  rows: Array<Record<string, unknown>>
}

/**
 * Runs the `before` or `after` hooks of every plugin with one event; errors they add roll the
 * mutation back once the whole phase has run.
 */
export async function runHookPhase(phase: 'before' | 'after', run: HookRun): Promise<void> {
  if (!hasMutationHooks(run.settings.plugins, phase)) return
  const errors: MutationFieldError[] = []
  const event: MutationEvent = {
    model: run.names.model,
    typeName: run.names.typeName,
    operation: run.operation,
    bulk: run.bulk,
    values: run.values,
    pks: run.pks,
    rows: run.rows,
    tx: run.tx,
    context: run.call.context,
    addError(error) {
      errors.push({
        field: error.field,
        message: error.message,
        code: error.code ?? ErrorCodes.INVALID_VALUE,
        ...(error.index !== undefined ? { index: error.index } : {}),
      })
    },
    abort(message) {
      throw new MutationAborted(message)
    },
  }
  await runMutationHooks(run.settings.plugins, phase, event)
  if (errors.length > 0) throw new MutationFailed(errors)
}

/** A returned row keyed by the model's property keys instead of column names. */
export function toModelRow(model: Model, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(model.fields.map((f) => [f.key, row[f.column]]))
}
