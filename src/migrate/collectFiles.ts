import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { glob } from 'tinyglobby'

/** Extensions `migrate` reads: code (config, library calls, embedded documents) and documents. */
export const MIGRATABLE_EXTENSIONS = [
  'ts',
  'tsx',
  'mts',
  'cts',
  'js',
  'jsx',
  'mjs',
  'cjs',
  'graphql',
  'gql',
  'json',
]

/** Config files looked for in the working directory when no paths are given. */
export const LEGACY_CONFIG_NAMES = ['ts', 'mts', 'js', 'mjs', 'cjs', 'json'].map(
  (e) => `graphql-auto-gen.config.${e}`,
)

/** What is never migrated: dependencies, our own backups, declaration files. */
const IGNORE = ['**/node_modules/**', '**/.graphql-auto-gen/**', '**/*.d.ts', '**/*.bak-*', '**/dist/**']

/**
 * The files to migrate, absolute and sorted: each path may be a file, a directory (searched
 * recursively) or a glob. With no paths: the config file in `cwd` plus
 * `src/**\/*.{ts,tsx,js,graphql,gql}`.
 */
export async function collectFiles(cwd: string, paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>()
  const codeAndDocuments = `{${MIGRATABLE_EXTENSIONS.filter((e) => e !== 'json').join(',')}}`
  if (paths.length === 0) {
    for (const name of LEGACY_CONFIG_NAMES) if (existsSync(resolve(cwd, name))) found.add(resolve(cwd, name))
    for (const file of await glob(`src/**/*.${codeAndDocuments}`, { cwd, absolute: true, ignore: IGNORE })) {
      found.add(resolve(file))
    }
  }
  for (const path of paths) {
    const absolute = resolve(cwd, path)
    if (existsSync(absolute) && statSync(absolute).isFile()) {
      found.add(absolute)
    } else if (existsSync(absolute)) {
      const files = await glob(`**/*.{${MIGRATABLE_EXTENSIONS.join(',')}}`, {
        cwd: absolute,
        absolute: true,
        ignore: IGNORE,
      })
      for (const file of files) found.add(resolve(file))
    } else {
      for (const file of await glob(path, { cwd, absolute: true, ignore: IGNORE })) found.add(resolve(file))
    }
  }
  return [...found].sort()
}
