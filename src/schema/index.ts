// schema/: ModelGraph + config → a GraphQLSchema whose root fields compile to one SQL statement each.
export { SchemaBuilder, sortedSchema } from './SchemaBuilder.js'
export { SchemaConfig, defineConfig, resolveConfig } from './SchemaConfig.js'
export type { ProgrammaticConfig, ResolvedConfig, StageTypes, UserConfig } from './SchemaConfig.js'
export { loadConfigFile } from './loadConfigFile.js'
export { getSchemaRuntime } from './SchemaRuntime.js'
export { REQUIRED_INPUT_NOTE } from './buildMutationType.js'
export type { SchemaBuilderOptions } from './SchemaBuilder.js'
export type { SchemaRuntime } from './SchemaRuntime.js'
export { chooseRoute, routeOf } from './chooseRoute.js'
export type { CompiledPlan, RouteArgs, RouteChoice } from './chooseRoute.js'
export { compiledRead } from './compiledRead.js'
export type { CompiledOutcome } from './compiledRead.js'
export { useCompiledRows } from './compiledRows.js'
export type { CompiledRow } from './compiledRows.js'
export {
  DateTimeScalar,
  DateScalar,
  TimeScalar,
  DecimalScalar,
  BigIntScalar,
  JSONScalar,
  UUIDScalar,
} from './scalars.js'
