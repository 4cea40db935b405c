import { z } from 'zod'

const positiveInt = z.number().int().positive()

/** `security.rateLimiting` as an options object (see limits/). */
const rateLimitingOptions = z.strictObject({
  points: positiveInt.default(100_000),
  durationSeconds: positiveInt.default(60),
  store: z.enum(['memory', 'redis']).default('memory'),
  redisUrl: z.string().optional(),
  failMode: z.enum(['open', 'closed']).default('open'),
  keyPrefix: z.string().min(1).default('gag:rl'),
  trustProxy: z.boolean().default(false),
})

/** `cache.responses`: whole-response caching of queries (see cache/). */
const responseCacheOptions = z.strictObject({
  enabled: z.boolean().default(false),
  ttlSeconds: positiveInt.default(60),
  store: z.enum(['memory', 'redis']).default('memory'),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis://… or rediss://…')
    .optional(),
  keyPrefix: z.string().min(1).default('gag:rc'),
  maxEntries: positiveInt.default(10_000),
})

/** `security.jwt`: Bearer JWT verification (see auth/SecurityOptions.ts). */
const jwtOptions = z.strictObject({
  // HS256 needs a key as long as its hash (RFC 7518 §3.2); shorter secrets are guessable offline.
  secret: z.string().min(32, 'an HS256 secret must be at least 32 characters').optional(),
  publicKey: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
  algorithms: z
    .array(
      z.enum([
        'HS256',
        'HS384',
        'HS512',
        'RS256',
        'RS384',
        'RS512',
        'PS256',
        'PS384',
        'PS512',
        'ES256',
        'ES384',
        'ES512',
        'EdDSA',
      ]),
    )
    .min(1)
    .optional(),
  issuer: z.union([z.string(), z.array(z.string())]).optional(),
  audience: z.union([z.string(), z.array(z.string())]).optional(),
  clockToleranceSeconds: z.number().min(0).optional(),
  requireExpiry: z.boolean().optional(),
  claims: z
    .strictObject({
      id: z.string().optional(),
      isStaff: z.string().optional(),
      isSuperuser: z.string().optional(),
      permissions: z.string().optional(),
      groups: z.string().optional(),
    })
    .optional(),
  // A function, so auth/ checks it (resolveSecurity, called by schema/ resolveConfig).
  mapUser: z.unknown().optional(),
})

/**
 * The validated shape of everything but `models`, `plugins` and `naming` (checked separately, since
 * they hold tables and functions). Strict objects, so a misspelt key is an error, not a silent no-op.
 */
export const configSchema = z.strictObject({
  models: z.unknown().optional(),
  modelFiles: z.union([z.literal('auto'), z.array(z.string())]).optional(),
  enableMutations: z.boolean().optional(),
  enableSubscriptions: z.boolean().optional(),
  database: z
    .strictObject({
      url: z.string().optional(),
      dataDir: z.string().optional(),
      poolSize: positiveInt.default(10),
      statementTimeoutMs: positiveInt.default(30_000),
      acquireTimeoutMs: positiveInt.default(5_000),
      preparedStatements: z.boolean().default(true),
      replicas: z.array(z.string().regex(/^postgres(ql)?:\/\//i, 'expected postgres://…')).default([]),
      readYourWritesMs: z.number().int().min(0).default(1_000),
      maxReplicaLagMs: positiveInt.default(5_000),
    })
    .default({
      poolSize: 10,
      statementTimeoutMs: 30_000,
      acquireTimeoutMs: 5_000,
      preparedStatements: true,
      replicas: [],
      readYourWritesMs: 1_000,
      maxReplicaLagMs: 5_000,
    }),
  mutations: z
    .strictObject({
      enabled: z.boolean().default(true),
      bulkOperations: z.boolean().default(true),
      softDelete: z.boolean().default(false),
      maxBulkSize: positiveInt.default(1000),
      allowHardDelete: z.boolean().default(false),
      // A function, so it is checked in validateConfig (zod validates data, not functions).
      passwordHasher: z.unknown().optional(),
    })
    .default({
      enabled: true,
      bulkOperations: true,
      softDelete: false,
      maxBulkSize: 1000,
      allowHardDelete: false,
    }),
  queries: z
    .strictObject({
      pagination: z.enum(['relay', 'legacy']).default('relay'),
      filtering: z.enum(['advanced', 'basic']).default('advanced'),
      ordering: z.boolean().default(true),
      queryOptimization: z.boolean().default(true),
      defaultPageSize: positiveInt.default(100),
      maxPageSize: positiveInt.default(1000),
      /** How deeply `and`/`or`/`not` and relation filters may nest before a filter is refused. */
      maxFilterDepth: positiveInt.default(10),
      unsafeRegexOnPGlite: z.boolean().default(false),
    })
    .default({
      pagination: 'relay',
      filtering: 'advanced',
      ordering: true,
      queryOptimization: true,
      defaultPageSize: 100,
      maxPageSize: 1000,
      maxFilterDepth: 10,
      unsafeRegexOnPGlite: false,
    }),
  security: z
    .strictObject({
      authenticationRequired: z.boolean().default(false),
      allowAnonymousIntrospection: z.boolean().default(false),
      // Names of built-in classes, or class objects (checked by auth/ resolveSecurity, resolved at build).
      permissionClasses: z.array(z.unknown()).default(['AllowAny']),
      appLabel: z.unknown().optional(),
      jwt: jwtOptions.optional(),
      // A function, so auth/ checks it (resolveSecurity).
      authenticate: z.unknown().optional(),
      anonymous: z.enum(['allow', 'reject']).default('allow'),
      invalidToken: z.enum(['reject', 'anonymous']).default('reject'),
      introspection: z.boolean().default(() => process.env['NODE_ENV'] !== 'production'),
      // `true` means every default of the options object; resolved here so readers see one shape.
      rateLimiting: z
        .union([z.boolean(), rateLimitingOptions])
        .default(false)
        .transform((value) => (value === true ? rateLimitingOptions.parse({}) : value)),
    })
    .default(() => ({
      authenticationRequired: false,
      allowAnonymousIntrospection: false,
      permissionClasses: ['AllowAny'],
      anonymous: 'allow' as const,
      invalidToken: 'reject' as const,
      introspection: process.env['NODE_ENV'] !== 'production',
      rateLimiting: false as const,
    })),
  performance: z
    .strictObject({
      enableQueryAnalysis: z.boolean().default(true),
      maxQueryComplexity: positiveInt.default(25_000),
      enableAutomaticOptimization: z.boolean().default(true),
      // Repeat JSON POSTs of fast-path queries answered on node:http (needs enableAutomaticOptimization).
    })
    .default({
      enableQueryAnalysis: true,
      maxQueryComplexity: 25_000,
      enableAutomaticOptimization: true,
    }),
  subscriptions: z
    .strictObject({
      enabled: z.boolean().default(false),
      // 'websocket': graphql-ws and SSE; 'sse': SSE only (no WebSocket server).
      transport: z.enum(['websocket', 'sse']).default('websocket'),
      authenticationRequired: z.boolean().default(false),
      pubsub: z.enum(['memory', 'redis', 'postgres']).default('memory'),
      redisUrl: z
        .string()
        .regex(/^rediss?:\/\//, 'expected redis://… or rediss://…')
        .optional(),
      // Part of Redis and NOTIFY channel names: instances sharing a broker must share it.
      channelPrefix: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _ only')
        .max(40)
        .default('graphql_auto_gen'),
      maxSubscriptionsPerSocket: positiveInt.default(100),
      maxMessageBytes: positiveInt.default(65_536),
      connectionInitTimeoutMs: positiveInt.default(3_000),
      reauthenticateIntervalMs: z.number().int().min(0).default(0),
      databaseTriggers: z.boolean().default(false),
    })
    .default({
      enabled: false,
      transport: 'websocket',
      authenticationRequired: false,
      pubsub: 'memory',
      channelPrefix: 'graphql_auto_gen',
      maxSubscriptionsPerSocket: 100,
      maxMessageBytes: 65_536,
      connectionInitTimeoutMs: 3_000,
      reauthenticateIntervalMs: 0,
      databaseTriggers: false,
    }),
  limits: z
    .strictObject({
      maxDepth: positiveInt.default(15),
      maxAliases: positiveInt.default(30),
      maxDirectives: positiveInt.default(50),
      maxTokens: positiveInt.default(5000),
      maxDocumentLength: positiveInt.default(20_000),
      maxRequestBytes: positiveInt.default(1_048_576),
      maxBatchedOperations: positiveInt.default(10),
      maxResponseErrors: positiveInt.default(10),
      oversizedPages: z.enum(['reject', 'cap']).default('reject'),
      fieldSuggestions: z.boolean().default(() => process.env['NODE_ENV'] !== 'production'),
      costWeights: z
        .strictObject({
          scalar: z.number().min(0).default(0),
          object: z.number().min(0).default(1),
          connection: z.number().min(0).default(1),
          mutation: z.number().min(0).default(10),
          fields: z.record(z.string(), z.number().min(0)).default({}),
        })
        .default({ scalar: 0, object: 1, connection: 1, mutation: 10, fields: {} }),
      costInResponse: z.boolean().default(false),
    })
    .default(() => ({
      maxDepth: 15,
      maxAliases: 30,
      maxDirectives: 50,
      maxTokens: 5000,
      maxDocumentLength: 20_000,
      maxRequestBytes: 1_048_576,
      maxBatchedOperations: 10,
      maxResponseErrors: 10,
      oversizedPages: 'reject' as const,
      fieldSuggestions: process.env['NODE_ENV'] !== 'production',
      costWeights: { scalar: 0, object: 1, connection: 1, mutation: 10, fields: {} },
      costInResponse: false,
    })),
  plugins: z.array(z.unknown()).default([]),
  // defineResolvers(...) results, checked by schema/ resolveConfig and attached to models at build.
  resolvers: z.array(z.unknown()).default([]),
  cache: z
    .strictObject({
      responses: responseCacheOptions.default(() => responseCacheOptions.parse({})),
    })
    .default(() => ({ responses: responseCacheOptions.parse({}) })),
  naming: z.record(z.string(), z.unknown()).default({}),
  server: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(4000),
      host: z.string().default('127.0.0.1'),
      graphqlPath: z.string().startsWith('/').default('/graphql'),
      graphiql: z.boolean().default(() => process.env['NODE_ENV'] !== 'production'),
      shutdownTimeoutMs: positiveInt.default(10_000),
      // Absent: LOG_LEVEL, else silent under NODE_ENV=test, else info (resolved by the server).
      logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
      metrics: z.boolean().default(true),
      metricsPath: z.string().startsWith('/').default('/metrics'),
      allowUploads: z.boolean().default(false),
      debugSql: z.boolean().default(false),
    })
    .default(() => ({
      port: 4000,
      host: '127.0.0.1',
      graphqlPath: '/graphql',
      graphiql: process.env['NODE_ENV'] !== 'production',
      shutdownTimeoutMs: 10_000,
      metrics: true,
      metricsPath: '/metrics',
      allowUploads: false,
      debugSql: false,
    })),
})
