import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PgTable } from 'drizzle-orm/pg-core'
import { runAdmin } from '../../testing/runAdmin.js'
import { afterAll, describe, expect, it } from 'vitest'
import { SchemaConfig } from '../../schema/index.js'
import { PgDatabase, PGliteDatabase } from '../../database/index.js'
import type { Database } from '../../database/index.js'
import { configHash, recordSchema, LEGACY_REGISTRY_TABLE } from '../../registry/index.js'
import { getSchemaRuntime, SchemaBuilder } from '../../schema/index.js'
import { installDatabaseTriggers } from '../../subscriptions/index.js'
import { repoRoot } from '../testing/runCli.js'
import { initProject } from './init.js'

/** `drizzle-kit <command>` as `npm run db:push` runs it, without a terminal (stdin is not a TTY). */
function drizzleKit(
  cwd: string,
  url: string | undefined,
  args: readonly string[] = ['push'],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(repoRoot, 'node_modules', '.bin', 'drizzle-kit'), args, {
      cwd,
      env: { ...process.env, DATABASE_URL: url ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

/** What graphql-auto-gen leaves in a database it served: registry versions, NOTIFY triggers. */
async function ourObjects(database: Database) {
  const { rows } = await database.query<{ versions: number; triggers: number; legacy: number }>({
    text: `select (select count(*)::int from graphql_auto_gen.schema_versions) as versions,
(select count(*)::int from pg_trigger where tgname = 'graphql_auto_gen_notify') as triggers,
(select count(*)::int from public.${LEGACY_REGISTRY_TABLE}) as legacy`,
    values: [],
  })
  return rows[0]
}

const targets: Array<{ name: string; url?: string }> = [{ name: 'pglite' }]
const serverUrl = process.env['DATABASE_URL']
if (serverUrl !== undefined && serverUrl !== '') targets.push({ name: 'pg', url: serverUrl })

// Several drizzle-kit processes (each loading PGlite's WASM): generous, so a busy machine is no failure.
describe.each(targets)("init's drizzle.config.ts on $name", { timeout: 300_000 }, (target) => {
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })

  it('survives repeated drizzle-kit push with no prompt and pulls none of our objects', async () => {
    const project = await mkdtemp(join(repoRoot, '.tmp-push-'))
    cleanups.push(() => rm(project, { recursive: true, force: true }))
    await initProject(project)
    let url: string | undefined
    if (target.url !== undefined) {
      // A database of its own: drizzle-kit manages `public` as a whole.
      const name = `gag_push_${randomBytes(6).toString('hex')}`
      await runAdmin(target.url, `create database ${name}`)
      cleanups.push(() => runAdmin(target.url!, `drop database ${name} with (force)`))
      const parsed = new URL(target.url)
      parsed.pathname = `/${name}`
      url = parsed.toString()
    }
    const open = (): Database =>
      url !== undefined
        ? new PgDatabase({ url, max: 2 })
        : new PGliteDatabase({ dataDir: join(project, '.pglite') })

    const first = await drizzleKit(project, url)
    expect(first.code, first.output).toBe(0)

    // What `serve` does on start (and a registry left in public by an older version).
    const { posts } = (await import(pathToFileURL(join(project, 'src/db/schema.ts')).href)) as {
      posts: PgTable
    }
    const database = open()
    const config = new SchemaConfig({ models: { posts } })
    const schema = new SchemaBuilder(config, { database }).build()
    await recordSchema(database, schema, configHash(config.resolved))
    // A registry table as version 0.1 made it, not yet migrated: drizzle-kit must leave it too.
    await database.exec(`create table ${LEGACY_REGISTRY_TABLE} (version integer primary key);
insert into ${LEGACY_REGISTRY_TABLE} values (1)`)
    await installDatabaseTriggers(database, getSchemaRuntime(schema).names.models.values(), {
      notifyChannel: 'graphql_auto_gen',
      prefix: 'graphql_auto_gen',
    })
    const before = await ourObjects(database)
    expect(before).toEqual({ versions: 1, triggers: 1, legacy: 1 })
    await database.close()

    // The push after the first, now with our objects in the database: no question asked (without
    // a TTY drizzle-kit prints this and gives up), nothing changed. drizzle-kit keeps no state
    // between runs (it diffs the live database), so a third push would meet the same database.
    const push = await drizzleKit(project, url)
    expect(push.code, push.output).toBe(0)
    expect(push.output).not.toMatch(/TTY|rename|drop|truncate|data loss/i)
    expect(push.output).toContain('No changes detected')
    // And `drizzle-kit pull` (with the same config) writes the user's table, none of ours.
    const pull = await drizzleKit(project, url, ['pull'])
    expect(pull.code, pull.output).toBe(0)
    const pulled = await readFile(join(project, 'drizzle', 'schema.ts'), 'utf8')
    expect(pulled).toContain('pgTable("posts"')
    expect(pulled).not.toMatch(/graphql_auto_gen|schema_versions|notify_change/)
    const after = open()
    try {
      expect(await ourObjects(after)).toEqual(before)
    } finally {
      await after.close()
    }
  })
})
