import { createServer as createHttpServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { GraphQLSchema } from 'graphql'
import { createYoga } from 'graphql-yoga'
import type { Logger } from 'pino'
import { toClientError } from '../errors.js'
import { tableRowCounts } from '../limits/index.js'
import { createObservability, sqlDebugPlugins } from '../observability/index.js'
import { collectServerExtensions } from '../plugins/index.js'
import { getSchemaRuntime } from '../schema/index.js'
import { attachWebSocket } from '../subscriptions/index.js'
import { csrfPrevention } from './csrfPrevention.js'
import { createHttpFront } from './httpFront.js'
import { createPipeline } from './operationPipeline.js'
import { replicaRoutingPlugin } from './replicaRouting.js'
import { armShutdownDeadline } from './shutdown.js'
import type { ShutdownReport } from './shutdown.js'
import { pipelineAdapter } from './yogaAdapter.js'
import { exampleTabs, renderOfflineGraphiQL, serveGraphiQLAsset } from './graphiql.js'

/** What the server serves: a schema built by SchemaBuilder (its config and database are used). */
export interface ServerOptions {
  schema: GraphQLSchema
  /** GraphiQL's first tab (further tabs list each model); default: the first model's tab. */
  defaultQuery?: string
  /** How long in-flight requests may finish after a shutdown starts (default `server.shutdownTimeoutMs`). */
  shutdownTimeoutMs?: number
  /** Where the JSON log lines go (a pino logger); default: stdout at `server.logLevel`. */
  logger?: Logger
  /**
   * A readiness check beside the database ping: resolves to a short reason while not ready
   * (`serve` passes its startup check of tables and columns), undefined when ready.
   */
  readiness?: () => Promise<string | undefined>
}

/** A running or ready-to-run API server. */
export interface AutoGenServer {
  readonly http: Server
  readonly schema: GraphQLSchema
  /** Starts listening; resolves with the GraphQL endpoint URL. */
  listen(port: number, host?: string): Promise<string>
  /**
   * Stops accepting, lets in-flight requests finish (up to the deadline, where the rest are cut
   * and their statements cancelled), closes the database; resolves with what was cut.
   */
  close(): Promise<ShutdownReport>
}

/**
 * The HTTP server: GraphQL at the configured path — every operation through the one pipeline
 * (operationPipeline.ts), JSON POSTs read by the HTTP front, the rest (GET, SSE, multipart,
 * GraphiQL unless `server.graphiql` is off) by graphql-yoga as a transport — `/health` (process
 * up), `/ready` (database answers, and `readiness` agrees) and the metrics path. Plugins' request
 * hooks build each context.
 */
export function createServer(options: ServerOptions): AutoGenServer {
  const { schema } = options
  const runtime = getSchemaRuntime(schema)
  const config = runtime.config
  // Built-in and configured plugins, resolved and ordered (before/after) when the schema was built.
  // Logs and metrics last, so their hooks see what the others decided (cost, refusals).
  const observability = createObservability({ config, database: runtime.database, logger: options.logger })
  const plugins = [...runtime.plugins, replicaRoutingPlugin(config), observability.plugin]
  // server.debugSql (development only): last, so `extensions.sql` goes on the answer the others left.
  plugins.push(...sqlDebugPlugins(config, observability.logger))
  if (config.skippedModelExports.length > 0) {
    // `models: schema` (a whole drizzle-kit module) brings enums, sequences and relations along.
    observability.logger.debug(
      { skipped: config.skippedModelExports },
      `models: skipped ${config.skippedModelExports.length} exports that are not tables or views`,
    )
  }
  const extensions = collectServerExtensions(plugins, { schema })
  // Pricing bounds nested lists by table sizes: count them before the first request needs them.
  void tableRowCounts(schema, runtime.database).load()
  const pipeline = createPipeline({
    schema,
    database: runtime.database,
    plugins,
    hooks: extensions.flatMap((extension) => extension.operation ?? []),
    logger: observability.logger,
    logMaskedError: observability.logMaskedError,
  })
  // graphql-yoga is a transport only: every operation it reads goes through the same pipeline.
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }>({
    schema,
    graphqlEndpoint: config.server.graphqlPath,
    landingPage: false,
    graphiql: config.server.graphiql
      ? { title: 'graphql-auto-gen', defaultTabs: exampleTabs(schema, options.defaultQuery) }
      : false,
    // Assets come from our own server (see graphiql.ts), not a CDN: GraphiQL works offline.
    renderGraphiQL: renderOfflineGraphiQL,
    maskedErrors: { maskError: (error) => toClientError(error, observability.logMaskedError) },
    logging: false,
    batching: config.limits.maxBatchedOperations > 1 ? { limit: config.limits.maxBatchedOperations } : false,
    // Multipart (uploads) is parsed only when allowed; CSRF prevention refuses it (and forms) earlier.
    multipart: config.server.allowUploads,
    plugins: [
      csrfPrevention(config.server),
      pipelineAdapter(pipeline, config.limits, observability.requestRefused),
    ],
  })
  const serveOnYoga = (req: IncomingMessage, res: ServerResponse, body?: Buffer): void => {
    // graphql-yoga reads a body it is given instead of the (already consumed) stream.
    if (body) (req as IncomingMessage & { body?: Buffer }).body = body
    void yoga(req, res, { req, res })
  }
  const front = createHttpFront({
    pipeline,
    graphqlPath: config.server.graphqlPath,
    maxBodyBytes: config.limits.maxRequestBytes,
    maxBatch: config.limits.maxBatchedOperations,
    fetchAPI: yoga.fetchAPI,
    logMaskedError: observability.logMaskedError,
    adapter: serveOnYoga,
  })
  const shutdown = trackResponses()
  const http = createHttpServer((req, res) => {
    shutdown.track(res)
    const url = req.url ?? '/'
    const query = url.indexOf('?')
    const path = query === -1 ? url : url.slice(0, query)
    if (path === '/health') return sendJson(res, 200, { status: 'ok' })
    if (config.server.graphiql && serveGraphiQLAsset(path ?? '', req, res)) return
    if (path === '/ready') {
      void Promise.all([runtime.database.ping(), options.readiness?.()]).then(([ok, reason]) =>
        sendJson(res, ok && reason === undefined ? 200 : 503, {
          status: !ok ? 'database unavailable' : (reason ?? 'ready'),
        }),
      )
      return
    }
    if (observability.serveMetrics(path ?? '', req, res)) return
    if (front.take(req, res)) return
    serveOnYoga(req, res)
  })
  // Subscriptions: graphql-ws on the GraphQL path (SSE needs nothing: yoga serves it).
  const webSocket =
    runtime.changes && config.subscriptions.transport === 'websocket'
      ? attachWebSocket({
          http,
          path: config.server.graphqlPath,
          settings: config.subscriptions,
          security: config.security,
          pipeline,
        })
      : undefined
  let closing: Promise<ShutdownReport> | undefined
  return {
    http,
    schema,
    listen(port, host = config.server.host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject)
        http.listen(port, host, () => {
          http.off('error', reject)
          const address = http.address() as AddressInfo
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
          resolve(`http://${shownHost}:${address.port}${config.server.graphqlPath}`)
        })
      })
    },
    close() {
      closing ??= (async () => {
        // Stop accepting first, then drain: in-flight responses say `Connection: close`, and
        // keep-alive connections are closed as soon as they are idle.
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()))
        shutdown.start(() => http.closeIdleConnections())
        http.closeIdleConnections()
        const deadline = armShutdownDeadline({
          timeoutMs: options.shutdownTimeoutMs ?? config.server.shutdownTimeoutMs,
          inFlight: () => shutdown.inFlight(),
          cutConnections: () => http.closeAllConnections(),
          database: runtime.database,
        })
        // Sockets close with 1001 (going away) and SSE streams end, so open subscriptions do not
        // hold the shutdown until its deadline.
        await webSocket?.close()
        await runtime.changes?.close()
        await stopped
        await Promise.all(extensions.map((extension) => extension.close?.()))
        await deadline.closeDatabase()
        return deadline.report()
      })()
      return closing
    },
  }
}

/**
 * The responses in flight, so a shutdown can ask each to close its connection when done (Node
 * keeps a keep-alive connection open after `server.close()`, which would hold the shutdown).
 */
function trackResponses() {
  const active = new Set<ServerResponse>()
  let onIdle: (() => void) | undefined
  const closeAfter = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close')
  }
  // One listener for every response ('close' is emitted once): no closure per request.
  function closed(this: ServerResponse): void {
    active.delete(this)
    // The socket turns idle just after its response ends.
    if (onIdle) setImmediate(onIdle)
  }
  return {
    track(res: ServerResponse): void {
      if (onIdle) closeAfter(res)
      active.add(res)
      res.on('close', closed)
    },
    inFlight: (): number => active.size,
    start(closeIdle: () => void): void {
      onIdle = closeIdle
      for (const res of active) closeAfter(res)
    },
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
