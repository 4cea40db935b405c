import type {
  DocumentNode,
  ExecutionResult,
  GraphQLError,
  GraphQLSchema,
  OperationDefinitionNode,
  ValidationRule,
} from 'graphql'
import type { AccessRules, AuthUser } from '../auth/index.js'
import type { Database } from '../database/index.js'
import type { ModelGraph } from '../models/index.js'
import type { MutationHooks } from './mutationHooks.js'

/** Per-request state every resolver and request hook sees. */
export interface RequestContext {
  /** Id of this request, for logs and masked errors. */
  requestId: string
  /** The database this request reads through. */
  database: Database
  /** The HTTP request, when the operation came over HTTP (the upgrade request over WebSocket). */
  request?: Request
  /** The client's network address (the socket's), when known. */
  clientAddress?: string
  /**
   * The caller, set by the built-in auth plugin's request hook (anonymous when no credentials).
   * Absent under plain `graphql()` without a context: the caller is then anonymous.
   */
  user?: AuthUser
  /** Free space for plugins, keyed by plugin name. */
  state: Record<string, unknown>
}

/** What schema hooks receive besides the schema. */
export interface SchemaHookContext {
  graph: ModelGraph
  /** Every model's permission classes, row policies and field guards (set by SchemaBuilder). */
  access?: AccessRules
}

/** What server hooks receive: the schema being served. */
export interface ServerHookContext {
  schema: GraphQLSchema
}

/** What a plugin adds to one server: its steps of every operation, and a clean-up for close. */
export interface ServerExtension {
  /** This plugin's part in each operation's pipeline (docs/architecture.md), on every route and transport. */
  operation?: OperationHooks
  /** Called once when the server closes (release connections, timers). */
  close?(): Promise<void>
}

/**
 * A plugin's steps of the one operation pipeline: parse → validate → admit → plan → execute →
 * respond → report. The server runs them, in plugin order, for every operation whatever its
 * transport (HTTP POST/GET, batch, SSE, graphql-ws) and whichever route executes it.
 */
export interface OperationHooks {
  /** Replaces graphql-js `parse` (documents are cached by text, so it runs once per text). */
  parse?(source: string): DocumentNode
  /** Rules validation runs besides graphql-js's own (results are cached per document). */
  validationRules?: readonly ValidationRule[]
  /**
   * Admit: runs before anything executes. May refuse (`operation.refuse(error)`), answer from
   * elsewhere (`operation.answer(result)`, a cache), or prepare (`context.state`, `context.database`).
   */
  admit?(operation: PipelineOperation): void | Promise<void>
  /** Respond: runs once `operation.result` is known; may replace it or add `operation.headers`. */
  respond?(operation: PipelineOperation): void | Promise<void>
  /** Report: runs once the answer is final (log, count); also for operations refused or invalid. */
  report?(operation: PipelineOperation): void
  /** Runs when a subscription's stream ends (after its `report`). */
  ended?(operation: PipelineOperation): void
}

/** How an operation is executed: compiled SQL end to end, or graphql-js over compiled rows. */
export type ExecutionRoute = 'compiled' | 'graphql-js'

/** One operation going through the pipeline, as its plugins' hooks see it. */
export interface PipelineOperation {
  readonly context: RequestContext
  /** The document text as sent. */
  readonly source: string
  /** The operation name the request asked for (client text). */
  readonly operationName: string | undefined
  readonly variables: Readonly<Record<string, unknown>>
  /** `http` (POST/GET/batch), `sse` or `ws`. */
  readonly transport: 'http' | 'sse' | 'ws'
  /** `performance.now()` when the operation started. */
  readonly start: number
  /** The parsed document (absent when it did not parse). */
  document?: DocumentNode
  /** The operation to run (absent when the document did not parse or has none by that name). */
  definition?: OperationDefinitionNode
  /** Whether the document passed validation. */
  valid: boolean
  /**
   * The variables coerced once, after validation, exactly as execution coerces them (defaults
   * filled): what admit (cost) and the route decision read. `null` when they do not coerce
   * (execution then answers with graphql-js's errors); absent before validation or when the
   * document has no operation by the requested name.
   */
  coercedVariables?: Readonly<Record<string, unknown>> | null
  /** The route the plan step chose, and why (absent when nothing executed). */
  route?: { route: ExecutionRoute; reason: string }
  /** The operation's requested cost, once the limits plugin priced it. */
  cost?: number
  /** The answer: set by execution, by `answer`, or by `refuse`; respond hooks may replace it. */
  result?: ExecutionResult | AsyncIterable<ExecutionResult>
  /** Response headers the hooks add (HTTP only). */
  readonly headers: Record<string, string>
  /** Stops the operation with this error as its answer (nothing executes). */
  refuse(error: GraphQLError): void
  /** Stops the operation with this answer (nothing executes; later admit hooks are skipped). */
  answer(result: ExecutionResult): void
}

/** A JSON Schema (draft 2020-12 or 7, as ajv reads it) describing a plugin's `config`. */
export type JsonSchema = Record<string, unknown>

/**
 * The hooks a plugin may have. `models` and `schema` run while the schema is built and may be
 * async (then build with `SchemaBuilder.buildAsync()`); the others run per request, mutation or
 * server.
 */
export interface PluginHooks extends MutationHooks {
  /** May change the model graph before names and types are made (add options, hide fields). */
  models?(graph: ModelGraph): ModelGraph | void | Promise<ModelGraph | void>
  /** May replace the built schema (add types and fields, wrap resolvers). */
  schema?(
    schema: GraphQLSchema,
    context: SchemaHookContext,
  ): GraphQLSchema | void | Promise<GraphQLSchema | void>
  /** Builds each request's context (before parse): may fill `context.state`, wrap `context.database`. */
  request?(context: RequestContext): void | Promise<void>
  /** Called once per server; state made here lives as long as that server. */
  server?(context: ServerHookContext): ServerExtension | void
}

/** Where a plugin runs relative to others, by their names. */
export interface PluginOrder {
  /** Names of plugins whose hooks run after this one's. */
  before?: readonly string[]
  /** Names of plugins whose hooks run before this one's. */
  after?: readonly string[]
}

/**
 * A plugin: named hooks into the pipeline. Built-in features (request ids, auth, limits) are
 * plugins too, so the API users get is the one the product is assembled from.
 */
export interface Plugin<TConfig = unknown> extends PluginHooks, PluginOrder {
  /** Unique among the plugins of a schema; `before`/`after` and errors refer to it. */
  name: string
  version?: string
  /** JSON Schema `config` must match; checked with ajv when the schema is built. */
  configSchema?: JsonSchema
  /** This plugin's settings, validated against `configSchema` before `setup` sees them. */
  config?: TConfig
  /**
   * Runs once per schema build with the validated config; the hooks it returns join the
   * plugin's own. May be async (then build with `SchemaBuilder.buildAsync()`).
   */
  setup?(config: TConfig): PluginHooks | void | Promise<PluginHooks | void>
}

/** A plugin after resolution: its name, version and every hook (own and from `setup`), in order. */
export interface ResolvedPlugin extends PluginHooks {
  readonly name: string
  readonly version?: string
}

/** Types a plugin object (and infers `TConfig` from `config`); returns it unchanged. */
export function definePlugin<TConfig = unknown>(plugin: Plugin<TConfig>): Plugin<TConfig> {
  return plugin
}
