// graphql-auto-gen as a user would run it: the shop example's config on PostgreSQL, served by
// createServer. Imports only the library (never the bench's graphql copy).
import { SchemaBuilder } from '../../src/index.js'
import { createServer } from '../../src/server/index.js'
import shopConfig from '../../examples/shop/graphql-auto-gen.config.js'
import { announceReady, exitOnSignal, serverEnv } from './serverEnv.js'

const env = serverEnv()
const schema = new SchemaBuilder({
  ...shopConfig,
  database: {
    url: env.databaseUrl,
    poolSize: env.poolSize,
    // BENCH_PREPARED=0: every statement unnamed (parsed and planned per request), for experiments.
    preparedStatements: process.env['BENCH_PREPARED'] !== '0',
  },
  server: { ...shopConfig.server, graphiql: false },
  // The default cost limit (1000) refuses Q2 (20 users × 5 orders × a default page of 20 items
  // costs ~4,300); the peers have no limit. Raising it keeps the analysis (and its cost) running.
  performance: { ...shopConfig.performance, maxQueryComplexity: 100_000 },
  // Q6 (bulk create) needs the mutations; the peers expose theirs by default.
  mutations: { ...shopConfig.mutations, enabled: true, bulkOperations: true },
}).build()
const server = createServer({ schema })
exitOnSignal(() => server.close())
const url = await server.listen(env.port, '127.0.0.1')
announceReady(url)
