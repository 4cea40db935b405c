import type { GraphQLSchema } from 'graphql'
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
}

/**
 * A plugin: named hooks into the pipeline. Built-in features that fit this shape are written as
 * plugins too, so the API users get is the one the product is assembled from.
 */
export interface Plugin extends MutationHooks {
  name: string
  version?: string
  /** May change the model graph before names and types are made (add options, hide fields). */
  models?(graph: ModelGraph): ModelGraph | void
  /** May replace the built schema (add types and fields, wrap resolvers). */
  schema?(schema: GraphQLSchema, context: SchemaHookContext): GraphQLSchema | void
  /** Runs once per operation before execution; may fill `context.state`. */
  request?(context: RequestContext): void | Promise<void>
  /** Called once per server; state made here lives as long as that server. */
  server?(context: ServerHookContext): ServerExtension | void
}

/** Identity helper that types a plugin object. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin
}

/** Runs every plugin's `models` hook in order. */
export function applyModelHooks(plugins: readonly Plugin[], graph: ModelGraph): ModelGraph {
  return plugins.reduce((current, plugin) => plugin.models?.(current) ?? current, graph)
}

/** Runs every plugin's `schema` hook in order. */
export function applySchemaHooks(
  plugins: readonly Plugin[],
  schema: GraphQLSchema,
  context: SchemaHookContext,
): GraphQLSchema {
  return plugins.reduce((current, plugin) => plugin.schema?.(current, context) ?? current, schema)
}

/** Runs every plugin's `server` hook in order and returns what they add. */
export function collectServerExtensions(
  plugins: readonly Plugin[],
  context: ServerHookContext,
): ServerExtension[] {
  return plugins.flatMap((plugin) => plugin.server?.(context) ?? [])
}

/** Runs every plugin's `request` hook in order. */
export async function runRequestHooks(plugins: readonly Plugin[], context: RequestContext): Promise<void> {
  for (const plugin of plugins) await plugin.request?.(context)
}
