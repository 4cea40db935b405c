import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { createJiti } from 'jiti'
import { ConfigError } from '../errors.js'
import { importedFiles } from '../models/index.js'
import { SchemaConfig } from './SchemaConfig.js'
import type { UserConfig } from './UserConfig.js'

/** File names looked for in the working directory, in order. */
export const CONFIG_FILE_NAMES = [
  'graphql-auto-gen.config.ts',
  'graphql-auto-gen.config.mts',
  'graphql-auto-gen.config.js',
  'graphql-auto-gen.config.mjs',
]

/**
 * Loads and validates a config file (TypeScript through jiti, so users need no build step):
 * `file` when given, else the first of {@link CONFIG_FILE_NAMES} in `cwd`. `modules` are served
 * as given to the imports naming them (the CLI passes itself as `graphql-auto-gen`).
 */
export async function loadConfigFile(
  file?: string,
  cwd = process.cwd(),
  modules: Record<string, unknown> = {},
): Promise<SchemaConfig> {
  const path =
    file !== undefined ? resolve(cwd, file) : CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)).find(existsSync)
  if (path === undefined) {
    throw new ConfigError(
      `No config file found in ${cwd} (looked for ${CONFIG_FILE_NAMES.join(', ')}). Pass --config FILE or run \`npx graphql-auto-gen serve --example shop\`.`,
    )
  }
  if (!existsSync(path)) throw new ConfigError(`Config file ${path} does not exist.`)
  let loaded: unknown
  try {
    loaded = await importUserModule(path, modules, true)
  } catch (error) {
    throw new ConfigError(`${path}: could not be loaded: ${(error as Error).message}`)
  }
  return new SchemaConfig(withModelFiles(loaded as UserConfig, path), path)
}

/** `modelFiles` of a config file as absolute paths: `'auto'` is the files it imports from. */
function withModelFiles(config: UserConfig, path: string): UserConfig {
  const files = (config as { modelFiles?: unknown } | null)?.modelFiles
  if (files === 'auto') return { ...config, modelFiles: importedFiles(path) }
  if (!Array.isArray(files)) return config
  return { ...config, modelFiles: files.map((f) => (typeof f === 'string' ? resolve(dirname(path), f) : f)) }
}

/**
 * Imports a TypeScript or JavaScript file of the user's through jiti (no build step, on every Node
 * version), its default export when `defaultExport`; `modules` are served as given to the imports
 * naming them, so a config importing `graphql-auto-gen` shares the running copy of the library.
 */
export async function importUserModule(
  path: string,
  modules: Record<string, unknown> = {},
  defaultExport = false,
): Promise<unknown> {
  const jiti = createJiti(import.meta.url, {
    interopDefault: true,
    moduleCache: false,
    virtualModules: modules,
  })
  return jiti.import(path, defaultExport ? { default: true } : {})
}
