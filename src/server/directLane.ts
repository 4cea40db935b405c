import { performance } from 'node:perf_hooks'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DocumentNode, GraphQLSchema } from 'graphql'
import { LruCache } from '../lruCache.js'
import { runRequestHooks } from '../plugins/index.js'
import type { LaneOperation, OperationLane, RequestContext, ResolvedPlugin } from '../plugins/index.js'
import { fastRead } from '../schema/index.js'
import type { Database } from '../database/index.js'
import { FAST_PATH_STATE } from './fastPathPlugin.js'

/** Key in `context.state` set to true when the direct lane answered the operation (tests, debugging). */
export const DIRECT_LANE_STATE = 'graphql-auto-gen:directLane'

/** The request context the lane builds: what graphql-yoga's would hold, with Node's request and response. */
export interface LaneContext extends RequestContext {
  req: IncomingMessage
  res: ServerResponse
}

/** What the direct lane needs from its server. */
export interface DirectLaneOptions {
  schema: GraphQLSchema
  database: Database
  graphqlPath: string
  /** Bodies above this go to graphql-yoga, which enforces `limits.maxRequestBytes` itself. */
  maxBodyBytes: number
  /** The schema's plugins, resolved and ordered: their request hooks build each context. */
  plugins: readonly ResolvedPlugin[]
  /** Every server extension's lane, in plugin order. */
  lanes: readonly OperationLane[]
  /** The fetch API graphql-yoga runs on, for `context.request`. */
  fetchAPI: { Request: typeof Request }
  /** Serves the request on graphql-yoga with the body already read and, once built, the lane's context. */
  handOff(req: IncomingMessage, res: ServerResponse, body: Buffer, context?: LaneContext): void
}

/** The server's direct lane (see {@link createDirectLane}). */
export interface DirectLane {
  /** Records that graphql-yoga answered `operationName` of `source` on the fast path. */
  remember(source: string, document: DocumentNode, operationName: string | null | undefined): void
  /** Takes the request (true) when it may be a lane request; false leaves it untouched for graphql-yoga. */
  take(req: IncomingMessage, res: ServerResponse): boolean
}

/** Documents the lane knows, and the operations of each the fast path answered. */
interface KnownDocument {
  document: DocumentNode
  operations: Set<string>
}

/** Most documents the lane remembers (each was parsed and validated by graphql-yoga once). */
const MAX_DOCUMENTS = 1000
/** Longest document text remembered (bounds the memory of the remembered documents to ~16 MB). */
const MAX_REMEMBERED_SOURCE = 16 * 1024
/** Larger bodies are rarely repeat queries; graphql-yoga serves them. */
const MAX_LANE_BODY = 64 * 1024
const PARAM_KEYS = new Set(['query', 'variables', 'operationName', 'extensions'])

/**
 * The direct lane: a repeat JSON POST of a query that graphql-yoga already parsed, validated and
 * answered on the fast path is answered straight on node:http — the same request hooks, the same
 * admission (auth, cost, rate limit) and the same fast read, then one `res.end` of the database's
 * JSON — without the fetch-API adaptation and envelop's hook chain, which cost more than the SQL
 * on small answers. Anything else, and anything the lane cannot answer identically (a refusal, a
 * fallback of the fast path, a batch, an unknown document, a content type or `Accept` that asks
 * for another response format), is handed to graphql-yoga; after admission it carries the lane's
 * context so nothing is charged or hooked twice.
 */
export function createDirectLane(options: DirectLaneOptions): DirectLane {
  const documents = new LruCache<string, KnownDocument>(MAX_DOCUMENTS)
  const maxBody = Math.min(options.maxBodyBytes, MAX_LANE_BODY)
  return {
    remember(source, document, operationName) {
      if (source.length > MAX_REMEMBERED_SOURCE) return
      let known = documents.get(source)
      if (!known || known.document !== document)
        documents.set(source, (known = { document, operations: new Set() }))
      known.operations.add(operationName ?? '')
    },
    take(req, res) {
      if (!isLaneRequest(req, options.graphqlPath, maxBody)) return false
      const chunks: Buffer[] = []
      // A client that goes away mid-body: nothing to answer (and no unhandled 'error' event).
      req.on('error', () => undefined)
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
        // A hook that threw unexpectedly: graphql-yoga answers the request from the start (its
        // hooks may then run a second time, which only this error path allows).
        answer(options, documents, req, res, body).catch(() => {
          if (!res.headersSent) options.handOff(req, res, body)
        })
      })
      return true
    },
  }
}

/**
 * Whether the headers allow the lane: a POST to the GraphQL path (no query string) with a JSON
 * body of known, small length, no content encoding, and an `Accept` graphql-yoga answers with
 * `application/json`.
 */
function isLaneRequest(req: IncomingMessage, path: string, maxBody: number): boolean {
  if (req.method !== 'POST' || req.url !== path) return false
  const { headers } = req
  const type = headers['content-type']
  if (type !== 'application/json' && type?.toLowerCase() !== 'application/json; charset=utf-8') return false
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) return false
  // CORS asks of a preflight are answered by graphql-yoga's CORS handling.
  if (headers['access-control-request-method'] !== undefined) return false
  if (headers['access-control-request-headers'] !== undefined) return false
  const length = Number(headers['content-length'])
  if (!Number.isInteger(length) || length <= 0 || length > maxBody) return false
  const accept = headers.accept
  return (
    accept === undefined ||
    accept === '*/*' ||
    accept === 'application/json' ||
    accept.startsWith('application/json,')
  )
}

async function answer(
  options: DirectLaneOptions,
  documents: LruCache<string, KnownDocument>,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): Promise<void> {
  const start = performance.now()
  const text = body.toString('utf8')
  const params = laneParams(text)
  const known = params && documents.get(params.query)
  if (!params || !known || !known.operations.has(params.operationName ?? ''))
    return options.handOff(req, res, body)
  const context: LaneContext = {
    req,
    res,
    requestId: '',
    database: options.database,
    request: new options.fetchAPI.Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? ''}`, {
      method: 'POST',
      headers: req.headers as Record<string, string>,
      body: text,
    }),
    state: {},
  }
  try {
    await runRequestHooks(options.plugins, context)
  } catch {
    // graphql-yoga runs the hooks again and answers their error (401 for bad credentials).
    return options.handOff(req, res, body)
  }
  const operation: LaneOperation = {
    args: {
      schema: options.schema,
      document: known.document,
      operationName: params.operationName,
      variableValues: params.variables,
      contextValue: context,
    },
    context,
    start,
    headers: {},
    extensions: {},
  }
  for (const lane of options.lanes) {
    if (lane.admit && !(await lane.admit(operation))) return options.handOff(req, res, body, context)
  }
  const outcome = await fastRead(operation.args)
  if ('fallback' in outcome) {
    context.state[FAST_PATH_STATE] = outcome.fallback
    return options.handOff(req, res, body, context)
  }
  context.state[FAST_PATH_STATE] = 'fast'
  context.state[DIRECT_LANE_STATE] = true
  operation.dataText = outcome.data
  for (const lane of options.lanes) lane.answered?.(operation)
  send(req, res, operation)
}

/** The request's GraphQL parameters when they are one plain operation, else undefined. */
function laneParams(
  body: string,
): { query: string; operationName?: string; variables?: Record<string, unknown> } | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const params = parsed as Record<string, unknown>
  for (const key in params) if (!PARAM_KEYS.has(key)) return undefined
  const { query, operationName, variables, extensions } = params
  if (typeof query !== 'string') return undefined
  // Extensions (persisted queries, tracing requests) are graphql-yoga's to interpret.
  if (extensions !== undefined && extensions !== null) return undefined
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return undefined
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    return undefined
  return {
    query,
    ...(typeof operationName === 'string' ? { operationName } : {}),
    ...(variables ? { variables: variables as Record<string, unknown> } : {}),
  }
}

/**
 * Writes the answer as graphql-yoga would: `{"data":…}` (then `extensions` when a hook added
 * some), its content type, and its default CORS headers when the request has an `Origin`.
 */
function send(req: IncomingMessage, res: ServerResponse, operation: LaneOperation): void {
  let text = `{"data":${operation.dataText}`
  if (Object.keys(operation.extensions).length > 0)
    text += `,"extensions":${JSON.stringify(operation.extensions)}`
  text += '}'
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  }
  const origin = req.headers.origin
  if (origin !== undefined) {
    headers['access-control-allow-origin'] = origin
    headers['vary'] = 'Origin'
    headers['access-control-allow-credentials'] = 'true'
  }
  Object.assign(headers, operation.headers)
  res.writeHead(200, headers)
  res.end(text)
}
