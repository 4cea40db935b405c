// The saved fresh cluster: later in-memory starts load it (and are fresh), a file PGlite cannot
// load is replaced, and a folder another account could write to is never used. One sequence: every
// step but the loads runs initdb (seconds of CPU).
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startInMemoryPGlite } from './startInMemoryPGlite.js'

const uid = process.getuid?.() ?? 'user'
let previousTmpdir: string | undefined
let root: string

beforeEach(() => {
  previousTmpdir = process.env['TMPDIR']
  root = mkdtempSync(join(tmpdir(), 'gag-cluster-'))
  process.env['TMPDIR'] = root
})
afterEach(() => {
  if (previousTmpdir === undefined) delete process.env['TMPDIR']
  else process.env['TMPDIR'] = previousTmpdir
})

function savedClusters(): string[] {
  const folder = join(root, `graphql-auto-gen-${uid}`)
  return existsSync(folder) ? readdirSync(folder).map((name) => join(folder, name)) : []
}

describe('startInMemoryPGlite', () => {
  it('saves the fresh cluster in a private folder; later starts load it fresh; a bad file is replaced, a shared folder unused', async () => {
    const first = await startInMemoryPGlite(PGlite, {})
    const [file] = savedClusters()
    expect(file).toMatch(/pglite-cluster-[0-9a-f]{16}\.tar\.gz$/)
    expect(statSync(join(file!, '..')).mode & 0o777).toBe(0o700)
    await first.exec('create table kept_by_first (id int)')
    await first.close()
    const saved = readFileSync(file!)

    const second = await startInMemoryPGlite(PGlite, {})
    // The saved cluster is the fresh one: nothing the first instance did after saving.
    const tables = await second.query(
      `select count(*)::int as n from pg_tables where tablename = 'kept_by_first'`,
    )
    expect(tables.rows).toEqual([{ n: 0 }])
    await second.exec('create table t (id int); insert into t values (1), (2)')
    expect((await second.query('select sum(id)::int as s from t')).rows).toEqual([{ s: 3 }])
    await second.close()
    expect(readFileSync(file!).equals(saved)).toBe(true)

    // A folder anyone may write to could hold a planted cluster: neither loaded nor written.
    const folder = join(file!, '..')
    chmodSync(folder, 0o777)
    writeFileSync(file!, 'planted')
    const shared = await startInMemoryPGlite(PGlite, {})
    expect((await shared.query('select 1 as one')).rows).toEqual([{ one: 1 }])
    await shared.close()
    expect(readFileSync(file!, 'utf8')).toBe('planted')

    // Private again, the file PGlite cannot load is replaced by a fresh cluster.
    chmodSync(folder, 0o700)
    const repaired = await startInMemoryPGlite(PGlite, {})
    expect((await repaired.query('select 1 as one')).rows).toEqual([{ one: 1 }])
    await repaired.close()
    expect(statSync(file!).size).toBeGreaterThan(1_000_000)
  })
})
