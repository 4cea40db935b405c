// The one "who is calling" key: identity for budgets, and what access rules read for cache scopes.
import { describe, expect, it } from 'vitest'
import {
  accessReads,
  AllowAny,
  and,
  ANONYMOUS_USER,
  buildAccessRules,
  callerKey,
  IsAuthenticated,
  not,
  or,
  toAuthUser,
  widerReads,
} from './index.js'
import type { AuthUser, CallerContext, PermissionClass, RowPolicy } from './index.js'

const request = (headers: Record<string, string>) => new Request('http://localhost/graphql', { headers })
const caller = (user: AuthUser, more: Partial<CallerContext> = {}): CallerContext => ({
  user,
  clientAddress: '10.0.0.1',
  state: {},
  ...more,
})

describe('callerKey by identity (rate limits, replica routing)', () => {
  it('is the authenticated user, else the client address', () => {
    expect(callerKey(caller(toAuthUser({ id: '7' })))).toBe('user:7')
    expect(callerKey(caller(ANONYMOUS_USER))).toBe('ip:10.0.0.1')
    expect(callerKey({})).toBe('ip:unknown')
  })

  it('takes an id a plugin put on the context, before the auth stage user', () => {
    expect(callerKey(caller(toAuthUser({ id: '7' }), { userId: 9 }))).toBe('user:9')
    expect(callerKey(caller(ANONYMOUS_USER, { state: { userId: 'k' } }))).toBe('user:k')
  })

  it('reads X-Forwarded-For only behind a trusted proxy', () => {
    const context = caller(ANONYMOUS_USER, { request: request({ 'x-forwarded-for': '1.2.3.4, 10.0.0.9' }) })
    expect(callerKey(context)).toBe('ip:10.0.0.1')
    expect(callerKey(context, { trustProxy: true })).toBe('ip:1.2.3.4')
  })
})

describe('callerKey by what access rules read (cache scopes)', () => {
  it('by user: separates anonymous callers, users, and one user with other permissions', () => {
    const scopes = [
      ANONYMOUS_USER,
      toAuthUser({ id: '1' }),
      toAuthUser({ id: '2' }),
      toAuthUser({ id: '1', permissions: ['shop.view_order'] }),
      toAuthUser({ id: '1', isStaff: true }),
      toAuthUser({ id: '1', claims: { tenant: 'a' } }),
    ].map((user) => callerKey(caller(user), { by: 'user' }))
    expect(new Set(scopes).size).toBe(scopes.length)
  })

  it('by user: ignores token timing claims, permission order, addresses and headers', () => {
    const a = toAuthUser({ id: '1', permissions: ['a', 'b'], claims: { sub: '1', iat: 1, exp: 2 } })
    const b = toAuthUser({ id: '1', permissions: ['b', 'a'], claims: { sub: '1', iat: 5, exp: 9 } })
    expect(callerKey(caller(a), { by: 'user' })).toBe(
      callerKey(caller(b, { clientAddress: '10.9.9.9', request: request({ 'x-tenant': 'b' }) }), {
        by: 'user',
      }),
    )
    // Anonymous callers share one scope.
    expect(callerKey(caller(ANONYMOUS_USER), { by: 'user' })).toBe(
      callerKey(caller(ANONYMOUS_USER, { clientAddress: '10.9.9.9' }), { by: 'user' }),
    )
  })

  it('by headers: the declared headers and nothing else', () => {
    const key = (headers: Record<string, string>, address = '10.0.0.1') =>
      callerKey(caller(ANONYMOUS_USER, { clientAddress: address, request: request(headers) }), {
        by: { headers: ['X-Tenant'] },
      })
    expect(key({ 'x-tenant': 'a' })).not.toBe(key({ 'x-tenant': 'b' }))
    expect(key({ 'x-tenant': 'a' })).not.toBe(key({}))
    expect(key({ 'x-tenant': 'a', 'user-agent': 'one' }, '10.9.9.9')).toBe(key({ 'x-tenant': 'a' }))
  })

  it('by request: every header and the address', () => {
    const key = (headers: Record<string, string>, address = '10.0.0.1') =>
      callerKey(caller(ANONYMOUS_USER, { clientAddress: address, request: request(headers) }), {
        by: 'request',
      })
    expect(key({ 'x-a': '1' })).toBe(key({ 'x-a': '1' }))
    expect(key({ 'x-a': '1' })).not.toBe(key({ 'x-a': '2' }))
    expect(key({ 'x-a': '1' })).not.toBe(key({ 'x-a': '1' }, '10.9.9.9'))
  })

  it('widerReads: request wins, headers add up', () => {
    expect(widerReads('user', 'user')).toBe('user')
    expect(widerReads('user', { headers: ['A'] })).toEqual({ headers: ['A'] })
    expect(widerReads({ headers: ['b'] }, { headers: ['A', 'b'] })).toEqual({ headers: ['a', 'b'] })
    expect(widerReads({ headers: ['a'] }, 'request')).toBe('request')
  })
})

describe('accessReads', () => {
  const model = (options: Parameters<typeof buildAccessRules>[1][number]['options']) => [
    { name: 'orders', typeName: 'Order', options },
  ]
  const readsOf = (classes: PermissionClass[], options: Parameters<typeof model>[0] = {}) =>
    accessReads(
      buildAccessRules(
        {
          authenticationRequired: false,
          allowAnonymousIntrospection: false,
          permissionClasses: classes,
          anonymous: 'allow',
          invalidToken: 'reject',
          introspection: true,
        },
        model(options),
      ),
    )
  const headerClass: PermissionClass = {
    reads: { headers: ['x-tenant'] },
    hasPermission: (ctx) => (ctx.context as CallerContext).request?.headers.get('x-tenant') === 'a',
  }

  it('built-in classes and their combinations read only the user', () => {
    expect(readsOf([AllowAny])).toBe('user')
    expect(readsOf([and(IsAuthenticated, not('IsAdminUser')), or('ModelPermissions', AllowAny)])).toBe('user')
  })

  it('a class of your own reads the whole request unless it says what it reads', () => {
    expect(readsOf([{ hasPermission: () => true }])).toBe('request')
    expect(readsOf([{ reads: 'user', hasPermission: () => true }])).toBe('user')
    // A misspelt declaration is no declaration.
    expect(readsOf([{ reads: 'users' as 'user', hasPermission: () => true }])).toBe('request')
    expect(readsOf([{ reads: { headers: 'x-a' } as never, hasPermission: () => true }])).toBe('request')
    expect(readsOf([AllowAny, headerClass])).toEqual({ headers: ['x-tenant'] })
    expect(readsOf([or(IsAuthenticated, headerClass)])).toEqual({ headers: ['x-tenant'] })
  })

  it('a row policy of one parameter reads the user; one taking the context, the request unless declared', () => {
    const byUser: RowPolicy = (user) => (user.id === null ? false : true)
    const byContext: RowPolicy = (_user, context) => ({ status: { exact: String(context) } })
    const declared: RowPolicy = Object.assign(byContext.bind(null), { reads: { headers: ['x-tenant'] } })
    expect(readsOf([AllowAny], { rowPolicy: byUser })).toBe('user')
    expect(readsOf([AllowAny], { rowPolicy: byContext })).toBe('request')
    expect(readsOf([AllowAny], { rowPolicy: declared })).toEqual({ headers: ['x-tenant'] })
  })
})
