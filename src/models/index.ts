// models/: Drizzle tables → a neutral ModelGraph. Nothing after this stage imports Drizzle internals.
export { readModels } from './readModels.js'
export { getModel } from './ModelGraph.js'
export type {
  Model,
  ModelEnum,
  ModelField,
  ModelGraph,
  OrderSpec,
  Relation,
  RelationKind,
  ScalarKind,
} from './ModelGraph.js'
export type {
  FieldOptions,
  ModelInput,
  ModelOptions,
  NamedModelInput,
  OrderDirectionOption,
  RelationOptions,
} from './ModelOptions.js'
