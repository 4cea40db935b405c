import type { ModelNames } from '../naming/index.js'
import { compileFilter } from './compileFilter.js'
import type { FilterContext } from './compileFilter.js'
import type { RowAccess } from './CompileContext.js'

/**
 * Row policies nest at most this deep: a policy's filter may reach related models whose own
 * policies apply in turn; past this depth (mutually recursive policies) rows are refused.
 */
export const MAX_POLICY_DEPTH = 4

/**
 * The `rowConditions` of a compile context: each model's policy filter from `access`, compiled
 * with the filter compiler into the statement being built (so a policy costs no statement of
 * its own). Policy filters are trusted: they may use fields the caller cannot filter on.
 * Recursion through related models is bounded by {@link MAX_POLICY_DEPTH}, failing closed.
 */
export function policyConditions(
  ctx: Omit<FilterContext, 'rowConditions' | 'deniedFields'>,
  access: RowAccess | undefined,
): ((names: ModelNames, alias: string) => string[]) | undefined {
  const filters = access?.rowFilters
  if (!filters || filters.size === 0) return undefined
  let depth = 0
  const rowConditions = (names: ModelNames, alias: string): string[] => {
    const policy = filters.get(names.model.name)
    if (policy === undefined || policy === true || policy === null) return []
    if (policy === false || depth >= MAX_POLICY_DEPTH) return ['false']
    depth++
    try {
      const condition = compileFilter(
        // Policies come from the config, not from callers: their patterns are trusted.
        {
          params: ctx.params,
          nextAlias: ctx.nextAlias,
          options: { ...ctx.options, guardRegex: false },
          rowConditions,
        },
        names,
        policy,
        alias,
      )
      return condition === 'true' ? [] : [condition]
    } finally {
      depth--
    }
  }
  return rowConditions
}
