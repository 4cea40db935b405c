import type { PgColumn } from 'drizzle-orm/pg-core'
import { ConfigError } from '../errors.js'
import { suggestion } from '../didYouMean.js'
import { columnKind } from './columnKind.js'
import type { DescriptionSource } from './DescriptionSource.js'
import { isModelSource, readSource } from './modelSource.js'
import type { ModelSource, SourceShape, SourceForeignKey } from './modelSource.js'
import type {
  Model,
  ModelEnum,
  ModelField,
  ModelGraph,
  OrderSpec,
  Relation,
  RemovedField,
} from './ModelGraph.js'
import type { NamedModelInput, OrderDirectionOption, RemovedFieldOptions } from './ModelOptions.js'

/**
 * Reads Drizzle tables into a {@link ModelGraph}: fields with their scalar kinds, primary keys,
 * and relations from foreign keys in both directions, as Django derives them: a foreign key is
 * to-one on its table and to-many on the target, one-to-one when unique, and a table of two
 * foreign keys and nothing else is a many-to-many junction.
 */
export function readModels(inputs: readonly NamedModelInput[], options: ReadModelsOptions = {}): ModelGraph {
  const descriptions = options.descriptions ?? []
  const tables = inputs.map((input) => readTable(input, descriptions))
  const enums = new Map<string, ModelEnum>()
  for (const table of tables) {
    for (const field of table.model.fields) if (field.enum) enums.set(field.enum.sqlName, field.enum)
  }
  for (const enumType of enums.values()) {
    const description = firstDescription(descriptions, (d) => d.enum(enumType.sqlName))
    if (description !== undefined) enumType.description = description
  }
  for (const table of tables) linkForeignKeys(table, tables)
  for (const table of tables) checkOptions(table)
  return { models: tables.map((t) => t.model), enums: [...enums.values()] }
}

/** Options of {@link readModels}. */
export interface ReadModelsOptions {
  /**
   * Where descriptions come from when config gives none, in precedence order (TSDoc of the
   * models file, then PostgreSQL comments); config `description` always wins.
   */
  descriptions?: readonly DescriptionSource[]
}

interface TableRead {
  input: NamedModelInput
  source: ModelSource
  model: Model
  shape: SourceShape
  keyByColumn: Map<string, string>
}

function readTable(input: NamedModelInput, descriptions: readonly DescriptionSource[]): TableRead {
  const { table } = input.options
  if (!isModelSource(table)) {
    throw new ConfigError(
      `models.${input.name}: expected a Drizzle pgTable, pgView or pgMaterializedView, got ${describeValue(table)}.`,
      { path: `models.${input.name}` },
    )
  }
  const shape = readSource(table)
  const keyByColumn = new Map(Object.entries(shape.columns).map(([key, column]) => [column.name, key]))
  const where = { name: shape.name, ...(shape.schema !== undefined ? { schema: shape.schema } : {}) }
  const fields: ModelField[] = Object.entries(shape.columns).map(([key, column]) =>
    readField(input, shape, key, column, (name) =>
      firstDescription(descriptions, (d) => d.column(where, { key, name })),
    ),
  )
  const primaryKey = declaredKey(input, shape, fields) ?? fields.filter((f) => f.isPrimaryKey)
  const configDescription = input.options.description ?? firstDescription(descriptions, (d) => d.table(where))
  const model: Model = {
    name: input.name,
    table: shape.name,
    ...(shape.schema !== undefined ? { schema: shape.schema } : {}),
    kind: shape.kind,
    readOnly: shape.kind !== 'table' || shape.primaryKey.length === 0,
    source: table,
    ...(input.options.typeName !== undefined ? { typeNameOverride: input.options.typeName } : {}),
    ...(configDescription !== undefined ? { description: configDescription } : {}),
    fields,
    primaryKey,
    rowKey: primaryKey.length > 0 ? primaryKey : uniqueNotNullKey(shape, fields),
    relations: [],
    defaultOrderBy: [],
    isJunction: false,
    indexedColumnSets: [
      ...(shape.primaryKey.length > 0 ? [shape.primaryKey] : []),
      ...shape.uniqueSets,
      ...fields.filter((f) => f.isUnique && !f.isPrimaryKey).map((f) => [f.column]),
      ...shape.indexes,
    ],
    removedFields: [],
  }
  return { input, source: table, model, shape, keyByColumn }
}

function readField(
  input: NamedModelInput,
  shape: SourceShape,
  key: string,
  column: PgColumn,
  describedElsewhere: (columnName: string) => string | undefined,
): ModelField {
  const { kind, isList, base } = columnKind(column)
  const options = input.options.fields?.[key] ?? {}
  const isPrimaryKey = shape.primaryKey.includes(column.name)
  const writeOnly = options.writeOnly ?? key.toLowerCase() === 'password'
  const enumValues = (base as unknown as { enumValues?: string[] }).enumValues
  const enumName = (base as unknown as { enum?: { enumName: string } }).enum?.enumName
  const numeric = base as unknown as { precision?: number; scale?: number; length?: number }
  const description = options.description ?? describedElsewhere(column.name)
  return {
    key,
    column: column.name,
    kind,
    sqlType: column.getSQLType(),
    ...(kind === 'Enum' && enumName && enumValues ? { enum: { sqlName: enumName, values: enumValues } } : {}),
    isList,
    // Drizzle keeps `.notNull()` of the element on the array's base column; PostgreSQL itself
    // never enforces it, so anything else may hold NULL elements.
    itemsNullable: isList && !base.notNull,
    // A view column's NOT NULL is Drizzle's claim, not the database's; it is trusted like a table's.
    nullable: !column.notNull,
    hasDefault: column.hasDefault,
    isPrimaryKey,
    isUnique:
      (isPrimaryKey && shape.primaryKey.length <= 1) ||
      (shape.kind === 'table' && column.isUnique) ||
      shape.uniqueSets.some((set) => set.length === 1 && set[0] === column.name),
    withTimezone: (base as unknown as { withTimezone?: boolean }).withTimezone === true,
    ...(numeric.length !== undefined ? { maxLength: numeric.length } : {}),
    ...(numeric.precision !== undefined ? { precision: numeric.precision } : {}),
    ...(numeric.scale !== undefined ? { scale: numeric.scale } : {}),
    hidden: options.hidden === true || writeOnly,
    writeOnly,
    readOnly: options.readOnly === true,
    isForeignKey: false,
    ...(description !== undefined ? { description } : {}),
    ...(options.name !== undefined ? { nameOverride: options.name } : {}),
    ...formerNamesOf(options.renamedFrom),
  }
}

/**
 * The config `primaryKey` of a model whose source declares none (a view, or a table without a
 * primary key): the fields it names, marked as the key. Undefined when config gives none.
 */
function declaredKey(
  input: NamedModelInput,
  shape: SourceShape,
  fields: ModelField[],
): ModelField[] | undefined {
  const declared = input.options.primaryKey
  if (declared === undefined) return undefined
  const path = `models.${input.name}.primaryKey`
  if (shape.primaryKey.length > 0) {
    throw new ConfigError(
      `${path}: table \`${shape.name}\` already has a primary key (${shape.primaryKey.join(', ')}); \`primaryKey\` is only for views and tables without one.`,
      { path },
    )
  }
  if (!Array.isArray(declared) || declared.length === 0 || !declared.every((k) => typeof k === 'string')) {
    throw new ConfigError(`${path}: expected a non-empty list of column property names, e.g. ['id'].`, {
      path,
    })
  }
  const keys = fields.map((f) => f.key)
  return declared.map((key: string) => {
    const field = fields.find((f) => f.key === key)
    if (!field) throw new ConfigError(`${path}: no column \`${key}\`.${suggestion(key, keys)}`, { path })
    if (field.nullable || field.isList || field.kind === 'JSON') {
      throw new ConfigError(
        `${path}: column \`${key}\` cannot identify a row: a key column must be declared \`.notNull()\` and not be a list or JSON.`,
        { path },
      )
    }
    field.isPrimaryKey = true
    if (declared.length === 1) field.isUnique = true
    return field
  })
}

/** The first unique key whose columns are all NOT NULL (NULLs are never equal, so they tell no rows apart). */
function uniqueNotNullKey(shape: SourceShape, fields: ModelField[]): ModelField[] {
  const sets = [...shape.uniqueSets, ...fields.filter((f) => f.isUnique).map((f) => [f.column])]
  for (const set of sets) {
    const keyFields = set.map((column) => fields.find((f) => f.column === column))
    if (keyFields.every((f) => f !== undefined && !f.nullable && !f.isList && f.kind !== 'JSON'))
      return keyFields as ModelField[]
  }
  return []
}

/** The first description any source gives, in precedence order. */
function firstDescription(
  sources: readonly DescriptionSource[],
  lookup: (source: DescriptionSource) => string | undefined,
): string | undefined {
  for (const source of sources) {
    const found = lookup(source)
    if (found !== undefined && found.trim() !== '') return found
  }
  return undefined
}

function linkForeignKeys(table: TableRead, tables: readonly TableRead[]): void {
  const byTable = new Map(tables.map((t) => [t.source, t]))
  const declared = declaredReferences(table, tables)
  const foreignKeys = [...table.shape.foreignKeys, ...declared]
    .map((ref) => ({ ref, target: byTable.get(ref.foreignTable) }))
    // A foreign key to a table that is not a model stays a plain column, as Django does for
    // unmanaged references: there is no type to lead to.
    .filter((fk): fk is typeof fk & { target: TableRead } => fk.target !== undefined)
  const relationOptions = table.input.options.relations ?? {}
  const model = table.model
  const fkColumns = new Set(foreignKeys.flatMap((fk) => fk.ref.columns))
  const nonKeyFields = model.fields.filter((f) => !fkColumns.has(f.column))
  const isJunction =
    declared.length === 0 &&
    model.kind === 'table' &&
    foreignKeys.length === 2 &&
    foreignKeys.every((fk) => fk.ref.columns.length === 1) &&
    nonKeyFields.every((f) => f.isPrimaryKey && !fkColumns.has(f.column) && f.hasDefault)
  for (const field of model.fields) if (fkColumns.has(field.column)) field.isForeignKey = true
  if (isJunction) {
    model.isJunction = true
    const [a, b] = foreignKeys as [(typeof foreignKeys)[0], (typeof foreignKeys)[0]]
    addManyToMany(table, a, b, relationOptions)
    addManyToMany(table, b, a, relationOptions)
    return
  }
  const sameTargetCount = new Map<ModelSource, number>()
  for (const fk of foreignKeys)
    sameTargetCount.set(fk.ref.foreignTable, (sameTargetCount.get(fk.ref.foreignTable) ?? 0) + 1)
  for (const { ref, target } of foreignKeys) {
    const sourceColumns = ref.columns
    const targetColumns = ref.foreignColumns
    const keys = sourceColumns.map((c) => table.keyByColumn.get(c) ?? c)
    const options = relationOptions[keys.join('_')] ?? {}
    const fields = sourceColumns.map((c) => model.fields.find((f) => f.column === c)!)
    const isOneToOne =
      (fields.length === 1 && fields[0]!.isUnique) ||
      (model.primaryKey.length === sourceColumns.length &&
        model.primaryKey.every((f) => sourceColumns.includes(f.column)))
    const describe = `foreign key ${model.table}(${sourceColumns.join(', ')}) → ${target.model.table}(${targetColumns.join(', ')})`
    const ambiguous = (sameTargetCount.get(ref.foreignTable) ?? 0) > 1
    const forward: Relation = {
      id: `${model.name}.${keys.join('_')}>`,
      kind: 'toOne',
      source: model.name,
      target: target.model.name,
      sourceColumns,
      targetColumns,
      nullable: fields.some((f) => f.nullable),
      isForward: true,
      isOneToOne,
      foreignKeyKeys: keys,
      origin: model.name,
      ...(options.name !== undefined ? { nameOverride: options.name } : {}),
      ...formerNamesOf(options.renamedFrom),
      describe,
    }
    const inverse: Relation = {
      id: `${target.model.name}<${model.name}.${keys.join('_')}${ambiguous ? '*' : ''}`,
      kind: isOneToOne ? 'toOne' : 'toMany',
      source: target.model.name,
      target: model.name,
      sourceColumns: targetColumns,
      targetColumns: sourceColumns,
      nullable: true,
      isForward: false,
      isOneToOne,
      foreignKeyKeys: keys,
      origin: model.name,
      ...(options.relatedName !== undefined ? { nameOverride: options.relatedName } : {}),
      ...formerNamesOf(options.relatedRenamedFrom),
      describe: `inverse of ${describe}`,
    }
    model.relations.push(forward)
    target.model.relations.push(inverse)
  }
}

function addManyToMany(
  junction: TableRead,
  from: { ref: SourceForeignKey; target: TableRead },
  to: { ref: SourceForeignKey; target: TableRead },
  relationOptions: Record<string, { relatedName?: string }>,
): void {
  const fromKey = junction.keyByColumn.get(from.ref.columns[0]!) ?? from.ref.columns[0]!
  const toKey = junction.keyByColumn.get(to.ref.columns[0]!) ?? to.ref.columns[0]!
  const relatedName = relationOptions[fromKey]?.relatedName
  from.target.model.relations.push({
    id: `${from.target.model.name}<${junction.model.name}>${to.target.model.name}`,
    kind: 'manyToMany',
    source: from.target.model.name,
    target: to.target.model.name,
    sourceColumns: [],
    targetColumns: [],
    through: {
      table: junction.model.table,
      ...(junction.model.schema !== undefined ? { schema: junction.model.schema } : {}),
      sourceColumns: from.ref.columns,
      sourceKeys: from.ref.foreignColumns,
      targetColumns: to.ref.columns,
      targetKeys: to.ref.foreignColumns,
    },
    nullable: true,
    isForward: false,
    isOneToOne: false,
    foreignKeyKeys: [toKey],
    origin: junction.model.name,
    ...(relatedName !== undefined ? { nameOverride: relatedName } : {}),
    describe: `many-to-many through ${junction.model.table}(${fromKey}, ${toKey})`,
  })
}

/**
 * `relations.<key>.references` of a read-only model: foreign keys the database does not declare
 * (a view has none), each matched with the target model's single-column key.
 */
function declaredReferences(table: TableRead, tables: readonly TableRead[]): SourceForeignKey[] {
  const { model, input } = table
  return Object.entries(input.options.relations ?? {}).flatMap(([key, options]) => {
    if (options.references === undefined) return []
    const path = `models.${model.name}.relations.${key}.references`
    if (!model.readOnly) {
      throw new ConfigError(
        `${path}: \`${model.table}\` is a table with a primary key; declare the foreign key in the database (\`.references(() => …)\`) instead.`,
        { path },
      )
    }
    const field = columnNamed(model, key, path)
    const target = tables.find((t) => t.model.name === options.references)
    if (!target) {
      throw new ConfigError(
        `${path}: no model \`${options.references}\`.${suggestion(
          options.references,
          tables.map((t) => t.model.name),
        )}`,
        { path },
      )
    }
    const [targetKey, ...rest] = target.model.primaryKey
    if (!targetKey || rest.length > 0) {
      throw new ConfigError(
        `${path}: model \`${target.model.name}\` has no single-column key to refer to (declare its \`primaryKey\`).`,
        { path },
      )
    }
    return [{ columns: [field.column], foreignTable: target.source, foreignColumns: [targetKey.column] }]
  })
}

/** Validates per-model option keys against the model, now that foreign keys are known. */
function checkOptions(table: TableRead): void {
  const { model, input } = table
  const fieldKeys = model.fields.map((f) => f.key)
  for (const key of Object.keys(input.options.fields ?? {})) {
    if (!fieldKeys.includes(key)) {
      throw new ConfigError(
        `models.${model.name}.fields.${key}: no such column.${suggestion(key, fieldKeys)}`,
        {
          path: `models.${model.name}.fields.${key}`,
        },
      )
    }
  }
  const fkKeys = new Set([
    ...table.shape.foreignKeys.map((fk) => fk.columns.map((c) => table.keyByColumn.get(c) ?? c).join('_')),
    ...Object.entries(input.options.relations ?? {})
      .filter(([, options]) => options.references !== undefined)
      .map(([key]) => key),
  ])
  for (const key of Object.keys(input.options.relations ?? {})) {
    if (!fkKeys.has(key)) {
      throw new ConfigError(
        `models.${model.name}.relations.${key}: expected the property name of a foreign-key column of \`${model.table}\`.${suggestion(key, fkKeys)}`,
        { path: `models.${model.name}.relations.${key}` },
      )
    }
  }
  const softDelete = input.options.softDelete
  if (softDelete !== undefined) {
    const field = model.fields.find((f) => f.key === softDelete)
    if (!field || field.kind !== 'DateTime' || !field.nullable) {
      throw new ConfigError(
        `models.${model.name}.softDelete: expected the property name of a nullable timestamp column.${suggestion(softDelete, fieldKeys)}`,
        { path: `models.${model.name}.softDelete` },
      )
    }
    model.softDeleteField = softDelete
  }
  model.defaultOrderBy = (input.options.defaultOrderBy ?? []).map((entry, index) =>
    parseOrderEntry(model, entry, `models.${model.name}.defaultOrderBy.${index}`),
  )
  model.removedFields = Object.entries(input.options.removedFields ?? {}).map(([name, options]) =>
    parseRemovedField(model, name, options),
  )
}

const REMOVABLE_KINDS: ReadonlySet<string> = new Set<RemovedField['kind']>([
  'Int',
  'Float',
  'String',
  'Boolean',
  'DateTime',
  'Date',
  'Time',
  'Decimal',
  'BigInt',
  'JSON',
  'UUID',
])

function parseRemovedField(model: Model, name: string, options: RemovedFieldOptions): RemovedField {
  const path = `models.${model.name}.removedFields.${name}`
  const type = (options as { type?: unknown } | null)?.type
  if (typeof type !== 'string' || !REMOVABLE_KINDS.has(type)) {
    throw new ConfigError(
      `${path}.type: expected one of ${[...REMOVABLE_KINDS].join(', ')}.${typeof type === 'string' ? suggestion(type, REMOVABLE_KINDS) : ''}`,
      { path: `${path}.type` },
    )
  }
  const reason = options.reason ?? `Removed from ${model.name}; always null. Stop selecting it.`
  return { name, kind: type as RemovedField['kind'], reason }
}

/** Former names from config as a spreadable part of a field or relation (none when absent). */
function formerNamesOf(renamedFrom: string | readonly string[] | undefined): {
  formerNames?: readonly string[]
} {
  if (renamedFrom === undefined) return {}
  return { formerNames: typeof renamedFrom === 'string' ? [renamedFrom] : [...renamedFrom] }
}

function parseOrderEntry(model: Model, entry: Record<string, OrderDirectionOption>, path: string): OrderSpec {
  const keys = Object.keys(entry)
  if (keys.length !== 1)
    throw new ConfigError(`${path}: expected exactly one key, got ${keys.length}.`, { path })
  const key = keys[0]!
  columnNamed(model, key, path)
  const value = entry[key]!
  const [direction, , nulls] = value.split('_') as ['ASC' | 'DESC', string?, ('FIRST' | 'LAST')?]
  return { path: [key], direction, ...(nulls ? { nulls } : {}) }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string')
    return `the string "${value}" (v1 dotted model paths are converted by \`graphql-auto-gen migrate\`)`
  return typeof value
}

/** The model's field with property key `key`, or a config error at `path` naming the closest. */
function columnNamed(model: Model, key: string, path: string): ModelField {
  const field = model.fields.find((f) => f.key === key)
  if (field) return field
  throw new ConfigError(
    `${path}: no column \`${key}\`.${suggestion(
      key,
      model.fields.map((f) => f.key),
    )}`,
    { path },
  )
}
