// schema/: ModelGraph + config → a GraphQLSchema whose root fields compile to one SQL statement each.
export { SchemaBuilder, sortedSchema } from './SchemaBuilder.js'
export { getSchemaRuntime } from './SchemaRuntime.js'
export { REQUIRED_INPUT_NOTE } from './buildMutationType.js'
export type { SchemaBuilderOptions } from './SchemaBuilder.js'
export type { SchemaRuntime } from './SchemaRuntime.js'
export { fastRead } from './fastRead.js'
export type { FastReadArgs, FastReadOutcome } from './fastRead.js'
export {
  DateTimeScalar,
  DateScalar,
  TimeScalar,
  DecimalScalar,
  BigIntScalar,
  JSONScalar,
  UUIDScalar,
} from './scalars.js'
