import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runMigrate } from '../cli/commands/migrate.js'
import type { MigrateCommandOptions } from '../cli/commands/migrate.js'
import { pathToFileURL } from 'node:url'
import { repoRoot, runCli } from '../cli/testing/runCli.js'
import { schemaSdl } from '../registry/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { applyMigration, MigrationWriteError, oldModeConfig, TODO } from './index.js'
import type { MigrationPlan } from './index.js'

/** ts-morph loads TypeScript on first use; a busy shared machine makes that slow. */
const LONG = 300_000

function projectWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gag-migrate-results-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

/** Runs the command in process; returns its exit code and everything it printed. */
async function migrate(
  dir: string,
  options: Partial<MigrateCommandOptions>,
): Promise<{ code: number; output: string }> {
  let output = ''
  const io = {
    out: (text: string) => (output += text),
    err: (text: string) => (output += text),
    isTTY: false,
    ask: () => Promise.resolve('n'),
  }
  const code = await runMigrate([], { to: '3.0', connectionStyle: 'edges', force: true, ...options }, io, dir)
  return { code, output }
}

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8')

describe('migrate: documents keep their meaning', () => {
  it(
    'gives unlimited lists first: <maxPageSize>, drops a shared $offset, leaves introspection alone, switches legacy config',
    async () => {
      const dir = projectWith({
        'graphql-auto-gen.config.js': `export default {\n  SCHEMA_CONFIG: {\n    models: [],\n    queries: { pagination: 'legacy', filtering: 'basic', max_page_size: 250 },\n  },\n}\n`,
        'src/q.graphql': `query Q($offset: Int, $limit: Int) {\n  a: users(limit: $limit, offset: $offset) { id }\n  b: products(offset: $offset) { id }\n  __schema { types { name } }\n}\n`,
        'src/list.ts': 'export const LIST = /* GraphQL */ `\n  { users { id } }\n`\n',
      })
      const first = await migrate(dir, { from: '1.0', to: '2.0' })
      expect(first.code, first.output).toBe(1)
      expect(read(dir, 'src/q.graphql')).toBe(
        `query Q($limit: Int = 250) {\n` +
          `  # ${TODO}: offset $offset has no cursor equivalent; pass after: <pageInfo.endCursor of the previous page>\n` +
          `  a: users(first: $limit) { edges { node { id } } }\n` +
          `  # ${TODO}: offset $offset has no cursor equivalent; pass after: <pageInfo.endCursor of the previous page>\n` +
          `  b: products(first: 250) { edges { node { id } } }\n` +
          `  __schema { types { name } }\n}\n`,
      )
      expect(read(dir, 'src/list.ts')).toBe(
        'export const LIST = /* GraphQL */ `\n  { users(first: 250) { edges { node { id } } } }\n`\n',
      )
      expect(read(dir, 'graphql-auto-gen.config.js')).toContain("pagination: 'relay'")
      expect(first.output).toMatch(/src\/q\.graphql:2 {2}Documents: offset \$offset on users/)
      // A rerun changes nothing but still fails while the TODOs are there; resolving them makes it pass.
      const again = await migrate(dir, { from: '1.0', to: '2.0', json: true })
      expect(again.code).toBe(1)
      expect((JSON.parse(again.output) as { changed: number; manualSteps: number }).changed).toBe(0)
      writeFileSync(
        join(dir, 'src/q.graphql'),
        read(dir, 'src/q.graphql')
          .split('\n')
          .filter((line) => !line.includes(TODO))
          .join('\n'),
      )
      expect((await migrate(dir, { from: '1.0', to: '2.0' })).code).toBe(0)
    },
    LONG,
  )

  it(
    '1.0→2.0 moves database into SCHEMA_CONFIG and flags keys no version reads',
    async () => {
      const dir = projectWith({
        'graphql-auto-gen.config.json': JSON.stringify(
          { MODELS: [], database: { url: 'postgres://db/shop' }, DEBUG: true },
          null,
          2,
        ),
      })
      const run = await migrate(dir, { from: '1.0', to: '2.0' })
      expect(run.code).toBe(1)
      const config = JSON.parse(read(dir, 'graphql-auto-gen.config.json')) as Record<
        string,
        Record<string, unknown>
      >
      expect(config['SCHEMA_CONFIG']!['database']).toEqual({ url: 'postgres://db/shop' })
      expect(Object.keys(config)).toEqual(['SCHEMA_CONFIG', 'DEBUG'])
      expect(run.output).toContain('`DEBUG` is not a graphql-auto-gen setting')
    },
    LONG,
  )
})

describe('migrate: exit codes that tell the truth', () => {
  it(
    'exits 1 naming file and line for what it could not read or migrate, and leaves those files alone',
    async () => {
      const broken = 'export const = ;\nnew AutoSchema({})\n'
      const dir = projectWith({
        'graphql-auto-gen.config.json': '{ "MODELS": [',
        'src/bad.graphql': 'query {\n  users(\n',
        'src/broken.ts': broken,
        'src/interpolated.ts': 'const n = 5\nexport const Q = gql`\n  { users(limit: ${n}) { id } }\n`\n',
      })
      const run = await migrate(dir, { from: '1.0', to: '2.0' })
      expect(run.code).toBe(1)
      expect(run.output).toMatch(/graphql-auto-gen\.config\.json:1 {2}Config: not valid JSON/)
      expect(run.output).toMatch(/src\/bad\.graphql:3 {2}Documents: not valid GraphQL/)
      expect(run.output).toMatch(/src\/broken\.ts:1 {2}Code: not valid TypeScript\/JavaScript/)
      expect(run.output).toMatch(/src\/interpolated\.ts:3 {2}Documents: not valid GraphQL/)
      expect(read(dir, 'src/broken.ts')).toBe(broken)
      expect(read(dir, 'graphql-auto-gen.config.json')).toBe('{ "MODELS": [')
    },
    LONG,
  )

  it('writes all files or none: a failure part way leaves every file as it was, with no temp files', async () => {
    const dir = projectWith({ 'a.graphql': '{ users { id } }\n', blocker: 'a file, not a folder\n' })
    const plan: MigrationPlan = {
      from: '1.0',
      to: '2.0',
      steps: [{ from: '1.0', to: '2.0' }],
      cwd: dir,
      scanned: 1,
      files: [
        {
          path: 'a.graphql',
          before: '{ users { id } }\n',
          after: '{ users(first: 1000) { id } }\n',
          notes: [],
        },
        { path: 'blocker/new.ts', before: null, after: 'export {}\n', notes: [] },
      ],
    }
    const failure = await applyMigration(plan, { backup: true }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(MigrationWriteError)
    expect((failure as Error).message).toMatch(
      /^blocker\/new\.ts: (ENOTDIR|EEXIST) \(writing\); nothing was changed\.$/,
    )
    expect(read(dir, 'a.graphql')).toBe('{ users { id } }\n')
    expect(readdirSync(dir).sort()).toEqual(['a.graphql', 'blocker'])
  })

  it(
    '--rollback refuses to discard edits made after the migration unless --force',
    async () => {
      const original = 'query { users(limit: 2) { id } }\n'
      const dir = projectWith({ 'src/q.graphql': original })
      expect((await migrate(dir, { from: '1.0', to: '2.0', backup: true })).code).toBe(0)
      writeFileSync(join(dir, 'src/q.graphql'), `${read(dir, 'src/q.graphql')}# my edit\n`)
      const refused = await migrate(dir, { rollback: true, force: false })
      expect(refused.code).toBe(2)
      expect(refused.output).toContain('src/q.graphql changed after the migration wrote it')
      expect(read(dir, 'src/q.graphql')).toContain('# my edit')
      const forced = await migrate(dir, { rollback: true, force: true })
      expect(forced.code, forced.output).toBe(0)
      expect(read(dir, 'src/q.graphql')).toBe(original)
      expect(existsSync(join(dir, '.graphql-auto-gen'))).toBe(false)
    },
    LONG,
  )
})

describe('schema export of a config migrate has not converted yet', () => {
  it(
    'reads a v1 config as migrate does and writes the schema 1.0 served: legacy lists, no mutations',
    async () => {
      const models = pathToFileURL(join(repoRoot, 'examples', 'shop', 'models.ts')).href
      const dir = projectWith({
        'graphql-auto-gen.config.ts': `import { orders, users } from ${JSON.stringify(models)}\n\nexport default { MODELS: [users, orders], ENABLE_MUTATIONS: false }\n`,
      })
      const run = await runCli(['schema', 'export', '--out', 'old-schema.graphql'], { cwd: dir })
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toContain('is a v1/v2 config')
      const sdl = read(dir, 'old-schema.graphql')
      expect(sdl).toMatch(/users\([^)]*limit: Int[^)]*offset: Int[^)]*\): \[User!\]!/)
      expect(sdl).not.toContain('type Mutation')
      const { orders, users } = await import('../../examples/shop/models.js')
      const expected = new SchemaBuilder(
        oldModeConfig({ MODELS: [users, orders], ENABLE_MUTATIONS: false })!,
      ).build()
      expect(sdl).toBe(`${schemaSdl(expected)}\n`)
    },
    LONG,
  )
})
