import type { GraphQLSchema } from 'graphql'
import type { ModelGraph } from '../models/index.js'
import type {
  RequestContext,
  ResolvedPlugin,
  SchemaHookContext,
  ServerExtension,
  ServerHookContext,
} from './Plugin.js'
import { asyncHookError, isPromise } from './resolvePlugins.js'

/** Runs every plugin's `models` hook in order; an async hook is a ConfigError (use the async form). */
export function applyModelHooks(plugins: readonly ResolvedPlugin[], graph: ModelGraph): ModelGraph {
  return plugins.reduce((current, plugin) => {
    const result = plugin.models?.(current)
    if (isPromise(result)) throw asyncHookError(plugin.name, 'models hook', result)
    return result ?? current
  }, graph)
}

/** Runs every plugin's `models` hook in order, awaiting async ones. */
export async function applyModelHooksAsync(
  plugins: readonly ResolvedPlugin[],
  graph: ModelGraph,
): Promise<ModelGraph> {
  let current = graph
  for (const plugin of plugins) current = (await plugin.models?.(current)) ?? current
  return current
}

/**
 * Runs every plugin's `schema` hook (BasePlugin: `processSchema`) in order; an async one is a
 * ConfigError naming the plugin and pointing at `buildAsync()`.
 */
export function applySchemaHooks(
  plugins: readonly ResolvedPlugin[],
  schema: GraphQLSchema,
  context: SchemaHookContext,
): GraphQLSchema {
  return plugins.reduce((current, plugin) => {
    const result = plugin.schema?.(current, context)
    if (isPromise(result)) throw asyncHookError(plugin.name, 'schema hook (processSchema)', result)
    return result ?? current
  }, schema)
}

/** Runs every plugin's `schema` hook in order, awaiting async ones. */
export async function applySchemaHooksAsync(
  plugins: readonly ResolvedPlugin[],
  schema: GraphQLSchema,
  context: SchemaHookContext,
): Promise<GraphQLSchema> {
  let current = schema
  for (const plugin of plugins) current = (await plugin.schema?.(current, context)) ?? current
  return current
}

/** Runs every plugin's `server` hook in order and returns what they add. */
export function collectServerExtensions(
  plugins: readonly ResolvedPlugin[],
  context: ServerHookContext,
): ServerExtension[] {
  return plugins.flatMap((plugin) => plugin.server?.(context) ?? [])
}

/** Runs every plugin's `request` hook in order. */
export async function runRequestHooks(
  plugins: readonly ResolvedPlugin[],
  context: RequestContext,
): Promise<void> {
  for (const plugin of plugins) await plugin.request?.(context)
}
