import type { IncomingMessage, Server } from 'node:http'
import { GraphQLError } from 'graphql'
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql'
import { CloseCode } from 'graphql-ws'
import type { SubscribePayload } from 'graphql-ws'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'
import { createAuthenticator } from '../auth/index.js'
import type { AuthUser, ResolvedSecurity } from '../auth/index.js'
import { AutoGenError, ErrorCodes, toClientError } from '../errors.js'
import type { SubscriptionSettings } from './ChangeFeed.js'
import { watchCredentials } from './credentialWatch.js'
import type { CredentialWatch } from './credentialWatch.js'

/** One operation's answer from the server's pipeline, as a socket needs it. */
export interface PipelineAnswer {
  /** The document parsed and passed validation (else `result.errors` are sent as an `error` message). */
  valid: boolean
  document?: DocumentNode
  result?: ExecutionResult | AsyncIterable<ExecutionResult>
}

/** The server's operation pipeline (server/operationPipeline.ts), as the socket calls it. */
export interface SocketPipeline {
  readonly schema: GraphQLSchema
  /** The request's context, built by the plugins' request hooks. */
  createContext(
    request: Request | undefined,
    clientAddress?: string,
  ): { user?: AuthUser } | Promise<{ user?: AuthUser }>
  /** Runs one operation through every step; resolves with its answer. */
  run(input: {
    query: string
    operationName?: string | undefined
    variables?: Readonly<Record<string, unknown>> | undefined
    transport: 'ws'
    context: never
  }): Promise<PipelineAnswer>
}

/** Options of {@link attachWebSocket}. */
export interface WebSocketOptions {
  http: Server
  /** The GraphQL path; sockets elsewhere are refused. */
  path: string
  settings: SubscriptionSettings
  security: ResolvedSecurity
  /** The server's pipeline: the same parse, validation, admission, routes and masking as HTTP. */
  pipeline: SocketPipeline
}

/** A running WebSocket endpoint. */
export interface WebSocketEndpoint {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>
}

/** Close code of a socket refused at `connection_init` (the protocol's Forbidden). */
export const CLOSE_FORBIDDEN = CloseCode.Forbidden

/** What a socket keeps between its `connection_init` and its operations. */
interface SocketState {
  request?: Request
  user?: AuthUser
  /** Token expiry and re-authentication of the caller (see credentialWatch.ts). */
  watch?: CredentialWatch
}

/**
 * graphql-ws (graphql-transport-ws protocol) on the server's GraphQL path. The caller is
 * authenticated once, at `connection_init`, exactly as over HTTP (Authorization from the
 * connection params or the upgrade request; JWT or `security.authenticate`), and anonymous
 * sockets are refused with 4403 when authentication is required. Operations run through the
 * server's own pipeline (limits, masking, request hooks). Parse and validation errors, and the
 * per-socket subscription limit, are `error` messages for that operation, never a dropped
 * socket; a message over `maxMessageBytes` closes with 1009, a missing `connection_init` with 4408.
 * A caller whose token expires (or who fails the optional periodic re-authentication) is closed
 * with 4403 and a coded reason, and no event is delivered to them after that moment.
 */
export function attachWebSocket(options: WebSocketOptions): WebSocketEndpoint {
  const { settings } = options
  const authenticate = createAuthenticator(options.security)
  const authenticationRequired = settings.authenticationRequired || options.security.authenticationRequired
  const wsServer = new WebSocketServer({
    server: options.http,
    path: options.path,
    maxPayload: settings.maxMessageBytes,
  })
  const states = new WeakMap<object, SocketState>()
  const stateOf = (extra: object): SocketState => {
    let state = states.get(extra)
    if (!state) states.set(extra, (state = {}))
    return state
  }
  const server = useServer<Record<string, unknown> | undefined, Record<PropertyKey, never>>(
    {
      // Close reasons never carry internal error text.
      isProd: true,
      connectionInitWaitTimeout: settings.connectionInitTimeoutMs,
      execute: (args) => (args.rootValue as { answer: never }).answer,
      subscribe: (args) => (args.rootValue as { answer: never }).answer,
      async onConnect(ctx) {
        const state = stateOf(ctx.extra)
        try {
          state.request = upgradeRequest(ctx.extra.request, ctx.connectionParams, options.path)
          state.user = await authenticate(state.request)
        } catch (error) {
          ctx.extra.socket.close(CLOSE_FORBIDDEN, closeReason(error))
          return false
        }
        if (authenticationRequired && !state.user.isAuthenticated) {
          ctx.extra.socket.close(CLOSE_FORBIDDEN, 'Forbidden: authentication required')
          return false
        }
        state.watch = watchCredentials({
          socket: ctx.extra.socket,
          user: state.user,
          request: state.request,
          authenticate,
          reauthenticateIntervalMs: settings.reauthenticateIntervalMs,
        })
        return !state.watch.refused()
      },
      // Each event re-checks the caller, so none leaves after the token expired.
      onNext(ctx) {
        if (stateOf(ctx.extra).watch?.refused())
          return { errors: [coded('The token has expired.', ErrorCodes.UNAUTHENTICATED).toJSON()] }
        return undefined
      },
      async onSubscribe(ctx, _id, payload: SubscribePayload) {
        try {
          const open = Object.keys(ctx.subscriptions).length
          if (open > settings.maxSubscriptionsPerSocket) {
            return [
              coded(
                `Subscription limit of ${settings.maxSubscriptionsPerSocket} per connection reached; complete one first.`,
                ErrorCodes.QUERY_LIMIT_EXCEEDED,
                { limit: 'subscriptionsPerSocket', maximum: settings.maxSubscriptionsPerSocket },
              ),
            ]
          }
          const state = stateOf(ctx.extra)
          if (state.watch?.refused()) return [coded('The token has expired.', ErrorCodes.UNAUTHENTICATED)]
          const context = await options.pipeline.createContext(
            state.request,
            ctx.extra.request.socket.remoteAddress,
          )
          // The caller as authenticated at connection_init (the request hooks saw the same request).
          if (state.user) context.user = state.user
          const answer = await options.pipeline.run({
            query: payload.query,
            operationName: payload.operationName ?? undefined,
            variables: payload.variables ?? undefined,
            transport: 'ws',
            context: context as never,
          })
          const result = answer.result!
          // Parse and validation errors are the operation's `error` message.
          if (!answer.valid && !(Symbol.asyncIterator in result)) return [...(result.errors ?? [])]
          // Executed already: graphql-ws sends what the pipeline answered.
          return {
            schema: options.pipeline.schema,
            document: answer.document!,
            operationName: payload.operationName,
            variableValues: payload.variables,
            rootValue: { answer: result },
          }
        } catch (error) {
          return [toClientError(error)]
        }
      },
    },
    wsServer,
  )
  return {
    close: () => server.dispose() as Promise<void>,
  }
}

/**
 * A Fetch Request standing for the socket, for the authenticator and request hooks: the upgrade
 * request's headers, overridden by `authorization` (or `headers`) from the connection params,
 * since browsers cannot set headers on a WebSocket.
 */
function upgradeRequest(
  request: IncomingMessage,
  params: Record<string, unknown> | undefined,
  path: string,
): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value)
    else if (Array.isArray(value)) headers.set(name, value.join(', '))
  }
  const fromParams = { ...(isRecord(params?.['headers']) ? params['headers'] : {}) }
  for (const key of ['authorization', 'Authorization'])
    if (params?.[key] !== undefined) fromParams[key] = params[key]
  for (const [name, value] of Object.entries(fromParams))
    if (typeof value === 'string') headers.set(name, value)
  return new Request(`http://${headers.get('host') ?? 'localhost'}${path}`, { headers })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A close reason (at most 123 bytes) that says why, from catalogue errors only. */
function closeReason(error: unknown): string {
  const message =
    error instanceof AutoGenError ? `Forbidden: ${error.message}` : 'Forbidden: invalid credentials'
  return Buffer.byteLength(message) <= 123 ? message : 'Forbidden'
}

function coded(message: string, code: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } })
}
