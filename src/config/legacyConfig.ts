import { deprecate } from '../deprecations.js'
import { ConfigError } from '../errors.js'

/** Sections whose keys (one level down) become camelCase, exactly as `migrate` rewrites them. */
const SECTIONS = ['mutations', 'queries', 'security', 'performance', 'subscriptions']

type Entries = Record<string, unknown>

/**
 * Reads older config shapes: v1 (`MODELS`, `ENABLE_MUTATIONS`, removed in 3.0) is a ConfigError
 * pointing at `graphql-auto-gen migrate`; v2/v2.1 (`SCHEMA_CONFIG` with snake_case keys, possibly
 * inside `GRAPHQL_AUTO_GEN` or as a named export) is still read, as the v3 shape, with the
 * GAG_V2_CONFIG deprecation. Anything else is returned as it is.
 */
export function fromLegacyConfig(input: object, source: string): object {
  const outer = input as Entries
  const root = isObject(outer['GRAPHQL_AUTO_GEN']) ? outer['GRAPHQL_AUTO_GEN'] : outer
  if ('MODELS' in root || 'ENABLE_MUTATIONS' in root) {
    throw new ConfigError(
      `${source}: this is a v1 config (MODELS, ENABLE_MUTATIONS), which 3.0 no longer reads. Run \`graphql-auto-gen migrate --from 1.0 --to 3.0\` to rewrite it as defineConfig({ models, … }).`,
      { source, path: 'MODELS' },
    )
  }
  const legacy = root['SCHEMA_CONFIG']
  if (!isObject(legacy)) return input
  const ignored = Object.keys(root).filter((key) => key !== 'SCHEMA_CONFIG')
  deprecate(
    'GAG_V2_CONFIG',
    `${source}: SCHEMA_CONFIG with snake_case keys is the v2 config shape; it is read as defineConfig({ … }) for now and stops working in 4.0.` +
      (ignored.length > 0 ? ` Keys beside SCHEMA_CONFIG are ignored (${ignored.join(', ')}).` : '') +
      ' Run `graphql-auto-gen migrate --from 2.1 --to 3.0` to rewrite it (camelCase keys, extensions → plugins, no async_support).',
  )
  const converted: Entries = {}
  for (const [key, value] of Object.entries(legacy)) {
    // Every v3 resolver may be async: the v2.1 switch has no meaning any more.
    if (key === 'async_support') continue
    const name = key === 'extensions' ? 'plugins' : camelCase(key)
    converted[name] = SECTIONS.includes(name) && isObject(value) ? camelKeys(value) : value
  }
  return converted
}

/** An object's own keys in camelCase, one level only (values, e.g. a JWK, are kept as they are). */
function camelKeys(value: Entries): Entries {
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [camelCase(key), inner]))
}

/** `bulk_operations` → `bulkOperations` (the rule `migrate` applies). */
function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

function isObject(value: unknown): value is Entries {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
