import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { repoModuleUrl, runCli } from '../testing/runCli.js'
import type { CliRun } from '../testing/runCli.js'
import { runMain } from '../testing/runMain.js'
import type { MainRun } from '../testing/runMain.js'

/** Each run starts PGlite (WASM), most a Node process too; on a busy shared machine that takes long. */
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

// One registry's life, run once and asserted by the tests below: an empty database, three serves
// (recorded, unchanged, changed), the readers, then a config that breaks the deployed version. The
// processes are what needs one (serve's start-up and exit, and check's exit code 1); the rest runs
// in-process on the same data directory, one at a time (PGlite admits one process per data
// directory), each a PGlite start but no Node start.
describe('schema registry from the command line (PGlite data directory)', () => {
  let empty: MainRun
  let badVersion: MainRun
  let serves: CliRun[]
  let historyJson: MainRun
  let historyText: MainRun
  let diff: MainRun
  let missing: MainRun
  let deployed: CliRun

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gag-registry-'))
    const configFile = join(dir, 'graphql-auto-gen.config.ts')
    const dataDir = join(dir, 'pgdata')
    writeFileSync(configFile, config(dataDir, "body: text('body')"))
    // First, on the new data directory: nothing is recorded yet.
    empty = await runMain(['schema', 'check', '--against', 'deployed'], { cwd: dir })
    badVersion = await runMain(['schema', 'diff', 'one', '2'], { cwd: dir })
    serves = [await serveOnce(dir), await serveOnce(dir)]
    writeFileSync(configFile, config(dataDir, "body: text('body'), title: text('title')"))
    serves.push(await serveOnce(dir))
    // The readers take the schema from the config of version 1 (as the tests before wrote it).
    writeFileSync(configFile, config(dataDir, "body: text('body')"))
    historyJson = await runMain(['schema', 'history', '--json'], { cwd: dir })
    historyText = await runMain(['schema', 'history'], { cwd: dir })
    diff = await runMain(['schema', 'diff', '1', 'latest', '--json'], { cwd: dir })
    missing = await runMain(['schema', 'diff', '1', '7'], { cwd: dir })
    // The current config drops `body`: a breaking change against the deployed version 2.
    writeFileSync(configFile, config(dataDir, "title: text('title')"))
    deployed = await runCli(['schema', 'check', '--against', 'deployed', '--json'], { cwd: dir })
  }, LONG)

  it('serve records versions only on change', () => {
    const [first, second, third] = serves
    expect(first!.stdout).toContain('Schema registry: recorded version 1 (the schema changed).')
    expect(second!.stdout).toContain('Schema registry: schema unchanged since version 1.')
    expect(third!.stdout).toContain('Schema registry: recorded version 2 (the schema changed).')
  })

  it('history lists the versions, as JSON and as a table', () => {
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
  })

  it('diff classifies the changes between two versions, and names the recorded ones for a missing version (exit 2)', () => {
    expect(diff.code, diff.stderr).toBe(0)
    const diffResult = JSON.parse(diff.stdout) as { from: number; to: number; changes: ChangeJson[] }
    expect([diffResult.from, diffResult.to]).toEqual([1, 2])
    expect(diffResult.changes).toContainEqual(
      expect.objectContaining({ level: 'safe', type: 'FIELD_ADDED', coordinate: 'Note.title' }),
    )
    expect(diffResult.changes.filter((c) => c.level === 'breaking')).toEqual([])

    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('error: Schema version 7 is not in the registry (recorded: 1, 2).')
  })

  it('check --against deployed fails (exit 1) on a breaking change from the latest version', () => {
    expect(deployed.code, deployed.stderr).toBe(1)
    const check = JSON.parse(deployed.stdout) as { ok: boolean; changes: ChangeJson[] }
    expect(check.ok).toBe(false)
    expect(check.changes).toContainEqual(
      expect.objectContaining({ level: 'breaking', type: 'FIELD_REMOVED', coordinate: 'Note.body' }),
    )
  })

  it('explains an empty registry for --against deployed (exit 2) and a bad version (usage, exit 2)', () => {
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('error: No schema version is recorded in this database yet')
    expect(badVersion.code).toBe(2)
    expect(badVersion.stderr).toContain('Invalid schema version "one"')
  })
})
