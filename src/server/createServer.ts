import { createServer as createHttpServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { GraphQLSchema } from 'graphql'
import { createYoga } from 'graphql-yoga'
import type { Logger } from 'pino'
import { toClientError, withMaskedErrorLogger } from '../errors.js'
import { tableRowCounts } from '../limits/index.js'
import { createObservability } from '../observability/index.js'
import { collectServerExtensions, runRequestHooks } from '../plugins/index.js'
import type { RequestContext } from '../plugins/index.js'
import { getSchemaRuntime } from '../schema/index.js'
import { attachWebSocket } from '../subscriptions/index.js'
import { csrfPrevention } from './csrfPrevention.js'
import { createDirectLane } from './directLane.js'
import type { DirectLane, LaneContext } from './directLane.js'
import { fastPathPlugin } from './fastPathPlugin.js'
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
}

/** A running or ready-to-run API server. */
export interface AutoGenServer {
  readonly http: Server
  readonly schema: GraphQLSchema
  /** Starts listening; resolves with the GraphQL endpoint URL. */
  listen(port: number, host?: string): Promise<string>
  /** Stops accepting, lets in-flight requests finish (up to the deadline), closes the database. */
  close(): Promise<void>
}

/**
 * The HTTP server: GraphQL (graphql-yoga, with GraphiQL unless `server.graphiql` is off) at the
 * configured path, `/health` (process up) and `/ready` (database answers). Request hooks of
 * plugins build each context; the built-in auth plugin puts the caller on `context.user`.
 */
export function createServer(options: ServerOptions): AutoGenServer {
  const { schema } = options
  const runtime = getSchemaRuntime(schema)
  const config = runtime.config
  // Built-in and configured plugins, resolved and ordered (before/after) when the schema was built.
  // Logs and metrics last, so their hooks see what the others decided (cost, refusals).
  const observability = createObservability({ config, database: runtime.database, logger: options.logger })
  const plugins = [...runtime.plugins, observability.plugin]
  const extensions = collectServerExtensions(plugins, { schema })
  // Pricing bounds nested lists by table sizes: count them before the first request needs them.
  void tableRowCounts(schema, runtime.database).load()
  const { performance } = config
  // The lane repeats every extension's per-operation work: one without a lane keeps it off.
  const laneReady = extensions.every((extension) => !extension.yogaPlugins?.length || extension.lane)
  let lane: DirectLane | undefined
  const yoga = createYoga<
    { req: IncomingMessage; res: ServerResponse; laneContext?: LaneContext },
    RequestContext
  >({
    schema,
    graphqlEndpoint: config.server.graphqlPath,
    landingPage: false,
    graphiql: config.server.graphiql
      ? { title: 'graphql-auto-gen', defaultTabs: exampleTabs(schema, options.defaultQuery) }
      : false,
    // Assets come from our own server (see graphiql.ts), not a CDN: GraphiQL works offline.
    renderGraphiQL: renderOfflineGraphiQL,
    maskedErrors: { maskError: (error) => toClientError(error) },
    logging: false,
    // The limits plugin refuses oversized batches with a coded error first; yoga's limit backs it up.
    batching: config.limits.maxBatchedOperations > 1 ? { limit: config.limits.maxBatchedOperations } : false,
    // Multipart (uploads) is parsed only when allowed; CSRF prevention refuses it (and forms) earlier.
    multipart: config.server.allowUploads,
    plugins: [
      csrfPrevention(config.server),
      // First to set the execute step, so every plugin's onExecute runs before it and wrappers wrap it.
      ...(performance.enableAutomaticOptimization
        ? [fastPathPlugin({ remember: (...a) => lane?.remember(...a) })]
        : []),
      ...extensions.flatMap((extension) => extension.yogaPlugins ?? []),
    ],
    context: async ({ request, laneContext }) => {
      if (laneContext) {
        // Handed over by the direct lane after its request hooks ran: the same context, not a second one.
        const { request: _laneRequest, req: _req, res: _res, ...built } = laneContext
        return built
      }
      const context: RequestContext = { requestId: '', database: runtime.database, request, state: {} }
      await runRequestHooks(plugins, context)
      return context
    },
  })
  const serveOnYoga = (req: IncomingMessage, res: ServerResponse, laneContext?: LaneContext): void => {
    // Internal errors masked while serving this request are logged by this server's logger.
    void withMaskedErrorLogger(observability.logMaskedError, () =>
      yoga(req, res, laneContext ? { req, res, laneContext } : { req, res }),
    )
  }
  if (performance.enableAutomaticOptimization && performance.directLane && laneReady)
    lane = createDirectLane({
      schema,
      database: runtime.database,
      graphqlPath: config.server.graphqlPath,
      maxBodyBytes: config.limits.maxRequestBytes,
      plugins,
      lanes: extensions.flatMap((extension) => extension.lane ?? []),
      fetchAPI: yoga.fetchAPI,
      handOff(req, res, body, laneContext) {
        // graphql-yoga reads a body it is given instead of the (already consumed) stream.
        ;(req as IncomingMessage & { body?: Buffer }).body = body
        serveOnYoga(req, res, laneContext)
      },
    })
  const shutdown = trackResponses()
  const http = createHttpServer((req, res) => {
    shutdown.track(res)
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/health') return sendJson(res, 200, { status: 'ok' })
    if (config.server.graphiql && serveGraphiQLAsset(path ?? '', req, res)) return
    if (path === '/ready') {
      void runtime.database
        .ping()
        .then((ok) => sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unavailable' }))
      return
    }
    if (lane?.take(req, res)) return
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
          getEnveloped: (initial) => yoga.getEnveloped(initial as never),
        })
      : undefined
  let closing: Promise<void> | undefined
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
        const deadline = setTimeout(
          () => http.closeAllConnections(),
          options.shutdownTimeoutMs ?? config.server.shutdownTimeoutMs,
        )
        // Sockets close with 1001 (going away) and SSE streams end, so open subscriptions do not
        // hold the shutdown until its deadline.
        await webSocket?.close()
        await runtime.changes?.close()
        await stopped
        clearTimeout(deadline)
        await Promise.all(extensions.map((extension) => extension.close?.()))
        await runtime.database.close()
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
  return {
    track(res: ServerResponse): void {
      if (onIdle) closeAfter(res)
      active.add(res)
      res.once('close', () => {
        active.delete(res)
        // The socket turns idle just after its response ends.
        if (onIdle) setImmediate(onIdle)
      })
    },
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
