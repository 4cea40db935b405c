import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ExecutionResult } from 'graphql'
import { toClientError } from '../errors.js'
import type { MaskedErrorLogger } from '../errors.js'
import type { PipelineOperation, RequestContext } from '../plugins/index.js'
import type { Pipeline } from './operationPipeline.js'
import { httpStatusOf, serializeResult } from './httpResponse.js'

/** What the HTTP front needs from its server. */
export interface HttpFrontOptions {
  pipeline: Pipeline
  graphqlPath: string
  /** `limits.maxRequestBytes`: larger bodies are refused by graphql-yoga's adapter (413). */
  maxBodyBytes: number
  /** `limits.maxBatchedOperations` (1: batches are not accepted). */
  maxBatch: number
  /** The fetch API graphql-yoga runs on, for `context.request`. */
  fetchAPI: { Request: typeof Request; Headers: typeof Headers }
  /** Where internal errors masked outside an operation (a request hook that failed) are logged. */
  logMaskedError: MaskedErrorLogger
  /** graphql-yoga's adapter: serves what the front does not (given the body when it was read). */
  adapter(req: IncomingMessage, res: ServerResponse, body?: Buffer): void
}

/** The server's HTTP front (see {@link createHttpFront}). */
export interface HttpFront {
  /** Takes the request (true) when it is a JSON POST the front answers; false leaves it to the adapter. */
  take(req: IncomingMessage, res: ServerResponse): boolean
}

/** The response formats the front writes, as graphql-yoga names them. */
type JsonMediaType = 'application/json' | 'application/graphql-response+json'

/** One operation's parameters from a well-formed body. */
interface Params {
  query: string
  operationName?: string
  variables?: Record<string, unknown>
}

/**
 * The HTTP front: JSON POSTs (one operation or a batch) are read on node:http and each operation
 * runs through the pipeline, then one `res.end` of the answer (the database's JSON as it came,
 * for compiled answers). It is a transport, not a route: what it does not take (GET, SSE,
 * multipart, CORS preflights, GraphiQL) or cannot read (malformed bodies, whose spec errors
 * graphql-yoga writes) goes to graphql-yoga's adapter before any pipeline step ran, and that
 * adapter runs the very same pipeline.
 */
export function createHttpFront(options: HttpFrontOptions): HttpFront {
  return {
    take(req, res) {
      const mediaType = frontMediaType(req, options.graphqlPath)
      if (!mediaType || Number(req.headers['content-length']) > options.maxBodyBytes) return false
      const chunks: Buffer[] = []
      let size = 0
      let tooLarge = false
      // A client that goes away mid-body: nothing to answer (and no unhandled 'error' event).
      req.on('error', () => undefined)
      req.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > options.maxBodyBytes) tooLarge = true
        else chunks.push(chunk)
      })
      req.on('end', () => {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
        // graphql-yoga's limits plugin writes the coded 413 for an oversized body.
        if (tooLarge) return options.adapter(req, res, Buffer.alloc(options.maxBodyBytes + 1))
        const text = body.toString('utf8')
        const params = paramsOf(text, options.maxBatch)
        if (!params) return options.adapter(req, res, body)
        const answered = Array.isArray(params)
          ? answerBatch(options, req, res, text, params, mediaType)
          : answerOne(options, req, res, text, params, mediaType)
        answered.catch((error: unknown) => {
          if (res.headersSent) return
          send(req, res, [{ errors: [toClientError(error, options.logMaskedError)] }], false, mediaType)
        })
      })
      return true
    },
  }
}

/** One operation's answer (the usual request: no arrays, no header merging). */
async function answerOne(
  options: HttpFrontOptions,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  params: Params,
  mediaType: JsonMediaType,
): Promise<void> {
  const operation = await runOne(options, req, fetchRequest(options, req, text), params)
  if (!isOperation(operation)) return send(req, res, [operation], false, mediaType)
  send(req, res, [operation.result as ExecutionResult], false, mediaType, operation.headers)
}

/** A batch's answers, one operation after the other, with every operation's headers. */
async function answerBatch(
  options: HttpFrontOptions,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  batch: Params[],
  mediaType: JsonMediaType,
): Promise<void> {
  const request = fetchRequest(options, req, text)
  const results: ExecutionResult[] = []
  const headers: Record<string, string> = {}
  for (const one of batch) {
    const operation = await runOne(options, req, request, one)
    if (!isOperation(operation)) {
      results.push(operation)
      continue
    }
    Object.assign(headers, operation.headers)
    results.push(operation.result as ExecutionResult)
  }
  send(req, res, results, true, mediaType, headers)
}

/**
 * Runs one operation through the pipeline, or the answer when a request hook refused the caller.
 * Not async: a context built synchronously (the usual request) costs no extra promise or turn.
 */
function runOne(
  options: HttpFrontOptions,
  req: IncomingMessage,
  request: Request,
  params: Params,
): Promise<PipelineOperation | ExecutionResult> {
  let context
  try {
    context = options.pipeline.createContext(request, req.socket.remoteAddress)
  } catch (error) {
    return Promise.resolve(refusedCaller(options, error))
  }
  if (context instanceof Promise)
    return context.then(
      (ready) => runWith(options, ready, params),
      (error: unknown) => refusedCaller(options, error),
    )
  return runWith(options, context, params)
}

/** The answer when a request hook refused the caller (bad credentials: 401). */
function refusedCaller(options: HttpFrontOptions, error: unknown): ExecutionResult {
  return { errors: [toClientError(error, options.logMaskedError)] }
}

function runWith(
  options: HttpFrontOptions,
  context: RequestContext,
  params: Params,
): Promise<PipelineOperation> {
  return options.pipeline.run({
    query: params.query,
    operationName: params.operationName,
    variables: params.variables,
    transport: 'http',
    method: 'POST',
    context,
  })
}

function isOperation(answer: PipelineOperation | ExecutionResult): answer is PipelineOperation {
  return 'context' in answer
}

/** The fetch Request a context carries (plugins read headers from it). */
function fetchRequest(options: HttpFrontOptions, req: IncomingMessage, body: string): Request {
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? ''}`
  // Node's header object as it is (read lazily, not copied per header), unless a header came as
  // several values (only set-cookie does), which the fetch API joins.
  const headers =
    req.headers['set-cookie'] === undefined ? (req.headers as HeadersInit) : joined(options, req)
  return new options.fetchAPI.Request(url, { method: 'POST', headers, body })
}

/** The request's headers with repeated values joined by commas. */
function joined(options: HttpFrontOptions, req: IncomingMessage): Headers {
  const headers = new options.fetchAPI.Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value)
    else if (Array.isArray(value)) headers.set(name, value.join(', '))
  }
  return headers
}

/**
 * The response format when the front takes the request: a POST to the GraphQL path with a JSON
 * body, no content encoding and an `Accept` answered by JSON (as graphql-yoga picks: the first
 * acceptable type listed); undefined leaves it to the adapter.
 */
function frontMediaType(req: IncomingMessage, path: string): JsonMediaType | undefined {
  if (req.method !== 'POST' || req.url !== path) return undefined
  const { headers } = req
  const type = headers['content-type']
  if (type !== 'application/json' && !isJsonContentType(type)) return undefined
  if (headers['content-encoding'] !== undefined) return undefined
  const accept = headers.accept || '*/*'
  // Clients send the same few Accept headers again and again: each is read once.
  let media = acceptedMedia.get(accept)
  if (media === undefined) {
    media = acceptedMediaOf(accept) ?? null
    if (acceptedMedia.size < ACCEPT_HEADERS_KEPT) acceptedMedia.set(accept, media)
  }
  return media ?? undefined
}

/** Accept headers whose media type is remembered (a client may send any text: bounded). */
const ACCEPT_HEADERS_KEPT = 100
const acceptedMedia = new Map<string, JsonMediaType | null>()

function isJsonContentType(header: string | undefined): boolean {
  const type = header?.toLowerCase().replace(/\s/g, '')
  return type === 'application/json' || type === 'application/json;charset=utf-8'
}

/** The JSON media type an Accept header is answered with (the first acceptable one listed), if any. */
function acceptedMediaOf(header: string): JsonMediaType | undefined {
  const accepts = header.replace(/\s/g, '').toLowerCase().split(',')
  for (const accept of accepts) {
    const [media, ...rest] = accept.split(';')
    const charset = rest.find((param) => param.includes('charset=')) ?? 'charset=utf-8'
    if (charset !== 'charset=utf-8') continue
    if (media === 'text/event-stream' || media === 'multipart/mixed') return undefined
    if (media === 'application/graphql-response+json') return media
    if (media === 'application/json' || media === '*/*' || media === 'application/*')
      return 'application/json'
  }
  return undefined
}

/** The operations of a well-formed body (one object, or a batch of at most `maxBatch`), else undefined. */
function paramsOf(text: string, maxBatch: number): Params | Params[] | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed)) return paramsOfOne(parsed)
  if (maxBatch <= 1 || parsed.length === 0 || parsed.length > maxBatch) return undefined
  const batch = parsed.map(paramsOfOne)
  return batch.every((one) => one !== undefined) ? (batch as Params[]) : undefined
}

const PARAM_KEYS = new Set(['query', 'variables', 'operationName', 'extensions'])

function paramsOfOne(parsed: unknown): Params | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const params = parsed as Record<string, unknown>
  for (const key in params) if (!PARAM_KEYS.has(key) && params[key] != null) return undefined
  const { query, operationName, variables, extensions } = params
  if (typeof query !== 'string') return undefined
  if (extensions != null && (typeof extensions !== 'object' || Array.isArray(extensions))) return undefined
  if (operationName != null && typeof operationName !== 'string') return undefined
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined
  const one: Params = { query }
  if (typeof operationName === 'string') one.operationName = operationName
  if (variables) one.variables = variables as Record<string, unknown>
  return one
}

/** Writes the answer as graphql-yoga would: status, content type, CORS for an `Origin`, the body. */
function send(
  req: IncomingMessage,
  res: ServerResponse,
  results: ExecutionResult[],
  batch: boolean,
  mediaType: JsonMediaType,
  extra?: Record<string, string>,
): void {
  const headers: Record<string, string | number> = { 'Content-Type': `${mediaType}; charset=utf-8` }
  const status = batch ? 200 : httpStatusOf(results[0]!, headers, mediaType === 'application/json')
  const text = batch ? `[${results.map(serializeResult).join(',')}]` : serializeResult(results[0]!)
  headers['content-length'] = Buffer.byteLength(text)
  const origin = req.headers.origin
  if (origin !== undefined) {
    headers['access-control-allow-origin'] = origin
    headers['vary'] = 'Origin'
    headers['access-control-allow-credentials'] = 'true'
  }
  if (extra) for (const name in extra) headers[name] = extra[name]!
  res.writeHead(status, headers)
  res.end(text)
}
