// Test helper (never part of the build): a server on a free port and a POST helper that reports
// status, headers, body and the SQL statements the request ran.
import type { GraphQLSchema } from 'graphql'
import { countStatements } from '../database/index.js'
import type { Database } from '../database/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'

/** What one HTTP request returned, and how many SQL statements it ran. */
export interface Posted {
  status: number
  headers: Headers
  body: {
    data?: Record<string, unknown> | null
    errors?: Array<{ message: string; extensions: Record<string, unknown> }>
    extensions?: Record<string, unknown>
  }
  statements: number
  elapsedMs: number
}

/** A listening server and a POST helper counting statements on `database`. */
export interface TestServer {
  server: AutoGenServer
  url: string
  post(body: unknown, init?: RequestInit): Promise<Posted>
}

/** Starts `createServer` on a free port. */
export async function startTestServer(schema: GraphQLSchema, database: Database): Promise<TestServer> {
  const server = createServer({ schema })
  const url = await server.listen(0, '127.0.0.1')
  return {
    server,
    url,
    async post(body, init = {}) {
      const started = performance.now()
      const { result, count } = await countStatements(database, async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: typeof body === 'string' || body instanceof ReadableStream ? body : JSON.stringify(body),
          ...init,
        } as RequestInit)
        return { status: response.status, headers: response.headers, text: await response.text() }
      })
      return {
        status: result.status,
        headers: result.headers,
        body: JSON.parse(result.text) as Posted['body'],
        statements: count,
        elapsedMs: performance.now() - started,
      }
    },
  }
}

/** The first error's code. */
export function codeOf(posted: Posted): unknown {
  return posted.body.errors?.[0]?.extensions['code']
}
