import { ConfigError } from '../errors.js'
import { BasePlugin, isBasePlugin } from './BasePlugin.js'
import { adaptLegacyExtension, isLegacyExtension } from './legacyExtension.js'
import type { LegacyExtension } from './legacyExtension.js'
import { orderPlugins } from './orderPlugins.js'
import type { Plugin, PluginHooks, ResolvedPlugin } from './Plugin.js'
import { validatePluginConfig } from './validatePluginConfig.js'

/** What `plugins: [...]` accepts: plugin objects, BasePlugin instances and (deprecated) v2.1 extensions. */
export type PluginInput = Plugin | BasePlugin<unknown> | LegacyExtension

/** The hook keys a plugin may define, for merging and binding. */
const HOOKS = ['models', 'schema', 'request', 'server', 'beforeMutation', 'afterMutation'] as const

/** A plugin between validation and setup. */
interface Prepared {
  name: string
  version?: string
  before?: readonly string[]
  after?: readonly string[]
  hooks: PluginHooks
  setup?: () => PluginHooks | void | Promise<PluginHooks | void>
}

/**
 * Turns configured plugins (after `builtIns`) into the ordered list every stage runs: BasePlugin
 * instances and v2.1 extensions (through the deprecated adapter) become plugin objects, configs
 * are checked against their JSON Schema, names must be unique, `setup` runs, and `before`/`after`
 * decide the order. Throws a ConfigError when a `setup` is async: use {@link resolvePluginsAsync}.
 */
export function resolvePlugins(
  configured: readonly unknown[],
  builtIns: readonly Plugin[] = [],
): ResolvedPlugin[] {
  const prepared = prepare(configured, builtIns)
  return orderPlugins(
    prepared.map((p) => {
      const extra = p.setup?.()
      if (isPromise(extra)) throw asyncHookError(p.name, 'setup', extra)
      return finish(p, extra)
    }),
  )
}

/** {@link resolvePlugins}, awaiting async `setup` functions (one after another, in given order). */
export async function resolvePluginsAsync(
  configured: readonly unknown[],
  builtIns: readonly Plugin[] = [],
): Promise<ResolvedPlugin[]> {
  const prepared = prepare(configured, builtIns)
  const finished: Array<ResolvedPlugin & { before?: readonly string[]; after?: readonly string[] }> = []
  for (const p of prepared) finished.push(finish(p, await p.setup?.()))
  return orderPlugins(finished)
}

/** The ConfigError for a build-time hook that returned a promise under the synchronous build(). */
export function asyncHookError(plugin: string, hook: string, promise: PromiseLike<unknown>): ConfigError {
  // Its outcome no longer matters; never let it surface as an unhandled rejection.
  promise.then(undefined, () => undefined)
  return new ConfigError(
    `plugin "${plugin}": its ${hook} returned a promise, which SchemaBuilder.build() (synchronous) cannot wait for; build with \`await new SchemaBuilder(config).buildAsync()\` instead (the CLI does).`,
    { plugin, path: hook },
  )
}

/** True for promises and other thenables. */
export function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
}

/** Built-ins first (`where` says "built-in"), then the configured ones (`plugins.<index>`). */
function prepare(configured: readonly unknown[], builtIns: readonly Plugin[]): Prepared[] {
  const seen = new Map<string, string>()
  const inputs = [
    ...builtIns.map((input) => ({ input, where: 'built-in' })),
    ...configured.map((input, index) => ({ input, where: `plugins.${index}` })),
  ]
  return inputs.map(({ input, where }) => {
    const plugin = normalise(input, where)
    const previous = seen.get(plugin.name)
    if (previous !== undefined) {
      throw new ConfigError(
        `plugins: two plugins are named "${plugin.name}" (${previous} and ${where}); plugin names must be unique.`,
        { plugin: plugin.name, path: where },
      )
    }
    seen.set(plugin.name, where)
    return plugin
  })
}

/** One input as a Prepared plugin, its config checked and its hooks bound to it. */
function normalise(input: unknown, where: string): Prepared {
  if (isBasePlugin(input)) {
    const name = checkedName(input.name, where)
    const schema = input.getConfigSchema()
    if (schema !== undefined) validatePluginConfig(name, schema, input.config)
    const hooks = bindHooks(
      input,
      HOOKS.filter((h) => h !== 'schema'),
    )
    // Only an overridden processSchema is a hook, so plain subclasses build synchronously.
    if (input.processSchema !== BasePlugin.prototype.processSchema) {
      hooks.schema = (schema, context) => input.processSchema(schema, context)
    }
    return { name, version: input.version, ...order(input), hooks }
  }
  if (isLegacyExtension(input)) {
    const plugin = adaptLegacyExtension(input, where)
    return { name: plugin.name, hooks: bindHooks(plugin, HOOKS) }
  }
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError(
      `${where}: expected a plugin (definePlugin({ name, … }) or a BasePlugin instance), got ${input === null ? 'null' : typeof input}.`,
      { path: where },
    )
  }
  const plugin = input as Plugin
  const name = checkedName(plugin.name, where)
  if (plugin.configSchema !== undefined) validatePluginConfig(name, plugin.configSchema, plugin.config)
  const setup = plugin.setup
  return {
    name,
    ...(plugin.version !== undefined ? { version: plugin.version } : {}),
    ...order(plugin),
    hooks: bindHooks(plugin, HOOKS),
    ...(setup ? { setup: () => setup.call(plugin, plugin.config) } : {}),
  }
}

function checkedName(name: unknown, where: string): string {
  if (typeof name === 'string' && name.trim() !== '') return name
  throw new ConfigError(
    `${where}: a plugin needs a non-empty \`name\` (definePlugin({ name: 'my-plugin', … })).`,
    {
      path: `${where}.name`,
    },
  )
}

function order(plugin: { name: unknown; before?: unknown; after?: unknown }): {
  before?: readonly string[]
  after?: readonly string[]
} {
  const result: { before?: readonly string[]; after?: readonly string[] } = {}
  for (const key of ['before', 'after'] as const) {
    const value = plugin[key]
    if (value === undefined) continue
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw new ConfigError(`plugin "${String(plugin.name)}": ${key} must be a list of plugin names.`, {
        plugin: plugin.name,
        path: key,
      })
    }
    result[key] = value
  }
  return result
}

/** The given hooks of `source`, bound to it so `this` inside a hook is the plugin. */
function bindHooks(source: object, keys: ReadonlyArray<(typeof HOOKS)[number]>): PluginHooks {
  const hooks: Record<string, unknown> = {}
  for (const key of keys) {
    const hook = (source as Record<string, unknown>)[key]
    if (typeof hook === 'function') hooks[key] = hook.bind(source)
  }
  return hooks as PluginHooks
}

/** The resolved plugin: own hooks plus those `setup` returned (a hook may come from one only). */
function finish(
  plugin: Prepared,
  extra: PluginHooks | void,
): ResolvedPlugin & { before?: readonly string[]; after?: readonly string[] } {
  const hooks: PluginHooks = { ...plugin.hooks }
  for (const key of HOOKS) {
    const hook = extra?.[key]
    if (hook === undefined) continue
    if (hooks[key] !== undefined) {
      throw new ConfigError(
        `plugin "${plugin.name}": the ${key} hook is defined on the plugin and returned by setup(); define it in one place.`,
        { plugin: plugin.name, path: key },
      )
    }
    ;(hooks as Record<string, unknown>)[key] = hook
  }
  return {
    ...hooks,
    name: plugin.name,
    ...(plugin.version !== undefined ? { version: plugin.version } : {}),
    ...(plugin.before ? { before: plugin.before } : {}),
    ...(plugin.after ? { after: plugin.after } : {}),
  }
}
