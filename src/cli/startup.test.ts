// The CLI's start-up cost is the modules it loads: `--version`, `--help` and usage errors must not
// load the API's stack (graphql, graphql-yoga, PGlite, drizzle, @graphql-inspector, ts-morph), and
// a command loads only what it runs on. Asserted on the modules a child process actually loaded
// (recorded by an --import hook), never on wall times, which a loaded machine makes meaningless.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { BACKUP_DIR, supportedPaths, VERSIONS } from '../migrate/index.js'
import { runCli } from './testing/runCli.js'
import type { CliRun } from './testing/runCli.js'

/** CLI runs start Node processes; on a busy shared machine each can take many seconds. */
const LONG = 300_000

/** What the API's stack is made of: none of it may load to print a version, help or a usage error. */
const HEAVY = [
  'graphql',
  'graphql-yoga',
  '@electric-sql/pglite',
  'drizzle-orm',
  '@graphql-inspector/core',
  'ts-morph',
  'typescript',
  'pg',
  'ioredis',
  'jiti',
]

const work = mkdtempSync(join(tmpdir(), 'gag-startup-'))

/**
 * An --import module that records every module the process loads: ESM resolutions through loader
 * hooks (they run on their own thread, so they append to the file themselves), and CommonJS
 * modules from require's cache when the process exits.
 */
const RECORDER = join(work, 'recordModules.mjs')
writeFileSync(
  RECORDER,
  `import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'
const out = process.env.GAG_MODULE_RECORD
register(new URL('data:text/javascript,' + encodeURIComponent(${JSON.stringify(`import { appendFileSync } from 'node:fs'
let out
export function initialize(file) { out = file }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(out, resolved.url + '\\n')
  return resolved
}`)})), { data: out })
process.on('exit', () => {
  const cached = Object.keys(createRequire(import.meta.url).cache)
  appendFileSync(out, cached.map((path) => 'file://' + path + '\\n').join(''))
})
`,
)

/** Runs the CLI with the recorder; returns the run and the npm packages it loaded. */
async function runRecorded(args: readonly string[]): Promise<{ run: CliRun; packages: Set<string> }> {
  const record = join(work, `record-${args.join('-').replace(/[^\w-]/g, '_')}.txt`)
  writeFileSync(record, '')
  const run = await runCli(args, {
    cwd: work,
    env: {
      GAG_MODULE_RECORD: record,
      NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${pathToFileURL(RECORDER).href}`.trim(),
    },
  })
  const packages = new Set(
    readFileSync(record, 'utf8')
      .split('\n')
      .flatMap((url) => {
        const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
        return match ? [match[1]!] : []
      }),
  )
  return { run, packages }
}

function heavyIn(packages: Set<string>): string[] {
  return HEAVY.filter((name) => packages.has(name))
}

describe('CLI start-up', () => {
  it(
    '--version prints the version having loaded commander and nothing of the API',
    async () => {
      const { run, packages } = await runRecorded(['--version'])
      const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version: string
      }
      expect(run.code).toBe(0)
      expect(run.stdout.trim()).toBe(manifest.version)
      // The recorder works: the CLI's one dependency for parsing shows up.
      expect(packages).toContain('commander')
      expect(heavyIn(packages)).toEqual([])
    },
    LONG,
  )

  it(
    '--help, a command help and a usage error load nothing of the API',
    async () => {
      const help = await runRecorded(['--help'])
      expect(help.run.code).toBe(0)
      for (const command of ['serve', 'schema', 'doctor', 'migrate', 'dump', 'load', 'init', 'explain'])
        expect(help.run.stdout).toContain(`  ${command}`)
      expect(heavyIn(help.packages)).toEqual([])

      const doctor = await runRecorded(['doctor', '--help'])
      expect(doctor.run.code).toBe(0)
      expect(doctor.run.stdout).toContain('Usage: graphql-auto-gen doctor [options]')
      expect(heavyIn(doctor.packages)).toEqual([])

      const usage = await runRecorded(['schema', 'diff', '1'])
      expect(usage.run.code).toBe(2)
      expect(usage.run.stderr).toContain("error: missing required argument 'to'")
      expect(heavyIn(usage.packages)).toEqual([])
    },
    LONG,
  )

  it(
    'migrate --help lists the versions, paths and backup folder of the migrate stage without loading it',
    async () => {
      const { run, packages } = await runRecorded(['migrate', '--help'])
      expect(run.code).toBe(0)
      // Read through migrate's light door (help.ts): the stage's values, and still no ts-morph or TypeScript.
      expect(run.stdout).toContain(`version migrated from (${VERSIONS.join(', ')})`)
      expect(run.stdout).toContain(`Supported paths: ${supportedPaths().join(', ')}.`)
      expect(run.stdout).toContain(`manifest in ${BACKUP_DIR}/`)
      expect(heavyIn(packages)).toEqual([])
    },
    LONG,
  )

  it(
    'schema check of two SDL files compares them without the server, PGlite or ts-morph',
    async () => {
      writeFileSync(join(work, 'old.graphql'), 'type Query { a: Int, b: String }\n')
      writeFileSync(join(work, 'new.graphql'), 'type Query { a: Int }\n')
      const { run, packages } = await runRecorded([
        'schema',
        'check',
        '--against',
        'old.graphql',
        '--schema',
        'new.graphql',
      ])
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('BREAKING   Query.b')
      expect(packages).toContain('@graphql-inspector/core')
      expect(
        ['graphql-yoga', '@electric-sql/pglite', 'ts-morph', 'typescript'].filter((name) =>
          packages.has(name),
        ),
      ).toEqual([])
    },
    LONG,
  )
})
