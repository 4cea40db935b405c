import { GraphQLID, GraphQLNonNull, GraphQLObjectType } from 'graphql'
import type { GraphQLFieldConfig, GraphQLResolveInfo } from 'graphql'
import { filterErrorFromDatabase, parseKeyText, tableRef } from '../compile/index.js'
import { rowSourceExtension } from '../limits/index.js'
import type { RootTarget } from '../compile/index.js'
import { badUserInput, toClientError } from '../errors.js'
import { decodeGlobalId } from '../naming/index.js'
import type { ModelNames } from '../naming/index.js'
import type { ModelTypes } from './ModelTypes.js'
import { markRootResolver } from './compiledResolvers.js'
import type { TargetOf } from './compiledResolvers.js'
import { prepareRootRead } from './prepareRootRead.js'
import { compiledRowOf } from './compiledRows.js'
import { parseRootText, readRootField } from './readRootField.js'
import type { SchemaRuntime } from './SchemaRuntime.js'
import { statementKey } from './statementCache.js'

/** The Query type: `node`, and for each model one row by id and a list (connection or legacy). */
export function buildQueryType(runtime: SchemaRuntime, types: ModelTypes): GraphQLObjectType {
  const fields: Record<string, GraphQLFieldConfig<unknown, unknown>> = {
    node: {
      type: types.node,
      description: 'Any object by its global id.',
      args: { id: { type: new GraphQLNonNull(GraphQLID) } },
      resolve: rootResolver(runtime, (args) => {
        const id = decodeGlobalId(String(args['id']))
        const model = runtime.names.byTypeName.get(id.typeName)
        if (!model || model.model.primaryKey.length === 0)
          throw badUserInput(`Invalid global id: unknown type \`${id.typeName}\`.`, { argument: 'id' })
        return singleTarget(model, id.pk)
      }),
    },
  }
  for (const model of runtime.names.models.values()) {
    if (model.model.primaryKey.length > 0) fields[model.singleField] = singleField(runtime, types, model)
    fields[model.listField] = {
      type: types.listType(model),
      description: `${model.typeName} rows, ordered and paginated.`,
      args: types.listArgs(model),
      extensions: rowSourceExtension({ table: tableRef(model.model), distinct: true }),
      resolve: rootResolver(runtime, (args) => ({
        kind: runtime.config.queries.pagination === 'legacy' ? 'list' : 'connection',
        model,
        args,
      })),
    }
  }
  return new GraphQLObjectType({ name: 'Query', fields })
}

/** `user(id: ID!): User`, for a model with a key. */
function singleField(
  runtime: SchemaRuntime,
  types: ModelTypes,
  model: ModelNames,
): GraphQLFieldConfig<unknown, unknown> {
  return {
    type: types.objects.get(model.model.name)!,
    description: `One ${model.typeName} by global id.`,
    args: { id: { type: new GraphQLNonNull(GraphQLID) } },
    resolve: rootResolver(runtime, (args) => {
      const id = decodeGlobalId(String(args['id']))
      if (id.typeName !== model.typeName) {
        throw badUserInput(
          `The id is a ${id.typeName} id; \`${model.singleField}\` expects a ${model.typeName} id.`,
          {
            argument: 'id',
          },
        )
      }
      return singleTarget(model, id.pk)
    }),
  }
}

/** One row by the key text of a decoded id: refused unless it names every key column validly. */
function singleTarget(model: ModelNames, pk: string): RootTarget {
  if (!parseKeyText(model.model, pk)) throw badUserInput('Invalid global id.', { argument: 'id' })
  return { kind: 'single', model, pk }
}

/**
 * A root resolver: check the caller may view the model (prepareRootRead), compile the field to
 * one statement (the caller's row policies and field guards compiled in; cached per operation,
 * variables and permission scope), run it, return its JSON (the same
 * read path mutation payloads use, see readRootField). A row outside the policy reads as null,
 * exactly like a row that does not exist. Errors leave through the catalogue; anything else is masked.
 */
function rootResolver(runtime: SchemaRuntime, targetOf: TargetOf) {
  const resolve = async (
    _source: unknown,
    args: Record<string, unknown>,
    context: unknown,
    info: GraphQLResolveInfo,
  ) => {
    try {
      // The compiled route read this field already (and then handed the operation to graphql-js).
      const row = compiledRowOf(context, String(info.path.key))
      if (row) {
        if ('error' in row) throw row.error
        return parseRootText(targetOf(args), row.text)
      }
      const read = await prepareRootRead(runtime, targetOf, args, context)
      if (!read) return null
      const key = statementKey(
        info.operation,
        info.fragments,
        String(info.path.key),
        info.variableValues,
        read.access,
        false,
        read.target,
      )
      return await readRootField(runtime, read.database, info, read.target, read.access, key)
    } catch (error) {
      throw toClientError(filterErrorFromDatabase(error) ?? error, context)
    }
  }
  // The fast path answers this field without graphql-js while the resolver is this very function.
  markRootResolver(resolve, targetOf)
  return resolve
}
