import { z } from 'zod'

const positiveInt = z.number().int().positive()

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
    })
    .default({ enabled: true, bulkOperations: true, softDelete: false }),
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
      rateLimiting: z.boolean().default(false),
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
