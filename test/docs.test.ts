// Every code sample of README.md and docs/*.md runs here, so the docs cannot rot: graphql samples
// against the shop example, ts samples through the type checker, sh samples of the CLI in a temp
// project (those that start the example on PGlite and have a CLI test of their own run there, with
// more assertions: RUN_BY_OTHER_TESTS). Plus: the generated references are current and errors.md
// lists exactly ErrorCodes.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FILTER_OPERATORS } from '../src/compile/index.js'
import { initProject } from '../src/cli/commands/init.js'
import { ensureCompiledCli } from '../src/cli/testing/compiledCli.js'
import { runCli } from '../src/cli/testing/runCli.js'
import { testDatabases } from '../src/testing/testDatabases.js'
import type { TestDatabase } from '../src/testing/testDatabases.js'
import { ErrorCodes } from '../src/errors.js'
import { withShop } from '../src/testing/shopFixture.js'
import type { ShopFixture } from '../src/testing/shopFixture.js'
import { generatedDocs } from '../scripts/generatedDocs.js'
import {
  allSamples,
  DOC_COMMAND_ENV,
  docCommands,
  ROOT,
  RUN_BY_OTHER_TESTS,
  samplesOf,
} from './docSamples.js'

const samples = allSamples()
const tested = samples.filter((s) => ['ts', 'graphql', 'sh'].includes(s.lang) && s.noTest === undefined)

describe('doc samples', () => {
  it('are tagged ts, graphql, sh, text or json, and every no-test marker gives a reason', () => {
    for (const sample of samples) {
      expect(['ts', 'graphql', 'sh', 'text', 'json'], sample.where).toContain(sample.lang)
      if (sample.noTest !== undefined) expect(sample.noTest.length, sample.where).toBeGreaterThan(5)
    }
    // No-test markers stay rare: samples are meant to run.
    expect(samples.filter((s) => s.noTest !== undefined).length).toBeLessThanOrEqual(5)
    expect(tested.length).toBeGreaterThan(30)
  })

  it('queries.md shows every filter operator of FILTER_OPERATORS in a graphql sample', () => {
    const graphql = samplesOf(join(ROOT, 'docs', 'queries.md'))
      .filter((s) => s.lang === 'graphql')
      .map((s) => s.code)
      .join('\n')
    const operators = new Set(Object.values(FILTER_OPERATORS).flat())
    for (const operator of operators) expect(graphql, operator).toMatch(new RegExp(`\\b${operator}: `))
  })
})

describe.each(testDatabases())('graphql samples on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let dispose: () => Promise<void>
  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, { scale: 0.1 })
  })
  afterAll(async () => dispose())

  it.each(tested.filter((s) => s.lang === 'graphql').map((s) => [s.where, s] as const))(
    '%s runs without errors',
    async (_where, sample) => {
      const result = await shop.run(sample.code)
      expect(result.errors, sample.code).toBeUndefined()
      expect(result.data).toBeTruthy()
    },
  )
})

// Child processes and a whole-project type check: generous limits, so a busy machine is not a failure.
describe('ts samples', { timeout: 240_000 }, () => {
  it('type-check against the package and the shop models', async () => {
    // The package's own types (dist/index.d.ts, what `import 'graphql-auto-gen'` resolves to when
    // installed): a third fewer files to parse than the sources they are built from.
    await ensureCompiledCli(ROOT)
    const dir = await mkdtemp(join(ROOT, '.tmp-docs-ts-'))
    try {
      const files: Array<[string, string]> = []
      for (const [index, sample] of tested.filter((s) => s.lang === 'ts').entries()) {
        const file = join(dir, `sample${index}.ts`)
        const code = sample.code
          .replace(/from 'graphql-auto-gen'/g, `from '${relative(dir, join(ROOT, 'dist', 'index.js'))}'`)
          .replace(
            /from '\.\/src\/db\/schema\.js'/g,
            `from '${relative(dir, join(ROOT, 'examples', 'shop', 'models.js'))}'`,
          )
        await writeFile(
          file,
          code.includes('export ') || code.includes('import ') ? code : `${code}\nexport {}\n`,
        )
        files.push([file, sample.where])
      }
      const config = ts.getParsedCommandLineOfConfigFile(
        join(ROOT, 'tsconfig.json'),
        {},
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: () => {},
        },
      )!
      const program = ts.createProgram(
        files.map(([file]) => file),
        { ...config.options, noEmit: true },
      )
      const where = new Map(files)
      // Only the samples' own diagnostics: checking them resolves what they use of src/, without
      // type-checking every source file (npm run typecheck does that already).
      const problems = files
        .flatMap(([file]) => {
          const source = program.getSourceFile(file)!
          return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
        })
        .filter((d) => d.file && where.has(d.file.fileName))
        .map((d) => {
          const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0)
          return `${where.get(d.file!.fileName)} (+${line}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
        })
      expect(problems).toEqual([])
      expect(files.length).toBeGreaterThan(8)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('sh samples', { timeout: 240_000 }, () => {
  let project: string
  beforeAll(async () => {
    // A project as `init` makes it, under the repository so its imports resolve to node_modules;
    // its config imports the package by name, which the CLI serves from its own running copy.
    project = await mkdtemp(join(ROOT, '.tmp-docs-sh-'))
    await initProject(project)
  })
  afterAll(async () => rm(project, { recursive: true, force: true }))

  const all = docCommands()
  // A command another test file runs (with more assertions) is not started a second time here.
  const commands = all
    .filter((c) => RUN_BY_OTHER_TESTS[c.args.join(' ')] === undefined)
    .map((c) => [`${c.where}: ${c.args.join(' ')}`, c.args] as const)

  it('exist', () => expect(all.length).toBeGreaterThan(3))

  it('are each run here or by the test file RUN_BY_OTHER_TESTS names, which takes them from the docs', async () => {
    const elsewhere = all.filter((c) => RUN_BY_OTHER_TESTS[c.args.join(' ')] !== undefined)
    // Every entry of the table is a command of the docs (a stale entry would hide nothing, but mislead).
    expect(new Set(elsewhere.map((c) => c.args.join(' ')))).toEqual(new Set(Object.keys(RUN_BY_OTHER_TESTS)))
    for (const file of new Set(Object.values(RUN_BY_OTHER_TESTS))) {
      expect(existsSync(join(ROOT, file)), file).toBe(true)
      expect(await readFile(join(ROOT, file), 'utf8'), file).toContain(`docCommandsRunBy('${file}')`)
    }
  })

  it('run the command through npx, as in a project where it is installed (no global binary)', () => {
    const bare = tested
      .filter((s) => s.lang === 'sh')
      .flatMap((s) => s.code.split('\n').map((line) => [s.where, line.trim()] as const))
      .filter(([, line]) => /^graphql-auto-gen( |$)/.test(line))
    expect(bare).toEqual([])
  })

  it.each(commands)('%s exits 0', async (_where, args) => {
    // The example runs on PGlite: DATABASE_URL must not point the shop config at PostgreSQL.
    const env = { ...DOC_COMMAND_ENV }
    if (args[0] === 'serve' && !args.includes('--help')) {
      const run = await runCli(args, {
        cwd: project,
        env,
        until: (out) => /GraphQL \+ GraphiQL: \S+/.test(out),
      })
      const url = /GraphQL \+ GraphiQL: (\S+)/.exec(run.stdout)?.[1]
      expect(url, run.stderr).toMatch(/^http:\/\//)
      expect(await run.stop(), run.stderr).toBe(0)
    } else {
      const run = await runCli(args, { cwd: project, env })
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
    }
  })
})

describe('generated references', () => {
  it('docs/cli.md and docs/configuration.md equal what `npm run docs:generate` writes', async () => {
    for (const [file, text] of await generatedDocs()) {
      expect(await readFile(file, 'utf8'), `${file.pathname} is stale: run npm run docs:generate`).toBe(text)
    }
  })
})

describe('docs/errors.md', () => {
  it('lists exactly the codes of ErrorCodes', async () => {
    const text = await readFile(join(ROOT, 'docs', 'errors.md'), 'utf8')
    const listed = [...text.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]!)
    expect([...listed].sort()).toEqual(Object.values(ErrorCodes).sort())
    expect(new Set(listed).size).toBe(listed.length)
  })
})
