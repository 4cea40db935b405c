import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql'
import type { GraphQLFieldConfig } from 'graphql'
import type { RequestContext } from '../plugins/index.js'
import type { BudgetStatus } from './costLimiter.js'

/** Where the limits plugin leaves this operation's budget for the `rateLimit` field. */
export const RATE_LIMIT_STATE = 'graphql-auto-gen:rateLimit'

/** This operation's cost and the caller's budget after it, as kept in `context.state`. */
export interface RateLimitState extends BudgetStatus {
  cost: number
}

/**
 * Adds `rateLimit { cost limit remaining used resetAt }` to Query, like GitHub's. It costs nothing
 * (`extensions.cost: 0`) and reads what the server stored for this operation; outside a
 * rate-limited server (plain graphql-js) it is null.
 */
export function withRateLimitField(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType()
  if (!query || query.getFields()['rateLimit']) return schema
  const rateLimitType = new GraphQLObjectType({
    name: 'RateLimit',
    description: "The caller's query-cost budget, after this operation.",
    fields: {
      cost: {
        type: new GraphQLNonNull(GraphQLInt),
        description: 'Points this operation cost (its requested cost).',
      },
      limit: { type: new GraphQLNonNull(GraphQLInt), description: 'Points per window.' },
      remaining: { type: new GraphQLNonNull(GraphQLInt), description: 'Points left in this window.' },
      used: { type: new GraphQLNonNull(GraphQLInt), description: 'Points spent in this window.' },
      resetAt: {
        type: new GraphQLNonNull(GraphQLString),
        description: 'When the window ends (ISO 8601 date-time).',
        resolve: (state: RateLimitState) => state.resetAt.toISOString(),
      },
    },
  })
  const rateLimit: GraphQLFieldConfig<unknown, unknown> = {
    type: rateLimitType,
    description: "The caller's rate limit budget. Costs nothing.",
    // Made for this caller by this very operation: never served from the response cache.
    extensions: { cost: 0, responseCache: false },
    resolve: (_source, _args, context) => {
      const state = (context as Partial<RequestContext> | undefined)?.state?.[RATE_LIMIT_STATE] as
        RateLimitState | undefined
      return state ? { ...state, used: state.limit - state.remaining } : null
    },
  }
  const config = schema.toConfig()
  const queryConfig = query.toConfig()
  const newQuery = new GraphQLObjectType({ ...queryConfig, fields: { ...queryConfig.fields, rateLimit } })
  return new GraphQLSchema({
    ...config,
    query: newQuery,
    types: [...config.types.filter((type) => type !== query), rateLimitType],
  })
}
