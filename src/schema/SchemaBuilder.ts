import { GraphQLSchema, lexicographicSortSchema } from 'graphql'
import { buildAccessRules } from '../auth/index.js'
import { createDatabase } from '../database/index.js'
import type { Database } from '../database/index.js'
import { deprecate } from '../deprecations.js'
import { applyCatalog, attachComputedFields, readModels, tsdocDescriptions } from '../models/index.js'
import type { DescriptionSource, ModelGraph } from '../models/index.js'
import { resolveNames } from '../naming/index.js'
import {
  applyModelHooks,
  applyModelHooksAsync,
  applySchemaHooks,
  applySchemaHooksAsync,
  resolvePlugins,
  resolvePluginsAsync,
} from '../plugins/index.js'
import type { ResolvedPlugin } from '../plugins/index.js'
import { builtInPlugins } from './builtInPlugins.js'
import { emptyCatalog, readCatalog } from './readCatalog.js'
import { buildModelTypes } from './buildModelTypes.js'
import { buildMutationType } from './buildMutationType.js'
import { buildQueryType } from './buildQueryType.js'
import { withComputedGuards } from './computedFieldConfig.js'
import { buildSubscriptionType } from './buildSubscriptionType.js'
import { createChangeFeed } from '../subscriptions/index.js'
import type { PubSub } from '../subscriptions/index.js'
import { SchemaConfig } from './SchemaConfig.js'
import type { ProgrammaticConfig, UserConfig } from './SchemaConfig.js'
import { getSchemaRuntime, runtimeExtensions } from './SchemaRuntime.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/** Options beyond config: an existing database to bind instead of opening one from config. */
export interface SchemaBuilderOptions {
  database?: Database
  /** A broker for subscription events instead of the one `subscriptions.pubsub` names. */
  pubsub?: PubSub
  /**
   * More description sources (e.g. PostgreSQL `COMMENT ON`), asked after config and the TSDoc of
   * `modelFiles`, in this order.
   */
  descriptions?: readonly DescriptionSource[]
}

/**
 * Turns a configuration into a standard `GraphQLSchema` whose resolvers run against the
 * configured database, so graphql-js `graphql({ schema, source })` needs no context.
 */
export class SchemaBuilder {
  private readonly config: SchemaConfig

  constructor(
    config: SchemaConfig | UserConfig | ProgrammaticConfig,
    private readonly options: SchemaBuilderOptions = {},
  ) {
    this.config = config instanceof SchemaConfig ? config : new SchemaConfig(config)
  }

  /**
   * Builds the schema (the database connects lazily, on the first query). Synchronous: a plugin
   * whose `setup`, `models` or `schema`/`processSchema` returns a promise makes it throw a
   * ConfigError that points at {@link buildAsync}.
   */
  build(): GraphQLSchema {
    const config = this.config.resolved
    // Built-in plugins first, so user plugins see (and may change) what they add.
    const plugins = resolvePlugins(config.plugins, builtInPlugins(config))
    const graph = applyModelHooks(plugins, attachComputedFields(this.readGraph(), config.resolvers))
    const schema = this.assemble(plugins, graph)
    return applySchemaHooks(plugins, schema, { graph, access: getSchemaRuntime(schema).access })
  }

  /** Builds the schema like {@link build}, awaiting async plugin `setup`, `models` and `processSchema`. */
  async buildAsync(): Promise<GraphQLSchema> {
    const config = this.config.resolved
    const plugins = await resolvePluginsAsync(config.plugins, builtInPlugins(config))
    // Only the async build asks the database: COMMENT ON descriptions and partitioned tables.
    const database = this.openDatabase()
    const read = attachComputedFields(this.readGraph(), config.resolvers)
    const catalog = this.opensEmptyDatabase() ? emptyCatalog() : await readCatalog(database, read)
    const graph = await applyModelHooksAsync(plugins, applyCatalog(read, catalog))
    const schema = this.assemble(plugins, graph, database)
    return applySchemaHooksAsync(plugins, schema, { graph, access: getSchemaRuntime(schema).access })
  }

  /** The models of config, described by config, then TSDoc of `modelFiles`, then the given sources. */
  private readGraph(): ModelGraph {
    const config = this.config.resolved
    const descriptions = [
      ...(config.modelFiles.length > 0 ? [tsdocDescriptions(config.modelFiles)] : []),
      ...(this.options.descriptions ?? []),
    ]
    return readModels(config.models, { descriptions })
  }

  /**
   * Whether the build opens a new in-memory PGlite: it holds no tables yet, so its catalogue has
   * nothing to say, and reading it would boot PGlite (seconds of CPU) for `schema export`, `doctor`
   * and every other build of a config that names no database.
   */
  private opensEmptyDatabase(): boolean {
    const { database } = this.config.resolved
    return this.options.database === undefined && database.url === undefined && database.dataDir === undefined
  }

  /** The database from options, or one opened from config (connecting lazily, on first use). */
  private openDatabase(): Database {
    const config = this.config.resolved
    return (
      this.options.database ??
      createDatabase({
        ...(config.database.url !== undefined ? { url: config.database.url } : {}),
        ...(config.database.dataDir !== undefined ? { dataDir: config.database.dataDir } : {}),
        max: config.database.poolSize,
        statementTimeoutMs: config.database.statementTimeoutMs,
        acquireTimeoutMs: config.database.acquireTimeoutMs,
        preparedStatements: config.database.preparedStatements,
        replicas: config.database.replicas,
        readYourWritesMs: config.database.readYourWritesMs,
        maxReplicaLagMs: config.database.maxReplicaLagMs,
      })
    )
  }

  /** The schema before plugin schema hooks, bound to its runtime (database, names, plugins). */
  private assemble(
    plugins: readonly ResolvedPlugin[],
    graph: ModelGraph,
    database: Database = this.openDatabase(),
  ): GraphQLSchema {
    const config = this.config.resolved
    const names = resolveNames(graph, config.naming)
    if (config.queries.pagination === 'legacy') {
      deprecate(
        'GAG_LEGACY_PAGINATION',
        "queries.pagination: 'legacy' (limit/offset lists) is deprecated; use 'relay' connections (first/after, edges { node }). `graphql-auto-gen migrate` rewrites client documents.",
      )
    }
    const optionsByName = new Map(config.models.map((m) => [m.name, m.options]))
    const access = buildAccessRules(
      config.security,
      [...names.models.values()].map((m) => ({
        name: m.model.name,
        typeName: m.typeName,
        options: withComputedGuards(optionsByName.get(m.model.name) ?? {}, m.model),
      })),
    )
    const runtime: SchemaRuntime = { database, graph, names, config, access, plugins }
    const changes = createChangeFeed({
      settings: config.subscriptions,
      database,
      names,
      pubsub: this.options.pubsub,
    })
    if (changes) runtime.changes = changes
    if (config.queries.filtering === 'basic') {
      deprecate(
        'GAG_BASIC_FILTERING',
        'queries.filtering: \'basic\' (equality only, `filter: {username: "John"}`) is deprecated; use \'advanced\' (`filter: {username: {exact: "John"}}`, with contains, gte, in, and/or/not and relation filters).',
      )
    }
    const { pagination, filtering, ordering } = config.queries
    const types = buildModelTypes(names, pagination, filtering, access, ordering)
    return new GraphQLSchema({
      query: buildQueryType(runtime, types),
      mutation: config.mutations.enabled ? buildMutationType(runtime, types) : undefined,
      subscription: buildSubscriptionType(runtime, types),
      types: [...types.objects.values()],
      extensions: runtimeExtensions(runtime),
    })
  }
}

/** The schema in a stable order, for SDL snapshots and exports. */
export function sortedSchema(schema: GraphQLSchema): GraphQLSchema {
  return lexicographicSortSchema(schema)
}
