// config/: defineConfig, SchemaConfig, validation with readable errors, and config files.
export { defineConfig } from './defineConfig.js'
export { SchemaConfig, resolveConfig } from './SchemaConfig.js'
export { loadConfigFile, importUserModule, CONFIG_FILE_NAMES } from './loadConfigFile.js'
export type { PasswordHasher, ProgrammaticConfig, ResolvedConfig, UserConfig } from './UserConfig.js'
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
