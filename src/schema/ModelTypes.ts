import type {
  GraphQLEnumType,
  GraphQLFieldConfigArgumentMap,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLOutputType,
} from 'graphql'
import type { ModelNames } from '../naming/index.js'

/** The GraphQL types of every model, built once per schema and shared by the root fields. */
export interface ModelTypes {
  node: GraphQLInterfaceType
  pageInfo: GraphQLObjectType
  orderDirection: GraphQLEnumType
  objects: Map<string, GraphQLObjectType>
  connections: Map<string, GraphQLObjectType>
  orderBys: Map<string, GraphQLInputObjectType>
  /** `XFilter` input of each model (advanced operators or basic equality). */
  filters: Map<string, GraphQLInputObjectType>
  enums: Map<string, GraphQLEnumType>
  /** Arguments of a list of this model: connection or legacy arguments. */
  listArgs(names: ModelNames): GraphQLFieldConfigArgumentMap
  /** Output type of a list of this model: `XConnection!` or `[X!]!`. */
  listType(names: ModelNames): GraphQLOutputType
}
