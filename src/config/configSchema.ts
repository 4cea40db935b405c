import { z } from 'zod'

const positiveInt = z.number().int().positive()

/** `security.rateLimiting` as an options object (see limits/). */
const rateLimitingOptions = z.strictObject({
  points: positiveInt.default(10_000),
  durationSeconds: positiveInt.default(60),
  store: z.enum(['memory', 'redis']).default('memory'),
  redisUrl: z.string().optional(),
  failMode: z.enum(['open', 'closed']).default('open'),
  keyPrefix: z.string().min(1).default('gag:rl'),
  trustProxy: z.boolean().default(false),
})

/**
 * The validated shape of everything but `models`, `plugins` and `naming` (checked separately, since
 * they hold tables and functions). Strict objects, so a misspelt key is an error, not a silent no-op.
 */
export const configSchema = z.strictObject({
  models: z.unknown().optional(),
  enableMutations: z.boolean().optional(),
  enableSubscriptions: z.boolean().optional(),
  database: z
    .strictObject({
      url: z.string().optional(),
      dataDir: z.string().optional(),
      poolSize: positiveInt.default(10),
      statementTimeoutMs: positiveInt.default(30_000),
    })
    .default({ poolSize: 10, statementTimeoutMs: 30_000 }),
  mutations: z
    .strictObject({
      enabled: z.boolean().default(true),
      bulkOperations: z.boolean().default(true),
      softDelete: z.boolean().default(false),
      maxBulkSize: positiveInt.default(1000),
      allowHardDelete: z.boolean().default(false),
      // A function, so it is checked in SchemaConfig (zod validates data, not functions).
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
    })
    .default({
      pagination: 'relay',
      filtering: 'advanced',
      ordering: true,
      queryOptimization: true,
      defaultPageSize: 100,
      maxPageSize: 1000,
      maxFilterDepth: 10,
    }),
  security: z
    .strictObject({
      authenticationRequired: z.boolean().default(false),
      permissionClasses: z.array(z.string()).default(['AllowAny']),
      // `true` means every default of the options object; resolved here so readers see one shape.
      rateLimiting: z
        .union([z.boolean(), rateLimitingOptions])
        .default(false)
        .transform((value) => (value === true ? rateLimitingOptions.parse({}) : value)),
    })
    .default({ authenticationRequired: false, permissionClasses: ['AllowAny'], rateLimiting: false }),
  performance: z
    .strictObject({
      enableQueryAnalysis: z.boolean().default(true),
      maxQueryComplexity: positiveInt.default(1000),
      enableAutomaticOptimization: z.boolean().default(true),
    })
    .default({ enableQueryAnalysis: true, maxQueryComplexity: 1000, enableAutomaticOptimization: true }),
  subscriptions: z
    .strictObject({
      enabled: z.boolean().default(false),
      transport: z.literal('websocket').default('websocket'),
      authenticationRequired: z.boolean().default(false),
    })
    .default({ enabled: false, transport: 'websocket', authenticationRequired: false }),
  limits: z
    .strictObject({
      maxDepth: positiveInt.default(15),
      maxAliases: positiveInt.default(30),
      maxDirectives: positiveInt.default(50),
      maxTokens: positiveInt.default(5000),
      maxDocumentLength: positiveInt.default(20_000),
      maxRequestBytes: positiveInt.default(1_048_576),
      maxBatchedOperations: positiveInt.default(10),
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
    })
    .default(() => ({
      maxDepth: 15,
      maxAliases: 30,
      maxDirectives: 50,
      maxTokens: 5000,
      maxDocumentLength: 20_000,
      maxRequestBytes: 1_048_576,
      maxBatchedOperations: 10,
      oversizedPages: 'reject' as const,
      fieldSuggestions: process.env['NODE_ENV'] !== 'production',
      costWeights: { scalar: 0, object: 1, connection: 1, mutation: 10, fields: {} },
    })),
  plugins: z.array(z.unknown()).default([]),
  naming: z.record(z.string(), z.unknown()).default({}),
  server: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(4000),
      host: z.string().default('127.0.0.1'),
      graphqlPath: z.string().startsWith('/').default('/graphql'),
      graphiql: z.boolean().default(true),
    })
    .default({ port: 4000, host: '127.0.0.1', graphqlPath: '/graphql', graphiql: true }),
})
