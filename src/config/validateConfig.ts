import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { z } from 'zod'
import { ConfigError } from '../errors.js'
import { suggestion } from '../didYouMean.js'
import { configSchema } from './configSchema.js'
import { fromLegacyConfig } from './legacyConfig.js'
import type {
  PasswordHasher,
  ProgrammaticConfig,
  ResolvedConfig,
  ResolvedRateLimiting,
} from './UserConfig.js'

/** `security` after zod checked its data keys; functions and classes are auth/'s to check. */
export type ValidatedSecurity = Omit<z.output<typeof configSchema>['security'], 'rateLimiting'> & {
  rateLimiting: false | ResolvedRateLimiting
}

/**
 * A config after config/'s own checks, with its defaults filled in. The sections later stages own
 * are handed on as written, checked for shape only: `models` (any value: schema/ resolves it),
 * `security` (data keys only: auth/ checks functions and classes), `plugins` (objects with a
 * name), `resolvers` and `naming`.
 */
export type ValidatedConfig = Omit<ResolvedConfig, 'models' | 'skippedModelExports' | 'security'> & {
  models: unknown
  security: ValidatedSecurity
}

/**
 * Validates raw config (v3 file shape, programmatic shortcut, or the v2 shape through
 * fromLegacyConfig) and fills defaults; `source` (a file name) prefixes messages. Errors name the
 * key and what was expected.
 */
export function validateConfig(input: unknown, source = 'config'): ValidatedConfig {
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
  checkPluginShapes(value.plugins, source)
  const url = value.database.url
  if (url !== undefined && url !== '' && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError(
      `${source}: database.url: expected a postgres:// or postgresql:// URL, got "${url.split(':')[0]}:…".`,
    )
  }
  return {
    models: raw.models,
    modelFiles: resolveModelFiles(value.modelFiles, source),
    database: { ...value.database, ...(url === '' ? { url: undefined } : {}) },
    mutations,
    queries: value.queries,
    security: value.security,
    performance: value.performance,
    limits: value.limits,
    subscriptions,
    plugins: value.plugins,
    resolvers: value.resolvers,
    cache: value.cache,
    naming: value.naming,
    server: value.server,
  }
}

/**
 * Each plugin is an object with a name: names, configs and order are checked when the schema is
 * built (resolvePlugins); v2.1 extensions (processSchema, no name) still pass, through a
 * deprecated adapter.
 */
function checkPluginShapes(plugins: readonly unknown[], source: string): void {
  for (const [index, plugin] of plugins.entries()) {
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
