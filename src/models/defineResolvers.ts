import type { InferSelectModel } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { GraphQLResolveInfo } from 'graphql'
import type { AuthUser, FieldPermission } from '../auth/index.js'

/**
 * A column value as a computed field's row holds it: as the API renders it, so timestamps arrive
 * as ISO-8601 text and 64-bit integers as text (the compiler reads them in the same statement as
 * the rest of the response, already in JSON).
 */
export type ApiValue<V> = V extends Date ? string : V extends bigint ? string : V

/** The row of a table a computed field may ask for, keyed by the table's property names. */
export type RowOf<T extends PgTable> = { [K in keyof InferSelectModel<T>]: ApiValue<InferSelectModel<T>[K]> }

/**
 * The GraphQL context a resolver receives: over HTTP a RequestContext (caller on `user`); under
 * plain `graphql()` without a context, an empty object (the caller is then anonymous).
 */
export interface ResolverContext {
  /** The caller, when a server (or your own context) set it. */
  user?: AuthUser
  /** Id of the request, for logs. */
  requestId?: string
  /** Free space for plugins, keyed by plugin name. */
  state?: Record<string, unknown>
  [key: string]: unknown
}

/** A computed field's function: the needed columns of one row in, the field's value (or a promise) out. */
export type ComputedResolver<Row = Record<string, unknown>, Args = Record<string, unknown>> = (
  row: Row,
  args: Args,
  context: ResolverContext,
  info: GraphQLResolveInfo,
) => unknown

/** One argument of a computed field: a GraphQL input type (`'Int'`, `'String!'`, `'[ID!]'`) and extras. */
export interface ComputedArgument {
  type: string
  description?: string
  defaultValue?: unknown
}

/** What `field({...})` takes; `Row` comes from the table given to `defineResolvers`. */
export interface FieldSpec<Row, N extends keyof Row & string> {
  /** GraphQL output type: a scalar or enum, e.g. `'String'` (the default), `'Int!'`, `'[String!]!'`. */
  type?: string
  /**
   * Property keys of the columns the resolver reads; the compiler reads exactly these (and the
   * primary key) in the same SQL statement as the rest of the response. Absent: every column.
   */
  needs?: readonly N[]
  resolve: ComputedResolver<Pick<Row, N>>
  /** Arguments of the field, by name: a type (`'Int'`) or `{ type, description, defaultValue }`. */
  args?: Record<string, string | ComputedArgument>
  description?: string
  deprecationReason?: string
  /** Who may read the field: `permissionRequired('users.view_user')` (others get null and FORBIDDEN). */
  permission?: FieldPermission
}

/** A computed field as `field()` or `cachedField()` makes it, ready for `defineResolvers`. */
export interface ComputedFieldDefinition<Row = Record<string, unknown>> {
  readonly kind: 'computedField'
  readonly type: string
  /** Absent: every column of the model. */
  readonly needs?: readonly string[]
  readonly resolve: ComputedResolver<Row>
  readonly args?: Readonly<Record<string, string | ComputedArgument>>
  readonly description?: string
  readonly deprecationReason?: string
  readonly permission?: FieldPermission
}

/** Computed fields of one table, as `defineResolvers` returns them; register them in config `resolvers`. */
export interface ResolverSet<T extends PgTable = PgTable> {
  readonly kind: 'resolverSet'
  readonly table: T
  readonly fields: Readonly<Record<string, ComputedFieldDefinition<RowOf<T>>>>
}

/** A resolver set of any table, as config `resolvers` holds them (rows typed per set). */
export interface AnyResolverSet {
  readonly kind: 'resolverSet'
  readonly table: PgTable
  readonly fields: Readonly<Record<string, ComputedFieldDefinition<never>>>
}

/**
 * Declares computed fields of a model (the design source's `BaseResolver` with
 * `resolve_full_name`). Each field says which columns it needs, so the compiler reads them in the
 * same SQL statement; register the result in config: `resolvers: [defineResolvers(users, {...})]`.
 */
export function defineResolvers<T extends PgTable>(
  table: T,
  fields: Record<string, ComputedFieldDefinition<RowOf<T>>>,
): ResolverSet<T> {
  return Object.freeze({ kind: 'resolverSet' as const, table, fields: Object.freeze({ ...fields }) })
}

/** A computed field: `field(row => …)` (reads every column, type String) or `field({ type, needs, resolve })`. */
export function field<Row>(resolve: ComputedResolver<Row>): ComputedFieldDefinition<Row>
export function field<Row, const N extends keyof Row & string>(
  spec: FieldSpec<Row, N>,
): ComputedFieldDefinition<Row>
export function field<Row>(
  spec: ComputedResolver<Row> | FieldSpec<Row, keyof Row & string>,
): ComputedFieldDefinition<Row> {
  if (typeof spec === 'function')
    return Object.freeze({ kind: 'computedField' as const, type: 'String', resolve: spec })
  const { type, resolve, ...rest } = spec
  return Object.freeze({
    kind: 'computedField' as const,
    ...rest,
    type: type ?? 'String',
    // The row holds at least the needed columns; the resolver only reads those.
    resolve: resolve as ComputedResolver<Row>,
  })
}

/** Whether a value was made by {@link defineResolvers}. */
export function isResolverSet(value: unknown): value is AnyResolverSet {
  return typeof value === 'object' && value !== null && (value as AnyResolverSet).kind === 'resolverSet'
}

/** Whether a value was made by {@link field} (or `cachedField`). */
export function isComputedFieldDefinition(value: unknown): value is ComputedFieldDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ComputedFieldDefinition).kind === 'computedField' &&
    typeof (value as ComputedFieldDefinition).resolve === 'function'
  )
}
