import { readFile } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { collectFiles } from './collectFiles.js'
import type { FileResult, MigrateOptions, MigrationPlan } from './plan.js'
import { planSteps } from './versions.js'

/** Reads the files and computes every step's result in memory; throws UnsupportedPathError first. */
export async function planMigration(options: MigrateOptions): Promise<MigrationPlan> {
  const steps = planSteps(options.from, options.to)
  const cwd = resolve(options.cwd)
  const style = options.connectionStyle ?? 'edges'
  const paths = await collectFiles(cwd, options.paths ?? [])
  const sources = new Map<string, string>()
  const unreadable: FileResult[] = []
  for (const path of paths) {
    try {
      sources.set(path, await readFile(path, 'utf8'))
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      const step = `${steps[0]!.from}→${steps[steps.length - 1]!.to}`
      const message = `Cannot read this file (${reason}), so it was not migrated.`
      unreadable.push({
        path: toRelative(cwd, path),
        before: '',
        after: '',
        notes: [{ kind: 'manual', step, message, line: 1 }],
      })
    }
  }
  // ts-morph (with its TypeScript) takes a while to load; only this command needs it.
  const { migrateFile, scanExtensions } = await import('./migrateFile.js')
  const extensions = steps.some((s) => s.to === '3.0') ? scanExtensions(sources) : new Set<string>()
  const context = { style, extensions, listLimit: listLimit(sources) }
  const files: FileResult[] = [...unreadable]
  for (const [path, text] of sources) {
    for (const result of migrateFile(path, text, steps, context)) {
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

/** `queries.maxPageSize` when the config does not set it (config/configSchema.ts). */
const DEFAULT_MAX_PAGE_SIZE = 1000

/** The project's `maxPageSize` (`max_page_size` in v2), read from its config file's text. */
function listLimit(sources: ReadonlyMap<string, string>): number {
  for (const [path, text] of sources) {
    if (!/graphql-auto-gen\.config\.[a-z]+$/.test(path)) continue
    const match = /["']?(?:max_page_size|maxPageSize)["']?\s*:\s*([\d_]+)/.exec(text)
    if (match) return Number(match[1]!.replaceAll('_', ''))
  }
  return DEFAULT_MAX_PAGE_SIZE
}
