import { ConfigError } from '../errors.js'
import type { AuthenticateFunction, JwtOptions, ResolvedSecurity } from './SecurityOptions.js'
import type { PermissionSpec } from './permissionClasses.js'

/** `security` after zod checked its data keys: the parts zod cannot check (functions, classes). */
export interface SecurityInput {
  authenticationRequired: boolean
  allowAnonymousIntrospection: boolean
  permissionClasses: unknown[]
  appLabel?: unknown
  jwt?: (Omit<JwtOptions, 'mapUser'> & { mapUser?: unknown }) | undefined
  authenticate?: unknown
  anonymous: 'allow' | 'reject'
  invalidToken: 'reject' | 'anonymous'
  introspection: boolean
}

/**
 * Checks the function-valued and class-valued parts of `security` (validated outside zod, as
 * plugins are). Permission class NAMES are resolved when the schema is built, so `doctor` can
 * still load a config with a misspelt one and report it.
 */
export function resolveSecurity(input: SecurityInput, source: string): ResolvedSecurity {
  const fail = (path: string, expected: string): never => {
    throw new ConfigError(`${source}: security.${path}: expected ${expected}.`, { path: `security.${path}` })
  }
  input.permissionClasses.forEach((spec, i) => {
    if (
      typeof spec !== 'string' &&
      typeof spec !== 'function' &&
      (typeof spec !== 'object' || spec === null)
    ) {
      fail(`permissionClasses.${i}`, 'a permission class name or object')
    }
  })
  if (
    input.appLabel !== undefined &&
    typeof input.appLabel !== 'string' &&
    typeof input.appLabel !== 'function'
  ) {
    fail('appLabel', 'a string or a function (modelName) => string')
  }
  if (input.authenticate !== undefined && typeof input.authenticate !== 'function') {
    fail('authenticate', 'a function (request: Request) => user | null')
  }
  if (input.jwt?.mapUser !== undefined && typeof input.jwt.mapUser !== 'function') {
    fail('jwt.mapUser', 'a function (claims) => user fields')
  }
  if (input.jwt) {
    const sources = [input.jwt.secret, input.jwt.publicKey, input.jwt.jwksUrl].filter((s) => s !== undefined)
    if (sources.length !== 1) fail('jwt', 'exactly one of `secret`, `publicKey` or `jwksUrl`')
  }
  return {
    authenticationRequired: input.authenticationRequired,
    allowAnonymousIntrospection: input.allowAnonymousIntrospection,
    permissionClasses: input.permissionClasses as PermissionSpec[],
    ...(input.appLabel !== undefined ? { appLabel: input.appLabel as ResolvedSecurity['appLabel'] } : {}),
    ...(input.jwt !== undefined ? { jwt: input.jwt as JwtOptions } : {}),
    ...(input.authenticate !== undefined ? { authenticate: input.authenticate as AuthenticateFunction } : {}),
    anonymous: input.anonymous,
    invalidToken: input.invalidToken,
    introspection: input.introspection,
  }
}
