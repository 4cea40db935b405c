import type { ExecutionArgs, GraphQLSchema } from 'graphql'
import type { Plugin as YogaPlugin } from 'graphql-yoga'
import type { AuthUser } from '../auth/index.js'
import type { Database } from '../database/index.js'
import type { ModelGraph } from '../models/index.js'
import type { MutationHooks } from './mutationHooks.js'

/** Per-request state every resolver and request hook sees. */
export interface RequestContext {
  /** Id of this request, for logs and masked errors. */
  requestId: string
  /** The database this request reads through. */
  database: Database
  /** The HTTP request, when the operation came over HTTP. */
  request?: Request
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
}

/** What server hooks receive: the schema being served. */
export interface ServerHookContext {
  schema: GraphQLSchema
}

/** What a plugin adds to one HTTP server: graphql-yoga/envelop plugins and a clean-up for close. */
export interface ServerExtension {
  /** Run in order by graphql-yoga (onRequestParse, onParse, onValidate, onExecute, onResultProcess, onResponse…). */
  yogaPlugins?: YogaPlugin<Record<string, unknown>>[]
  /** Called once when the server closes (release connections, timers). */
  close?(): Promise<void>
  /**
   * The same per-operation work as `yogaPlugins`, as plain functions for the server's direct
   * lane (repeat JSON POSTs of queries answered from the database's JSON; see
   * docs/performance.md). A server takes the lane only when every extension with `yogaPlugins`
   * also has a `lane`: a plugin that leaves it out keeps every request on graphql-yoga.
   */
  lane?: OperationLane
}

/** A plugin's part in the direct lane: before the operation runs, and once it has its answer. */
export interface OperationLane {
  /**
   * Runs before anything executes, in plugin order. False hands the request to graphql-yoga,
   * whose hooks then decide it (refusals are written there): so return false only before doing
   * anything that must not happen twice.
   */
  admit?(operation: LaneOperation): boolean | Promise<boolean>
  /** Runs after the answer is known, in plugin order: add headers or extensions, log, count. */
  answered?(operation: LaneOperation): void
}

/** One operation on the direct lane, as its plugins' lane hooks see it. */
export interface LaneOperation {
  /** What graphql-js would execute (its `contextValue` is {@link context}). */
  readonly args: ExecutionArgs
  readonly context: RequestContext
  /** `performance.now()` when the request arrived. */
  readonly start: number
  /** The operation's requested cost, once the limits plugin priced it (for logs). */
  cost?: number
  /** `data` as JSON text, once answered. */
  dataText?: string
  /** Response headers the hooks add. */
  readonly headers: Record<string, string>
  /** The response's `extensions` the hooks add (sent only when not empty). */
  readonly extensions: Record<string, unknown>
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
  /** Runs once per operation before execution; may fill `context.state`. */
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
