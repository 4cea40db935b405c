// PostGraphile 5 (Amber preset) with simplify-inflection and connection-filter, served by grafserv
// on node:http. Index-based behaviours are disabled so that, like the other servers, it may filter
// and order on any column (by default PostGraphile 5 only exposes indexed columns for those).
import './polyfill.js'
import { createServer } from 'node:http'
import { postgraphile } from 'postgraphile'
import { makePgService } from 'postgraphile/adaptors/pg'
import { grafserv } from 'postgraphile/grafserv/node'
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber'
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection'
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter'
import { announceReady, exitOnSignal, serverEnv } from './serverEnv.js'

const env = serverEnv()
const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset, PostGraphileConnectionFilterPreset],
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [
    makePgService({
      connectionString: env.databaseUrl,
      schemas: ['public'],
      poolConfig: { max: env.poolSize },
    }),
  ],
  // Q6 sends 1,000 aliased mutations in one document (~150 kB), above the 100 kB default.
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false, maxRequestLength: 10_000_000 },
  grafast: { explain: false },
}
const pgl = postgraphile(preset)
const serv = pgl.createServ(grafserv)
const server = createServer()
server.on('error', (error) => {
  console.error(error)
  process.exit(1)
})
exitOnSignal(() => pgl.release())
await serv.addTo(server)
// Build the schema before announcing, so the first measured request does not pay for it.
await pgl.getSchema()
server.listen(env.port, '127.0.0.1', () => announceReady(`http://127.0.0.1:${env.port}/graphql`))
