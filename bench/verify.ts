// Before anything is timed: every server must answer every query without errors and with the same
// data as the hand-written server, and we count the statements each request sends.
import { isDeepStrictEqual } from 'node:util'
import { atPath, canonical } from './queries.js'
import type { BenchQuery, ServerName, SetupContext } from './queries.js'
import type { LoadRequest } from './load.js'
import type { StatementProxy } from './statementProxy.js'

/** Requests per query used to count statements (averaged, so a rare extra statement shows). */
const COUNT_REQUESTS = 5

/** Builds the HTTP request one server sends for one query (variables resolved through `setup`). */
export async function buildRequest(
  query: BenchQuery,
  server: ServerName,
  baseUrl: string,
  setup: SetupContext,
): Promise<LoadRequest | undefined> {
  const plan = query.plans[server]
  if (plan === undefined) return undefined
  const variables = plan.variables === undefined ? {} : await plan.variables(setup)
  if (server === 'handwritten') return { url: `${baseUrl}/${plan.document}`, body: JSON.stringify(variables) }
  return { url: baseUrl, body: JSON.stringify({ query: plan.document, variables }) }
}

/** POSTs a request and returns `data`, throwing on HTTP or GraphQL errors. */
export async function send(request: LoadRequest): Promise<unknown> {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: request.body,
  })
  const json = (await response.json()) as { data?: unknown; errors?: unknown }
  if (!response.ok || json.errors !== undefined) {
    throw new Error(`HTTP ${response.status}: ${JSON.stringify(json.errors ?? json).slice(0, 800)}`)
  }
  return json.data
}

/** One query's verdict for one server. */
export interface Verification {
  /** Statements per request, from the counting proxy. */
  statements: number
  /** Rows (or list items) in the compared value, to show the check compared something. */
  size: number
}

/**
 * Runs `request` on `server`, compares its canonical answer with `expected` (the hand-written
 * server's), and counts statements per request through `proxy`. Throws with a diff on mismatch.
 */
export async function verify(
  query: BenchQuery,
  server: ServerName,
  request: LoadRequest,
  proxy: StatementProxy,
  expected: unknown,
  afterBatch?: () => Promise<void>,
): Promise<{ verification: Verification; answer: unknown }> {
  const plan = query.plans[server]
  if (plan === undefined) throw new Error(`${server} has no plan for ${query.id}`)
  const value = atPath(await send(request), plan.path)
  const answer = canonical(plan.transform === undefined ? value : plan.transform(value))
  if (answer === undefined || answer === null) throw new Error(`${server} ${query.id}: empty answer`)
  if (expected !== undefined && !isDeepStrictEqual(answer, expected)) {
    throw new Error(
      `${server} ${query.id}: answer differs from the hand-written server's.\n expected ${JSON.stringify(expected).slice(0, 600)}\n actual   ${JSON.stringify(answer).slice(0, 600)}\n first difference at ${firstDifference(expected, answer)}`,
    )
  }
  proxy.reset()
  for (let i = 0; i < COUNT_REQUESTS; i++) await send(request)
  const statements = proxy.count() / COUNT_REQUESTS
  await afterBatch?.()
  const size = Array.isArray(answer)
    ? answer.length
    : Array.isArray((answer as { nodes?: unknown }).nodes)
      ? (answer as { nodes: unknown[] }).nodes.length
      : 1
  return { verification: { statements, size }, answer }
}

function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (isDeepStrictEqual(a, b)) return '(none)'
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const key of keys) {
      const left = (a as Record<string, unknown>)[key]
      const right = (b as Record<string, unknown>)[key]
      if (!isDeepStrictEqual(left, right)) return firstDifference(left, right, `${path}.${key}`)
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`
}
