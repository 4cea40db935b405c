import type { GraphQLSchema } from 'graphql'
import type { AccessRules } from '../auth/index.js'
import type { ResolvedConfig } from './SchemaConfig.js'
import type { Database } from '../database/index.js'
import type { ModelGraph } from '../models/index.js'
import type { ResolvedPlugin } from '../plugins/index.js'
import type { SchemaNames } from '../naming/index.js'
import type { ChangeFeed } from '../subscriptions/index.js'

/** What a built schema carries so it runs with no context: its database, names and config. */
export interface SchemaRuntime {
  database: Database
  graph: ModelGraph
  names: SchemaNames
  config: ResolvedConfig
  /** Permission classes, row policies and field guards of every model. */
  access: AccessRules
  /** Built-in and configured plugins, resolved and ordered (before/after): every hook runs in this order. */
  plugins: readonly ResolvedPlugin[]
  /** Change events for subscriptions (absent when `subscriptions.enabled` is false). */
  changes?: ChangeFeed
}

const RUNTIME_KEY = 'graphqlAutoGen'

/** The runtime a schema was built with (kept in `schema.extensions`, which plugins preserve). */
export function getSchemaRuntime(schema: GraphQLSchema): SchemaRuntime {
  const runtime = schema.extensions[RUNTIME_KEY] as SchemaRuntime | undefined
  if (!runtime) throw new Error('This GraphQLSchema was not built by graphql-auto-gen.')
  return runtime
}

/** Extensions entry that binds a runtime to a schema. */
export function runtimeExtensions(runtime: SchemaRuntime): Record<string, unknown> {
  return { [RUNTIME_KEY]: runtime }
}
