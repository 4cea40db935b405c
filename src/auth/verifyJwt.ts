import { createRemoteJWKSet, importJWK, importSPKI, jwtVerify } from 'jose'
import type { JWTPayload, JWTVerifyGetKey } from 'jose'
import { ConfigError } from '../errors.js'
import { toAuthUser } from './AuthUser.js'
import type { AuthUser } from './AuthUser.js'
import { unauthenticated } from './authErrors.js'
import type { JwtAlgorithm, JwtOptions } from './SecurityOptions.js'

/** Verifies one compact JWT and maps its claims to a user; refusals are UNAUTHENTICATED. */
export type JwtVerifier = (token: string) => Promise<AuthUser>

/**
 * Makes a verifier for `options`. The key is imported once (lazily, on first use; a JWKS is
 * fetched and cached by jose). Only the allow-listed algorithms pass, so `alg: none` and
 * HS256 tokens signed with an RSA public key fail; `exp` is required unless told otherwise.
 */
export function createJwtVerifier(options: JwtOptions): JwtVerifier {
  const sources = [options.secret, options.publicKey, options.jwksUrl].filter((s) => s !== undefined)
  if (sources.length !== 1) {
    throw new ConfigError('security.jwt: give exactly one of `secret`, `publicKey` or `jwksUrl`.')
  }
  const algorithms = options.algorithms ?? defaultAlgorithms(options)
  if (options.secret !== undefined && algorithms.some((a) => !a.startsWith('HS'))) {
    throw new ConfigError('security.jwt.algorithms: a `secret` only verifies HS256/HS384/HS512 tokens.')
  }
  if (options.secret === undefined && algorithms.some((a) => a.startsWith('HS'))) {
    throw new ConfigError(
      'security.jwt.algorithms: HS* algorithms need a `secret`; a public key never verifies them.',
    )
  }
  const key = keyResolver(options, algorithms)
  const verifyOptions = {
    algorithms,
    ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
    clockTolerance: options.clockToleranceSeconds ?? 0,
    requiredClaims: options.requireExpiry === false ? [] : ['exp'],
  }
  return async (token) => {
    let payload: JWTPayload
    try {
      const verified = await jwtVerify(token, key, verifyOptions)
      payload = verified.payload
    } catch (error) {
      throw unauthenticated(`Invalid token: ${reasonOf(error)}.`, true)
    }
    const mapped = options.mapUser ? await options.mapUser(payload) : mapClaims(payload, options)
    const user = toAuthUser({ ...mapped, claims: payload })
    if (user.id === null) throw unauthenticated('Invalid token: it names no user.', true)
    return user
  }
}

function defaultAlgorithms(options: JwtOptions): JwtAlgorithm[] {
  if (options.secret !== undefined) return ['HS256']
  if (options.jwksUrl !== undefined) return ['RS256', 'ES256']
  const jwk = options.publicKey
  if (typeof jwk === 'object' && typeof jwk['alg'] === 'string') return [jwk['alg'] as JwtAlgorithm]
  if (typeof jwk === 'object' && jwk['kty'] === 'EC') return ['ES256']
  return ['RS256']
}

function keyResolver(options: JwtOptions, algorithms: JwtAlgorithm[]): Uint8Array | JWTVerifyGetKey {
  if (options.secret !== undefined) return new TextEncoder().encode(options.secret)
  if (options.jwksUrl !== undefined) return createRemoteJWKSet(new URL(options.jwksUrl))
  const publicKey = options.publicKey!
  // One imported key per algorithm (jose binds a key to its algorithm), made on first use.
  const keys = new Map<string, Promise<CryptoKey | Uint8Array>>()
  const importFor = (alg: string): Promise<CryptoKey | Uint8Array> =>
    typeof publicKey === 'string' ? importSPKI(publicKey, alg) : importJWK(publicKey, alg)
  return async (header) => {
    const alg = header.alg
    if (alg === undefined || !(algorithms as string[]).includes(alg)) throw new Error('algorithm not allowed')
    let key = keys.get(alg)
    if (!key) keys.set(alg, (key = importFor(alg)))
    return key
  }
}

function mapClaims(payload: JWTPayload, options: JwtOptions): Partial<AuthUser> {
  const claims = options.claims ?? {}
  const read = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (value, part) =>
          typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined,
        payload,
      )
  const id = read(claims.id ?? 'sub')
  return {
    id: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    isStaff: read(claims.isStaff ?? 'is_staff') === true,
    isSuperuser: read(claims.isSuperuser ?? 'is_superuser') === true,
    permissions: stringList(read(claims.permissions ?? 'permissions')),
    groups: stringList(read(claims.groups ?? 'groups')),
  }
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((s) => s !== '')
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** A short, client-safe reason (jose's codes); the token itself is never echoed. */
function reasonOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'it has expired'
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as { claim?: unknown }).claim
      return typeof claim === 'string' ? `the \`${claim}\` claim is not accepted` : 'a claim is not accepted'
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'its algorithm is not accepted'
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the signature does not verify'
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no key matches it'
    default:
      return 'it cannot be verified'
  }
}
