import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { createJiti } from 'jiti'
import { ConfigError } from '../errors.js'

/** File names looked for in the working directory, in order. */
export const CONFIG_FILE_NAMES = [
  'graphql-auto-gen.config.ts',
  'graphql-auto-gen.config.mts',
  'graphql-auto-gen.config.js',
  'graphql-auto-gen.config.mjs',
]

/** A config file's default export, as written, and the file it came from. */
export interface ConfigFile {
  /** Absolute path of the file. */
  path: string
  /** Its default export, unvalidated; `modelFiles` paths are made absolute (`'auto'` is kept). */
  config: unknown
}

/**
 * Reads a config file (TypeScript through jiti, so users need no build step): `file` when given,
 * else the first of {@link CONFIG_FILE_NAMES} in `cwd`. `modules` are served as given to the
 * imports naming them (the CLI passes itself as `graphql-auto-gen`). Validation is the caller's
 * (schema/ `loadConfigFile`), with the file's path as the source of messages.
 */
export async function readConfigFile(
  file?: string,
  cwd = process.cwd(),
  modules: Record<string, unknown> = {},
): Promise<ConfigFile> {
  const path =
    file !== undefined ? resolve(cwd, file) : CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)).find(existsSync)
  if (path === undefined) {
    throw new ConfigError(
      `No config file found in ${cwd} (looked for ${CONFIG_FILE_NAMES.join(', ')}). Pass --config FILE or run \`npx graphql-auto-gen serve --example shop\`.`,
    )
  }
  return { path, config: withAbsoluteModelFiles(await importConfigModule(path, modules), path) }
}

/** The default export of the config file at `path` (absolute), or a ConfigError saying why not. */
export async function importConfigModule(
  path: string,
  modules: Record<string, unknown> = {},
): Promise<unknown> {
  if (!existsSync(path)) throw new ConfigError(`Config file ${path} does not exist.`)
  try {
    return await importUserModule(path, modules, true)
  } catch (error) {
    throw new ConfigError(`${path}: could not be loaded: ${(error as Error).message}`)
  }
}

/** `modelFiles` listed in a config file are relative to it; `'auto'` needs models/ and is kept. */
function withAbsoluteModelFiles(config: unknown, path: string): unknown {
  const files = (config as { modelFiles?: unknown } | null)?.modelFiles
  if (!Array.isArray(files)) return config
  return {
    ...(config as object),
    modelFiles: files.map((f: unknown) => (typeof f === 'string' ? resolve(dirname(path), f) : f)),
  }
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
