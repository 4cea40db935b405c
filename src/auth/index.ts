// auth/: authentication (Bearer JWT via jose, or your own function), DRF permission classes,
// row policies (filters the compiler ANDs into every read) and field permissions.
export { ANONYMOUS_USER, hasPerm, toAuthUser, userOf } from './AuthUser.js'
export type { AuthUser } from './AuthUser.js'
export { forbidden, unauthenticated } from './authErrors.js'
export {
  AllowAny,
  and,
  BUILT_IN_PERMISSION_CLASSES,
  codenameOf,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  ModelPermissions,
  not,
  OPERATIONS,
  or,
  resolvePermissionClass,
} from './permissionClasses.js'
export type {
  Operation,
  PermissionClass,
  PermissionContext,
  PermissionModel,
  PermissionSpec,
} from './permissionClasses.js'
export { isFieldPermission, permissionRequired } from './permissionRequired.js'
export type { FieldPermission } from './permissionRequired.js'
export type {
  AuthenticateFunction,
  JwtAlgorithm,
  JwtClaimMapping,
  JwtOptions,
  ModelAccessOptions,
  ModelPermissionOptions,
  ResolvedSecurity,
  RowPolicy,
  SecurityOptions,
} from './SecurityOptions.js'
export { createJwtVerifier } from './verifyJwt.js'
export type { JwtVerifier } from './verifyJwt.js'
export { createAuthenticator } from './authenticator.js'
export type { Authenticator } from './authenticator.js'
export { accessReads, buildAccessRules, requestAccess, settledAccess } from './accessRules.js'
export { callerKey, widerReads } from './callerKey.js'
export type { CallerContext, CallerKeyOptions, CallerReads } from './callerKey.js'
export type { AccessModel, AccessRules, RequestAccess } from './accessRules.js'
export { authPlugin } from './authPlugin.js'
export { resolveSecurity } from './resolveSecurity.js'
