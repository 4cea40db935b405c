import type { AuthUser } from '../auth/index.js'
import { sha256, stableJson } from '../stableJson.js'

/** Token claims that change with every token of the same user, and decide nothing about access. */
const VOLATILE_CLAIMS = new Set(['iat', 'exp', 'nbf', 'jti'])

/**
 * The permission scope of a caller, for cache keys: a hash of everything access decisions may
 * read (id, authentication, staff and superuser flags, permissions, groups, token claims), so an
 * answer cached for one caller is only ever served to a caller who would get the same answer.
 * Anonymous callers share one scope of their own.
 */
export function callerScope(user: AuthUser): string {
  const claims = Object.fromEntries(
    Object.entries(user.claims ?? {}).filter(([name]) => !VOLATILE_CLAIMS.has(name)),
  )
  return sha256(
    stableJson({
      id: user.id,
      isAuthenticated: user.isAuthenticated,
      isStaff: user.isStaff,
      isSuperuser: user.isSuperuser,
      permissions: [...user.permissions].sort(),
      groups: [...user.groups].sort(),
      claims,
    }),
  )
}
