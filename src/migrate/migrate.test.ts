import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse } from 'graphql'
import { describe, expect, it } from 'vitest'
import * as library from '../index.js'
import { loadConfigFile } from '../schema/index.js'
import { runMigrate } from '../cli/commands/migrate.js'
import type { MigrateCommandOptions } from '../cli/commands/migrate.js'
import { repoRoot, runCli } from '../cli/testing/runCli.js'
import { BACKUP_DIR, supportedPaths, TODO } from './index.js'

/** CLI runs start Node processes; on a busy shared machine each can take many seconds. */
const LONG = 600_000
const FIXTURES = join(repoRoot, 'src', 'migrate', '__fixtures__')

/** Every file under `dir`, relative, with `/` separators. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory()
        ? walk(path, base)
        : [
            path
              .slice(base.length + 1)
              .split('\\')
              .join('/'),
          ]
    })
    .sort()
}

/** Copies a fixture folder into a new temp directory, dropping the `.txt` that keeps fixtures out of tsc/eslint. */
function project(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gag-migrate-'))
  for (const file of walk(fixture)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    cpSync(join(fixture, file), join(dir, file.replace(/\.txt$/, '')))
  }
  return dir
}

/** File contents of a directory (backups folder excluded), keyed by relative path. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    walk(dir)
      .filter((f) => !f.startsWith('.graphql-auto-gen/'))
      .map((f) => [f.replace(/\.txt$/, ''), readFileSync(join(dir, f), 'utf8')]),
  )
}

/**
 * Runs the command's function in this process without a terminal (as the CLI's action does, minus
 * the process start): the exit code and what it printed on each stream. Logic (golden output,
 * idempotence, messages) is proven this way; the tests below that spawn the CLI prove the wiring:
 * argument parsing, real stdin, stdout/stderr and the process exit code.
 */
async function migrateInProcess(
  dir: string,
  options: Partial<MigrateCommandOptions>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = { code: 0, stdout: '', stderr: '' }
  const io = {
    out: (text: string) => (run.stdout += text),
    err: (text: string) => (run.stderr += text),
    isTTY: false,
    ask: () => Promise.reject(new Error('no terminal to ask on')),
  }
  run.code = await runMigrate([], { to: '3.0', connectionStyle: 'edges', ...options }, io, dir)
  return run
}

const cases = readdirSync(FIXTURES).sort()

describe('migrate fixtures (hand-reviewed golden files)', () => {
  it('covers every single step and a chained path', () => {
    const paths = new Set(
      cases
        .map(
          (c) =>
            JSON.parse(readFileSync(join(FIXTURES, c, 'case.json'), 'utf8')) as { from: string; to: string },
        )
        .map((c) => `${c.from}→${c.to}`),
    )
    for (const step of ['1.0→2.0', '2.0→2.1', '2.1→3.0', '1.0→3.0']) expect(paths).toContain(step)
  })

  it.each(cases)(
    '%s: the command turns input/ into expected/',
    async (name) => {
      const spec = JSON.parse(readFileSync(join(FIXTURES, name, 'case.json'), 'utf8')) as {
        from: string
        to: string
        exit: number
      }
      const dir = project(join(FIXTURES, name, 'input'))
      const options = { from: spec.from, to: spec.to, force: true, json: true }
      const run = await migrateInProcess(dir, options)
      expect(run.code, run.stderr).toBe(spec.exit)
      const expected = contents(join(FIXTURES, name, 'expected'))
      expect(contents(dir)).toEqual(expected)
      const summary = JSON.parse(run.stdout) as {
        written: boolean
        manualSteps: number
        files: Array<{ path: string; notes: Array<{ kind: string }> }>
      }
      expect(summary.written).toBe(true)
      // Every manual step the summary reports is marked in the files, and the other way round.
      const marked = Object.values(expected).join('\n').split(TODO).length - 1
      expect(summary.manualSteps > 0).toBe(spec.exit === 1)
      expect(marked > 0).toBe(summary.manualSteps > 0)
      // Rewritten documents still parse.
      for (const [file, text] of Object.entries(expected))
        if (/\.(graphql|gql)$/.test(file)) expect(() => parse(text)).not.toThrow()
      // Migrating the result again changes nothing: the migration is idempotent.
      const again = await migrateInProcess(dir, options)
      expect((JSON.parse(again.stdout) as { changed: number }).changed).toBe(0)
      expect(contents(dir)).toEqual(expected)
    },
    LONG,
  )
})

describe('migrate command', () => {
  const fixture = join(FIXTURES, 'v1-to-v2', 'input')

  it(
    '--dry-run prints a unified diff and changes nothing',
    async () => {
      const dir = project(fixture)
      const before = contents(dir)
      const run = await runCli(['migrate', '--from', '1.0', '--to', '3.0', '--dry-run'], { cwd: dir })
      expect(run.code).toBe(1) // manual steps remain
      expect(contents(dir)).toEqual(before)
      expect(existsSync(join(dir, '.graphql-auto-gen'))).toBe(false)
      expect(run.stdout).toContain('--- a/graphql-auto-gen.config.ts\n+++ b/graphql-auto-gen.config.ts\n')
      expect(run.stdout).toContain("-  'MODELS': [users, products], // keep in sync with models.ts\n")
      expect(run.stdout).toContain('+export default defineConfig({\n')
      expect(run.stderr).toMatch(/4 of 4 file\(s\) would change/)
      expect(run.stderr).toContain('Manual steps (3;')
    },
    LONG,
  )

  it(
    '--backup keeps copies and --rollback restores byte-identical files',
    async () => {
      const dir = project(join(FIXTURES, 'json-v1-to-v3', 'input'))
      cpSync(fixture, dir, { recursive: true })
      const original = walk(dir)
      const bytes = Object.fromEntries(original.map((f) => [f, readFileSync(join(dir, f))]))
      const run = await runCli(['migrate', '--from', '1.0', '--backup', '--force', '--json'], { cwd: dir })
      expect(run.code, run.stderr).toBe(1)
      const { backup } = JSON.parse(run.stdout) as { backup: string }
      const manifest = JSON.parse(readFileSync(join(dir, BACKUP_DIR, `${backup}.json`), 'utf8')) as {
        files: Array<{ path: string; action: string; backup?: string }>
      }
      expect(manifest.files.find((f) => f.path === 'graphql-auto-gen.config.json')?.action).toBe('removed')
      expect(manifest.files.find((f) => f.path === 'graphql-auto-gen.config.ts')?.action).toBe('created')
      for (const entry of manifest.files.filter((f) => f.backup !== undefined)) {
        expect(entry.backup).toMatch(/\.bak-1\.0-\d{8}T\d{6}Z/)
        expect(readFileSync(join(dir, entry.backup!)).equals(bytes[entry.path]!)).toBe(true)
      }
      const rollback = await runCli(['migrate', '--rollback', '--force'], { cwd: dir })
      expect(rollback.code, rollback.stderr).toBe(0)
      expect(walk(dir)).toEqual(original)
      for (const file of original) expect(readFileSync(join(dir, file)).equals(bytes[file]!), file).toBe(true)
      // Nothing left to roll back (the command's logic: in process).
      const none = await migrateInProcess(dir, { rollback: true, force: true })
      expect(none.code).toBe(2)
      expect(none.stderr).toMatch(/no backup found/)
    },
    LONG,
  )

  it(
    'refuses to write without --force when stdin is not a terminal (exit 2), and names supported paths',
    async () => {
      const dir = project(fixture)
      const before = contents(dir)
      const refused = await runCli(['migrate', '--from', '1.0', '--to', '2.0'], { cwd: dir })
      expect(refused.code).toBe(2)
      expect(refused.stderr).toMatch(/refusing to write without --force because stdin is not a terminal/)
      expect(contents(dir)).toEqual(before)
      // The message for an unsupported path is the command's logic: in process.
      const unsupported = await migrateInProcess(dir, { from: '3.0', to: '1.0' })
      expect(unsupported.code).toBe(2)
      expect(unsupported.stderr).toContain(`Supported paths: ${supportedPaths().join(', ')}`)
      const help = await runCli(['migrate', '--help'], { cwd: dir })
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(/Exit codes:[\s\S]*0 {2}migrated[\s\S]*1 {2}manual steps[\s\S]*2 {2}usage/)
    },
    LONG,
  )

  it(
    'asks before writing on a terminal: "n" writes nothing, "y" writes',
    async () => {
      const dir = project(fixture)
      const before = contents(dir)
      const output: string[] = []
      const io = (answer: string) => ({
        out: (t: string) => output.push(t),
        err: (t: string) => output.push(t),
        isTTY: true,
        ask: async (question: string) => {
          output.push(question)
          return answer
        },
      })
      const options = { from: '1.0', to: '2.0', connectionStyle: 'edges' }
      expect(await runMigrate([], options, io('n'), dir)).toBe(1)
      expect(output.join('')).toMatch(/Write 4 file\(s\)\? \[y\/N\] [\s\S]*Nothing was written/)
      expect(contents(dir)).toEqual(before)
      expect(await runMigrate([], options, io('y'), dir)).toBe(1)
      expect(contents(dir)).toEqual(contents(join(FIXTURES, 'v1-to-v2', 'expected')))
    },
    LONG,
  )

  it(
    'writes a v3 config that loadConfigFile accepts, with the models and options of the v1 one',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gag-migrate-load-'))
      const models = JSON.stringify(pathToFileURL(join(repoRoot, 'examples', 'shop', 'models.ts')).href)
      writeFileSync(
        join(dir, 'graphql-auto-gen.config.ts'),
        `import { users, orders } from ${models}\n\n// v1 settings\nexport default { MODELS: [users, orders], ENABLE_MUTATIONS: false }\n`,
      )
      const run = await migrateInProcess(dir, { from: '1.0', to: '3.0', force: true })
      expect(run.code, run.stderr).toBe(0)
      // The written config imports `graphql-auto-gen`: it gets this library, as the CLI hands a
      // config its running copy (transpiling the whole library through jiti instead costs seconds).
      expect(readFileSync(join(dir, 'graphql-auto-gen.config.ts'), 'utf8')).toMatch(
        /import \{ defineConfig \} from ['"]graphql-auto-gen['"]/,
      )
      const config = (await loadConfigFile(undefined, dir, { 'graphql-auto-gen': library })).resolved
      expect(config.models.map((m) => m.name)).toEqual(['users', 'orders'])
      expect(config.mutations.enabled).toBe(false)
      expect(config.queries).toMatchObject({ pagination: 'relay', filtering: 'advanced', ordering: true })
      expect(config.security.permissionClasses).toEqual(['AllowAny'])
    },
    LONG,
  )
})
