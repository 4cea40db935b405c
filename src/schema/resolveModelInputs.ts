import { ConfigError } from '../errors.js'
import { suggestion } from '../didYouMean.js'
import { drizzleNonModelKind, isModelSource, sourceName } from '../models/index.js'
import type { ModelOptions, NamedModelInput } from '../models/index.js'
import { camelCase } from '../naming/index.js'

/** Keys a model options object accepts, for did-you-mean on typos. */
const MODEL_OPTION_KEYS = [
  'table',
  'primaryKey',
  'typeName',
  'description',
  'fields',
  'relations',
  'softDelete',
  'defaultOrderBy',
  'permissions',
  'rowPolicy',
  'removedFields',
]

/** Config `models` resolved: each model by name, and the exports skipped as not models. */
export interface ModelInputs {
  models: NamedModelInput[]
  skipped: Array<{ key: string; kind: string }>
}

/**
 * Config `models` (an object, a schema module or a list) as named model options: keys name
 * models, list entries are named after their table (camelCase); `source` prefixes messages. Here,
 * above models/ and naming/, because it needs both (config/ hands `models` on as written).
 */
export function resolveModelInputs(models: unknown, source: string): ModelInputs {
  if (models === undefined || models === null) {
    throw new ConfigError(
      `${source}: models: required. Pass your Drizzle tables, e.g. \`models: { users, orders }\`.`,
    )
  }
  // A module namespace (`import * as schema`) may export anything; a plain object only models
  // and Drizzle's own non-model exports, so a typo there is still an error.
  const isModule = (models as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module'
  const skipped: Array<{ key: string; kind: string }> = []
  const entries: Array<[string | undefined, unknown]> = (
    Array.isArray(models)
      ? models.map((m): [undefined, unknown] => [undefined, m])
      : typeof models === 'object'
        ? Object.entries(models)
        : []
  ).filter(([key, value]) => {
    const kind = drizzleNonModelKind(value) ?? (isModule && !isModelOptions(value) ? typeof value : undefined)
    if (kind !== undefined) skipped.push({ key: String(key), kind })
    return kind === undefined
  })
  if (entries.length === 0) {
    throw new ConfigError(
      `${source}: models: expected at least one Drizzle table or view (an object, a schema module or a list).`,
    )
  }
  const seen = new Map<string, string>()
  const resolved = entries.map(([key, value], index) => {
    const path = `models.${key ?? index}`
    const options = toModelOptions(value, `${source}: ${path}`)
    const name = key ?? camelCase(sourceName(options.table))
    const previous = seen.get(name)
    if (previous !== undefined)
      throw new ConfigError(`${source}: ${path}: model name \`${name}\` is used twice (also at ${previous}).`)
    seen.set(name, path)
    return { name, options }
  })
  return { models: resolved, skipped }
}

function isModelOptions(value: unknown): boolean {
  return isModelSource(value) || (typeof value === 'object' && value !== null && 'table' in value)
}

function toModelOptions(value: unknown, where: string): ModelOptions {
  if (isModelSource(value)) return { table: value }
  if (typeof value === 'object' && value !== null && 'table' in value) {
    const options = value as ModelOptions
    if (!isModelSource(options.table))
      throw new ConfigError(`${where}.table: expected a Drizzle pgTable, pgView or pgMaterializedView.`)
    for (const key of Object.keys(options)) {
      if (!MODEL_OPTION_KEYS.includes(key)) {
        throw new ConfigError(
          `${where}: unknown model option \`${key}\`.${suggestion(key, MODEL_OPTION_KEYS)}`,
        )
      }
    }
    return options
  }
  const shown = typeof value === 'string' ? `the string "${value}"` : typeof value
  throw new ConfigError(
    `${where}: unknown model ${shown}: expected a Drizzle pgTable, pgView, pgMaterializedView or { table, ...options }.` +
      (typeof value === 'string'
        ? ' Dotted model paths are v1 config; run \`graphql-auto-gen migrate\`.'
        : ''),
  )
}
