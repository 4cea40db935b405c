// Reading Drizzle tables into the ModelGraph: fields and their scalar kinds (cross-checked against
// the columns each test database actually created), relations from foreign keys in both
// directions, one-to-one, many-to-many junctions, and refusals of models that cannot work.
import { integer, pgEnum, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core'
import type { PgTable } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SchemaConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { AutoGenError } from '../errors.js'
import { shopConfig, withShop } from '../testing/shopFixture.js'
import { getModel, readModels } from './index.js'
import type { Model, ModelGraph, NamedModelInput, Relation } from './index.js'

/** The shop's model inputs exactly as the example config gives them (with its relation options). */
const shopInputs = (): NamedModelInput[] => new SchemaConfig(shopConfig).resolved.models

const inputs = (tables: Record<string, PgTable>): NamedModelInput[] =>
  Object.entries(tables).map(([name, table]) => ({ name, options: { table } }))

/** A relation reduced to what decides the API shape. */
function shape(relation: Relation): Record<string, unknown> {
  return {
    kind: relation.kind,
    target: relation.target,
    isForward: relation.isForward,
    isOneToOne: relation.isOneToOne,
    ...(relation.nameOverride !== undefined ? { nameOverride: relation.nameOverride } : {}),
    ...(relation.through ? { through: relation.through.table } : {}),
  }
}

const relationsOf = (graph: ModelGraph, name: string): Array<Record<string, unknown>> =>
  getModel(graph, name)
    .relations.map(shape)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))

function expectError(work: () => unknown, code: string): AutoGenError {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(AutoGenError)
    expect((error as AutoGenError).code).toBe(code)
    return error as AutoGenError
  }
  throw new Error(`expected an AutoGenError ${code}`)
}

/** The scalar kind each PostgreSQL column type (as information_schema names it) must read as. */
const KIND_BY_DATA_TYPE: Record<string, string> = {
  integer: 'Int',
  smallint: 'Int',
  bigint: 'BigInt',
  numeric: 'Decimal',
  'character varying': 'String',
  text: 'String',
  boolean: 'Boolean',
  'timestamp with time zone': 'DateTime',
  'timestamp without time zone': 'DateTime',
  date: 'Date',
  jsonb: 'JSON',
  json: 'JSON',
  uuid: 'UUID',
  'USER-DEFINED': 'Enum',
}

describe.each(testDatabases())('readModels (checked on $name)', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await withShop(db, { seed: false })
  })

  afterAll(async () => {
    await dispose()
  })

  describe('the shop models', () => {
    const graph = readModels(shopInputs())

    it('reads every table, and only product_tags is a junction', () => {
      expect(graph.models.map((m) => [m.name, m.table, m.isJunction])).toEqual([
        ['users', 'users', false],
        ['profiles', 'profiles', false],
        ['categories', 'categories', false],
        ['products', 'products', false],
        ['orders', 'orders', false],
        ['orderItems', 'order_items', false],
        ['tags', 'tags', false],
        ['productTags', 'product_tags', true],
      ])
    })

    it('gives every field the scalar kind of the column the database created', async () => {
      const { rows } = await db.query<{
        table_name: string
        column_name: string
        data_type: string
        udt_name: string
        is_nullable: string
      }>({
        text: `select table_name, column_name, data_type, udt_name, is_nullable from information_schema.columns
               where table_schema = current_schema() order by table_name, ordinal_position`,
        values: [],
      })
      const read = graph.models.flatMap((m) => m.fields.map((f) => ({ table: m.table, field: f })))
      expect(read.map((r) => `${r.table}.${r.field.column}`).sort()).toEqual(
        rows.map((r) => `${r.table_name}.${r.column_name}`).sort(),
      )
      for (const row of rows) {
        const { field } = read.find((r) => r.table === row.table_name && r.field.column === row.column_name)!
        const where = `${row.table_name}.${row.column_name}`
        expect(
          KIND_BY_DATA_TYPE[row.data_type],
          `${where} has an unexpected type ${row.data_type}`,
        ).toBeDefined()
        expect(field.kind, where).toBe(KIND_BY_DATA_TYPE[row.data_type])
        expect(field.nullable, where).toBe(row.is_nullable === 'YES')
        expect(field.withTimezone, where).toBe(row.data_type === 'timestamp with time zone')
        if (field.kind === 'Enum') expect(field.enum?.sqlName, where).toBe(row.udt_name)
        expect(field.isList, where).toBe(false)
      }
    })

    it('reads the kinds, keys and details of every shop column', () => {
      const kinds = Object.fromEntries(
        graph.models.map((m) => [m.name, Object.fromEntries(m.fields.map((f) => [f.key, f.kind]))]),
      )
      expect(kinds).toEqual({
        users: {
          id: 'Int',
          username: 'String',
          email: 'String',
          password: 'String',
          isActive: 'Boolean',
          isStaff: 'Boolean',
          createdAt: 'DateTime',
          lastLogin: 'DateTime',
        },
        profiles: {
          id: 'Int',
          userId: 'Int',
          firstName: 'String',
          lastName: 'String',
          bio: 'String',
          birthDate: 'Date',
        },
        categories: { id: 'Int', name: 'String', parentId: 'Int' },
        products: {
          id: 'Int',
          sku: 'UUID',
          name: 'String',
          description: 'String',
          price: 'Decimal',
          stock: 'Int',
          weightGrams: 'BigInt',
          categoryId: 'Int',
          attributes: 'JSON',
          createdAt: 'DateTime',
        },
        orders: {
          id: 'Int',
          userId: 'Int',
          status: 'Enum',
          total: 'Decimal',
          note: 'String',
          createdAt: 'DateTime',
        },
        orderItems: { id: 'Int', orderId: 'Int', productId: 'Int', quantity: 'Int', unitPrice: 'Decimal' },
        tags: { id: 'Int', name: 'String' },
        productTags: { productId: 'Int', tagId: 'Int' },
      })
      const field = (model: string, key: string) => getModel(graph, model).fields.find((f) => f.key === key)!
      expect(field('users', 'username')).toMatchObject({
        column: 'username',
        maxLength: 150,
        isUnique: true,
        nullable: false,
      })
      expect(field('users', 'password')).toMatchObject({ writeOnly: true, hidden: true, nullable: true })
      expect(field('users', 'isActive')).toMatchObject({ column: 'is_active', hasDefault: true })
      expect(field('products', 'price')).toMatchObject({ precision: 10, scale: 2 })
      expect(field('orders', 'total')).toMatchObject({ precision: 12, scale: 2 })
      expect(field('orders', 'status').enum).toEqual({
        sqlName: 'order_status',
        values: ['pending', 'paid', 'shipped', 'delivered', 'cancelled'],
      })
      expect(graph.enums).toEqual([
        { sqlName: 'order_status', values: ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] },
      ])
      for (const name of ['users', 'profiles', 'categories', 'products', 'orders', 'orderItems', 'tags']) {
        expect(
          getModel(graph, name).primaryKey.map((f) => f.key),
          name,
        ).toEqual(['id'])
      }
      expect(getModel(graph, 'productTags').primaryKey.map((f) => f.key)).toEqual(['productId', 'tagId'])
      expect(getModel(graph, 'orders').defaultOrderBy).toEqual([{ path: ['createdAt'], direction: 'DESC' }])
    })

    it('marks foreign-key columns, which the API shows as relations', () => {
      const foreignKeys = graph.models.flatMap((m) =>
        m.fields.filter((f) => f.isForeignKey).map((f) => `${m.name}.${f.key}`),
      )
      expect(foreignKeys.sort()).toEqual(
        [
          'profiles.userId',
          'categories.parentId',
          'products.categoryId',
          'orders.userId',
          'orderItems.orderId',
          'orderItems.productId',
          'productTags.productId',
          'productTags.tagId',
        ].sort(),
      )
    })

    it('derives to-one, to-many, one-to-one and many-to-many relations on both sides', () => {
      expect(relationsOf(graph, 'users')).toEqual(
        [
          { kind: 'toOne', target: 'profiles', isForward: false, isOneToOne: true },
          { kind: 'toMany', target: 'orders', isForward: false, isOneToOne: false },
        ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      )
      expect(relationsOf(graph, 'profiles')).toEqual([
        { kind: 'toOne', target: 'users', isForward: true, isOneToOne: true },
      ])
      expect(relationsOf(graph, 'categories')).toEqual(
        [
          { kind: 'toOne', target: 'categories', isForward: true, isOneToOne: false, nameOverride: 'parent' },
          {
            kind: 'toMany',
            target: 'categories',
            isForward: false,
            isOneToOne: false,
            nameOverride: 'children',
          },
          { kind: 'toMany', target: 'products', isForward: false, isOneToOne: false },
        ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      )
      expect(relationsOf(graph, 'products')).toEqual(
        [
          { kind: 'toOne', target: 'categories', isForward: true, isOneToOne: false },
          { kind: 'toMany', target: 'orderItems', isForward: false, isOneToOne: false },
          {
            kind: 'manyToMany',
            target: 'tags',
            isForward: false,
            isOneToOne: false,
            through: 'product_tags',
          },
        ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      )
      expect(relationsOf(graph, 'orders')).toEqual(
        [
          { kind: 'toOne', target: 'users', isForward: true, isOneToOne: false },
          {
            kind: 'toMany',
            target: 'orderItems',
            isForward: false,
            isOneToOne: false,
            nameOverride: 'items',
          },
        ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      )
      expect(relationsOf(graph, 'tags')).toEqual([
        {
          kind: 'manyToMany',
          target: 'products',
          isForward: false,
          isOneToOne: false,
          through: 'product_tags',
        },
      ])
      expect(getModel(graph, 'productTags').relations).toEqual([])
    })

    it('records the join columns of each relation', () => {
      const profile = getModel(graph, 'users').relations.find((r) => r.target === 'profiles')!
      expect(profile).toMatchObject({ sourceColumns: ['id'], targetColumns: ['user_id'] })
      const user = getModel(graph, 'orders').relations.find((r) => r.target === 'users')!
      expect(user).toMatchObject({ sourceColumns: ['user_id'], targetColumns: ['id'], nullable: false })
      const category = getModel(graph, 'products').relations.find((r) => r.target === 'categories')!
      expect(category.nullable).toBe(true)
      const tags = getModel(graph, 'products').relations.find((r) => r.kind === 'manyToMany')!
      expect(tags.through).toEqual({
        table: 'product_tags',
        sourceColumns: ['product_id'],
        sourceKeys: ['id'],
        targetColumns: ['tag_id'],
        targetKeys: ['id'],
      })
    })
  })

  describe('other shapes', () => {
    const people = pgTable('people', { id: serial('id').primaryKey(), name: text('name').notNull() })
    const groups = pgTable('groups', { id: serial('id').primaryKey(), title: text('title').notNull() })

    it('keeps a foreign key to a table that is not a model as a plain column', () => {
      const pets = pgTable('pets', {
        id: serial('id').primaryKey(),
        ownerId: integer('owner_id').references(() => people.id),
      })
      const graph = readModels(inputs({ pets }))
      const model = getModel(graph, 'pets')
      expect(model.relations).toEqual([])
      expect(model.fields.find((f) => f.key === 'ownerId')).toMatchObject({
        kind: 'Int',
        isForeignKey: false,
      })
    })

    it('detects a junction with its own serial key, but not one with extra columns or three keys', () => {
      const memberships = pgTable('memberships', {
        id: serial('id').primaryKey(),
        personId: integer('person_id')
          .notNull()
          .references(() => people.id),
        groupId: integer('group_id')
          .notNull()
          .references(() => groups.id),
      })
      const junction = readModels(inputs({ people, groups, memberships }))
      expect(getModel(junction, 'memberships').isJunction).toBe(true)
      expect(relationsOf(junction, 'people')).toEqual([
        { kind: 'manyToMany', target: 'groups', isForward: false, isOneToOne: false, through: 'memberships' },
      ])
      expect(relationsOf(junction, 'groups')).toEqual([
        { kind: 'manyToMany', target: 'people', isForward: false, isOneToOne: false, through: 'memberships' },
      ])

      const roles = pgTable('roles', {
        id: serial('id').primaryKey(),
        personId: integer('person_id')
          .notNull()
          .references(() => people.id),
        groupId: integer('group_id')
          .notNull()
          .references(() => groups.id),
        role: varchar('role', { length: 20 }).notNull(),
      })
      const withPayload = readModels(inputs({ people, groups, roles }))
      expect(getModel(withPayload, 'roles').isJunction).toBe(false)
      expect(relationsOf(withPayload, 'roles')).toEqual([
        { kind: 'toOne', target: 'groups', isForward: true, isOneToOne: false },
        { kind: 'toOne', target: 'people', isForward: true, isOneToOne: false },
      ])
      expect(relationsOf(withPayload, 'people')).toEqual([
        { kind: 'toMany', target: 'roles', isForward: false, isOneToOne: false },
      ])

      const sponsors = pgTable('sponsors', {
        personId: integer('person_id')
          .notNull()
          .references(() => people.id),
        groupId: integer('group_id')
          .notNull()
          .references(() => groups.id),
        backupId: integer('backup_id')
          .notNull()
          .references(() => people.id),
        id: serial('id').primaryKey(),
      })
      expect(getModel(readModels(inputs({ people, groups, sponsors })), 'sponsors').isJunction).toBe(false)
    })

    it('reads a unique foreign key as one-to-one on both sides', () => {
      const passports = pgTable('passports', {
        id: serial('id').primaryKey(),
        personId: integer('person_id')
          .notNull()
          .unique()
          .references(() => people.id),
      })
      const graph = readModels(inputs({ people, passports }))
      expect(relationsOf(graph, 'passports')).toEqual([
        { kind: 'toOne', target: 'people', isForward: true, isOneToOne: true },
      ])
      expect(relationsOf(graph, 'people')).toEqual([
        { kind: 'toOne', target: 'passports', isForward: false, isOneToOne: true },
      ])
    })

    it('reads enums and array columns', () => {
      const mood = pgEnum('mood', ['happy', 'so-so', 'sad'])
      const diary = pgTable('diary', {
        id: serial('id').primaryKey(),
        mood: mood('mood'),
        words: text('words').array(),
        at: timestamp('at'),
      })
      const model = readModels(inputs({ diary })).models[0] as Model
      expect(model.fields.find((f) => f.key === 'mood')).toMatchObject({
        kind: 'Enum',
        enum: { sqlName: 'mood', values: ['happy', 'so-so', 'sad'] },
      })
      expect(model.fields.find((f) => f.key === 'words')).toMatchObject({ kind: 'String', isList: true })
      expect(model.fields.find((f) => f.key === 'at')).toMatchObject({
        kind: 'DateTime',
        withTimezone: false,
      })
    })

    it('reads a table without a primary key as a read-only model with no key', () => {
      const logLines = pgTable('log_lines', { line: text('line') })
      const model = getModel(readModels(inputs({ people, logs: logLines })), 'logs')
      expect(model).toMatchObject({ kind: 'table', readOnly: true, primaryKey: [], rowKey: [] })
      expect(getModel(readModels(inputs({ people })), 'people')).toMatchObject({ readOnly: false })
    })

    it('refuses relation options for a column that is not a foreign key', () => {
      const pets = pgTable('pets', {
        id: serial('id').primaryKey(),
        ownerId: integer('owner_id').references(() => people.id),
      })
      const error = expectError(
        () =>
          readModels([
            { name: 'people', options: { table: people } },
            { name: 'pets', options: { table: pets, relations: { owner: { name: 'x' } } } },
          ]),
        'CONFIG_INVALID',
      )
      expect(error.message).toContain('ownerId')
    })
  })
})
