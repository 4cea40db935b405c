import { sha256, stableJson } from '../stableJson.js'
import { userOf } from './AuthUser.js'
import type { AuthUser } from './AuthUser.js'

/**
 * What an access rule decides on besides the operation, the model and the row: `'user'` (only the
 * caller's user: id, flags, permissions, groups, token claims), `{ headers }` (the user and these
 * request headers), or `'request'` (anything in the request context).
 */
export type CallerReads = 'user' | { readonly headers: readonly string[] } | 'request'

/** The parts of a request context that say who is calling (a plugins/ RequestContext has them all). */
export interface CallerContext {
  user?: AuthUser
  /** An id a plugin of yours put on the context, instead of the auth stage's `user`. */
  userId?: unknown
  state?: Record<string, unknown>
  request?: Request
  clientAddress?: string
}

/** How {@link callerKey} names the caller. */
export interface CallerKeyOptions {
  /** Take the client address from the first `X-Forwarded-For` entry (behind a trusted proxy only). */
  trustProxy?: boolean
  /**
   * What the key tells apart. `'identity'` (default): who is calling, `user:<id>` when a user id
   * is known, else `ip:<client address>` (rate-limit budgets, read-your-writes routing). A
   * {@link CallerReads}: a hash of what access rules reading that much may decide on (cache
   * scopes): `'user'` lets anonymous callers share one key, `{ headers }` adds those headers'
   * values, `'request'` adds the identity, the socket address and every request header.
   */
  by?: 'identity' | CallerReads
}

/**
 * The one "who is calling" key of the project: rate limits, replica routing, the response cache
 * and cached fields all name the caller with it, so they agree on who a caller is. The user id
 * is `context.userId`, else `context.state.userId`, else the authenticated `context.user`'s id.
 */
export function callerKey(context: CallerContext, options: CallerKeyOptions = {}): string {
  const by = options.by ?? 'identity'
  const userId = userIdOf(context)
  if (by === 'identity')
    return userId === undefined
      ? `ip:${clientAddressOf(context, options.trustProxy === true)}`
      : `user:${userId}`
  const facts = userFacts(userId, userOf(context))
  if (by === 'user') return sha256(stableJson(facts))
  const headers = context.request?.headers
  if (by === 'request') {
    return sha256(
      stableJson({
        facts,
        identity: callerKey(context, { ...options, by: 'identity' }),
        address: context.clientAddress ?? null,
        headers: headers ? Object.fromEntries(headers) : null,
      }),
    )
  }
  const picked = Object.fromEntries(
    [...by.headers].sort().map((name) => [name.toLowerCase(), headers?.get(name) ?? null]),
  )
  return sha256(stableJson({ facts, headers: picked }))
}

/**
 * What a rule declares it reads (`reads`), checked: anything but `'user'`, `'request'` or
 * `{ headers: string[] }` (absent, misspelt) counts as `'request'`, the safe default.
 */
export function declaredReads(value: unknown): CallerReads {
  if (value === 'user' || value === 'request') return value
  const headers = (value as { headers?: unknown } | null | undefined)?.headers
  return Array.isArray(headers) && headers.every((h) => typeof h === 'string')
    ? { headers: headers as string[] }
    : 'request'
}

/** What rules reading both `a` and `b` decide on: the wider of the two. */
export function widerReads(a: CallerReads, b: CallerReads): CallerReads {
  if (a === 'request' || b === 'request') return 'request'
  if (a === 'user') return b
  if (b === 'user') return a
  return { headers: [...new Set([...a.headers, ...b.headers].map((h) => h.toLowerCase()))].sort() }
}

/** Token claims that change with every token of the same user, and decide nothing about access. */
const VOLATILE_CLAIMS = new Set(['iat', 'exp', 'nbf', 'jti'])

/** Everything access decisions may read about the user; anonymous callers all have the same. */
function userFacts(userId: string | number | undefined, user: AuthUser): Record<string, unknown> {
  return {
    userId: userId ?? null,
    id: user.id,
    isAuthenticated: user.isAuthenticated,
    isStaff: user.isStaff,
    isSuperuser: user.isSuperuser,
    permissions: [...user.permissions].sort(),
    groups: [...user.groups].sort(),
    claims: Object.fromEntries(
      Object.entries(user.claims ?? {}).filter(([name]) => !VOLATILE_CLAIMS.has(name)),
    ),
  }
}

function userIdOf(context: CallerContext): string | number | undefined {
  const userId =
    context.userId ??
    context.state?.['userId'] ??
    (context.user?.isAuthenticated ? context.user.id : undefined)
  return typeof userId === 'string' || typeof userId === 'number' ? userId : undefined
}

function clientAddressOf(context: CallerContext, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = context.request?.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  return context.clientAddress ?? 'unknown'
}
