import { GraphQLID, GraphQLNonNull, GraphQLObjectType, GraphQLString, print } from 'graphql'
import type { GraphQLFieldConfig, GraphQLResolveInfo } from 'graphql'
import type { RequestAccess } from '../auth/index.js'
import { compileFilter, filterErrorFromDatabase, SqlParams } from '../compile/index.js'
import type { Database } from '../database/index.js'
import { toClientError } from '../errors.js'
import { DELETED_NODE_TYPE, encodeGlobalId } from '../naming/index.js'
import type { ModelNames } from '../naming/index.js'
import {
  deletedRowMatch,
  DeliveryFailure,
  filteredStream,
  tokenExpiredRefusal,
  shareRead,
  stableKey,
} from '../subscriptions/index.js'
import type { ChangeEvent, ChangeFeed, ChangeOperation } from '../subscriptions/index.js'
import type { ModelTypes } from './ModelTypes.js'
import { readObjectRows } from './objectRows.js'
import { compileOptions, readRootField } from './readRootField.js'
import { callerAccess, databaseOf } from './requestCaller.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/**
 * The Subscription type (undefined when subscriptions are off): per model `xCreated(filter)`,
 * `xUpdated(filter)` (the row, read with the subscriber's selection) and `xDeleted(filter)`
 * (its global id and type name). Every event is re-read for each subscriber with THAT
 * subscriber's permissions (row policies and field guards compiled in) and filter, in one
 * statement shared by every subscriber of the event with the same document, variables and
 * permission scope; a row the subscriber cannot see, or that fails the filter, is not sent.
 */
export function buildSubscriptionType(
  runtime: SchemaRuntime,
  types: ModelTypes,
): GraphQLObjectType | undefined {
  const feed = runtime.changes
  if (!feed) return undefined
  const deleted = new GraphQLObjectType({
    name: DELETED_NODE_TYPE,
    description: 'An object that was deleted.',
    fields: {
      id: { type: new GraphQLNonNull(GraphQLID), description: 'Global id of the deleted object.' },
      typeName: { type: new GraphQLNonNull(GraphQLString), description: 'Its GraphQL type name.' },
    },
  })
  const fields: Record<string, GraphQLFieldConfig<unknown, unknown>> = {}
  for (const names of runtime.names.models.values()) {
    // Read-only models (views, tables without a primary key) publish no change events.
    if (names.model.primaryKey.length === 0 || names.model.readOnly) continue
    const object = types.objects.get(names.model.name)!
    const args = {
      filter: {
        type: types.filters.get(names.model.name)!,
        description: `Only ${names.typeName} rows matching this filter (checked against the row as committed).`,
      },
    }
    const field = (
      op: ChangeOperation,
      type: GraphQLObjectType,
      description: string,
    ): GraphQLFieldConfig<unknown, unknown> => ({
      type: new GraphQLNonNull(type),
      description,
      args,
      subscribe: changeStream(runtime, feed, names, op),
      resolve: (payload: unknown, _args: unknown, context: unknown) => {
        if (payload instanceof DeliveryFailure)
          throw toClientError(filterErrorFromDatabase(payload.error) ?? payload.error, context)
        return payload
      },
    })
    fields[names.subscriptions.created] = field('created', object, `A ${names.typeName} was created.`)
    fields[names.subscriptions.updated] = field(
      'updated',
      object,
      `A ${names.typeName} was changed (or restored).`,
    )
    fields[names.subscriptions.deleted] = field('deleted', deleted, `A ${names.typeName} was deleted.`)
  }
  if (Object.keys(fields).length === 0) return undefined
  return new GraphQLObjectType({ name: 'Subscription', fields })
}

/**
 * The `subscribe` resolver of one field: checks the subscriber may view the model and that its
 * filter compiles (errors now, not per event), then streams the events it may see.
 */
function changeStream(runtime: SchemaRuntime, feed: ChangeFeed, names: ModelNames, op: ChangeOperation) {
  return async (
    _source: unknown,
    args: Record<string, unknown>,
    context: unknown,
    info: GraphQLResolveInfo,
  ) => {
    try {
      const access = await callerAccess(runtime, context)
      await access.require(names.model.name, 'view')
      const filter = args['filter'] ?? undefined
      checkFilter(runtime, names, filter, access)
      const database = databaseOf(runtime, context)
      // Subscribers with the same document, variables and permission scope read each event together.
      const group = `${selectionKey(info)}\u0000${scopeKey(access)}`
      const read =
        op === 'deleted'
          ? deletedReader(runtime, database, names, filter, access, group)
          : rowReader(runtime, database, names, info, filter, access, group)
      const source = feed.subscribe(names.model.name, op)
      try {
        await source.ready
      } catch (error) {
        await source.return()
        throw error
      }
      // Every transport (graphql-ws, SSE) stops delivering once the caller's token expired.
      return filteredStream(source, read, () => {}, tokenExpiredRefusal(access.user))
    } catch (error) {
      throw toClientError(filterErrorFromDatabase(error) ?? error, context)
    }
  }
}

/** Created/updated: the row re-read through the compiler with the subscriber's selection. */
function rowReader(
  runtime: SchemaRuntime,
  database: Database,
  names: ModelNames,
  info: GraphQLResolveInfo,
  filter: unknown,
  access: RequestAccess,
  group: string,
) {
  const request = {
    schema: info.schema,
    fragments: info.fragments,
    variableValues: info.variableValues,
    fieldNodes: info.fieldNodes,
  }
  const objectChecks = access.checksObjects(names.model.name, 'view')
  return async (event: ChangeEvent): Promise<unknown> => {
    if (objectChecks && !(await mayViewObject(runtime, database, names, event, access))) return null
    return shareRead(event, group, () =>
      readRootField(
        runtime,
        database,
        request,
        { kind: 'single', model: names, pk: event.pk, filter },
        access,
      ),
    )
  }
}

/** Deleted: the id, when the last known values pass the subscriber's filter and row policy. */
function deletedReader(
  runtime: SchemaRuntime,
  database: Database,
  names: ModelNames,
  filter: unknown,
  access: RequestAccess,
  group: string,
) {
  const policy = access.rowFilters.get(names.model.name)
  const needsRow = !isEmptyFilter(filter) || (policy !== undefined && policy !== true && policy !== null)
  return async (event: ChangeEvent): Promise<unknown> => {
    if (policy === false) return null
    const payload = { id: encodeGlobalId(names.typeName, event.pk), typeName: names.typeName }
    if (!needsRow) return payload
    // Without the values (too large for a NOTIFY), a filter or policy cannot be proven: not sent.
    const row = event.row
    if (!row) return null
    return shareRead(event, group, async () => {
      const statement = deletedRowMatch(names, row, filter, access, compileOptions(runtime))
      const { rows } = await database.query(statement)
      return rows.length > 0 ? payload : null
    })
  }
}

/** Object permission classes judge the row itself: read once per scope, judged per subscriber. */
async function mayViewObject(
  runtime: SchemaRuntime,
  database: Database,
  names: ModelNames,
  event: ChangeEvent,
  access: RequestAccess,
): Promise<boolean> {
  const rows = await shareRead(event, `objects\u0000${scopeKey(access)}`, () =>
    readObjectRows(runtime, database, names, [event.pk], access),
  )
  if (rows.length === 0) return false
  try {
    await access.requireObject(names.model.name, 'view', rows[0]!)
    return true
  } catch {
    return false
  }
}

/** Compiles the filter once at subscribe time, so a bad or forbidden filter fails the subscription. */
function checkFilter(
  runtime: SchemaRuntime,
  names: ModelNames,
  filter: unknown,
  access: RequestAccess,
): void {
  if (filter === undefined) return
  let aliases = 0
  compileFilter(
    {
      params: new SqlParams(),
      nextAlias: (prefix) => `${prefix}_c${aliases++}`,
      options: compileOptions(runtime),
      deniedFields: access.deniedFields,
    },
    names,
    filter,
    't',
  )
}

/** The document (operation and fragments) and variables: equal keys compile to equal SQL. */
function selectionKey(info: GraphQLResolveInfo): string {
  const fragments = Object.keys(info.fragments)
    .sort()
    .map((name) => print(info.fragments[name]!))
  return stableKey([print(info.operation), fragments, info.variableValues])
}

/** What makes one caller's SQL differ from another's: row policies and denied fields. */
function scopeKey(access: RequestAccess): string {
  return stableKey({ rowFilters: access.rowFilters, deniedFields: access.deniedFields })
}

function isEmptyFilter(filter: unknown): boolean {
  return (
    filter === undefined ||
    filter === null ||
    (typeof filter === 'object' && Object.keys(filter).length === 0)
  )
}
