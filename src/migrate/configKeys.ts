/** Top-level keys of the v3 config (config/UserConfig.ts). */
export const V3_KEYS = [
  'models',
  'database',
  'mutations',
  'queries',
  'security',
  'limits',
  'performance',
  'subscriptions',
  'plugins',
  'resolvers',
  'cache',
  'naming',
  'server',
]

/** Sections whose snake_case keys become camelCase in 3.0. */
export const SECTIONS = ['mutations', 'queries', 'security', 'performance', 'subscriptions']

/** v2 `SCHEMA_CONFIG` switches that became a section's `enabled` in 3.0 (the design source's SchemaConfig arguments). */
const SWITCHES: Record<string, [string, string]> = {
  enable_mutations: ['mutations', 'enabled'],
  enable_subscriptions: ['subscriptions', 'enabled'],
}

/** `bulk_operations` → `bulkOperations`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/**
 * Where a key path inside a v2 `SCHEMA_CONFIG` lives in the v3 config: `['queries', 'max_page_size']`
 * → `['queries', 'maxPageSize']`, `['enable_mutations']` → `['mutations', 'enabled']`,
 * `['extensions']` → `['plugins']`. Undefined for `async_support`, which 3.0 removed (every
 * resolver may be async).
 */
export function v3KeyPath(path: readonly string[]): string[] | undefined {
  const [first, second, ...rest] = path
  if (first === undefined || first === 'async_support') return undefined
  const switched = SWITCHES[first]
  if (switched) return [...switched, ...path.slice(1)]
  if (first === 'extensions') return ['plugins', ...path.slice(1)]
  const key = camelCase(first)
  if (second !== undefined && SECTIONS.includes(key)) return [key, camelCase(second), ...rest]
  return [key, ...path.slice(1)]
}

/** Where a v1 key lives in the v2 config: `MODELS` → `SCHEMA_CONFIG.models`; undefined for others. */
export function v2KeyPath(path: readonly string[]): string[] | undefined {
  const [first, ...rest] = path
  if (first === 'MODELS') return ['SCHEMA_CONFIG', 'models', ...rest]
  if (first === 'ENABLE_MUTATIONS') return ['SCHEMA_CONFIG', 'mutations', 'enabled', ...rest]
  if (first !== undefined && V3_KEYS.includes(first)) return ['SCHEMA_CONFIG', first, ...rest]
  return undefined
}
