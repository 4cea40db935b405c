import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoModuleUrl, runCli } from '../testing/runCli.js'
import type { CliRun } from '../testing/runCli.js'

/** Each run starts Node and PGlite (WASM); on a busy shared machine that takes long. */
const LONG = 1_500_000
const pgCore = repoModuleUrl('drizzle-orm/pg-core/index.js')

/** A config with one `notes` table on a PGlite database kept in `dataDir`. */
function config(dataDir: string, columns: string): string {
  return `
import { pgTable, serial, text } from '${pgCore}'

export default {
  models: { notes: pgTable('notes', { id: serial('id').primaryKey(), ${columns} }) },
  database: { dataDir: ${JSON.stringify(dataDir)} },
}
`
}

/** Starts `serve` until it listens, then stops it; returns what it printed. */
async function serveOnce(cwd: string): Promise<CliRun> {
  const run = await runCli(['serve'], {
    cwd,
    env: { PORT: '0' },
    until: (out) => out.includes('GraphQL + GraphiQL:'),
  })
  expect(await run.stop(), `${run.stdout}\n${run.stderr}`).toBe(0)
  return run
}

interface ChangeJson {
  level: string
  type: string
  coordinate: string
}

describe('schema registry from the command line (PGlite data directory)', () => {
  it(
    'serve records versions only on change; history, diff and check --against deployed read them',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gag-registry-'))
      const configFile = join(dir, 'graphql-auto-gen.config.ts')
      const dataDir = join(dir, 'pgdata')
      writeFileSync(configFile, config(dataDir, "body: text('body')"))

      const first = await serveOnce(dir)
      expect(first.stdout).toContain('Schema registry: recorded version 1 (the schema changed).')
      const second = await serveOnce(dir)
      expect(second.stdout).toContain('Schema registry: schema unchanged since version 1.')
      writeFileSync(configFile, config(dataDir, "body: text('body'), title: text('title')"))
      const third = await serveOnce(dir)
      expect(third.stdout).toContain('Schema registry: recorded version 2 (the schema changed).')

      // PGlite admits one process per data directory: each reader below gets its own copy.
      const copies = ['history-json', 'history', 'diff', 'missing', 'deployed'].map((name) => {
        const copyDir = mkdtempSync(join(tmpdir(), `gag-registry-${name}-`))
        cpSync(dataDir, join(copyDir, 'pgdata'), { recursive: true })
        return copyDir
      })
      writeFileSync(
        join(copies[0]!, 'graphql-auto-gen.config.ts'),
        config(join(copies[0]!, 'pgdata'), "body: text('body')"),
      )
      writeFileSync(
        join(copies[1]!, 'graphql-auto-gen.config.ts'),
        config(join(copies[1]!, 'pgdata'), "body: text('body')"),
      )
      writeFileSync(
        join(copies[2]!, 'graphql-auto-gen.config.ts'),
        config(join(copies[2]!, 'pgdata'), "body: text('body')"),
      )
      writeFileSync(
        join(copies[3]!, 'graphql-auto-gen.config.ts'),
        config(join(copies[3]!, 'pgdata'), "body: text('body')"),
      )
      // The current config drops `body`: a breaking change against the deployed version 2.
      writeFileSync(
        join(copies[4]!, 'graphql-auto-gen.config.ts'),
        config(join(copies[4]!, 'pgdata'), "title: text('title')"),
      )
      const [historyJson, historyText, diff, missing, deployed] = await Promise.all([
        runCli(['schema', 'history', '--json'], { cwd: copies[0]! }),
        runCli(['schema', 'history'], { cwd: copies[1]! }),
        runCli(['schema', 'diff', '1', 'latest', '--json'], { cwd: copies[2]! }),
        runCli(['schema', 'diff', '1', '7'], { cwd: copies[3]! }),
        runCli(['schema', 'check', '--against', 'deployed', '--json'], { cwd: copies[4]! }),
      ])

      expect(historyJson.code, historyJson.stderr).toBe(0)
      const versions = JSON.parse(historyJson.stdout) as Array<{
        version: number
        createdAt: string
        configHash: string
        changesFromPrevious: { breaking: number; dangerous: number; safe: number } | null
      }>
      expect(versions.map((v) => v.version)).toEqual([1, 2])
      expect(versions[0]!.changesFromPrevious).toBeNull()
      expect(versions[1]!.changesFromPrevious).toMatchObject({ breaking: 0 })
      expect(versions[1]!.changesFromPrevious!.safe).toBeGreaterThan(0)
      expect(versions[0]!.configHash).toMatch(/^[0-9a-f]{64}$/)
      expect(versions[1]!.configHash).not.toBe(versions[0]!.configHash)

      expect(historyText.code, historyText.stderr).toBe(0)
      const lines = historyText.stdout.trim().split('\n')
      expect(lines[0]).toMatch(/^VERSION +CREATED \(UTC\) +CONFIG +CHANGES FROM PREVIOUS$/)
      expect(lines[1]).toMatch(/^1 +\d{4}-\d\d-\d\dT[\d:.]+Z +[0-9a-f]{12} +first version$/)
      expect(lines[2]).toMatch(/^2 +\S+ +[0-9a-f]{12} +0 breaking, \d+ dangerous, \d+ safe$/)

      expect(diff.code, diff.stderr).toBe(0)
      const diffResult = JSON.parse(diff.stdout) as { from: number; to: number; changes: ChangeJson[] }
      expect([diffResult.from, diffResult.to]).toEqual([1, 2])
      expect(diffResult.changes).toContainEqual(
        expect.objectContaining({ level: 'safe', type: 'FIELD_ADDED', coordinate: 'Note.title' }),
      )
      expect(diffResult.changes.filter((c) => c.level === 'breaking')).toEqual([])

      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('error: Schema version 7 is not in the registry (recorded: 1, 2).')

      expect(deployed.code, deployed.stderr).toBe(1)
      const check = JSON.parse(deployed.stdout) as { ok: boolean; changes: ChangeJson[] }
      expect(check.ok).toBe(false)
      expect(check.changes).toContainEqual(
        expect.objectContaining({ level: 'breaking', type: 'FIELD_REMOVED', coordinate: 'Note.body' }),
      )
    },
    LONG,
  )

  it(
    'explains an empty registry for --against deployed (exit 2) and a bad version (usage, exit 2)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gag-registry-empty-'))
      writeFileSync(
        join(dir, 'graphql-auto-gen.config.ts'),
        config(join(dir, 'pgdata'), "body: text('body')"),
      )
      const [deployed, badVersion] = await Promise.all([
        runCli(['schema', 'check', '--against', 'deployed'], { cwd: dir }),
        runCli(['schema', 'diff', 'one', '2'], { cwd: dir }),
      ])
      expect(deployed.code).toBe(2)
      expect(deployed.stderr).toContain('error: No schema version is recorded in this database yet')
      expect(badVersion.code).toBe(2)
      expect(badVersion.stderr).toContain('Invalid schema version "one"')
    },
    LONG,
  )
})
