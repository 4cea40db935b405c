import type { ResolvedConfig } from '../config/index.js'
import { definePlugin } from '../plugins/index.js'
import type { Plugin } from '../plugins/index.js'
import { checkCostWeights } from './checkCostWeights.js'
import { createCostLimiter } from './costLimiter.js'
import { limitsServer } from './limitsServer.js'
import { withRateLimitField } from './rateLimitField.js'

/**
 * Built-in plugin for query cost, abuse limits and rate limiting. Its schema hook adds the
 * `rateLimit` field (when rate limiting is on); its server hook makes, per server, the limiter
 * (memory, or Redis shared by every instance) and the graphql-yoga plugin that enforces it all.
 */
export function limitsPlugin(config: ResolvedConfig): Plugin {
  const rate = config.security.rateLimiting === false ? undefined : config.security.rateLimiting
  return definePlugin({
    name: 'graphql-auto-gen:limits',
    // Rate limiting and every later hook need to know who is calling.
    after: ['graphql-auto-gen:auth'],
    schema: (schema) => (rate ? withRateLimitField(schema) : schema),
    server({ schema }) {
      // Checked against the final schema, so weights of fields other plugins add are valid too.
      checkCostWeights(schema, config.limits.costWeights.fields)
      const limiter = rate ? createCostLimiter(rate) : undefined
      const { operation } = limitsServer(schema, config, limiter, rate)
      return { operation, close: async () => limiter?.close() }
    },
  })
}
