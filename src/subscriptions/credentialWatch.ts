import type { AuthUser, Authenticator } from '../auth/index.js'
import { AutoGenError, ErrorCodes } from '../errors.js'

/** Close code of a socket whose caller is no longer allowed (the protocol's Forbidden). */
const CLOSE_FORBIDDEN = 4403

/** Close reason of a socket whose token expired (coded, at most 123 bytes). */
export const TOKEN_EXPIRED_REASON = `${ErrorCodes.UNAUTHENTICATED}: the token has expired`

/** Close reason of a socket whose caller failed a periodic re-authentication. */
export const CREDENTIALS_REVOKED_REASON = `${ErrorCodes.UNAUTHENTICATED}: the credentials are no longer valid`

// setTimeout's largest delay; a token valid for longer is caught at delivery or the next check.
const MAX_TIMER_MS = 2 ** 31 - 1

/** The socket operations a watch needs (graphql-ws's `ws` socket satisfies it). */
export interface WatchedSocket {
  close(code: number, reason: string): void
  once(event: 'close', listener: () => void): unknown
}

/** What a socket's caller holds: a token expiry, and whether it has been refused since. */
export interface CredentialWatch {
  /** True once the token expired or a re-authentication refused it; the socket is closing. */
  refused(): boolean
}

/** When the caller's JWT expires (epoch ms), from its verified `exp` claim; undefined without one. */
export function expiryOf(user: AuthUser): number | undefined {
  const exp = user.claims?.['exp']
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined
}

/**
 * The error an event meets once the caller's token has expired (checked at each delivery, on
 * every transport), or undefined while it is valid or the caller has no token.
 */
export function tokenExpiredRefusal(user: AuthUser): () => AutoGenError | undefined {
  const expiresAt = expiryOf(user)
  return () =>
    expiresAt !== undefined && Date.now() >= expiresAt
      ? new AutoGenError(ErrorCodes.UNAUTHENTICATED, 'The token has expired.')
      : undefined
}

/**
 * Watches a socket's caller after `connection_init`: at the token's expiry, and whenever a
 * periodic re-authentication (every `reauthenticateIntervalMs`, when above 0) no longer
 * accepts the same user, the socket closes with 4403 and a coded reason. `refused()` lets event
 * delivery re-check at each event, so no event leaves after expiry even when a timer runs late.
 */
export function watchCredentials(options: {
  socket: WatchedSocket
  user: AuthUser
  request: Request | undefined
  authenticate: Authenticator
  reauthenticateIntervalMs: number
}): CredentialWatch {
  const { socket, user } = options
  const expiresAt = expiryOf(user)
  let refusedWith: string | undefined
  const refuse = (reason: string): void => {
    if (refusedWith !== undefined) return
    refusedWith = reason
    stop()
    socket.close(CLOSE_FORBIDDEN, reason)
  }
  const expired = (): boolean => expiresAt !== undefined && Date.now() >= expiresAt
  const untilExpiry = expiresAt === undefined ? undefined : expiresAt - Date.now()
  const expiry =
    untilExpiry !== undefined && untilExpiry <= MAX_TIMER_MS
      ? setTimeout(() => refuse(TOKEN_EXPIRED_REASON), Math.max(0, untilExpiry))
      : undefined
  const recheck = async (): Promise<void> => {
    try {
      const now = await options.authenticate(options.request)
      if (now.id !== user.id || now.isAuthenticated !== user.isAuthenticated)
        refuse(CREDENTIALS_REVOKED_REASON)
    } catch (error) {
      refuse(error instanceof AutoGenError && expired() ? TOKEN_EXPIRED_REASON : CREDENTIALS_REVOKED_REASON)
    }
  }
  const interval =
    options.reauthenticateIntervalMs > 0
      ? setInterval(() => void recheck(), options.reauthenticateIntervalMs)
      : undefined
  function stop(): void {
    clearTimeout(expiry)
    clearInterval(interval)
  }
  socket.once('close', stop)
  return {
    refused() {
      if (refusedWith === undefined && expired()) refuse(TOKEN_EXPIRED_REASON)
      return refusedWith !== undefined
    },
  }
}
