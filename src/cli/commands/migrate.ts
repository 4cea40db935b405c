import { createInterface } from 'node:readline/promises'
import { createTwoFilesPatch } from 'diff'
import {
  applyMigration,
  BACKUP_DIR,
  editedSinceMigration,
  MigrationWriteError,
  planMigration,
  typeCheckProject,
  readManifest,
  rollbackMigration,
  supportedPaths,
  UnsupportedPathError,
} from '../../migrate/index.js'
import type { FileResult, MigrationPlan, Note } from '../../migrate/index.js'

/** Options of `graphql-auto-gen migrate`. */
export interface MigrateCommandOptions {
  from?: string
  to: string
  dryRun?: boolean
  backup?: boolean
  force?: boolean
  rollback?: boolean
  backupId?: string
  connectionStyle: string
  json?: boolean
}

/** Where the command writes and asks: process streams, or a stand-in in tests. */
export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  isTTY: boolean
  ask: (question: string) => Promise<string>
}

/**
 * Runs the command; returns the exit code. A file that cannot be written or restored is reported
 * as `error: <file>: <reason>` (exit 2), never as a stack trace.
 */
export async function runMigrate(
  paths: string[],
  options: MigrateCommandOptions,
  io: Io,
  cwd = process.cwd(),
): Promise<number> {
  try {
    return options.rollback === true
      ? await rollback(cwd, options, io)
      : await migrate(paths, options, io, cwd)
  } catch (error) {
    const known = error instanceof MigrationWriteError || error instanceof UnsupportedPathError
    const code = (error as NodeJS.ErrnoException).code
    const path = (error as NodeJS.ErrnoException).path
    io.err(
      known
        ? `error: ${(error as Error).message}\n`
        : `error: ${path !== undefined ? `${path}: ` : ''}${code ?? (error as Error).message}; the migration stopped.\n`,
    )
    return 2
  }
}

async function migrate(
  paths: string[],
  options: MigrateCommandOptions,
  io: Io,
  cwd: string,
): Promise<number> {
  if (options.from === undefined) {
    io.err(`error: --from <version> is required. Supported paths: ${supportedPaths().join(', ')}.\n`)
    return 2
  }
  if (options.connectionStyle !== 'edges' && options.connectionStyle !== 'nodes') {
    io.err(`error: --connection-style must be edges or nodes, got "${options.connectionStyle}".\n`)
    return 2
  }
  const plan: MigrationPlan = await planMigration({
    from: options.from,
    to: options.to,
    cwd,
    paths,
    connectionStyle: options.connectionStyle,
  })
  const changed = plan.files.filter((f) => f.before !== f.after)
  const manual = plan.files.flatMap((f) =>
    f.notes.filter((n) => n.kind === 'manual').map((n) => ({ file: f, note: n })),
  )
  const problems = manual.length > 0 ? 1 : 0
  if (options.dryRun === true) {
    if (options.json === true) {
      io.out(JSON.stringify(summary(plan, { dryRun: true, written: false, patches: true }), null, 2) + '\n')
    } else {
      for (const file of changed) io.out(patch(file))
      io.err(report(plan, 'would change'))
    }
    return problems
  }
  if (changed.length === 0) {
    if (options.json === true)
      io.out(JSON.stringify(summary(plan, { dryRun: false, written: false }), null, 2) + '\n')
    else io.out(report(plan, 'change'))
    return problems
  }
  if (options.force !== true) {
    if (!io.isTTY) {
      io.err(
        `error: ${changed.length} file(s) would change; refusing to write without --force because stdin is not a terminal ` +
          `(nobody can confirm). Review with --dry-run, then rerun with --force (and --backup to keep copies).\n`,
      )
      return 2
    }
    io.err(report(plan, 'will change'))
    const answer = await io.ask(
      `Write ${changed.length} file(s)${options.backup === true ? ' (with backups)' : ''}? [y/N] `,
    )
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.err('Nothing was written.\n')
      return 1
    }
  }
  const backup = await applyMigration(plan, { backup: options.backup === true })
  const typeErrors = await checkTypes(plan, cwd)
  if (options.json === true) {
    io.out(
      JSON.stringify(
        { ...summary(plan, { dryRun: false, written: true }), backup: backup ?? null },
        null,
        2,
      ) + '\n',
    )
  } else {
    io.out(report(plan, 'changed'))
    if (backup !== undefined) {
      io.out(
        `Backup: ${BACKUP_DIR}/${backup}.json (undo with: graphql-auto-gen migrate --rollback --backup-id ${backup})\n`,
      )
    }
  }
  return problems === 1 || typeErrors > 0 ? 1 : 0
}

/**
 * After writing, the project's own TypeScript check (when it has a tsconfig.json): every error is
 * a manual step, added to the plan's notes so the report lists it with its file and line.
 */
async function checkTypes(plan: MigrationPlan, cwd: string): Promise<number> {
  const errors = await typeCheckProject(cwd)
  if (errors === undefined) return 0
  const step = `${plan.from}→${plan.to}`
  for (const error of errors) {
    const note: Note = { kind: 'manual', step, message: `TypeScript: ${error.message}`, line: error.line }
    const file = plan.files.find((f) => f.path === error.path)
    if (file) file.notes.push(note)
    else plan.files.push({ path: error.path, before: '', after: '', notes: [note] })
  }
  return errors.length
}

async function rollback(cwd: string, options: MigrateCommandOptions, io: Io): Promise<number> {
  const manifest = await readManifest(cwd, options.backupId)
  if (!manifest) {
    io.err(
      `error: no backup ${options.backupId !== undefined ? `"${options.backupId}" ` : ''}found in ${BACKUP_DIR}/; only migrations run with --backup can be rolled back.\n`,
    )
    return 2
  }
  const edited = await editedSinceMigration(cwd, manifest)
  if (edited.length > 0 && options.force !== true) {
    io.err(
      `error: ${edited.join(', ')} changed after the migration wrote ${edited.length === 1 ? 'it' : 'them'}; rolling back would discard those edits. Rerun with --force to discard them.\n`,
    )
    return 2
  }
  // Nothing edited since: restoring only undoes what the migration did, so no terminal is needed.
  if (options.force !== true && io.isTTY) {
    const answer = await io.ask(`Restore ${manifest.files.length} file(s) from backup ${manifest.id}? [y/N] `)
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.err('Nothing was restored.\n')
      return 1
    }
  }
  const restored = await rollbackMigration(cwd, manifest)
  if (options.json === true)
    io.out(JSON.stringify({ rolledBack: manifest.id, files: restored }, null, 2) + '\n')
  else
    io.out(`Rolled back ${manifest.id} (${manifest.from}→${manifest.to}): restored ${restored.join(', ')}.\n`)
  return 0
}

function summary(
  plan: MigrationPlan,
  flags: { dryRun: boolean; written: boolean; patches?: boolean },
): object {
  const notes = plan.files.flatMap((f) => f.notes)
  return {
    from: plan.from,
    to: plan.to,
    steps: plan.steps.map((s) => `${s.from}→${s.to}`),
    dryRun: flags.dryRun,
    written: flags.written,
    scanned: plan.scanned,
    changed: plan.files.filter((f) => f.before !== f.after).length,
    manualSteps: notes.filter((n) => n.kind === 'manual').length,
    warnings: notes.filter((n) => n.kind === 'warning').length,
    files: plan.files.map((f) => ({
      path: f.path,
      status: status(f),
      notes: f.notes,
      ...(flags.patches === true && f.before !== f.after ? { patch: patch(f) } : {}),
    })),
  }
}

function status(file: FileResult): 'created' | 'removed' | 'modified' | 'unchanged' {
  if (file.before === null) return 'created'
  if (file.after === null) return 'removed'
  return file.before === file.after ? 'unchanged' : 'modified'
}

function patch(file: FileResult): string {
  return createTwoFilesPatch(
    file.before === null ? '/dev/null' : `a/${file.path}`,
    file.after === null ? '/dev/null' : `b/${file.path}`,
    file.before ?? '',
    file.after ?? '',
  )
}

function report(plan: MigrationPlan, verb: string): string {
  const steps = plan.steps.map((s) => `${s.from}→${s.to}`).join(', ')
  const changed = plan.files.filter((f) => f.before !== f.after)
  const lines = [
    `migrate ${plan.from} → ${plan.to} (${steps}): ${changed.length} of ${plan.scanned} file(s) ${verb}.`,
  ]
  const marks = { created: 'A', removed: 'D', modified: 'M', unchanged: ' ' }
  for (const file of plan.files) {
    lines.push(`  ${marks[status(file)]} ${file.path}`)
    for (const note of file.notes.filter((n) => n.kind !== 'manual')) {
      lines.push(
        `      ${note.kind.padEnd(7)} ${note.line !== undefined ? `line ${note.line}: ` : ''}${note.message}`,
      )
    }
  }
  const manual = plan.files.flatMap((f) => f.notes.filter((n) => n.kind === 'manual').map((n) => ({ f, n })))
  if (manual.length > 0) {
    lines.push(
      `Manual steps (${manual.length}; where the code can hold one, a "TODO(graphql-auto-gen migrate)" comment marks it):`,
    )
    for (const { f, n } of manual)
      lines.push(`  ${f.path}${n.line !== undefined ? `:${n.line}` : ''}  ${n.message}`)
  }
  return lines.join('\n') + '\n'
}

/** The process streams and a prompt on stderr, as the command uses them. */
export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stdin.isTTY === true,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr })
      try {
        return await rl.question(question)
      } finally {
        rl.close()
      }
    },
  }
}
