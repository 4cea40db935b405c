import type { GraphQLSchema } from 'graphql'
import { deprecate } from '../deprecations.js'
import { ConfigError } from '../errors.js'
import { isBasePlugin } from './BasePlugin.js'
import type { Plugin } from './Plugin.js'

/** A v2.1 extension: an object (usually a class instance) with `processSchema(schema)`. */
export interface LegacyExtension {
  /** Optional; the class name is used when absent. */
  name?: string
  processSchema(schema: GraphQLSchema): GraphQLSchema | void | Promise<GraphQLSchema | void>
}

/** True for a v2.1 extension: a `processSchema` method on something that is not a `BasePlugin`. */
export function isLegacyExtension(value: unknown): value is LegacyExtension {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { processSchema?: unknown }).processSchema === 'function' &&
    !isBasePlugin(value)
  )
}

/**
 * Runs a v2.1 extension as a plugin whose schema hook calls its `processSchema`, and emits the
 * GAG_EXTENSION_ADAPTER deprecation saying how to move it to a plugin. `where` names its place
 * in `plugins` for messages.
 */
export function adaptLegacyExtension(extension: LegacyExtension, where: string): Plugin {
  const className = extension.constructor?.name
  const name =
    typeof extension.name === 'string' && extension.name !== ''
      ? extension.name
      : className && className !== 'Object'
        ? className
        : `extension at ${where}`
  if (typeof (extension as { schema?: unknown }).schema === 'function') {
    throw new ConfigError(
      `${where} ("${name}") has both processSchema (v2.1 extension) and a schema hook (plugin): keep one. Plugins use schema(schema, context); BasePlugin subclasses use processSchema(schema, context).`,
      { plugin: name, path: where },
    )
  }
  deprecate(
    'GAG_EXTENSION_ADAPTER',
    `${where} ("${name}") is a v2.1 extension (an object with processSchema(schema)); it runs through an adapter that goes away in 3.1. ` +
      `Move it to a plugin: definePlugin({ name: '${name}', schema(schema) { … } }), or a class that extends BasePlugin with ` +
      `name, version and processSchema(schema, context). \`graphql-auto-gen migrate --from 2.1 --to 3.0\` rewrites simple extension classes. See docs/plugins.md.`,
  )
  return {
    name,
    schema: (schema) => extension.processSchema(schema),
  }
}
