// plugins/: the plugin API (definePlugin, BasePlugin, ordering, config schemas, the v2.1
// extension adapter), the hook runners, and the built-in plugins written with it.
export { definePlugin } from './Plugin.js'
export { BasePlugin, isBasePlugin } from './BasePlugin.js'
export { isLegacyExtension } from './legacyExtension.js'
export type { LegacyExtension } from './legacyExtension.js'
export { resolvePlugins, resolvePluginsAsync } from './resolvePlugins.js'
export type { PluginInput } from './resolvePlugins.js'
export { orderPlugins } from './orderPlugins.js'
export { addQueryFields } from './addQueryFields.js'
export { validatePluginConfig } from './validatePluginConfig.js'
export {
  applyModelHooks,
  applyModelHooksAsync,
  applySchemaHooks,
  applySchemaHooksAsync,
  runRequestHooks,
  collectServerExtensions,
} from './runHooks.js'
export { requestIdPlugin, requestIdFor } from './requestIdPlugin.js'
export type {
  JsonSchema,
  ExecutionRoute,
  OperationHooks,
  PipelineOperation,
  Plugin,
  PluginHooks,
  PluginOrder,
  RequestContext,
  ResolvedPlugin,
  SchemaHookContext,
  ServerExtension,
  ServerHookContext,
} from './Plugin.js'
export { runMutationHooks, hasMutationHooks, MutationAborted } from './mutationHooks.js'
export type { HookFieldError, MutationEvent, MutationHooks, MutationOperation } from './mutationHooks.js'
