import type { GraphQLSchema } from 'graphql'
import type { ModelGraph } from '../models/index.js'
import type { MutationEvent } from './mutationHooks.js'
import type {
  JsonSchema,
  PluginOrder,
  RequestContext,
  SchemaHookContext,
  ServerExtension,
  ServerHookContext,
} from './Plugin.js'

/**
 * The class form of a plugin (the design source's v3 `BasePlugin`): a `name`, a `version`,
 * `processSchema(schema, context)` (may be async), `getConfigSchema()` (JSON Schema the
 * constructor's `config` is checked against when the schema is built) and the same optional
 * hooks as a `definePlugin` object. Pass an instance in `plugins`.
 */
export abstract class BasePlugin<TConfig = Record<string, unknown>> implements PluginOrder {
  /** Unique among the plugins of a schema; `before`/`after` and errors refer to it. */
  abstract readonly name: string
  readonly version: string = '0.0.0'
  /** Names of plugins whose hooks run after this one's. */
  readonly before?: readonly string[]
  /** Names of plugins whose hooks run before this one's. */
  readonly after?: readonly string[]

  constructor(readonly config?: TConfig) {}

  /** JSON Schema that `config` must match; none (the default) accepts any config. */
  getConfigSchema(): JsonSchema | undefined {
    return undefined
  }

  /**
   * May replace the built schema (add types and fields, wrap resolvers); runs in plugin order
   * after the schema is assembled. An async override needs `SchemaBuilder.buildAsync()`.
   */
  processSchema(
    schema: GraphQLSchema,
    _context: SchemaHookContext,
  ): GraphQLSchema | void | Promise<GraphQLSchema | void> {
    return schema
  }

  /** May change the model graph before names and types are made. */
  models?(graph: ModelGraph): ModelGraph | void | Promise<ModelGraph | void>
  /** Runs once per operation before execution; may fill `context.state`. */
  request?(context: RequestContext): void | Promise<void>
  /** Called once per server; state made here lives as long as that server. */
  server?(context: ServerHookContext): ServerExtension | void
  /** Runs inside a mutation's transaction before it writes. */
  beforeMutation?(event: MutationEvent): void | Promise<void>
  /** Runs inside a mutation's transaction after it wrote. */
  afterMutation?(event: MutationEvent): void | Promise<void>
}

/** True for instances of {@link BasePlugin} subclasses. */
export function isBasePlugin(value: unknown): value is BasePlugin<unknown> {
  return value instanceof BasePlugin
}
