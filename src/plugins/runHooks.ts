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

/**
 * Runs every plugin's `request` hook in order. Synchronous while the hooks are (most are): a
 * promise only from the first hook that returns one, so a request whose hooks are all
 * synchronous costs no turn of the microtask queue per hook.
 */
export function runRequestHooks(
  plugins: readonly ResolvedPlugin[],
  context: RequestContext,
): void | Promise<void> {
  for (let i = 0; i < plugins.length; i++) {
    const pending = plugins[i]!.request?.(context)
    if (isPromise(pending))
      return Promise.resolve(pending).then(() => runRequestHooks(plugins.slice(i + 1), context))
  }
}
