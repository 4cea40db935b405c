import { AutoGenError, ErrorCodes } from '../errors.js'
import type {
  ComputedField,
  Model,
  ModelEnum,
  ModelField,
  ModelGraph,
  Relation,
  RemovedField,
} from '../models/index.js'
import { defaultInflection } from './Inflection.js'
import type { Inflection, MutationKind, SubscriptionKind } from './Inflection.js'

/**
 * What a GraphQL field of a model's object type stands for. A `deprecationReason` marks a former
 * name kept as an alias (config `renamedFrom`); it reads exactly like the current field.
 */
export type FieldBinding = (
  | { kind: 'globalId' }
  | { kind: 'primaryKey'; field: ModelField }
  | { kind: 'compositeKey'; typeName: string; fields: ReadonlyArray<KeyPart> }
  | { kind: 'column'; field: ModelField }
  | { kind: 'relation'; relation: Relation; target: ModelNames }
  | { kind: 'removed'; removed: RemovedField }
  | { kind: 'computed'; computed: ComputedField }
) & { deprecationReason?: string }

/** One column of a composite primary key as a field of the key's object type (`pk { orderId }`). */
export interface KeyPart {
  name: string
  field: ModelField
}

/**
 * What an input field of a create or update mutation writes. `aliasOf` marks a former name
 * (config `renamedFrom`) accepted in place of the current input field it names.
 */
export type InputBinding = (
  | { kind: 'column'; field: ModelField; onCreate: boolean; onUpdate: boolean }
  | { kind: 'toOne'; relation: Relation; target: ModelNames; onCreate: boolean; onUpdate: boolean }
  | {
      kind: 'manyToMany'
      relation: Relation
      target: ModelNames
      /** `set` replaces the whole set (create and update); `add`/`remove` change it (update). */
      action: 'set' | 'add' | 'remove'
      onCreate: boolean
      onUpdate: boolean
    }
) & { aliasOf?: string }

/** The mutation names of one model (every kind is named; the schema decides which exist). */
export interface MutationNames {
  /** Root Mutation field per kind: `createUser`, `bulkDeleteUsers`, … */
  fields: Record<MutationKind, string>
  /** Payload type per kind: `CreateUserPayload`, … */
  payloads: Record<MutationKind, string>
  createInput: string
  updateInput: string
  /** Payload field holding the written row: the single field name (`user`). */
  nodeField: string
  /** Input fields by GraphQL name, in declaration order: columns, then relations. */
  inputs: Map<string, InputBinding>
}

/** Every mutation kind, in the order the Mutation type lists them. */
export const MUTATION_KINDS: readonly MutationKind[] = [
  'create',
  'update',
  'delete',
  'restore',
  'bulkCreate',
  'bulkUpdate',
  'bulkDelete',
]

/** Shared payload types of mutations: a field error, and a bulk one that also carries the input index. */
export const FIELD_ERROR_TYPE = 'FieldError'
/** See {@link FIELD_ERROR_TYPE}. */
export const BULK_FIELD_ERROR_TYPE = 'BulkFieldError'
/** Payload of every `xDeleted` subscription: the deleted object's global id and type name. */
export const DELETED_NODE_TYPE = 'DeletedNode'
/** Every change kind, in the order the Subscription type lists them. */
export const SUBSCRIPTION_KINDS: readonly SubscriptionKind[] = ['created', 'updated', 'deleted']

/** The GraphQL names of one model and what each of its fields means. */
export interface ModelNames {
  model: Model
  typeName: string
  connectionTypeName: string
  edgeTypeName: string
  /** Object type of the `pk` field when the primary key has several columns (`OrderDetailPk`). */
  keyTypeName: string
  orderByTypeName: string
  filterTypeName: string
  /** `{ some, every, none }` input for to-many relations leading to this model. */
  relationFilterTypeName: string
  singleField: string
  listField: string
  /** Output fields in declaration order: `id`, `pk`, columns, relations. */
  fields: Map<string, FieldBinding>
  /** Output field name of each column shown (by property key). */
  columnNames: Map<string, string>
  /** Mutation fields, inputs and payloads. */
  mutations: MutationNames
  /** Subscription field per change kind: `userCreated`, `userUpdated`, `userDeleted`. */
  subscriptions: Record<SubscriptionKind, string>
}

/** GraphQL names of an enum and its values (SQL value → GraphQL value). */
export interface EnumNames {
  enum: ModelEnum
  typeName: string
  /** Operator input (`exact`, `in`, `isnull`) for columns of this enum. */
  filterTypeName: string
  values: Map<string, string>
}

/** All names of a schema, made once and shared by the schema builder and the compiler. */
export interface SchemaNames {
  models: Map<string, ModelNames>
  byTypeName: Map<string, ModelNames>
  enums: Map<string, EnumNames>
  /** Operator input type name per scalar used by some exposed field (`String` → `StringFilter`), plus `ID`. */
  scalarFilters: Map<string, string>
  inflection: Inflection
}

/** Names reserved by the schema itself, so a model cannot take them. */
const RESERVED_TYPES = ['Query', 'Mutation', 'Subscription', 'Node', 'PageInfo', 'OrderDirection']

/**
 * Makes every GraphQL name for the graph. Two things wanting one name fail with both sources
 * named, so the fix (a `typeName`, `name` or `relatedName` option) is obvious.
 */
export function resolveNames(graph: ModelGraph, overrides: Partial<Inflection> = {}): SchemaNames {
  const inflection: Inflection = { ...defaultInflection, ...overrides }
  const typeNames = new NameRegistry('type')
  for (const reserved of RESERVED_TYPES) typeNames.claim(reserved, 'the built-in schema')
  const rootFields = new NameRegistry('Query field')
  rootFields.claim('node', 'the built-in Node interface')
  const mutationFields = new NameRegistry('Mutation field')
  const subscriptionFields = new NameRegistry('Subscription field')
  typeNames.claim(DELETED_NODE_TYPE, 'the built-in subscription payloads')
  typeNames.claim(FIELD_ERROR_TYPE, 'the built-in mutation payloads')
  typeNames.claim(BULK_FIELD_ERROR_TYPE, 'the built-in mutation payloads')
  const models = new Map<string, ModelNames>()
  const exposed = graph.models.filter((m) => !m.isJunction)
  for (const model of exposed) {
    const typeName = inflection.typeName(model)
    const source = `model \`${model.name}\` (table ${model.table})`
    const names: ModelNames = {
      model,
      typeName,
      connectionTypeName: inflection.connectionType(typeName),
      edgeTypeName: inflection.edgeType(typeName),
      keyTypeName: inflection.keyType(typeName),
      orderByTypeName: inflection.orderByInput(typeName),
      filterTypeName: inflection.filterInput(typeName),
      relationFilterTypeName: inflection.relationFilterInput(typeName),
      singleField: inflection.singleField(typeName),
      listField: inflection.listField(typeName),
      fields: new Map(),
      columnNames: new Map(),
      mutations: mutationNames(inflection, typeName, inflection.singleField(typeName)),
      subscriptions: Object.fromEntries(
        SUBSCRIPTION_KINDS.map((kind) => [kind, inflection.subscriptionField(kind, typeName)]),
      ) as Record<SubscriptionKind, string>,
    }
    for (const name of [
      names.typeName,
      names.connectionTypeName,
      names.edgeTypeName,
      ...(model.primaryKey.length > 1 ? [names.keyTypeName] : []),
      names.orderByTypeName,
      names.filterTypeName,
      names.relationFilterTypeName,
      names.mutations.createInput,
      names.mutations.updateInput,
      ...MUTATION_KINDS.map((kind) => names.mutations.payloads[kind]),
    ]) {
      typeNames.claim(name, source)
    }
    for (const kind of MUTATION_KINDS) mutationFields.claim(names.mutations.fields[kind], source)
    for (const kind of SUBSCRIPTION_KINDS) subscriptionFields.claim(names.subscriptions[kind], source)
    rootFields.claim(names.singleField, source)
    rootFields.claim(names.listField, source)
    models.set(model.name, names)
  }
  const enums = new Map<string, EnumNames>()
  for (const enumType of graph.enums) {
    const typeName = inflection.enumType(enumType)
    typeNames.claim(typeName, `enum \`${enumType.sqlName}\``)
    const valueNames = new NameRegistry(`value of enum ${typeName}`)
    const values = new Map<string, string>()
    for (const value of enumType.values) {
      const name = inflection.enumValue(value)
      valueNames.claim(name, `enum value '${value}'`)
      values.set(value, name)
    }
    const filterTypeName = inflection.fieldFilterInput(typeName)
    typeNames.claim(filterTypeName, `filters on enum \`${enumType.sqlName}\``)
    enums.set(enumType.sqlName, { enum: enumType, typeName, filterTypeName, values })
  }
  const scalarFilters = new Map<string, string>()
  // Booleans take a Boolean directly and list columns have no filter, so neither needs a type.
  const filtered = exposed.flatMap((m) =>
    m.fields.filter((f) => !f.hidden && !f.isList && f.kind !== 'Enum' && f.kind !== 'Boolean'),
  )
  const scalarKinds = new Set(['ID', ...filtered.map((f) => f.kind)])
  for (const kind of scalarKinds) {
    const name = inflection.fieldFilterInput(kind)
    typeNames.claim(name, `filters on scalar ${kind}`)
    scalarFilters.set(kind, name)
  }
  for (const names of models.values()) nameFields(names, models, inflection)
  for (const names of models.values()) nameInputs(names, models, inflection)
  return {
    models,
    byTypeName: new Map([...models.values()].map((n) => [n.typeName, n])),
    enums,
    scalarFilters,
    inflection,
  }
}

function nameFields(names: ModelNames, models: Map<string, ModelNames>, inflection: Inflection): void {
  const registry = new NameRegistry(`field of type ${names.typeName}`)
  const bind = (name: string, binding: FieldBinding, source: string): void => {
    registry.claim(name, source)
    names.fields.set(name, binding)
  }
  bind('id', { kind: 'globalId' }, 'the Node interface (global id)')
  const [primaryKey] = names.model.primaryKey
  if (names.model.primaryKey.length === 1 && primaryKey && !primaryKey.hidden) {
    bind('pk', { kind: 'primaryKey', field: primaryKey }, `primary key column ${primaryKey.column}`)
  }
  const keyParts = compositeKeyParts(names, inflection)
  if (keyParts.length > 0) {
    const columns = names.model.primaryKey.map((f) => f.column).join(', ')
    bind(
      'pk',
      { kind: 'compositeKey', typeName: names.keyTypeName, fields: keyParts },
      `primary key (${columns})`,
    )
  }
  for (const field of names.model.fields) {
    if (field.hidden || field.isForeignKey) continue
    if (field.isPrimaryKey && names.model.primaryKey.length === 1) {
      names.columnNames.set(field.key, 'pk')
      continue
    }
    const name = inflection.fieldName(field)
    const source = `column ${names.model.table}.${field.column}`
    bind(name, { kind: 'column', field }, source)
    names.columnNames.set(field.key, name)
    for (const former of field.formerNames ?? [])
      bind(former, { kind: 'column', field, deprecationReason: renamed(name) }, `renamedFrom of ${source}`)
  }
  for (const relation of names.model.relations) {
    const target = models.get(relation.target)
    if (!target) continue
    const name = inflection.relationField(relation, target.typeName)
    const source = `relation from ${relation.describe}`
    bind(name, { kind: 'relation', relation, target }, source)
    for (const former of relation.formerNames ?? [])
      bind(
        former,
        { kind: 'relation', relation, target, deprecationReason: renamed(name) },
        `renamedFrom of ${source}`,
      )
  }
  for (const computed of names.model.computedFields ?? []) {
    const binding: FieldBinding = { kind: 'computed', computed }
    if (computed.deprecationReason !== undefined) binding.deprecationReason = computed.deprecationReason
    bind(computed.name, binding, `computed field ${computed.source}`)
  }
  for (const removed of names.model.removedFields) {
    bind(
      removed.name,
      { kind: 'removed', removed, deprecationReason: removed.reason },
      `removedFields.${removed.name}`,
    )
  }
}

/**
 * The shown columns of a composite primary key as fields of its `pk` object, named as their
 * column fields are; none for a one-column key (its `pk` is the scalar itself).
 */
function compositeKeyParts(names: ModelNames, inflection: Inflection): KeyPart[] {
  const model = names.model
  if (model.primaryKey.length < 2) return []
  const registry = new NameRegistry(`field of type ${names.keyTypeName}`)
  return model.primaryKey
    .filter((field) => !field.hidden)
    .map((field) => {
      const name = inflection.fieldName(field)
      registry.claim(name, `primary key column ${model.table}.${field.column}`)
      return { name, field }
    })
}

function renamed(current: string): string {
  return `Renamed to \`${current}\`.`
}

function mutationNames(inflection: Inflection, typeName: string, nodeField: string): MutationNames {
  const fields = Object.fromEntries(
    MUTATION_KINDS.map((kind) => [kind, inflection.mutationField(kind, typeName)]),
  ) as Record<MutationKind, string>
  const payloads = Object.fromEntries(
    MUTATION_KINDS.map((kind) => [kind, inflection.mutationPayload(fields[kind])]),
  ) as Record<MutationKind, string>
  return {
    fields,
    payloads,
    createInput: inflection.mutationInput('create', typeName),
    updateInput: inflection.mutationInput('update', typeName),
    nodeField,
    inputs: new Map(),
  }
}

/**
 * Names the create/update input fields: writable columns (write-only ones included, read-only,
 * hidden, soft-delete and defaulted primary-key columns left out), a to-one relation as the
 * target's global id (`userId`) in place of its foreign-key column, and many-to-many relations
 * as id lists (`tagIds`, `addTagIds`, `removeTagIds`).
 */
function nameInputs(names: ModelNames, models: Map<string, ModelNames>, inflection: Inflection): void {
  const model = names.model
  const registry = new NameRegistry(
    `input field of ${names.mutations.createInput}/${names.mutations.updateInput}`,
  )
  const bind = (name: string, binding: InputBinding, source: string): void => {
    registry.claim(name, source)
    names.mutations.inputs.set(name, binding)
  }
  // A single-column foreign key to an exposed model is written through its relation input.
  const byRelation = new Set(
    model.relations
      .filter(
        (r) => r.kind === 'toOne' && r.isForward && r.sourceColumns.length === 1 && models.has(r.target),
      )
      .map((r) => r.sourceColumns[0]!),
  )
  for (const field of model.fields) {
    if ((field.hidden && !field.writeOnly) || field.readOnly || field.key === model.softDeleteField) continue
    if (byRelation.has(field.column)) continue
    if (field.isPrimaryKey && field.hasDefault) continue
    const name = names.columnNames.get(field.key) ?? inflection.fieldName(field)
    const onUpdate = !field.isPrimaryKey
    const source = `column ${model.table}.${field.column}`
    bind(name, { kind: 'column', field, onCreate: true, onUpdate }, source)
    for (const former of field.formerNames ?? [])
      bind(
        former,
        { kind: 'column', field, onCreate: true, onUpdate, aliasOf: name },
        `renamedFrom of ${source}`,
      )
  }
  for (const relation of model.relations) {
    const target = models.get(relation.target)
    if (!target) continue
    const fieldName = inflection.relationField(relation, target.typeName)
    const source = `relation from ${relation.describe}`
    if (relation.kind === 'toOne' && relation.isForward && relation.sourceColumns.length === 1) {
      const isKey = model.primaryKey.some((f) => f.column === relation.sourceColumns[0])
      const name = inflection.relationInput(fieldName, relation, 'set')
      bind(name, { kind: 'toOne', relation, target, onCreate: true, onUpdate: !isKey }, source)
      for (const former of relation.formerNames ?? []) {
        const alias = inflection.relationInput(former, relation, 'set')
        const binding = {
          kind: 'toOne',
          relation,
          target,
          onCreate: true,
          onUpdate: !isKey,
          aliasOf: name,
        } as const
        bind(alias, binding, `renamedFrom of ${source}`)
      }
    } else if (relation.kind === 'manyToMany') {
      for (const action of ['set', 'add', 'remove'] as const) {
        const name = inflection.relationInput(fieldName, relation, action)
        bind(
          name,
          { kind: 'manyToMany', relation, target, action, onCreate: action === 'set', onUpdate: true },
          source,
        )
      }
    }
  }
}

/** Records who claimed each name in one scope and refuses a second claimant. */
class NameRegistry {
  private readonly owners = new Map<string, string>()

  constructor(private readonly scope: string) {}

  claim(name: string, source: string): void {
    if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(name)) {
      throw new AutoGenError(
        ErrorCodes.NAME_COLLISION,
        `Invalid GraphQL name \`${name}\` (${this.scope}) from ${source}.`,
      )
    }
    const owner = this.owners.get(name)
    if (owner !== undefined) {
      throw new AutoGenError(
        ErrorCodes.NAME_COLLISION,
        `Name collision: ${this.scope} \`${name}\` is wanted by ${owner} and by ${source}. Rename one (model option \`typeName\`, \`fields.<key>.name\`, or \`relations.<fk>.name\` / \`relatedName\`).`,
        { name },
      )
    }
    this.owners.set(name, source)
  }
}
