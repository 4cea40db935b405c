import type { ConnectionStyle } from './documentMigration.js'
import type { Note } from './notes.js'
import type { Step } from './versions.js'

/** Options of `planMigration`. */
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

/** What a migration would do; nothing is written until `applyMigration`. */
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

/** What every file's migration needs to know about the whole project. */
export interface ProjectContext {
  /** How converted lists select items. */
  style: ConnectionStyle
  /** Extension classes converted anywhere in this run, so `new X()` becomes `X` in every file. */
  extensions: ReadonlySet<string>
  /**
   * Rows a legacy list without `limit` returned: the project's `maxPageSize` (1000 unless the
   * config says otherwise). A converted list gets `first:` this, so it returns the same rows.
   */
  listLimit: number
}
