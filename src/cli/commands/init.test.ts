import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../../database/index.js'
import { shopConfig, buildShopSchema } from '../../testing/shopFixture.js'
import { repoRoot, runCli } from '../testing/runCli.js'
import { getSchemaRuntime } from '../../schema/index.js'
import { unindexedForeignKeys } from '../diagnose.js'
import { banner } from '../serve.js'
import { colourEnabled } from '../terminal.js'
import { INIT_FILES, INIT_GITIGNORE, INIT_SCRIPTS, initProject } from './init.js'

// CLI runs (and doctor's PGlite start): generous, so a busy machine is no failure.
describe('graphql-auto-gen init', { timeout: 300_000 }, () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })
  // Under the repository, so the scaffold's imports (drizzle-orm) resolve to node_modules.
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(repoRoot, '.tmp-init-'))
    dirs.push(dir)
    return dir
  }

  it('scaffolds a new folder whose config and model pass doctor, which asks for db:push', async () => {
    const dir = await tempDir()
    const run = await runCli(['init', 'api'], { cwd: dir })
    expect(run.code, run.stderr).toBe(0)
    const project = join(dir, 'api')
    for (const file of Object.values(INIT_FILES)) expect(existsSync(join(project, file)), file).toBe(true)
    const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as Record<string, unknown>
    expect(pkg['scripts']).toEqual(INIT_SCRIPTS)
    expect(pkg['type']).toBe('module')
    // The config imports the package by name: the CLI hands it its own running copy (no install).
    expect(await readFile(join(project, INIT_FILES.config), 'utf8')).toContain("from 'graphql-auto-gen'")
    expect(await readFile(join(project, '.gitignore'), 'utf8')).toBe(`${INIT_GITIGNORE.join('\n')}\n`)
    // The config and models are clean; the only findings are the tables `npm run db:push` creates.
    const doctor = await runCli(['doctor', '--json'], { cwd: project, env: { DATABASE_URL: '' } })
    const found = JSON.parse(doctor.stdout) as {
      problems: Array<{ kind: string; where: string; fix: string }>
    }
    expect(found.problems.map((p) => [p.kind, p.where]).sort(), doctor.stderr).toEqual([
      ['database-mismatch', 'models.authors'],
      ['database-mismatch', 'models.posts'],
    ])
    for (const problem of found.problems) expect(problem.fix).toContain('npm run db:push')
    expect(doctor.code).toBe(1)
  })

  it('merges scripts into an existing package.json and keeps its other keys', async () => {
    const dir = await tempDir()
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'mine', scripts: { build: 'tsc' }, dependencies: { pg: '8.0.0' } }),
    )
    // An existing .gitignore keeps its lines and gains only the missing ones (.pglite is there).
    await writeFile(join(dir, '.gitignore'), 'dist\n.pglite')
    // The merge is initProject's logic (in process); the CLI runs around it are proven above and below.
    expect(await initProject(dir)).toEqual([...Object.values(INIT_FILES), 'package.json', '.gitignore'])
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('dist\n.pglite\nnode_modules/\n')
    expect(pkg).toEqual({
      name: 'mine',
      scripts: { build: 'tsc', ...INIT_SCRIPTS },
      dependencies: { pg: '8.0.0' },
    })
  })

  it('refuses to overwrite (exit 2, naming every file) unless --force', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, INIT_FILES.config), '// mine\n')
    await writeFile(join(dir, 'package.json'), JSON.stringify({ scripts: { graphql: 'something else' } }))
    const refused = await runCli(['init'], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(INIT_FILES.config)
    expect(refused.stderr).toContain('package.json (scripts.graphql)')
    expect(await readFile(join(dir, INIT_FILES.config), 'utf8')).toBe('// mine\n')
    expect(existsSync(join(dir, INIT_FILES.models))).toBe(false)
    const forced = await runCli(['init', '--force'], { cwd: dir })
    expect(forced.code, forced.stderr).toBe(0)
    expect(await readFile(join(dir, INIT_FILES.config), 'utf8')).toContain('defineConfig')
  })

  it('prints the usage on a usage mistake', async () => {
    const run = await runCli(['init', '--nope'], { cwd: await tempDir() })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("unknown option '--nope'")
    expect(run.stderr).toContain('Usage: graphql-auto-gen init')
  })
})

describe('serve banner and colour', () => {
  it('honours NO_COLOR, FORCE_COLOR and a non-terminal stdout', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true)
    expect(colourEnabled({ isTTY: false }, {})).toBe(false)
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true)
    expect(colourEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false)
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false)
  })

  it('lists the models and URLs, warns about deprecated options and unindexed foreign keys', async () => {
    const db = new PGliteDatabase()
    try {
      const schema = buildShopSchema(db, {
        ...shopConfig,
        queries: { ...shopConfig.queries, filtering: 'basic' },
      })
      const plain = banner(schema, 'http://127.0.0.1:4000/graphql', false)
      const text = plain.join('\n')
      expect(text).toContain('serving 7 models on embedded PGlite')
      const models = [...getSchemaRuntime(schema).names.models.values()].map((m) => m.typeName)
      expect(text).toContain(`Models: ${models.join(', ')}`)
      expect(text).toContain('GraphQL + GraphiQL: http://127.0.0.1:4000/graphql')
      expect(text).toContain('Health: http://127.0.0.1:4000/health')
      expect(text).toMatch(/! queries\.filtering: .*deprecated/)
      // The same findings as doctor's check, one line each.
      for (const problem of unindexedForeignKeys(getSchemaRuntime(schema).graph))
        expect(text).toContain(`! ${problem.where}: ${problem.message}`)
      expect(text).not.toContain('\u001b[')
      const coloured = banner(schema, 'http://127.0.0.1:4000/graphql', true).join('\n')
      expect(coloured).toContain('\u001b[')
    } finally {
      await db.close()
    }
  })
})
