// drizzle-graphql answers nested selections through Drizzle's relational query API, which needs
// `relations()` declarations; the shop models only declare foreign keys, so the bench adds them.
import { relations } from 'drizzle-orm'
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

/** Users: one profile, many orders. */
export const usersRelations = relations(users, ({ one, many }) => ({
  profile: one(profiles, { fields: [users.id], references: [profiles.userId] }),
  orders: many(orders),
}))

/** Profiles belong to a user. */
export const profilesRelations = relations(profiles, ({ one }) => ({
  user: one(users, { fields: [profiles.userId], references: [users.id] }),
}))

/** Orders: their user and their items. */
export const ordersRelations = relations(orders, ({ one, many }) => ({
  user: one(users, { fields: [orders.userId], references: [users.id] }),
  items: many(orderItems),
}))

/** Order items: their order and product. */
export const orderItemsRelations = relations(orderItems, ({ one }) => ({
  order: one(orders, { fields: [orderItems.orderId], references: [orders.id] }),
  product: one(products, { fields: [orderItems.productId], references: [products.id] }),
}))

/** Products: their category, order items and tag links. */
export const productsRelations = relations(products, ({ one, many }) => ({
  category: one(categories, { fields: [products.categoryId], references: [categories.id] }),
  orderItems: many(orderItems),
  productTags: many(productTags),
}))

/** Product-tag links. */
export const productTagsRelations = relations(productTags, ({ one }) => ({
  product: one(products, { fields: [productTags.productId], references: [products.id] }),
  tag: one(tags, { fields: [productTags.tagId], references: [tags.id] }),
}))

/** The tables and relations, as `drizzle(…, { schema })` wants them. */
export const drizzleShopSchema = {
  users,
  profiles,
  categories,
  products,
  orders,
  orderItems,
  tags,
  productTags,
  usersRelations,
  profilesRelations,
  ordersRelations,
  orderItemsRelations,
  productsRelations,
  productTagsRelations,
}
