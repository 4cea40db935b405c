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
export { applyCatalog } from './applyCatalog.js'
export type { DatabaseCatalog } from './applyCatalog.js'
export type { ComputedField } from './computedFields.js'
export type {
  Model,
  ModelEnum,
  ModelKind,
  ModelField,
  ModelGraph,
  OrderSpec,
  Relation,
  RelationKind,
  RemovedField,
  ScalarKind,
} from './ModelGraph.js'
export { importedFiles, tsdocDescriptions } from './tsdocDescriptions.js'
export { drizzleNonModelKind, isModelSource, sourceName } from './modelSource.js'
export type { ModelSource } from './modelSource.js'
export type { DescribedName, DescriptionSource } from './DescriptionSource.js'
export type { ReadModelsOptions } from './readModels.js'
export type {
  FieldOptions,
  ModelInput,
  ModelModule,
  ModelModuleExport,
  ModelsInput,
  ModelOptions,
  NamedModelInput,
  OrderDirectionOption,
  RelationOptions,
  RemovedFieldOptions,
  RemovedFieldType,
} from './ModelOptions.js'
