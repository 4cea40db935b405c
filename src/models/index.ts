// models/: Drizzle tables → a neutral ModelGraph. Nothing after this stage imports Drizzle internals.
export { readModels } from './readModels.js'
export { getModel } from './ModelGraph.js'
export { defineResolvers, field, isComputedFieldDefinition, isResolverSet } from './defineResolvers.js'
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
} from './defineResolvers.js'
export { attachComputedFields } from './computedFields.js'
export type { ComputedField } from './ModelGraph.js'
export type {
  Model,
  ModelEnum,
  ModelField,
  ModelGraph,
  OrderSpec,
  Relation,
  RelationKind,
  RemovedField,
  ScalarKind,
} from './ModelGraph.js'
export type {
  FieldOptions,
  ModelInput,
  ModelOptions,
  NamedModelInput,
  OrderDirectionOption,
  RelationOptions,
  RemovedFieldOptions,
  RemovedFieldType,
} from './ModelOptions.js'
