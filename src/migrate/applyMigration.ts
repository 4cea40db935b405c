import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { constants } from 'node:fs'
import { access, mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { FileResult, MigrationPlan } from './plan.js'

/** Where backup manifests live, relative to the project directory. */
export const BACKUP_DIR = '.graphql-auto-gen/backups'

/** One file in a backup manifest and how to undo what the migration did to it. */
export interface BackupEntry {
  /** The migrated file, relative to the project directory. */
  path: string
  /** `modified`/`removed` files are restored from `backup`; `created` files are deleted. */
  action: 'modified' | 'created' | 'removed'
  /** The copy of the original, relative to the project directory. */
  backup?: string
  /** SHA-256 of the original, checked before restoring. */
  sha256?: string
  /** SHA-256 of what the migration wrote; a different file now means it was edited since. */
  afterSha256?: string
}

/** A restorable record of one migration run. */
export interface BackupManifest {
  id: string
  from: string
  to: string
  createdAt: string
  files: BackupEntry[]
}

/** A file the migration could not write or restore; names the file and the reason (e.g. EACCES). */
export class MigrationWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    what: string,
  ) {
    super(`${path}: ${reason} (${what}); nothing was changed.`)
    this.name = 'MigrationWriteError'
  }
}

/**
 * Writes the plan's results all or nothing: every new text goes to a temp file beside its target
 * first; only when all are written are they renamed over the targets (and removed files deleted).
 * Any failure removes the temp files and undoes renames already made, so the project is left as
 * it was. With `backup`, first copies every file it changes or removes to
 * `<file>.bak-<from>-<timestamp>` and records them (and created files, with the SHA-256 of what
 * was written) in a manifest under {@link BACKUP_DIR}, which {@link rollbackMigration} restores from.
 */
export async function applyMigration(
  plan: MigrationPlan,
  options: { backup?: boolean } = {},
): Promise<string | undefined> {
  const changed = plan.files.filter((f) => f.before !== f.after)
  const written: string[] = []
  try {
    const id =
      options.backup === true && changed.length > 0 ? await writeBackups(plan, changed, written) : undefined
    await replaceAll(plan.cwd, changed)
    return id
  } catch (error) {
    for (const path of written.reverse()) await rm(path, { force: true }).catch(() => undefined)
    await removeEmptyBackupDirs(plan.cwd)
    throw error
  }
}

async function writeBackups(
  plan: MigrationPlan,
  changed: readonly FileResult[],
  written: string[],
): Promise<string> {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const id = await freeId(plan.cwd, `${stamp}-${plan.from}-to-${plan.to}`)
  const files: BackupEntry[] = []
  for (const file of changed) {
    const written256 = file.after === null ? {} : { afterSha256: sha256(file.after) }
    if (file.before === null) {
      files.push({ path: file.path, action: 'created', ...written256 })
      continue
    }
    const backup = `${file.path}.bak-${plan.from}-${id.split('-')[0]}${id.includes('~') ? id.slice(id.indexOf('~')) : ''}`
    await attempt(backup, 'writing the backup', () =>
      writeFile(resolve(plan.cwd, backup), file.before!, { flag: 'wx' }),
    )
    written.push(resolve(plan.cwd, backup))
    files.push({
      path: file.path,
      action: file.after === null ? 'removed' : 'modified',
      backup,
      sha256: sha256(file.before),
      ...written256,
    })
  }
  const manifest: BackupManifest = {
    id,
    from: plan.from,
    to: plan.to,
    createdAt: new Date().toISOString(),
    files,
  }
  const path = resolve(plan.cwd, BACKUP_DIR, `${id}.json`)
  await attempt(`${BACKUP_DIR}/${id}.json`, 'writing the backup manifest', async () => {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, JSON.stringify(manifest, null, 2) + '\n')
  })
  written.push(path)
  return id
}

/** Temp files first, then renames; a failure at any point puts every target back as it was. */
async function replaceAll(cwd: string, changed: readonly FileResult[]): Promise<void> {
  const temps = new Map<FileResult, string>()
  const done: FileResult[] = []
  try {
    for (const file of changed) {
      if (file.after === null) continue
      const target = resolve(cwd, file.path)
      const temp = join(dirname(target), `.${basename(target)}.migrate-${process.pid}.tmp`)
      await attempt(file.path, 'writing', async () => {
        await mkdir(dirname(target), { recursive: true })
        if (file.before !== null) await access(target, constants.W_OK)
        await writeFile(temp, file.after!, { flag: 'wx' })
      })
      temps.set(file, temp)
    }
    for (const file of changed) {
      const target = resolve(cwd, file.path)
      if (file.after === null) await attempt(file.path, 'removing', () => unlink(target))
      else await attempt(file.path, 'replacing', () => rename(temps.get(file)!, target))
      done.push(file)
    }
  } catch (error) {
    for (const temp of temps.values()) await rm(temp, { force: true }).catch(() => undefined)
    for (const file of done.reverse()) {
      const target = resolve(cwd, file.path)
      if (file.before === null) await rm(target, { force: true }).catch(() => undefined)
      else await writeFile(target, file.before).catch(() => undefined)
    }
    throw error
  }
}

/** Runs one file operation; a failure becomes a {@link MigrationWriteError} naming the file. */
async function attempt(path: string, what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new MigrationWriteError(path, code ?? (error as Error).message, what)
  }
}

/** The manifest `id`, or the newest one; undefined when there is none. */
export async function readManifest(cwd: string, id?: string): Promise<BackupManifest | undefined> {
  const directory = resolve(cwd, BACKUP_DIR)
  if (!existsSync(directory)) return undefined
  const names = (await readdir(directory)).filter((n) => n.endsWith('.json')).sort()
  const name = id !== undefined ? names.find((n) => n === `${id}.json`) : names[names.length - 1]
  if (name === undefined) return undefined
  return JSON.parse(await readFile(join(directory, name), 'utf8')) as BackupManifest
}

/** Files edited after the migration wrote them: rolling back would discard those edits. */
export async function editedSinceMigration(cwd: string, manifest: BackupManifest): Promise<string[]> {
  const edited: string[] = []
  for (const entry of manifest.files) {
    if (entry.afterSha256 === undefined) continue
    const path = resolve(cwd, entry.path)
    if (!existsSync(path) || sha256(await readFile(path)) !== entry.afterSha256) edited.push(entry.path)
  }
  return edited
}

/**
 * Undoes a migration from its manifest: restores modified and removed files byte for byte,
 * deletes created ones, then removes the backups and the manifest. Checks every backup first,
 * so a damaged backup changes nothing; callers check {@link editedSinceMigration} first.
 */
export async function rollbackMigration(cwd: string, manifest: BackupManifest): Promise<string[]> {
  for (const entry of manifest.files) {
    if (entry.backup === undefined) continue
    const backup = resolve(cwd, entry.backup)
    if (!existsSync(backup))
      throw new MigrationWriteError(entry.backup, 'the backup is missing', 'rolling back')
    if (sha256(await readFile(backup)) !== entry.sha256) {
      throw new MigrationWriteError(
        entry.backup,
        'the backup was changed since the migration',
        'rolling back',
      )
    }
  }
  const restore: FileResult[] = []
  for (const entry of manifest.files) {
    const current = existsSync(resolve(cwd, entry.path))
      ? await readFile(resolve(cwd, entry.path), 'utf8')
      : null
    const original = entry.action === 'created' ? null : await readFile(resolve(cwd, entry.backup!), 'utf8')
    restore.push({ path: entry.path, before: current, after: original, notes: [] })
  }
  await replaceAll(
    cwd,
    restore.filter((f) => f.before !== f.after),
  )
  for (const entry of manifest.files)
    if (entry.backup !== undefined) await rm(resolve(cwd, entry.backup), { force: true })
  await rm(resolve(cwd, BACKUP_DIR, `${manifest.id}.json`), { force: true })
  await removeEmptyBackupDirs(cwd)
  return manifest.files.map((f) => f.path)
}

/** Leaves no empty backup folders behind: the project looks as it did before the backup. */
async function removeEmptyBackupDirs(cwd: string): Promise<void> {
  for (const directory of [BACKUP_DIR, dirname(BACKUP_DIR)]) {
    const path = resolve(cwd, directory)
    if (existsSync(path) && (await readdir(path)).length === 0) await rmdir(path)
  }
}

async function freeId(cwd: string, base: string): Promise<string> {
  let id = base
  for (let n = 2; existsSync(resolve(cwd, BACKUP_DIR, `${id}.json`)); n++) id = `${base}~${n}`
  return id
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}
