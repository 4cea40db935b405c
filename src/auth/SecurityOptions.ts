import type { AuthUser } from './AuthUser.js'
import type { CallerReads } from './callerKey.js'
import type { FieldPermission } from './permissionRequired.js'
import type { Operation, PermissionSpec } from './permissionClasses.js'

/** Signature algorithms a token may use; `none` is never among them. */
export type JwtAlgorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'

/** Where user fields come from in a token's claims: a claim name or a dotted path. */
export interface JwtClaimMapping {
  /** Default `sub`. */
  id?: string
  /** Default `is_staff`. */
  isStaff?: string
  /** Default `is_superuser`. */
  isSuperuser?: string
  /** Default `permissions` (a list of codenames, or a space-separated string). */
  permissions?: string
  /** Default `groups`. */
  groups?: string
}

/**
 * Bearer JWT verification with jose. Give exactly one key: `secret` (HS256), `publicKey` (PEM
 * SPKI or a JWK; RS256 unless `algorithms` says otherwise) or `jwksUrl`. Only `algorithms` are
 * accepted (so `alg: none` and HS/RS confusion fail); expiry is always checked.
 */
export interface JwtOptions {
  secret?: string
  publicKey?: string | Record<string, unknown>
  jwksUrl?: string
  algorithms?: JwtAlgorithm[]
  issuer?: string | string[]
  audience?: string | string[]
  /** Accepted clock skew in seconds (default 0). */
  clockToleranceSeconds?: number
  /** Refuse tokens without `exp` (default true). */
  requireExpiry?: boolean
  /** Claim names of user fields. */
  claims?: JwtClaimMapping
  /** Full control of the mapping; receives the verified payload. */
  mapUser?: (claims: Record<string, unknown>) => Partial<AuthUser> | Promise<Partial<AuthUser>>
}

/** Authenticates a request yourself: a user, or null/undefined for anonymous; throw to refuse. */
export type AuthenticateFunction = (
  request: Request,
) => Partial<AuthUser> | null | undefined | Promise<Partial<AuthUser> | null | undefined>

/** `security` in config (v3, camelCase); every key optional. */
export interface SecurityOptions {
  /** Refuse every operation of anonymous callers with UNAUTHENTICATED (introspection included unless allowed). */
  authenticationRequired?: boolean
  /** With `authenticationRequired`: let anonymous callers introspect (default false). */
  allowAnonymousIntrospection?: boolean
  /** Default permission classes of every model and operation (default `['AllowAny']`). */
  permissionClasses?: PermissionSpec[]
  /** App label of `ModelPermissions` codenames: a string, or per model name (default: the model's name). */
  appLabel?: string | ((modelName: string) => string)
  /** Verify `Authorization: Bearer` JWTs. */
  jwt?: JwtOptions
  /** Or authenticate requests with your own function (runs when `jwt` is absent, or after it found no token). */
  authenticate?: AuthenticateFunction
  /** Requests with no credentials: anonymous (`allow`, default) or UNAUTHENTICATED (`reject`). */
  anonymous?: 'allow' | 'reject'
  /** Requests with bad credentials: UNAUTHENTICATED (`reject`, default) or anonymous (`anonymous`). */
  invalidToken?: 'reject' | 'anonymous'
  /** Schema introspection over HTTP (default: off when NODE_ENV=production). */
  introspection?: boolean
}

/** `security` with defaults filled in. */
export interface ResolvedSecurity {
  authenticationRequired: boolean
  allowAnonymousIntrospection: boolean
  permissionClasses: PermissionSpec[]
  appLabel?: string | ((modelName: string) => string)
  jwt?: JwtOptions
  authenticate?: AuthenticateFunction
  anonymous: 'allow' | 'reject'
  invalidToken: 'reject' | 'anonymous'
  introspection: boolean
}

/**
 * A row policy: the rows of a model this user may reach, as a filter (filter language), or
 * all/none. `context` is the operation's context (a RequestContext under the server: `request`,
 * `clientAddress`, `state`). A policy that takes `context` should say what it reads (`reads`, as
 * permission classes do), else the response cache keeps answers per caller and request headers.
 */
export type RowPolicy = ((
  user: AuthUser,
  context?: unknown,
) => Record<string, unknown> | boolean | null | undefined) & { reads?: CallerReads }

/** Permission classes of one model: per operation, replacing `security.permissionClasses` for it. */
export type ModelPermissionOptions = Partial<Record<Operation, PermissionSpec[]>> & {
  /** App label of this model's codenames (default: `security.appLabel`, else the model's name). */
  appLabel?: string
}

/** The access options a model may carry (part of the model options in config). */
export interface ModelAccessOptions {
  permissions?: ModelPermissionOptions
  rowPolicy?: RowPolicy
  fields?: Record<string, { permission?: FieldPermission }>
}
