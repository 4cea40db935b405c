import { AutoGenError } from '../errors.js'
import { ANONYMOUS_USER, toAuthUser } from './AuthUser.js'
import type { AuthUser } from './AuthUser.js'
import { unauthenticated } from './authErrors.js'
import type { ResolvedSecurity } from './SecurityOptions.js'
import { createJwtVerifier } from './verifyJwt.js'

/**
 * Finds the caller of a request: a user, anonymous, or an UNAUTHENTICATED error (thrown, or the
 * promise's rejection). Synchronous when nothing is verified (no credentials to check).
 */
export type Authenticator = (request: Request | undefined) => AuthUser | Promise<AuthUser>

/**
 * The authenticator `security` describes. A `Bearer` token is verified with `security.jwt`;
 * without `jwt` (or without a token) `security.authenticate` is asked. No credentials →
 * anonymous unless `anonymous: 'reject'`; bad credentials → UNAUTHENTICATED unless
 * `invalidToken: 'anonymous'`. Anything an `authenticate` function throws that is not a
 * catalogue error counts as bad credentials (its text is never shown).
 */
export function createAuthenticator(security: ResolvedSecurity): Authenticator {
  const verify = security.jwt ? createJwtVerifier(security.jwt) : undefined
  const { authenticate } = security
  const refuse = (error: AutoGenError): AuthUser => {
    if (security.invalidToken === 'anonymous') return ANONYMOUS_USER
    throw error
  }
  const verified = async (header: string): Promise<AuthUser> => {
    const match = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i.exec(header)
    if (!match)
      return refuse(unauthenticated('Invalid Authorization header: expected `Bearer <token>`.', true))
    try {
      return await verify!(match[1]!)
    } catch (error) {
      if (error instanceof AutoGenError) return refuse(error)
      throw error
    }
  }
  const asked = async (request: Request): Promise<AuthUser> => {
    if (authenticate) {
      let found
      try {
        found = await authenticate(request)
      } catch (error) {
        if (error instanceof AutoGenError) return refuse(error)
        return refuse(unauthenticated('Invalid credentials.', true))
      }
      if (found !== null && found !== undefined) {
        const user = toAuthUser({ isAuthenticated: true, ...found })
        if (user.isAuthenticated) return user
      }
    }
    return anonymous(security)
  }
  return (request) => {
    if (!request) return anonymous(security)
    const header = request.headers.get('authorization')
    if (verify && header !== null) return verified(header)
    return authenticate ? asked(request) : anonymous(security)
  }
}

function anonymous(security: ResolvedSecurity): AuthUser {
  if (security.anonymous === 'reject')
    throw unauthenticated('Authentication credentials were not provided.', true)
  return ANONYMOUS_USER
}
