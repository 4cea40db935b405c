// plugins/: the hooks API (models, schema, request) and the built-in plugins written with it.
export {
  definePlugin,
  applyModelHooks,
  applySchemaHooks,
  runRequestHooks,
  collectServerExtensions,
} from './Plugin.js'
export { requestIdPlugin } from './requestIdPlugin.js'
export type {
  Plugin,
  RequestContext,
  SchemaHookContext,
  ServerExtension,
  ServerHookContext,
} from './Plugin.js'
export { runMutationHooks, hasMutationHooks, MutationAborted } from './mutationHooks.js'
export type { HookFieldError, MutationEvent, MutationHooks, MutationOperation } from './mutationHooks.js'
