import { resolveSecurity } from '../auth/index.js'
import type { ResolvedSecurity, SecurityOptions } from '../auth/index.js'
import { defineConfig as defineConfigOf, validateConfig } from '../config/index.js'
import type {
  ProgrammaticConfig as ProgrammaticConfigOf,
  ResolvedConfig as ResolvedConfigOf,
  UserConfig as UserConfigOf,
} from '../config/index.js'
import { ConfigError } from '../errors.js'
import { isResolverSet } from '../models/index.js'
import type { AnyResolverSet, ModelsInput, NamedModelInput } from '../models/index.js'
import type { Inflection } from '../naming/index.js'
import type { PluginInput } from '../plugins/index.js'
import { resolveModelInputs } from './resolveModelInputs.js'

/** The types of the config sections later stages own, bound (config/ keeps them opaque). */
export interface StageTypes {
  models: ModelsInput
  namedModel: NamedModelInput
  security: SecurityOptions
  resolvedSecurity: ResolvedSecurity
  plugin: PluginInput
  resolverSet: AnyResolverSet
  naming: Partial<Inflection>
}

/** The configuration file's shape (v3, camelCase). Every key is optional but `models`. */
export type UserConfig = UserConfigOf<StageTypes>

/** The programmatic shortcut of the design source: `new SchemaConfig({ models: [...], enableMutations })`. */
export type ProgrammaticConfig = ProgrammaticConfigOf<StageTypes>

/** Configuration after validation, with every default filled in: what every stage reads. */
export type ResolvedConfig = ResolvedConfigOf<StageTypes>

/** Types a configuration file's default export; validation happens when it is loaded. */
export const defineConfig: (config: UserConfig) => UserConfig = defineConfigOf<StageTypes>

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

/**
 * Validates raw config (config/ `validateConfig`), then resolves the sections later stages own:
 * resolver sets (models/), models by name, security (auth/); `source` (a file name) prefixes messages.
 */
export function resolveConfig(input: unknown, source = 'config'): ResolvedConfig {
  const value = validateConfig(input, source)
  for (const [index, set] of value.resolvers.entries()) {
    if (!isResolverSet(set))
      throw new ConfigError(
        `${source}: resolvers.${index}: expected defineResolvers(table, { name: field(…) }).`,
      )
  }
  const { models, skipped } = resolveModelInputs(value.models, source)
  return {
    ...value,
    models,
    skippedModelExports: skipped,
    security: { ...resolveSecurity(value.security, source), rateLimiting: value.security.rateLimiting },
    // Shapes checked by validateConfig; names, configs and order when the schema is built.
    plugins: value.plugins as PluginInput[],
    resolvers: value.resolvers as AnyResolverSet[],
    naming: value.naming as Partial<Inflection>,
  }
}
