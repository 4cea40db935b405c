import { readFile } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { collectFiles } from './collectFiles.js'
import type { ConnectionStyle } from './documentMigration.js'
import type { Note } from './notes.js'
import { planSteps } from './versions.js'
import type { Step } from './versions.js'

/** Options of {@link planMigration}. */
export interface MigrateOptions {
  from: string
  to: string
  /** Directory paths are relative to, and where the default files are looked for. */
  cwd: string
  /** Files, directories or globs; empty → the config file in `cwd` and `src/**`. */
  paths?: readonly string[]
  /** How converted lists select items (default `edges`). */
  connectionStyle?: ConnectionStyle
}

/** One file the migration touches or has something to say about. */
export interface FileResult {
  /** Relative to `cwd`, with `/` separators. */
  path: string
  /** The text before; `null` when the migration creates the file. */
  before: string | null
  /** The text after; `null` when the migration removes the file. */
  after: string | null
  notes: Note[]
}

/** What a migration would do; nothing is written until {@link applyMigration}. */
export interface MigrationPlan {
  from: string
  to: string
  steps: Step[]
  cwd: string
  /** How many files were read. */
  scanned: number
  /** Files that change or carry notes, sorted by path. */
  files: FileResult[]
}

/** Reads the files and computes every step's result in memory; throws UnsupportedPathError first. */
export async function planMigration(options: MigrateOptions): Promise<MigrationPlan> {
  const steps = planSteps(options.from, options.to)
  const cwd = resolve(options.cwd)
  const style = options.connectionStyle ?? 'edges'
  const paths = await collectFiles(cwd, options.paths ?? [])
  const sources = new Map<string, string>()
  for (const path of paths) sources.set(path, await readFile(path, 'utf8'))
  // ts-morph (with its TypeScript) takes a while to load; only this command needs it.
  const { migrateFile, scanExtensions } = await import('./migrateFile.js')
  const extensions = steps.some((s) => s.to === '3.0') ? scanExtensions(sources) : new Set<string>()
  const files: FileResult[] = []
  for (const [path, text] of sources) {
    for (const result of migrateFile(path, text, steps, style, extensions)) {
      if (result.before !== result.after || result.notes.length > 0)
        files.push({ ...result, path: toRelative(cwd, result.path) })
    }
  }
  files.sort((a, b) => a.path.localeCompare(b.path))
  return { from: options.from, to: options.to, steps, cwd, scanned: paths.length, files }
}

function toRelative(cwd: string, path: string): string {
  return relative(cwd, path).split('\\').join('/')
}
