import type { Database } from 'graphql-auto-gen'
import { createShopSchema } from './ddl.js'
import { seedShop } from './seed.js'

/** Creates and seeds the shop tables when the database has none; returns a line for the console. */
export async function prepareExample(db: Database): Promise<string> {
  const { rows } = await db.query<{ exists: boolean }>({
    text: `select to_regclass('users') is not null as "exists"`,
    values: [],
  })
  if (rows[0]?.exists) return 'Shop tables already exist: serving them as they are.'
  await createShopSchema(db)
  const summary = await seedShop(db)
  const total = Object.values(summary).reduce((a, b) => a + b, 0)
  return `Created the shop tables and seeded ${total} rows.`
}
