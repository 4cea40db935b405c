// The shop example's data model: users with a 1:1 profile, a category tree, products with
// tags (M:N through product_tags), orders and their items. Relations come from the foreign keys.
import {
  boolean,
  date,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uuid,
  varchar,
  index,
  bigint,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'

/** Order lifecycle states. */
export const orderStatus = pgEnum('order_status', ['pending', 'paid', 'shipped', 'delivered', 'cancelled'])

/** People who can sign in and place orders. */
export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: varchar('username', { length: 150 }).notNull().unique(),
  email: varchar('email', { length: 254 }).notNull(),
  password: text('password'),
  isActive: boolean('is_active').notNull().default(true),
  isStaff: boolean('is_staff').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastLogin: timestamp('last_login', { withTimezone: true }),
})

/** One profile per user (the unique foreign key makes it one-to-one). */
export const profiles = pgTable('profiles', {
  id: serial('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: 'cascade' }),
  firstName: varchar('first_name', { length: 100 }).notNull(),
  lastName: varchar('last_name', { length: 100 }).notNull(),
  bio: text('bio'),
  birthDate: date('birth_date'),
})

/** A tree of product categories. */
export const categories = pgTable(
  'categories',
  {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 100 }).notNull().unique(),
    parentId: integer('parent_id').references((): AnyPgColumn => categories.id, { onDelete: 'set null' }),
  },
  (t) => [index('categories_parent_id_idx').on(t.parentId)],
)

/** Things for sale. */
export const products = pgTable(
  'products',
  {
    id: serial('id').primaryKey(),
    sku: uuid('sku').notNull().unique(),
    name: varchar('name', { length: 200 }).notNull(),
    description: text('description'),
    price: numeric('price', { precision: 10, scale: 2 }).notNull(),
    stock: integer('stock').notNull().default(0),
    weightGrams: bigint('weight_grams', { mode: 'bigint' }),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'set null' }),
    attributes: jsonb('attributes'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('products_category_id_idx').on(t.categoryId)],
)

/** An order placed by a user. */
export const orders = pgTable(
  'orders',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: orderStatus('status').notNull().default('pending'),
    total: numeric('total', { precision: 12, scale: 2 }).notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The second index serves the default order (newest first, read backwards), so a page of
  // orders without an orderBy stops after its rows instead of sorting them all.
  (t) => [index('orders_user_id_idx').on(t.userId), index('orders_created_at_id_idx').on(t.createdAt, t.id)],
)

/** One line of an order. */
export const orderItems = pgTable(
  'order_items',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    unitPrice: numeric('unit_price', { precision: 10, scale: 2 }).notNull(),
  },
  (t) => [
    index('order_items_order_id_idx').on(t.orderId),
    index('order_items_product_id_idx').on(t.productId),
  ],
)

/** Free-form labels on products. */
export const tags = pgTable('tags', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 50 }).notNull().unique(),
})

/** Junction of products and tags: two foreign keys and nothing else, so a many-to-many. */
export const productTags = pgTable(
  'product_tags',
  {
    productId: integer('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.productId, t.tagId] }), index('product_tags_tag_id_idx').on(t.tagId)],
)

/** Every shop table, in foreign-key order (parents first). */
export const shopTables = { users, profiles, categories, products, orders, orderItems, tags, productTags }
