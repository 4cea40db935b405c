import type { Plugin as YogaPlugin } from 'graphql-yoga'
import { AutoGenError, ErrorCodes } from '../errors.js'

/** Content types a browser may POST cross-site without a CORS preflight (HTML forms, `fetch` no-cors). */
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
])

/** Headers no HTML form can send, so a multipart request carrying one went through a CORS preflight. */
export const PREFLIGHT_HEADERS = [
  'graphql-require-preflight',
  'apollo-require-preflight',
  'x-apollo-operation-name',
]

/**
 * CSRF prevention: POSTs with a simple content type are refused before they are parsed (HTTP 415,
 * BAD_REQUEST), since a page on another site can make a browser send them with the user's
 * cookies. With `allowUploads`, multipart requests (file uploads) pass when they carry one of
 * {@link PREFLIGHT_HEADERS}. GET never runs a mutation (graphql-yoga answers 405 itself).
 */
export function csrfPrevention(options: { allowUploads: boolean }): YogaPlugin<Record<string, unknown>> {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return
      const type = mediaType(request.headers.get('content-type'))
      if (type === undefined || !SIMPLE_CONTENT_TYPES.has(type)) return
      if (type === 'multipart/form-data' && options.allowUploads) {
        if (PREFLIGHT_HEADERS.some((name) => request.headers.has(name))) return
        throw refused(
          'Multipart requests (uploads) must carry a `GraphQL-Require-Preflight` header, so a cross-site form cannot send them.',
          400,
        )
      }
      throw refused(
        `POST requests with content type \`${type}\` are refused (cross-site request forgery protection); send \`application/json\`.`,
        415,
      )
    },
  }
}

/** The MIME essence of a Content-Type (lower case, parameters dropped), as browsers and yoga read it. */
function mediaType(header: string | null): string | undefined {
  // yoga reads only the first of several comma-separated types; so must the check.
  const essence = header?.split(',')[0]?.split(';')[0]?.trim().toLowerCase()
  return essence || undefined
}

function refused(message: string, status: number): AutoGenError {
  return new AutoGenError(ErrorCodes.BAD_REQUEST, message, { http: { status } })
}
