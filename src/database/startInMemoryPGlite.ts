// An in-memory PGlite runs initdb on every start: ~5 s of CPU, three quarters of the cost of
// starting one (the WASM build itself loads in ~1.4 s). initdb's result is the same every time for
// one PGlite build, so the first start saves it (gzip tar, ~4.5 MB) in the temp directory and later
// starts, in any process, load it instead. The folder is the user's own (created 0700, its owner
// checked): another account on a shared machine must not be able to plant the cluster we load.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { PGlite, PGliteOptions } from '@electric-sql/pglite'

/** Starts an in-memory PGlite from the saved fresh cluster of its build, saving one when none is. */
export async function startInMemoryPGlite(
  PGliteClass: typeof PGlite,
  options: Omit<PGliteOptions, 'dataDir' | 'loadDataDir'>,
): Promise<PGlite> {
  const file = await clusterFile()
  if (file === undefined) return PGliteClass.create(options)
  const saved = await readFile(file).catch(() => undefined)
  if (saved !== undefined) {
    try {
      // Unzipped here in one native call: PGlite's streaming gunzip costs ~0.5 s more CPU.
      return await PGliteClass.create({ ...options, loadDataDir: new Blob([gunzipSync(saved)]) })
    } catch {
      // A file PGlite cannot load (another build wrote it, a disk error): start afresh, replace it.
      await rm(file, { force: true })
    }
  }
  const pglite = await PGliteClass.create(options)
  await saveCluster(pglite, file).catch(() => undefined)
  return pglite
}

/**
 * The saved cluster's path, named after the PGlite build (its entry file's path, size and time), in
 * a folder only this user can write; undefined (no saving, no loading) when no such folder can be had.
 */
async function clusterFile(): Promise<string | undefined> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  const { size, mtimeMs } = await stat(entry)
  const build = createHash('sha256').update(`${entry}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 16)
  const folder = await privateFolder(join(tmpdir(), `graphql-auto-gen-${process.getuid?.() ?? 'user'}`))
  return folder === undefined ? undefined : join(folder, `pglite-cluster-${build}.tar.gz`)
}

/** `path` as a folder owned by this user that nobody else may write to, creating it; else undefined. */
async function privateFolder(path: string): Promise<string | undefined> {
  await mkdir(path, { recursive: true, mode: 0o700 }).catch(() => undefined)
  const folder = await stat(path).catch(() => undefined)
  if (folder === undefined || !folder.isDirectory()) return undefined
  const uid = process.getuid?.()
  if (uid !== undefined && (folder.uid !== uid || (folder.mode & 0o022) !== 0)) return undefined
  return path
}

/** Writes the fresh cluster through a file of this process, renamed into place: readers never see half of it. */
async function saveCluster(pglite: PGlite, file: string): Promise<void> {
  const dump = await pglite.dumpDataDir('gzip')
  const partial = `${file}.${process.pid}.${Date.now()}.tmp`
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()))
  await rename(partial, file)
}
