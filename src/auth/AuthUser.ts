/** Who is calling: Django's `request.user`, as the API's permission checks see it. */
export interface AuthUser {
  /** The user's id (text, e.g. a JWT `sub`); null for anonymous callers. */
  id: string | null
  /** False only for the anonymous user. */
  isAuthenticated: boolean
  /** Django's `is_staff`: passes `IsAdminUser`. */
  isStaff: boolean
  /** Django's `is_superuser`: holds every permission codename. */
  isSuperuser: boolean
  /** Permission codenames held, `<app>.<action>_<model>` (e.g. `shop.view_order`). */
  permissions: readonly string[]
  /** Group names the user belongs to. */
  groups: readonly string[]
  /** The verified token's claims, when the user came from a JWT. */
  claims?: Readonly<Record<string, unknown>>
}

/** The caller with no (or no accepted) credentials; frozen so no request can change it. */
export const ANONYMOUS_USER: AuthUser = Object.freeze({
  id: null,
  isAuthenticated: false,
  isStaff: false,
  isSuperuser: false,
  permissions: Object.freeze([]) as readonly string[],
  groups: Object.freeze([]) as readonly string[],
})

/**
 * The user of a GraphQL context: `context.user` as the server's auth plugin (or the caller of
 * plain `graphql()`) set it, else anonymous — so `graphql({ schema, source })` runs as anonymous.
 */
export function userOf(context: unknown): AuthUser {
  const user =
    typeof context === 'object' && context !== null ? (context as { user?: unknown }).user : undefined
  return isAuthUser(user) ? user : ANONYMOUS_USER
}

/** Builds a user from partial fields (an `authenticate` function may return only some of them). */
export function toAuthUser(partial: Partial<AuthUser> & { id?: string | number | null }): AuthUser {
  const id = partial.id === undefined || partial.id === null ? null : String(partial.id)
  return {
    id,
    isAuthenticated: partial.isAuthenticated ?? id !== null,
    isStaff: partial.isStaff ?? false,
    isSuperuser: partial.isSuperuser ?? false,
    permissions: [...(partial.permissions ?? [])],
    groups: [...(partial.groups ?? [])],
    ...(partial.claims !== undefined ? { claims: partial.claims } : {}),
  }
}

/** Whether a user holds a permission codename (superusers hold them all, as in Django). */
export function hasPerm(user: AuthUser, codename: string): boolean {
  if (!user.isAuthenticated) return false
  return user.isSuperuser || user.permissions.includes(codename)
}

function isAuthUser(value: unknown): value is AuthUser {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AuthUser).isAuthenticated === 'boolean' &&
    Array.isArray((value as AuthUser).permissions)
  )
}
