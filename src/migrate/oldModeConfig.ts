import { resolve } from 'node:path'
import { importConfigModule } from '../config/index.js'
import type { UserConfig } from '../schema/index.js'
import { isLegacyJsonConfig, migrateJsonConfig } from './jsonConfig.js'
import { NoteSink } from './notes.js'
import { camelCase, SECTIONS, v3KeyPath } from './configKeys.js'

type Entries = Record<string, unknown>

/**
 * A v1 or v2 config object (as a config module exports it) as the v3 config that serves the same
 * API the old version did: v1 lists stay legacy lists (`limit`/`offset`) with basic (equality)
 * filters; v2 keys are renamed by the rules `migrate` applies to config files. Returns undefined
 * for anything that is not a legacy config. Used by `schema export` to write the old schema
 * before migrating, and by the migration tests as the old-mode server.
 */
export function oldModeConfig(loaded: unknown): UserConfig | undefined {
  const root = unwrap(loaded)
  if (root === undefined) return undefined
  if ('MODELS' in root || 'ENABLE_MUTATIONS' in root) {
    // The same key move as the 1.0→2.0 step, then the modes 1.0 actually served.
    const v2 = migrateJsonConfig(root as never, { from: '1.0', to: '2.0' }, new NoteSink('1.0→2.0'))
    const schemaConfig = v2['SCHEMA_CONFIG'] as Entries
    schemaConfig['queries'] = {
      ...(schemaConfig['queries'] as Entries),
      pagination: 'legacy',
      filtering: 'basic',
    }
    return fromSchemaConfig(schemaConfig)
  }
  return fromSchemaConfig(root['SCHEMA_CONFIG'] as Entries)
}

/**
 * Loads a config file and returns its {@link oldModeConfig}; undefined when it is not a legacy
 * config. `modules` are served to the file's imports by name (the CLI's running library).
 */
export async function loadOldModeConfig(
  file: string,
  modules: Record<string, unknown> = {},
): Promise<UserConfig | undefined> {
  const path = resolve(file)
  return oldModeConfig(await importConfigModule(path, modules))
}

/** The legacy config object inside what a module exports (`GRAPHQL_AUTO_GEN`, or the object itself). */
function unwrap(loaded: unknown): Entries | undefined {
  if (!isEntries(loaded)) return undefined
  const inner = isEntries(loaded['GRAPHQL_AUTO_GEN']) ? loaded['GRAPHQL_AUTO_GEN'] : loaded
  const root = isEntries(inner['default']) && !isLegacyJsonConfig(inner) ? inner['default'] : inner
  return isLegacyJsonConfig(root) ? root : undefined
}

/** `SCHEMA_CONFIG` (snake_case) → the v3 object, key by key as the 2.1→3.0 config step renames them. */
function fromSchemaConfig(schemaConfig: Entries): UserConfig {
  const out: Entries = {}
  for (const [key, value] of Object.entries(schemaConfig)) {
    const path = v3KeyPath([key])
    if (path === undefined) continue
    if (path.length === 2) {
      out[path[0]!] = { ...(out[path[0]!] as Entries | undefined), [path[1]!]: value }
    } else if (SECTIONS.includes(path[0]!) && isEntries(value)) {
      const section = Object.fromEntries(Object.entries(value).map(([k, v]) => [camelCase(k), v]))
      out[path[0]!] = { ...(out[path[0]!] as Entries | undefined), ...section }
    } else {
      out[path[0]!] = value
    }
  }
  return out as unknown as UserConfig
}

function isEntries(value: unknown): value is Entries {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
