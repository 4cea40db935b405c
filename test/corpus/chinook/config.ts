// Chinook's pulled models load as drizzle-kit wrote them: no workaround is needed.
import type { UserConfig } from '../../../src/index.js'

// A computed specifier: schema.ts is generated code, loaded as it came out (not type-checked).
const schemaModule = './schema.js'

/** The pulled module. */
export async function loadModels(): Promise<Record<string, unknown>> {
  return (await import(schemaModule)) as Record<string, unknown>
}

/** Config options beside `models` (none are needed). */
export const options: Partial<UserConfig> = {}
