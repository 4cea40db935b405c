import { hasPerm } from './AuthUser.js'
import type { AuthUser } from './AuthUser.js'

/** A guard on one field: who may read (and write) its value. */
export interface FieldPermission {
  readonly kind: 'fieldPermission'
  /** The codenames required, for messages. */
  readonly codenames: readonly string[]
  /** Whether this user may see and write the field. */
  allows(user: AuthUser): boolean
}

/**
 * Django's `permission_required` for one field: users without every codename get `null` and a
 * FORBIDDEN error at the field's path, may not filter or order by it, and may not write it.
 * Superusers hold every codename. Use in model options: `fields: { email: { permission: permissionRequired('users.view_user') } }`.
 */
export function permissionRequired(...codenames: string[]): FieldPermission {
  if (codenames.length === 0) throw new TypeError('permissionRequired needs at least one codename.')
  return Object.freeze({
    kind: 'fieldPermission' as const,
    codenames: Object.freeze([...codenames]),
    allows: (user: AuthUser) => codenames.every((codename) => hasPerm(user, codename)),
  })
}

/** Whether a value is a guard made by {@link permissionRequired}. */
export function isFieldPermission(value: unknown): value is FieldPermission {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as FieldPermission).kind === 'fieldPermission' &&
    typeof (value as FieldPermission).allows === 'function'
  )
}
