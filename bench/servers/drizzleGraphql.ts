// drizzle-graphql: buildSchema(drizzle(pool)) served by graphql-yoga on node:http, all from the
// bench's own node_modules (one graphql copy shared by drizzle-graphql and yoga).
import { createServer } from 'node:http'
import { drizzle } from 'drizzle-orm/node-postgres'
import { buildSchema } from 'drizzle-graphql'
import { createYoga } from 'graphql-yoga'
import pg from 'pg'
import { drizzleShopSchema } from './drizzleRelations.js'
import { announceReady, exitOnSignal, serverEnv } from './serverEnv.js'

const env = serverEnv()
const pool = new pg.Pool({ connectionString: env.databaseUrl, max: env.poolSize })
const db = drizzle(pool, { schema: drizzleShopSchema })
const { schema } = buildSchema(db)
const yoga = createYoga({
  schema,
  graphqlEndpoint: '/graphql',
  graphiql: false,
  landingPage: false,
  logging: false,
})
const server = createServer(yoga)
exitOnSignal(() => pool.end())
server.listen(env.port, '127.0.0.1', () => announceReady(`http://127.0.0.1:${env.port}/graphql`))
