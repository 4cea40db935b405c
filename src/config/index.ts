// config/: the ground floor. Describes and validates the user's input (shapes, defaults, readable
// errors) and reads config files; it imports no later stage. The sections those stages own
// (models, security, plugins, resolvers, naming) are resolved by schema/ (SchemaConfig).
export { defineConfig } from './defineConfig.js'
export { validateConfig } from './validateConfig.js'
export type { ValidatedConfig, ValidatedSecurity } from './validateConfig.js'
export { readConfigFile, importConfigModule, importUserModule, CONFIG_FILE_NAMES } from './readConfigFile.js'
export type { ConfigFile } from './readConfigFile.js'
export type {
  ConfigStageTypes,
  PasswordHasher,
  ProgrammaticConfig,
  ResolvedConfig,
  UserConfig,
} from './UserConfig.js'
export type {
  CacheOptions,
  ResponseCacheOptions,
  ResolvedResponseCache,
  CostWeights,
  LimitsOptions,
  RateLimitingOptions,
  ResolvedLimits,
  ResolvedRateLimiting,
  SubscriptionsOptions,
} from './UserConfig.js'
