/** The warning type every deprecation is emitted under, so users can filter them. */
export const DEPRECATION_WARNING_TYPE = 'GraphQLDeprecationWarning'

/** The environment variable that overrides when deprecation warnings are shown. */
export const DEPRECATIONS_ENV = 'GRAPHQL_AUTO_GEN_DEPRECATIONS'

/** One deprecated feature: what it is, since and until when it works, and what replaces it. */
export interface Deprecation {
  feature: string
  /** The version that deprecated it. */
  since: string
  /** The version that removes it. */
  removal: string
  replacement: string
}

/**
 * The catalogue of deprecation codes; docs/deprecations.md lists exactly these (a test checks).
 * Versions follow the design source's timeline (2.1 deprecations go in 3.1, 3.0 ones in 4.0).
 */
export const DEPRECATIONS = {
  GAG_LEGACY_PAGINATION: {
    feature: "`queries.pagination: 'legacy'` (limit/offset lists)",
    since: '2.1',
    removal: '3.1',
    replacement: "`queries.pagination: 'relay'` connections; `graphql-auto-gen migrate` rewrites documents",
  },
  GAG_BASIC_FILTERING: {
    feature: "`queries.filtering: 'basic'` (equality-only filters)",
    since: '2.1',
    removal: '3.1',
    replacement: "`queries.filtering: 'advanced'` (`{ exact: … }` and the other lookups)",
  },
  GAG_EXTENSION_ADAPTER: {
    feature: 'v2.1 extensions (an object with `processSchema(schema)`) in `plugins`',
    since: '2.1',
    removal: '3.1',
    replacement: '`definePlugin({ name, schema })` or a `BasePlugin` subclass',
  },
  GAG_V2_CONFIG: {
    feature: 'v2 config shape (`SCHEMA_CONFIG` with snake_case keys, `extensions`)',
    since: '3.0',
    removal: '4.0',
    replacement: '`defineConfig({ … })` with camelCase keys; `graphql-auto-gen migrate --from 2.1 --to 3.0`',
  },
} as const satisfies Record<string, Deprecation>

/** A code of the {@link DEPRECATIONS} catalogue. */
export type DeprecationCode = keyof typeof DEPRECATIONS

const emitted = new Set<DeprecationCode>()

/**
 * Emits one `GraphQLDeprecationWarning` per code per process through `process.emitWarning`, with
 * the code from the catalogue. Shown unless NODE_ENV=production; `GRAPHQL_AUTO_GEN_DEPRECATIONS`
 * set to `show` or `hide` overrides that either way.
 */
export function deprecate(code: DeprecationCode, message: string): void {
  if (emitted.has(code) || !deprecationsShown()) return
  emitted.add(code)
  process.emitWarning(message, { type: DEPRECATION_WARNING_TYPE, code })
}

/** Whether deprecation warnings are shown now (read on every call, so tests may change the env). */
export function deprecationsShown(): boolean {
  const setting = process.env[DEPRECATIONS_ENV]?.trim().toLowerCase()
  if (setting === 'show') return true
  if (setting === 'hide') return false
  return process.env['NODE_ENV'] !== 'production'
}

/** Forgets which codes were emitted, so a test can see a warning again. Tests only. */
export function resetDeprecations(): void {
  emitted.clear()
}
