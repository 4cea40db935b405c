import { callerKey } from '../auth/index.js'
import type { ResolvedConfig } from '../config/index.js'
import { ReplicatedDatabase } from '../database/index.js'
import { definePlugin } from '../plugins/index.js'
import type { Plugin } from '../plugins/index.js'

/**
 * With `database.replicas`, gives each request the database as its caller uses it, so the
 * caller's own writes send their next reads to the primary (read-your-writes). Runs after the
 * other request hooks, so the caller is known (the same key as the rate limiter's).
 */
export function replicaRoutingPlugin(config: ResolvedConfig): Plugin {
  const rate = config.security.rateLimiting
  const trustProxy = rate !== false && rate.trustProxy
  return definePlugin({
    name: 'graphql-auto-gen:replica-routing',
    request(context) {
      if (context.database instanceof ReplicatedDatabase)
        context.database = context.database.forCaller(callerKey(context, { trustProxy }))
    },
  })
}
