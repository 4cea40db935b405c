// The shop's DDL is generated from the Drizzle tables in models.ts (the single source of truth) with
// drizzle-kit's programmatic API, by diffing an empty snapshot against the models' snapshot.
import type { Database } from '../../src/database/index.js'
import { orderStatus, shopTables } from './models.js'

let cachedDdl: Promise<string> | undefined

/** The CREATE TYPE / CREATE TABLE / ALTER TABLE … FOREIGN KEY / CREATE INDEX script for the shop models. */
export function shopDdl(): Promise<string> {
  // Generation is deterministic and loading drizzle-kit costs ~0.5 s, so every caller shares one run.
  cachedDdl ??= generateShopDdl().catch((error: unknown) => {
    cachedDdl = undefined
    throw error
  })
  return cachedDdl
}

/** Creates the shop's enum, tables, foreign keys and indexes in the first schema of the search_path. */
export async function createShopSchema(db: Database): Promise<void> {
  await db.exec(await shopDdl())
}

async function generateShopDdl(): Promise<string> {
  // Imported lazily: drizzle-kit is a dev dependency and weighs several MB, so merely importing this
  // module (e.g. for its types) must not load it.
  const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api')
  const empty = generateDrizzleJson({})
  const current = generateDrizzleJson({ orderStatus, ...shopTables })
  const statements = await generateMigration(empty, current)
  const script = statements.map((statement) => unqualify(statement).trim()).join('\n\n') + '\n'
  if (/"public"/.test(script)) {
    throw new Error('shopDdl: drizzle-kit emitted a "public" reference that could not be unqualified')
  }
  return script
}

/**
 * Drops the `"public".` qualifier drizzle-kit puts on enum types and foreign-key targets, so the
 * script creates and references objects in whatever schema the search_path names first (tests use
 * a private schema per run).
 */
function unqualify(statement: string): string {
  return statement.replaceAll('"public".', '')
}
