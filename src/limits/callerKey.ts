import type { RequestContext } from '../plugins/index.js'

/**
 * Whose budget a request spends: the authenticated user when the context names one
 * (`context.userId`, `context.state.userId`, or the auth stage's `context.user`), else the client IP —
 * the socket's address, or the first `X-Forwarded-For` entry when `trustProxy` is on.
 */
export function callerKey(context: RequestContext, trustProxy: boolean): string {
  const userId =
    (context as { userId?: unknown }).userId ??
    context.state['userId'] ??
    (context.user?.isAuthenticated ? context.user.id : undefined)
  if (typeof userId === 'string' || typeof userId === 'number') return `user:${userId}`
  if (trustProxy) {
    const forwarded = context.request?.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return `ip:${forwarded}`
  }
  return `ip:${context.clientAddress ?? 'unknown'}`
}
