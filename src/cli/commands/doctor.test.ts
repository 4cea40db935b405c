import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoModuleUrl, runCli } from '../testing/runCli.js'
import type { CliRun } from '../testing/runCli.js'

/** CLI runs start Node processes; on a busy shared machine each can take many seconds. */
const LONG = 600_000
const pgCore = repoModuleUrl('drizzle-orm/pg-core/index.js')

/** A temp project whose graphql-auto-gen.config.ts is `config`. */
function project(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gag-doctor-'))
  writeFileSync(join(dir, 'graphql-auto-gen.config.ts'), config)
  return dir
}

interface DoctorJson {
  ok: boolean
  source: string
  modelsChecked: number
  problems: Array<{ kind: string; where: string; message: string; fix: string }>
}

// Each config below is checked by as few CLI runs as possible: a run that gets as far as building
// the schema starts an in-memory PGlite (seconds of CPU), so one config carries several findings.
const WITH_PROBLEMS = `
import { integer, pgTable, serial, text, timestamp } from '${pgCore}'

const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name') })
// The foreign key has no index.
const orders = pgTable('orders', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
})
// No primary key.
const logs = pgTable('logs', { message: text('message') })
// Singular of 'user' and of 'users' is the same type name.
const user = pgTable('user', { id: serial('id').primaryKey() })
// A declared default order no index serves.
const events = pgTable('events', { id: serial('id').primaryKey(), createdAt: timestamp('created_at').notNull() })

export default {
  models: { users, orders, logs, user, events: { table: events, defaultOrderBy: [{ createdAt: 'DESC' }] } },
  queries: { pagination: 'legacy', filtering: 'basic' },
  security: { permissionClasses: ['IsAuthenticatd', 'shop.view_order', 'AllowAny'] },
}
`

const CLEAN = `
import { index, integer, pgTable, primaryKey, serial, text, timestamp } from '${pgCore}'

const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name') })
const orders = pgTable(
  'orders',
  { id: serial('id').primaryKey(), userId: integer('user_id').notNull().references(() => users.id) },
  (t) => [index('orders_user_id_idx').on(t.userId)],
)
// A unique foreign key is indexed by its unique constraint.
const profiles = pgTable('profiles', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().unique().references(() => users.id),
})
const tags = pgTable('tags', { id: serial('id').primaryKey(), name: text('name').notNull() })
// The composite primary key leads with user_id; tag_id has its own index.
const userTags = pgTable(
  'user_tags',
  {
    userId: integer('user_id').notNull().references(() => users.id),
    tagId: integer('tag_id').notNull().references(() => tags.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tagId] }), index('user_tags_tag_id_idx').on(t.tagId)],
)
// A declared default order that an index serves.
const events = pgTable(
  'events',
  { id: serial('id').primaryKey(), createdAt: timestamp('created_at').notNull() },
  (t) => [index('events_created_at_idx').on(t.createdAt)],
)

export default {
  models: { users, orders, profiles, tags, userTags, events: { table: events, defaultOrderBy: [{ createdAt: 'DESC' }] } },
  security: { permissionClasses: ['IsAuthenticated', 'ModelPermissions'] },
}
`

/** `doctor --json` and `doctor` on WITH_PROBLEMS, run once for the tests that read them. */
let withProblems: Promise<[CliRun, CliRun]> | undefined
const withProblemsRuns = (): Promise<[CliRun, CliRun]> =>
  (withProblems ??= (() => {
    const dir = project(WITH_PROBLEMS)
    return Promise.all([runCli(['doctor', '--json'], { cwd: dir }), runCli(['doctor'], { cwd: dir })])
  })())
let clean: Promise<CliRun> | undefined
const cleanRun = (): Promise<CliRun> => (clean ??= runCli(['doctor'], { cwd: project(CLEAN) }))

describe('graphql-auto-gen doctor', () => {
  it(
    'reports every kind of problem with a fix, and exits 1',
    async () => {
      const [json, text] = await withProblemsRuns()
      expect(json.code, json.stderr).toBe(1)
      const result = JSON.parse(json.stdout) as DoctorJson
      expect(result.ok).toBe(false)
      const found = result.problems.map((p) => [p.kind, p.where])
      expect(found).toEqual([
        ['deprecated-option', 'queries.pagination'],
        ['deprecated-option', 'queries.filtering'],
        ['unknown-permission', 'security.permissionClasses.0'],
        ['unknown-permission', 'security.permissionClasses.1'],
        ['missing-primary-key', 'models.logs'],
        ['name-collision', expect.any(String)],
        ['unindexed-foreign-key', 'models.orders'],
        ['unindexed-default-order', 'models.events.defaultOrderBy'],
      ])
      const byKind = (kind: string, index = 0): DoctorJson['problems'][number] =>
        result.problems.filter((p) => p.kind === kind)[index]!
      expect(byKind('unknown-permission').message).toBe(
        'Unknown permission class "IsAuthenticatd". Did you mean `IsAuthenticated`?',
      )
      expect(byKind('unknown-permission', 1).fix).toContain("use 'ModelPermissions' here")
      expect(byKind('missing-primary-key').message).toContain('`logs`')
      expect(byKind('name-collision').message).toContain('User')
      expect(byKind('unindexed-foreign-key').message).toContain('orders(user_id) → users(id)')
      expect(byKind('unindexed-foreign-key').fix).toContain("index('orders_user_id_idx').on(t.userId)")
      for (const problem of result.problems) expect(problem.fix.length).toBeGreaterThan(10)
      expect(text.code).toBe(1)
      expect(text.stdout).toContain('8 problems found in')
      expect(text.stdout).toContain('  ✗ [missing-primary-key] models.logs:')
      expect(text.stdout.match(/^ {4}fix: /gm)).toHaveLength(8)
    },
    LONG,
  )

  it(
    'finds nothing in a clean project and exits 0',
    async () => {
      const run = await cleanRun()
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toBe('No problems found in config (6 models checked).\n')
    },
    LONG,
  )

  it(
    'suggests the index a declared defaultOrderBy needs, and is quiet once one serves it',
    async () => {
      // WITH_PROBLEMS declares it without an index, CLEAN with one.
      const [json] = await withProblemsRuns()
      const problems = (JSON.parse(json.stdout) as DoctorJson).problems.filter(
        (p) => p.kind === 'unindexed-default-order',
      )
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatchObject({
        kind: 'unindexed-default-order',
        where: 'models.events.defaultOrderBy',
      })
      expect(problems[0]!.fix).toContain("index('events_created_at_id_idx').on(t.createdAt, t.id)")
      const served = await cleanRun()
      expect(served.code, served.stderr).toBe(0)
      expect(served.stdout).not.toContain('defaultOrderBy')
    },
    LONG,
  )

  it(
    'reports an invalid config as a problem, a missing one as an error (exit 2), and has help',
    async () => {
      const invalid = project(`
import { pgTable, serial } from '${pgCore}'
export default { models: { a: pgTable('a', { id: serial('id').primaryKey() }) }, queries: { pagination: 'sideways' } }
`)
      const [bad, missing, help] = await Promise.all([
        runCli(['doctor', '--json'], { cwd: invalid }),
        runCli(['doctor'], { cwd: mkdtempSync(join(tmpdir(), 'gag-doctor-')) }),
        runCli(['doctor', '--help']),
      ])
      expect(bad.code, bad.stderr).toBe(1)
      const result = JSON.parse(bad.stdout) as DoctorJson
      expect(result.problems).toHaveLength(1)
      expect(result.problems[0]).toMatchObject({ kind: 'config-invalid' })
      expect(result.problems[0]!.message).toContain('queries.pagination')
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('[CONFIG_INVALID]: No config file found')
      expect(help.code).toBe(0)
      expect(help.stdout).toContain('Exit codes: 0 no problems, 1 problems found, 2 usage or runtime error')
    },
    LONG,
  )
})
