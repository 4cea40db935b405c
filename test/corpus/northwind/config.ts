// The one workaround the pulled Northwind models need. drizzle-kit pull writes the two bytea
// columns as `unknown("picture")` / `unknown("photo")` ("failed to parse database type 'bytea'")
// and imports no `unknown`, so schema.ts throws a ReferenceError when loaded as it is. This
// supplies `unknown` (a bytea column, served as PostgreSQL's text form `\x…`) before it loads.
import { customType } from 'drizzle-orm/pg-core'
import type { UserConfig } from '../../../src/index.js'

const bytea = customType<{ data: string }>({ dataType: () => 'bytea' })
Object.assign(globalThis, { unknown: (name: string) => bytea(name) })

// A computed specifier: schema.ts is generated code (it does not type-check), loaded as it came out.
const schemaModule = './schema.js'

/** The pulled module, loaded after the workaround above. */
export async function loadModels(): Promise<Record<string, unknown>> {
  return (await import(schemaModule)) as Record<string, unknown>
}

/** Config options beside `models` (none are needed). */
export const options: Partial<UserConfig> = {}
