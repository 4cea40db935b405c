import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql'
import type {
  GraphQLFieldConfig,
  GraphQLFieldConfigArgumentMap,
  GraphQLInputFieldConfig,
  GraphQLInputType,
  GraphQLResolveInfo,
} from 'graphql'
import type { Operation, RequestAccess } from '../auth/index.js'
import { collectFields, compileWrittenRow } from '../compile/index.js'
import { ErrorCodes, toClientError } from '../errors.js'
import { createRows, deleteRows, hashPassword, restoreRow, updateRows } from '../mutations/index.js'
import type {
  MutationCall,
  MutationResult,
  MutationSettings,
  ReadBack,
  RowTarget,
} from '../mutations/index.js'
import { BULK_FIELD_ERROR_TYPE, encodeGlobalId, FIELD_ERROR_TYPE } from '../naming/index.js'
import type { InputBinding, ModelNames } from '../naming/index.js'
import type { ModelTypes } from './ModelTypes.js'
import { checkObjects } from './objectRows.js'
import { compileOptions, guardsRegex, parseRootText, readRootField } from './readRootField.js'
import { SCALAR_BY_KIND } from './scalars.js'
import { callerAccess, databaseOf } from './requestCaller.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/** What a mutation root field returns; payload fields read from it. */
interface Payload {
  success: boolean
  errors: MutationResult['errors']
  /** The written row per response key of the payload's node field (read back through the compiler). */
  nodes: Map<string, unknown>
  deletedId: string | null
  ids: string[]
  count: number
}

/**
 * The Mutation type: per model `createX(input)`, `updateX(id, input)`, `deleteX(id)`, and where
 * enabled `restoreX(id)` and `bulkCreateXs` / `bulkUpdateXs` / `bulkDeleteXs`. Undefined when no
 * model is exposed. Payloads carry `success` and `errors { field message code }`; bad input is a
 * payload error, never a crash. The written row in a payload honours the client's selection,
 * nested relations included: read inside the write's one statement, or with ONE extra statement
 * inside the mutation's transaction when it needs one (see chooseWritePath).
 */
export function buildMutationType(runtime: SchemaRuntime, types: ModelTypes): GraphQLObjectType | undefined {
  const config = runtime.config.mutations
  const settings: MutationSettings = {
    names: runtime.names,
    plugins: runtime.plugins,
    softDelete: config.softDelete,
    maxBulkSize: config.maxBulkSize,
    allowHardDelete: config.allowHardDelete,
    passwordHasher: config.passwordHasher ?? hashPassword,
    filter: {
      filtering: runtime.config.queries.filtering,
      maxFilterDepth: runtime.config.queries.maxFilterDepth,
      guardRegex: guardsRegex(runtime),
    },
    // Subscriptions: one event per changed row, published only after the transaction committed.
    ...(runtime.changes ? { afterCommit: runtime.changes.publishChanges } : {}),
  }
  const errorTypes = buildErrorTypes()
  const fields: Record<string, GraphQLFieldConfig<unknown, unknown>> = {}
  for (const names of runtime.names.models.values()) {
    // Views and tables without a primary key are read-only: no row can be named for a write.
    if (names.model.readOnly) continue
    Object.assign(fields, modelMutations(runtime, settings, types, errorTypes, names))
  }
  if (Object.keys(fields).length === 0) return undefined
  return new GraphQLObjectType({ name: 'Mutation', fields })
}

interface ErrorTypes {
  single: GraphQLObjectType
  bulk: GraphQLObjectType
}

function buildErrorTypes(): ErrorTypes {
  const common = {
    field: {
      type: GraphQLString,
      description: 'The input field (or argument) concerned; null for the whole input.',
    },
    message: { type: new GraphQLNonNull(GraphQLString), description: 'What is wrong, for people.' },
    code: {
      type: new GraphQLNonNull(GraphQLString),
      description: 'What is wrong, for programs: REQUIRED, TOO_LONG, UNIQUE, …',
    },
  }
  return {
    single: new GraphQLObjectType({
      name: FIELD_ERROR_TYPE,
      description: 'Why a mutation did not happen.',
      fields: common,
    }),
    bulk: new GraphQLObjectType({
      name: BULK_FIELD_ERROR_TYPE,
      description: 'Why a bulk mutation did not happen; nothing of the call was written.',
      fields: {
        index: {
          type: GraphQLInt,
          description: 'Index of the input concerned in `inputs`; null when not tied to one.',
        },
        ...common,
      },
    }),
  }
}

function modelMutations(
  runtime: SchemaRuntime,
  settings: MutationSettings,
  types: ModelTypes,
  errorTypes: ErrorTypes,
  names: ModelNames,
): Record<string, GraphQLFieldConfig<unknown, unknown>> {
  const m = names.mutations
  const object = types.objects.get(names.model.name)!
  const createInput = inputType(types, names, 'create')
  const updateInput = inputType(types, names, 'update')
  const softDelete = settings.softDelete && names.model.softDeleteField !== undefined
  const errorsField = (bulk: boolean): GraphQLFieldConfig<unknown, unknown> => ({
    type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(bulk ? errorTypes.bulk : errorTypes.single))),
    description: 'Empty when the mutation succeeded.',
  })
  const successField = {
    type: new GraphQLNonNull(GraphQLBoolean),
    description: 'True when the mutation was written.',
  }
  const nodePayload = (name: string): GraphQLObjectType =>
    new GraphQLObjectType({
      name,
      fields: {
        [m.nodeField]: {
          type: object,
          description: `The ${names.typeName} as written (null when the mutation failed).`,
          resolve: (source, _args, _context, info) =>
            (source as Payload).nodes.get(info.path.key as string) ?? null,
        },
        success: successField,
        errors: errorsField(false),
      },
    })
  const bulkPayload = (name: string): GraphQLObjectType =>
    new GraphQLObjectType({
      name,
      fields: {
        ids: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLID))),
          description: `Global ids of the ${names.typeName} rows affected.`,
        },
        count: { type: new GraphQLNonNull(GraphQLInt), description: 'Rows affected.' },
        success: successField,
        errors: errorsField(true),
      },
    })
  const idArg = {
    id: { type: new GraphQLNonNull(GraphQLID), description: `Global id of the ${names.typeName}.` },
  }
  const inputArg = (type: GraphQLInputObjectType | undefined): GraphQLFieldConfigArgumentMap =>
    type ? { input: { type: new GraphQLNonNull(type) } } : {}
  const hardArg: GraphQLFieldConfigArgumentMap = softDelete
    ? {
        hard: {
          type: GraphQLBoolean,
          defaultValue: false,
          description:
            'Delete for good instead of setting the soft-delete timestamp (needs `mutations.allowHardDelete`).',
        },
      }
    : {}
  const filterArgs: GraphQLFieldConfigArgumentMap = {
    filter: {
      type: types.filters.get(names.model.name)!,
      description: 'The rows to act on; required unless `all` is true.',
    },
    all: {
      type: GraphQLBoolean,
      defaultValue: false,
      description: 'Act on every row when no filter is given.',
    },
  }
  const fields: Record<string, GraphQLFieldConfig<unknown, unknown>> = {}
  fields[m.fields.create] = {
    type: new GraphQLNonNull(nodePayload(m.payloads.create)),
    description: `Creates a ${names.typeName}.`,
    args: inputArg(createInput),
    resolve: mutationResolver(runtime, names, m.payloads.create, (call, args, readBack) =>
      createRows(settings, call, names, [inputOf(args)], { bulk: false, readBack }),
    ),
  }
  if (updateInput) {
    fields[m.fields.update] = {
      type: new GraphQLNonNull(nodePayload(m.payloads.update)),
      description: `Changes a ${names.typeName}: fields left out stay as they are, null clears a field.`,
      args: { ...idArg, ...inputArg(updateInput) },
      resolve: mutationResolver(runtime, names, m.payloads.update, (call, args, readBack) =>
        updateRows(settings, call, names, { kind: 'id', id: String(args['id']) }, inputOf(args), {
          bulk: false,
          readBack,
        }),
      ),
    }
  }
  fields[m.fields.delete] = {
    type: new GraphQLNonNull(
      new GraphQLObjectType({
        name: m.payloads.delete,
        fields: {
          deletedId: { type: GraphQLID, description: `Global id of the deleted ${names.typeName}.` },
          success: successField,
          errors: errorsField(false),
        },
      }),
    ),
    description: softDelete
      ? `Deletes a ${names.typeName} (soft: it can be restored with \`${m.fields.restore}\`).`
      : `Deletes a ${names.typeName}.`,
    args: { ...idArg, ...hardArg },
    resolve: mutationResolver(runtime, names, m.payloads.delete, (call, args) =>
      deleteRows(
        settings,
        call,
        names,
        { kind: 'id', id: String(args['id']) },
        { bulk: false, hard: args['hard'] === true },
      ),
    ),
  }
  if (softDelete) {
    fields[m.fields.restore] = {
      type: new GraphQLNonNull(nodePayload(m.payloads.restore)),
      description: `Brings back a soft-deleted ${names.typeName}.`,
      args: idArg,
      resolve: mutationResolver(runtime, names, m.payloads.restore, (call, args, readBack) =>
        restoreRow(settings, call, names, String(args['id']), readBack),
      ),
    }
  }
  if (runtime.config.mutations.bulkOperations && createInput) {
    fields[m.fields.bulkCreate] = {
      type: new GraphQLNonNull(bulkPayload(m.payloads.bulkCreate)),
      description: `Creates several ${names.typeName} rows, all or none (at most ${settings.maxBulkSize}).`,
      args: { inputs: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(createInput))) } },
      resolve: mutationResolver(runtime, names, m.payloads.bulkCreate, (call, args) =>
        createRows(settings, call, names, args['inputs'] as Array<Record<string, unknown>>, { bulk: true }),
      ),
    }
  }
  if (runtime.config.mutations.bulkOperations && updateInput) {
    fields[m.fields.bulkUpdate] = {
      type: new GraphQLNonNull(bulkPayload(m.payloads.bulkUpdate)),
      description: `Applies one change to every ${names.typeName} the filter matches, all or none.`,
      args: { ...filterArgs, ...inputArg(updateInput) },
      resolve: mutationResolver(runtime, names, m.payloads.bulkUpdate, (call, args) =>
        updateRows(settings, call, names, filterTarget(args), inputOf(args), { bulk: true }),
      ),
    }
  }
  if (runtime.config.mutations.bulkOperations) {
    fields[m.fields.bulkDelete] = {
      type: new GraphQLNonNull(bulkPayload(m.payloads.bulkDelete)),
      description: `Deletes every ${names.typeName} the filter matches, all or none.`,
      args: { ...filterArgs, ...hardArg },
      resolve: mutationResolver(runtime, names, m.payloads.bulkDelete, (call, args) =>
        deleteRows(settings, call, names, filterTarget(args), { bulk: true, hard: args['hard'] === true }),
      ),
    }
  }
  return fields
}

function inputOf(args: Record<string, unknown>): Record<string, unknown> {
  return (args['input'] as Record<string, unknown> | undefined) ?? {}
}

function filterTarget(args: Record<string, unknown>): RowTarget {
  return { kind: 'filter', filter: args['filter'], all: args['all'] === true }
}

/**
 * A mutation root resolver: runs the mutation with a read-back that compiles the payload's node
 * selection (per response key; one statement for the usual single selection), then shapes the
 * payload. Catalogue errors pass; anything else is masked.
 */
function mutationResolver(
  runtime: SchemaRuntime,
  names: ModelNames,
  payloadTypeName: string,
  run: (
    call: MutationCall,
    args: Record<string, unknown>,
    readBack: ReadBack | undefined,
  ) => Promise<MutationResult>,
) {
  return async (
    _source: unknown,
    args: Record<string, unknown>,
    context: unknown,
    info: GraphQLResolveInfo,
  ): Promise<Payload> => {
    try {
      const access = await callerAccess(runtime, context)
      const operation = operationOf(names, payloadTypeName)
      await access.require(names.model.name, operation)
      const guarded = guardedInputErrors(names, args, access)
      if (guarded.length > 0) {
        return { success: false, errors: guarded, nodes: new Map(), deletedId: null, ids: [], count: 0 }
      }
      const call: MutationCall = {
        database: databaseOf(runtime, context),
        context,
        access,
        ...(operation !== 'add' && access.checksObjects(names.model.name, operation)
          ? {
              checkRows: (tx, pks) =>
                checkObjects(runtime, tx, names, pks, access, operation).then(() => undefined),
            }
          : {}),
      }
      const nodes = new Map<string, unknown>()
      const result = await run(call, args, nodeReader(runtime, names, payloadTypeName, info, nodes, access))
      return {
        success: result.success,
        errors: result.errors.map((e) => ({ ...e, index: e.index ?? null })),
        nodes: result.success ? nodes : new Map(),
        deletedId:
          result.success && result.pks[0] !== undefined
            ? encodeGlobalId(names.typeName, result.pks[0])
            : null,
        ids: result.pks.map((pk) => encodeGlobalId(names.typeName, pk)),
        count: result.count,
      }
    } catch (error) {
      throw toClientError(error, context)
    }
  }
}

/** A read-back for the payload's node field, or undefined when the client did not select it. */
function nodeReader(
  runtime: SchemaRuntime,
  names: ModelNames,
  payloadTypeName: string,
  info: GraphQLResolveInfo,
  nodes: Map<string, unknown>,
  access: RequestAccess,
): ReadBack | undefined {
  const selected = collectFields(
    info,
    payloadTypeName,
    info.fieldNodes.map((n) => n.selectionSet),
  ).filter((f) => f.fieldName === names.mutations.nodeField)
  if (selected.length === 0) return undefined
  return {
    async read(tx, pk) {
      for (const field of selected) {
        const request = {
          schema: info.schema,
          fragments: info.fragments,
          variableValues: info.variableValues,
          fieldNodes: field.nodes,
        }
        nodes.set(
          field.responseKey,
          await readRootField(runtime, tx, request, { kind: 'single', model: names, pk }, access),
        )
      }
    },
    inline(params, alias) {
      const columns = selected.map((field) =>
        compileWrittenRow({
          schema: info.schema,
          names: runtime.names,
          options: compileOptions(runtime),
          fieldNodes: field.nodes,
          fragments: info.fragments,
          variableValues: info.variableValues,
          model: names,
          alias,
          params,
          access,
        }),
      )
      return {
        columns,
        take(texts) {
          selected.forEach((field, i) =>
            nodes.set(
              field.responseKey,
              parseRootText({ kind: 'single', model: names, pk: '' }, texts[i] ?? null),
            ),
          )
        },
      }
    },
  }
}

/** The Django permission a mutation needs: create → add, update/restore → change, delete → delete. */
function operationOf(names: ModelNames, payloadTypeName: string): Operation {
  const p = names.mutations.payloads
  if (payloadTypeName === p.create || payloadTypeName === p.bulkCreate) return 'add'
  if (payloadTypeName === p.delete || payloadTypeName === p.bulkDelete) return 'delete'
  return 'change'
}

/** FORBIDDEN payload errors for input fields the caller may not write (guarded by a field permission). */
function guardedInputErrors(
  names: ModelNames,
  args: Record<string, unknown>,
  access: RequestAccess,
): MutationResult['errors'] {
  if (access.deniedFields.size === 0) return []
  const inputs = Array.isArray(args['inputs']) ? (args['inputs'] as unknown[]) : [args['input']]
  const bulk = Array.isArray(args['inputs'])
  return inputs.flatMap((input, index) =>
    Object.keys((input ?? {}) as Record<string, unknown>).flatMap((key) => {
      const binding = names.mutations.inputs.get(key)
      if (binding?.kind !== 'column' || !access.deniedFields.has(`${names.model.name}.${binding.field.key}`))
        return []
      return [
        {
          field: key,
          code: ErrorCodes.FORBIDDEN,
          message: `You do not have permission to write \`${key}\`.`,
          ...(bulk ? { index } : { index: null }),
        },
      ]
    }),
  )
}

/** `CreateXInput` / `UpdateXInput`; undefined when the model has nothing to write that way. */
function inputType(
  types: ModelTypes,
  names: ModelNames,
  mode: 'create' | 'update',
): GraphQLInputObjectType | undefined {
  const entries = [...names.mutations.inputs].filter(([, b]) => (mode === 'create' ? b.onCreate : b.onUpdate))
  if (entries.length === 0) return undefined
  const fields: Record<string, GraphQLInputFieldConfig> = {}
  for (const [name, binding] of entries) {
    fields[name] = inputField(types, names, binding, mode)
    if (binding.aliasOf !== undefined) fields[name].deprecationReason = `Renamed to \`${binding.aliasOf}\`.`
  }
  return new GraphQLInputObjectType({
    name: mode === 'create' ? names.mutations.createInput : names.mutations.updateInput,
    description:
      mode === 'create'
        ? `A new ${names.typeName}. Required fields are marked; a missing one is a REQUIRED payload error.`
        : `Changes to a ${names.typeName}: fields left out stay as they are, null clears a field.`,
    fields,
  })
}

/**
 * The sentence that marks a create input field as required. Such fields stay nullable in GraphQL
 * (a missing one is a REQUIRED payload error, not a validation error), so `schema check` reads
 * this note to see a field become required.
 */
export const REQUIRED_INPUT_NOTE = 'Required.'

function inputField(
  types: ModelTypes,
  names: ModelNames,
  binding: InputBinding,
  mode: 'create' | 'update',
): GraphQLInputFieldConfig {
  switch (binding.kind) {
    case 'column': {
      const field = binding.field
      const base: GraphQLInputType =
        field.kind === 'Enum' ? types.enums.get(field.enum!.sqlName)! : SCALAR_BY_KIND[field.kind]
      const required = mode === 'create' && !field.nullable && !field.hasDefault
      const notes = [
        field.description,
        required ? REQUIRED_INPUT_NOTE : undefined,
        field.writeOnly ? 'Write-only: never shown in results.' : undefined,
      ]
      const description = notes.filter((n) => n !== undefined).join(' ')
      return {
        type: field.isList ? new GraphQLList(field.itemsNullable ? base : new GraphQLNonNull(base)) : base,
        ...(description !== '' ? { description } : {}),
      }
    }
    case 'toOne':
      return { type: GraphQLID, description: toOneInputDescription(names, binding, mode) }
    case 'manyToMany': {
      const what = {
        set: 'The whole set of related',
        add: 'Links to add to',
        remove: 'Links to remove from',
      }[binding.action]
      return {
        type: new GraphQLList(new GraphQLNonNull(GraphQLID)),
        description: `${what} ${binding.target.typeName} rows, by global id.`,
      }
    }
  }
}

/**
 * A foreign key input's description, by the column's nullability as parseInput enforces it:
 * required on create when NOT NULL without a default; only a nullable key can be cleared.
 */
function toOneInputDescription(
  names: ModelNames,
  binding: Extract<InputBinding, { kind: 'toOne' }>,
  mode: 'create' | 'update',
): string {
  const column = binding.relation.sourceColumns[0]
  const field = names.model.fields.find((f) => f.column === column)
  const what = `Global id of the related ${binding.target.typeName}`
  if (field?.nullable !== false) return `${what} (null clears it).`
  return mode === 'create' && !field.hasDefault ? `${what}. Required.` : `${what} (cannot be null).`
}
