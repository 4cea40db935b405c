// The package's public API, listed by hand: what is here is supported, what is not is internal.
// Config types are bound here to the stages that own their sections (schema/ StageTypes); config/
// itself is the ground floor and keeps them opaque.
export { defineConfig, SchemaConfig, loadConfigFile } from './schema/index.js'
export type { UserConfig, ProgrammaticConfig, ResolvedConfig } from './schema/index.js'
export { SchemaBuilder, sortedSchema, getSchemaRuntime, chooseRoute } from './schema/index.js'
export type { RouteArgs, RouteChoice, SchemaBuilderOptions, SchemaRuntime } from './schema/index.js'
export { readModels } from './models/index.js'
export { defineResolvers, field } from './models/index.js'
export type {
  AnyResolverSet,
  ApiValue,
  ComputedArgument,
  ComputedFieldDefinition,
  ComputedResolver,
  FieldSpec,
  ResolverContext,
  ResolverSet,
  RowOf,
} from './models/index.js'
export { cachedField, responseCache, memoryCacheStore, redisCacheStore } from './cache/index.js'
export type {
  CachedFieldOptions,
  CacheStore,
  MemoryCacheStoreOptions,
  RedisCacheStoreOptions,
  ResponseCacheSettings,
} from './cache/index.js'
export type {
  ModelGraph,
  Model,
  ModelField,
  Relation,
  ModelOptions,
  FieldOptions,
  RelationOptions,
  ModelKind,
  ModelSource,
  ModelsInput,
  DescriptionSource,
  DescribedName,
} from './models/index.js'
export { tsdocDescriptions } from './models/index.js'
export { defaultInflection, encodeGlobalId, decodeGlobalId } from './naming/index.js'
export type { Inflection } from './naming/index.js'
export { createDatabase, PgDatabase, PGliteDatabase, countStatements } from './database/index.js'
export type { Database, SqlStatement, Queryable } from './database/index.js'
export {
  permissionRequired,
  AllowAny,
  IsAuthenticated,
  IsAdminUser,
  IsAuthenticatedOrReadOnly,
  ModelPermissions,
  and,
  or,
  not,
  hasPerm,
  ANONYMOUS_USER,
} from './auth/index.js'
export type {
  AuthUser,
  FieldPermission,
  JwtOptions,
  Operation,
  PermissionClass,
  PermissionContext,
  PermissionSpec,
  RowPolicy,
  SecurityOptions,
} from './auth/index.js'
export { definePlugin, BasePlugin, addQueryFields } from './plugins/index.js'
export type {
  ExecutionRoute,
  JsonSchema,
  LegacyExtension,
  OperationHooks,
  PipelineOperation,
  Plugin,
  PluginHooks,
  PluginInput,
  PluginOrder,
  RequestContext,
  SchemaHookContext,
  ServerExtension,
  ServerHookContext,
} from './plugins/index.js'
export type { MutationEvent, MutationOperation, HookFieldError } from './plugins/index.js'
export { hashPassword, verifyPassword } from './mutations/index.js'
export { AutoGenError, ConfigError, ErrorCodes } from './errors.js'
export type { ErrorCode } from './errors.js'
export { createServer } from './server/index.js'
export type { AutoGenServer, ServerOptions } from './server/index.js'
export { deprecate, DEPRECATIONS, DEPRECATION_WARNING_TYPE } from './deprecations.js'
export type { Deprecation, DeprecationCode } from './deprecations.js'
