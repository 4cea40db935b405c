/** The warning type every deprecation is emitted under, so users can filter them. */
export const DEPRECATION_WARNING_TYPE = 'GraphQLDeprecationWarning'

const emitted = new Set<string>()

/**
 * Emits one deprecation warning per code per process through `process.emitWarning`, with a stable
 * code (listed in docs/deprecations.md). Silent when NODE_ENV=production.
 */
export function deprecate(code: string, message: string): void {
  if (emitted.has(code) || process.env['NODE_ENV'] === 'production') return
  emitted.add(code)
  process.emitWarning(message, { type: DEPRECATION_WARNING_TYPE, code })
}
