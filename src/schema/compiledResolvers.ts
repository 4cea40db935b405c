import type { RootTarget } from '../compile/index.js'

/** What a root query field reads, from its coerced arguments (throws BAD_USER_INPUT like its resolver). */
export type TargetOf = (args: Record<string, unknown>) => RootTarget

/** A field resolver the compiler fully answers: a plain read of the compiled row, or a guarded one. */
export type CompiledField = { kind: 'plain' } | { kind: 'guarded'; model: string; fieldKey: string }

const rootReads = new WeakMap<object, TargetOf>()
const fieldResolvers = new WeakMap<object, CompiledField>()

/**
 * Records that `resolve` is one of our root query resolvers reading `targetOf(args)`. The fast
 * path recognises our fields by resolver identity, so a field whose resolver a plugin wrapped or
 * replaced (or a computed field) is never answered without graphql-js.
 */
export function markRootResolver(resolve: object, targetOf: TargetOf): void {
  rootReads.set(resolve, targetOf)
}

/** The target reader of one of our root query resolvers, or undefined for any other resolver. */
export function rootTargetOf(resolve: unknown): TargetOf | undefined {
  return typeof resolve === 'function' ? rootReads.get(resolve) : undefined
}

/** Records that `resolve` only reads its compiled value (guarded: refused for callers without the permission). */
export function markFieldResolver(resolve: object, field: CompiledField): void {
  fieldResolvers.set(resolve, field)
}

/** How one of our object-field resolvers reads its value, or undefined for any other resolver. */
export function compiledFieldOf(resolve: unknown): CompiledField | undefined {
  return typeof resolve === 'function' ? fieldResolvers.get(resolve) : undefined
}
