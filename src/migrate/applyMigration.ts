import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readdir, readFile, rm, rmdir, unlink, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { MigrationPlan } from './migrateProject.js'

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
}

/** A restorable record of one migration run. */
export interface BackupManifest {
  id: string
  from: string
  to: string
  createdAt: string
  files: BackupEntry[]
}

/**
 * Writes the plan's results. With `backup`, first copies every file it changes or removes to
 * `<file>.bak-<from>-<timestamp>` and records them (and created files) in a manifest under
 * {@link BACKUP_DIR}, which {@link rollbackMigration} restores from. Returns the manifest's id.
 */
export async function applyMigration(
  plan: MigrationPlan,
  options: { backup?: boolean } = {},
): Promise<string | undefined> {
  const changed = plan.files.filter((f) => f.before !== f.after)
  let id: string | undefined
  if (options.backup === true && changed.length > 0) {
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')
    id = await freeId(plan.cwd, `${stamp}-${plan.from}-to-${plan.to}`)
    const files: BackupEntry[] = []
    for (const file of changed) {
      if (file.before === null) {
        files.push({ path: file.path, action: 'created' })
        continue
      }
      const backup = `${file.path}.bak-${plan.from}-${id.split('-')[0]}${id.includes('~') ? id.slice(id.indexOf('~')) : ''}`
      await copyFile(resolve(plan.cwd, file.path), resolve(plan.cwd, backup))
      files.push({
        path: file.path,
        action: file.after === null ? 'removed' : 'modified',
        backup,
        sha256: sha256(file.before),
      })
    }
    const manifest: BackupManifest = {
      id,
      from: plan.from,
      to: plan.to,
      createdAt: new Date().toISOString(),
      files,
    }
    await mkdir(resolve(plan.cwd, BACKUP_DIR), { recursive: true })
    await writeFile(resolve(plan.cwd, BACKUP_DIR, `${id}.json`), JSON.stringify(manifest, null, 2) + '\n')
  }
  for (const file of changed) {
    const path = resolve(plan.cwd, file.path)
    if (file.after === null) {
      await unlink(path)
    } else {
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, file.after)
    }
  }
  return id
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

/**
 * Undoes a migration from its manifest: restores modified and removed files byte for byte,
 * deletes created ones, then removes the backups and the manifest. Checks every backup first,
 * so a damaged backup changes nothing.
 */
export async function rollbackMigration(cwd: string, manifest: BackupManifest): Promise<string[]> {
  for (const entry of manifest.files) {
    if (entry.backup === undefined) continue
    const backup = resolve(cwd, entry.backup)
    if (!existsSync(backup)) throw new Error(`Backup ${entry.backup} is missing; nothing was restored.`)
    if (sha256(await readFile(backup)) !== entry.sha256) {
      throw new Error(`Backup ${entry.backup} was changed since the migration; nothing was restored.`)
    }
  }
  for (const entry of manifest.files) {
    const path = resolve(cwd, entry.path)
    if (entry.action === 'created') await rm(path, { force: true })
    else await copyFile(resolve(cwd, entry.backup!), path)
  }
  for (const entry of manifest.files)
    if (entry.backup !== undefined) await rm(resolve(cwd, entry.backup), { force: true })
  await rm(resolve(cwd, BACKUP_DIR, `${manifest.id}.json`), { force: true })
  // Leave no empty folders behind: the project looks as it did before the backup.
  for (const directory of [BACKUP_DIR, dirname(BACKUP_DIR)]) {
    const path = resolve(cwd, directory)
    if (existsSync(path) && (await readdir(path)).length === 0) await rmdir(path)
  }
  return manifest.files.map((f) => f.path)
}

async function freeId(cwd: string, base: string): Promise<string> {
  let id = base
  for (let n = 2; existsSync(resolve(cwd, BACKUP_DIR, `${id}.json`)); n++) id = `${base}~${n}`
  return id
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}
