import type { FieldPermission, ModelPermissionOptions, RowPolicy } from '../auth/index.js'
import type { Relations } from 'drizzle-orm'
import type { PgSchema, PgSequence } from 'drizzle-orm/pg-core'
import type { ScalarKind } from './ModelGraph.js'
import type { ModelSource } from './modelSource.js'

/** Per-field options, keyed in config by the column's property name. */
export interface FieldOptions {
  /** GraphQL field name instead of the camelCase property name. */
  name?: string
  description?: string
  /** Not exposed at all. */
  hidden?: boolean
  /** Accepted in inputs, never shown in outputs or filters (default for a column named `password`). */
  writeOnly?: boolean
  /** Shown, never written. */
  readOnly?: boolean
  /** Who may read and write the value: `permissionRequired('users.view_user')` (others get null and FORBIDDEN). */
  permission?: FieldPermission
  /**
   * Former GraphQL name(s) of this field. Each stays in the schema as an `@deprecated` alias that
   * reads, filters and orders exactly like the field, so clients keep working while they move.
   */
  renamedFrom?: string | readonly string[]
}

/** A GraphQL field whose column is gone: kept as a deprecated, always-null field of this type. */
export interface RemovedFieldOptions {
  /** The GraphQL scalar it had: `String`, `Int`, `Float`, `Boolean`, `DateTime`, `Date`, `Time`, `Decimal`, `BigInt`, `JSON`, `UUID`. */
  type: RemovedFieldType
  /** The deprecation reason clients see (default: says the field was removed and is always null). */
  reason?: string
}

/** The scalar kinds a removed field may keep: every column kind but enums. */
export type RemovedFieldType = Exclude<ScalarKind, 'Enum'>

/** Per-relation options, keyed by the foreign-key column's property name on the table that holds it. */
export interface RelationOptions {
  /**
   * For a view or a table without a primary key (read-only models): the model (config key) this
   * column refers to, as a foreign key the database does not declare. Matched with the target's
   * single-column key; gives the relation in both directions, like a real foreign key.
   */
  references?: string
  /** Name of the to-one field on this model (default: the key without `Id`, e.g. `userId` → `user`). */
  name?: string
  /** Name of the inverse field on the referenced model, as Django's `related_name`. */
  relatedName?: string
  /** Former name(s) of the to-one field, kept as `@deprecated` aliases. */
  renamedFrom?: string | readonly string[]
  /** Former name(s) of the inverse field on the referenced model, kept as `@deprecated` aliases. */
  relatedRenamedFrom?: string | readonly string[]
}

/** Direction of one ordering key in config: `'ASC'`, `'DESC'`, or with nulls placement. */
export type OrderDirectionOption =
  'ASC' | 'DESC' | 'ASC_NULLS_FIRST' | 'ASC_NULLS_LAST' | 'DESC_NULLS_FIRST' | 'DESC_NULLS_LAST'

/** A model in config: a table (or view) plus options. */
export interface ModelOptions {
  /** A Drizzle `pgTable`, `pgView` or `pgMaterializedView`. */
  table: ModelSource
  /**
   * Property keys of the columns that identify a row of a view, materialized view or table
   * without a primary key (the database declares none): gives the type a global id, `node` and
   * a lookup by id. The model stays read-only. Not allowed on a table that has a primary key.
   */
  primaryKey?: readonly string[]
  /** GraphQL type name instead of the singular of the table name. */
  typeName?: string
  description?: string
  fields?: Record<string, FieldOptions>
  relations?: Record<string, RelationOptions>
  /** Property key of the timestamp column that marks a row deleted. */
  softDelete?: string
  /** Default ordering, e.g. `[{ createdAt: 'DESC' }]`; the primary key always breaks ties. */
  defaultOrderBy?: Array<Record<string, OrderDirectionOption>>
  /** Permission classes per operation (`view`, `add`, `change`, `delete`), replacing `security.permissionClasses`. */
  permissions?: ModelPermissionOptions
  /** The rows a user may reach, as a filter (or true/false), ANDed into every read and write of the model. */
  rowPolicy?: RowPolicy
  /**
   * GraphQL fields that no longer exist, by their old name: each stays as a nullable field that
   * always returns null, marked `@deprecated`, so old client documents still validate.
   */
  removedFields?: Record<string, RemovedFieldOptions>
}

/** A model as config accepts it: a bare Drizzle table or view, or one with options. */
export type ModelInput = ModelSource | ModelOptions

/**
 * What a Drizzle schema module exports besides models (`drizzle-kit pull` writes enums,
 * sequences, `pgSchema`s and `relations()`): accepted in `models` and skipped (listed at debug).
 */
export type ModelModuleExport = DrizzleEnum | PgSequence | PgSchema | Relations

/** A `pgEnum(…)` export, by shape (its generic values make PgEnum<…> types incompatible). */
export type DrizzleEnum = ((...args: never[]) => unknown) & { readonly enumName: string }

/**
 * Config `models`: models by name (a whole `import * as schema` module included), or a list of
 * tables and views.
 */
export type ModelsInput =
  | Readonly<Record<string, ModelInput | ModelModuleExport>>
  | readonly ModelInput[]
  // A module namespace may export anything else too (helpers, constants): skipped when read.
  | ModelModule

/**
 * A schema module (`import * as schema`) as TypeScript types it: its other exports cannot be
 * told apart from a typo by type, so the reader checks them (skipped in a module, errors in an object).
 */
export type ModelModule = Readonly<Record<string, unknown>>

/** A model input with its config key, as the reader receives it. */
export interface NamedModelInput {
  name: string
  options: ModelOptions
}
