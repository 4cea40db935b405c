import type { RequestAccess } from '../auth/index.js'
import type { RootTarget } from '../compile/index.js'
import type { Database } from '../database/index.js'
import type { TargetOf } from './compiledResolvers.js'
import { checkObjects } from './objectRows.js'
import { callerAccess, databaseOf } from './requestCaller.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/** A root query field ready to compile: what it reads, for whom, and through which database. */
export interface PreparedRead {
  target: RootTarget
  access: RequestAccess
  database: Database
}

/**
 * Everything a root query field does before its statement: the caller's access (anonymous
 * callers refused first when authentication is required), the target from the arguments, the
 * model's view permission and, for one row, DRF object permissions. Null when the object check
 * hides the row (the field reads as null, exactly like a row that does not exist). Shared by the
 * resolvers and the fast path, so both refuse and hide the same things.
 */
export async function prepareRootRead(
  runtime: SchemaRuntime,
  targetOf: TargetOf,
  args: Record<string, unknown>,
  context: unknown,
): Promise<PreparedRead | null> {
  const access = await callerAccess(runtime, context)
  const target = targetOf(args)
  const model = target.model.model.name
  await access.require(model, 'view')
  const database = databaseOf(runtime, context)
  // DRF checks object permissions when one object is retrieved; lists are filtered by policies.
  if (target.kind === 'single' && access.checksObjects(model, 'view')) {
    const found = await checkObjects(runtime, database, target.model, [target.pk], access, 'view')
    if (found === 0) return null
  }
  return { target, access, database }
}
