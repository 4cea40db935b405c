// Test helper: the databases every database-touching test runs on (never part of the build).
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants, existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { PgDatabase, PGliteDatabase } from '../database/index.js'
import type { Database } from '../database/index.js'
import { runAdmin } from './runAdmin.js'

/** One database a test suite runs against: `create` makes a fresh, empty one each call. */
export interface TestDatabase {
  /** Which backend this entry creates; handy as a `describe.each` title. */
  name: 'pglite' | 'pg'
  /** Creates a fresh database; `dispose` closes it and deletes everything it held. */
  create: () => Promise<{ database: Database; dispose: () => Promise<void> }>
}

/**
 * Where PGlite data directories go: shared memory when the machine has it (Linux's /dev/shm), else
 * the temp folder. A data directory is 39 MB (a 16 MB WAL segment among ~1,000 files): copying it
 * onto tmpfs takes a tenth of the system time the disk does, and PGlite's writes stay in memory.
 */
function dataRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK)
    return '/dev/shm'
  } catch {
    return tmpdir()
  }
}

/**
 * Copies a folder with the system's `cp` (0.04 s of CPU for a data directory on tmpfs, where
 * node:fs's cp, a JavaScript walk of ~1,000 files, takes 0.4 s); node:fs's cp where there is none.
 */
async function copyFolder(from: string, to: string): Promise<void> {
  try {
    await promisify(execFile)('cp', ['-R', `${from}/.`, to])
  } catch {
    await cp(from, to, { recursive: true })
  }
}

/**
 * A PGlite data directory just after initdb, made once per machine and PGlite version: a copy of it
 * starts in a third of the CPU time a new in-memory PGlite takes (which runs initdb each time, about
 * a second of CPU, for every test file). Built in a private folder and renamed into place, so
 * workers racing to build it never see half of one.
 */
async function pgliteTemplate(): Promise<string> {
  // The package's exports hide its package.json: find it from the entry point (dist/index.cjs).
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  const { version } = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string
  }
  const template = join(dataRoot(), `gag-pglite-template-${version}`)
  if (existsSync(join(template, 'PG_VERSION'))) return template
  const building = await mkdtemp(join(dataRoot(), 'gag-pglite-template-building-'))
  const database = new PGliteDatabase({ dataDir: building })
  await database.query({ text: 'select 1', values: [] })
  await database.close()
  try {
    await rename(building, template)
    return template
  } catch {
    // Another worker won the race (the rename fails on its non-empty folder): use its copy. A
    // broken folder in the way: this worker keeps using its own.
    if (!existsSync(join(template, 'PG_VERSION'))) return building
    await rm(building, { recursive: true, force: true })
    return template
  }
}

/**
 * The databases every database-touching test runs on: always a fresh PGlite (a copy of an initdb'd
 * data directory, deleted on dispose), plus PostgreSQL when `DATABASE_URL` is set. Each PostgreSQL database lives in its own new schema
 * (`search_path` points there), so test files running in parallel never see each other's tables
 * or enum types.
 */
export function testDatabases(): TestDatabase[] {
  const entries: TestDatabase[] = [
    {
      name: 'pglite',
      create: async () => {
        const dataDir = await mkdtemp(join(dataRoot(), 'gag-pglite-test-'))
        await copyFolder(await pgliteTemplate(), dataDir)
        const database = new PGliteDatabase({ dataDir })
        return {
          database,
          dispose: async () => {
            await database.close()
            await rm(dataDir, { recursive: true, force: true })
          },
        }
      },
    },
  ]
  const url = process.env['DATABASE_URL']
  if (url !== undefined && url !== '') {
    entries.push({
      name: 'pg',
      create: async () => {
        // Random hex needs no quoting, and is all lower case, as PostgreSQL folds names.
        const schema = `t_${randomBytes(8).toString('hex')}`
        await runAdmin(url, `CREATE SCHEMA ${schema}`)
        const database = new PgDatabase({ url, searchPath: schema, max: 4 })
        return {
          database,
          dispose: async () => {
            await database.close()
            // The schema registry keeps its rows in graphql_auto_gen, scoped by schema name.
            await runAdmin(
              url,
              `DROP SCHEMA IF EXISTS ${schema} CASCADE; DO $$ BEGIN IF to_regclass('graphql_auto_gen.schema_versions') IS NOT NULL THEN DELETE FROM graphql_auto_gen.schema_versions WHERE scope = '${schema}'; END IF; END $$`,
            )
          },
        }
      },
    })
  }
  return entries
}
