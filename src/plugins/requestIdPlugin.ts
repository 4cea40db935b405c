import { randomUUID } from 'node:crypto'
import { definePlugin } from './Plugin.js'
import type { Plugin } from './Plugin.js'

/** Accepts a caller's `x-request-id` only when it is short and plain, so logs cannot be forged. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Built-in: gives each operation the caller's `x-request-id` or a fresh id, through the request hook. */
export const requestIdPlugin: Plugin = definePlugin({
  name: 'graphql-auto-gen:request-id',
  request(context) {
    context.requestId = requestIdFor(context.request)
  },
})

/** The caller's `x-request-id` when it is safe to log, else a fresh id. */
export function requestIdFor(request: Request | undefined): string {
  const given = request?.headers.get('x-request-id')
  return given && SAFE_REQUEST_ID.test(given) ? given : randomUUID()
}
