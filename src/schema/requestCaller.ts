import { requestAccess, settledAccess, unauthenticated } from '../auth/index.js'
import type { RequestAccess } from '../auth/index.js'
import type { Database } from '../database/index.js'
import type { RequestContext } from '../plugins/index.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/**
 * The caller's access for a root field (query, mutation or subscription): anonymous callers are
 * refused first when authentication is required, before any argument is looked at.
 */
export async function callerAccess(runtime: SchemaRuntime, context: unknown): Promise<RequestAccess> {
  const access = await requestAccess(runtime.access, context)
  if (runtime.access.security.authenticationRequired && !access.user.isAuthenticated) throw unauthenticated()
  return access
}

/**
 * The caller's access when it is known without waiting (see {@link callerAccess}), else
 * undefined: the anonymous caller's shared access once evaluated, when authentication is optional.
 */
export function settledCallerAccess(runtime: SchemaRuntime, context: unknown): RequestAccess | undefined {
  if (runtime.access.security.authenticationRequired) return undefined
  return settledAccess(runtime.access, context)
}

/** The request's database when a server made a context, else the one the schema was built with. */
export function databaseOf(runtime: SchemaRuntime, context: unknown): Database {
  return (context as Partial<RequestContext> | undefined)?.database ?? runtime.database
}
