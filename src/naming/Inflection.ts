import pluralize from 'pluralize'
import type { Model, ModelEnum, ModelField, Relation } from '../models/index.js'

/**
 * Every rule that turns a model into GraphQL names. Override any entry in config
 * (`naming: { typeName: (model) => … }`); all other stages ask this module, never guess a name.
 */
export interface Inflection {
  /** Object type of a model: `users` → `User`. */
  typeName(model: Model): string
  /** Root field for one row: `User` → `user`. */
  singleField(typeName: string): string
  /** Root field for a list of rows: `User` → `users`. */
  listField(typeName: string): string
  connectionType(typeName: string): string
  edgeType(typeName: string): string
  /** Object type of a composite primary key (the `pk` field): `OrderDetail` → `OrderDetailPk`. */
  keyType(typeName: string): string
  orderByInput(typeName: string): string
  filterInput(typeName: string): string
  /** `{ some, every, none }` input of a to-many relation to this type: `Order` → `OrderRelationFilter`. */
  relationFilterInput(typeName: string): string
  /** Operator input of a scalar or enum type: `String` → `StringFilter`, `OrderStatus` → `OrderStatusFilter`. */
  fieldFilterInput(scalarOrEnumName: string): string
  /** Output field of a column: `created_at` / `createdAt` → `createdAt`. */
  fieldName(field: ModelField): string
  /** Field for a relation, given the source and target type names. */
  relationField(relation: Relation, targetTypeName: string): string
  /** GraphQL enum type of a PostgreSQL enum: `order_status` → `OrderStatus`. */
  enumType(enumType: ModelEnum): string
  /** GraphQL enum value of a PostgreSQL enum value: `in-progress` → `IN_PROGRESS`. */
  enumValue(value: string): string
  /** Mutation field of one kind for a type: `('create', 'User')` → `createUser`, `('bulkCreate', 'User')` → `bulkCreateUsers`. */
  mutationField(kind: MutationKind, typeName: string): string
  /** Input object of a type's create or update mutation: `CreateUserInput`, `UpdateUserInput`. */
  mutationInput(kind: 'create' | 'update', typeName: string): string
  /** Payload type of a mutation field: `createUser` → `CreateUserPayload`. */
  mutationPayload(mutationFieldName: string): string
  /**
   * Input field that sets a relation by global id(s), given the relation's output field name:
   * to-one `user` → `userId`; many-to-many `tags` → `tagIds` (replace the set), `addTagIds`, `removeTagIds`.
   */
  relationInput(relationFieldName: string, relation: Relation, action: 'set' | 'add' | 'remove'): string
  /** Subscription field of a change to a type: `('created', 'User')` → `userCreated`. */
  subscriptionField(kind: SubscriptionKind, typeName: string): string
}

/** The change events a model can be subscribed to. */
export type SubscriptionKind = 'created' | 'updated' | 'deleted'

/** The mutation fields a model can have. */
export type MutationKind =
  'create' | 'update' | 'delete' | 'restore' | 'bulkCreate' | 'bulkUpdate' | 'bulkDelete'

/** The default naming rules (PostGraphile-simplified style, Django-like relation names). */
export const defaultInflection: Inflection = {
  typeName: (model) => model.typeNameOverride ?? pascalCase(pluralize.singular(model.table)),
  singleField: (typeName) => camelCase(typeName),
  listField: (typeName) => pluralize.plural(camelCase(typeName)),
  connectionType: (typeName) => `${typeName}Connection`,
  edgeType: (typeName) => `${typeName}Edge`,
  keyType: (typeName) => `${typeName}Pk`,
  orderByInput: (typeName) => `${typeName}OrderBy`,
  filterInput: (typeName) => `${typeName}Filter`,
  relationFilterInput: (typeName) => `${typeName}RelationFilter`,
  fieldFilterInput: (scalarOrEnumName) => `${scalarOrEnumName}Filter`,
  fieldName: (field) => field.nameOverride ?? camelCase(field.key),
  relationField(relation, targetTypeName) {
    if (relation.nameOverride !== undefined) return relation.nameOverride
    const single = camelCase(targetTypeName)
    if (relation.isForward) {
      // Django names the field after the key without its `_id`: `userId` → `user`.
      const key = relation.foreignKeyKeys.join('_')
      const stripped = key.replace(/_?(id|Id|ID)$/, '')
      return camelCase(stripped.length > 0 && stripped !== key ? stripped : `${key}Rel`)
    }
    if (relation.kind === 'manyToMany') return pluralize.plural(single)
    const base = relation.kind === 'toOne' ? single : pluralize.plural(single)
    // Several foreign keys from one table to the same target need distinct inverse names.
    if (relation.id.endsWith('*')) {
      const key = relation.foreignKeyKeys.join('_').replace(/_?(id|Id|ID)$/, '')
      return `${base}By${pascalCase(key)}`
    }
    return base
  },
  mutationField: (kind, typeName) =>
    kind.startsWith('bulk') ? `${kind}${pluralize.plural(typeName)}` : `${kind}${typeName}`,
  mutationInput: (kind, typeName) => `${pascalCase(kind)}${typeName}Input`,
  mutationPayload: (mutationFieldName) => `${pascalCase(mutationFieldName)}Payload`,
  relationInput(relationFieldName, relation, action) {
    if (relation.kind !== 'manyToMany') return `${relationFieldName}Id`
    const single = pluralize.singular(relationFieldName)
    return action === 'set' ? `${single}Ids` : `${action}${pascalCase(single)}Ids`
  },
  subscriptionField: (kind, typeName) => `${camelCase(typeName)}${pascalCase(kind)}`,
  enumType: (enumType) => pascalCase(enumType.sqlName),
  enumValue: (value) => {
    const name = value
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase()
    return /^[A-Z_]/.test(name) ? name : `_${name}`
  },
}

/** `order_items` / `order-items` / `orderItems` → `OrderItems`. */
export function pascalCase(text: string): string {
  const camel = camelCase(text)
  return camel.charAt(0).toUpperCase() + camel.slice(1)
}

/** `order_items` / `OrderItems` → `orderItems`. */
export function camelCase(text: string): string {
  const parts = text.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0)
  const joined = parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('')
  return joined.charAt(0).toLowerCase() + joined.slice(1)
}
