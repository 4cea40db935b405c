// GraphQL names: defaults for the shop, overrides (typeName, field name, relation name and
// relatedName, inflection functions), enum values, and collisions that name both claimants.
import { integer, pgEnum, pgTable, serial, text, varchar } from 'drizzle-orm/pg-core'
import type { PgTable } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SchemaConfig } from '../schema/index.js'
import type { UserConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { AutoGenError } from '../errors.js'
import { readModels } from '../models/index.js'
import type { ModelOptions, NamedModelInput } from '../models/index.js'
import { buildShopSchema, fixtureFor, shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import {
  categories,
  orderItems,
  orders,
  products,
  productTags,
  profiles,
  tags,
  users,
} from '../../examples/shop/models.js'
import { defaultInflection, resolveNames } from './index.js'
import type { FieldBinding, SchemaNames } from './index.js'

const namesOf = (config: UserConfig): SchemaNames => {
  const resolved = new SchemaConfig(config).resolved
  return resolveNames(readModels(resolved.models), resolved.naming)
}

const inputs = (tables: Record<string, PgTable | ModelOptions>): NamedModelInput[] =>
  Object.entries(tables).map(([name, value]) => ({
    name,
    options: 'table' in value ? (value as ModelOptions) : { table: value as PgTable },
  }))

const namesFor = (tables: Record<string, PgTable | ModelOptions>): SchemaNames =>
  resolveNames(readModels(inputs(tables)))

function collision(work: () => unknown): AutoGenError {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(AutoGenError)
    expect((error as AutoGenError).code).toBe('NAME_COLLISION')
    return error as AutoGenError
  }
  throw new Error('expected a NAME_COLLISION error')
}

const describeBinding = (binding: FieldBinding): string =>
  binding.kind === 'relation'
    ? `${binding.relation.kind}:${binding.target.typeName}`
    : binding.kind === 'globalId'
      ? 'globalId'
      : binding.kind === 'removed'
        ? `removed:${binding.removed.name}`
        : binding.kind === 'computed'
          ? `computed:${binding.computed.name}`
          : binding.kind === 'compositeKey'
            ? `compositeKey:${binding.fields.map((part) => part.field.key).join(',')}`
            : `${binding.kind}:${binding.field.key}`

/** The shop tables with renames, as a user would configure them. */
const renamedConfig: UserConfig = {
  ...shopConfig,
  models: {
    users: { table: users, typeName: 'Account', fields: { username: { name: 'login' } } },
    profiles,
    categories: { table: categories, relations: { parentId: { name: 'parent', relatedName: 'children' } } },
    products,
    orders: { table: orders, relations: { userId: { name: 'buyer', relatedName: 'purchases' } } },
    orderItems,
    tags,
    productTags,
  },
}

describe.each(testDatabases())('resolveNames (checked on $name)', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let shop: ShopFixture

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    shop = await withShop(db, { scale: 0.25 })
  })

  afterAll(async () => {
    await dispose()
  })

  describe('the shop', () => {
    const names = namesOf(shopConfig)

    it('names types, root fields and companion types after the singular table name', () => {
      const summary = [...names.models.values()].map((n) => [
        n.model.name,
        n.typeName,
        n.singleField,
        n.listField,
        n.connectionTypeName,
        n.edgeTypeName,
        n.orderByTypeName,
      ])
      expect(summary).toEqual([
        ['users', 'User', 'user', 'users', 'UserConnection', 'UserEdge', 'UserOrderBy'],
        ['profiles', 'Profile', 'profile', 'profiles', 'ProfileConnection', 'ProfileEdge', 'ProfileOrderBy'],
        [
          'categories',
          'Category',
          'category',
          'categories',
          'CategoryConnection',
          'CategoryEdge',
          'CategoryOrderBy',
        ],
        ['products', 'Product', 'product', 'products', 'ProductConnection', 'ProductEdge', 'ProductOrderBy'],
        ['orders', 'Order', 'order', 'orders', 'OrderConnection', 'OrderEdge', 'OrderOrderBy'],
        [
          'orderItems',
          'OrderItem',
          'orderItem',
          'orderItems',
          'OrderItemConnection',
          'OrderItemEdge',
          'OrderItemOrderBy',
        ],
        ['tags', 'Tag', 'tag', 'tags', 'TagConnection', 'TagEdge', 'TagOrderBy'],
      ])
      expect(names.byTypeName.has('ProductTag')).toBe(false)
    })

    it('names fields: id, pk, camelCase columns, relations (config names included); hides password and FKs', () => {
      const fields = Object.fromEntries(
        [...names.models.values()].map((n) => [
          n.typeName,
          Object.fromEntries([...n.fields].map(([name, b]) => [name, describeBinding(b)])),
        ]),
      )
      expect(fields).toEqual({
        User: {
          id: 'globalId',
          pk: 'primaryKey:id',
          username: 'column:username',
          email: 'column:email',
          isActive: 'column:isActive',
          isStaff: 'column:isStaff',
          createdAt: 'column:createdAt',
          lastLogin: 'column:lastLogin',
          profile: 'toOne:Profile',
          orders: 'toMany:Order',
        },
        Profile: {
          id: 'globalId',
          pk: 'primaryKey:id',
          firstName: 'column:firstName',
          lastName: 'column:lastName',
          bio: 'column:bio',
          birthDate: 'column:birthDate',
          user: 'toOne:User',
        },
        Category: {
          id: 'globalId',
          pk: 'primaryKey:id',
          name: 'column:name',
          parent: 'toOne:Category',
          children: 'toMany:Category',
          products: 'toMany:Product',
        },
        Product: {
          id: 'globalId',
          pk: 'primaryKey:id',
          sku: 'column:sku',
          name: 'column:name',
          description: 'column:description',
          price: 'column:price',
          stock: 'column:stock',
          weightGrams: 'column:weightGrams',
          attributes: 'column:attributes',
          createdAt: 'column:createdAt',
          category: 'toOne:Category',
          orderItems: 'toMany:OrderItem',
          tags: 'manyToMany:Tag',
        },
        Order: {
          id: 'globalId',
          pk: 'primaryKey:id',
          status: 'column:status',
          total: 'column:total',
          note: 'column:note',
          createdAt: 'column:createdAt',
          user: 'toOne:User',
          items: 'toMany:OrderItem',
        },
        OrderItem: {
          id: 'globalId',
          pk: 'primaryKey:id',
          quantity: 'column:quantity',
          unitPrice: 'column:unitPrice',
          order: 'toOne:Order',
          product: 'toOne:Product',
        },
        Tag: { id: 'globalId', pk: 'primaryKey:id', name: 'column:name', products: 'manyToMany:Product' },
      })
    })

    it('names the enum and its values', () => {
      const status = names.enums.get('order_status')!
      expect(status.typeName).toBe('OrderStatus')
      expect([...status.values]).toEqual([
        ['pending', 'PENDING'],
        ['paid', 'PAID'],
        ['shipped', 'SHIPPED'],
        ['delivered', 'DELIVERED'],
        ['cancelled', 'CANCELLED'],
      ])
    })
  })

  describe('enum values', () => {
    it('turns any PostgreSQL enum value into a GraphQL enum name', () => {
      const cases: Array<[string, string]> = [
        ['in-progress', 'IN_PROGRESS'],
        ['inProgress', 'IN_PROGRESS'],
        ['doneOK', 'DONE_OK'],
        ['with space', 'WITH_SPACE'],
        ['--edge--', 'EDGE'],
        ['2fa', '_2FA'],
        ['a.b/c', 'A_B_C'],
      ]
      for (const [value, name] of cases) {
        expect(defaultInflection.enumValue(value), value).toBe(name)
        expect(name).toMatch(/^[_A-Za-z][_0-9A-Za-z]*$/)
      }
      const job = pgEnum('job_state', ['queued', 'in-progress', 'doneOK', '2fa'])
      const jobs = pgTable('jobs', { id: serial('id').primaryKey(), state: job('state').notNull() })
      expect([...namesFor({ jobs }).enums.get('job_state')!.values]).toEqual([
        ['queued', 'QUEUED'],
        ['in-progress', 'IN_PROGRESS'],
        ['doneOK', 'DONE_OK'],
        ['2fa', '_2FA'],
      ])
    })

    it('refuses two enum values that name the same GraphQL value', () => {
      const clash = pgEnum('clash', ['in-progress', 'in_progress'])
      const jobs = pgTable('jobs', { id: serial('id').primaryKey(), state: clash('state') })
      const error = collision(() => namesFor({ jobs }))
      expect(error.message).toContain("'in-progress'")
      expect(error.message).toContain("'in_progress'")
      expect(error.message).toContain('IN_PROGRESS')
    })
  })

  describe('overrides', () => {
    it('applies typeName, field name, relation name and relatedName', () => {
      const names = namesOf(renamedConfig)
      const account = names.models.get('users')!
      expect([account.typeName, account.singleField, account.listField, account.connectionTypeName]).toEqual([
        'Account',
        'account',
        'accounts',
        'AccountConnection',
      ])
      expect(names.byTypeName.has('User')).toBe(false)
      expect([...account.fields.keys()]).toEqual(expect.arrayContaining(['login', 'purchases', 'profile']))
      expect([...account.fields.keys()]).not.toContain('username')
      expect([...account.fields.keys()]).not.toContain('orders')
      expect(account.columnNames.get('username')).toBe('login')
      const order = names.models.get('orders')!
      expect(describeBinding(order.fields.get('buyer')!)).toBe('toOne:Account')
      expect(order.fields.has('user')).toBe(false)
      expect(describeBinding(names.models.get('profiles')!.fields.get('user')!)).toBe('toOne:Account')
    })

    it('serves the renamed schema end to end', async () => {
      const renamed = fixtureFor(db, buildShopSchema(db, renamedConfig), shop.summary, renamedConfig)
      const users = await renamed.rows<{ id: number; username: string }>(
        'select id, username from users order by id limit 5',
      )
      const purchases = await renamed.rows<{ id: number; user_id: number }>(
        // This config gives orders no defaultOrderBy, so they come by primary key.
        'select id, user_id from orders where user_id = any($1) order by id',
        [users.map((u) => u.id)],
      )
      const data = await renamed.data<{ accounts: unknown; node: unknown }>(
        `query ($id: ID!) {
          accounts(first: 5) { nodes { id pk login purchases(first: 50) { nodes { pk buyer { login } } } } }
          node(id: $id) { __typename ... on Account { login } }
        }`,
        { id: Buffer.from(`Account:${users[0]!.id}`).toString('base64') },
      )
      expect(JSON.parse(JSON.stringify(data))).toEqual({
        accounts: {
          nodes: users.map((u) => ({
            id: Buffer.from(`Account:${u.id}`).toString('base64'),
            pk: u.id,
            login: u.username,
            purchases: {
              nodes: purchases
                .filter((p) => p.user_id === u.id)
                .map((p) => ({ pk: p.id, buyer: { login: u.username } })),
            },
          })),
        },
        node: { __typename: 'Account', login: users[0]!.username },
      })
      const old = await renamed.run(`{ node(id: "${Buffer.from('User:1').toString('base64')}") { id } }`)
      expect(old.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT')
    })

    it('takes inflection functions from config', () => {
      const names = namesOf({ ...shopConfig, naming: { listField: (typeName: string) => `all${typeName}s` } })
      expect(names.models.get('users')!.listField).toBe('allUsers')
      expect(names.models.get('users')!.singleField).toBe('user')
    })

    it('names relations of several foreign keys to one table after each key', () => {
      const people = pgTable('people', { id: serial('id').primaryKey() })
      const messages = pgTable('messages', {
        id: serial('id').primaryKey(),
        senderId: integer('sender_id')
          .notNull()
          .references(() => people.id),
        recipientId: integer('recipient_id')
          .notNull()
          .references(() => people.id),
        owner: integer('owner').references(() => people.id),
        body: text('body'),
      })
      const names = namesFor({ people, messages })
      expect([...names.models.get('messages')!.fields.keys()]).toEqual([
        'id',
        'pk',
        'body',
        'sender',
        'recipient',
        'ownerRel',
      ])
      expect([...names.models.get('people')!.fields.keys()]).toEqual([
        'id',
        'pk',
        'messagesBySender',
        'messagesByRecipient',
        'messagesByOwner',
      ])
    })
  })

  describe('collisions', () => {
    it('gives a model whose plural equals its singular a List suffix on the list field', () => {
      const tables = Object.fromEntries(
        ['staff', 'series', 'information', 'sheep'].map((name) => [
          name,
          pgTable(name, { id: serial('id').primaryKey() }),
        ]),
      )
      const names = [...namesFor(tables).models.values()].map((m) => [m.typeName, m.singleField, m.listField])
      expect(names).toEqual([
        ['Staff', 'staff', 'staffList'],
        ['Series', 'series', 'seriesList'],
        ['Information', 'information', 'informationList'],
        ['Sheep', 'sheep', 'sheepList'],
      ])
    })

    it('names the two different roles when one model wants a name twice', () => {
      const staff = pgTable('staff', { id: serial('id').primaryKey() })
      const error = collision(() =>
        resolveNames(readModels(inputs({ staff })), { listField: (typeName) => typeName.toLowerCase() }),
      )
      expect(error.message).toContain(
        'Query field `staff` is wanted by model `staff` (table staff) (its lookup by id) and by model `staff` (table staff) (its list).',
      )
    })

    it('refuses two tables that map to one type name, naming both', () => {
      const user = pgTable('user', { id: serial('id').primaryKey() })
      const error = collision(() => namesFor({ users, user }))
      expect(error.message).toContain('`User`')
      expect(error.message).toContain('model `users` (table users)')
      expect(error.message).toContain('model `user` (table user)')
      // The way out the message names works.
      expect(() => namesFor({ users, user: { table: user, typeName: 'LegacyUser' } })).not.toThrow()
    })

    it('refuses a relatedName equal to an existing column name, naming both', () => {
      const error = collision(() =>
        namesOf({
          ...shopConfig,
          models: { users, orders: { table: orders, relations: { userId: { relatedName: 'username' } } } },
        }),
      )
      expect(error.message).toContain('`username`')
      expect(error.message).toContain('column users.username')
      expect(error.message).toMatch(/relation from inverse of foreign key orders\(user_id\)/)
    })

    it('refuses a relation name equal to a column name, and a field name override that clashes', () => {
      const people = pgTable('people', {
        id: serial('id').primaryKey(),
        name: varchar('name', { length: 9 }),
      })
      const pets = pgTable('pets', {
        id: serial('id').primaryKey(),
        owner: text('owner'),
        ownerId: integer('owner_id').references(() => people.id),
      })
      const error = collision(() => namesFor({ people, pets }))
      expect(error.message).toContain('column pets.owner')
      expect(error.message).toContain('foreign key pets(owner_id)')
      const renamed = collision(() =>
        namesFor({ people: { table: people, fields: { name: { name: 'pk' } } } }),
      )
      expect(renamed.message).toContain('primary key column id')
      expect(renamed.message).toContain('column people.name')
    })

    it('refuses a model whose type name is a built-in type', () => {
      const nodes = pgTable('nodes', { id: serial('id').primaryKey() })
      const error = collision(() => namesFor({ nodes }))
      expect(error.message).toContain('`Node`')
      expect(error.message).toContain('the built-in schema')
      expect(error.message).toContain('model `nodes` (table nodes)')
    })

    it('refuses a field name that is not a GraphQL name', () => {
      const people = pgTable('people', { id: serial('id').primaryKey(), name: text('name') })
      expect(() => namesFor({ people: { table: people, fields: { name: { name: 'full-name' } } } })).toThrow(
        /full-name/,
      )
    })
  })
})
