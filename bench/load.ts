// One autocannon measurement of one server on one query.
import autocannon from 'autocannon'

/** An HTTP request to replay. */
export interface LoadRequest {
  url: string
  body: string
  /** Bodies sent in turn instead of `body` (e.g. one user id per request, see cpuPerRequest's --distinct). */
  bodies?: readonly string[]
}

/** What one measurement reports. */
export interface LoadResult {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  requests: number
  /** Non-2xx answers and socket errors (timeouts included): any of them invalidates the measurement. */
  failures: number
  /** PostgreSQL's execution time per completed request (pg_stat_statements), when measured. */
  databaseMsPerRequest?: number
}

/** Replays `request` with `connections` concurrent connections for `seconds`. */
export async function measure(
  request: LoadRequest,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: request.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: request.body,
    ...(request.bodies ? { requests: [{ setupRequest: nextBody(request.bodies) }] } : {}),
    connections,
    duration: seconds,
    // autocannon's default (10 s) counts a slow Q6 under load as an error; a minute is a failure.
    timeout: 60,
  })
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    // `errors` already includes timeouts.
    failures: result.non2xx + result.errors,
  }
}

/** An autocannon `setupRequest` that gives each request the next body of `bodies`, round the list. */
function nextBody(bodies: readonly string[]): (request: autocannon.Request) => autocannon.Request {
  let next = 0
  return (request) => ({ ...request, body: bodies[next++ % bodies.length]! })
}

/**
 * The request with its `id` variable (a user id, as a number or a global id) replaced by
 * `count` different users' ids in turn; unchanged when it has no such variable or count is 1.
 */
export function withDistinctIds(request: LoadRequest, count: number): LoadRequest {
  const body = JSON.parse(request.body) as { id?: unknown; variables?: { id?: unknown } }
  const variables = body.variables ?? body
  if (count <= 1 || variables.id === undefined) return request
  const bodies = Array.from({ length: count }, (_, i) => {
    const userId = 1 + ((i * 7919) % 10_000)
    variables.id =
      typeof variables.id === 'number' ? userId : Buffer.from(`User:${userId}`).toString('base64')
    return JSON.stringify(body)
  })
  return { ...request, bodies }
}
