import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { z } from 'zod'
import { resolveSecurity } from '../auth/index.js'
import { ConfigError } from '../errors.js'
import { suggestion } from '../didYouMean.js'
import { drizzleNonModelKind, isModelSource, isResolverSet, sourceName } from '../models/index.js'
import type { AnyResolverSet, ModelInput, ModelOptions, NamedModelInput } from '../models/index.js'
import { camelCase } from '../naming/index.js'
import type { PluginInput } from '../plugins/index.js'
import { configSchema } from './configSchema.js'
import { fromLegacyConfig } from './legacyConfig.js'
import type { PasswordHasher, ProgrammaticConfig, ResolvedConfig, UserConfig } from './UserConfig.js'

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

/**
 * A validated configuration with defaults filled in. Accepts the v3 file shape and the
 * programmatic shortcut (`enableMutations`, `enableSubscriptions`); errors name the key and what
 * was expected.
 */
export class SchemaConfig {
  /** The configuration every stage reads. */
  readonly resolved: ResolvedConfig

  /** `source` (a file name) prefixes error messages. */
  constructor(input: UserConfig | ProgrammaticConfig, source = 'config') {
    this.resolved = resolveConfig(input, source)
  }
}

/** Validates raw config and fills defaults; `source` (a file name) prefixes messages. */
export function resolveConfig(input: unknown, source = 'config'): ResolvedConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(`${source}: expected an object (use \`defineConfig({ models: { … } })\`).`)
  }
  input = fromLegacyConfig(input, source)
  const parsed = configSchema.safeParse(input)
  if (!parsed.success) throw new ConfigError(formatIssue(source, parsed.error.issues[0]!), { source })
  const value = parsed.data
  const raw = input as ProgrammaticConfig
  const { passwordHasher, ...mutationFlags } = value.mutations
  if (passwordHasher !== undefined && typeof passwordHasher !== 'function') {
    throw new ConfigError(
      `${source}: mutations.passwordHasher: expected a function (password: string) => string | Promise<string>.`,
    )
  }
  const mutations: ResolvedConfig['mutations'] = {
    ...mutationFlags,
    ...(passwordHasher !== undefined ? { passwordHasher: passwordHasher as PasswordHasher } : {}),
  }
  if (value.enableMutations !== undefined) mutations.enabled = value.enableMutations
  const subscriptions = { ...value.subscriptions }
  if (value.enableSubscriptions !== undefined) subscriptions.enabled = value.enableSubscriptions
  if (value.queries.defaultPageSize > value.queries.maxPageSize) {
    throw new ConfigError(
      `${source}: queries.defaultPageSize (${value.queries.defaultPageSize}) must not exceed queries.maxPageSize (${value.queries.maxPageSize}).`,
    )
  }
  for (const [index, plugin] of value.plugins.entries()) {
    // Names, configs and order are checked when the schema is built (resolvePlugins); v2.1
    // extensions (processSchema, no name) still pass, through a deprecated adapter.
    const shape = plugin as { name?: unknown; processSchema?: unknown } | null
    if (
      typeof shape !== 'object' ||
      shape === null ||
      (typeof shape.name !== 'string' && typeof shape.processSchema !== 'function')
    ) {
      throw new ConfigError(
        `${source}: plugins.${index}: expected a plugin object with a \`name\` (see definePlugin) or a BasePlugin instance.`,
      )
    }
  }
  for (const [index, set] of value.resolvers.entries()) {
    if (!isResolverSet(set))
      throw new ConfigError(
        `${source}: resolvers.${index}: expected defineResolvers(table, { name: field(…) }).`,
      )
  }
  const url = value.database.url
  if (url !== undefined && url !== '' && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError(
      `${source}: database.url: expected a postgres:// or postgresql:// URL, got "${url.split(':')[0]}:…".`,
    )
  }
  const { models, skipped } = resolveModels(raw.models, source)
  return {
    models,
    modelFiles: resolveModelFiles(value.modelFiles, source),
    skippedModelExports: skipped,
    database: { ...value.database, ...(url === '' ? { url: undefined } : {}) },
    mutations,
    queries: value.queries,
    security: { ...resolveSecurity(value.security, source), rateLimiting: value.security.rateLimiting },
    performance: value.performance,
    limits: value.limits,
    subscriptions,
    plugins: value.plugins as PluginInput[],
    resolvers: value.resolvers as AnyResolverSet[],
    cache: value.cache,
    naming: value.naming as ResolvedConfig['naming'],
    server: value.server,
  }
}

function resolveModels(
  models: unknown,
  source: string,
): { models: NamedModelInput[]; skipped: Array<{ key: string; kind: string }> } {
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

/**
 * `modelFiles` as absolute paths of existing files. `'auto'` is only meaningful for a config file
 * (loadConfigFile turns it into the files it imports); paths are relative to the working directory.
 */
function resolveModelFiles(files: readonly string[] | 'auto' | undefined, source: string): string[] {
  if (files === undefined) return []
  if (files === 'auto') {
    throw new ConfigError(
      `${source}: modelFiles: 'auto' finds the files a config file imports; config given in code has no file, so list the models files instead.`,
    )
  }
  return files.map((file) => {
    const path = resolve(file)
    if (!existsSync(path)) throw new ConfigError(`${source}: modelFiles: ${file} does not exist.`)
    return path
  })
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

function formatIssue(source: string, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.')
  const at = path === '' ? '' : `${path}: `
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path)
    const key = issue.keys[0] ?? ''
    return `${source}: ${at}unknown key \`${key}\`.${suggestion(key, known)}`
  }
  return `${source}: ${at}${issue.message}`
}

function knownKeys(path: ReadonlyArray<PropertyKey>): string[] {
  let shape: unknown = configSchema
  for (const part of path) {
    const inner = unwrap(shape) as { shape?: Record<string, unknown> }
    shape = inner.shape?.[String(part)]
  }
  const object = unwrap(shape) as { shape?: Record<string, unknown> }
  return Object.keys(object.shape ?? {})
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { innerType?: unknown } } | undefined
  while (current?.def?.innerType) current = current.def.innerType as typeof current
  return current
}

/** The model inputs of a config, whatever shape it was given in (for tools that only need tables). */
export type { ModelInput }
