import { readConfigFile } from '../config/index.js'
import { importedFiles } from '../models/index.js'
import { SchemaConfig } from './SchemaConfig.js'
import type { UserConfig } from './SchemaConfig.js'

/**
 * Loads and validates a config file (config/ `readConfigFile`: TypeScript through jiti): `file`
 * when given, else the first of `CONFIG_FILE_NAMES` in `cwd`. `modules` are served as given to the
 * imports naming them (the CLI passes itself as `graphql-auto-gen`). `modelFiles: 'auto'` becomes
 * the files the config file imports from (models/ finds them).
 */
export async function loadConfigFile(
  file?: string,
  cwd = process.cwd(),
  modules: Record<string, unknown> = {},
): Promise<SchemaConfig> {
  const { path, config } = await readConfigFile(file, cwd, modules)
  const auto = (config as { modelFiles?: unknown } | null)?.modelFiles === 'auto'
  const withFiles = auto ? { ...(config as object), modelFiles: importedFiles(path) } : config
  return new SchemaConfig(withFiles as UserConfig, path)
}
