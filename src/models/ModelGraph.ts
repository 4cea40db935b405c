import type { ComputedField } from './computedFields.js'
import type { PgTable } from 'drizzle-orm/pg-core'

/** The neutral kinds of scalar a column maps to; GraphQL scalars and SQL rendering follow from it. */
export type ScalarKind =
  | 'Int'
  | 'Float'
  | 'String'
  | 'Boolean'
  | 'DateTime'
  | 'Date'
  | 'Time'
  | 'Decimal'
  | 'BigInt'
  | 'JSON'
  | 'UUID'
  | 'Enum'

/** A PostgreSQL enum type used by some column. */
export interface ModelEnum {
  /** The enum's SQL type name. */
  sqlName: string
  /** Its values, in declaration order. */
  values: readonly string[]
}

/** One column of a model, with what the API needs to know about it. */
export interface ModelField {
  /** The property name in the Drizzle table (usually camelCase). */
  key: string
  /** The SQL column name. */
  column: string
  kind: ScalarKind
  /** The SQL type as Drizzle declares it, e.g. `varchar(150)`. */
  sqlType: string
  /** Set when kind is `Enum`. */
  enum?: ModelEnum
  /** True for array columns (`text[]`). */
  isList: boolean
  nullable: boolean
  hasDefault: boolean
  isPrimaryKey: boolean
  /** True when the column alone is unique (primary key or unique constraint). */
  isUnique: boolean
  /** True when the timestamp type carries a time zone. */
  withTimezone: boolean
  maxLength?: number
  precision?: number
  scale?: number
  /** Never shown in output types (hidden or write-only). */
  hidden: boolean
  writeOnly: boolean
  readOnly: boolean
  /** Part of a foreign key that the API shows as a relation instead of a scalar. */
  isForeignKey: boolean
  description?: string
  /** A GraphQL field name chosen in config, applied by the naming stage. */
  nameOverride?: string
  /** Former GraphQL names (config `renamedFrom`), kept as deprecated aliases by the naming stage. */
  formerNames?: readonly string[]
}

/** How a relation connects two models. */
export type RelationKind = 'toOne' | 'toMany' | 'manyToMany'

/** One side of a relation between two models; every relation has an inverse on the other model. */
export interface Relation {
  /** Stable id of this side, e.g. `orders.user_id>` or `users<orders.user_id`, used in messages. */
  id: string
  kind: RelationKind
  /** Model this side belongs to. */
  source: string
  /** Model it leads to. */
  target: string
  /** Columns on the source table matched with `targetColumns` (not used for manyToMany). */
  sourceColumns: readonly string[]
  /** Columns on the target table. */
  targetColumns: readonly string[]
  /** For manyToMany: the junction table and its columns pointing at source and target. */
  through?: {
    table: string
    schema?: string
    /** Junction columns that reference the source's `sourceKeys`. */
    sourceColumns: readonly string[]
    sourceKeys: readonly string[]
    /** Junction columns that reference the target's `targetKeys`. */
    targetColumns: readonly string[]
    targetKeys: readonly string[]
  }
  /** For toOne: whether the related row may be missing. */
  nullable: boolean
  /** True on the side that holds the foreign key (forward side). */
  isForward: boolean
  /** True when the foreign key is unique, so both sides are to-one. */
  isOneToOne: boolean
  /** The FK property key(s) on the table that holds them, for naming (`userId` → `user`). */
  foreignKeyKeys: readonly string[]
  /** The model holding the foreign key (or the junction table name for manyToMany). */
  origin: string
  /** Name chosen in config (`relations.<fk>.name` / `relatedName`), applied by the naming stage. */
  nameOverride?: string
  /** Human description of where the relation comes from, for error messages. */
  describe: string
  /** Former field names (config `renamedFrom` / `relatedRenamedFrom`), kept as deprecated aliases. */
  formerNames?: readonly string[]
}

/** One ordering key as config states it: a field key (or relation path) and a direction. */
export interface OrderSpec {
  /** Property keys from the model to the column, e.g. `['createdAt']` or `['user', 'username']`. */
  path: readonly string[]
  direction: 'ASC' | 'DESC'
  nulls?: 'FIRST' | 'LAST'
}

/** A table as the API sees it. */
export interface Model {
  /** The model's key in config (e.g. `users`). */
  name: string
  /** SQL table name. */
  table: string
  /** SQL schema, when the table is not in the search path. */
  schema?: string
  /** The Drizzle table it came from, for later stages that need to write through Drizzle. */
  source: PgTable
  /** GraphQL type name chosen in config, applied by the naming stage. */
  typeNameOverride?: string
  description?: string
  fields: ModelField[]
  /** Primary-key fields, in key order (several for a composite key). */
  primaryKey: ModelField[]
  relations: Relation[]
  /** Property key of the soft-delete timestamp column, when soft delete is on for this model. */
  softDeleteField?: string
  /** Ordering used when a query gives none; the primary key always ends it. */
  defaultOrderBy: OrderSpec[]
  /** A table of two foreign keys and nothing else: not exposed, it only links two models. */
  isJunction: boolean
  /**
   * SQL column lists, in key order, that an index serves: the primary key, unique constraints
   * and declared indexes (`doctor` checks foreign keys against their leading columns).
   */
  indexedColumnSets: string[][]
  /** GraphQL fields removed from this model, kept as deprecated always-null fields. */
  removedFields: RemovedField[]
  /** Computed fields from config `resolvers` (see defineResolvers). */
  computedFields?: ComputedField[]
}

/** A removed GraphQL field kept for old clients (config `removedFields`). */
export interface RemovedField {
  name: string
  kind: Exclude<ScalarKind, 'Enum'>
  reason: string
}

/** Every model and enum of a schema, with relations resolved in both directions. */
export interface ModelGraph {
  models: Model[]
  enums: ModelEnum[]
}

/** Looks a model up by name; throws when absent (a bug in a later stage, not user input). */
export function getModel(graph: ModelGraph, name: string): Model {
  const model = graph.models.find((m) => m.name === name)
  if (!model) throw new Error(`Model ${name} is not in the graph`)
  return model
}
