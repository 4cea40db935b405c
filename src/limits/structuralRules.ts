import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives'
import type { GraphQLError, ValidationRule } from 'graphql'
import type { ResolvedLimits } from '../config/index.js'
import { limitExceeded } from './limitErrors.js'
import type { LimitName } from './limitErrors.js'

/**
 * Validation rules for depth, aliases and directives (graphql-armor's, which follow fragments and
 * skip introspection for depth). Armor's own errors carry no code, so each rejection is reported
 * again as QUERY_LIMIT_EXCEEDED and armor's is not propagated.
 */
export function structuralRules(limits: ResolvedLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      // A fragment spread is not a level: Relay and Apollo split one selection into fragments.
      flattenFragments: true,
      ...coded('depth', 'Query depth', limits.maxDepth),
    }),
    maxAliasesRule({ n: limits.maxAliases, ...coded('aliases', 'Aliases', limits.maxAliases) }),
    maxDirectivesRule({
      n: limits.maxDirectives,
      ...coded('directives', 'Directives', limits.maxDirectives),
    }),
  ] as ValidationRule[]
}

function coded(limit: LimitName, what: string, max: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: { reportError(error: GraphQLError): void } | null, error: GraphQLError) => {
        // Armor states the count only in its message ("…, found 17.").
        const found = Number(/found (\d+)/.exec(error.message)?.[1])
        const foundText = Number.isFinite(found) ? ` (found ${found})` : ''
        context?.reportError(
          limitExceeded(
            limit,
            `${what} limit of ${max} exceeded${foundText}.`,
            max,
            Number.isFinite(found) ? found : undefined,
          ),
        )
      },
    ],
  }
}
