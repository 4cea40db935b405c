/**
 * The types of the config sections that later stages own. config/ is the ground floor: it checks
 * their outer shape only and leaves their meaning to the stage (models/, auth/, plugins/,
 * naming/); `schema/` binds the precise types (its `StageTypes`) for `defineConfig` and the
 * public `UserConfig`. The defaults here are opaque, for readers that only need config's own keys.
 */
export interface ConfigStageTypes {
  /** `models` as written (models/ `ModelsInput`). */
  models: unknown
  /** One model after resolution: its name and options (models/ `NamedModelInput`). */
  namedModel: unknown
  /** `security` as written, `rateLimiting` aside (auth/ `SecurityOptions`). */
  security: object
  /** `security` with its defaults filled in (auth/ `ResolvedSecurity`). */
  resolvedSecurity: object
  /** One entry of `plugins` (plugins/ `PluginInput`). */
  plugin: unknown
  /** One entry of `resolvers` (models/ `AnyResolverSet`). */
  resolverSet: unknown
  /** `naming` overrides (naming/ `Partial<Inflection>`). */
  naming: object
}

/** Turns a plain password into the text stored in its column (e.g. `scrypt$N$r$p$salt$hash`). */
export type PasswordHasher = (password: string) => string | Promise<string>

/**
 * The configuration file's shape (v3, camelCase). Every key is optional but `models`. `S` types the
 * sections later stages own (see {@link ConfigStageTypes}).
 */
export interface UserConfig<S extends ConfigStageTypes = ConfigStageTypes> {
  /**
   * Drizzle tables and views (or `{ table, ...options }`), keyed by model name, or a list; a whole
   * schema module (`import * as schema`) works too: its enums, sequences and relations are skipped.
   */
  models: S['models']
  /**
   * Files whose TSDoc comments describe the models (tables, views, columns, enums), for
   * descriptions config does not give: paths (relative to the config file, or to the working
   * directory when config is passed in code), or `'auto'` for the files the config file imports
   * from (re-exports followed). Default: none, so nothing is parsed.
   */
  modelFiles?: readonly string[] | 'auto'
  /** Absent `url` → embedded PGlite (in memory, or in `dataDir`). */
  database?: {
    url?: string
    dataDir?: string
    poolSize?: number
    statementTimeoutMs?: number
    /** How long a request waits for a free pooled connection before SERVICE_UNAVAILABLE (default 5000 ms). */
    acquireTimeoutMs?: number
    /**
     * Prepare hot read statements on a PostgreSQL server, so each connection parses them once
     * (default true; statements with filter values are still planned per execution). Turn off
     * behind PgBouncer < 1.21 in transaction mode.
     */
    preparedStatements?: boolean
    /** Streaming replicas (postgres:// URLs) that take plain reads; writes stay on `url`. */
    replicas?: string[]
    /** After a caller's write, their reads stay on the primary this long, in ms (default 1000). */
    readYourWritesMs?: number
    /** A replica further behind the primary than this is skipped, in ms (default 5000). */
    maxReplicaLagMs?: number
  }
  mutations?: {
    enabled?: boolean
    bulkOperations?: boolean
    softDelete?: boolean
    /** Most inputs one bulk call accepts (default 1000). */
    maxBulkSize?: number
    /** Allows `deleteX(id, hard: true)` on soft-delete models (default false). */
    allowHardDelete?: boolean
    /** Hashes write-only password fields before they are stored (default: node:crypto scrypt). */
    passwordHasher?: PasswordHasher
  }
  queries?: {
    pagination?: 'relay' | 'legacy'
    filtering?: 'advanced' | 'basic'
    ordering?: boolean
    queryOptimization?: boolean
    defaultPageSize?: number
    maxPageSize?: number
    /** Deepest nesting of `and`/`or`/`not` and relation filters accepted (default 10). */
    maxFilterDepth?: number
    /** On PGlite (no statement timeout), also run `regex` patterns that could take long (default false). */
    unsafeRegexOnPGlite?: boolean
  }
  /** Authentication, permission classes, introspection (see auth/) and rate limiting. */
  security?: S['security'] & {
    /** Cost-based rate limiting: `true` for the defaults, or options. */
    rateLimiting?: boolean | RateLimitingOptions
  }
  /** Limits checked before execution (depth, aliases, sizes, cost weights). */
  limits?: LimitsOptions
  performance?: {
    enableQueryAnalysis?: boolean
    maxQueryComplexity?: number
    enableAutomaticOptimization?: boolean
  }
  subscriptions?: SubscriptionsOptions
  /** Plugins (definePlugin objects, BasePlugin instances), ordered by their before/after; see docs/plugins.md. */
  plugins?: S['plugin'][]
  /** Computed fields: `[defineResolvers(users, { fullName: field({ needs, resolve }) })]`; see docs/computed-fields.md. */
  resolvers?: S['resolverSet'][]
  /** Response caching (opt-in); see docs/caching.md. */
  cache?: CacheOptions
  /** Replaces naming rules; see `Inflection`. */
  naming?: S['naming']
  server?: {
    port?: number
    host?: string
    graphqlPath?: string
    graphiql?: boolean
    /** How long in-flight requests may run after SIGTERM/SIGINT before their connections are cut (default 10000 ms). */
    shutdownTimeoutMs?: number
    /** Log level of the JSON logs (default: LOG_LEVEL, else `silent` under NODE_ENV=test, else `info`). */
    logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
    /** Serve Prometheus metrics at `metricsPath` (default true). */
    metrics?: boolean
    /** Path of the Prometheus metrics (default `/metrics`). */
    metricsPath?: string
    /** Accept multipart POSTs (file uploads) that carry a preflight header; otherwise refused as CSRF risks (default false). */
    allowUploads?: boolean
    /** Development only: responses carry `extensions.sql` (statements sent, values, route per root field; see performance.md); ignored with a warning under NODE_ENV=production (default false). */
    debugSql?: boolean
  }
}

/** `cache`: caching that spans requests. */
export interface CacheOptions {
  /** Whole responses of queries, per document, variables and caller; invalidated by mutations. */
  responses?: ResponseCacheOptions
}

/** `cache.responses`: serve a repeated query from a cache instead of the database. */
export interface ResponseCacheOptions {
  /** Off by default. */
  enabled?: boolean
  /** How long an answer may be served, in seconds (default 60); mutations invalidate it earlier. */
  ttlSeconds?: number
  /** `memory` (one instance, default) or `redis` (shared: a mutation on one instance invalidates all). */
  store?: 'memory' | 'redis'
  /** Redis for `store: 'redis'` (default: REDIS_URL, else redis://127.0.0.1:6379). */
  redisUrl?: string
  /** Prefix of the keys in the store; instances serving the same API must share it (default `gag:rc`). */
  keyPrefix?: string
  /** Most answers the memory store keeps (default 10000; the oldest go first). */
  maxEntries?: number
}

/** Response cache options with every default filled in. */
export type ResolvedResponseCache = Required<Omit<ResponseCacheOptions, 'redisUrl'>> & { redisUrl?: string }

/** `subscriptions`: change events (`userCreated`, …) over graphql-ws and SSE. */
export interface SubscriptionsOptions {
  enabled?: boolean
  /** `websocket` (graphql-ws on the GraphQL path, plus SSE; default) or `sse` only. */
  transport?: 'websocket' | 'sse'
  /** Refuse anonymous sockets at `connection_init` (close code 4403). */
  authenticationRequired?: boolean
  /** Event broker: `memory` (one instance, default), `redis` (several instances), `postgres` (LISTEN/NOTIFY). */
  pubsub?: 'memory' | 'redis' | 'postgres'
  /** Redis for `pubsub: 'redis'` (default: REDIS_URL, else redis://127.0.0.1:6379). */
  redisUrl?: string
  /** Prefix of broker channel names; instances sharing a broker must share it (default `graphql_auto_gen`). */
  channelPrefix?: string
  /** Concurrent subscriptions one socket may hold (default 100). */
  maxSubscriptionsPerSocket?: number
  /** Largest WebSocket message accepted, in bytes (default 65536; larger closes with 1009). */
  maxMessageBytes?: number
  /** How long a socket may wait before `connection_init` (default 3000 ms, as graphql-ws; then 4408). */
  connectionInitTimeoutMs?: number
  /** Re-authenticate each socket's caller every N ms (default 0: off); a refused caller gets 4403. */
  reauthenticateIntervalMs?: number
  /** With `pubsub: 'postgres'`: install NOTIFY triggers so writes made outside the API are events too. */
  databaseTriggers?: boolean
}

/** `security.rateLimiting` options: a budget of query-cost points per window per caller. */
export interface RateLimitingOptions {
  /** Points a caller may spend per window (default 100000: four operations at the complexity limit). */
  points?: number
  /** Window length in seconds (default 60). */
  durationSeconds?: number
  /** `memory` (per process, default) or `redis` (shared by every instance). */
  store?: 'memory' | 'redis'
  /** Redis URL for `store: 'redis'` (default: REDIS_URL, else redis://127.0.0.1:6379). */
  redisUrl?: string
  /** When Redis is down: `open` serves with a per-instance memory budget (default); `closed` refuses. */
  failMode?: 'open' | 'closed'
  /** Prefix of the budget keys in the store (default `gag:rl`). */
  keyPrefix?: string
  /** Take the client IP from the first `X-Forwarded-For` entry (only behind a trusted proxy). */
  trustProxy?: boolean
}

/** Rate limiting options with every default filled in. */
export type ResolvedRateLimiting = Required<Omit<RateLimitingOptions, 'redisUrl'>> & { redisUrl?: string }

/** Weights of the query cost model (see limits/queryCost.ts). */
export interface CostWeights {
  /** A scalar or enum field (default 0). */
  scalar?: number
  /** An object field, and each row of a list (default 1). */
  object?: number
  /** A connection or legacy list itself, besides its rows (default 1). */
  connection?: number
  /** Each root mutation field (default 10). */
  mutation?: number
  /** Own weight of single fields, keyed `Type.field` (e.g. computed fields). */
  fields?: Record<string, number>
}

/** Limits checked before any SQL runs. */
export interface LimitsOptions {
  /** Deepest field nesting (default 15; introspection is exempt). */
  maxDepth?: number
  /** Aliases per operation, counting fragment spreads (default 30). */
  maxAliases?: number
  /** Directives per operation (default 50). */
  maxDirectives?: number
  /** Lexical tokens per document (default 5000). */
  maxTokens?: number
  /** Characters per document (default 20000). */
  maxDocumentLength?: number
  /** Bytes per HTTP request body (default 1 MiB). */
  maxRequestBytes?: number
  /** Operations per batched HTTP request (default 10; 1 turns batching off). */
  maxBatchedOperations?: number
  /** Errors per response (default 10); the rest are summarised in one TOO_MANY_ERRORS error. */
  maxResponseErrors?: number
  /** `first`/`last`/`limit` above `queries.maxPageSize`: refuse (default) or cap silently. */
  oversizedPages?: 'reject' | 'cap'
  /** "Did you mean" hints in error messages (default: off when NODE_ENV=production). */
  fieldSuggestions?: boolean
  /** Weights of the query cost model. */
  costWeights?: CostWeights
  /**
   * Send `extensions.cost` (requested and actual cost, limit, throttle status) with every response
   * (default false: the actual cost walks the whole result, so it is only computed when shown).
   */
  costInResponse?: boolean
}

/** Limits with every default filled in. */
export interface ResolvedLimits extends Required<Omit<LimitsOptions, 'costWeights'>> {
  costWeights: Required<CostWeights>
}

/** The programmatic shortcut of the design source: `new SchemaConfig({ models: [...], enableMutations })`. */
export interface ProgrammaticConfig<S extends ConfigStageTypes = ConfigStageTypes> extends Omit<
  UserConfig<S>,
  'models'
> {
  models: S['models']
  enableMutations?: boolean
  enableSubscriptions?: boolean
}

/**
 * Configuration after validation, with every default filled in and the stage-owned sections
 * resolved by their stages (schema/ `resolveConfig`). `S` as in {@link UserConfig}.
 */
export interface ResolvedConfig<S extends ConfigStageTypes = ConfigStageTypes> {
  models: S['namedModel'][]
  /** Absolute paths of the files whose TSDoc describes the models (config `modelFiles`). */
  modelFiles: string[]
  /** Exports of `models` that are not models (enums, sequences, relations, …), skipped; servers list them at debug. */
  skippedModelExports: Array<{ key: string; kind: string }>
  database: {
    url?: string
    dataDir?: string
    poolSize: number
    statementTimeoutMs: number
    acquireTimeoutMs: number
    preparedStatements: boolean
    replicas: string[]
    readYourWritesMs: number
    maxReplicaLagMs: number
  }
  mutations: {
    enabled: boolean
    bulkOperations: boolean
    softDelete: boolean
    maxBulkSize: number
    allowHardDelete: boolean
    passwordHasher?: PasswordHasher
  }
  queries: {
    pagination: 'relay' | 'legacy'
    filtering: 'advanced' | 'basic'
    ordering: boolean
    queryOptimization: boolean
    defaultPageSize: number
    maxPageSize: number
    maxFilterDepth: number
    unsafeRegexOnPGlite: boolean
  }
  security: S['resolvedSecurity'] & {
    /** `false`, or the options with defaults (`true` in the file resolves to all defaults). */
    rateLimiting: false | ResolvedRateLimiting
  }
  limits: ResolvedLimits
  performance: {
    enableQueryAnalysis: boolean
    maxQueryComplexity: number
    enableAutomaticOptimization: boolean
  }
  subscriptions: Required<Omit<SubscriptionsOptions, 'redisUrl'>> & { redisUrl?: string }
  plugins: S['plugin'][]
  resolvers: S['resolverSet'][]
  cache: { responses: ResolvedResponseCache }
  naming: S['naming']
  server: {
    port: number
    host: string
    graphqlPath: string
    graphiql: boolean
    shutdownTimeoutMs: number
    logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
    metrics: boolean
    metricsPath: string
    allowUploads: boolean
    debugSql: boolean
  }
}
