// The shop example's configuration. It is open on purpose: in development any caller may run
// every operation, so a newcomer can try everything in GraphiQL at once.
import { defineConfig } from 'graphql-auto-gen'
import { categories, orderItems, orders, products, productTags, profiles, tags, users } from './models.js'
import { profileResolvers } from './resolvers.js'

export default defineConfig({
  models: {
    users,
    profiles,
    categories: { table: categories, relations: { parentId: { name: 'parent', relatedName: 'children' } } },
    products,
    orders: { table: orders, defaultOrderBy: [{ createdAt: 'DESC' }] },
    orderItems: { table: orderItems, relations: { orderId: { relatedName: 'items' } } },
    tags,
    productTags,
  },
  // Computed fields (docs/computed-fields.md): Profile.fullName.
  resolvers: [profileResolvers],
  // No database.url: the example runs on embedded PGlite. Set DATABASE_URL to use PostgreSQL.
  database: { url: process.env['DATABASE_URL'] },
  queries: {
    pagination: 'relay',
    filtering: 'advanced',
    ordering: true,
    defaultPageSize: 20,
    maxPageSize: 100,
  },
  // userCreated / userUpdated / userDeleted … over graphql-ws and SSE (GraphiQL has a tab for one);
  // events come from the API's own mutations (docs/subscriptions.md).
  subscriptions: { enabled: true },
  // Open on purpose: anyone may run every operation (with plain graphql() and no context the caller
  // is anonymous). To require authentication, verify Bearer JWTs and use IsAuthenticated:
  // security: { authenticationRequired: true, permissionClasses: ['IsAuthenticated'], jwt: { secret: process.env['JWT_SECRET'] } },
  security: { permissionClasses: ['AllowAny'] },
})
