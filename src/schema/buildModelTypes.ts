import {
  GraphQLEnumType,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  GraphQLBoolean,
} from 'graphql'
import type {
  GraphQLFieldConfig,
  GraphQLFieldConfigArgumentMap,
  GraphQLFieldResolver,
  GraphQLInputFieldConfig,
  GraphQLOutputType,
} from 'graphql'
import { forbidden, userOf } from '../auth/index.js'
import { tableRef } from '../compile/index.js'
import { rowSourceExtension } from '../limits/index.js'
import type { AccessRules } from '../auth/index.js'
import { toClientError } from '../errors.js'
import type { ModelField } from '../models/index.js'
import type { FieldBinding, ModelNames, SchemaNames } from '../naming/index.js'
import { buildFilterTypes } from './buildFilterTypes.js'
import { markFieldResolver } from './compiledResolvers.js'
import { computedFieldConfig } from './computedFieldConfig.js'
import { SCALAR_BY_KIND } from './scalars.js'

/** Compiled rows are keyed by response key (aliases included), so fields read by that key. */
export const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) =>
  (source as Record<string, unknown> | null)?.[info.path.key as string]

markFieldResolver(byResponseKey, { kind: 'plain' })

/** How `id` fields describe themselves (docs/models-and-relations.md has the whole format). */
const GLOBAL_ID_DESCRIPTION = 'Global id: base64 of `Type:pk`.'

/** Tracks the concrete type of objects returned through the Node interface. */
export const nodeTypes = new WeakMap<object, string>()

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

/** Builds object, connection, edge, orderBy and enum types for every model. */
export function buildModelTypes(
  names: SchemaNames,
  pagination: 'relay' | 'legacy',
  filtering: 'advanced' | 'basic' = 'advanced',
  access?: Pick<AccessRules, 'fieldPermission'>,
): ModelTypes {
  const node = new GraphQLInterfaceType({
    name: 'Node',
    description: 'An object with a global id, fetchable with `node(id:)`.',
    fields: { id: { type: new GraphQLNonNull(GraphQLID), description: GLOBAL_ID_DESCRIPTION } },
    resolveType: (value) => nodeTypes.get(value as object),
  })
  const pageInfo = new GraphQLObjectType({
    name: 'PageInfo',
    description: 'Where a page sits in its connection.',
    fields: {
      hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean), resolve: byResponseKey },
      hasPreviousPage: { type: new GraphQLNonNull(GraphQLBoolean), resolve: byResponseKey },
      startCursor: { type: GraphQLString, resolve: byResponseKey },
      endCursor: { type: GraphQLString, resolve: byResponseKey },
    },
  })
  const orderDirection = new GraphQLEnumType({
    name: 'OrderDirection',
    description: 'Sort direction; ASC puts NULLs last and DESC puts them first unless stated.',
    values: Object.fromEntries(
      ['ASC', 'DESC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST'].map((v) => [
        v,
        { value: v },
      ]),
    ),
  })
  const enums = new Map(
    [...names.enums.values()].map((e) => [
      e.enum.sqlName,
      new GraphQLEnumType({
        name: e.typeName,
        values: Object.fromEntries([...e.values].map(([sqlValue, name]) => [name, { value: sqlValue }])),
      }),
    ]),
  )
  const types: ModelTypes = {
    node,
    pageInfo,
    orderDirection,
    objects: new Map(),
    connections: new Map(),
    orderBys: new Map(),
    filters: buildFilterTypes(names, enums, filtering),
    enums,
    listArgs: (modelNames) =>
      pagination === 'legacy' ? legacyArgs(types, modelNames) : connectionArgs(types, modelNames),
    listType: (modelNames) =>
      pagination === 'legacy'
        ? new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(types.objects.get(modelNames.model.name)!)))
        : new GraphQLNonNull(types.connections.get(modelNames.model.name)!),
  }
  for (const modelNames of names.models.values()) {
    types.objects.set(modelNames.model.name, objectType(types, modelNames, access))
    types.orderBys.set(modelNames.model.name, orderByType(types, modelNames))
    types.connections.set(modelNames.model.name, connectionType(types, modelNames))
  }
  return types
}

function objectType(
  types: ModelTypes,
  names: ModelNames,
  access?: Pick<AccessRules, 'fieldPermission'>,
): GraphQLObjectType {
  return new GraphQLObjectType({
    name: names.typeName,
    ...(names.model.description !== undefined ? { description: names.model.description } : {}),
    interfaces: [types.node],
    fields: () => {
      const fields: Record<string, GraphQLFieldConfig<unknown, unknown>> = {}
      for (const [name, binding] of names.fields) {
        switch (binding.kind) {
          case 'globalId':
            fields[name] = {
              type: new GraphQLNonNull(GraphQLID),
              description: GLOBAL_ID_DESCRIPTION,
              resolve: byResponseKey,
            }
            break
          case 'primaryKey':
            fields[name] = {
              type: new GraphQLNonNull(scalarType(types, binding.field)),
              description: 'Primary key value.',
              resolve: byResponseKey,
            }
            break
          case 'compositeKey':
            fields[name] = {
              type: new GraphQLNonNull(keyType(types, binding)),
              description: 'Primary key: every key column.',
              resolve: byResponseKey,
            }
            break
          case 'column': {
            const permission = access?.fieldPermission(names.model.name, binding.field.key)
            const type = columnType(types, binding.field)
            fields[name] = {
              // A guarded field is nullable: callers without the permission get null and FORBIDDEN.
              type: permission && type instanceof GraphQLNonNull ? type.ofType : type,
              ...(binding.field.description !== undefined ? { description: binding.field.description } : {}),
              resolve: permission
                ? guardedField(
                    `${names.typeName}.${name}`,
                    permission.allows,
                    names.model.name,
                    binding.field.key,
                  )
                : byResponseKey,
            }
            break
          }
          case 'relation': {
            const target = types.objects.get(binding.target.model.name)!
            fields[name] =
              binding.relation.kind === 'toOne'
                ? { type: target, description: `From ${binding.relation.describe}.`, resolve: byResponseKey }
                : {
                    type: types.listType(binding.target),
                    args: types.listArgs(binding.target),
                    description: `From ${binding.relation.describe}.`,
                    resolve: byResponseKey,
                    // Through a foreign key each row has one parent; through a junction, many.
                    extensions: rowSourceExtension({
                      table: tableRef(binding.target.model),
                      distinct: binding.relation.kind === 'toMany',
                    }),
                  }
            break
          }
          case 'removed':
            fields[name] = { type: SCALAR_BY_KIND[binding.removed.kind], resolve: byResponseKey }
            break
          case 'computed':
            fields[name] = computedFieldConfig(types, names, binding.computed)
        }
        const entry = fields[name]
        if (entry && binding.deprecationReason !== undefined)
          entry.deprecationReason = binding.deprecationReason
      }
      return fields
    },
  })
}

/** The object type of a composite primary key: one non-null field per shown key column. */
function keyType(
  types: ModelTypes,
  binding: Extract<FieldBinding, { kind: 'compositeKey' }>,
): GraphQLObjectType {
  return new GraphQLObjectType({
    name: binding.typeName,
    description: 'The columns of a composite primary key.',
    fields: Object.fromEntries(
      binding.fields.map((part) => [
        part.name,
        {
          type: new GraphQLNonNull(scalarType(types, part.field)),
          ...(part.field.description !== undefined ? { description: part.field.description } : {}),
          resolve: byResponseKey,
        },
      ]),
    ),
  })
}

/** A guarded column's resolver: the compiled NULL plus FORBIDDEN at this path for callers without the permission. */
function guardedField(
  label: string,
  allows: (user: ReturnType<typeof userOf>) => boolean,
  model: string,
  fieldKey: string,
): GraphQLFieldResolver<unknown, unknown> {
  const resolve: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    if (!allows(userOf(context)))
      throw toClientError(forbidden(`You do not have permission to read \`${label}\`.`))
    return byResponseKey(source, args, context, info)
  }
  markFieldResolver(resolve, { kind: 'guarded', model, fieldKey })
  return resolve
}

function connectionType(types: ModelTypes, names: ModelNames): GraphQLObjectType {
  const object = types.objects.get(names.model.name)!
  const edge = new GraphQLObjectType({
    name: names.edgeTypeName,
    fields: {
      cursor: {
        type: new GraphQLNonNull(GraphQLString),
        description: 'Opaque keyset cursor of this row.',
        resolve: byResponseKey,
      },
      node: { type: new GraphQLNonNull(object), resolve: byResponseKey },
    },
  })
  return new GraphQLObjectType({
    name: names.connectionTypeName,
    description: `A page of ${names.typeName} rows.`,
    fields: {
      edges: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(edge))), resolve: byResponseKey },
      nodes: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(object))),
        resolve: byResponseKey,
      },
      pageInfo: { type: new GraphQLNonNull(types.pageInfo), resolve: byResponseKey },
      totalCount: {
        type: new GraphQLNonNull(GraphQLInt),
        description: 'Rows matching, over all pages.',
        resolve: byResponseKey,
      },
    },
  })
}

function orderByType(types: ModelTypes, names: ModelNames): GraphQLInputObjectType {
  return new GraphQLInputObjectType({
    name: names.orderByTypeName,
    description: `One ordering key of ${names.typeName}: set exactly one field.`,
    fields: () => {
      const fields: Record<string, GraphQLInputFieldConfig> = {}
      for (const [name, binding] of names.fields) {
        if ((binding.kind === 'column' || binding.kind === 'primaryKey') && isOrderable(binding.field)) {
          fields[name] = { type: types.orderDirection }
        } else if (binding.kind === 'relation' && binding.relation.kind === 'toOne') {
          fields[name] = { type: types.orderBys.get(binding.target.model.name)! }
        }
        const entry = fields[name]
        if (entry && binding.deprecationReason !== undefined)
          entry.deprecationReason = binding.deprecationReason
      }
      return fields
    },
  })
}

function isOrderable(field: ModelField): boolean {
  return !field.isList && field.kind !== 'JSON'
}

function connectionArgs(types: ModelTypes, names: ModelNames): GraphQLFieldConfigArgumentMap {
  return {
    first: { type: GraphQLInt, description: 'Rows from the start (after `after`).' },
    after: { type: GraphQLString, description: 'Cursor to start after.' },
    last: { type: GraphQLInt, description: 'Rows from the end (before `before`).' },
    before: { type: GraphQLString, description: 'Cursor to end before.' },
    filter: {
      type: types.filters.get(names.model.name)!,
      description: 'Only rows matching these conditions.',
    },
    orderBy: { type: new GraphQLList(new GraphQLNonNull(types.orderBys.get(names.model.name)!)) },
  }
}

function legacyArgs(types: ModelTypes, names: ModelNames): GraphQLFieldConfigArgumentMap {
  return {
    filter: {
      type: types.filters.get(names.model.name)!,
      description: 'Only rows matching these conditions.',
    },
    orderBy: { type: new GraphQLList(new GraphQLNonNull(types.orderBys.get(names.model.name)!)) },
    limit: { type: GraphQLInt },
    offset: { type: GraphQLInt },
  }
}

function scalarType(types: ModelTypes, field: ModelField): GraphQLEnumType | (typeof SCALAR_BY_KIND)['Int'] {
  if (field.kind === 'Enum') return types.enums.get(field.enum!.sqlName)!
  return SCALAR_BY_KIND[field.kind]
}

function columnType(types: ModelTypes, field: ModelField): GraphQLOutputType {
  const base = scalarType(types, field)
  const item = field.isList ? new GraphQLList(new GraphQLNonNull(base)) : base
  return field.nullable ? item : new GraphQLNonNull(item)
}
