import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import { ANONYMOUS_USER, toAuthUser } from './AuthUser.js'
import type { AuthUser } from './AuthUser.js'
import {
  AllowAny,
  and,
  allows,
  allowsObject,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  ModelPermissions,
  not,
  OPERATIONS,
  or,
  resolvePermissionClass,
} from './permissionClasses.js'
import type { Operation, PermissionClass, PermissionContext } from './permissionClasses.js'
import { permissionRequired } from './permissionRequired.js'

const model = { name: 'orders', typeName: 'Order', appLabel: 'shop', codename: 'order' }
const users: Record<string, AuthUser> = {
  anonymous: ANONYMOUS_USER,
  member: toAuthUser({ id: '1', permissions: ['shop.view_order', 'shop.add_order'] }),
  staff: toAuthUser({ id: '2', isStaff: true }),
  superuser: toAuthUser({ id: '3', isSuperuser: true }),
}
const ctx = (user: AuthUser, operation: Operation): PermissionContext => ({
  user,
  operation,
  model,
  context: {},
})

/** Which (user, operation) pairs a class allows, as `user:operation` strings. */
async function allowed(c: PermissionClass): Promise<string[]> {
  const out: string[] = []
  for (const [name, user] of Object.entries(users)) {
    for (const operation of OPERATIONS)
      if (await allows(c, ctx(user, operation), operation)) out.push(`${name}:${operation}`)
  }
  return out
}

/** The same pairs computed from the DRF rule each class states. */
function expected(rule: (user: AuthUser, operation: Operation) => boolean): string[] {
  return Object.entries(users).flatMap(([name, user]) =>
    OPERATIONS.filter((op) => rule(user, op)).map((op) => `${name}:${op}`),
  )
}

describe('permission classes (DRF semantics)', () => {
  it('built-ins allow what DRF allows', async () => {
    expect(await allowed(AllowAny)).toEqual(expected(() => true))
    expect(await allowed(IsAuthenticated)).toEqual(expected((u) => u.isAuthenticated))
    expect(await allowed(IsAdminUser)).toEqual(expected((u) => u.isAuthenticated && u.isStaff))
    expect(await allowed(IsAuthenticatedOrReadOnly)).toEqual(
      expected((u, op) => op === 'view' || u.isAuthenticated),
    )
    expect(await allowed(ModelPermissions)).toEqual(
      expected((u, op) => u.isSuperuser || u.permissions.includes(`shop.${op}_order`)),
    )
  })

  it('combine with and / or / not, object checks included', async () => {
    const owner: PermissionClass = { hasObjectPermission: (c, row) => row['userId'] === c.user.id }
    const staffOrOwner = and(IsAuthenticated, or(IsAdminUser, owner))
    expect(await allowed(staffOrOwner)).toEqual(expected((u) => u.isAuthenticated))
    const row = { userId: '1' }
    expect(await allowsObject(staffOrOwner, ctx(users['member']!, 'change'), row)).toBe(true)
    expect(await allowsObject(staffOrOwner, ctx(users['superuser']!, 'change'), row)).toBe(false)
    expect(await allowsObject(staffOrOwner, ctx(users['staff']!, 'change'), row)).toBe(true)
    expect(await allowed(not(IsAuthenticated))).toEqual(expected((u) => !u.isAuthenticated))
    expect(await allowed(or(IsAdminUser, ModelPermissions))).toEqual(
      expected((u, op) => u.isStaff || u.isSuperuser || u.permissions.includes(`shop.${op}_order`)),
    )
  })

  it('resolves names and classes, and names a misspelt one', () => {
    expect(resolvePermissionClass('IsAdminUser', 'x')).toBe(IsAdminUser)
    class Owner {
      hasObjectPermission(): boolean {
        return true
      }
    }
    expect(resolvePermissionClass(Owner, 'x').name).toBe('Owner')
    expect(() => resolvePermissionClass('IsAuthenticatd', 'security.permissionClasses.0')).toThrow(
      'Did you mean `IsAuthenticated`?',
    )
    expect(() => resolvePermissionClass('shop.view_order', 'x')).toThrow(ConfigError)
    expect(() => resolvePermissionClass({ hasPermission: 1 }, 'x')).toThrow(ConfigError)
  })

  it('field permissions need every codename; superusers hold them all', () => {
    const guard = permissionRequired('shop.view_order', 'shop.add_order')
    expect(
      Object.entries(users)
        .filter(([, u]) => guard.allows(u))
        .map(([n]) => n),
    ).toEqual(['member', 'superuser'])
  })
})
