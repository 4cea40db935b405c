// plugins/: the hooks API (models, schema, request) and the built-in plugins written with it.
export { definePlugin, applyModelHooks, applySchemaHooks, runRequestHooks } from './Plugin.js'
export { requestIdPlugin } from './requestIdPlugin.js'
export type { Plugin, RequestContext, SchemaHookContext } from './Plugin.js'
